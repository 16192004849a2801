"""The workbooks' method text: the instructions to the room sit apart, in every language.

A markdown cell tagged ``vt-ohje`` holds what the facilitator asks the room to do ("Kertokaa
lyhyesti: …"); the live pages show it and the report leaves it out. These checks read the notebooks
with nbformat only (no kernel): each activity has the same instruction cells in fi, sv and en, an
instruction cell belongs to one language and holds no heading, and the activity's heading stays in
its method text.
"""
from __future__ import annotations

import copy
import re
from pathlib import Path

import nbformat
import pytest

WORKBOOKS = Path(__file__).resolve().parent.parent / "workbooks"
LANGS = ("fi", "sv", "en")
TAG = "vt-ohje"
# the workbooks whose method text asks the room to do something
WITH_INSTRUCTIONS = ["01_tilannekuva.ipynb", "02_tavoitteet.ipynb", "03_koordinointi.ipynb",
                     "04_arviointi.ipynb", "puimala.ipynb"]
_ACTIVITY_CALL = re.compile(r"""wb\.activity\(\s*["']([a-z0-9_]+)["']""")
_HEADING = re.compile(r"^ {0,3}#{1,6}(\s|$)")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)\s*$")


def _tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def _lang(cell) -> str | None:
    langs = [t.removeprefix("lang:") for t in _tags(cell) if t.startswith("lang:")]
    return langs[0] if len(langs) == 1 else None


def _is_phase_title(cell) -> bool:
    return cell.cell_type == "markdown" and cell.source.lstrip().startswith("# ")


def _activities(nb) -> list[tuple[str, list]]:
    """Each activity's id and the markdown cells before its code cell (since the previous code cell),
    as the report groups them; the phase's title cells are left out."""
    out, pending = [], []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            if not _is_phase_title(cell):
                pending.append(cell)
            continue
        match = _ACTIVITY_CALL.search(cell.source)
        if match:
            out.append((match.group(1), pending))
        pending = []
    return out


def _has_heading(text: str) -> bool:
    lines = text.splitlines()
    return any(_HEADING.match(line) or (i and lines[i - 1].strip() and _SETEXT.match(line)
                                        and not lines[i - 1].lstrip().startswith("|"))
               for i, line in enumerate(lines))


def problems(nb) -> list[str]:
    """What is wrong with a workbook's method text and instructions (empty: nothing)."""
    found = []
    for i, cell in enumerate(nb.cells):
        if TAG not in _tags(cell):
            continue
        where = f"cell {cell.get('id', i)}"
        langs = [t for t in _tags(cell) if t.startswith("lang:")]
        if cell.cell_type != "markdown":
            found.append(f"{where}: {TAG} on a {cell.cell_type} cell")
        if len(langs) != 1 or langs[0].removeprefix("lang:") not in LANGS:
            found.append(f"{where}: {TAG} needs exactly one language tag, has {langs}")
        if _has_heading(cell.source):
            found.append(f"{where}: an instruction cell holds a heading")
        before = nb.cells[i - 1] if i else None
        if before is None or before.cell_type != "markdown" or _lang(before) != _lang(cell):
            found.append(f"{where}: does not follow the method text of its own language")
    for activity, cells in _activities(nb):
        shapes = {}
        for lang in LANGS:
            mine = [c for c in cells if _lang(c) == lang]
            shapes[lang] = [TAG in _tags(c) for c in mine]
            if not mine:
                found.append(f"{activity} [{lang}]: no method text")
            elif TAG in _tags(mine[0]) or not re.match(r"#{2,3} ", mine[0].source):
                found.append(f"{activity} [{lang}]: the method text does not start with its ## heading")
        counts = {lang: sum(shape) for lang, shape in shapes.items()}
        if len(set(counts.values())) > 1:
            found.append(f"{activity}: instruction cells by language {counts}")
        elif len({tuple(shape) for shape in shapes.values()}) > 1:
            found.append(f"{activity}: method and instruction cells in a different order by language")
    return found


def _read(name: str):
    return nbformat.read(WORKBOOKS / name, as_version=4)


@pytest.mark.parametrize("name", sorted(p.name for p in WORKBOOKS.glob("*.ipynb")))
def test_workbook_instructions_are_apart_in_every_language(name):
    """Every activity has the same instruction cells in fi, sv and en, each in one language, without
    headings, right after the method text, which keeps the activity's heading."""
    assert problems(_read(name)) == []


@pytest.mark.parametrize("name", WITH_INSTRUCTIONS)
def test_phase_workbooks_mark_their_instructions(name):
    """The workbooks that ask the room to do something mark it, in every language."""
    nb = _read(name)
    for lang in LANGS:
        marked = [c for c in nb.cells if TAG in _tags(c) and _lang(c) == lang]
        assert marked, (name, lang)


@pytest.mark.parametrize("name", ["01_tilannekuva.ipynb", "02_tavoitteet.ipynb", "03_koordinointi.ipynb"])
def test_check_in_request_is_an_instruction(name):
    """The check-in's "Kertokaa lyhyesti:" and its translations sit only in instruction cells."""
    method = "".join(c.source for c in _read(name).cells if c.cell_type == "markdown" and TAG not in _tags(c))
    marked = "".join(c.source for c in _read(name).cells if TAG in _tags(c))
    for request in ("Kertokaa lyhyesti:", "Berätta kort:", "Tell us briefly:"):
        assert request not in method and request in marked, (name, request)


def _first_tagged(nb, lang: str):
    return next(c for c in nb.cells if TAG in _tags(c) and _lang(c) == lang)


def test_a_language_missing_its_instruction_cell_is_found():
    """Untagging one Swedish instruction cell, or giving one a heading or a second language, is caught."""
    nb = _read("01_tilannekuva.ipynb")
    untagged = copy.deepcopy(nb)
    cell = _first_tagged(untagged, "sv")
    cell.metadata["tags"].remove(TAG)
    assert any("instruction cells by language" in p for p in problems(untagged))

    headed = copy.deepcopy(nb)
    _first_tagged(headed, "en").source = "## Ohje\n\n" + _first_tagged(headed, "en").source
    assert any("holds a heading" in p for p in problems(headed))

    doubled = copy.deepcopy(nb)
    _first_tagged(doubled, "fi").metadata["tags"].append("lang:sv")
    assert any("exactly one language tag" in p for p in problems(doubled))


def test_an_activity_without_its_heading_is_found():
    """Tagging a whole method cell, heading and all, as instructions is caught."""
    nb = copy.deepcopy(_read("02_tavoitteet.ipynb"))
    cell = next(c for c in nb.cells if c.cell_type == "markdown" and _lang(c) == "en"
                and c.source.startswith("## "))
    cell.metadata["tags"].append(TAG)
    found = problems(nb)
    assert any("does not start with its ## heading" in p for p in found)
    assert any("holds a heading" in p for p in found)

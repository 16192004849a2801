"""Session reports: papermill runs the workbooks with ``role="report"``, nbconvert writes
one self-contained HTML file that opens offline (and, with Chromium at hand, a PDF; or an
editable ``.docx``, see :mod:`vertaiset_widgets.report_docx`).

All workbooks of a report run in this one process (the papermill API, not one CLI call
each), and in one kernel: starting papermill, nbconvert and a kernel costs seconds, running a
workbook does not.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Sequence

import nbformat

from .config import resolve_db_url
from .content import load_content, templates_dir
from .store import SessionStore

__all__ = ["CHROMIUM_FLAGS", "DEFAULT_WORKBOOKS", "FORMATS", "PUIMALA_WORKBOOKS", "WORKBOOK_START", "build_report",
           "filter_language", "html_to_pdf", "report_resources", "workbooks_dir"]

#: Headless Chromium on a machine with no outside network: without the background-networking
#: flags Chromium keeps trying to reach its own services. Used for PDFs, tests and benchmarks.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

#: The workbooks a report runs, in this order (those missing are skipped).
DEFAULT_WORKBOOKS = ("01_tilannekuva.ipynb", "02_tavoitteet.ipynb", "03_koordinointi.ipynb", "04_arviointi.ipynb")
#: What a Puimala's report runs instead of the phase workbooks (a session with Puimala settings).
PUIMALA_WORKBOOKS = ("puimala.ipynb",)

#: What ``vertaiset report`` writes: the HTML always, and beside it a PDF or a Word file if asked.
FORMATS = ("html", "pdf", "docx")
#: The tag of the first cell of every workbook after the first: the report template starts a
#: new printed page there (each phase on its own pages).
WORKBOOK_START = "vt-workbook-start"

_ACTIVITY_CALL = re.compile(r"""wb\.activity\(\s*["']([a-z0-9_]+)["']""")


def workbooks_dir() -> Path:
    """The folder of the phase workbooks: the root's, the checkout's or the installed package's.

    See :mod:`vertaiset_widgets.roots`.
    """
    from .roots import workbooks_dir as _workbooks_dir

    return _workbooks_dir()


def report_resources() -> dict[str, str]:
    """What the report template reads besides the notebook: the kinds' stylesheet, which it
    inlines (``vertaiset_kinds_css``), so canvases, boards and maps look as they do live."""
    from . import kinds

    return {"vertaiset_kinds_css": kinds.stylesheet()}


def filter_language(nb: nbformat.NotebookNode, lang: str) -> nbformat.NotebookNode:
    """Drop the markdown cells tagged for another language (``lang:xx`` tags)."""
    kept = []
    for cell in nb.cells:
        tags = [t for t in cell.get("metadata", {}).get("tags", []) if t.startswith("lang:")]
        if tags and f"lang:{lang}" not in tags:
            continue
        kept.append(cell)
    nb.cells = kept
    return nb


def _combine(paths: Sequence[Path]) -> nbformat.NotebookNode | None:
    """The workbooks as one notebook: the first one's parameters cell, then every workbook's
    cells (each marked with its workbook, see :func:`_split`); None when none exists."""
    combined: nbformat.NotebookNode | None = None
    for path in paths:
        if not path.exists():
            continue
        nb = nbformat.read(path, as_version=4)
        cells = nb.cells
        if combined is None:
            combined = nb
            combined.cells = []
        else:  # the first workbook's parameters serve them all
            cells = [c for c in cells if "parameters" not in c.get("metadata", {}).get("tags", [])]
        for cell in cells:
            cell.setdefault("metadata", {})["vertaiset_workbook"] = path.name
            cell["id"] = f"{path.stem}-{len(combined.cells)}"[:64]
            combined.cells.append(cell)
    return combined


def _split(nb: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    """The executed combined notebook back as one notebook per workbook, in order."""
    parts: list[nbformat.NotebookNode] = []
    current = None
    for cell in nb.cells:
        name = cell.get("metadata", {}).get("vertaiset_workbook", current)
        if name != current or not parts:
            parts.append(nbformat.from_dict({**nb, "cells": []}))
            current = name
        parts[-1].cells.append(cell)
    return parts


def _strip_code_cells(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Keep code cells only for their outputs; parameter cells go entirely."""
    kept = []
    for cell in nb.cells:
        tags = cell.get("metadata", {}).get("tags", [])
        if cell.cell_type == "code" and ("parameters" in tags or "injected-parameters" in tags):
            continue
        if cell.cell_type == "code" and not cell.get("outputs"):
            continue
        kept.append(cell)
    nb.cells = kept
    return nb


def _drop_repeats(nb: nbformat.NotebookNode, seen: set[str], *, first: bool) -> nbformat.NotebookNode:
    """Leave out what an earlier workbook of the same report already showed: the session
    header, and an activity run by several workbooks (the check-in), with its method text."""
    kept: list = []
    pending: list = []  # markdown since the last code cell: it belongs to the next activity
    for cell in nb.cells:
        if cell.cell_type != "code":
            pending.append(cell)
            continue
        source = "".join(cell.get("source", ""))
        match = _ACTIVITY_CALL.search(source)
        if not first and "wb.header()" in source:
            kept += pending
        elif match and match.group(1) in seen:
            kept += [c for c in pending if _is_phase_title(c)]  # shown already: its method text goes too
        else:
            if match:
                seen.add(match.group(1))
            kept += pending + [cell]
        pending = []
    nb.cells = kept + pending
    return nb


def _is_phase_title(cell) -> bool:
    """A markdown cell that opens a workbook with its level-1 heading (the phase's title)."""
    return cell.cell_type == "markdown" and "".join(cell.get("source", "")).lstrip().startswith("# ")


def build_report(
    code: str,
    out_dir: str | Path,
    *,
    lang: str | None = None,
    db_url: str | None = None,
    workbooks: Sequence[str] = DEFAULT_WORKBOOKS,
    pdf: bool = False,
    docx: bool = False,
) -> Path:
    """Run the workbooks for session ``code`` and write the report; return the HTML's path.
    With ``pdf`` or ``docx`` the same report is written beside it as ``.pdf`` or ``.docx`` too.

    A Puimala (a session with Puimala settings) runs :data:`PUIMALA_WORKBOOKS` in place of the
    default phase workbooks.

    Raises
    ------
    VertaisetUnknownSessionError
        No session has this code.
    """
    import papermill
    from nbconvert import HTMLExporter

    url = resolve_db_url(db_url)
    store = SessionStore(url)
    session = store.get_session(code)
    if tuple(workbooks) == DEFAULT_WORKBOOKS and store.puimala(session.id) is not None:
        workbooks = PUIMALA_WORKBOOKS
    content = load_content()
    lang = content.lang(lang or session.lang)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    merged: nbformat.NotebookNode | None = None
    seen: set[str] = set()
    combined = _combine([workbooks_dir() / name for name in workbooks])
    if combined is not None:  # every workbook in one kernel: its start and imports are paid once
        executed = papermill.execute_notebook(
            combined,
            None,
            parameters={"session": session.code, "role": "report", "lang": lang, "db_url": url},
            kernel_name="python3",
            progress_bar=False,
            cwd=str(workbooks_dir()),
        )
        for part in _split(executed):
            part = _strip_code_cells(_drop_repeats(filter_language(part, lang), seen, first=merged is None))
            if merged is None:
                merged = part
            elif part.cells:
                tags = part.cells[0].setdefault("metadata", {}).setdefault("tags", [])
                tags.append(WORKBOOK_START)
                merged.cells.extend(part.cells)
    if merged is None:
        raise FileNotFoundError(f"none of the workbooks {', '.join(workbooks)} is in {workbooks_dir()}")
    merged.metadata["vertaiset"] = {
        "lang": lang,
        "title": f"{session.title} – {session.held_on.strftime('%-d.%-m.%Y')}",
        "code": session.code,
        "generated": date.today().isoformat(),
    }
    exporter = HTMLExporter(
        template_name="vertaiset_report",
        extra_template_basedirs=[str(templates_dir() / "nbconvert" / "templates")],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    body, _resources = exporter.from_notebook_node(merged, resources=report_resources())
    slug = re.sub(r"[^A-Za-z0-9]+", "-", session.code).strip("-")
    html_path = out / f"vertaiset-{slug}-{session.held_on.isoformat()}-{lang}.html"
    html_path.write_text(body, encoding="utf-8")
    if pdf:
        html_to_pdf(html_path, html_path.with_suffix(".pdf"))
    if docx:
        from .report_docx import html_to_docx

        html_to_docx(body, html_path.with_suffix(".docx"))
    store.close()
    return html_path


def html_to_pdf(html_path: Path, pdf_path: Path) -> Path:
    """Print the HTML report to PDF with headless Chromium (no network)."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not browser:
        raise FileNotFoundError("PDF needs Chromium: install it (Debian: apt-get install chromium)")
    subprocess.run(
        [
            browser,
            *CHROMIUM_FLAGS,
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf_path}",
            html_path.resolve().as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return pdf_path

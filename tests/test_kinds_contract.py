"""The contract every registered activity kind keeps (``vertaiset_widgets/kinds/README.md``).

Parametrized over the registry, so a new kind gets these checks by being registered. Each kind
brings its examples in ``demo.py``: ``EXAMPLE`` (a minimal template entry), ``BROKEN`` (a
``(field, value)`` that spoils it) and ``answer(form)`` (what a phone sends to the first form
of the kind's panel; None when participants answer nothing, ``form`` then being None). A kind
whose ``answer`` takes ``text=`` gets a participant's markup typed into it.

Everything runs on a real SQLite store and reaches the widgets through ipywidgets' comm path.
Per kind one session: a participant's page answers (with the markup where the kind takes
text), the activity is revealed, and the console, the room's screen and the report are drawn
once per language and shared by the checks on them.
"""
from __future__ import annotations

import html
import inspect
import io
import json
import logging
import re
import shutil
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import ipywidgets as W
import pytest
import yaml
from conftest import browser_sends, ipython_shell, submittable_forms

from vertaiset_widgets import kinds
from vertaiset_widgets.config import PageParams
from vertaiset_widgets.content import load_content, templates_dir
from vertaiset_widgets.errors import VertaisetTemplateError
from vertaiset_widgets.export import EXPORT_FORMATS, export_session
from vertaiset_widgets.i18n import Translator
from vertaiset_widgets.participant import ParticipantPage
from vertaiset_widgets.store import SessionStore
from vertaiset_widgets.workbook import Workbook

KINDS = list(kinds.all_kinds())
IDS = [k.name for k in KINDS]
LANGS = ("fi", "sv", "en")
ROLES = ("facilitator", "screen", "report")
MARKUP = "<img src=x onerror=alert(1)>"
ESCAPED = html.escape(MARKUP)
#: What a page shows when something went wrong (a message box, a Python traceback).
ERROR_MARKS = ("Traceback", "vt-error")
#: The browser's submission id of one action: sent twice, it is the same action retried.
SID = "contract-retry-0001"


def _demo(kind: kinds.Kind) -> Any:
    """The kind's examples, or a visible skip when it has none yet."""
    demo = kind.demo_module()
    if demo is None:
        pytest.skip(f"kind {kind.name!r} has no demo.py yet (EXAMPLE, BROKEN, answer): the contract cannot run it")
    return demo


def _takes_text(demo: Any) -> bool:
    return "text" in inspect.signature(demo.answer).parameters


def _copy_templates(dest: Path) -> Path:
    shutil.copytree(templates_dir(), dest, ignore=shutil.ignore_patterns("voila", "nbconvert"))
    return dest


def _write_activities(root: Path, name: str, entries: list[dict]) -> Path:
    path = root / "activities" / name
    path.write_text(yaml.safe_dump({"activities": entries}, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


# ---------------------------------------------------------------------- a template error names its file, activity and field
@pytest.mark.parametrize("kind", KINDS, ids=IDS)
def test_example_loads_and_a_broken_one_names_file_activity_and_field(kind, tmp_path):
    """EXAMPLE loads beside the shipped templates; EXAMPLE spoilt by BROKEN is refused naming file, activity and field."""
    demo = _demo(kind)
    good = _copy_templates(tmp_path / "good")
    _write_activities(good, "99_contract.yaml", [demo.EXAMPLE])
    assert load_content(good).activity(demo.EXAMPLE["id"]).kind == kind.name

    bad_field, bad_value = demo.BROKEN
    broken = _copy_templates(tmp_path / "broken")  # another folder: loaded content is cached per folder
    path = _write_activities(broken, "99_contract.yaml", [{**demo.EXAMPLE, bad_field: bad_value}])
    with pytest.raises(VertaisetTemplateError) as info:
        load_content(broken)
    err, message = info.value, str(info.value)
    assert Path(err.path) == path and path.name in message
    assert err.activity == demo.EXAMPLE["id"] and repr(demo.EXAMPLE["id"]) in message
    assert err.field is not None and err.field.startswith(bad_field) and bad_field in message


# ---------------------------------------------------------------------- the room: one session per kind
@pytest.fixture(scope="module")
def templates(tmp_path_factory) -> Iterator[Path]:
    """The shipped templates, plus the EXAMPLE of each kind that ships no activity; every page here uses them."""
    root = _copy_templates(tmp_path_factory.mktemp("contract") / "templates")
    # read from the shipped folder: loading the copy now would cache it without the examples added below
    shipped = {a.kind for a in load_content(templates_dir()).activities.values()}
    extra = [demo.EXAMPLE for k in KINDS if k.name not in shipped and (demo := k.demo_module()) is not None]
    if extra:
        _write_activities(root, "99_contract.yaml", extra)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("VERTAISET_TEMPLATES", str(root))  # the export and the results load the same templates
        yield root


@pytest.fixture(scope="module")
def content(templates):
    return load_content(templates)


@pytest.fixture(scope="module")
def room_store(tmp_path_factory) -> Iterator[SessionStore]:
    """One SQLite store for the module."""
    store = SessionStore(f"sqlite:///{tmp_path_factory.mktemp('contract-db') / 'store.sqlite'}")
    yield store
    store.close()


@contextmanager
def _logged_errors() -> Iterator[list[str]]:
    """Errors the package logs meanwhile (pages log what they swallow, and show the user a message instead)."""
    records: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record.getMessage() + (f"\n{record.exc_text or ''}" if record.exc_info else ""))

    handler = Collect(level=logging.ERROR)
    logger = logging.getLogger("vertaiset")
    logger.addHandler(handler)
    try:
        yield records
    finally:
        logger.removeHandler(handler)


def _phone(store: SessionStore, content, code: str, token: str) -> ParticipantPage:
    page = ParticipantPage(PageParams(session=code), content=content, store=store)
    page.join_as(token)
    return page


def _shown(page: ParticipantPage, activity_id: str) -> list[W.Widget]:
    """The widgets the page shows for one activity, after looking at the store."""
    page.refresh()
    return page.shown(activity_id)


def _forms(widgets: list[W.Widget]) -> list[Any]:
    """The forms a participant can submit among ``widgets`` (and inside them), in page order."""
    return submittable_forms(widgets, enabled_only=True)


@dataclass
class Case:
    """One kind's activity in its own session, answered once by a participant (``author``)."""

    kind: kinds.Kind
    activity: Any
    session: Any
    key: str
    demo: Any  # the kind's demo.py
    sent: dict | None = None  # what the author's phone sent (None: the panel asks nothing)
    status: tuple[str, str] = ("", "")  # the author's form's status line after it
    errors: list[str] = field(default_factory=list)


@pytest.fixture(scope="module", params=KINDS, ids=IDS)
def case(request, content, room_store) -> Case:
    """The kind's first activity (shipped, or its EXAMPLE) open in a fresh session; a participant
    with a nickname and a group answers it (with markup where it takes text); then it is revealed.
    Without a demo.py (nothing to answer with) the kind's checks skip, saying so."""
    kind: kinds.Kind = request.param
    demo = _demo(kind)
    activity = next(a for a in content.activities.values() if a.kind == kind.name)  # else its EXAMPLE is there
    session, key = room_store.create_session(f"Sopimus: {kind.name}", network="Kontrakti")
    room_store.set_activity_state(session.id, activity.id, is_open=True)
    out = Case(kind, activity, session, key, demo)
    with _logged_errors() as out.errors:
        page = _phone(room_store, content, session.code, f"token-contract-author-{kind.name}")
        browser_sends(page.profile_form, {"type": "submit", "value": {"nickname": "Kirjoittaja", "group": "Ryhmä A"}})
        forms = _forms(_shown(page, activity.id))
        form = forms[0] if forms else None
        out.sent = demo.answer(form, text=MARKUP) if _takes_text(demo) else demo.answer(form)
        if out.sent is not None and form is not None:
            browser_sends(form, out.sent)
            out.status = (form.status_kind, form.status)
    room_store.set_activity_state(session.id, activity.id, is_revealed=True)
    return out


# ---------------------------------------------------------------------- a submit lands in the store exactly once
def test_a_retried_submit_lands_in_the_store_once(case, content, room_store):
    """An answer sent twice with one submission id (a retry) through the comm path is stored once; a
    kind whose participants answer nothing shows them no form."""
    demo = case.demo
    with _logged_errors() as errors:
        page = _phone(room_store, content, case.session.code, f"token-contract-once-{case.kind.name}")
        shown = _shown(page, case.activity.id)
        forms = _forms(shown)
        form = forms[0] if forms else None
        # words of its own where the kind takes text: the author's already stand (a map refuses a name twice)
        message = demo.answer(form, text="Toinen vastaus") if _takes_text(demo) else demo.answer(form)
        if message is None:
            assert shown and forms == [], "answer() is None, yet the panel offers a form"
            assert errors == []
            return
        assert forms, f"answer() gives a message but the panel of {case.activity.id!r} shows no form"
        form, message = forms[0], {**message, "sid": message.get("sid", SID)}
        me = page.participant

        def rows() -> list[Any]:
            return room_store.answers(case.session.id, case.activity.id, participant_id=me.id, latest=False)

        browser_sends(form, message)
        assert form.status_kind == "ok", form.status
        first = rows()
        assert first, "the form said it saved, yet the store holds nothing"
        browser_sends(form, message)  # the acknowledgement was lost: the browser sends it again
        assert form.status_kind == "ok", form.status
        again = rows()
        assert [a.id for a in again] == [a.id for a in first]
        assert max(Counter((a.item, a.layer) for a in again).values()) == 1
    assert errors == []


# ---------------------------------------------------------------------- the console, screen and report in every language
@dataclass
class View:
    """What one page sent to the browser for the activity."""

    html: str  # rendered as HTML: HTML widgets' values, displayed HTML and SVG
    text: str  # every other string a widget syncs (set as text by the forms' JavaScript)
    errors: list[str]
    lookups: int  # channels Altair had to look up in its schema (see _schema_lookups)


@contextmanager
def _schema_lookups() -> Iterator[list[int]]:
    """How often Altair looked a chart channel's class up from a string or dict given to
    ``encode`` (a shorthand ``"x:Q"``, ``alt.value``, ``alt.condition``): each lookup hashes
    Altair's whole schema, 4 ms, where a channel object (``alt.X``, ``alt.ColorValue``) costs
    nothing. Counted on Altair's one class that does it."""
    from altair.utils import schemapi

    count = [0]
    original = schemapi._FromDict.__init__

    def counting(self, *args: Any, **kwargs: Any) -> None:
        count[0] += 1
        original(self, *args, **kwargs)

    schemapi._FromDict.__init__ = counting
    try:
        yield count
    finally:
        schemapi._FromDict.__init__ = original


def _collect(obj: Any, markup: list[str], text: list[str], seen: set[int]) -> None:
    if isinstance(obj, W.Widget):
        if id(obj) in seen:
            return
        seen.add(id(obj))
        for name in obj.keys:
            if name in ("_esm", "_css") or name.startswith(("_model_", "_view_")):
                continue
            value = getattr(obj, name)
            if name == "value" and isinstance(obj, (W.HTML, W.HTMLMath)):
                markup.append(value)
            else:
                _collect(value, markup, text, seen)
    elif isinstance(obj, str):
        text.append(obj)
    elif isinstance(obj, dict):
        for k, v in obj.items():
            _collect(k, markup, text, seen)
            _collect(v, markup, text, seen)
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            _collect(v, markup, text, seen)


def _render(store: SessionStore, content, case: Case, role: str, lang: str) -> View:
    """The activity's cell as the page for ``role`` renders it, drawn at once (no event loop runs here)."""
    from IPython.utils.capture import capture_output

    markup: list[str] = []
    text: list[str] = []
    with _logged_errors() as errors, capture_output() as shown, _schema_lookups() as lookups:
        # the report as `--names` makes it: every word a participant gave is shown, so its escaping is checked
        wb = Workbook(PageParams(session=case.session.code, role=role, key=case.key, lang=lang), content=content, store=store,
                      names=role == "report")
        assert wb.view == role
        cell = wb.activity(case.activity.id)
    if cell is not None:
        _collect(cell, markup, text, set())
    for output in shown.outputs:
        for mime, data in output.data.items():
            (markup if mime in ("text/html", "image/svg+xml") else text).append(str(data))
    if shown.stderr.strip():
        errors.append(shown.stderr)
    return View("\n".join(markup), "\n".join(text), errors, lookups[0])


@pytest.fixture(scope="module", params=LANGS)
def lang(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def shell() -> Iterator[Any]:
    """IPython's shell: display() in the report needs it to capture what the report shows."""
    with ipython_shell() as shell:
        yield shell


@pytest.fixture(scope="module")
def views(case, lang, content, room_store, shell) -> dict[str, View]:
    """The console (with the key), the screen and the report of the case's activity in ``lang``."""
    return {role: _render(room_store, content, case, role, lang) for role in ROLES}


def _texts(node: Any, lang: str, languages: set[str], out: list[str]) -> list[str]:
    """Every text of a template record in ``lang`` that differs from the other languages' (title first)."""
    if isinstance(node, dict) and languages <= set(node) and all(isinstance(v, str) for v in node.values()):
        if node[lang].strip() and node[lang] not in {node[other] for other in languages - {lang}}:
            out.append(node[lang])
    elif hasattr(type(node), "model_fields"):
        for name in type(node).model_fields:
            _texts(getattr(node, name), lang, languages, out)
    elif isinstance(node, dict):
        for v in node.values():
            _texts(v, lang, languages, out)
    elif isinstance(node, (list, tuple)):
        for v in node:
            _texts(v, lang, languages, out)
    return out


@pytest.mark.parametrize("role", ROLES)
def test_views_draw_in_the_language_asked_for(case, lang, views, content, role):
    """The console, the screen and the report draw without an error, in the language asked for: the
    activity's title (or, where the view does not name the activity, its other words) in that language and
    no other language's title; every chart has a text alternative."""
    assert case.sent is None or case.status[0] == "ok", f"the author's answer was not saved: {case.status[1]}"
    view = views[role]
    assert case.errors == [] and view.errors == []
    assert not [mark for mark in ERROR_MARKS if mark in view.html], view.html[:2000]
    assert view.html.strip(), "the view drew nothing"
    languages = set(content.languages)
    title = Translator.create(content, lang).text(case.activity.title)
    words = _texts(case.activity, lang, languages, [])
    others = [t for other in languages - {lang} if (t := Translator.create(content, other).text(case.activity.title)) != title]

    def shows(word: str) -> bool:  # as a whole text: the Swedish "Sektor" is not in the Finnish "Sektori"
        def found(needle: str, haystack: str) -> bool:
            return re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", haystack) is not None

        return any(found(html.escape(word, quote=q), view.html) for q in (False, True)) or found(word, view.text)

    assert shows(title) or any(shows(w) for w in words), f"no word of {case.activity.id!r} in {lang!r} on the {role}"
    assert not [t for t in others if shows(t)], f"another language's title on the {role} in {lang!r}"
    for alt in re.findall(r"<img\b[^>]*>", view.html):
        found = re.search(r"alt=(['\"])(.*?)\1", alt)
        assert found and found.group(2).strip(), alt[:200]


# ---------------------------------------------------------------------- a participant's markup stays text
@pytest.mark.parametrize("role", ROLES)
def test_charts_name_their_channels_as_altair_objects(case, lang, views, role):
    """Every chart of the kind's views gives ``encode`` channel objects (``alt.Text("n:Q")``,
    ``alt.ColorValue(…)``), never strings or dicts that Altair looks up in its schema: 4 ms
    a channel, which made a radar's fifteen layers cost a second."""
    assert views[role].lookups == 0


@pytest.mark.parametrize("role", ROLES)
def test_participant_markup_stays_text(case, lang, views, role):
    """Markup a participant typed reaches the console and the report as escaped text (or as text the
    forms set as text), and no view carries it as markup."""
    if not _takes_text(case.demo):
        pytest.skip(f"participants type no text into {case.kind.name!r} (its demo's answer() takes no text=)")
    assert case.status[0] == "ok", case.status[1]
    view = views[role]
    assert MARKUP not in view.html and "<img src=x" not in view.html
    if role == "report":  # static HTML only: the words are there, escaped
        assert ESCAPED in view.html
    elif role == "facilitator":  # everything, revealed or not
        assert ESCAPED in view.html or MARKUP in view.text


# ---------------------------------------------------------------------- the report's summary line
def test_summary_line_is_one_plain_line_naming_no_one(case, content, room_store):
    """``kinds.summary_line`` in fi, sv and en, before and after an answer (the kind's own example
    answer, in a session of its own) and with the author's markup: None or one line of plain text
    (no markup of its own, no line break) that never carries the author's nickname."""
    session, _key = room_store.create_session(f"Tiivistelmä: {case.kind.name}", network="Kontrakti")
    room_store.set_activity_state(session.id, case.activity.id, is_open=True)

    def lines(on: Any) -> dict[str, str | None]:
        return {lang: kinds.summary_line(room_store, on, case.activity, Translator.create(content, lang)) for lang in LANGS}

    before = lines(session)
    page = _phone(room_store, content, session.code, f"token-contract-summary-{case.kind.name}")
    browser_sends(page.profile_form, {"type": "submit", "value": {"nickname": "Kirjoittaja", "group": "Ryhmä A"}})
    forms = _forms(_shown(page, case.activity.id))
    sent = case.demo.answer(forms[0] if forms else None)
    if sent is not None:
        browser_sends(forms[0], sent)
    after, marked = lines(session), lines(case.session)
    for name, line in [*(("before", v) for v in before.values()), *(("after", v) for v in after.values()),
                       *(("markup", v.replace(MARKUP, "") if v else v) for v in marked.values())]:
        assert line is None or (isinstance(line, str) and line.strip()), (name, line)
        assert line is None or ("<" not in line and "\n" not in line and "Kirjoittaja" not in line), (name, line)
    if sent is not None:  # an answer is something to sum up
        assert all(after.values()), after


# ---------------------------------------------------------------------- exports parse back
@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_session_export_parses_back(case, room_store, tmp_path, fmt):
    """The session's CSV, XLSX and JSON parse back and hold every answer row of the kind's activity."""
    path = export_session(room_store, case.session.code, fmt, tmp_path / f"export.{fmt}")
    if fmt == "csv":
        import csv

        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
    elif fmt == "xlsx":
        from openpyxl import load_workbook

        sheet = load_workbook(path, read_only=True)["answers"]
        head, *body = [list(r) for r in sheet.iter_rows(values_only=True)]
        rows = [dict(zip(head, r)) for r in body]
    else:
        doc = json.loads(path.read_text(encoding="utf-8"))
        rows = doc["answers"]
        for activity_rows in doc["session"].get("tables", {}).get(case.kind.name, {}).values():
            assert all(isinstance(r, dict) for r in activity_rows)
    stored = room_store.answers(case.session.id, case.activity.id, latest=False)
    mine = sorted(int(r["answer_id"]) for r in rows if r["activity"] == case.activity.id)
    assert mine == sorted(a.id for a in stored)


def _parse(text: str, suffix: str) -> Any:
    """A per-activity export read back by the tool it is for."""
    if suffix.endswith("graphml"):
        import networkx as nx

        return nx.read_graphml(io.BytesIO(text.encode("utf-8")))
    if suffix.endswith("gexf"):
        import networkx as nx

        return nx.read_gexf(io.BytesIO(text.encode("utf-8")))
    if suffix.endswith("json"):
        return json.loads(text)
    if suffix.endswith("ics"):
        import icalendar

        return icalendar.Calendar.from_ical(text)
    if suffix.endswith("vcf"):
        import vobject

        return list(vobject.readComponents(text))
    if suffix.endswith("csv"):
        import csv

        return list(csv.reader(io.StringIO(text)))
    if suffix.endswith("xlsx"):
        from openpyxl import load_workbook

        return load_workbook(io.BytesIO(text), read_only=True).worksheets
    raise AssertionError(f"the contract test does not know how to read {suffix!r}: teach _parse")


def test_activity_exports_parse_back(case, content, room_store):
    """Every per-activity format the kind offers (``files=``) parses back in every language."""
    if not case.kind.files:
        pytest.skip(f"kind {case.kind.name!r} offers no per-activity export format")
    for fmt, (_path, suffix) in case.kind.files.items():
        for lang in LANGS:
            text = case.kind.file_export(fmt)(room_store, case.session, case.activity, Translator.create(content, lang))
            assert _parse(text, suffix) is not None, (fmt, lang)

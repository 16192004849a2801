"""Who sees what: access is decided by the role and the facilitator key, never by the URL alone.

Every phase workbook runs here as Voila runs it: the URL's query in ``QUERY_STRING``, the
notebook's code cells executed in an IPython shell, on a real SQLite store holding the demo
session with some activities revealed and some not. Everything a browser would receive is
collected: the displayed outputs and the synced state of every widget in the tree, drawn
synchronously (without a running event loop the consoles draw their results at once).
One real browser check opens a keyless report link on a real Voila server.
"""
from __future__ import annotations

import base64
import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import ipywidgets as W
import pytest
from conftest import CHROMIUM, CHROMIUM_ARGS, ROOT, VoilaServer, free_port, open_showing, run_notebook_here

from vertaiset_widgets import chart_render
from vertaiset_widgets.config import DEMO_CODE
from vertaiset_widgets.content import load_content
from vertaiset_widgets.demo import seed_demo
from vertaiset_widgets.i18n import Translator
from vertaiset_widgets.store import AnswerInput, SessionStore
from vertaiset_widgets.consoles import BlocksConsole
from vertaiset_widgets.workbook import Workbook
from vertaiset_widgets.kinds.highlights.wall import read_wall

CONTENT = load_content()
TR = Translator.create(CONTENT, "fi")

WORKBOOKS = ("01_tilannekuva", "02_tavoitteet", "04_arviointi")
ROLES = ("facilitator", "screen", "report", None)  # None: the URL names no role
KEYS = ("none", "wrong", "right")

#: Left unrevealed in the demo (every other activity stays revealed, as the demo seeds it).
HIDDEN = {
    "kuulumiset", "hierarkia_markkina_verkosto", "verkostokartta", "verkostot_nyt", "tunteminen_luottamus_sitoutuminen",
    "tavoitekanvaasi", "tyypilliset_tavoitteet", "rinnakkain_yhdessa", "toimintatavat", "arviointi_360",
}
#: Highlights the facilitator hid on a revealed wall: (activity, text).
MODERATED = {
    "01_tilannekuva": ("verkostojen_vahvistaminen", "Rakenteet estävät: tietojärjestelmät eivät keskustele"),
    "02_tavoitteet": ("oma_tavoite", "Keskeyttämiset puolittuvat kahdessa vuodessa yhteistyöllä"),
    "04_arviointi": ("unelmaverkosto", "Yhteinen vuosikello verkostotapaamisille"),
}
#: Words participants gave in unrevealed activities (demo names, organisations, free texts).
UNREVEALED_TEXTS = {
    "01_tilannekuva": [
        "Oskari", "Riikka", "Ammattiopisto Taitaja",  # check-in names and organisations
        "Vinkkejä luottamuksen rakentamiseen",  # a check-in expectation
        "Hankkeen ohjausryhmä", "Nuorten ääni puuttuu ohjauksesta",  # the map: an actor, a missing link's note
        "Kukaan ei koordinoi kokonaisuutta",  # an unrevealed wall
    ],
    "02_tavoitteet": [
        "Oskari", "Ammattiopisto Taitaja", "Vinkkejä luottamuksen rakentamiseen",  # the check-in opens 02 too
        "Nuorten polut työhön ja opintoihin sujuviksi",  # a group's canvas
        "Kaksi tuntia kuussa ja sovittujen lupausten pitäminen",  # the agreement board
    ],
    # 04's unrevealed activity (the 360) holds numbers only: test_unrevealed_activities_draw_nothing covers it
}
#: The participants' names among them: a report made without --names shows none.
NAMES = {"Oskari", "Riikka"}
#: Texts of revealed walls: every view shows them.
REVEALED_TEXTS = {
    "01_tilannekuva": "Tunnemme toisemme nimeltä, joten on helppo soittaa",
    "02_tavoitteet": "Nuori saa tarvitsemansa tuen yhdeltä luukulta viikon sisällä",
    "04_arviointi": "Verkosto, jossa nuori ei putoa palveluiden väliin",
}
#: What only a drawn result contains: a chart, a table, a canvas card, a board's progress, a download.
RESULT_MARKS = ("vt-chart", "<table", "<svg", "vt-canvas-card", "vt-progress", "vt-download")
#: The facilitator's tools, by the names their buttons and forms carry.
TOOL_TEXTS = [TR(f"action_{a}") for a in ("open", "close", "reveal", "hide", "reset")] + [
    TR("words_show"), TR("board_edit_title"), TR("map_merge_title"), TR("map_export_graphml"), TR("session_close"),
]
_ACTIVITY_CELL = re.compile(r'wb\.activity\("([^"]+)"\)')


@dataclass
class Page:
    """One rendered workbook page: what each code cell sent to the browser."""

    cells: dict[str, str]  # "header" or the activity id -> everything the cell rendered
    wb: Workbook

    @property
    def html(self) -> str:
        return "\n".join(self.cells.values())


def _strings(obj, out: list[str], seen: set[int]) -> None:
    """Every string a browser would receive from ``obj``: a widget's synced state (children
    included, hidden ones too), a display object's data, nested lists and dicts."""
    if isinstance(obj, W.Widget):
        if id(obj) in seen:
            return
        seen.add(id(obj))
        for name in obj.keys:
            if name in ("_esm", "_css") or name.startswith(("_model_", "_view_")):
                continue  # the widget's code and its type, the same for every page
            _strings(getattr(obj, name), out, seen)
    elif isinstance(obj, str):
        out.append(obj)
    elif isinstance(obj, dict):
        for k, v in obj.items():
            _strings(k, out, seen)
            _strings(v, out, seen)
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            _strings(v, out, seen)
    elif hasattr(obj, "data"):  # IPython's HTML, SVG
        _strings(obj.data, out, seen)


def _query(role: str | None, key: str, right_key: str) -> dict[str, str]:
    query = {"session": DEMO_CODE}
    if role:
        query["role"] = role
    if key != "none":
        query["key"] = right_key if key == "right" else "vaara-avain-123"
    return query


def render(workbook: str, query: dict[str, str], db_url: str, home: Path) -> Page:
    """Run the workbook's code cells as a Voila kernel would for a URL with ``query``."""
    env = {"QUERY_STRING": urlencode(query), "VERTAISET_DB_URL": db_url, "VERTAISET_HOME": str(home)}
    runs, namespace = run_notebook_here(ROOT / "workbooks" / f"{workbook}.ipynb", env=env)
    cells: dict[str, str] = {}
    for run in runs:
        if "parameters" in run.tags:
            continue
        out: list[str] = []
        seen: set[int] = set()
        for output in run.displayed:
            _strings(output.data, out, seen)
        _strings(run.value, out, seen)
        match = _ACTIVITY_CELL.search(run.source)
        name = match.group(1) if match else "header" if "wb.header()" in run.source else f"cell-{len(cells)}"
        cells[name] = "\n".join(out)
    wb = namespace["wb"]
    wb.store.close()
    return Page(cells, wb)


# --------------------------------------------------------------------------- the demo, in a known state
@pytest.fixture(scope="module")
def demo_state(tmp_path_factory):
    """The demo session, closed at the end of the day, with some activities and highlights unrevealed."""
    folder = tmp_path_factory.mktemp("access")
    url = f"sqlite:///{folder / 'store.sqlite'}"
    store = SessionStore(url)
    session, key = seed_demo(store, CONTENT)
    for activity in HIDDEN:
        store.set_activity_state(session.id, activity, is_revealed=False)
    for activity, text in MODERATED.values():
        item = next(h.item for h in read_wall(store, session.id, activity) if h.text == text)
        store.moderate(session.id, activity, item, "hide")
    store.set_session_open(session.id, False)  # `session close`: the results must stay as guarded
    walls = {a: [h.text for h in read_wall(store, session.id, a)] for a in HIDDEN if CONTENT.activity(a).kind == "highlights"}
    store.close()
    return url, key, folder, walls


@pytest.fixture(scope="module")
def pages(demo_state):
    """Each workbook × role × key, rendered once on first use."""
    url, key, folder, _walls = demo_state
    made: dict[tuple, Page] = {}

    def get(workbook: str, role: str | None, key_kind: str) -> Page:
        if (workbook, role, key_kind) not in made:
            made[workbook, role, key_kind] = render(workbook, _query(role, key_kind, key), url, folder / "home")
        return made[workbook, role, key_kind]

    return get


def _trusted(role: str | None, key: str) -> bool:
    return key == "right" and role in ("facilitator", None)


def _full_report(role: str | None, key: str) -> bool:
    return key == "right" and role == "report"


MATRIX = [(w, r, k) for w in WORKBOOKS for r in ROLES for k in KEYS]
IDS = [f"{w[:2]}-{r or 'norole'}-{k}key" for w, r, k in MATRIX]
TEXT_MATRIX = [case for case in MATRIX if case[0] in UNREVEALED_TEXTS]


# --------------------------------------------------------------------------- the matrix
@pytest.mark.parametrize(("workbook", "role", "key"), TEXT_MATRIX, ids=[IDS[MATRIX.index(c)] for c in TEXT_MATRIX])
def test_unrevealed_texts_only_with_the_key(pages, workbook, role, key):
    """Names, organisations and free texts of unrevealed activities reach the page only with the key."""
    page = pages(workbook, role, key)
    expected = _trusted(role, key) or _full_report(role, key)
    # a report (served with the key, or made by `vertaiset report`) names no one: names only on the console
    wanted = {text: _trusted(role, key) if text in NAMES else expected for text in UNREVEALED_TEXTS[workbook]}
    assert {text: text in page.html for text in UNREVEALED_TEXTS[workbook]} == wanted


@pytest.mark.parametrize(("workbook", "role", "key"), MATRIX, ids=IDS)
def test_hidden_highlights_only_on_the_facilitators_console(pages, workbook, role, key):
    """A highlight hidden on a revealed wall is on the keyed console (to be shown again), on no other page."""
    page = pages(workbook, role, key)
    activity, text = MODERATED[workbook]
    assert (text in page.cells[activity]) == _trusted(role, key)


@pytest.mark.parametrize(("workbook", "role", "key"), MATRIX, ids=IDS)
def test_unrevealed_activities_draw_nothing(demo_state, pages, workbook, role, key):
    """An unrevealed activity draws its charts, tables and highlights only with the key; otherwise it says they come later."""
    walls = demo_state[3]
    page = pages(workbook, role, key)
    hidden = [a for a in page.cells if a in HIDDEN]
    assert hidden, "every workbook runs an unrevealed activity here"
    for activity in hidden:
        cell = page.cells[activity]
        drawn = [m for m in RESULT_MARKS if m in cell] + [t for t in walls.get(activity, []) if t in cell]
        if _trusted(role, key) or _full_report(role, key):
            assert drawn, activity
        else:
            assert drawn == [], (activity, drawn)
            assert TR("results_hidden") in cell, activity


@pytest.mark.parametrize(("workbook", "role", "key"), MATRIX, ids=IDS)
def test_revealed_results_reach_every_view(pages, workbook, role, key):
    """What is revealed is on every page, with or without the key."""
    assert REVEALED_TEXTS[workbook] in pages(workbook, role, key).html


@pytest.mark.parametrize(("workbook", "role", "key"), MATRIX, ids=IDS)
def test_facilitator_tools_only_with_the_key(pages, workbook, role, key):
    """Controls, the word summary, moderation, board editing, map merging and downloads need the key."""
    page = pages(workbook, role, key)
    present = [t for t in TOOL_TEXTS if t in page.html]
    if _trusted(role, key):
        assert TR("action_reveal") in present and TR("words_show") in present
        if workbook == "01_tilannekuva":
            assert TR("map_merge_title") in present and TR("map_export_graphml") in present
        if workbook == "02_tavoitteet":
            assert TR("board_edit_title") in present
    else:
        assert present == []
        assert all(c.wall.mode == "screen" for c in page.wb._consoles if hasattr(c, "wall"))


@pytest.mark.parametrize(("workbook", "role", "key"), MATRIX, ids=IDS)
def test_the_page_says_why_it_shows_less(pages, workbook, role, key):
    """A missing or wrong key is named on the page (a wrong one as such); the screen and the keyed pages need no word."""
    header = pages(workbook, role, key).cells["header"]
    messages = {m: TR(m) in header for m in ("no_key", "wrong_key", "report_needs_key")}
    if role == "screen" or key == "right":
        expected = None
    elif key == "wrong":
        expected = "wrong_key"
    else:
        expected = "report_needs_key" if role == "report" else "no_key"
    assert [m for m, shown in messages.items() if shown] == ([expected] if expected else [])


def test_url_without_query_is_not_the_report(demo_state):
    """A workbook's bare URL (no query at all) is the keyless view, never the notebook's own role="report"."""
    url, _key, folder, _walls = demo_state
    page = render("01_tilannekuva", {}, url, folder / "home")
    assert TR("no_key") in page.cells["header"]
    assert [t for t in UNREVEALED_TEXTS["01_tilannekuva"] if t in page.html] == []


def test_word_summary_needs_the_key(demo_state):
    """Asking a keyless console for the word summary of an unrevealed wall draws nothing."""
    from vertaiset_widgets.config import PageParams

    store = SessionStore(demo_state[0])
    try:
        for key, drawn in (("", False), (demo_state[1], True)):
            wb = Workbook(PageParams(session=DEMO_CODE, key=key), content=CONTENT, store=store, notebook="01_tilannekuva.ipynb")
            console = wb.activity("verkostot_nyt")
            console.show_words()
            assert ("vt-chart" in console._words.value) == drawn, key
    finally:
        store.close()


# --------------------------------------------------------------------------- the check-in, revealed
@pytest.fixture
def checked_in(store):
    """A session whose check-in (names, organisations, expectations) is revealed."""
    session, key = store.create_session("Paja", network="Verkosto")
    for n, (name, org) in enumerate([("Sirkka Salo", "Kela"), ("Pekka Puu", "Setlementti")]):
        person = store.join(session.id, f"token-checkin-{n:04d}")
        store.submit(person, "kuulumiset", [
            AnswerInput("nimi", "", value_text=name), AnswerInput("organisaatio", "", value_text=org),
            AnswerInput("sektori", "", value_text="julkinen"), AnswerInput("odotus", "", value_text=f"Odotan {n} paljon"),
        ], submission_id=f"checkin-{n}", require_open=False)
    store.set_activity_state(session.id, "kuulumiset", is_revealed=True)
    return session, key


def _decoded(block: str) -> str:
    """A block with its charts decoded; the SVG renderer numbers clip paths anew on every chart."""
    def svg(match: re.Match) -> str:
        return re.sub(r"clip\d+", "clip", base64.b64decode(match.group(1)).decode("utf-8"))

    return re.sub(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)", svg, block)


def _checkin_blocks(store, session, query: dict[str, str]) -> list[str]:
    """The check-in's drawn blocks on the page the URL ``query`` asks for."""
    from vertaiset_widgets.config import PageParams

    params = PageParams.from_notebook(session="", role="report", query=urlencode({"session": session.code, **query}))
    console = Workbook(params, content=CONTENT, store=store, notebook="01_tilannekuva.ipynb").activity("kuulumiset")
    assert isinstance(console, BlocksConsole)
    return [_decoded(w.value) for w in console._box.children]


@pytest.mark.parametrize("query", [{}, {"role": "facilitator"}, {"role": "report"}, {"role": "report", "key": "vaara-avain-123"}],
                         ids=["norole", "facilitator", "report", "report-wrongkey"])
def test_revealed_checkin_without_key_is_exactly_the_screen(store, checked_in, query):
    """Without the key a revealed check-in shows exactly what the room's screen shows (names, not expectations)."""
    session, _key = checked_in
    with pytest.MonkeyPatch.context() as mp:  # the projector draws its charts' text larger: compare the content
        mp.setattr(chart_render, "PRESENTER_TEXT_SCALE", 1.0)
        screen = _checkin_blocks(store, session, {"role": "screen"})
    assert "Sirkka Salo" in "".join(screen) and "Odotan" not in "".join(screen)
    assert _checkin_blocks(store, session, query) == screen


def test_revealed_checkin_with_key_shows_the_facilitator_everything(store, checked_in):
    """With the key the facilitator also gets the table of who is here and the expectations."""
    session, key = checked_in
    blocks = "".join(_checkin_blocks(store, session, {"key": key}))
    assert "Odotan 1 paljon" in blocks and "<table" in blocks


# --------------------------------------------------------------------------- papermill and the CLI
def test_report_without_voila_needs_no_key(demo_state):
    """Outside Voila (papermill, the CLI: no QUERY_STRING) role=report is the full report."""
    url = demo_state[0]
    assert "QUERY_STRING" not in os.environ and "VOILA_PREHEAT" not in os.environ
    wb = Workbook.open(session=DEMO_CODE, role="report", db_url=url, notebook="01_tilannekuva.ipynb")
    try:
        assert wb.role == "report" and wb.view == "report" and wb.problem is None
    finally:
        wb.store.close()


def test_preheated_kernel_is_a_served_page(demo_state, monkeypatch):
    """A preheated Voila kernel (no QUERY_STRING yet) never falls back to the notebook's role="report"."""
    url = demo_state[0]
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    wb = Workbook.open(session=DEMO_CODE, role="report", db_url=url, notebook="01_tilannekuva.ipynb")
    try:
        assert wb.view == "screen" and wb.problem == TR("no_key")
    finally:
        wb.store.close()


# --------------------------------------------------------------------------- a real browser
@pytest.mark.browser
@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"browser tests need Chromium at {CHROMIUM}")
def test_keyless_report_link_in_a_browser(demo_state, tmp_path):
    """On real Voila, ?session=DEMO&role=report without a key shows no unrevealed name or text."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    url, _key, folder, _walls = demo_state
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("VERTAISET_HOME", str(folder / "home"))
        server = VoilaServer(url, free_port(), tmp_path / "voila.log")
    try:
        with playwright_api.sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1366, "height": 900})
            open_showing(page, server.url("01_tilannekuva.ipynb", session=DEMO_CODE, role="report"), TR("report_needs_key"), server)
            # the revealed wall is drawn after the page is up: by then every result is on the page
            page.get_by_text(REVEALED_TEXTS["01_tilannekuva"]).wait_for(timeout=60_000)
            if os.environ.get("VERTAISET_SHOTS"):
                page.screenshot(path=str(Path(os.environ["VERTAISET_SHOTS"]) / "report-without-key.png"))
            content = page.content()
            text = page.locator("body").inner_text()
            browser.close()
    finally:
        server.stop()
    for word in UNREVEALED_TEXTS["01_tilannekuva"] + [MODERATED["01_tilannekuva"][1]]:
        assert word not in content and word not in text, word

"""The Puimala workbook: the facilitator's process console, the room's screen with the notes, and
the report, on the demo's Muutospuimala and on an empty Puimala. Widgets are driven through
ipywidgets' own comm path; the workbook runs with papermill once per role."""
from __future__ import annotations

import html
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from conftest import ROOT, browser_sends, submittable_forms
from vertaiset_widgets.config import PageParams
from vertaiset_widgets.demo_puimala import _FEEDBACK, _NOTES, _PEOPLE, PUIMALA_CODE, seed_puimala
from vertaiset_widgets.i18n import Translator
from vertaiset_widgets.puimala_console import Puimala
from vertaiset_widgets.workbook import Workbook

NOTEBOOK = "puimala.ipynb"


def _wb(store, content, code, role="facilitator", key="", lang="fi"):
    return Workbook(PageParams(session=code, role=role, key=key, lang=lang), content=content, store=store, notebook=NOTEBOOK)


@pytest.fixture
def demo_puimala(store, content):
    """The demo's Muutospuimala and a fresh facilitator key for it."""
    seed_puimala(store, content)
    return store.get_session(PUIMALA_CODE), store.set_key(PUIMALA_CODE)


@pytest.fixture
def empty_puimala(store):
    """A new session, made a Puimala with nothing in it yet, and its key."""
    session, key = store.create_session("Tyhjä puimala", held_on=datetime.now().date() + timedelta(days=30))
    store.set_puimala(session.id)
    return session, key


def _steps(widget) -> dict[str, str]:
    """The process's steps by number: their status text."""
    found = re.findall(r"data-vt-step='([0-9a-z]+)'.*?<span class='vt-pm-status'>(.*?)</span>", widget.value)
    return {number: html.unescape(status).removeprefix("✓ ") for number, status in found}


def _update(widget, **state) -> None:
    """The browser changes a widget's value (an update message through the comm path)."""
    widget._handle_msg({"content": {"data": {"method": "update", "state": state}}, "buffers": []})


def _click(button) -> None:
    browser_sends(button, {"event": "click"})


def _form(widgets, title_key, tr):
    return next(f for f in submittable_forms(widgets) if f.texts.get("title") == tr(title_key))


def test_process_shows_the_demo_puimalas_eight_steps(store, content, demo_puimala):
    """The demo's process: every step 1a–8 with the status the store gives it."""
    session, key = demo_puimala
    pm = Puimala(_wb(store, content, session.code, key=key))
    steps = _steps(pm.process())
    tr = Translator.create(content, "fi")
    assert list(steps) == ["1a", "1b", "2", "3", "4", "5", "6", "7", "8"]
    assert steps["1a"] == tr("pm_st_stories", n=3)
    assert steps["1b"] == tr("pm_st_facts", texts=2, links=1, files=1)
    assert steps["2"] == tr("pm_st_invite")
    assert steps["3"].startswith(tr("pm_st_registered", n=12))
    assert steps["4"].startswith(tr("pm_st_forum_held", date="28.5.2008"))
    assert steps["5"].startswith(tr("pm_st_notes", n=sum(1 for n in _NOTES if n)))
    assert steps["6"] == tr("pm_st_feedback_closed", date="11.6.2008", n=len(_FEEDBACK))
    assert steps["7"] == tr("pm_st_networks", n=2)
    assert steps["8"] == tr("pm_st_municipal", n=3)


def test_process_of_an_empty_puimala(store, content, empty_puimala):
    """An empty Puimala says what is still missing at every step."""
    session, key = empty_puimala
    steps = _steps(Puimala(_wb(store, content, session.code, key=key)).process())
    tr = Translator.create(content, "fi")
    assert steps == {
        "1a": tr("pm_st_stories_none"), "1b": tr("pm_st_facts_none"), "2": tr("pm_st_invite"),
        "3": tr("pm_st_registered", n=0),
        "4": f"{tr('pm_st_forum_planned', date=f'{session.held_on.day}.{session.held_on.month}.{session.held_on.year}')} · {tr('pm_mode_live')}",
        "5": tr("pm_st_notes_none"), "6": tr("pm_st_feedback_none"), "7": tr("pm_st_peers_none"), "8": tr("pm_st_peers_none"),
    }


def test_nothing_without_the_key(store, content, demo_puimala):
    """A facilitator's page without the key shows none of the Puimala's tools or words."""
    session, _key = demo_puimala
    pm = Puimala(_wb(store, content, session.code, key="wrong"))
    assert [pm.process(), pm.prework(), pm.forum(), pm.postwork(), pm.outcome()] == [None] * 5


def test_opening_the_console_leaves_a_session_as_it_is(store, content):
    """A facilitator who opens the Puimala on a session makes it a Puimala only with a first change."""
    session, key = store.create_session("Tavallinen työpaja")
    pm = Puimala(_wb(store, content, session.code, key=key))
    assert pm.process() is not None and pm.prework() is not None and pm.postwork() is not None
    assert store.puimala(session.id) is None
    browser_sends(_form([pm.prework()], "pm_material_add_title", pm.tr), {"type": "submit", "sid": "material-0003", "value": {
        "kind": "fact", "title": "Luvut", "body": "48 000 asukasta", "url": ""}})
    assert store.puimala(session.id) is not None


def test_a_live_console_opens_the_stage_of_today_and_makes_the_others_when_opened(store, content, empty_puimala):
    """On a live console (an event loop runs) the stage the Puimala is in comes up open with its tools;
    the others are folded to their titles and have no tools until the facilitator first opens them.
    The Puimala is a month away, so its stage is the pre-work."""
    import asyncio

    from IPython.utils.capture import capture_output

    session, key = empty_puimala

    async def live() -> tuple:
        with capture_output():
            pm = Puimala(_wb(store, content, session.code, key=key))
            stages = [pm.prework(), pm.forum(), pm.postwork()]
        folds = [(box.children[0].title, box.children[0].expanded, len(box.children[1].children)) for box in stages]
        made_before = hasattr(pm, "post")
        stages[2].children[0].expanded = True  # the facilitator opens the post-work
        return folds, made_before, hasattr(pm, "post"), submittable_forms([stages[2]])

    folds, made_before, made_after, forms = asyncio.run(live())
    tr = Translator(content, "fi")
    assert [(t, e, n > 0) for t, e, n in folds] == [(tr("pm_stage_ennakkopuinti"), True, True),
                                                   (tr("pm_stage_puinti"), False, False),
                                                   (tr("pm_stage_jalkipuinti"), False, False)]
    assert not made_before and made_after and forms  # its forms exist once it is opened


def _send_file(upload, name: str, data: bytes) -> None:
    """The browser sends a chosen file: its bytes travel as a binary buffer."""
    upload._handle_msg({"content": {"data": {"method": "update", "buffer_paths": [["value", 0, "content"]], "state": {
        "value": [{"name": name, "type": "application/octet-stream", "size": len(data), "last_modified": 0}]}}},
        "buffers": [memoryview(data)]})


def test_a_rejected_file_says_why_and_stores_nothing(store, content, empty_puimala):
    """A file of a wrong type or over 5 MB shows the message on the page; the material stays empty."""
    session, key = empty_puimala
    pm = Puimala(_wb(store, content, session.code, key=key))
    pm.prework()
    tr = pm.tr
    _send_file(pm.upload, "ohjelma.exe", b"MZ\x90\x00")
    assert html.escape(tr("pm_error_type")) in pm.upload_status.value and "role='alert'" in pm.upload_status.value
    _send_file(pm.upload, "iso.txt", b"a" * (5 * 1024 * 1024 + 1))
    assert html.escape(tr("pm_error_size")) in pm.upload_status.value
    assert store.materials(session.id) == []
    _send_file(pm.upload, "muistio.txt", "Muistio <b>tärkeä</b>".encode())
    assert [(m.kind, m.filename) for m in store.materials(session.id)] == [("file", "muistio.txt")]
    assert "muistio.txt" in pm.materials_view.value


def test_material_added_and_withdrawn_through_the_forms(store, content, empty_puimala):
    """A story typed on the console lands in the store, shown as text, and can be withdrawn."""
    session, key = empty_puimala
    pm = Puimala(_wb(store, content, session.code, key=key))
    section = pm.prework()
    tr = pm.tr
    add = _form([section], "pm_material_add_title", tr)
    browser_sends(add, {"type": "submit", "sid": "material-0001", "value": {"kind": "story", "title": "<i>Tarina</i>",
                                                                               "body": "Näin kävi.", "url": ""}})
    assert [m.title for m in store.materials(session.id)] == ["<i>Tarina</i>"]
    assert "&lt;i&gt;Tarina&lt;/i&gt;" in pm.materials_view.value and "<i>Tarina" not in pm.materials_view.value
    browser_sends(add, {"type": "submit", "sid": "material-0002", "value": {"kind": "link", "title": "Linkki",
                                                                               "body": "", "url": "javascript:alert(1)"}})
    assert add.status_kind == "error" and len(store.materials(session.id)) == 1
    withdraw = _form([section], "pm_withdraw_title", tr)
    material = store.materials(session.id)[0]
    browser_sends(withdraw, {"type": "submit", "sid": "withdraw-0001", "value": {"material": str(material.id)}})
    assert store.materials(session.id) == []


def test_the_prework_window_opens_the_chosen_activities(store, content, empty_puimala):
    """The window set on the console opens the ticked activities now, and only them."""
    session, key = empty_puimala
    pm = Puimala(_wb(store, content, session.code, key=key))
    section = pm.prework()
    assert list(pm.prework_boxes) == ["puimala_360", "puimala_kysymykset", "puimala_nostot", "puimala_eteenpain"]
    _update(pm.prework_boxes["puimala_360"], value=True)
    _update(pm.prework_boxes["puimala_kysymykset"], value=True)
    now = datetime.now().astimezone()
    opens, closes = now - timedelta(days=1), now + timedelta(days=2)
    window = _form([section], "pm_window_when", pm.tr)
    browser_sends(window, {"type": "submit", "sid": "window-00001", "value": {
        "opens_day": opens.date().isoformat(), "opens_time": "8.00", "closes_day": closes.date().isoformat(),
        "closes_time": "16.00", "mode": "online"}})
    assert window.status_kind == "ok", window.status
    info = store.puimala(session.id)
    assert info.prework_activities == ("puimala_360", "puimala_kysymykset") and info.mode == "online"
    states = store.activity_states(session.id)
    assert {a for a, s in states.items() if s.is_open} == {"puimala_360", "puimala_kysymykset"}
    browser_sends(window, {"type": "submit", "sid": "window-00002", "value": {
        "opens_day": closes.date().isoformat(), "opens_time": "", "closes_day": opens.date().isoformat(),
        "closes_time": "", "mode": "live"}})
    assert window.status_kind == "error"  # closing before opening is refused, in words


def test_notes_show_on_the_console_and_with_the_toggle_on_the_screen(store, content, demo_puimala):
    """Notes written by the note-taker appear on the console; the screen shows the running block's
    notes only once the facilitator puts them there."""
    session, key = demo_puimala
    console = Puimala(_wb(store, content, session.code, key=key))
    console.forum()
    screen = Puimala(_wb(store, content, session.code, role="screen"))
    shown = screen.forum()
    blocks = store.agenda_blocks(session.id)
    store.start_block(session.id, blocks[2].position)
    store.write_notes(session.id, blocks[2].key, "Uusi huomio <script>x()</script>")
    console.refresh()
    screen.refresh()
    assert "Uusi huomio &lt;script&gt;x()&lt;/script&gt;" in console.notes_view.value
    assert shown.layout.display == "none" and shown.value == ""
    assert console.screen_toggle.description == console.tr("pm_notes_on_screen")
    _update(console.screen_toggle, value=True)
    assert store.puimala(session.id).notes_on_screen
    screen.refresh()
    assert shown.layout.display is None
    assert "Uusi huomio &lt;script&gt;" in shown.value and "<script>x" not in shown.value
    _update(console.screen_toggle, value=False)
    screen.refresh()
    assert shown.layout.display == "none"


def test_moderation_hides_a_comment_from_the_public(store, content, demo_puimala):
    """Hide on the console takes a comment out of the public list; show brings it back."""
    session, key = demo_puimala
    pm = Puimala(_wb(store, content, session.code, key=key))
    pm.postwork()
    target = next(f for f in store.feedback(session.id) if f.body.startswith("Milloin"))
    row = next(r for r in pm.post.feedback_list.children if f"data-vt-feedback='{target.id}'" in r.children[0].value)
    hide = next(b for b in row.children[1:] if b.description.startswith(pm.tr("pm_fb_hide")))
    _click(hide)
    assert target.id not in {f.id for f in store.feedback(session.id, public=True)}
    assert pm.tr("pm_feedback_counts", total=9, visible=7, hidden=2, waiting=0) in html.unescape(pm.post.counts.value)
    row = next(r for r in pm.post.feedback_list.children if f"data-vt-feedback='{target.id}'" in r.children[0].value)
    _click(next(b for b in row.children[1:] if b.description.startswith(pm.tr("pm_fb_show"))))
    assert target.id in {f.id for f in store.feedback(session.id, public=True)}


def test_peers_and_the_mail_link(store, content, empty_puimala):
    """A peer added on the console is on the list and in the mail link; a nameless one is refused."""
    session, key = empty_puimala
    pm = Puimala(_wb(store, content, session.code, key=key))
    pm.postwork()
    add = pm.post.peer_form
    browser_sends(add, {"type": "submit", "sid": "peer-000001", "value": {"name": "Kuntaverkosto", "kind": "municipal",
                                                                            "contact": "kunta@example.org"}})
    browser_sends(add, {"type": "submit", "sid": "peer-000002", "value": {"name": "", "kind": "network", "contact": ""}})
    assert add.status_kind == "error"
    assert store.puimala(session.id).peers == ({"name": "Kuntaverkosto", "kind": "municipal", "contact": "kunta@example.org"},)
    assert pm.post.mail_link().startswith("mailto:kunta@example.org?subject=")
    assert "mailto:kunta@example.org" in pm.post.peers_view.value


# --------------------------------------------------------------------------- the workbook in every role
@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """puimala.ipynb run with papermill on the demo Puimala: the facilitator with the key, the
    screen, and the report as `vertaiset report PUIMALA` builds it."""
    import papermill

    from vertaiset_widgets.content import load_content
    from vertaiset_widgets.report import build_report
    from vertaiset_widgets.store import SessionStore

    folder = tmp_path_factory.mktemp("puimala")
    url = f"sqlite:///{folder / 'demo.sqlite'}"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("VERTAISET_HOME", str(folder / "home"))
        with SessionStore(url) as store:
            seed_puimala(store, load_content())
            key = store.set_key(PUIMALA_CODE)
        out = {}
        for role, extra in (("facilitator", {"key": key}), ("screen", {})):
            out[role] = papermill.execute_notebook(
                str(ROOT / "workbooks" / NOTEBOOK), None, parameters={"session": PUIMALA_CODE, "role": role, "db_url": url, **extra},
                kernel_name="python3", progress_bar=False, cwd=str(ROOT / "workbooks"), shutdown_kernel="immediate")
        out["report"] = Path(build_report(PUIMALA_CODE, folder / "report", db_url=url)).read_text(encoding="utf-8")
    return out


def _errors(nb) -> list:
    return [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"
            or re.search(r"class=.vt-error", str(o.get("data", {}).get("text/html", "")))]


def test_the_workbook_runs_for_the_facilitator_and_the_screen(runs):
    """The facilitator's and the screen's runs end without an error or a message on the page."""
    assert _errors(runs["facilitator"]) == [] and _errors(runs["screen"]) == []


def test_the_report_follows_the_three_stages(runs, content):
    """The report has the three stages' headings, the notes, the feedback shown, and no nickname."""
    report = runs["report"]
    text = html.unescape(re.sub(r"<[^>]+>", " ", report))
    tr = Translator.create(content, "fi")
    for stage in ("ennakkopuinti", "puinti", "jalkipuinti"):
        assert re.search(rf"<h2[^>]*>\s*{tr('pm_stage_' + stage)}", report), stage
    assert all(note[:40] in text for note in _NOTES if note)
    assert _FEEDBACK[1][1] in text and "example.com" not in text  # the hidden comment stays out
    assert tr("pm_feedback_counts", total=9, visible=8, hidden=1, waiting=0) in text
    assert "Vertaiset-oppimisverkosto" in text
    assert [name for name in _PEOPLE if re.search(rf"\b{name}\b", text)] == []
    assert "Traceback" not in report

"""Kokoussuunnittelija (the meeting planner): the day's plan built through the console's tools,
start times from the day's start, the running block on the phones and the screen, the warning
when the day runs over, the YAML agenda, the migration of an older plan, and the iCalendar export."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import icalendar
import pytest
import sqlalchemy as sa
from conftest import browser_sends

from vertaiset_widgets import kinds
from vertaiset_widgets.config import PageParams
from vertaiset_widgets.content import load_agenda
from vertaiset_widgets.i18n import Translator
from vertaiset_widgets.kinds.meeting_planner.demo import SAMPLE_DAY, seed_plan
from vertaiset_widgets.kinds.meeting_planner.export import agenda_ics
from vertaiset_widgets.kinds.meeting_planner.results import PlannerResults
from vertaiset_widgets.participant import ParticipantPage
from vertaiset_widgets.store import SessionStore
from vertaiset_widgets.store.agenda import AgendaBlock, clock, day_status
from vertaiset_widgets.workbook import Workbook

ACT = "kokoussuunnitelma"
MARKUP = "<img src=x onerror=alert(1)>"


def _console(store: SessionStore, content: Any, code: str, key: str) -> Any:
    wb = Workbook(PageParams(session=code, role="facilitator", key=key), content=content, store=store,
                  notebook="03_koordinointi.ipynb")
    wb.header()
    return wb, wb.activity(ACT)


def _session(store: SessionStore, **kw: Any) -> tuple[Any, str]:
    session, key = store.create_session("Koulutuspäivä", network="YEE", held_on=date(2022, 11, 16), **kw)
    store.set_activity_state(session.id, ACT, is_open=True)
    return session, key


def test_blocks_built_with_the_tools_get_start_times_and_survive_a_new_page(sqlite_url, content):
    """Blocks added through the console's forms (comm path) are stored with start times from the
    day's start; moving and removing renumber them; a new page on the same file shows the same plan."""
    store = SessionStore(sqlite_url)
    session, key = _session(store)
    _wb, console = _console(store, content, session.code, key)
    tools = console.tools
    browser_sends(tools.day_form, {"type": "submit", "value": {"day_start": "8.30"}})
    assert tools.day_form.status_kind == "ok", tools.day_form.status
    for value in (
        {"title": "Avaus", "minutes": "15", "mode": "fasilitointi", "activity": "kuulumiset", "is_break": ""},
        {"title": MARKUP, "minutes": "60", "mode": "", "activity": "", "is_break": "1"},
        {"title": "", "minutes": "45", "mode": "opettaminen", "activity": "arviointi_360", "is_break": ""},
    ):
        browser_sends(tools.add_form, {"type": "submit", "value": value})
        assert tools.add_form.status_kind == "ok", tools.add_form.status
    browser_sends(tools.add_form, {"type": "submit", "value": {"title": "Liian pitkä", "minutes": "kaksi"}})
    assert tools.add_form.status_kind == "error" and "minuutteina" in tools.add_form.status

    blocks = store.agenda_blocks(session.id)
    assert [(b.starts_at, b.ends_at, b.minutes, b.is_break) for b in blocks] == [
        ("8.30", "8.45", 15, False), ("8.45", "9.45", 60, True), ("9.45", "10.30", 45, False)]
    assert (blocks[0].workbook, blocks[0].activity_id, blocks[0].mode) == ("01_tilannekuva.ipynb", "kuulumiset", "fasilitointi")
    assert blocks[2].workbook == "04_arviointi.ipynb" and blocks[2].title is None
    # the old callers step through the activities only: the break has none
    assert store.agenda(session.id) == [("01_tilannekuva.ipynb", "kuulumiset", "8.30"), ("04_arviointi.ipynb", "arviointi_360", "9.45")]

    browser_sends(tools.edit_form, {"type": "submit", "value": {"block": "2", "action": "up"}})
    browser_sends(tools.edit_form, {"type": "submit", "value": {"block": "0", "action": "remove"}})
    assert tools.edit_form.status_kind == "ok", tools.edit_form.status
    store.close()

    again = SessionStore(sqlite_url)  # a new page after a kernel restart
    _wb2, console2 = _console(again, content, session.code, key)
    moved = [(b.starts_at, b.minutes, b.activity_id) for b in again.agenda_blocks(session.id)]
    assert moved == [("8.30", 45, "arviointi_360"), ("9.15", 60, None)]
    options = console2.tools.edit_form.fields[0]["options"]
    assert [o["value"] for o in options] == ["0", "1"] and options[1]["label"] == f"9.15 {MARKUP}"  # set as text by forms.js
    drawn = "".join(w.value for w in console2._box.children)
    assert "data-vt-running" not in drawn and "9.15" in drawn and "10.15" in drawn
    assert MARKUP not in drawn and "&lt;img src=x" in drawn
    again.close()


def test_a_started_block_shows_on_the_phone_header_and_the_screen(store, content):
    """"Aloita seuraava lohko" starts the first block: the phone's header and the screen show its name
    and count it down; while a task's timer runs the phone counts that instead."""
    session, key = _session(store)
    store.set_activity_state(session.id, ACT, is_open=False)  # the header follows the plan without the planner open
    seed_plan(store, session, content)
    phone = ParticipantPage(PageParams(session=session.code), content=content, store=store)
    phone.join_as("token-planner-phone-1")
    phone.refresh()
    assert phone._header.block.value == "" and phone.block_timer.seconds is None
    _wb, console = _console(store, content, session.code, key)
    browser_sends(console.tools.start_next, {"event": "click"})  # the button, through the comm path
    assert store.agenda_blocks(session.id)[0].started_at is not None
    browser_sends(console.tools.start_next, {"event": "click"})  # the next one
    title = SAMPLE_DAY[1][0]["fi"]
    assert day_status(store.agenda_blocks(session.id)).running.position == 1
    assert f"Lohko alkoi: {title}" in console.tools.note.value

    phone.refresh()
    assert title in phone._header.block.value
    assert 24 * 60 <= phone.block_timer.seconds <= 25 * 60 and phone.timer.seconds is None
    store.set_activity_state(session.id, ACT, is_open=True)
    phone.refresh()
    assert phone.shown(ACT)
    plan = phone.kind_panels[ACT]._results.value
    assert "aria-current='true'" in plan and plan.index("aria-current") < plan.index(title) < plan.index("Käynnissä")

    screen = Workbook(PageParams(session=session.code, role="screen"), content=content, store=store)
    presenter = screen.header()
    assert presenter.block_bar.layout.display is None and title in presenter._block.value
    assert 24 * 60 <= presenter.block_timer.seconds <= 25 * 60

    store.set_activity_state(session.id, "arviointi_360", is_open=True, timer_seconds=120)
    phone.refresh()
    assert 100 <= phone.timer.seconds <= 120  # the task's timer keeps working
    assert phone.block_timer.seconds is None and title in phone._header.block.value


def test_the_console_warns_when_a_block_and_the_day_run_over(store, content):
    """A 15-minute block started 40 minutes ago: the now bar and the tools say it is 25 min over,
    and the day with it (now + the blocks after it, against the planned end)."""
    now = datetime.now().astimezone()
    if not 1 <= now.hour < 22:
        pytest.skip("the day's arithmetic here needs a day that does not cross midnight")
    session, key = _session(store)
    start = clock(now.hour * 60 + now.minute - 40)
    store.set_agenda_blocks(session.id, [AgendaBlock(0, 15, title="Avaus"), AgendaBlock(0, 30, title="Keskustelu")],
                            day_start=start)
    store.start_block(session.id, 0, at=now.astimezone(timezone.utc) - timedelta(minutes=40))
    status = day_status(store.agenda_blocks(session.id))
    assert status.block_over_minutes == 25 and status.day_over_minutes == 25
    wb, console = _console(store, content, session.code, key)
    bar = wb.now_bar.day.value
    assert "data-vt-day-over='25'" in bar and "Päivä venyy 25 min" in bar and "ylittänyt aikansa 25 min" in bar
    assert "data-vt-day-over='25'" in console.tools.status.value
    store.start_block(session.id, 1)  # the next block starts now: within its time, the day still late
    wb.now_bar.update_day(read=True)
    bar = wb.now_bar.day.value
    assert "data-vt-block-over='0'" in bar and "ylittänyt" not in bar and "Päivä venyy 25 min" in bar


def test_a_yaml_agenda_becomes_blocks_that_run_to_the_next_time(store, content):
    """`session new --agenda yee` (store.set_agenda): the old plan as before, each item a block that
    lasts until the next item's time, and the presenter's and now bar's plan unchanged."""
    session, key = _session(store)
    agenda = load_agenda("yee", content)
    store.set_agenda(session.id, [(i.workbook, i.activity, i.time) for i in agenda.items])
    assert store.agenda(session.id) == [(i.workbook, i.activity, i.time) for i in agenda.items]
    blocks = store.agenda_blocks(session.id)
    assert [(b.starts_at, b.minutes) for b in blocks[:2]] == [("9.00", 15), ("9.15", 25)]
    assert blocks[4].minutes == 100 and blocks[5].starts_at == "12.30"  # lunch is inside the gap
    assert [b.starts_at for b in blocks] == [i.time for i in agenda.items]
    wb, _console_ = _console(store, content, session.code, key)
    assert [w for w, _a, _t in wb.now_bar._plan()][:1] == ["01_tilannekuva.ipynb"]


def test_a_plan_stored_before_the_blocks_migrates(db_url):
    """A database at 0008 with a plan opens at the newest revision: the plan keeps its items, and
    blocks without an activity can be stored (SQLite and PostgreSQL)."""
    from alembic import command
    from alembic.config import Config

    import vertaiset_widgets

    old = SessionStore(db_url, migrate=False)
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(vertaiset_widgets.__file__).parent / "migrations"))
    with old.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0008_revealed_at")
    with old.engine.begin() as conn:
        at = datetime(2026, 4, 1, 10, tzinfo=timezone.utc)
        conn.execute(sa.text("INSERT INTO networks (name, created_at) VALUES ('Kevät', :at)"), {"at": at})
        conn.execute(sa.text(
            "INSERT INTO sessions (network_id, code, title, held_on, lang, key_hash, is_open, revision, created_at) "
            "VALUES (1, 'SPRING', 'Kevätpaja', :day, 'fi', 'x', TRUE, 1, :at)"), {"day": date(2026, 4, 1), "at": at})
        for i, (act, when) in enumerate([("arviointi_360", "9.00"), ("unelmaverkosto", "9.40")]):
            conn.execute(sa.text("INSERT INTO agenda_items (session_id, position, workbook, activity_id, starts_at) "
                                 "VALUES (1, :i, '04_arviointi.ipynb', :a, :t)"), {"i": i, "a": act, "t": when})
    old.close()
    store = SessionStore(db_url)
    try:
        session = store.get_session("SPRING")
        assert store.agenda(session.id) == [("04_arviointi.ipynb", "arviointi_360", "9.00"),
                                            ("04_arviointi.ipynb", "unelmaverkosto", "9.40")]
        assert [(b.minutes, b.is_break, b.started_at) for b in store.agenda_blocks(session.id)] == [(40, False, None), (30, False, None)]
        blocks = [*store.agenda_blocks(session.id), AgendaBlock(0, 20, title="Tauko", is_break=True)]
        store.set_agenda_blocks(session.id, blocks)
        store.start_block(session.id, 2)
        last = store.agenda_blocks(session.id)[-1]
        assert (last.starts_at, last.activity_id, last.is_break, last.started_at is not None) == ("10.10", None, True, True)
    finally:
        store.close()


def test_the_plan_exports_as_icalendar_with_stable_uids_and_prints_in_the_report(store, content):
    """The sample day as .ics: one event per block on the session's date from 9.00 to 16.00, the same
    UIDs on a second export; the report's table lists start, end, block, mode and activity."""
    session, _key = _session(store)
    seed_plan(store, session, content)
    text = agenda_ics(store, session, "fi")
    events = icalendar.Calendar.from_ical(text).walk("VEVENT")
    assert len(events) == len(SAMPLE_DAY) == 14
    assert events[0].decoded("dtstart") == datetime(2022, 11, 16, 9, 0)
    assert events[-1].decoded("dtend") == datetime(2022, 11, 16, 16, 0)
    assert str(events[5]["summary"]) == "Lounas" and str(events[5]["transp"]) == "TRANSPARENT"
    uids = [str(e["uid"]) for e in events]
    assert len(set(uids)) == 14
    tr = Translator.create(content, "en")
    activity = content.activity(ACT)
    again = kinds.get("meeting_planner").file_export("agenda-ics")(store, session, activity, tr)
    assert [str(e["uid"]) for e in icalendar.Calendar.from_ical(again).walk("VEVENT")] == uids
    # a block moved in the plan keeps its UID: the calendar moves the event instead of adding one
    blocks = store.agenda_blocks(session.id)
    blocks[0], blocks[1] = blocks[1], blocks[0]
    store.set_agenda_blocks(session.id, blocks, day_start="9.00")
    moved = icalendar.Calendar.from_ical(agenda_ics(store, session, "fi")).walk("VEVENT")
    assert {str(e["summary"]): str(e["uid"]) for e in moved} == {str(e["summary"]): str(e["uid"]) for e in events}
    assert str(moved[0]["summary"]) != str(events[0]["summary"])

    report = dict(PlannerResults.load(store, session, activity, Translator.create(content, "fi")).blocks("report"))["plan"]
    for word in ("<th scope=\"col\">Alkaa", "9.00", "16.00", "Lounas", "Fasilitointi", "Verkostokartta", "Unelmiemme verkosto"):
        assert word.replace("<th scope=\"col\">", "") in report, word
    assert report.count("<tr") == 15

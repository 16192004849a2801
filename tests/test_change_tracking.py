"""Change tracking per activity: every write marks what it changed, and the pages redraw only that.

Real parts only: a real store (SQLite, and PostgreSQL through ``db_url``), real participant pages
and consoles driven through ipywidgets' comm path, and the messages the widgets send recorded by a
real ``comm`` object (what a phone's browser would receive).
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import comm
import pytest
import sqlalchemy as sa
from comm.base_comm import BaseComm
from conftest import browser_sends
from sqlalchemy import event

from vertaiset_widgets import schema
from vertaiset_widgets.config import PageParams
from vertaiset_widgets.participant import ParticipantPage
from vertaiset_widgets.store import PEOPLE_KEY, SESSION_KEY, AnswerInput, SessionStore
from vertaiset_widgets.workbook import Workbook
from vertaiset_widgets.kinds.highlights.wall import post_highlight

WALL_A, WALL_B = "verkostot_nyt", "verkostojen_vahvistaminen"
MAP = "verkostokartta"
CHOICE_X, CHOICE_Y = "verkostotyyppi", "verkostotyon_tasot"


@pytest.fixture
def sent(monkeypatch):
    """Every message the widgets made from now on send to the browser: ``(model id, type, data)``."""
    log: list[tuple[str, str, dict]] = []

    class RecordingComm(BaseComm):
        def publish_msg(self, msg_type, data=None, metadata=None, buffers=None, **keys):
            log.append((self.comm_id, msg_type, data or {}))

    monkeypatch.setattr(comm, "create_comm", RecordingComm)
    return log


class Reads:
    """The store's SQL statements that name one of ``activities`` in their parameters, per activity."""

    def __init__(self, store: SessionStore, *activities: str):
        self.engine = store.engine
        self.counts = {a: 0 for a in activities}
        event.listen(self.engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn, _cursor, statement, parameters, _context, _many) -> None:
        values = parameters.values() if isinstance(parameters, dict) else parameters or ()
        for a in self.counts:
            if a in values:
                self.counts[a] += 1

    def stop(self) -> dict[str, int]:
        event.remove(self.engine, "before_cursor_execute", self._seen)
        return self.counts


def _ids(*widgets) -> set[str]:
    """The model ids of these widgets and of every widget inside them."""
    out: set[str] = set()
    todo = list(widgets)
    while todo:
        w = todo.pop()
        if w.model_id in out:
            continue
        out.add(w.model_id)
        todo += [v for v in vars(w).values() if hasattr(v, "model_id") and hasattr(v, "comm")]
        todo += list(getattr(w, "children", ()))
    return out


def _page(store, content, session, token) -> ParticipantPage:
    page = ParticipantPage(PageParams(session=session.code), content=content, store=store)
    page.join_as(token)
    return page


def _revisions(store, session) -> dict[str, int]:
    return store.changes_since(session.id, 0)


# ---------------------------------------------------------------------- the store
def test_a_write_marks_its_activity_only(db_url):
    """An answer to A moves A's revision to the session's new one and leaves B's as it was."""
    store = SessionStore(db_url)
    session, _ = store.create_session("Paja")
    for a in (CHOICE_X, CHOICE_Y):
        store.set_activity_state(session.id, a, is_open=True)
    p = store.join(session.id, "phone-aaaaaaaa")
    before = _revisions(store, session)
    store.submit(p, CHOICE_X, [AnswerInput("verkostomainen", "nyt", value_num=1)], submission_id="s1")
    after, now = _revisions(store, session), store.revision(session.id)
    store.close()
    assert after[CHOICE_X] == now > before[CHOICE_X]
    assert after[CHOICE_Y] == before[CHOICE_Y] and after[PEOPLE_KEY] == before[PEOPLE_KEY]


def test_revision_commits_with_the_write(db_url):
    """When the answer's transaction does not commit, its activity's revision does not move either."""
    store = SessionStore(db_url)
    session, _ = store.create_session("Paja")
    store.set_activity_state(session.id, CHOICE_X, is_open=True)
    p = store.join(session.id, "phone-aaaaaaaa")
    before = (store.revision(session.id), _revisions(store, session))
    writers = set()

    def note(conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith("INSERT INTO ANSWERS"):
            writers.add(conn)

    def refuse(conn):  # only the transaction that stored the answer fails to commit
        if conn in writers:
            raise RuntimeError("the commit fails")

    event.listen(store.engine, "before_cursor_execute", note)
    event.listen(store.engine, "commit", refuse)
    try:
        with pytest.raises(RuntimeError):
            store.submit(p, CHOICE_X, [AnswerInput("verkostomainen", "nyt", value_num=1)], submission_id="s1")
    finally:
        event.remove(store.engine, "commit", refuse)
        event.remove(store.engine, "before_cursor_execute", note)
    assert writers and store.answers(session.id, CHOICE_X) == []
    assert (store.revision(session.id), _revisions(store, session)) == before
    store.close()


def test_session_and_people_have_their_own_keys(store):
    """Opening the session and setting the agenda mark "@session"; joining and profiles mark "@people"."""
    session, _ = store.create_session("Paja")
    store.set_session_open(session.id, False)
    session_mark = store.revision(session.id)
    store.set_agenda(session.id, [("01_tilannekuva.ipynb", CHOICE_X, None)])
    p = store.join(session.id, "phone-aaaaaaaa")
    store.update_profile(p, nickname="Aino", group="A")
    marks = _revisions(store, session)
    assert set(marks) == {SESSION_KEY, PEOPLE_KEY}
    assert session_mark < marks[SESSION_KEY] < marks[PEOPLE_KEY] == store.revision(session.id)


def test_presence_marks_nothing(store):
    """A page noting it is open (presence) changes no revision at all."""
    session, _ = store.create_session("Paja")
    p = store.join(session.id, "phone-aaaaaaaa")
    before = (store.revision(session.id), _revisions(store, session))
    store.touch(p)
    assert (store.revision(session.id), _revisions(store, session)) == before


# ---------------------------------------------------------------------- a participant's page
def test_phone_rereads_only_the_changed_activity(store, content):
    """Another phone's post on wall A: a phone showing walls A and B reads A again, never B."""
    session, _ = store.create_session("Paja")
    for a in (WALL_A, WALL_B):
        store.set_activity_state(session.id, a, is_open=True, is_revealed=True)
    phone = _page(store, content, session, "phone-aaaaaaaa")
    other = _page(store, content, session, "phone-bbbbbbbb")
    phone.refresh()
    browser_sends(other.kind_panels[WALL_A].post_form, {"type": "submit", "value": {"text": "Yhteinen tilannehuone"}})
    reads = Reads(store, WALL_A, WALL_B)
    phone.refresh()
    counts = reads.stop()
    assert [i["text"] for i in phone.kind_panels[WALL_A].wall.items] == ["Yhteinen tilannehuone"]
    assert counts[WALL_A] > 0 and counts[WALL_B] == 0


def test_vote_on_one_wall_sends_nothing_of_the_others(store, content, sent):
    """A +1 on wall A reaches a phone as wall A's update only: nothing of wall B or the map is sent."""
    session, _ = store.create_session("Paja")
    for a in (WALL_A, WALL_B):
        store.set_activity_state(session.id, a, is_open=True, is_revealed=True)
    store.set_activity_state(session.id, WALL_B, timer_seconds=300)
    store.set_activity_state(session.id, MAP, is_open=True)
    author = store.join(session.id, "phone-cccccccc")
    item = post_highlight(store, author, WALL_A, "Yhteinen tilannehuone", submission_id="p1")
    post_highlight(store, author, WALL_B, "Kumppanit mukaan", submission_id="p2")
    phone = _page(store, content, session, "phone-aaaaaaaa")
    voter = _page(store, content, session, "phone-bbbbbbbb")
    phone.refresh()
    others = _ids(phone.kind_panels[WALL_B], phone.timers[WALL_B], phone.kind_panels[MAP])
    browser_sends(voter.kind_panels[WALL_A].wall, {"type": "vote", "item": item, "on": True})
    sent.clear()
    phone.refresh()
    assert [i["votes"] for i in phone.kind_panels[WALL_A].wall.items] == [1]
    assert any(cid == phone.kind_panels[WALL_A].wall.model_id for cid, _t, _d in sent)
    assert [(cid, data) for cid, _t, data in sent if cid in others] == []


def test_vote_sends_the_counts_not_the_wall(store, content, sent):
    """A +1 reaches a phone's wall as its new counts alone, not as the wall's texts again."""
    session, _ = store.create_session("Paja")
    store.set_activity_state(session.id, WALL_A, is_open=True, is_revealed=True)
    author = store.join(session.id, "phone-cccccccc")
    item = post_highlight(store, author, WALL_A, "Yhteinen tilannehuone", submission_id="p1")
    post_highlight(store, author, WALL_A, "Kumppanit mukaan", submission_id="p2")
    phone = _page(store, content, session, "phone-aaaaaaaa")
    voter = _page(store, content, session, "phone-bbbbbbbb")
    browser_sends(voter.kind_panels[WALL_A].wall, {"type": "vote", "item": item, "on": True})
    sent.clear()
    phone.refresh()
    wall = phone.kind_panels[WALL_A].wall
    states = [data["state"] for cid, _t, data in sent if cid == wall.model_id]
    assert states == [{"votes": {item: 1}}]
    assert voter.kind_panels[WALL_A].wall.voted == [item]


def test_vote_elsewhere_rereads_the_votes_alone(store, content):
    """Another phone's +1 makes a phone read the wall's +1s in one statement, not its texts, their
    history or its moderation again; the counts it shows are the new ones."""
    session, _ = store.create_session("Paja")
    store.set_activity_state(session.id, WALL_A, is_open=True, is_revealed=True)
    author = store.join(session.id, "phone-cccccccc")
    item = post_highlight(store, author, WALL_A, "Yhteinen tilannehuone", submission_id="p1")
    phone = _page(store, content, session, "phone-aaaaaaaa")
    voter = _page(store, content, session, "phone-bbbbbbbb")
    browser_sends(voter.kind_panels[WALL_A].wall, {"type": "vote", "item": item, "on": True})
    reads = Reads(store, WALL_A)
    phone.refresh()
    assert reads.stop()[WALL_A] == 1
    assert phone.kind_panels[WALL_A].wall.votes == {item: 1}


def test_answer_to_an_unrevealed_activity_sends_a_phone_nothing(store, content, sent):
    """Another phone answers an open, unrevealed choice: a phone answering the same sends and reads nothing."""
    session, _ = store.create_session("Paja")
    store.set_activity_state(session.id, CHOICE_X, is_open=True)
    phone = _page(store, content, session, "phone-aaaaaaaa")
    other = store.join(session.id, "phone-bbbbbbbb")
    phone.refresh()
    store.submit(other, CHOICE_X, [AnswerInput("verkostomainen", "nyt", value_num=1)], submission_id="s1")
    sent.clear()
    reads = Reads(store, CHOICE_X)
    phone.refresh()
    assert reads.stop()[CHOICE_X] == 0
    assert sent == []


def test_full_redraw_with_a_running_timer_sends_nothing(store, content, sent):
    """Drawing a phone's page again on unchanged data sends no message, a running timer's included."""
    session, _ = store.create_session("Paja")
    store.set_activity_state(session.id, CHOICE_X, is_open=True, timer_seconds=180)
    store.set_activity_state(session.id, WALL_A, is_open=True, is_revealed=True)
    phone = _page(store, content, session, "phone-aaaaaaaa")
    assert phone.timers[CHOICE_X].seconds is not None
    sent.clear()
    phone._render_activities()
    assert sent == []


def test_new_participant_redraws_no_phone(store, content, sent):
    """Someone joining (a change of who is in the room) sends a phone showing revealed results nothing."""
    session, _ = store.create_session("Paja")
    store.set_activity_state(session.id, WALL_A, is_open=True, is_revealed=True)
    phone = _page(store, content, session, "phone-aaaaaaaa")
    store.join(session.id, "phone-bbbbbbbb")
    sent.clear()
    reads = Reads(store, WALL_A)
    phone.refresh()
    assert reads.stop()[WALL_A] == 0 and sent == []


# ---------------------------------------------------------------------- the facilitator's console
def _workbook(store, content, session, key) -> Workbook:
    return Workbook(PageParams(session=session.code, role="facilitator", key=key), content=content, store=store)


def test_console_redraws_only_the_changed_activity(store, content):
    """A new answer to X redraws X's console and reads nothing of Y."""
    session, key = store.create_session("Paja")
    for a in (CHOICE_X, CHOICE_Y):
        store.set_activity_state(session.id, a, is_open=True)
    p = store.join(session.id, "phone-aaaaaaaa")
    wb = _workbook(store, content, session, key)
    x = wb.activity(CHOICE_X)
    wb.activity(CHOICE_Y)
    assert x.respondents == 0
    store.submit(p, CHOICE_X, [AnswerInput("verkostomainen", "nyt", value_num=1)], submission_id="s1")
    reads = Reads(store, CHOICE_X, CHOICE_Y)
    wb.refresh()
    counts = reads.stop()
    assert x.respondents == 1
    assert counts[CHOICE_X] > 0 and counts[CHOICE_Y] == 0


def test_presence_redraws_no_console(store, content, sent):
    """Phones noting they are open move no console; the presence ticker redraws the count alone."""
    session, key = store.create_session("Paja")
    store.set_activity_state(session.id, WALL_A, is_open=True, is_revealed=True)
    phones = [store.join(session.id, token) for token in ("phone-aaaaaaaa", "phone-bbbbbbbb")]
    with store.engine.begin() as conn:  # their pages were last open an hour ago
        conn.execute(sa.update(schema.participants).values(seen_at=datetime.now(timezone.utc) - timedelta(hours=1)))
    wb = _workbook(store, content, session, key)
    console = wb.activity(WALL_A)
    assert "data-vt-present='0'" in console._counts.value
    for p in phones:
        store.touch(p)
    reads = Reads(store, WALL_A)
    sent.clear()
    assert not wb._poller.check()  # no revision moved: nothing to redraw
    wb._update_present()  # what the 5 s ticker runs
    assert reads.stop()[WALL_A] == 0
    assert "data-vt-present='2'" in console._counts.value
    assert {cid for cid, _t, _d in sent} == {console._counts.model_id}


def test_console_redraw_on_unchanged_data_sends_nothing(store, content, sent):
    """Redrawing a console whose data did not change sends the facilitator's browser nothing."""
    session, key = store.create_session("Paja")
    store.set_activity_state(session.id, WALL_A, is_open=True, is_revealed=True)
    p = store.join(session.id, "phone-aaaaaaaa")
    post_highlight(store, p, WALL_A, "Yhteinen tilannehuone", submission_id="p1")
    wb = _workbook(store, content, session, key)
    console = wb.activity(WALL_A)
    sent.clear()
    console.redraw()
    assert sent == []


def test_in_a_big_room_others_counts_come_at_a_calmer_pace(store, content, monkeypatch):
    """With 60 people in the room, another phone's +1s reach a phone's wall at most every
    (60 - 40) / 40 = 0.5 s, gathered; one's own +1 and what the facilitator opens never wait."""
    from vertaiset_widgets import live

    clock = [0.0]
    real = live.time.monotonic
    monkeypatch.setattr(live.time, "monotonic", lambda: real() + clock[0])
    session, _ = store.create_session("Paja")
    store.set_activity_state(session.id, WALL_A, is_open=True, is_revealed=True)
    author = store.join(session.id, "phone-cccccccc")
    first = post_highlight(store, author, WALL_A, "Yhteinen tilannehuone", submission_id="p1")
    second = post_highlight(store, author, WALL_A, "Kumppanit mukaan", submission_id="p2")
    for i in range(57):
        store.join(session.id, f"phone-{i:08d}")
    phone = _page(store, content, session, "phone-aaaaaaaa")
    voter = _page(store, content, session, "phone-bbbbbbbb")
    assert store.present_count(session.id) == 60 and phone._counts_later.gap() == pytest.approx(0.5)
    wall = phone.kind_panels[WALL_A].wall

    browser_sends(voter.kind_panels[WALL_A].wall, {"type": "vote", "item": first, "on": True})
    phone.refresh()
    assert wall.votes == {first: 1}  # the first counts in a while: at once
    browser_sends(voter.kind_panels[WALL_A].wall, {"type": "vote", "item": second, "on": True})
    phone.refresh()
    assert wall.votes == {first: 1}  # the next within the gap: they wait
    assert voter.kind_panels[WALL_A].wall.voted == [first, second]  # the voter's own: at once

    store.set_activity_state(session.id, WALL_B, is_open=True)  # the facilitator opens the next one
    phone.refresh()
    assert phone.shown(WALL_B) and wall.votes == {first: 1}
    clock[0] += 0.6
    phone.refresh()  # no new write: the waiting counts come with the next poll after the gap
    assert wall.votes == {first: 1, second: 1}

    browser_sends(wall, {"type": "vote", "item": first, "on": True})  # the phone's own +1, within the next gap
    assert wall.voted == [first] and wall.votes == {first: 2, second: 1}


def test_counts_later_by_the_size_of_the_room():
    from vertaiset_widgets.live import CountsLater

    assert CountsLater(lambda: 40).gap() == 0 and CountsLater(lambda: 0).gap() == 0
    assert CountsLater(lambda: 200).gap() == 4.0 and CountsLater(lambda: 2000).gap() == CountsLater.MOST
    later = CountsLater(lambda: 200)
    assert not later.waiting()  # nothing drawn yet: the first goes at once
    later.drawn()
    assert later.waiting()
    later.keep("a", {"votes"})
    later.keep("b", {"votes"})
    assert later.take() == {}  # not yet
    later.drop("b")
    assert later.due == {"a": {"votes"}}

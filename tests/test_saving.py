"""Saving as the kernel sees it: acknowledgements after the store write, the connection
guard's heartbeat, and pages that say in words when the store is not available."""
from __future__ import annotations

import logging

import ipywidgets as W
import pytest
from conftest import browser_sends

from vertaiset_widgets.config import PageParams
from vertaiset_widgets.forms import ConnectionGuard, FieldsForm
from vertaiset_widgets.participant import ParticipantPage, participant_page
from vertaiset_widgets.store import SessionStore
from vertaiset_widgets.kinds.highlights.wall import read_wall

WALL = "unelmaverkosto"
SID = "a1b2c3d4e5f6a7b8c9d0e1f2"


@pytest.fixture
def store(both_stores):
    """The page's store: the SQLAlchemy store, and the phones' light one."""
    return both_stores


@pytest.fixture
def room(store):
    session, _key = store.create_session("Paja")
    store.set_activity_state(session.id, WALL, is_open=True)
    return session


def _page(store, content, session, token="phone-aaaaaaaa") -> ParticipantPage:
    page = ParticipantPage(PageParams(session=session.code), content=content, store=store)
    page.join_as(token)
    return page


def _recording(widget, on_send=None) -> list[dict]:
    """What the kernel sends to the browser through ``widget.send`` (acks, pongs)."""
    sent: list[dict] = []
    real = widget.send

    def send(content, buffers=None):
        sent.append(content)
        if on_send is not None:
            on_send(content)
        real(content, buffers)

    widget.send = send
    return sent


def test_ack_comes_after_the_write_and_carries_the_sid(store, content, room):
    """The acknowledgement names the browser's submission and is sent only once the highlight is stored."""
    panel = _page(store, content, room).kind_panels[WALL]
    stored_at_ack: list[list[str]] = []
    with SessionStore(store.url) as other:  # another connection: sees only what is committed
        sent = _recording(panel.post_form, lambda msg: stored_at_ack.append([h.text for h in read_wall(other, room.id, WALL)]))
        browser_sends(panel.post_form, {"type": "submit", "value": {"text": "Yhteinen tilannehuone"}, "sid": SID})
    (ack,) = sent
    assert (ack["type"], ack["sid"], ack["kind"]) == ("ack", SID, "ok")
    assert ack["status"] == panel.post_form.status and ack["seq"] == panel.post_form.status_seq
    assert stored_at_ack == [["Yhteinen tilannehuone"]]


def test_the_same_sid_sent_again_is_stored_once(store, content, room):
    """A browser that resends a submission it heard nothing about (same sid) posts it once."""
    panel = _page(store, content, room).kind_panels[WALL]
    sent = _recording(panel.post_form)
    for _ in range(2):
        browser_sends(panel.post_form, {"type": "submit", "value": {"text": "Kerran vain"}, "sid": SID})
    assert [m["kind"] for m in sent] == ["ok", "ok"]
    assert [h.text for h in read_wall(store, room.id, WALL)] == ["Kerran vain"]


def test_refused_input_is_acknowledged_as_an_error(store, content, room):
    """An empty highlight is answered with the reason, as an error: the browser keeps the text."""
    panel = _page(store, content, room).kind_panels[WALL]
    sent = _recording(panel.post_form)
    browser_sends(panel.post_form, {"type": "submit", "value": {"text": "   "}, "sid": SID})
    (ack,) = sent
    assert ack["kind"] == "error" and ack["status"]


def test_a_failing_handler_is_acknowledged_as_failed_and_logged(caplog):
    """A handler that raises: the browser hears "failed" (no traceback), the server's log has it."""
    form = FieldsForm(fields=[{"name": "text", "label": "Teksti"}])

    def boom(_form, _value):
        raise RuntimeError("SELECT secret FROM somewhere")

    form.on_submit(boom)
    sent = _recording(form)
    with caplog.at_level(logging.ERROR, logger="vertaiset"):
        browser_sends(form, {"type": "submit", "value": {"text": "x"}, "sid": SID})
    assert sent == [{"type": "ack", "sid": SID, "status": "", "kind": "failed", "seq": 0}]
    assert "SELECT secret" in caplog.text


def test_a_disabled_form_acknowledges_that_nothing_was_done():
    """A submit to a closed form is answered "none": the browser keeps its words and its text."""
    form = FieldsForm(fields=[{"name": "text", "label": "Teksti"}], disabled=True)
    called = []
    form.on_submit(lambda f, v: called.append(v))
    sent = _recording(form)
    browser_sends(form, {"type": "submit", "value": {"text": "x"}, "sid": SID})
    assert called == [] and sent[0]["kind"] == "none"


def test_a_malformed_sid_is_never_used():
    """A sid that is not a short plain token is neither acknowledged nor used as a store key."""
    form = FieldsForm(fields=[{"name": "text", "label": "Teksti"}])
    keys = []
    form.on_submit(lambda f, v: keys.append(f.submission_id))
    sent = _recording(form)
    browser_sends(form, {"type": "submit", "value": {"text": "x"}, "sid": "<script>"})
    assert sent == [] and keys and keys[0] != "<script>"


def test_guard_answers_pings():
    """The connection guard answers each ping with a pong of the same number."""
    guard = ConnectionGuard(texts={"connection_lost": "Yhteys katkesi"})
    sent = _recording(guard)
    browser_sends(guard, {"type": "ping", "n": 7})
    browser_sends(guard, {"type": "ping", "n": "x"})
    assert sent == [{"type": "pong", "n": 7}]


def test_participant_page_gives_the_guard_its_words(store, content, room):
    """The page's guard carries the banner's and the forms' saving words in the page's language."""
    page = ParticipantPage(PageParams(session=room.code, lang="sv"), content=content, store=store)
    assert page.guard in page.children
    assert page.guard.texts["connection_lost"].startswith("Anslutningen bröts")
    assert {"saving", "not_saved", "not_saved_offline", "draft_restored"} <= set(page.guard.texts)


def test_read_only_store_says_so_instead_of_loading(store, content, room, tmp_path):
    """A store that cannot be written: joining says so in words, and "Loading…" is gone."""
    path = store.engine.url.database
    read_only = SessionStore(f"sqlite:///file:{path}?mode=ro&uri=true")
    try:
        page = ParticipantPage(PageParams(session=room.code), content=content, store=read_only)
        page.join_as("phone-aaaaaaaa")
        assert page.message.startswith("Vastauksia ei juuri nyt voi tallentaa")
        assert page._activities.children == (page.token_widget,)
    finally:
        read_only.close()


def test_unreachable_store_gives_a_message_not_a_traceback():
    """A database server that does not answer: the page says so in the participant's language."""
    out = participant_page(session="ABC123", lang="en", db_url="postgresql://nobody@127.0.0.1:1/none")
    assert isinstance(out, W.HTML)
    assert "cannot be shown right now" in out.value
    assert "Traceback" not in out.value and "127.0.0.1" not in out.value

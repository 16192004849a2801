"""The phones' light store (plain SQL, no SQLAlchemy) against the SQLAlchemy store.

``test_store.py``, ``test_saving.py`` and ``test_highlights.py`` run their tests on both
stores; this file checks what only the pair can show: both read the same rows the same way,
and a phone's page answers without loading SQLAlchemy."""
from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from vertaiset_widgets.store import AnswerInput, LightStore, SessionStore, phone_store
from vertaiset_widgets.store.rows import _now

WALL, CHOICE = "verkostot_nyt", "verkostotyyppi"


@pytest.fixture
def pair(db_url):
    """The SQLAlchemy store and the light store on one database."""
    full, light = SessionStore(db_url), LightStore(db_url)
    yield full, light
    light.close()
    full.close()


def _everything_a_phone_reads(store, session, participant) -> dict:
    return {
        "by_code": store.get_session(session.code),
        "by_id": store.session_by_id(session.id),
        "unknown": store.find_session("EIOLE9"),
        "revision": store.revision(session.id),
        "changes": store.changes_since(session.id, 0),
        "blocks": store.agenda_blocks(session.id),
        "states": store.activity_states(session.id),
        "closed": store.activity_state(session.id, "ei_avattu"),
        "participant": store.find_participant(session.id, "phone-aaaaaaaa"),
        "present": store.present_count(session.id),
        "answers": store.answers(session.id, WALL),
        "history": store.answers(session.id, latest=False),
        "mine": store.answers(session.id, CHOICE, participant_id=participant.id),
        "moderation": store.moderation(session.id, WALL),
        "author": store.item_author(session.id, "h1"),
        "has": (store.has_item(session.id, "h1"), store.has_item(session.id, "h9")),
        "recent": store.items_since(participant, WALL, "text", _now() - timedelta(minutes=1)),
        "votes": sorted(store.latest_values(session.id, WALL, 1, "vote")),
        "rounds": store.rounds(session),
        "puimala": store.puimala(session.id),
        "attempts": store.attempt_times("join", "10.0.0.1", _now() - timedelta(hours=1)),
    }


def test_both_stores_read_the_same(pair):
    """Writes through either store; every read a phone makes gives equal records from both."""
    full, light = pair
    session, _key = full.create_session("Paja", network="Verkosto")
    full.set_agenda(session.id, [("01_tilannekuva", WALL, "9.00"), ("01_tilannekuva", CHOICE, "9.30")])
    full.set_activity_state(session.id, WALL, is_open=True, is_revealed=True, timer_seconds=300)
    full.set_activity_state(session.id, CHOICE, is_open=True)
    a = light.join(session.id, "phone-aaaaaaaa", nickname="Aino", group="Kunta")
    b = full.join(session.id, "phone-bbbbbbbb")
    light.update_profile(a, nickname="Aino K.", group="")
    light.touch(a)
    light.submit(a, WALL, [AnswerInput("h1", "text", value_text="Yhteinen <b>tilannekuva</b>"), AnswerInput("h1", "tag")],
                 submission_id="s1")
    full.submit(b, WALL, [AnswerInput("h1", "vote", value_num=1.0)], submission_id="s2", part="votes")
    light.submit(b, WALL, [AnswerInput("h1", "vote", value_num=0.0)], submission_id="s3", part="votes")
    light.submit(a, CHOICE, [AnswerInput("valinta", value_text="b"), AnswerInput("luku", value_num=2.5)], submission_id="s4")
    full.moderate(session.id, WALL, "h1", "pin")
    light.record_attempt("join", "10.0.0.1")
    a = light.find_participant(session.id, "phone-aaaaaaaa")
    assert _everything_a_phone_reads(light, session, a) == _everything_a_phone_reads(full, session, a)
    assert light.changes_since(session.id, 0)["@people"] > 0 and "verkostot_nyt#votes" in light.changes_since(session.id, 0)


def test_the_light_store_refuses_as_the_other_does(pair):
    """A closed activity, a closed session and a missing token get the same errors, and nothing is stored."""
    from vertaiset_widgets.errors import VertaisetActivityClosedError, VertaisetInputError, VertaisetSessionClosedError

    full, light = pair
    session, _key = full.create_session("Paja")
    p = light.join(session.id, "phone-aaaaaaaa")
    with pytest.raises(VertaisetActivityClosedError):
        light.submit(p, WALL, [AnswerInput("x", value_num=1.0)], submission_id="s1")
    full.set_activity_state(session.id, WALL, is_open=True)
    full.set_session_open(session.id, False)
    with pytest.raises(VertaisetSessionClosedError):
        light.submit(p, WALL, [AnswerInput("x", value_num=1.0)], submission_id="s1")
    with pytest.raises(VertaisetInputError):
        light.join(session.id, "short")
    assert full.count_rows(session.id) == 0


def test_the_light_store_migrates_a_new_database_first(tmp_path):
    """A database without the schema is migrated (by the SQLAlchemy store, under its lock) before the first read."""
    url = f"sqlite:///{tmp_path / 'new.sqlite'}"
    with LightStore(url) as light:
        assert light.find_session("ABC123") is None
        assert light.schema_revision() == SessionStore(url).schema_revision()


def test_phone_store_is_light_where_it_can_open_the_database(sqlite_url):
    """A SQLite file (and PostgreSQL) gets the light store; an in-memory database the SQLAlchemy one."""
    assert isinstance(phone_store(sqlite_url), LightStore)
    assert isinstance(phone_store("sqlite:///:memory:"), SessionStore)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=300), item=st.text(min_size=1, max_size=90), number=st.floats(allow_nan=False) | st.none())
def test_any_answer_reads_back_the_same_from_both(tmp_path_factory, text, item, number):
    """Any Unicode a phone can send, through the light store's submit: both stores read back the same
    answer, cleaned as the SQLAlchemy store cleans it."""
    url = f"sqlite:///{tmp_path_factory.mktemp('light') / 'h.sqlite'}"
    full, light = SessionStore(url), LightStore(url)
    try:
        session, _ = full.create_session("Paja")
        full.set_activity_state(session.id, WALL, is_open=True)
        p, q = light.join(session.id, "phone-aaaaaaaa"), light.join(session.id, "phone-bbbbbbbb")
        light.submit(p, WALL, [AnswerInput(item, value_num=number, value_text=text)], submission_id="s")
        full.submit(q, WALL, [AnswerInput(item, value_num=number, value_text=text)], submission_id="s")
        mine, theirs = light.answers(session.id, WALL), full.answers(session.id, WALL)
        assert mine == full.answers(session.id, WALL) and len(mine) == 2
        assert [(a.item, a.value_num, a.value_text) for a in mine] == [(b.item, b.value_num, b.value_text) for b in theirs]
    finally:
        light.close()
        full.close()


_PHONE = """
import json, sys
from vertaiset_widgets.config import PageParams
from vertaiset_widgets.participant import ParticipantPage

def send(widget, content):  # as the browser's message comes in over the comm
    widget._handle_msg({"content": {"data": {"method": "custom", "content": content}}, "buffers": []})

url, code = sys.argv[1], sys.argv[2]
page = ParticipantPage(PageParams(session=code, db_url=url))
page.join_as("phone-" + sys.argv[3])
wall = page.kind_panels["verkostot_nyt"]
acks = []
wall.post_form.send = lambda content, buffers=None: acks.append(content.get("kind"))
send(wall.post_form, {"type": "submit", "value": {"text": "Nosto " + sys.argv[3]}, "sid": "sid" + sys.argv[3] * 4})
for item in wall.wall.items:
    if not item["mine"]:
        wall.wall.act({"type": "vote", "item": item["id"], "on": True})
page.refresh()
print(json.dumps({"store": type(page.store).__name__, "acks": acks, "loaded": "sqlalchemy" in sys.modules,
                  "wall": sorted((i["text"], i["votes"]) for i in wall.wall.items)}))
"""


def test_a_phone_posts_and_votes_without_loading_sqlalchemy(sqlite_url):
    """Two phones' pages (each its own process, as each has its own kernel) join, post on a revealed
    wall and +1 the other's post: acknowledged, stored, and SQLAlchemy never loaded."""
    with SessionStore(sqlite_url) as store:
        session, _ = store.create_session("Paja")
        store.set_activity_state(session.id, WALL, is_open=True, is_revealed=True)
        runs = [json.loads(subprocess.run([sys.executable, "-c", _PHONE, sqlite_url, session.code, who],
                                          capture_output=True, text=True, check=True, timeout=120).stdout.splitlines()[-1])
                for who in ("aaaaaaaa", "bbbbbbbb")]
        assert [(r["store"], r["acks"], r["loaded"]) for r in runs] == [("LightStore", ["ok"], False)] * 2
        assert runs[1]["wall"] == [["Nosto aaaaaaaa", 1], ["Nosto bbbbbbbb", 0]]
        texts = {a.value_text for a in store.answers(session.id, WALL) if a.layer == "text"}
        assert texts == {"Nosto aaaaaaaa", "Nosto bbbbbbbb"}

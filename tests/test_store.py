"""The session store on a real SQLite file (and PostgreSQL when VERTAISET_TEST_PG_URL is set).

Every test that takes ``store`` runs twice on each database: on the SQLAlchemy store and on the
phones' light store (which hands what it does not do itself to a SQLAlchemy store)."""
from __future__ import annotations

import multiprocessing as mp
from pathlib import Path
import uuid

import pytest
import sqlalchemy as sa

from vertaiset_widgets import schema
from vertaiset_widgets.errors import (
    VertaisetActivityClosedError,
    VertaisetInputError,
    VertaisetSessionClosedError,
    VertaisetUnknownSessionError,
)
from vertaiset_widgets.store import AnswerInput, LightStore, SessionStore

ACT = "arviointi_360"


@pytest.fixture(params=["sqlalchemy", "light"])
def store(request, db_url):
    """An empty, migrated store on SQLite and on PostgreSQL: the SQLAlchemy store, and the light one."""
    s = SessionStore(db_url) if request.param == "sqlalchemy" else LightStore(db_url)
    yield s
    s.close()


def _open_session(store):
    session, key = store.create_session("Testipaja", network="Testiverkosto")
    store.set_activity_state(session.id, ACT, is_open=True)
    return session, key


def test_migration_creates_the_schema_tables(store):
    """A new database is migrated to the newest revision with every table of schema.py."""
    assert store.schema_revision() == schema.SCHEMA_REVISION
    inspector = sa.inspect(store.engine)
    for table in schema.metadata.sorted_tables:
        columns = {c["name"] for c in inspector.get_columns(table.name)}
        assert columns == {c.name for c in table.columns}, table.name


def test_schema_revision_constant_is_alembic_head():
    """SCHEMA_REVISION names the newest migration, so the fast path never skips one."""
    from pathlib import Path

    from alembic.config import Config
    from alembic.script import ScriptDirectory

    import vertaiset_widgets

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(vertaiset_widgets.__file__).parent / "migrations"))
    assert ScriptDirectory.from_config(cfg).get_current_head() == schema.SCHEMA_REVISION


def test_sqlite_uses_wal(sqlite_url):
    """The SQLite file is in WAL mode with a busy timeout."""
    s = SessionStore(sqlite_url)
    with s.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000


def test_session_has_code_and_hashed_key(store):
    """A new session gets a readable join code; only the key's hash is stored."""
    session, key = store.create_session("Paja", network="Verkosto")
    assert len(session.code) == 6 and session.code.isalnum() and session.code.isupper()
    assert store.check_key(session.code, key)
    assert not store.check_key(session.code, key + "x")
    assert not store.check_key(session.code, "")
    with store.engine.connect() as conn:
        stored = conn.execute(sa.select(schema.sessions.c.key_hash)).scalar()
    assert key not in stored


def test_codes_are_case_insensitive(store):
    """A code typed in lower case with spaces finds its session."""
    session, _ = store.create_session("Paja", code="ABC123")
    assert store.get_session(" abc 123 ").id == session.id


def test_session_by_id_is_the_session_of_its_code(store):
    """A panel that knows only its session's id reads the same session; an unknown id says so."""
    info, _key = store.create_session("Tunnisteella", network="N")
    assert store.session_by_id(info.id) == store.get_session(info.code)
    with pytest.raises(VertaisetUnknownSessionError):
        store.session_by_id(info.id + 1000)


def test_unknown_code_raises_clear_error(store):
    """An unknown code raises VertaisetUnknownSessionError naming the code."""
    with pytest.raises(VertaisetUnknownSessionError, match="NOPE"):
        store.get_session("NOPE")
    assert store.find_session("NOPE") is None


def test_sessions_of_one_network_are_its_rounds(store):
    """Sessions created with the same network name belong to one network."""
    a, _ = store.create_session("Kevät", network="Verkosto")
    b, _ = store.create_session("Syksy", network="Verkosto")
    c, _ = store.create_session("Muu", network="Toinen")
    assert a.network_id == b.network_id != c.network_id
    assert [s.code for s in store.network_sessions(a.network_id)] == [a.code, b.code]


def test_join_is_idempotent_per_token(store):
    """The same browser token joins as the same participant."""
    session, _ = _open_session(store)
    first = store.join(session.id, "token-aaaaaaaa")
    again = store.join(session.id, "token-aaaaaaaa")
    other = store.join(session.id, "token-bbbbbbbb")
    assert first.id == again.id != other.id
    assert len(store.participants(session.id)) == 2


def test_participants_are_anonymous_until_they_say(store):
    """A participant has no nickname or group until they give one; both can change."""
    session, _ = _open_session(store)
    p = store.join(session.id, "token-aaaaaaaa")
    assert (p.nickname, p.group_name) == (None, None)
    p = store.update_profile(p, nickname="  Aino  ", group="Ryhmä 2")
    assert (p.nickname, p.group_name) == ("Aino", "Ryhmä 2")
    p = store.update_profile(p, nickname="", group=None)
    assert (p.nickname, p.group_name) == (None, None)


def test_submit_is_idempotent(store):
    """The same submission sent twice is stored once."""
    session, _ = _open_session(store)
    p = store.join(session.id, "token-aaaaaaaa")
    answers = [AnswerInput("johtaminen", "nyt", 3.0), AnswerInput("johtaminen", "ennen", 2.0)]
    assert store.submit(p, ACT, answers, submission_id="s-1") == 2
    assert store.submit(p, ACT, answers, submission_id="s-1") == 0
    assert store.count_rows(session.id) == 2


def test_latest_answer_counts_and_history_stays(store):
    """A changed answer is a new row; only the latest counts, the old one stays in the store."""
    session, _ = _open_session(store)
    p = store.join(session.id, "token-aaaaaaaa")
    store.submit(p, ACT, [AnswerInput("johtaminen", "nyt", 3.0)], submission_id="s-1")
    store.submit(p, ACT, [AnswerInput("johtaminen", "nyt", 5.0)], submission_id="s-2")
    latest = store.answers(session.id, ACT)
    assert [(a.item, a.layer, a.value_num) for a in latest] == [("johtaminen", "nyt", 5.0)]
    assert len(store.answers(session.id, ACT, latest=False)) == 2


def test_closed_activity_refuses_answers(store):
    """Answers to a closed activity are refused with a clear error."""
    session, _ = _open_session(store)
    p = store.join(session.id, "token-aaaaaaaa")
    store.set_activity_state(session.id, ACT, is_open=False)
    with pytest.raises(VertaisetActivityClosedError):
        store.submit(p, ACT, [AnswerInput("johtaminen", "nyt", 3.0)], submission_id="s-1")
    assert store.count_rows(session.id) == 0


def test_closed_session_refuses_answers(store):
    """A closed session refuses answers even to an open activity."""
    session, _ = _open_session(store)
    p = store.join(session.id, "token-aaaaaaaa")
    store.set_session_open(session.id, False)
    with pytest.raises(VertaisetSessionClosedError):
        store.submit(p, ACT, [AnswerInput("johtaminen", "nyt", 3.0)], submission_id="s-1")


def test_duplicate_item_in_one_submission_is_refused(store):
    """One submission cannot answer the same item and layer twice."""
    session, _ = _open_session(store)
    p = store.join(session.id, "token-aaaaaaaa")
    with pytest.raises(VertaisetInputError):
        store.submit(p, ACT, [AnswerInput("a", "nyt", 1.0), AnswerInput("a", "nyt", 2.0)], submission_id="s")


def test_state_changes_bump_the_revision(store):
    """Opening, revealing and answering each change the revision that pages poll."""
    session, _ = store.create_session("Paja")
    seen = [store.revision(session.id)]
    store.set_activity_state(session.id, ACT, is_open=True)
    seen.append(store.revision(session.id))
    p = store.join(session.id, "token-aaaaaaaa")
    seen.append(store.revision(session.id))
    store.submit(p, ACT, [AnswerInput("a", "nyt", 1.0)], submission_id="s")
    seen.append(store.revision(session.id))
    store.set_activity_state(session.id, ACT, is_revealed=True)
    seen.append(store.revision(session.id))
    assert seen == sorted(set(seen))


def test_reset_starts_a_new_round_and_keeps_old_answers(store):
    """A new round counts only new answers; the earlier round's answers stay readable."""
    session, _ = _open_session(store)
    p = store.join(session.id, "token-aaaaaaaa")
    store.submit(p, ACT, [AnswerInput("a", "nyt", 1.0)], submission_id="s-1")
    state = store.set_activity_state(session.id, ACT, new_round=True)
    assert state.round == 2 and state.is_open and not state.is_revealed
    assert store.answers(session.id, ACT) == []
    assert [a.value_num for a in store.answers(session.id, ACT, round=1)] == [1.0]


def test_texts_are_stored_as_given(store):
    """Markup in a participant's text is stored verbatim (escaping is the views' job)."""
    session, _ = _open_session(store)
    p = store.join(session.id, "token-aaaaaaaa")
    store.update_profile(p, nickname="<script>x</script>", group="a & b")
    assert store.participants(session.id)[0].nickname == "<script>x</script>"


def _submit_worker(url: str, code: str, worker: int, count: int) -> None:
    """One OS process: join and submit `count` answers, each submission sent twice (even workers
    through the phones' light store, odd ones through the SQLAlchemy store)."""
    s = LightStore(url) if worker % 2 == 0 else SessionStore(url)
    session = s.get_session(code)
    p = s.join(session.id, f"worker-token-{worker:04d}")
    for i in range(count):
        submission = f"w{worker}-s{i}"
        answers = [AnswerInput(item=f"item{i}", layer="nyt", value_num=float(worker % 6))]
        s.submit(p, ACT, answers, submission_id=submission)
        s.submit(p, ACT, answers, submission_id=submission)  # a retry after a lost acknowledgement
    s.close()


def test_concurrent_processes_lose_and_double_nothing(db_url):
    """24 OS processes submitting at once, half through each store: every answer is stored exactly once."""
    store = SessionStore(db_url)
    session, _ = _open_session(store)
    workers, per_worker = 24, 15
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=_submit_worker, args=(db_url, session.code, w, per_worker)) for w in range(workers)]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(240)
    assert [proc.exitcode for proc in procs] == [0] * workers
    rows = store.answers(session.id, ACT, latest=False)
    assert len(rows) == workers * per_worker
    keys = {(r.participant_id, r.item) for r in rows}
    assert len(keys) == workers * per_worker
    assert len(store.participants(session.id)) == workers
    store.close()


def test_store_url_from_environment(monkeypatch, tmp_path):
    """VERTAISET_DB_URL chooses the database when no URL is given."""
    url = f"sqlite:///{tmp_path / 'env.sqlite'}"
    monkeypatch.setenv("VERTAISET_DB_URL", url)
    assert SessionStore().url == url


def test_default_database_lives_in_vertaiset_home(monkeypatch, tmp_path):
    """Without a URL the store is the SQLite file in VERTAISET_HOME."""
    monkeypatch.setenv("VERTAISET_HOME", str(tmp_path))
    s = SessionStore()
    assert s.url == f"sqlite:///{tmp_path / 'vertaiset.sqlite'}"
    assert (tmp_path / "vertaiset.sqlite").exists()


def test_submission_ids_are_unique_per_answer(store):
    """Two participants using the same submission id do not swallow each other's answers."""
    session, _ = _open_session(store)
    a = store.join(session.id, "token-aaaaaaaa")
    b = store.join(session.id, "token-bbbbbbbb")
    sid = uuid.uuid4().hex
    store.submit(a, ACT, [AnswerInput("x", "nyt", 1.0)], submission_id=sid)
    store.submit(b, ACT, [AnswerInput("x", "nyt", 2.0)], submission_id=sid)
    assert len(store.answers(session.id, ACT)) == 2


def test_old_database_is_migrated_and_keeps_its_data(tmp_path):
    """A database made with the first schema opens with the newest one and keeps its sessions and answers."""
    from alembic import command
    from alembic.config import Config

    import vertaiset_widgets

    url = f"sqlite:///{tmp_path / 'spring.sqlite'}"
    old = SessionStore(url, migrate=False)
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(vertaiset_widgets.__file__).parent / "migrations"))
    with old.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001_initial")
    with old.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO networks (name, created_at) VALUES ('Kevät', '2026-04-01 10:00:00')"
        )
        conn.exec_driver_sql(
            "INSERT INTO sessions (network_id, code, title, held_on, lang, key_hash, is_open, revision, created_at) "
            "VALUES (1, 'SPRING', 'Kevätpaja', '2026-04-01', 'fi', 'x', 1, 1, '2026-04-01 10:00:00')"
        )
    old.close()
    store = SessionStore(url)
    assert store.schema_revision() == schema.SCHEMA_REVISION
    session = store.get_session("SPRING")
    assert session.title == "Kevätpaja"
    assert store.activity_state(session.id, ACT).timer_ends_at is None


def test_agenda_round_trip(store):
    """A session's plan is stored in order and can be replaced."""
    session, _ = store.create_session("Paja")
    store.set_agenda(session.id, [("04_arviointi.ipynb", ACT, "9.15"), ("04_arviointi.ipynb", "unelmaverkosto", None)])
    assert store.agenda(session.id) == [("04_arviointi.ipynb", ACT, "9.15"), ("04_arviointi.ipynb", "unelmaverkosto", None)]
    store.set_agenda(session.id, [])
    assert store.agenda(session.id) == []


def test_timer_counts_down(store):
    """A timer set for a minute has about sixty seconds left; zero clears it."""
    session, _ = store.create_session("Paja")
    state = store.set_activity_state(session.id, ACT, is_open=True, timer_seconds=60)
    assert 55 <= state.seconds_left() <= 60
    assert store.set_activity_state(session.id, ACT, timer_seconds=0).seconds_left() is None


def test_reveal_time_is_kept_until_the_results_are_hidden(store):
    """A reveal stores when it happened; other changes keep that time, hiding and a new round clear it."""
    session, _ = store.create_session("Paja")
    assert store.set_activity_state(session.id, ACT, is_open=True).revealed_at is None
    revealed = store.set_activity_state(session.id, ACT, is_open=False, is_revealed=True).revealed_at
    assert revealed is not None
    assert store.set_activity_state(session.id, ACT, timer_seconds=60).revealed_at == revealed
    assert store.set_activity_state(session.id, ACT, is_revealed=True).revealed_at == revealed
    assert store.set_activity_state(session.id, ACT, is_revealed=False).revealed_at is None
    store.set_activity_state(session.id, ACT, is_revealed=True)
    assert store.set_activity_state(session.id, ACT, new_round=True).revealed_at is None


def test_later_reveal_has_the_later_time(store):
    """Two activities revealed one after the other: the second reveal's time is the later one."""
    session, _ = store.create_session("Paja")
    store.set_activity_state(session.id, "arviointi_360", is_revealed=True)
    store.set_activity_state(session.id, "unelmaverkosto", is_revealed=True)
    states = store.activity_states(session.id)
    assert states["unelmaverkosto"].revealed_at > states["arviointi_360"].revealed_at


def test_rounds_of_a_network_and_steps_carried_over(store):
    """A network's sessions by date are its rounds; `follows` names the previous round; promoted steps
    (append-only, the last action counts) are what the next round starts from; templates are kept once."""
    from datetime import date

    from vertaiset_widgets.errors import VertaisetInputError

    first, _ = store.create_session("Syksy", network="Kierrosverkosto", held_on=date(2024, 10, 1))
    later, _ = store.create_session("Syksy 2", network="Kierrosverkosto", held_on=date(2025, 10, 1))
    second, _ = store.create_session("Kevät", follows=first.code, held_on=date(2025, 4, 1))
    assert second.network_id == first.network_id and second.follows_id == first.id
    assert [s.code for s in store.rounds(later)] == [first.code, second.code, later.code]
    assert [store.round_number(s) for s in (first, second, later)] == [1, 2, 3]
    assert store.previous_round(first) is None and store.previous_round(second).code == first.code
    assert store.previous_round(later).code == second.code
    with pytest.raises(VertaisetInputError):
        store.create_session("Väärä", network="Muu verkosto", follows=first.code)
    with pytest.raises(VertaisetInputError):
        store.create_session("Ennen", follows=first.code, held_on=date(2020, 1, 1))

    store.promote_step(first.id, "askeleet", "h1", "Yhteinen tilannehuone")
    store.promote_step(first.id, "askeleet", "h2", "Koordinaattori nimetään")
    store.promote_step(first.id, "askeleet", "h1", None, promoted=False)
    store.promote_step(first.id, "askeleet", "h3", "Vuosikello")
    previous, steps = store.carried_steps(second)
    assert previous.code == first.code
    assert [(s.item, s.text) for s in steps] == [("h2", "Koordinaattori nimetään"), ("h3", "Vuosikello")]
    assert store.carried_steps(first) == (None, [])
    with pytest.raises(VertaisetInputError):
        store.promote_step(first.id, "askeleet", "h4", "  ")

    body = {"a": {"kind": "choice", "label": "Ä"}}
    version = store.record_templates(first.id, body)
    assert store.record_templates(second.id, dict(body)) == version  # the same templates are stored once
    assert store.record_templates(first.id, {"b": {}}) == version  # a session keeps what it ran with
    assert store.session_templates(store.get_session(first.code)) == body
    assert store.session_templates(later) is None
    assert [n.name for n in store.networks()] == ["Kierrosverkosto"]
    assert [s.code for s in store.network("Kierrosverkosto").sessions] == [first.code, second.code, later.code]

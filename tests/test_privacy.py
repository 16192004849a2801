"""Erasure and minimal data: forget a participant, purge sessions, withdrawal, hashed tokens, the notice.

Every store test runs on a real SQLite file and, when VERTAISET_TEST_PG_URL is set, on a real
PostgreSQL. Personal texts carry the marker ``Qx7ZV`` so that a byte search is meaningful.
"""
from __future__ import annotations

import csv
import hashlib
import subprocess
import sys
import zipfile
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa

from vertaiset_widgets import cli, schema
from vertaiset_widgets.export import export_activity, export_session
from vertaiset_widgets.kinds.network_map.network import add_actor, add_tie, load_network, remove_own
from vertaiset_widgets.privacy import (
    VertaisetUnknownParticipantError,
    compact,
    forget_participant,
    purge_older_than,
    purge_session,
)
from vertaiset_widgets.store import AnswerInput, SessionStore
from vertaiset_widgets.kinds.highlights.wall import edit_highlight, post_highlight, read_wall, vote
from vertaiset_widgets.kinds.agreement_board.board import write_board

ROOT = Path(__file__).resolve().parent.parent
MARK = "Qx7ZV"
MARKERS = {
    "nickname": f"{MARK}nimimerkkiä",
    "group": f"{MARK}ryhmä",
    "highlight": f"{MARK}nosto",
    "edited": f"{MARK}muokattu",
    "name": f"{MARK}nimi",
    "organisation": f"{MARK}organisaatio",
    "expectation": f"{MARK}odotus",
    "canvas": f"{MARK}pohja",
    "actor": f"{MARK}toimija",
    "actor_org": f"{MARK}toimijaorg",
    "note": f"{MARK}huomio",
}
WALL = "unelmaverkosto"
TOKEN_X = "browser-token-x-0123456789abcdef"
TOKEN_Y = "browser-token-y-0123456789abcdef"


@pytest.fixture
def store(db_url):
    """An empty, migrated store on SQLite and on PostgreSQL."""
    s = SessionStore(db_url)
    yield s
    s.close()


def _open(store, session, *activities, revealed=False):
    for activity in activities:
        store.set_activity_state(session.id, activity, is_open=True, is_revealed=revealed)


def _workshop(store, content):
    """A session where X (to be forgotten) and Y wrote in every kind that takes text."""
    session, _ = store.create_session("Yksityisyyspaja", network="Testiverkosto")
    _open(store, session, WALL, "kuulumiset", "tavoitekanvaasi", "verkostokartta", "arviointi_360", revealed=True)
    x = store.join(session.id, TOKEN_X, nickname=MARKERS["nickname"], group=MARKERS["group"])
    y = store.join(session.id, TOKEN_Y, nickname="Toinen", group="Ryhmä B")
    item = post_highlight(store, x, WALL, MARKERS["highlight"], submission_id="x-post")
    edit_highlight(store, x, WALL, item, MARKERS["edited"], submission_id="x-edit")
    theirs = post_highlight(store, y, WALL, "Yhteistyö sujuu hyvin", submission_id="y-post")
    vote(store, x, WALL, theirs, submission_id="x-vote")
    store.submit(x, "kuulumiset", [
        AnswerInput("nimi", "", value_text=MARKERS["name"]),
        AnswerInput("organisaatio", "", value_text=MARKERS["organisation"]),
        AnswerInput("sektori", "", value_text="kunta"),
        AnswerInput("odotus", "", value_text=MARKERS["expectation"]),
    ], submission_id="x-checkin")
    store.submit(y, "kuulumiset", [AnswerInput("nimi", "", value_text="Ylva")], submission_id="y-checkin")
    store.submit(x, "tavoitekanvaasi", [AnswerInput("miksi", MARKERS["group"], value_text=MARKERS["canvas"])],
                 submission_id="x-canvas")
    activity = content.activity("verkostokartta")
    mine = add_actor(store, x, activity, {"name": MARKERS["actor"], "organisation": MARKERS["actor_org"],
                                          "sector": "julkinen"}, submission_id="x-actor")
    other = add_actor(store, y, activity, {"name": "Kela"}, submission_id="y-actor")
    add_tie(store, x, activity, {"source": mine, "target": other, "type": "vahva", "note": MARKERS["note"]},
            submission_id="x-tie")
    for person, points in ((x, 4.0), (y, 2.0)):
        store.submit(person, "arviointi_360", [AnswerInput("johtaminen", "nyt", value_num=points)],
                     submission_id=f"rate-{person.id}")
    return session, x, y


def _every_row(store) -> str:
    """Every row of every table in the database, as text."""
    with store.engine.connect() as conn:
        names = sa.inspect(conn).get_table_names()
        return "\n".join(repr(tuple(r)) for name in names for r in conn.exec_driver_sql(f'SELECT * FROM "{name}"'))


def _sqlite_bytes(url: str) -> bytes:
    path = Path(sa.engine.make_url(url).database)
    return b"".join(p.read_bytes() for p in sorted(path.parent.glob(path.name + "*")) if p.is_file())


def _exports(store, code: str, folder: Path) -> dict[str, bytes]:
    out = {fmt: export_session(store, code, fmt, folder / f"x.{fmt}").read_bytes() for fmt in ("csv", "json")}
    with zipfile.ZipFile(export_session(store, code, "xlsx", folder / "x.xlsx")) as book:  # compressed: read each part
        out["xlsx"] = b"".join(book.read(name) for name in book.namelist())
    for fmt in ("graphml", "kumu"):
        out[fmt] = export_activity(store, code, fmt, folder / f"x.{fmt}").read_bytes()
    return out


def _pg_files_holding(store, needle: str) -> list[str]:
    """The relations of the current PostgreSQL database whose files hold ``needle``, after a
    checkpoint (needs a local superuser); a file no relation owns any more is named by its number."""
    with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("CHECKPOINT")
        data, oid = conn.exec_driver_sql(
            "SELECT current_setting('data_directory'), oid FROM pg_database WHERE datname = current_database()"
        ).one()
        folder = Path(data) / "base" / str(oid)
        try:
            found = [p.name for p in folder.iterdir() if p.is_file() and needle.encode() in p.read_bytes()]
        except OSError as exc:
            pytest.skip(f"the PostgreSQL data files cannot be read here ({exc})")
        names = []
        for name in found:
            node = int(name.split("_")[0].split(".")[0])
            rel = conn.exec_driver_sql(
                "SELECT relname FROM pg_class WHERE pg_relation_filenode(oid) = %(node)s", {"node": node}
            ).scalar()
            names.append(f"{rel or 'file ' + str(node)} ({name})")
    return names


# ---------------------------------------------------------------------- forgetting
def test_forget_leaves_nothing_of_them_in_any_table(store, content):
    """After forget no nickname, group, highlight, check-in, canvas or map text of theirs is in any table."""
    session, x, _y = _workshop(store, content)
    before = _every_row(store)
    assert all(m in before for m in MARKERS.values())
    forget_participant(store, session.code, str(x.id), content=content)
    assert MARK not in _every_row(store)


def test_forget_leaves_nothing_in_the_sqlite_file(sqlite_url, content):
    """After forget the SQLite file and its write-ahead log hold none of their words, not even in free pages."""
    store = SessionStore(sqlite_url)
    session, x, _y = _workshop(store, content)
    assert MARK.encode() in _sqlite_bytes(sqlite_url)
    done = forget_participant(store, session.code, str(x.id), content=content)
    assert done.compacted
    assert MARK.encode() not in _sqlite_bytes(sqlite_url)


@pytest.mark.postgres
def test_forget_leaves_nothing_in_the_postgres_files(content):
    """After forget no file of the PostgreSQL database holds their words, not even the planner's statistics."""
    store, session, x = _pg_workshop(content)
    assert _pg_files_holding(store, MARK)
    done = forget_participant(store, session.code, str(x.id), content=content)
    assert done.compacted
    assert _pg_files_holding(store, MARK) == []


def _pg_workshop(content):
    """A fresh PostgreSQL store with the workshop in it and its statistics gathered, or a skip."""
    import os

    url = os.environ.get("VERTAISET_TEST_PG_URL")
    if not url:
        pytest.skip("needs VERTAISET_TEST_PG_URL (tools/with-postgres.sh starts a throwaway server)")
    from conftest import _reset_postgres

    _reset_postgres(url)
    store = SessionStore(url)
    session, x, _y = _workshop(store, content)
    with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("ANALYZE")  # as autovacuum would: sample values of text columns go to pg_statistic
    return store, session, x


def _reader_holding_a_snapshot(store, seconds: float, *, writes: bool = False, elsewhere: bool = False):
    """Another connection that began before the erasure and stays open for ``seconds``: it holds
    a snapshot, or (``writes``) has written a row of its own and not committed it; ``elsewhere``:
    a transaction with an id of its own in another database of the same server (a rewrite's own
    snapshot counts every transaction still running on the server as possibly seeing old rows)."""
    import threading

    if elsewhere:
        other = store.engine.url.set(database=f"{store.engine.url.database}_elsewhere")
        admin = sa.create_engine(store.engine.url, isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            if not c.exec_driver_sql("SELECT 1 FROM pg_database WHERE datname = %(n)s", {"n": other.database}).scalar():
                c.exec_driver_sql(f'CREATE DATABASE "{other.database}"')
        admin.dispose()
        conn = sa.create_engine(other, poolclass=sa.pool.NullPool).connect()
        conn.exec_driver_sql("BEGIN")
        conn.exec_driver_sql("SELECT pg_current_xact_id()").scalar()  # as a write would: the transaction gets an id
    elif writes:
        conn = store.engine.connect()
        conn.exec_driver_sql("BEGIN")
        conn.exec_driver_sql("INSERT INTO attempts (scope, subject, created_at) VALUES ('x', 'y', now())")
    else:
        conn = store.engine.connect()
        conn.exec_driver_sql("BEGIN ISOLATION LEVEL REPEATABLE READ")
        conn.exec_driver_sql("SELECT count(*) FROM sessions").scalar()  # no lock on the tables it rewrites

    def finish():
        conn.rollback()
        conn.close()

    timer = threading.Timer(seconds, finish)
    timer.start()
    return timer


@pytest.mark.postgres
@pytest.mark.parametrize(
    "writes, elsewhere", [(False, False), (True, False), (True, True)], ids=["reading", "writing", "elsewhere"]
)
def test_forget_waits_for_a_transaction_that_began_before_it(content, writes, elsewhere):
    """A transaction that still sees the old rows (reading, or having written and not ended, in this
    database or another one on the server) does not keep their words in the rewritten files."""
    store, session, x = _pg_workshop(content)
    reader = _reader_holding_a_snapshot(store, 1.5, writes=writes, elsewhere=elsewhere)
    done = forget_participant(store, session.code, str(x.id), content=content)
    reader.join()
    assert done.compacted
    assert _pg_files_holding(store, MARK) == []


@pytest.mark.postgres
def test_forget_says_so_when_a_reader_outlasts_the_wait(content):
    """When an older transaction stays open past the wait, the erasure reports its files not clean."""
    store, session, x = _pg_workshop(content)
    reader = _reader_holding_a_snapshot(store, 3.0)
    forget_participant(store, session.code, str(x.id), content=content, clean_files=False)
    assert compact(store, [schema.answers, schema.participants], wait=0.3) is False
    reader.join()
    assert compact(store, [schema.answers, schema.participants], wait=0.3) is True


def test_forget_leaves_nothing_in_any_export(store, content, tmp_path):
    """CSV, XLSX, JSON, GraphML and Kumu exports after forget hold none of their words."""
    session, x, _y = _workshop(store, content)
    assert MARK.encode() in b"".join(_exports(store, session.code, tmp_path / "before").values())
    forget_participant(store, session.code, str(x.id), content=content)
    leaks = {fmt: data for fmt, data in _exports(store, session.code, tmp_path / "after").items() if MARK.encode() in data}
    assert leaks == {}


def test_forget_keeps_the_counts(store, content):
    """Forgetting keeps the participant count, every answer row, the highlight count and the numeric answers."""
    session, x, _y = _workshop(store, content)
    rows = store.count_rows(session.id)
    walls = len(read_wall(store, session.id, WALL))
    forget_participant(store, session.code, str(x.id), content=content)
    people = store.participants(session.id)
    ratings = sorted(a.value_num for a in store.answers(session.id, "arviointi_360"))
    assert (len(people), store.count_rows(session.id), len(read_wall(store, session.id, WALL)), ratings) == (
        2, rows, walls, [2.0, 4.0])


def test_forgotten_participant_is_a_blank_tombstone(store, content):
    """The forgotten participant's row stays, marked forgotten, with no nickname or group."""
    session, x, _y = _workshop(store, content)
    forget_participant(store, session.code, str(x.id), content=content)
    tomb = next(p for p in store.participants(session.id) if p.id == x.id)
    assert (tomb.forgotten, tomb.nickname, tomb.group_name) == (True, None, None)


def test_forgotten_highlight_counts_as_withdrawn_and_its_votes_stay(store, content):
    """Their highlight leaves the wall as withdrawn, and the +1 they gave still counts."""
    session, x, y = _workshop(store, content)
    forget_participant(store, session.code, str(x.id), content=content)
    walls = {h.participant_id: h for h in read_wall(store, session.id, WALL)}
    assert walls[x.id].withdrawn and not walls[y.id].withdrawn and walls[y.id].voters == {x.id}


def test_others_words_stay_after_forget(store, content):
    """The other participant's highlight, check-in and map actor are untouched."""
    session, x, y = _workshop(store, content)
    forget_participant(store, session.code, str(x.id), content=content)
    net = load_network(store, session.id, content.activity("verkostokartta"))
    texts = {a.value_text for a in store.answers(session.id, participant_id=y.id)}
    assert {"Yhteistyö sujuu hyvin", "Ylva"} <= texts and [a.name for a in net.visible_actors] == ["Kela"]


def test_group_canvas_falls_back_to_the_teammates_words(store, content):
    """In a shared group canvas, the forgotten member's box gives way to what a teammate wrote."""
    session, _ = store.create_session("Ryhmäpaja")
    _open(store, session, "tavoitekanvaasi")
    mate = store.join(session.id, TOKEN_Y, group="Yhteinen")
    x = store.join(session.id, TOKEN_X, group="Yhteinen")
    store.submit(mate, "tavoitekanvaasi", [AnswerInput("miksi", "Yhteinen", value_text="Tiimin teksti")], submission_id="m")
    store.submit(x, "tavoitekanvaasi", [AnswerInput("miksi", "Yhteinen", value_text=MARKERS["canvas"])], submission_id="x")
    forget_participant(store, session.code, str(x.id), content=content)
    rows = [a for a in store.answers(session.id, "tavoitekanvaasi") if a.layer == "Yhteinen" and a.item == "miksi"]
    assert max(rows, key=lambda a: a.id).value_text == "Tiimin teksti"


def test_forgotten_phone_joins_as_someone_new(store, content):
    """The phone of a forgotten participant no longer finds the tombstone: it joins as a new participant."""
    session, x, _y = _workshop(store, content)
    forget_participant(store, session.code, str(x.id), content=content)
    again = store.join(session.id, TOKEN_X)
    assert again.id != x.id and not again.forgotten


def test_forget_finds_a_unique_nickname(store, content):
    """A nickname only one participant has names them as well as the id does."""
    session, x, _y = _workshop(store, content)
    forget_participant(store, session.code, MARKERS["nickname"].upper(), content=content)
    assert next(p for p in store.participants(session.id) if p.id == x.id).forgotten


def test_forget_refuses_a_shared_nickname(store, content):
    """Two participants with the same nickname: forget asks for the id instead of guessing."""
    session, _ = store.create_session("Kaksoispaja")
    store.join(session.id, TOKEN_X, nickname="Sama")
    store.join(session.id, TOKEN_Y, nickname="Sama")
    with pytest.raises(VertaisetUnknownParticipantError, match="give the id"):
        forget_participant(store, session.code, "Sama", content=content)


# ---------------------------------------------------------------------- purging
def test_session_purge_deletes_every_row_of_the_session(store, content):
    """After purge no table has a row of the session, and the other session is whole."""
    session, _x, _y = _workshop(store, content)
    store.set_agenda(session.id, [("01_tilannekuva.ipynb", "kuulumiset", "9.00")])
    store.moderate(session.id, WALL, read_wall(store, session.id, WALL)[0].item, "pin")
    write_board(store, session.id, "toimintatavat", "q1", {"answer": f"{MARK}sopimus"})
    other, _ = store.create_session("Toinen paja", network="Muu verkosto")
    store.join(other.id, TOKEN_X, nickname="Pysyvä")
    purge_session(store, session.code)
    assert MARK not in _every_row(store) and "Testiverkosto" not in _every_row(store)
    assert store.find_session(session.code) is None and [p.nickname for p in store.participants(other.id)] == ["Pysyvä"]


def test_session_purge_leaves_nothing_in_the_sqlite_file(sqlite_url, content):
    """After purge the SQLite file and its log hold none of the session's words."""
    store = SessionStore(sqlite_url)
    session, _x, _y = _workshop(store, content)
    purge_session(store, session.code)
    assert b"Yksityisyyspaja" not in _sqlite_bytes(sqlite_url) and MARK.encode() not in _sqlite_bytes(sqlite_url)


def test_every_table_is_reached_by_purge():
    """Each table holds rows of a session (a session_id column), or is sessions, networks or a table of none
    (the attempts' hashes, the activity templates sessions ran with: a trainer's texts, no one's answers;
    the practice bank, kept across sessions: descriptions and a room's mean profile, never a participant's answer)."""
    tables = {tb.name for tb in schema.metadata.sorted_tables if "session_id" not in tb.c}
    assert tables <= {"sessions", "networks", "attempts", "template_versions", "practices", "practice_versions"}, "a new table with session data must have session_id"


def _aged(store, code: str, held_days_ago: int, created_days_ago: int) -> None:
    now = datetime.now(timezone.utc)
    with store.engine.begin() as conn:
        conn.execute(
            sa.update(schema.sessions).where(schema.sessions.c.code == code).values(
                held_on=date.today() - timedelta(days=held_days_ago), created_at=now - timedelta(days=created_days_ago))
        )


def test_purge_older_than_removes_only_old_sessions(store):
    """Sessions held and created more than DAYS ago go; recent ones and ones created recently stay."""
    codes = {}
    for name, held, created in (("old", 400, 400), ("recent", 10, 10), ("late_entry", 400, 1), ("future", -30, 400)):
        session, _ = store.create_session(name)
        store.join(session.id, f"token-{name}-000000")
        _aged(store, session.code, held, created)
        codes[name] = session.code
    done = purge_older_than(store, 180)
    kept = {name for name, code in codes.items() if store.find_session(code)}
    assert (done.sessions, kept) == ([codes["old"]], {"recent", "late_entry", "future"})


def test_purge_dry_run_deletes_nothing(store):
    """--dry-run names the old sessions and leaves them."""
    session, _ = store.create_session("Vanha")
    _aged(store, session.code, 400, 400)
    done = purge_older_than(store, 30, dry_run=True)
    assert done.sessions == [session.code] and store.find_session(session.code) is not None


# ---------------------------------------------------------------------- withdrawal
def test_withdrawal_erases_the_text_and_its_edits(store):
    """Withdrawing a highlight blanks it and every earlier version in the store."""
    session, _ = store.create_session("Nostopaja")
    _open(store, session, WALL)
    x = store.join(session.id, TOKEN_X)
    item = post_highlight(store, x, WALL, MARKERS["highlight"], submission_id="p")
    edit_highlight(store, x, WALL, item, MARKERS["edited"], submission_id="e")
    edit_highlight(store, x, WALL, item, None, submission_id="w")
    assert MARK not in _every_row(store)


def test_withdrawn_highlight_still_counts_as_posted(store):
    """The wall keeps a withdrawn highlight as a tombstone: posted once, now withdrawn."""
    session, _ = store.create_session("Nostopaja")
    _open(store, session, WALL)
    x = store.join(session.id, TOKEN_X)
    item = post_highlight(store, x, WALL, MARKERS["highlight"], submission_id="p")
    edit_highlight(store, x, WALL, item, None, submission_id="w")
    assert [(h.item, h.withdrawn) for h in read_wall(store, session.id, WALL)] == [(item, True)]


def test_taking_back_a_map_actor_erases_its_words(store, content):
    """An actor its author takes back leaves no name or organisation in the store."""
    session, _ = store.create_session("Karttapaja")
    _open(store, session, "verkostokartta")
    x = store.join(session.id, TOKEN_X)
    activity = content.activity("verkostokartta")
    actor = add_actor(store, x, activity, {"name": MARKERS["actor"], "organisation": MARKERS["actor_org"]},
                      submission_id="a")
    remove_own(store, x, activity, actor, submission_id="r")
    assert MARK not in _every_row(store)


# ---------------------------------------------------------------------- tokens
def test_tokens_are_stored_hashed(store):
    """The participants table holds the token's SHA-256, never the token."""
    session, _ = store.create_session("Tunnistepaja")
    store.join(session.id, TOKEN_X)
    with store.engine.connect() as conn:
        stored = conn.execute(sa.select(schema.participants.c.token)).scalars().all()
    assert stored == [hashlib.sha256(TOKEN_X.encode()).hexdigest()]


def test_returning_phone_finds_its_participant(store):
    """A phone coming back with the same token is the same participant, with its nickname."""
    session, _ = store.create_session("Tunnistepaja")
    first = store.join(session.id, TOKEN_X, nickname="Palaaja")
    again = store.join(session.id, TOKEN_X)
    assert (again.id, again.nickname, store.find_participant(session.id, TOKEN_X).id) == (first.id, "Palaaja", first.id)


def test_migration_hashes_existing_tokens(db_url):
    """A database at 0004 with a plain token is upgraded: the token is hashed and the phone still finds its participant."""
    from alembic import command
    from alembic.config import Config

    import vertaiset_widgets

    old = SessionStore(db_url, migrate=False)
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(vertaiset_widgets.__file__).parent / "migrations"))
    with old.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0004_clean_text")
    with old.engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO networks (name, created_at) VALUES ('Kevät', '2026-04-01 10:00:00')")
        conn.exec_driver_sql(
            "INSERT INTO sessions (network_id, code, title, held_on, lang, key_hash, is_open, revision, created_at) "
            "VALUES (1, 'SPRING', 'Kevätpaja', '2026-04-01', 'fi', 'x', true, 1, '2026-04-01 10:00:00')"
        )
        conn.exec_driver_sql(
            "INSERT INTO participants (session_id, token, nickname, created_at, seen_at) "
            f"VALUES (1, '{TOKEN_X}', 'Kevätlintu', '2026-04-01 10:00:00', '2026-04-01 10:00:00')"
        )
    old.close()
    store = SessionStore(db_url)
    found = store.find_participant(store.get_session("SPRING").id, TOKEN_X)
    with store.engine.connect() as conn:
        stored = conn.execute(sa.select(schema.participants.c.token)).scalar_one()
    store.close()
    assert (found.nickname, stored) == ("Kevätlintu", hashlib.sha256(TOKEN_X.encode()).hexdigest())


# ---------------------------------------------------------------------- the command
def test_cli_forget_takes_the_export_id(sqlite_url, content, tmp_path):
    """`vertaiset participant forget CODE ID` with the export's participant column forgets that participant."""
    store = SessionStore(sqlite_url)
    session, x, _y = _workshop(store, content)
    export_session(store, session.code, "csv", tmp_path / "a.csv")
    with open(tmp_path / "a.csv", encoding="utf-8-sig") as fh:
        (number,) = {row["participant"] for row in csv.DictReader(fh) if row["nickname"] == MARKERS["nickname"]}
    assert cli.main(["participant", "forget", session.code, number, "--db-url", sqlite_url]) == 0
    assert next(p for p in store.participants(session.id) if p.id == x.id).forgotten


def test_cli_forget_unknown_participant_says_so(sqlite_url, capsys):
    """An id that is not in the session is one line on stderr and exit code 2, not a traceback."""
    store = SessionStore(sqlite_url)
    session, _ = store.create_session("Tyhjä")
    assert cli.main(["participant", "forget", session.code, "999", "--db-url", sqlite_url]) == 2
    assert "no participant '999'" in capsys.readouterr().err


def test_cli_session_purge(sqlite_url, content, capsys):
    """`vertaiset session purge CODE` deletes the session and says how much went."""
    store = SessionStore(sqlite_url)
    session, _x, _y = _workshop(store, content)
    assert cli.main(["session", "purge", session.code, "--db-url", sqlite_url]) == 0
    assert "2 participants" in capsys.readouterr().out and store.find_session(session.code) is None


def test_cli_purge_older_than_runs_as_a_scheduled_command(sqlite_url):
    """The installed `vertaiset purge --older-than DAYS` (what cron runs) deletes the old session and prints it."""
    store = SessionStore(sqlite_url)
    old, _ = store.create_session("Vanha")
    new, _ = store.create_session("Uusi")
    _aged(store, old.code, 200, 200)
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "vertaiset"), "purge", "--older-than", "180", "--db-url", sqlite_url],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )
    assert (proc.returncode, proc.stdout.strip()) == (0, f"deleted 1 sessions: {old.code}"), proc.stderr
    assert store.find_session(new.code) is not None


def test_cli_forget_help_names_the_export_column(capsys):
    """`participant forget --help` tells the facilitator where to find the participant's number."""
    with pytest.raises(SystemExit):
        cli.main(["participant", "forget", "--help"])
    assert "'participant' column of `vertaiset export`" in " ".join(capsys.readouterr().out.split())


# ---------------------------------------------------------------------- the privacy notice
def test_notice_markup_is_shown_as_text():
    """HTML in the trainer-edited notice is escaped; headings, lists and placeholders are ours."""
    from vertaiset_widgets.notice import render_notice

    out = render_notice("<!-- ohje -->\n# Otsikko <b>\n\n- <img src=x onerror=alert(1)>\n\n[[Rekisterinpitäjä]] <script>x</script>")
    assert out == (
        "<h3>Otsikko &lt;b&gt;</h3><ul><li>&lt;img src=x onerror=alert(1)&gt;</li></ul>"
        "<p><mark class='vt-placeholder'>[[Rekisterinpitäjä]]</mark> &lt;script&gt;x&lt;/script&gt;</p>"
    )


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_notice_template_has_every_section(lang):
    """Each language's notice template names controller, purpose, legal basis, data, retention, rights and contact."""
    text = (ROOT / "templates" / "privacy" / f"tietosuojaseloste.{lang}.md").read_text(encoding="utf-8")
    assert text.count("\n## ") == 8 and text.count("[[") >= 10


def test_participant_page_shows_the_notice_and_own_number(store, content):
    """The phone's page folds the privacy notice in its footer and, once joined, shows the participant's number."""
    from vertaiset_widgets.config import PageParams
    from vertaiset_widgets.participant import ParticipantPage

    session, _ = store.create_session("Selostepaja")
    page = ParticipantPage(PageParams(session=session.code, lang="sv"), content=content, store=store)
    page.join_as(TOKEN_X)
    footer = page._footer.value
    number = store.find_participant(session.id, TOKEN_X).id
    assert "<summary>Dataskyddsbeskrivning</summary>" in footer and f"Ditt deltagarnummer är {number}." in footer
    page.close()


def test_purging_a_round_leaves_the_next_round_whole(store):
    """A round that followed a purged session keeps its network's other rounds and its own data."""
    from datetime import date

    first, _ = store.create_session("Kierros 1", network="Purkuverkosto", held_on=date(2024, 1, 1))
    second, _ = store.create_session("Kierros 2", follows=first.code, held_on=date(2024, 6, 1))
    third, _ = store.create_session("Kierros 3", follows=second.code, held_on=date(2025, 1, 1))
    store.promote_step(second.id, "askelten_arviointi", "h1", f"{MARK}askel")
    purge_session(store, second.code)
    assert MARK not in _every_row(store)
    third = store.get_session(third.code)
    assert third.follows_id is None and store.previous_round(third).code == first.code
    assert store.carried_steps(third) == (store.get_session(first.code), [])

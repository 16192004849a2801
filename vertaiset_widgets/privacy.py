"""Erasure and retention (GDPR): forget a participant, purge a session, purge old sessions.

What is erased, and what stays:

- **Forgetting a participant** blanks every text they gave (``answers.value_text``: highlights
  and all their earlier versions, check-in and canvas boxes, the actors and ties they added to
  a network map) and their profile (nickname, group). In a group canvas the row's layer is the
  group's name, a free text too: it is blanked as well, so the group's boxes show what the
  others in the group wrote. The rows themselves stay, as tombstones: the participant row with
  ``forgotten_at`` set, and their answers with numbers only. Numbers (ratings, choices, points,
  +1s) are not personal text and keep counting, so the room's counts and means do not change
  after the fact. Their highlights count as withdrawn; their actors and ties leave the map as
  if taken back (with the ties others drew to those actors). The browser token's hash is
  replaced by a random one: the phone that was theirs joins as a new participant.
- **Purging a session** deletes it and every row that belongs to it, from every table that has
  a ``session_id``, and its network when no other session belongs to it.
- Facilitators' board entries are not linked to a participant and are not touched by forgetting.

Deleted text must not stay in the database's files either. SQLite connections run with
``secure_delete`` (freed space is zeroed); after an erasure the write-ahead log is
checkpointed and truncated and the file vacuumed. PostgreSQL keeps deleted and overwritten
rows in its data files until they are vacuumed, and the planner's statistics keep sample
values of text columns: once every transaction that began before the erasure has ended (in
any database of the server: a rewrite keeps the rows such a transaction could still read), the tables an erasure touched get
``VACUUM (FULL, ANALYZE)``, which rewrites them (it locks each table for the moment it takes), and ``pg_statistic`` is rewritten
too when the database user may (a superuser or the database's owner). What the database
server itself keeps beyond that (PostgreSQL's write-ahead log segments until they are recycled,
backups) follows the organisation's own settings and retention.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Iterable, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from . import schema as t
from .errors import VertaisetError
from .store import PEOPLE_KEY, Participant, SessionInfo, hash_token

if TYPE_CHECKING:
    from .store import SessionStore

if TYPE_CHECKING:  # pragma: no cover
    from .content import Content

__all__ = [
    "Erasure",
    "VertaisetUnknownParticipantError",
    "compact",
    "forget_participant",
    "purge_older_than",
    "purge_session",
    "resolve_participant",
    "scrub_items",
    "sessions_older_than",
]


class VertaisetUnknownParticipantError(VertaisetError):
    """No participant (or more than one) matches what the facilitator gave."""


@dataclass
class Erasure:
    """What one erasure did.

    Attributes
    ----------
    sessions : list of str
        Join codes of the sessions touched (purged, or whose participant was forgotten).
    participants : int
        Participants forgotten, or deleted with their sessions.
    answers : int
        Answer rows blanked, or deleted with their sessions.
    compacted : bool
        True when the database files were cleaned too (SQLite: vacuumed and the
        write-ahead log truncated; PostgreSQL: the tables and their statistics rewritten).
    """

    sessions: list[str] = field(default_factory=list)
    participants: int = 0
    answers: int = 0
    compacted: bool = False


def _now() -> datetime:
    return datetime.now(timezone.utc)


# ---------------------------------------------------------------------- withdrawal
def scrub_items(store: SessionStore, participant: Participant, activity_id: str, items: Sequence[str]) -> int:
    """Blank every text a participant gave for these items of an activity (every version); return the rows.

    Used when a participant takes back their own highlight or map entry: the rows stay (the
    wall still counts what was posted and withdrawn), the words do not.
    """
    a = t.answers

    def run(conn: Connection) -> int:
        result = conn.execute(
            sa.update(a)
            .where(
                a.c.session_id == participant.session_id,
                a.c.participant_id == participant.id,
                a.c.activity_id == activity_id,
                a.c.item.in_(list(items)),
                a.c.value_text.is_not(None),
            )
            .values(value_text=None)
        )
        store._bump(conn, participant.session_id, activity_id)
        return int(result.rowcount or 0)

    return store._write(run)


# ---------------------------------------------------------------------- forgetting a participant
def resolve_participant(store: SessionStore, session: SessionInfo, who: str) -> Participant:
    """The participant a facilitator means: the number in the export's ``participant`` column
    (and on the participant's own page), or else a nickname that only one participant has.

    Raises
    ------
    VertaisetUnknownParticipantError
        No participant matches, or several share the nickname.
    """
    wanted = " ".join(str(who or "").split())
    people = store.participants(session.id)
    if wanted.isdigit():
        found = [p for p in people if p.id == int(wanted)]
    else:
        found = [p for p in people if p.nickname and p.nickname.casefold() == wanted.casefold()]
    if len(found) > 1:
        ids = ", ".join(str(p.id) for p in found)
        raise VertaisetUnknownParticipantError(
            f"{len(found)} participants of {session.code} have the nickname {wanted!r} (ids {ids}): give the id"
        )
    if not found:
        raise VertaisetUnknownParticipantError(
            f"no participant {wanted!r} in {session.code} (give the number in the export's participant column)"
        )
    return found[0]


def _group_layer_activities(content: Content | None) -> tuple[set[str], set[str]]:
    """(activities whose layers are names people gave, e.g. a group's canvas; every known activity)."""
    if content is None:
        from .content import load_content

        content = load_content()
    per_group = {a.id for a in content.activities.values() if a.layers_are_names}
    return per_group, set(content.activities)


def forget_participant(
    store: SessionStore, code: str, who: str, *, content: Content | None = None, clean_files: bool = True
) -> Erasure:
    """Erase one participant's texts and profile from a session, leaving a tombstone.

    Parameters
    ----------
    store : SessionStore
    code : str
        The session's join code.
    who : str
        The participant's id as the export shows it, or their (unique) nickname.
    content : Content, optional
        The templates, to know which canvases are per group (default: :func:`load_content`).
    clean_files : bool
        Also clean the database files afterwards (see :func:`compact`); default True.
    """
    session = store.get_session(code)
    person = resolve_participant(store, session, who)
    per_group, known = _group_layer_activities(content)
    a, p = t.answers, t.participants

    def run(conn: Connection) -> int:
        mine = sa.and_(a.c.session_id == session.id, a.c.participant_id == person.id)
        touched = conn.execute(sa.select(a.c.activity_id).where(mine).distinct()).scalars().all()
        # A group's name is the layer of a group canvas's rows. For an activity the templates
        # no longer have, the person's own group name is the best guess of such a layer.
        group_rows = a.c.activity_id.in_(sorted(per_group))
        if person.group_name:
            unknown_activity = a.c.activity_id.not_in(sorted(known))
            group_rows = sa.or_(group_rows, sa.and_(unknown_activity, a.c.layer == person.group_name))
        conn.execute(sa.update(a).where(mine, group_rows, a.c.layer != "").values(layer=""))
        blanked = conn.execute(sa.update(a).where(mine, a.c.value_text.is_not(None)).values(value_text=None)).rowcount
        conn.execute(
            sa.update(p)
            .where(p.c.id == person.id)
            .values(
                nickname=None,
                group_name=None,
                # the phone's token no longer finds this row: it would join as someone new
                token=hash_token(secrets.token_hex(32)),
                seen_at=p.c.created_at,
                forgotten_at=_now(),
            )
        )
        store._bump(conn, session.id, PEOPLE_KEY, *touched)  # every activity that showed their words
        return int(blanked or 0)

    blanked = store._write(run)
    done = Erasure(sessions=[session.code], participants=1, answers=blanked)
    if clean_files:
        done.compacted = compact(store, [t.answers, t.participants])
    return done


# ---------------------------------------------------------------------- purging sessions
def _session_tables() -> list[sa.Table]:
    """Every table with rows of a session, the ones referring to others first."""
    return [tb for tb in reversed(t.metadata.sorted_tables) if "session_id" in tb.c and tb is not t.sessions]


def _delete_sessions(store: SessionStore, sessions: Iterable[SessionInfo]) -> Erasure:
    sessions = list(sessions)
    done = Erasure(sessions=[s.code for s in sessions])
    if not sessions:
        return done
    ids = [s.id for s in sessions]
    networks = {s.network_id for s in sessions}

    def run(conn: Connection) -> None:
        for table in _session_tables():
            result = conn.execute(sa.delete(table).where(table.c.session_id.in_(ids)))
            if table is t.answers:
                done.answers = int(result.rowcount or 0)
            elif table is t.participants:
                done.participants = int(result.rowcount or 0)
        # a later round that followed a purged one follows the one before it by date from now on
        conn.execute(sa.update(t.sessions).where(t.sessions.c.follows_id.in_(ids)).values(follows_id=None))
        # the bank keeps its practices; a version fed by a purged session no longer names it
        pv = t.practice_versions
        conn.execute(sa.update(pv).where(pv.c.from_session_id.in_(ids)).values(from_session_id=None))
        conn.execute(sa.delete(t.sessions).where(t.sessions.c.id.in_(ids)))
        # a network's name is the organisation's words: it goes with its last session
        still_used = set(
            conn.execute(sa.select(t.sessions.c.network_id).where(t.sessions.c.network_id.in_(networks))).scalars()
        )
        gone = networks - still_used
        if gone:
            conn.execute(sa.delete(t.networks).where(t.networks.c.id.in_(gone)))

    store._write(run)
    return done


def purge_session(store: SessionStore, code: str, *, clean_files: bool = True) -> Erasure:
    """Delete a session and everything of it: participants, answers, states, plan, boards, moderation.

    Raises
    ------
    VertaisetUnknownSessionError
        No session has this code.
    """
    done = _delete_sessions(store, [store.get_session(code)])
    if clean_files:
        done.compacted = compact(store, _all_tables())
    return done


def sessions_older_than(store: SessionStore, days: int, *, today: date | None = None) -> list[SessionInfo]:
    """Sessions both held and created more than ``days`` days ago, oldest first.

    Both dates count, so that a session created today for a day in the past (or a future
    day) is never taken by a retention run.
    """
    if days < 0:
        raise ValueError("days must be 0 or more")
    today = today or date.today()
    cutoff = today - timedelta(days=days)
    cutoff_time = datetime(cutoff.year, cutoff.month, cutoff.day, tzinfo=timezone.utc)
    s = t.sessions
    with store.engine.connect() as conn:
        codes = conn.execute(
            sa.select(s.c.code).where(s.c.held_on < cutoff, s.c.created_at < cutoff_time).order_by(s.c.held_on, s.c.id)
        ).scalars().all()
    return [store.get_session(c) for c in codes]


def purge_older_than(
    store: SessionStore, days: int, *, today: date | None = None, dry_run: bool = False, clean_files: bool = True
) -> Erasure:
    """The retention rule: delete every session held (and created) more than ``days`` days ago.

    With ``dry_run`` nothing is deleted: the result names the sessions that would be.
    """
    old = sessions_older_than(store, days, today=today)
    if dry_run:
        return Erasure(sessions=[s.code for s in old])
    done = _delete_sessions(store, old)
    if clean_files and old:
        done.compacted = compact(store, _all_tables())
    return done


# ---------------------------------------------------------------------- the files
def _all_tables() -> list[sa.Table]:
    return list(t.metadata.sorted_tables)


#: How long an erasure waits for older transactions to end before rewriting PostgreSQL's files.
SNAPSHOT_WAIT = 30.0


def _older_snapshots_gone(conn, timeout: float) -> bool:
    """Wait until no transaction that might still see the rows as they were before now is open.

    ``VACUUM FULL`` copies a dead row when some open transaction might still read it, so the
    erased text would survive the rewrite. Such a transaction is one of this database holding
    a snapshot from before now (a long report query, an autovacuum ``ANALYZE``), or any
    transaction of the server, in any database, that got its id before now and has not ended
    (one that wrote, a prepared one): the rewrite's own snapshot counts those as running, and
    keeps every row they might see. False when such a transaction is still open after
    ``timeout`` seconds.
    """
    import time

    # this transaction's id, in full (xid8) and as the 32 bits pg_stat_activity shows
    mark, mark32 = conn.exec_driver_sql("SELECT pg_current_xact_id()::text, xid(pg_current_xact_id())::text").one()
    older = (
        # the oldest transaction still running on the server, in any database, began after now
        "SELECT pg_snapshot_xmin(pg_current_snapshot()) <= %(mark)s::xid8 "
        # and no other session of this database reads with a snapshot from before now
        "OR EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = current_database() "
        "AND pid <> pg_backend_pid() AND backend_xmin IS NOT NULL "
        "AND age(backend_xmin) >= age(%(mark32)s::xid))"
    )
    end = time.monotonic() + timeout
    while conn.exec_driver_sql(older, {"mark": mark, "mark32": mark32}).scalar():
        if time.monotonic() >= end:
            return False
        time.sleep(0.1)
    return True


def compact(store: SessionStore, tables: Sequence[sa.Table], *, wait: float = SNAPSHOT_WAIT) -> bool:
    """Clean erased text out of the database's files; return True when that was done completely.

    SQLite: checkpoint and truncate the write-ahead log (it holds old page images), vacuum
    (rebuilds the file, leaving no free pages with old data), then truncate the log again.
    False when another process kept the log from being truncated (a page reading right
    then); the next erasure or ``vertaiset purge`` cleans it. PostgreSQL: wait (up to ``wait``
    seconds) for transactions that began before the erasure to end (in any database of the
    server), ``VACUUM (FULL, ANALYZE)``
    the tables, wait again, then rewrite ``pg_statistic``; False when an older transaction was
    still open, or the user may not rewrite ``pg_statistic`` (neither a superuser nor the
    database's owner). Other databases: nothing, False.
    """
    dialect = store.engine.dialect.name
    if dialect == "sqlite":
        if store.engine.url.database in (None, "", ":memory:"):
            return True
        raw = store.engine.raw_connection()
        try:
            cur = raw.cursor()
            cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cur.execute("VACUUM")
            busy = cur.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
            cur.close()
        finally:
            raw.close()
        return not busy
    if dialect == "postgresql":
        with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            clean = _older_snapshots_gone(conn, wait)
            for table in tables:
                # ANALYZE too: the planner's statistics (pg_statistic) keep sample values of text columns
                conn.exec_driver_sql(f'VACUUM (FULL, ANALYZE) "{table.name}"')
            # the replaced statistics rows are dead rows of pg_statistic, with the old samples in them;
            # only a superuser or the database's owner may rewrite it (others get a warning, not an error)
            allowed = conn.exec_driver_sql(
                "SELECT r.rolsuper OR d.datdba = r.oid FROM pg_roles r, pg_database d "
                "WHERE r.rolname = current_user AND d.datname = current_database()"
            ).scalar()
            if allowed:
                clean = _older_snapshots_gone(conn, wait) and clean
                conn.exec_driver_sql("VACUUM FULL pg_catalog.pg_statistic")
        return bool(allowed) and clean
    return False

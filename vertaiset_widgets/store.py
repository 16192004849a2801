"""The session store: the only code that speaks SQL.

SQLAlchemy Core over SQLite (one file, WAL, busy timeout, ``BEGIN IMMEDIATE`` for
writes so that many Voila kernels can write at once) or any other SQLAlchemy URL
(PostgreSQL when several servers share one database).

Answers are append-only: every answer is a new row with an idempotency key, and the
latest row per participant, activity, round, item and layer is the one that counts.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Iterator, Sequence

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, OperationalError

from . import schema as t
from .config import normalize_code, resolve_db_url
from .errors import (
    VertaisetActivityClosedError,
    VertaisetInputError,
    VertaisetSessionClosedError,
    VertaisetUnknownSessionError,
)

__all__ = [
    "ActivityState",
    "Answer",
    "AnswerInput",
    "Participant",
    "SessionInfo",
    "SessionStore",
    "new_join_code",
]

# No 0/O, 1/I/L: codes are read off a projector and typed on phones.
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
_MAX_TEXT = 2000
_MAX_NAME = 60


def _now() -> datetime:
    return datetime.now(timezone.utc)


def new_join_code(length: int = 6) -> str:
    """A random join code that is easy to read aloud and type."""
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(length))


def _hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class SessionInfo:
    """One workshop session."""

    id: int
    code: str
    title: str
    held_on: date
    lang: str
    network_id: int
    network_name: str
    is_open: bool
    revision: int


@dataclass(frozen=True)
class Participant:
    """A participant of one session: anonymous unless they gave a nickname."""

    id: int
    session_id: int
    token: str
    nickname: str | None
    group_name: str | None


@dataclass(frozen=True)
class ActivityState:
    """Whether an activity takes answers, shows its results, and which round it is in."""

    activity_id: str
    is_open: bool = False
    is_revealed: bool = False
    round: int = 1

    @property
    def name(self) -> str:
        """``open``, ``revealed`` or ``closed``."""
        if self.is_open:
            return "open"
        return "revealed" if self.is_revealed else "closed"


@dataclass(frozen=True)
class AnswerInput:
    """One answer as a participant gives it: an item (and layer) with a number or a text."""

    item: str
    layer: str = ""
    value_num: float | None = None
    value_text: str | None = None


@dataclass(frozen=True)
class Answer:
    """One stored answer, with who gave it."""

    id: int
    participant_id: int
    nickname: str | None
    group_name: str | None
    activity_id: str
    round: int
    item: str
    layer: str
    value_num: float | None
    value_text: str | None
    created_at: datetime


def _is_locked(exc: OperationalError) -> bool:
    text = str(exc.orig).lower() if exc.orig is not None else str(exc).lower()
    return "locked" in text or "busy" in text


class SessionStore:
    """Read and write sessions, participants, activity states and answers.

    Parameters
    ----------
    db_url : str, optional
        Any SQLAlchemy URL; default :func:`vertaiset_widgets.config.default_db_url`.
    migrate : bool
        Bring the schema up to date on open (default True).
    """

    def __init__(self, db_url: str | None = None, *, migrate: bool = True):
        self.url = resolve_db_url(db_url)
        self.engine = _make_engine(self.url)
        if migrate:
            self.migrate()

    # ------------------------------------------------------------------ plumbing
    def close(self) -> None:
        """Release the connections."""
        self.engine.dispose()

    def __enter__(self) -> "SessionStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def is_sqlite(self) -> bool:
        """True for a SQLite store."""
        return self.engine.dialect.name == "sqlite"

    def schema_revision(self) -> str | None:
        """The migration the database is at, or None for an empty database."""
        with self.engine.connect() as conn:
            if not sa.inspect(conn).has_table("alembic_version"):
                return None
            return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()

    def migrate(self) -> None:
        """Run the Alembic migrations up to the newest, if the database is behind.

        Several processes may open a new database at once: the migration runs under a
        lock (a lock file beside a SQLite database, an advisory lock on PostgreSQL).
        """
        try:
            if self.schema_revision() == t.SCHEMA_REVISION:
                return
        except OperationalError:
            pass
        with self._migration_lock():
            if self.schema_revision() == t.SCHEMA_REVISION:
                return
            from alembic import command
            from alembic.config import Config

            cfg = Config()
            cfg.set_main_option("script_location", str(Path(__file__).resolve().parent / "migrations"))
            with self.engine.begin() as conn:
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")

    @contextmanager
    def _migration_lock(self) -> Iterator[None]:
        if self.is_sqlite and self.engine.url.database not in (None, "", ":memory:"):
            import fcntl

            lock_path = f"{self.engine.url.database}.migrate.lock"
            with open(lock_path, "w") as fh:
                fcntl.flock(fh, fcntl.LOCK_EX)
                try:
                    yield
                finally:
                    fcntl.flock(fh, fcntl.LOCK_UN)
        elif self.engine.dialect.name == "postgresql":
            with self.engine.connect() as conn:
                conn.exec_driver_sql("SELECT pg_advisory_lock(724101)")
                conn.commit()
                try:
                    yield
                finally:
                    conn.exec_driver_sql("SELECT pg_advisory_unlock(724101)")
                    conn.commit()
        else:
            yield

    def _write(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        """Run ``fn(conn, ...)`` in one write transaction, retrying while the database is busy."""
        delay = 0.05
        for attempt in range(12):
            try:
                with self.engine.connect() as conn:
                    conn.execution_options(vertaiset_write=True)
                    with conn.begin():
                        return fn(conn, *args, **kwargs)
            except OperationalError as exc:
                if not _is_locked(exc) or attempt == 11:
                    raise
                time.sleep(delay)
                delay = min(delay * 2, 1.0)
        raise AssertionError("unreachable")  # pragma: no cover

    @staticmethod
    def _bump(conn: Connection, session_id: int) -> None:
        conn.execute(
            sa.update(t.sessions).where(t.sessions.c.id == session_id).values(revision=t.sessions.c.revision + 1)
        )

    # ------------------------------------------------------------------ sessions
    def create_session(
        self,
        title: str,
        *,
        network: str | None = None,
        held_on: date | None = None,
        lang: str = "fi",
        code: str | None = None,
        key: str | None = None,
    ) -> tuple[SessionInfo, str]:
        """Create a session (and its network, if new) and return it with its facilitator key.

        The key is shown once: only its hash is stored.
        """
        key = key or secrets.token_urlsafe(12)
        title = _clean_line(title, 300) or "Verkostotyöpaja"
        network = _clean_line(network, 200) or title

        def run(conn: Connection, join_code: str) -> int:
            net_id = conn.execute(
                sa.select(t.networks.c.id).where(t.networks.c.name == network).order_by(t.networks.c.id)
            ).scalar()
            if net_id is None:
                net_id = conn.execute(
                    sa.insert(t.networks).values(name=network, created_at=_now()).returning(t.networks.c.id)
                ).scalar_one()
            return conn.execute(
                sa.insert(t.sessions)
                .values(
                    network_id=net_id,
                    code=join_code,
                    title=title,
                    held_on=held_on or date.today(),
                    lang=lang,
                    key_hash=_hash_key(key),
                    is_open=True,
                    revision=1,
                    created_at=_now(),
                )
                .returning(t.sessions.c.id)
            ).scalar_one()

        for _ in range(20):
            join_code = normalize_code(code) if code else new_join_code()
            try:
                self._write(run, join_code)
            except IntegrityError:
                if code:
                    raise
                continue
            return self.get_session(join_code), key
        raise RuntimeError("could not find a free join code")  # pragma: no cover

    def get_session(self, code: str) -> SessionInfo:
        """The session with this join code.

        Raises
        ------
        VertaisetUnknownSessionError
            No session has this code.
        """
        query = (
            sa.select(t.sessions, t.networks.c.name.label("network_name"))
            .join(t.networks, t.networks.c.id == t.sessions.c.network_id)
            .where(t.sessions.c.code == normalize_code(code))
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).mappings().first()
        if row is None:
            raise VertaisetUnknownSessionError(code)
        return SessionInfo(
            id=row["id"],
            code=row["code"],
            title=row["title"],
            held_on=row["held_on"],
            lang=row["lang"],
            network_id=row["network_id"],
            network_name=row["network_name"],
            is_open=bool(row["is_open"]),
            revision=int(row["revision"]),
        )

    def find_session(self, code: str) -> SessionInfo | None:
        """Like :meth:`get_session`, but None for an unknown code."""
        try:
            return self.get_session(code)
        except VertaisetUnknownSessionError:
            return None

    def list_sessions(self) -> list[SessionInfo]:
        """Every session, newest first."""
        with self.engine.connect() as conn:
            codes = conn.execute(sa.select(t.sessions.c.code).order_by(t.sessions.c.id.desc())).scalars().all()
        return [self.get_session(c) for c in codes]

    def network_sessions(self, network_id: int) -> list[SessionInfo]:
        """The sessions (rounds) of one network, oldest first."""
        with self.engine.connect() as conn:
            codes = (
                conn.execute(
                    sa.select(t.sessions.c.code)
                    .where(t.sessions.c.network_id == network_id)
                    .order_by(t.sessions.c.held_on, t.sessions.c.id)
                )
                .scalars()
                .all()
            )
        return [self.get_session(c) for c in codes]

    def check_key(self, code: str, key: str | None) -> bool:
        """True when ``key`` is the session's facilitator key."""
        if not key:
            return False
        with self.engine.connect() as conn:
            stored = conn.execute(
                sa.select(t.sessions.c.key_hash).where(t.sessions.c.code == normalize_code(code))
            ).scalar()
        return stored is not None and hmac.compare_digest(stored, _hash_key(key))

    def set_key(self, code: str, key: str | None = None) -> str:
        """Give the session a new facilitator key (old links stop working) and return it."""
        key = key or secrets.token_urlsafe(12)
        session = self.get_session(code)

        def run(conn: Connection) -> None:
            conn.execute(sa.update(t.sessions).where(t.sessions.c.id == session.id).values(key_hash=_hash_key(key)))

        self._write(run)
        return key

    def set_session_open(self, session_id: int, is_open: bool) -> None:
        """Open or close the whole session to participants."""

        def run(conn: Connection) -> None:
            conn.execute(sa.update(t.sessions).where(t.sessions.c.id == session_id).values(is_open=is_open))
            self._bump(conn, session_id)

        self._write(run)

    def revision(self, session_id: int) -> int:
        """A number that grows with every change to the session: what open pages poll."""
        with self.engine.connect() as conn:
            value = conn.execute(sa.select(t.sessions.c.revision).where(t.sessions.c.id == session_id)).scalar()
        return int(value or 0)

    # ------------------------------------------------------------------ participants
    def join(self, session_id: int, token: str, *, nickname: str | None = None, group: str | None = None) -> Participant:
        """Return the participant with this browser token, creating it on first visit."""
        token = (token or "").strip()[:64]
        if len(token) < 8:
            raise VertaisetInputError("participant token is missing")

        def run(conn: Connection) -> None:
            found = conn.execute(
                sa.select(t.participants.c.id).where(
                    t.participants.c.session_id == session_id, t.participants.c.token == token
                )
            ).scalar()
            if found is None:
                conn.execute(
                    sa.insert(t.participants).values(
                        session_id=session_id,
                        token=token,
                        nickname=_clean_line(nickname, _MAX_NAME),
                        group_name=_clean_line(group, _MAX_NAME),
                        created_at=_now(),
                        seen_at=_now(),
                    )
                )
                self._bump(conn, session_id)

        self._write(run)
        return self._participant(session_id, token)

    def _participant(self, session_id: int, token: str) -> Participant:
        with self.engine.connect() as conn:
            row = (
                conn.execute(
                    sa.select(t.participants).where(
                        t.participants.c.session_id == session_id, t.participants.c.token == token
                    )
                )
                .mappings()
                .one()
            )
        return Participant(row["id"], row["session_id"], row["token"], row["nickname"], row["group_name"])

    def update_profile(self, participant: Participant, *, nickname: str | None, group: str | None) -> Participant:
        """Change a participant's nickname and group (empty means none)."""

        def run(conn: Connection) -> None:
            conn.execute(
                sa.update(t.participants)
                .where(t.participants.c.id == participant.id)
                .values(nickname=_clean_line(nickname, _MAX_NAME), group_name=_clean_line(group, _MAX_NAME))
            )
            self._bump(conn, participant.session_id)

        self._write(run)
        return self._participant(participant.session_id, participant.token)

    def participants(self, session_id: int) -> list[Participant]:
        """Everyone who has joined the session."""
        with self.engine.connect() as conn:
            rows = (
                conn.execute(
                    sa.select(t.participants)
                    .where(t.participants.c.session_id == session_id)
                    .order_by(t.participants.c.id)
                )
                .mappings()
                .all()
            )
        return [Participant(r["id"], r["session_id"], r["token"], r["nickname"], r["group_name"]) for r in rows]

    # ------------------------------------------------------------------ activity states
    def activity_states(self, session_id: int) -> dict[str, ActivityState]:
        """The state of every activity the facilitator has touched in this session."""
        with self.engine.connect() as conn:
            rows = (
                conn.execute(sa.select(t.activity_states).where(t.activity_states.c.session_id == session_id))
                .mappings()
                .all()
            )
        return {
            r["activity_id"]: ActivityState(r["activity_id"], bool(r["is_open"]), bool(r["is_revealed"]), r["round"])
            for r in rows
        }

    def activity_state(self, session_id: int, activity_id: str) -> ActivityState:
        """The state of one activity (closed, round 1, when never touched)."""
        return self.activity_states(session_id).get(activity_id, ActivityState(activity_id))

    def set_activity_state(
        self,
        session_id: int,
        activity_id: str,
        *,
        is_open: bool | None = None,
        is_revealed: bool | None = None,
        new_round: bool = False,
    ) -> ActivityState:
        """Open or close an activity, reveal or hide its results, or start a new round.

        A new round keeps every earlier answer in the store; only the new round's count.
        """

        def run(conn: Connection) -> None:
            row = (
                conn.execute(
                    sa.select(t.activity_states).where(
                        t.activity_states.c.session_id == session_id,
                        t.activity_states.c.activity_id == activity_id,
                    )
                )
                .mappings()
                .first()
            )
            current = (
                ActivityState(activity_id, bool(row["is_open"]), bool(row["is_revealed"]), row["round"])
                if row
                else ActivityState(activity_id)
            )
            values = dict(
                is_open=current.is_open if is_open is None else is_open,
                is_revealed=current.is_revealed if is_revealed is None else is_revealed,
                round=current.round + 1 if new_round else current.round,
                updated_at=_now(),
            )
            if new_round:
                values["is_revealed"] = False
            if row is None:
                conn.execute(sa.insert(t.activity_states).values(session_id=session_id, activity_id=activity_id, **values))
            else:
                conn.execute(
                    sa.update(t.activity_states)
                    .where(
                        t.activity_states.c.session_id == session_id,
                        t.activity_states.c.activity_id == activity_id,
                    )
                    .values(**values)
                )
            self._bump(conn, session_id)

        self._write(run)
        return self.activity_state(session_id, activity_id)

    # ------------------------------------------------------------------ answers
    def submit(
        self,
        participant: Participant,
        activity_id: str,
        answers: Sequence[AnswerInput],
        *,
        submission_id: str,
        require_open: bool = True,
    ) -> int:
        """Store one submission; return how many rows were new.

        The same ``submission_id`` sent again (a retry after a lost acknowledgement)
        stores nothing twice. When this returns, the answers are committed.

        Raises
        ------
        VertaisetActivityClosedError
            The activity is not open (unless ``require_open`` is False, for seeding).
        VertaisetSessionClosedError
            The session is closed.
        """
        if not submission_id or len(submission_id) > 80:
            raise VertaisetInputError("submission id must be 1–80 characters")
        rows = []
        seen = set()
        for answer in answers:
            key = (answer.item, answer.layer)
            if key in seen:
                raise VertaisetInputError(f"item {answer.item!r} layer {answer.layer!r} given twice")
            seen.add(key)
            rows.append(answer)
        if not rows:
            return 0

        def run(conn: Connection) -> int:
            session = conn.execute(
                sa.select(t.sessions.c.is_open).where(t.sessions.c.id == participant.session_id)
            ).scalar()
            if require_open and not session:
                raise VertaisetSessionClosedError("the session is closed")
            state = (
                conn.execute(
                    sa.select(t.activity_states.c.is_open, t.activity_states.c.round).where(
                        t.activity_states.c.session_id == participant.session_id,
                        t.activity_states.c.activity_id == activity_id,
                    )
                )
                .mappings()
                .first()
            )
            if require_open and not (state and state["is_open"]):
                raise VertaisetActivityClosedError(f"activity {activity_id!r} is not open")
            current_round = state["round"] if state else 1
            now = _now()
            values = [
                dict(
                    session_id=participant.session_id,
                    participant_id=participant.id,
                    activity_id=activity_id,
                    round=current_round,
                    item=a.item[:80],
                    layer=a.layer[:80],
                    value_num=a.value_num,
                    value_text=_clean_text(a.value_text),
                    idempotency_key=_idempotency_key(participant.id, submission_id, a.item, a.layer),
                    created_at=now,
                )
                for a in rows
            ]
            inserted = _insert_ignoring_duplicates(conn, t.answers, values, "idempotency_key")
            if inserted:
                self._bump(conn, participant.session_id)
            return inserted

        return self._write(run)

    def answers(
        self,
        session_id: int,
        activity_id: str | None = None,
        *,
        participant_id: int | None = None,
        latest: bool = True,
        round: int | None = None,
    ) -> list[Answer]:
        """Answers of a session, oldest first.

        Parameters
        ----------
        activity_id : str, optional
            Only this activity.
        participant_id : int, optional
            Only this participant.
        latest : bool
            Only the answer that counts per participant, item and layer (default True).
        round : int, optional
            Only this round; default the activity's current round when ``activity_id``
            is given, else every round.
        """
        a, p = t.answers, t.participants
        where = [a.c.session_id == session_id]
        if activity_id is not None:
            where.append(a.c.activity_id == activity_id)
            if round is None:
                round = self.activity_state(session_id, activity_id).round
        if round is not None:
            where.append(a.c.round == round)
        if participant_id is not None:
            where.append(a.c.participant_id == participant_id)
        query = sa.select(a, p.c.nickname, p.c.group_name).join(p, p.c.id == a.c.participant_id).where(*where)
        if latest:
            newest = (
                sa.select(sa.func.max(a.c.id).label("id"))
                .where(*where)
                .group_by(a.c.participant_id, a.c.activity_id, a.c.round, a.c.item, a.c.layer)
                .subquery()
            )
            query = query.join(newest, newest.c.id == a.c.id)
        with self.engine.connect() as conn:
            rows = conn.execute(query.order_by(a.c.id)).mappings().all()
        return [
            Answer(
                id=r["id"],
                participant_id=r["participant_id"],
                nickname=r["nickname"],
                group_name=r["group_name"],
                activity_id=r["activity_id"],
                round=r["round"],
                item=r["item"],
                layer=r["layer"],
                value_num=r["value_num"],
                value_text=r["value_text"],
                created_at=r["created_at"],
            )
            for r in rows
        ]

    def count_rows(self, session_id: int) -> int:
        """Every answer row of the session, superseded ones included."""
        with self.engine.connect() as conn:
            return int(
                conn.execute(
                    sa.select(sa.func.count()).select_from(t.answers).where(t.answers.c.session_id == session_id)
                ).scalar_one()
            )


def _insert_ignoring_duplicates(conn: Connection, table: sa.Table, values: list[dict[str, Any]], key: str) -> int:
    dialect = conn.dialect.name
    if dialect in ("sqlite", "postgresql"):
        if dialect == "sqlite":
            from sqlalchemy.dialects.sqlite import insert
        else:
            from sqlalchemy.dialects.postgresql import insert
        result = conn.execute(insert(table).on_conflict_do_nothing(index_elements=[key]).returning(table.c.id), values)
        return len(result.all())
    existing = set(
        conn.execute(sa.select(table.c[key]).where(table.c[key].in_([v[key] for v in values]))).scalars()
    )
    fresh = [v for v in values if v[key] not in existing]
    if fresh:
        conn.execute(sa.insert(table), fresh)
    return len(fresh)


def _idempotency_key(participant_id: int, submission_id: str, item: str, layer: str) -> str:
    """One key per participant, submission, item and layer (hashed: ids may be long)."""
    raw = "\x1f".join((str(participant_id), submission_id, item, layer))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _clean_line(value: str | None, limit: int) -> str | None:
    if value is None:
        return None
    value = " ".join(str(value).split())[:limit]
    return value or None


def _clean_text(value: str | None) -> str | None:
    if value is None:
        return None
    value = str(value).replace("\x00", "").strip()[:_MAX_TEXT]
    return value or None


def _make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
        database = engine.url.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            # take transaction control from the sqlite3 module, so that writes can BEGIN IMMEDIATE
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA busy_timeout = 30000")
            cur.execute("PRAGMA foreign_keys = ON")
            if database and database != ":memory:":
                mode = cur.execute("PRAGMA journal_mode").fetchone()[0]
                if str(mode).lower() != "wal":
                    cur.execute("PRAGMA journal_mode = WAL")
                cur.execute("PRAGMA synchronous = FULL")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Connection) -> None:
            # A deferred transaction that reads and then writes can fail at once with
            # SQLITE_BUSY when another process wrote in between; IMMEDIATE waits instead.
            if conn.get_execution_options().get("vertaiset_write"):
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            else:
                conn.exec_driver_sql("BEGIN")

        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return sa.create_engine(url, pool_pre_ping=True)

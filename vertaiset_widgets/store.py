"""The session store: the only code that speaks SQL.

SQLAlchemy Core over SQLite (one file, WAL, busy timeout, ``BEGIN IMMEDIATE`` for
writes so that many Voila kernels can write at once) or any other SQLAlchemy URL
(PostgreSQL when several servers share one database).

Answers are append-only: every answer is a new row with an idempotency key, and the
latest row per participant, activity, round, item and layer is the one that counts.
The one exception is erasure (:mod:`vertaiset_widgets.privacy`): a withdrawn highlight's
texts and a forgotten participant's texts are blanked in place, and purged sessions deleted.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterator, Sequence

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, OperationalError

from . import revisions
from . import schema as t
from . import text as _text
from .config import normalize_code, resolve_db_url
from .errors import (
    VertaisetActivityClosedError,
    VertaisetInputError,
    VertaisetSessionClosedError,
    VertaisetUnknownSessionError,
)
from .revisions import PEOPLE_KEY, SESSION_KEY

__all__ = [
    "PEOPLE_KEY",
    "SESSION_KEY",
    "ActivityState",
    "Answer",
    "AnswerInput",
    "Highlight",
    "Participant",
    "SessionInfo",
    "SessionStore",
    "hash_token",
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


def hash_token(token: str) -> str:
    """What the store keeps of a participant's browser token: its SHA-256, in hex.

    The token is 128 random bits, so a plain hash cannot be reversed by guessing; a copy of
    the database (a backup, an export of the table) does not let anyone act as a participant.
    """
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


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
    """A participant of one session: anonymous unless they gave a nickname.

    ``token`` is the stored hash of the browser's token (:func:`hash_token`), never the token.
    ``forgotten`` is True for the tombstone of an erased participant.
    """

    id: int
    session_id: int
    token: str
    nickname: str | None
    group_name: str | None
    forgotten: bool = False


@dataclass(frozen=True)
class ActivityState:
    """Whether an activity takes answers, shows its results, and which round it is in."""

    activity_id: str
    is_open: bool = False
    is_revealed: bool = False
    round: int = 1
    timer_ends_at: datetime | None = None

    def seconds_left(self, now: datetime | None = None) -> int | None:
        """Whole seconds until the timer ends (0 once it has), or None without a timer."""
        if self.timer_ends_at is None:
            return None
        now = now or _now()
        ends = self.timer_ends_at if self.timer_ends_at.tzinfo else self.timer_ends_at.replace(tzinfo=timezone.utc)
        return max(0, int((ends - now).total_seconds() + 0.999))

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


@dataclass(frozen=True)
class Highlight:
    """One highlight (*nosto*) on the wall, as it stands now."""

    item: str
    participant_id: int
    nickname: str | None
    group_name: str | None
    text: str | None
    tag: str | None
    created_at: datetime
    edited: bool
    voters: frozenset[int]
    hidden: bool
    pinned: bool
    merged_into: str | None

    @property
    def withdrawn(self) -> bool:
        """True when its author took it back."""
        return self.text is None

    @property
    def visible(self) -> bool:
        """True when it belongs on the wall (not withdrawn, hidden or merged into another)."""
        return not (self.withdrawn or self.hidden or self.merged_into)


#: The moderation actions (of highlights, and of a network map's actors and ties) and the kind of state each sets.
MODERATION = {"hide": "hidden", "show": "hidden", "pin": "pinned", "unpin": "pinned", "merge": "merged", "unmerge": "merged"}


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
    def _bump(conn: Connection, session_id: int, *changed: str) -> None:
        """Count a write in the caller's transaction: the session's revision grows by one and
        each of ``changed`` (activity ids, or :data:`SESSION_KEY` / :data:`PEOPLE_KEY`) takes it."""
        revisions.bump(conn, session_id, changed)

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
        """True when ``key`` is the session's facilitator key.

        Wrong keys from one client slow down (:mod:`vertaiset_widgets.attempts`): after a
        few, this raises :class:`~vertaiset_widgets.errors.VertaisetTooManyAttemptsError`
        without checking the key until the wait is over.
        """
        if not key:
            return False
        from .attempts import AttemptGuard, client_address

        code = normalize_code(code)
        client = client_address()
        guard = AttemptGuard(self, "key", f"{code}|{client}" if client else "")
        guard.check()
        with self.engine.connect() as conn:
            stored = conn.execute(sa.select(t.sessions.c.key_hash).where(t.sessions.c.code == code)).scalar()
        ok = stored is not None and hmac.compare_digest(stored, _hash_key(key))
        if stored is not None and not ok:
            guard.failed()
        return ok

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
            self._bump(conn, session_id, SESSION_KEY)

        self._write(run)

    def revision(self, session_id: int) -> int:
        """A number that grows with every change to the session: what open pages poll."""
        with self.engine.connect() as conn:
            value = conn.execute(sa.select(t.sessions.c.revision).where(t.sessions.c.id == session_id)).scalar()
        return int(value or 0)

    def changes_since(self, session_id: int, revision: int) -> dict[str, int]:
        """What changed after ``revision``: activity id (or :data:`SESSION_KEY`, :data:`PEOPLE_KEY`)
        -> the session's revision at its latest write. One indexed read."""
        with self.engine.connect() as conn:
            return revisions.changes_since(conn, session_id, revision)

    # ------------------------------------------------------------------ agenda
    def set_agenda(self, session_id: int, items: Sequence[tuple[str, str, str | None]]) -> None:
        """Replace the session's plan with ``(workbook, activity_id, time)`` items in order."""

        def run(conn: Connection) -> None:
            conn.execute(sa.delete(t.agenda_items).where(t.agenda_items.c.session_id == session_id))
            if items:
                conn.execute(
                    sa.insert(t.agenda_items),
                    [
                        dict(session_id=session_id, position=i, workbook=_clean_key(w, 120), activity_id=_clean_key(a),
                             starts_at=_clean_key(when, 5) if when else None)
                        for i, (w, a, when) in enumerate(items)
                    ],
                )
            self._bump(conn, session_id, SESSION_KEY)

        self._write(run)

    def agenda(self, session_id: int) -> list[tuple[str, str, str | None]]:
        """The session's plan as ``(workbook, activity_id, time)``, in order."""
        g = t.agenda_items
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(g.c.workbook, g.c.activity_id, g.c.starts_at)
                .where(g.c.session_id == session_id)
                .order_by(g.c.position)
            ).all()
        return [(r.workbook, r.activity_id, r.starts_at) for r in rows]

    # ------------------------------------------------------------------ participants
    def join(self, session_id: int, token: str, *, nickname: str | None = None, group: str | None = None) -> Participant:
        """Return the participant with this browser token, creating it on first visit.

        Only the token's hash is stored and looked up (:func:`hash_token`).
        """
        token = (token or "").strip()[:64]
        if len(token) < 8:
            raise VertaisetInputError("participant token is missing")
        hashed = hash_token(token)

        def run(conn: Connection) -> None:
            found = conn.execute(
                sa.select(t.participants.c.id).where(
                    t.participants.c.session_id == session_id, t.participants.c.token == hashed
                )
            ).scalar()
            if found is None:
                conn.execute(
                    sa.insert(t.participants).values(
                        session_id=session_id,
                        token=hashed,
                        nickname=_clean_line(nickname, _MAX_NAME),
                        group_name=_clean_line(group, _MAX_NAME),
                        created_at=_now(),
                        seen_at=_now(),
                    )
                )
                self._bump(conn, session_id, PEOPLE_KEY)

        self._write(run)
        found = self.find_participant(session_id, token)
        assert found is not None  # written above, in a committed transaction
        return found

    def find_participant(self, session_id: int, token: str) -> Participant | None:
        """The participant whose browser keeps ``token`` (hashed before the lookup), or None."""
        token = (token or "").strip()[:64]
        return self._participant_where(
            t.participants.c.session_id == session_id, t.participants.c.token == hash_token(token)
        )

    def _participant_where(self, *where: Any) -> Participant | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(t.participants).where(*where)).mappings().first()
        return _to_participant(row) if row is not None else None

    def update_profile(self, participant: Participant, *, nickname: str | None, group: str | None) -> Participant:
        """Change a participant's nickname and group (empty means none)."""

        def run(conn: Connection) -> None:
            conn.execute(
                sa.update(t.participants)
                .where(t.participants.c.id == participant.id)
                .values(nickname=_clean_line(nickname, _MAX_NAME), group_name=_clean_line(group, _MAX_NAME))
            )
            self._bump(conn, participant.session_id, PEOPLE_KEY)

        self._write(run)
        found = self._participant_where(t.participants.c.id == participant.id)
        assert found is not None
        return found

    def touch(self, participant: Participant) -> None:
        """Note that the participant's page is open now (no revision bump: who is present is no
        activity's data, and pages count it on their own clock)."""

        def run(conn: Connection) -> None:
            conn.execute(sa.update(t.participants).where(t.participants.c.id == participant.id).values(seen_at=_now()))

        self._write(run)

    def present_count(self, session_id: int, *, within_seconds: int = 90) -> int:
        """Participants whose page has been open within the last ``within_seconds``."""
        since = _now() - timedelta(seconds=within_seconds)
        p = t.participants
        with self.engine.connect() as conn:
            return int(
                conn.execute(
                    sa.select(sa.func.count()).select_from(p).where(p.c.session_id == session_id, p.c.seen_at >= since)
                ).scalar_one()
            )

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
        return [_to_participant(r) for r in rows]

    # ------------------------------------------------------------------ activity states
    def activity_states(self, session_id: int) -> dict[str, ActivityState]:
        """The state of every activity the facilitator has touched in this session."""
        with self.engine.connect() as conn:
            rows = (
                conn.execute(sa.select(t.activity_states).where(t.activity_states.c.session_id == session_id))
                .mappings()
                .all()
            )
        return {r["activity_id"]: _state(r) for r in rows}

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
        timer_seconds: int | None = None,
    ) -> ActivityState:
        """Open or close an activity, reveal or hide its results, start a new round, set its timer.

        A new round keeps every earlier answer in the store; only the new round's count.
        ``timer_seconds`` starts a countdown of that many seconds (0 clears it).
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
            current = _state(row) if row else ActivityState(activity_id)
            values = dict(
                is_open=current.is_open if is_open is None else is_open,
                is_revealed=current.is_revealed if is_revealed is None else is_revealed,
                round=current.round + 1 if new_round else current.round,
                updated_at=_now(),
                timer_ends_at=current.timer_ends_at,
            )
            if timer_seconds is not None:
                values["timer_ends_at"] = _now() + timedelta(seconds=timer_seconds) if timer_seconds > 0 else None
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
            self._bump(conn, session_id, activity_id)

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
                    item=_clean_key(a.item),
                    layer=_clean_key(a.layer),  # a canvas's layer is the group's name
                    value_num=a.value_num,
                    value_text=_clean_text(a.value_text),
                    idempotency_key=_idempotency_key(participant.id, submission_id, a.item, a.layer),
                    created_at=now,
                )
                for a in rows
            ]
            inserted = _insert_ignoring_duplicates(conn, t.answers, values, "idempotency_key")
            if inserted:
                self._bump(conn, participant.session_id, activity_id)
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

    # ------------------------------------------------------------------ highlights
    def post_highlight(
        self,
        participant: Participant,
        activity_id: str,
        text: str,
        *,
        tag: str | None = None,
        submission_id: str,
        max_length: int = 280,
        per_minute: int = 6,
    ) -> str:
        """Post a new highlight; return its id. The same submission sent twice posts once.

        Raises
        ------
        VertaisetInputError
            ``code`` is ``empty``, ``too_long`` or ``too_many`` (more than ``per_minute``
            new highlights from one participant in the last minute).
        """
        text = _check_highlight_text(text, max_length)
        item = "h" + hashlib.sha256(f"{participant.id}\x1f{submission_id}".encode()).hexdigest()[:24]

        def run(conn: Connection) -> None:
            a = t.answers
            already = conn.execute(
                sa.select(a.c.id).where(a.c.session_id == participant.session_id, a.c.item == item).limit(1)
            ).first()
            if already:
                return
            since = _now() - timedelta(seconds=60)
            recent = conn.execute(
                sa.select(sa.func.count(sa.distinct(a.c.item))).where(
                    a.c.session_id == participant.session_id,
                    a.c.participant_id == participant.id,
                    a.c.activity_id == activity_id,
                    a.c.layer == "text",
                    a.c.created_at >= since,
                )
            ).scalar_one()
            if recent >= per_minute:
                raise VertaisetInputError("too many highlights in a minute", code="too_many")

        self._write(run)
        self.submit(
            participant,
            activity_id,
            [AnswerInput(item, "text", value_text=text), AnswerInput(item, "tag", value_text=tag or None)],
            submission_id=submission_id,
        )
        return item

    def edit_highlight(
        self,
        participant: Participant,
        activity_id: str,
        item: str,
        text: str | None,
        *,
        tag: str | None = None,
        submission_id: str,
        max_length: int = 280,
    ) -> None:
        """Change (or, with ``text=None``, withdraw) one's own highlight while the activity is open.

        Withdrawing erases the highlight's texts (every earlier version too): the rows stay,
        without text, so the wall still counts it as posted and withdrawn.
        """
        if text is not None:
            text = _check_highlight_text(text, max_length)
        author = self._highlight_author(participant.session_id, item)
        if author != participant.id:
            raise VertaisetInputError("only its author can change a highlight", code="not_yours")
        answers = [AnswerInput(item, "text", value_text=text)]
        if text is not None:
            answers.append(AnswerInput(item, "tag", value_text=tag or None))
        self.submit(participant, activity_id, answers, submission_id=submission_id)
        if text is None:
            from .privacy import scrub_items

            scrub_items(self, participant, activity_id, [item])

    def vote(self, participant: Participant, activity_id: str, item: str, on: bool = True, *, submission_id: str) -> None:
        """+1 (or take back the +1 of) someone else's highlight; one vote per participant.

        +1s count only while the wall is open and its results are revealed: a hidden or
        closed wall takes none (a phone that still shows the wall gets a clear message).

        Raises
        ------
        VertaisetActivityClosedError
            The wall is closed or not revealed.
        """
        state = self.activity_state(participant.session_id, activity_id)
        if not (state.is_open and state.is_revealed):
            raise VertaisetActivityClosedError(f"activity {activity_id!r} takes no +1s now")
        author = self._highlight_author(participant.session_id, item)
        if author is None:
            raise VertaisetInputError("no such highlight", code="unknown")
        if author == participant.id:
            raise VertaisetInputError("one cannot +1 one's own highlight", code="own")
        self.submit(
            participant, activity_id, [AnswerInput(item, "vote", value_num=1.0 if on else 0.0)],
            submission_id=submission_id, require_open=False,
        )

    def _highlight_author(self, session_id: int, item: str) -> int | None:
        a = t.answers
        with self.engine.connect() as conn:
            return conn.execute(
                sa.select(a.c.participant_id)
                .where(a.c.session_id == session_id, a.c.item == item, a.c.layer == "text")
                .order_by(a.c.id)
                .limit(1)
            ).scalar()

    def moderate(self, session_id: int, activity_id: str, item: str, action: str, target: str | None = None) -> None:
        """The facilitator hides/shows, pins/unpins or merges/unmerges what a participant added
        (a highlight, a map's actor or tie; ``target``: the one it joins)."""
        if action not in MODERATION:
            raise VertaisetInputError(f"unknown moderation action {action!r}")
        if action == "merge" and (not target or target == item):
            raise VertaisetInputError("merge needs another highlight to merge into")
        state = self.activity_state(session_id, activity_id)

        def run(conn: Connection) -> None:
            conn.execute(
                sa.insert(t.moderation_events).values(
                    session_id=session_id, activity_id=activity_id, round=state.round, item=_clean_key(item),
                    action=action, target=_clean_key(target) if action == "merge" and target else None, created_at=_now(),
                )
            )
            self._bump(conn, session_id, activity_id)

        self._write(run)

    def highlights(self, session_id: int, activity_id: str, *, round: int | None = None) -> list[Highlight]:
        """Every highlight of the activity's round (withdrawn, hidden and merged ones too), oldest first.

        Votes of a merged highlight count for the one it was merged into (each voter once).
        """
        if round is None:
            round = self.activity_state(session_id, activity_id).round
        rows = self.answers(session_id, activity_id, round=round)
        history = self.answers(session_id, activity_id, round=round, latest=False)
        first_seen: dict[str, Answer] = {}
        edits: dict[str, int] = {}
        for r in history:
            if r.layer == "text":
                first_seen.setdefault(r.item, r)
                edits[r.item] = edits.get(r.item, 0) + 1
        texts: dict[str, Answer] = {}
        tags: dict[str, str | None] = {}
        voters: dict[str, set[int]] = {}
        for r in rows:
            if r.layer == "text":
                texts[r.item] = r
            elif r.layer == "tag":
                tags[r.item] = r.value_text
            elif r.layer == "vote" and r.value_num:
                voters.setdefault(r.item, set()).add(r.participant_id)
        marks = self.moderation(session_id, activity_id, round=round)
        merged = {
            item: target for (item, kind), (action, target) in marks.items() if kind == "merged" and action == "merge"
        }

        def root(item: str) -> str:
            seen = set()
            while item in merged and item not in seen:
                seen.add(item)
                item = merged[item]
            return item

        pooled: dict[str, set[int]] = {}
        for item, who in voters.items():
            pooled.setdefault(root(item), set()).update(who)
        out = []
        for item, first in first_seen.items():
            latest = texts.get(item, first)
            out.append(
                Highlight(
                    item=item,
                    participant_id=first.participant_id,
                    nickname=first.nickname,
                    group_name=first.group_name,
                    text=latest.value_text,
                    tag=tags.get(item),
                    created_at=first.created_at,
                    edited=edits.get(item, 1) > 1,
                    voters=frozenset(pooled.get(item, set()) if item not in merged else voters.get(item, set())),
                    hidden=marks.get((item, "hidden"), ("show", None))[0] == "hide",
                    pinned=marks.get((item, "pinned"), ("unpin", None))[0] == "pin",
                    merged_into=root(item) if item in merged else None,
                )
            )
        return out

    # ------------------------------------------------------------------ agreement boards
    #: the fields of one question on an agreement board
    BOARD_FIELDS = ("answer", "status", "owner", "mode")

    def set_board_entry(self, session_id: int, activity_id: str, item: str, values: dict[str, str | None]) -> int:
        """The facilitator writes one question's fields; return how many changed.

        Only fields whose value differs from what the board shows are stored (append-only).
        """
        unknown = set(values) - set(self.BOARD_FIELDS)
        if unknown:
            raise VertaisetInputError(f"unknown board fields: {', '.join(sorted(unknown))}")
        item = _clean_key(item)
        state = self.activity_state(session_id, activity_id)
        current = self.board(session_id, activity_id, round=state.round).get(item, {})
        changed = {k: _clean_text(v) for k, v in values.items() if _clean_text(v) != current.get(k)}
        if not changed:
            return 0

        def run(conn: Connection) -> None:
            now = _now()
            conn.execute(
                sa.insert(t.board_entries),
                [
                    dict(session_id=session_id, activity_id=activity_id, round=state.round, item=item[:80],
                         field=field, value=value, created_at=now)
                    for field, value in changed.items()
                ],
            )
            self._bump(conn, session_id, activity_id)

        self._write(run)
        return len(changed)

    def board(self, session_id: int, activity_id: str, *, round: int | None = None) -> dict[str, dict[str, str | None]]:
        """The board as it stands: question id -> {field: latest value}."""
        b = t.board_entries
        out: dict[str, dict[str, str | None]] = {}
        for row in self._round_log(b, (b.c.item, b.c.field, b.c.value), session_id, activity_id, round):
            out.setdefault(row.item, {})[row.field] = row.value
        return out

    def moderation(self, session_id: int, activity_id: str, *, round: int | None = None) -> dict[tuple[str, str], tuple[str, str | None]]:
        """The latest moderation per (item, kind): ``{(item, "merged"): ("merge", target), ...}``."""
        m = t.moderation_events
        events = self._round_log(m, (m.c.item, m.c.action, m.c.target), session_id, activity_id, round)
        return {(ev.item, MODERATION[ev.action]): (ev.action, ev.target) for ev in events}

    def _round_log(self, table: sa.Table, columns: tuple, session_id: int, activity_id: str, round: int | None) -> list[Any]:
        """The rows of an append-only log table for one activity's round (default: the current one), oldest first."""
        if round is None:
            round = self.activity_state(session_id, activity_id).round
        with self.engine.connect() as conn:
            return conn.execute(
                sa.select(*columns)
                .where(table.c.session_id == session_id, table.c.activity_id == activity_id, table.c.round == round)
                .order_by(table.c.id)
            ).all()

    def count_rows(self, session_id: int) -> int:
        """Every answer row of the session, superseded ones included."""
        with self.engine.connect() as conn:
            return int(
                conn.execute(
                    sa.select(sa.func.count()).select_from(t.answers).where(t.answers.c.session_id == session_id)
                ).scalar_one()
            )

    # ------------------------------------------------------------------ attempts
    def record_attempt(self, scope: str, subject: str) -> None:
        """Remember a failed join-code or key attempt; forget those older than a day."""

        def run(conn: Connection) -> None:
            now = _now()
            conn.execute(sa.delete(t.attempts).where(t.attempts.c.created_at < now - timedelta(days=1)))
            conn.execute(sa.insert(t.attempts).values(scope=scope[:16], subject=subject[:64], created_at=now))

        self._write(run)

    def attempt_times(self, scope: str, subject: str, since: datetime) -> list[datetime]:
        """When the failed attempts of ``subject`` in ``scope`` since ``since`` were made."""
        a = t.attempts
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(a.c.created_at).where(a.c.scope == scope, a.c.subject == subject, a.c.created_at >= since)
            ).scalars()
            return list(rows)


def _to_participant(row: Any) -> Participant:
    return Participant(
        row["id"], row["session_id"], row["token"], row["nickname"], row["group_name"], row["forgotten_at"] is not None
    )


def _state(row: Any) -> ActivityState:
    return ActivityState(
        row["activity_id"], bool(row["is_open"]), bool(row["is_revealed"]), row["round"], row["timer_ends_at"]
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


def _check_highlight_text(text: str | None, max_length: int) -> str:
    raw = " ".join(str(text or "").split())
    clean = _text.clean_line(raw)
    if not raw:
        raise VertaisetInputError("a highlight needs some text", code="empty")
    if clean is None:  # something was typed, but nothing of it shows (zero-width characters, controls)
        raise VertaisetInputError("a highlight needs visible text", code="invisible")
    if len(clean) > max_length:
        raise VertaisetInputError(f"a highlight may have at most {max_length} characters", code="too_long")
    return clean


def _idempotency_key(participant_id: int, submission_id: str, item: str, layer: str) -> str:
    """One key per participant, submission, item and layer (hashed: ids may be long)."""
    raw = "\x1f".join((str(participant_id), submission_id, item, layer))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _clean_line(value: str | None, limit: int) -> str | None:
    # NFC, no characters that crash the chart renderer or the exports; None when nothing shows
    return _text.clean_line(value, limit)


def _clean_text(value: str | None) -> str | None:
    return _text.clean_text(value, _MAX_TEXT)


def _clean_key(value: str, limit: int = 80) -> str:
    """An id or a key (item, layer, target): cleaned like text, its spacing kept, never None."""
    return _text.clean(str(value))[:limit]


def _make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
        database = engine.url.database
        # a "file:...?mode=ro&uri=true" URL names an existing file: no folder to make
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).parent.mkdir(parents=True, exist_ok=True)

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            # take transaction control from the sqlite3 module, so that writes can BEGIN IMMEDIATE
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA busy_timeout = 30000")
            cur.execute("PRAGMA foreign_keys = ON")
            # erased and overwritten text is zeroed in the file, not left in free space (GDPR erasure)
            cur.execute("PRAGMA secure_delete = ON")
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

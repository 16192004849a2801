"""The phone's store: what a participant's page reads and writes, in plain SQL.

A phone's kernel joins, reads the activities' states, submits answers and follows the
session's revisions. :class:`LightStore` does these over the standard library's ``sqlite3``
(or ``psycopg`` on PostgreSQL) without loading SQLAlchemy, which would add about 12 MiB to
every phone's kernel and a quarter of a second to its start. It writes the same rows, in the
same transactions and with the same rules, as :class:`~vertaiset_widgets.store.SessionStore`
(``BEGIN IMMEDIATE`` and retries while SQLite is busy, one revision per write, idempotent
submissions); the store tests run against both.

Anything else a page asks of it (a kind's own table, the practice bank) goes to a
:class:`~vertaiset_widgets.store.SessionStore` opened on first need, so nothing works only
with the one store. A database that is not at :data:`~.rows.SCHEMA_REVISION` is migrated by
that store first.
"""
from __future__ import annotations

import re
import threading
import time
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import Any, Iterator, Sequence

from ..config import normalize_code, resolve_db_url
from ..errors import VertaisetActivityClosedError, VertaisetInputError, VertaisetSessionClosedError, VertaisetUnknownSessionError
from ..revisions import PEOPLE_KEY, part_key
from .agenda import AgendaBlock, blocks_of
from .puimala_rows import PuimalaInfo, prework_window, to_info
from .rows import (MODERATION, SCHEMA_REVISION, ActivityState, Answer, AnswerInput, Participant, SessionInfo, _MAX_NAME,
                   _checked_submission, _checked_token, _clean_key, _clean_line, _clean_text, _idempotency_key, _now, _state,
                   _to_participant, _up_to, hash_token)

__all__ = ["LightStore", "light_url"]

#: the ``sqlite:`` URLs this store opens itself (a file, or ``file:...?mode=ro&uri=true``)
_SQLITE = re.compile(r"^sqlite(?:\+pysqlite)?:///(?P<path>.+)$")
_POSTGRES = re.compile(r"^postgresql(?:\+psycopg)?://")
_PARAM = re.compile(r"(?<![:\w]):([a-z_][a-z0-9_]*)")
#: at most this many rows in one INSERT (10 values a row: far below SQLite's limit of variables)
_BATCH = 500
#: the columns of ``answers`` a read hands out, and the puimala row's times
_ANSWER_COLUMNS = "a.id, a.participant_id, a.activity_id, a.round, a.item, a.layer, a.value_num, a.value_text, a.created_at"
_PUIMALA_TIMES = ("prework_opens", "prework_closes", "notes_published_at", "feedback_opens", "feedback_closes", "updated_at")


def light_url(db_url: str | None) -> bool:
    """True when :class:`LightStore` can open this URL itself (a SQLite file, PostgreSQL)."""
    url = resolve_db_url(db_url)
    match = _SQLITE.match(url)
    if match:
        return match.group("path") != ":memory:"
    return bool(_POSTGRES.match(url))


class LightStore:
    """The participant's part of the store, on ``sqlite3`` or ``psycopg``.

    Parameters
    ----------
    db_url : str, optional
        A ``sqlite:///`` file or a ``postgresql://`` URL (see :func:`light_url`); default
        :func:`vertaiset_widgets.config.default_db_url`.
    """

    def __init__(self, db_url: str | None = None):
        self.url = resolve_db_url(db_url)
        if not light_url(self.url):
            raise VertaisetInputError(f"the light store cannot open {self.url!r}")
        self.is_sqlite = self.url.startswith("sqlite")
        self._lock = threading.RLock()
        self._conn: Any = None
        self._full: Any = None
        try:
            current = self._read_one("SELECT version_num FROM alembic_version", {})
        except Exception:  # noqa: BLE001 - no such table yet: a new database
            current = None
        if current is None or current["version_num"] != SCHEMA_REVISION:
            self.full_store()  # migrates, under its lock

    # ------------------------------------------------------------------ plumbing
    def full_store(self) -> Any:
        """The :class:`~vertaiset_widgets.store.SessionStore` on the same database (opened once)."""
        if self._full is None:
            from .core import SessionStore

            self._full = SessionStore(self.url)
        return self._full

    def __getattr__(self, name: str) -> Any:
        # what this store does not do itself (a kind's own SQL through ``_write``, the bank, ...)
        if name.startswith("__") or name in ("_full", "_conn", "_lock"):
            raise AttributeError(name)
        return getattr(self.full_store(), name)

    def close(self) -> None:
        """Release the connection (and the full store's, if one was opened)."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
        if self._full is not None:
            self._full.close()

    def __enter__(self) -> "LightStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _connect(self) -> Any:
        if self._conn is not None:
            return self._conn
        if self.is_sqlite:
            import sqlite3
            from pathlib import Path

            path = _SQLITE.match(self.url).group("path")  # type: ignore[union-attr]
            if not path.startswith("file:"):
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(path, timeout=30, check_same_thread=False, isolation_level=None,
                                   uri=path.startswith("file:"))
            conn.row_factory = sqlite3.Row
            # the same settings as the SQLAlchemy store's connections (store/engine.py)
            conn.execute("PRAGMA busy_timeout = 30000")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA secure_delete = ON")
            if not path.startswith("file:"):
                if str(conn.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
                    conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = FULL")
        else:
            import psycopg
            from psycopg.rows import dict_row

            conn = psycopg.connect(_POSTGRES.sub("postgresql://", self.url), autocommit=True, row_factory=dict_row)
        self._conn = conn
        return conn

    def _sql(self, text: str) -> str:
        return text if self.is_sqlite else _PARAM.sub(r"%(\1)s", text)

    @contextmanager
    def _transaction(self, write: bool) -> Iterator[Any]:
        """One transaction, its cursor; on PostgreSQL a lost connection is opened again once."""
        with self._lock:
            for attempt in (0, 1):
                conn = self._connect()
                try:
                    cur = conn.cursor()
                    cur.execute("BEGIN IMMEDIATE" if write and self.is_sqlite else "BEGIN")
                    break
                except Exception:
                    if self.is_sqlite or attempt:
                        raise
                    self._conn = None  # a server that went away: the pool's pre-ping, by hand
            try:
                yield cur
            except BaseException:
                cur.execute("ROLLBACK")
                raise
            cur.execute("COMMIT")

    def _writing(self, fn: Any, *args: Any) -> Any:
        """Run ``fn(cursor, ...)`` in one write transaction, retrying while the database is busy."""
        delay = 0.05
        for attempt in range(12):
            try:
                with self._transaction(write=True) as cur:
                    return fn(cur, *args)
            except Exception as exc:  # noqa: BLE001 - only SQLite's "locked" or "busy" is retried
                text = str(exc).lower()
                if not (self.is_sqlite and ("locked" in text or "busy" in text)) or attempt == 11:
                    raise
                time.sleep(delay)
                delay = min(delay * 2, 1.0)
        raise AssertionError("unreachable")  # pragma: no cover

    def _rows(self, cur: Any, text: str, params: dict[str, Any]) -> list[Any]:
        cur.execute(self._sql(text), params)
        return cur.fetchall()

    def _read(self, text: str, params: dict[str, Any]) -> list[Any]:
        with self._transaction(write=False) as cur:
            return self._rows(cur, text, params)

    def _read_one(self, text: str, params: dict[str, Any]) -> Any:
        rows = self._read(text, params)
        return rows[0] if rows else None

    def _when(self, value: datetime | None) -> Any:
        """A time as the column takes it: SQLAlchemy's text form on SQLite (the time's own fields)."""
        if value is None or not self.is_sqlite:
            return value
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")

    def _time(self, value: Any) -> datetime | None:
        """A time as the SQLAlchemy store hands it out (naive UTC from SQLite)."""
        if isinstance(value, str):
            return datetime.fromisoformat(value)
        return value

    def _row(self, row: Any, *times: str) -> dict[str, Any]:
        out = dict(row)
        for name in times:
            out[name] = self._time(out.get(name))
        return out

    # ------------------------------------------------------------------ sessions
    def get_session(self, code: str) -> SessionInfo:
        """The session with this join code (:class:`VertaisetUnknownSessionError` if none)."""
        return self._session_where("s.code = :v", normalize_code(code), code)

    def session_by_id(self, session_id: int) -> SessionInfo:
        """The session with this id (:class:`VertaisetUnknownSessionError` if none)."""
        return self._session_where("s.id = :v", session_id, f"#{session_id}")

    def find_session(self, code: str) -> SessionInfo | None:
        """Like :meth:`get_session`, but None for an unknown code."""
        try:
            return self.get_session(code)
        except VertaisetUnknownSessionError:
            return None

    def _session_where(self, condition: str, value: Any, asked: str) -> SessionInfo:
        row = self._read_one(
            "SELECT s.id, s.code, s.title, s.held_on, s.lang, s.network_id, s.is_open, s.revision, s.follows_id, "
            "s.template_version_id, n.name AS network_name FROM sessions s JOIN networks n ON n.id = s.network_id "
            f"WHERE {condition}", {"v": value})
        if row is None:
            raise VertaisetUnknownSessionError(asked)
        held_on = row["held_on"]
        return SessionInfo(
            id=row["id"], code=row["code"], title=row["title"],
            held_on=date.fromisoformat(held_on) if isinstance(held_on, str) else held_on,
            lang=row["lang"], network_id=row["network_id"], network_name=row["network_name"],
            is_open=bool(row["is_open"]), revision=int(row["revision"]), follows_id=row["follows_id"],
            template_version_id=row["template_version_id"],
        )

    def network_sessions(self, network_id: int) -> list[SessionInfo]:
        """The sessions (rounds) of one network, oldest first."""
        rows = self._read("SELECT code FROM sessions WHERE network_id = :n ORDER BY held_on, id", {"n": network_id})
        return [self.get_session(r["code"]) for r in rows]

    def rounds(self, session: SessionInfo) -> list[SessionInfo]:
        """The rounds of ``session``'s network up to and including it, oldest first."""
        return _up_to(self.network_sessions(session.network_id), session)

    def revision(self, session_id: int) -> int:
        """A number that grows with every change to the session: what open pages poll."""
        row = self._read_one("SELECT revision FROM sessions WHERE id = :s", {"s": session_id})
        return int((row["revision"] if row else 0) or 0)

    def changes_since(self, session_id: int, revision: int) -> dict[str, int]:
        """What changed after ``revision``: change key -> the session's revision at its latest write."""
        rows = self._read("SELECT activity_id, revision FROM activity_revisions WHERE session_id = :s AND revision > :r",
                          {"s": session_id, "r": revision})
        return {r["activity_id"]: int(r["revision"]) for r in rows}

    def agenda_blocks(self, session_id: int) -> list[AgendaBlock]:
        """The session's plan as scheduled blocks in order (:func:`~.agenda.blocks_of`)."""
        rows = self._read("SELECT * FROM agenda_items WHERE session_id = :s ORDER BY position", {"s": session_id})
        return blocks_of([self._row(r, "started_at") for r in rows])

    def _raise_revision(self, cur: Any, session_id: int, *changed: str) -> None:
        """:func:`vertaiset_widgets.revisions.bump` in plain SQL, in the caller's transaction."""
        rows = self._rows(cur, "UPDATE sessions SET revision = revision + 1 WHERE id = :s RETURNING revision", {"s": session_id})
        keys = sorted({str(k)[:80] for k in changed})
        if not rows or not keys:
            return
        params: dict[str, Any] = {"s": session_id, "r": rows[0]["revision"]}
        values = []
        for i, key in enumerate(keys):
            params[f"k{i}"] = key
            values.append(f"(:s, :k{i}, :r)")
        cur.execute(self._sql(f"INSERT INTO activity_revisions (session_id, activity_id, revision) VALUES {', '.join(values)} "
                              "ON CONFLICT (session_id, activity_id) DO UPDATE SET revision = excluded.revision"), params)

    # ------------------------------------------------------------------ participants
    def join(self, session_id: int, token: str, *, nickname: str | None = None, group: str | None = None) -> Participant:
        """The participant with this browser token, created on first visit (only its hash is kept)."""
        token = _checked_token(token)
        hashed = hash_token(token)

        def run(cur: Any) -> None:
            if self._rows(cur, "SELECT id FROM participants WHERE session_id = :s AND token = :t", {"s": session_id, "t": hashed}):
                return
            now = self._when(_now())
            cur.execute(self._sql(
                "INSERT INTO participants (session_id, token, nickname, group_name, created_at, seen_at) "
                "VALUES (:s, :t, :n, :g, :c, :c)"),
                {"s": session_id, "t": hashed, "n": _clean_line(nickname, _MAX_NAME), "g": _clean_line(group, _MAX_NAME), "c": now})
            self._raise_revision(cur, session_id, PEOPLE_KEY)

        self._writing(run)
        found = self.find_participant(session_id, token)
        assert found is not None  # written above, in a committed transaction
        return found

    def find_participant(self, session_id: int, token: str) -> Participant | None:
        """The participant whose browser keeps ``token`` (hashed before the lookup), or None."""
        token = (token or "").strip()[:64]
        row = self._read_one("SELECT * FROM participants WHERE session_id = :s AND token = :t",
                             {"s": session_id, "t": hash_token(token)})
        return _to_participant(row) if row is not None else None

    def update_profile(self, participant: Participant, *, nickname: str | None, group: str | None) -> Participant:
        """Change a participant's nickname and group (empty means none)."""

        def run(cur: Any) -> None:
            cur.execute(self._sql("UPDATE participants SET nickname = :n, group_name = :g WHERE id = :p"),
                        {"n": _clean_line(nickname, _MAX_NAME), "g": _clean_line(group, _MAX_NAME), "p": participant.id})
            self._raise_revision(cur, participant.session_id, PEOPLE_KEY)

        self._writing(run)
        row = self._read_one("SELECT * FROM participants WHERE id = :p", {"p": participant.id})
        return _to_participant(row)

    def touch(self, participant: Participant) -> None:
        """Note that the participant's page is open now (no revision bump)."""
        self._writing(lambda cur: cur.execute(self._sql("UPDATE participants SET seen_at = :t WHERE id = :p"),
                                            {"t": self._when(_now()), "p": participant.id}))

    def present_count(self, session_id: int, *, within_seconds: int = 90) -> int:
        """Participants whose page has been open within the last ``within_seconds``."""
        row = self._read_one("SELECT count(*) AS n FROM participants WHERE session_id = :s AND seen_at >= :t",
                             {"s": session_id, "t": self._when(_now() - timedelta(seconds=within_seconds))})
        return int(row["n"])

    # ------------------------------------------------------------------ activity states
    def activity_states(self, session_id: int) -> dict[str, ActivityState]:
        """The state of every activity the facilitator has touched, and of those a Puimala's
        pre-work window opens now (a state the facilitator set wins)."""
        with self._transaction(write=False) as cur:
            rows = self._rows(cur, "SELECT * FROM activity_states WHERE session_id = :s", {"s": session_id})
            prework, closes = self._prework(cur, session_id)
        if closes is not None and self.is_sqlite:  # as SQLite gives the facilitator's timers: naive UTC
            closes = closes.replace(tzinfo=None)
        states = {r["activity_id"]: _state(self._row(r, "timer_ends_at", "revealed_at", "updated_at")) for r in rows}
        for activity_id in prework:
            states.setdefault(activity_id, ActivityState(activity_id, is_open=True, timer_ends_at=closes))
        return states

    def activity_state(self, session_id: int, activity_id: str) -> ActivityState:
        """The state of one activity (closed, round 1, when never touched)."""
        return self.activity_states(session_id).get(activity_id, ActivityState(activity_id))

    def _puimala_row(self, cur: Any, session_id: int) -> dict[str, Any] | None:
        rows = self._rows(cur, "SELECT * FROM puimala WHERE session_id = :s", {"s": session_id})
        return self._row(rows[0], *_PUIMALA_TIMES) if rows else None

    def _prework(self, cur: Any, session_id: int) -> tuple[tuple[str, ...], datetime | None]:
        return prework_window(self._puimala_row(cur, session_id))

    def puimala(self, session_id: int) -> PuimalaInfo | None:
        """The session's Puimala settings, or None when the session is no Puimala."""
        with self._transaction(write=False) as cur:
            row = self._puimala_row(cur, session_id)
        return to_info(row) if row is not None else None

    # ------------------------------------------------------------------ answers
    def submit(self, participant: Participant, activity_id: str, answers: Sequence[AnswerInput], *,
               submission_id: str, require_open: bool = True, part: str = "") -> int:
        """Store one submission; return how many rows were new (the same ``submission_id`` sent
        again stores nothing twice). See :meth:`SessionStore.submit
        <vertaiset_widgets.store.SessionStore.submit>`."""
        answers = _checked_submission(answers, submission_id)
        if not answers:
            return 0

        def run(cur: Any) -> int:
            session = self._rows(cur, "SELECT is_open FROM sessions WHERE id = :s", {"s": participant.session_id})
            if require_open and not (session and session[0]["is_open"]):
                raise VertaisetSessionClosedError("the session is closed")
            state = self._rows(cur, "SELECT is_open, round FROM activity_states WHERE session_id = :s AND activity_id = :a",
                               {"s": participant.session_id, "a": activity_id})
            if require_open and not (state[0]["is_open"] if state else activity_id in self._prework(cur, participant.session_id)[0]):
                raise VertaisetActivityClosedError(f"activity {activity_id!r} is not open")
            current_round = state[0]["round"] if state else 1
            now = self._when(_now())
            inserted = 0
            for start in range(0, len(answers), _BATCH):
                params: dict[str, Any] = {"s": participant.session_id, "p": participant.id, "a": activity_id,
                                          "r": current_round, "c": now}
                values = []
                for i, a in enumerate(answers[start:start + _BATCH]):
                    params.update({f"i{i}": _clean_key(a.item), f"l{i}": _clean_key(a.layer), f"n{i}": a.value_num,
                                   f"t{i}": _clean_text(a.value_text),
                                   f"k{i}": _idempotency_key(participant.id, submission_id, a.item, a.layer)})
                    values.append(f"(:s, :p, :a, :r, :i{i}, :l{i}, :n{i}, :t{i}, :k{i}, :c)")
                inserted += len(self._rows(cur, (
                    "INSERT INTO answers (session_id, participant_id, activity_id, round, item, layer, value_num, value_text, "
                    f"idempotency_key, created_at) VALUES {', '.join(values)} ON CONFLICT (idempotency_key) DO NOTHING RETURNING id"),
                    params))
            if inserted:
                self._raise_revision(cur, participant.session_id, part_key(activity_id, part))
            return inserted

        return self._writing(run)

    def answers(self, session_id: int, activity_id: str | None = None, *, participant_id: int | None = None,
                latest: bool = True, round: int | None = None) -> list[Answer]:
        """Answers of a session, oldest first (see :meth:`SessionStore.answers
        <vertaiset_widgets.store.SessionStore.answers>`)."""
        where, params = ["session_id = :s"], {"s": session_id}
        if activity_id is not None:
            where.append("activity_id = :a")
            params["a"] = activity_id
            if round is None:
                round = self.activity_state(session_id, activity_id).round
        if round is not None:
            where.append("round = :r")
            params["r"] = round
        if participant_id is not None:
            where.append("participant_id = :p")
            params["p"] = participant_id
        inner = " AND ".join(where)
        outer = " AND ".join(f"a.{w}" for w in where)
        newest = (f"JOIN (SELECT max(id) AS id FROM answers WHERE {inner} "
                  "GROUP BY participant_id, activity_id, round, item, layer) newest ON newest.id = a.id ") if latest else ""
        rows = self._read(f"SELECT {_ANSWER_COLUMNS}, p.nickname, p.group_name FROM answers a "
                          f"JOIN participants p ON p.id = a.participant_id {newest}WHERE {outer} ORDER BY a.id", params)
        return [Answer(id=r["id"], participant_id=r["participant_id"], nickname=r["nickname"], group_name=r["group_name"],
                       activity_id=r["activity_id"], round=r["round"], item=r["item"], layer=r["layer"],
                       value_num=r["value_num"], value_text=r["value_text"], created_at=self._time(r["created_at"]))
                for r in rows]

    def moderation(self, session_id: int, activity_id: str, *, round: int | None = None) -> dict[tuple[str, str], tuple[str, str | None]]:
        """The latest moderation per (item, kind): ``{(item, "merged"): ("merge", target), ...}``."""
        if round is None:
            round = self.activity_state(session_id, activity_id).round
        rows = self._read("SELECT item, action, target FROM moderation_events WHERE session_id = :s AND activity_id = :a "
                          "AND round = :r ORDER BY id", {"s": session_id, "a": activity_id, "r": round})
        return {(r["item"], MODERATION[r["action"]]): (r["action"], r["target"]) for r in rows}

    # ------------------------------------------------------------------ items (a wall's highlights)
    def item_author(self, session_id: int, item: str, layer: str = "text") -> int | None:
        """Who first wrote ``item`` in ``layer`` (a highlight's author), or None."""
        row = self._read_one("SELECT participant_id FROM answers WHERE session_id = :s AND item = :i AND layer = :l "
                             "ORDER BY id LIMIT 1", {"s": session_id, "i": item, "l": layer})
        return row["participant_id"] if row else None

    def has_item(self, session_id: int, item: str) -> bool:
        """True once any answer of the session names ``item``."""
        return self._read_one("SELECT id FROM answers WHERE session_id = :s AND item = :i LIMIT 1",
                              {"s": session_id, "i": item}) is not None

    def items_since(self, participant: Participant, activity_id: str, layer: str, since: datetime) -> int:
        """How many items the participant has written in ``layer`` of the activity since ``since``."""
        row = self._read_one("SELECT count(DISTINCT item) AS n FROM answers WHERE session_id = :s AND participant_id = :p "
                             "AND activity_id = :a AND layer = :l AND created_at >= :t",
                             {"s": participant.session_id, "p": participant.id, "a": activity_id, "l": layer,
                              "t": self._when(since)})
        return int(row["n"])

    def latest_values(self, session_id: int, activity_id: str, round: int, layer: str) -> list[tuple[str, int, float | None]]:
        """``(item, participant_id, value_num)`` of each participant's latest answer per item in one layer."""
        where = "session_id = :s AND activity_id = :a AND round = :r AND layer = :l"
        rows = self._read(f"SELECT item, participant_id, value_num FROM answers WHERE id IN "
                          f"(SELECT max(id) FROM answers WHERE {where} GROUP BY participant_id, item)",
                          {"s": session_id, "a": activity_id, "r": round, "l": layer})
        return [(r["item"], r["participant_id"], r["value_num"]) for r in rows]

    # ------------------------------------------------------------------ attempts
    def record_attempt(self, scope: str, subject: str) -> None:
        """Remember a failed join-code or key attempt; forget those older than a day."""

        def run(cur: Any) -> None:
            now = _now()
            cur.execute(self._sql("DELETE FROM attempts WHERE created_at < :t"), {"t": self._when(now - timedelta(days=1))})
            cur.execute(self._sql("INSERT INTO attempts (scope, subject, created_at) VALUES (:s, :u, :t)"),
                        {"s": scope[:16], "u": subject[:64], "t": self._when(now)})

        self._writing(run)

    def attempt_times(self, scope: str, subject: str, since: datetime) -> list[datetime]:
        """When the failed attempts of ``subject`` in ``scope`` since ``since`` were made."""
        rows = self._read("SELECT created_at FROM attempts WHERE scope = :s AND subject = :u AND created_at >= :t",
                          {"s": scope, "u": subject, "t": self._when(since)})
        return [self._time(r["created_at"]) for r in rows]  # type: ignore[misc]

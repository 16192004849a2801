"""Sessions, their plans (time-boxed blocks, see :mod:`.agenda`) and their participants."""
from __future__ import annotations

import hmac
import secrets
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from .. import revisions
from .. import schema as t
from ..config import normalize_code
from ..errors import VertaisetInputError, VertaisetUnknownSessionError
from ..revisions import PEOPLE_KEY, SESSION_KEY
from .agenda import AgendaBlock, blocks_of, clock, from_times, parse_minutes, parse_time, scheduled
from .rows import Participant, SessionInfo, _MAX_NAME, _checked_token, _clean_key, _clean_line, _hash_key, _now, _to_participant, hash_token, new_join_code


class SessionsMixin:
    """The store's sessions, agenda and participants (:class:`~vertaiset_widgets.store.SessionStore`)."""

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
        follows: str | None = None,
    ) -> tuple[SessionInfo, str]:
        """Create a session (and its network, if new) and return it with its facilitator key.

        ``follows`` is the join code of the round this session continues: the new session
        joins that round's network (a different ``network`` is refused) and is its next round.
        The key is shown once: only its hash is stored.
        """
        key = key or secrets.token_urlsafe(12)
        title = _clean_line(title, 300) or "Verkostotyöpaja"
        network = _clean_line(network, 200)
        follows_id = None
        if follows:
            previous = self.get_session(follows)
            if network and network != previous.network_name:
                raise VertaisetInputError(
                    f"{previous.code} belongs to the network {previous.network_name!r}, not {network!r}"
                )
            network, follows_id = previous.network_name, previous.id
            if held_on is not None and held_on < previous.held_on:
                raise VertaisetInputError(f"a round cannot be held before the round it follows ({previous.held_on})")
        network = network or title

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
                    follows_id=follows_id,
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
        return self._session_where(t.sessions.c.code == normalize_code(code), code)

    def session_by_id(self, session_id: int) -> SessionInfo:
        """The session with this id (a participant's panel knows only its session's id).

        Raises
        ------
        VertaisetUnknownSessionError
            No session has this id.
        """
        return self._session_where(t.sessions.c.id == session_id, f"#{session_id}")

    def _session_where(self, condition: Any, asked: str) -> SessionInfo:
        query = (
            sa.select(t.sessions, t.networks.c.name.label("network_name"))
            .join(t.networks, t.networks.c.id == t.sessions.c.network_id)
            .where(condition)
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).mappings().first()
        if row is None:
            raise VertaisetUnknownSessionError(asked)
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
            follows_id=row["follows_id"],
            template_version_id=row["template_version_id"],
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
        from ..attempts import AttemptGuard, client_address

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
        """Replace the session's plan with ``(workbook, activity_id, time)`` items in order (a YAML
        agenda): each item becomes a block that lasts until the next item's time."""
        lengths = from_times(items)
        self._store_blocks(session_id, [
            AgendaBlock(position=i, minutes=minutes, workbook=w, activity_id=a, starts_at=when)
            for i, ((w, a, _when), (minutes, when)) in enumerate(zip(items, lengths))
        ])

    def set_agenda_blocks(self, session_id: int, blocks: Sequence[AgendaBlock], *, day_start: str | None = None,
                          changed: Sequence[str] = ()) -> list[AgendaBlock]:
        """Replace the session's plan with ``blocks`` in order, their start times computed from
        ``day_start`` (default: the first block's time, else 9.00); return them as stored.

        A block keeps its ``started_at`` (the running block goes on running after an edit).
        ``changed`` names activities whose pages follow the plan (a meeting planner's).

        Raises
        ------
        VertaisetInputError
            A time of day (``time``) or a length (``minutes``) that is not one.
        """
        cleaned = [
            replace(b, minutes=parse_minutes(b.minutes), title=_clean_line(b.title, 200),
                    mode=_clean_key(b.mode, 40) or None if b.mode else None, is_break=bool(b.is_break),
                    workbook=_clean_key(b.workbook, 120) or None if b.workbook else None,
                    activity_id=_clean_key(b.activity_id) or None if b.activity_id else None,
                    key=_clean_key(b.key, 32) if b.key else secrets.token_hex(8))  # a new block gets its key
            for b in blocks
        ]
        out = scheduled(cleaned, clock(parse_time(day_start)) if day_start else None)
        self._store_blocks(session_id, out, changed)
        return out

    def _store_blocks(self, session_id: int, blocks: Sequence[AgendaBlock], changed: Sequence[str] = ()) -> None:
        def run(conn: Connection) -> None:
            conn.execute(sa.delete(t.agenda_items).where(t.agenda_items.c.session_id == session_id))
            if blocks:
                conn.execute(sa.insert(t.agenda_items), [
                    dict(session_id=session_id, position=i, workbook=b.workbook, activity_id=b.activity_id,
                         starts_at=_clean_key(b.starts_at, 5) if b.starts_at else None, title=b.title,
                         minutes=b.minutes, mode=b.mode, is_break=b.is_break, started_at=b.started_at,
                         block_key=b.key or secrets.token_hex(8))
                    for i, b in enumerate(blocks)
                ])
            self._bump(conn, session_id, SESSION_KEY, *changed)

        self._write(run)

    def agenda_blocks(self, session_id: int) -> list[AgendaBlock]:
        """The session's plan as blocks in order, each with its start time (from the day's start,
        the first block's time) and its length (a plan older than the blocks: until the next time)."""
        g = t.agenda_items
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(g).where(g.c.session_id == session_id).order_by(g.c.position)).mappings().all()
        return blocks_of(rows)

    def start_block(self, session_id: int, position: int, *, at: datetime | None = None,
                    changed: Sequence[str] = ()) -> AgendaBlock:
        """Start the block at ``position`` now (or ``at``): it runs until another block starts.

        Raises
        ------
        VertaisetInputError
            No block at ``position`` (code ``unknown``).
        """
        g = t.agenda_items
        at = at or _now()

        def run(conn: Connection) -> int:
            done = conn.execute(sa.update(g).where(g.c.session_id == session_id, g.c.position == position)
                                .values(started_at=at)).rowcount
            if done:
                self._bump(conn, session_id, SESSION_KEY, *changed)
            return done

        if not self._write(run):
            raise VertaisetInputError(f"no block at {position}", code="unknown")
        return self.agenda_blocks(session_id)[position]

    def agenda(self, session_id: int) -> list[tuple[str, str, str | None]]:
        """The session's activities in the plan's order as ``(workbook, activity_id, time)``
        (blocks without an activity, breaks and talks, are left out: this is what one steps through)."""
        g = t.agenda_items
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(g.c.workbook, g.c.activity_id, g.c.starts_at)
                .where(g.c.session_id == session_id, g.c.workbook.is_not(None), g.c.activity_id.is_not(None))
                .order_by(g.c.position)
            ).all()
        return [(r.workbook, r.activity_id, r.starts_at) for r in rows]

    # ------------------------------------------------------------------ participants
    def join(self, session_id: int, token: str, *, nickname: str | None = None, group: str | None = None) -> Participant:
        """Return the participant with this browser token, creating it on first visit.

        Only the token's hash is stored and looked up (:func:`hash_token`).
        """
        token = _checked_token(token)
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

"""Activity states, answers, the moderation log and the guessing log."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from .. import revisions
from .. import schema as t
from ..errors import VertaisetActivityClosedError, VertaisetInputError, VertaisetSessionClosedError
from .engine import _insert_ignoring_duplicates
from .puimala_rows import prework_open
from .rows import ActivityState, Answer, AnswerInput, MODERATION, Participant, _checked_submission, _clean_key, _clean_text, _idempotency_key, _now, _state


class AnswersMixin:
    """The store's activity states, answers and logs (:class:`~vertaiset_widgets.store.SessionStore`)."""

    # ------------------------------------------------------------------ activity states
    def activity_states(self, session_id: int) -> dict[str, ActivityState]:
        """The state of every activity the facilitator has touched in this session, and of those
        a Puimala's pre-work window opens now (:func:`~.puimala_rows.prework_open`)."""
        with self.engine.connect() as conn:
            rows = (
                conn.execute(sa.select(t.activity_states).where(t.activity_states.c.session_id == session_id))
                .mappings()
                .all()
            )
            prework, closes = prework_open(conn, session_id)
        if closes is not None and self.is_sqlite:  # as SQLite gives the facilitator's timers: naive UTC
            closes = closes.replace(tzinfo=None)
        states = {r["activity_id"]: _state(r) for r in rows}
        for activity_id in prework:  # a state the facilitator set wins
            states.setdefault(activity_id, ActivityState(activity_id, is_open=True, timer_ends_at=closes))
        return states

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
                revealed_at=current.revealed_at,
            )
            if timer_seconds is not None:
                values["timer_ends_at"] = _now() + timedelta(seconds=timer_seconds) if timer_seconds > 0 else None
            if new_round:
                values["is_revealed"] = False
            # the time of the reveal, kept while the results show: phones list the newest first
            if not values["is_revealed"]:
                values["revealed_at"] = None
            elif not current.is_revealed:
                values["revealed_at"] = values["updated_at"]
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
        part: str = "",
    ) -> int:
        """Store one submission; return how many rows were new.

        ``part`` names the part of the activity the answers change when pages may re-read
        just that (:func:`revisions.part_key`; e.g. a wall's +1s); default the whole activity.

        The same ``submission_id`` sent again (a retry after a lost acknowledgement)
        stores nothing twice. When this returns, the answers are committed.

        Raises
        ------
        VertaisetActivityClosedError
            The activity is not open (unless ``require_open`` is False, for seeding).
        VertaisetSessionClosedError
            The session is closed.
        """
        rows = _checked_submission(answers, submission_id)
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
            if require_open and not (state["is_open"] if state else activity_id in prework_open(conn, participant.session_id)[0]):
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
                self._bump(conn, participant.session_id, revisions.part_key(activity_id, part))
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

    # ------------------------------------------------------------------ items (a wall's highlights)
    def item_author(self, session_id: int, item: str, layer: str = "text") -> int | None:
        """Who first wrote ``item`` in ``layer`` (a highlight's author), or None."""
        a = t.answers
        with self.engine.connect() as conn:
            return conn.execute(
                sa.select(a.c.participant_id).where(a.c.session_id == session_id, a.c.item == item, a.c.layer == layer)
                .order_by(a.c.id).limit(1)
            ).scalar()

    def has_item(self, session_id: int, item: str) -> bool:
        """True once any answer of the session names ``item``."""
        a = t.answers
        with self.engine.connect() as conn:
            return conn.execute(sa.select(a.c.id).where(a.c.session_id == session_id, a.c.item == item).limit(1)).first() is not None

    def items_since(self, participant: Participant, activity_id: str, layer: str, since: datetime) -> int:
        """How many items the participant has written in ``layer`` of the activity since ``since``."""
        a = t.answers
        with self.engine.connect() as conn:
            return int(conn.execute(
                sa.select(sa.func.count(sa.distinct(a.c.item))).where(
                    a.c.session_id == participant.session_id, a.c.participant_id == participant.id,
                    a.c.activity_id == activity_id, a.c.layer == layer, a.c.created_at >= since,
                )
            ).scalar_one())

    def latest_values(self, session_id: int, activity_id: str, round: int, layer: str) -> list[tuple[str, int, float | None]]:
        """``(item, participant_id, value_num)`` of each participant's latest answer per item in one
        layer of a round (a wall's +1s): one light read of that layer alone."""
        a = t.answers
        where = [a.c.session_id == session_id, a.c.activity_id == activity_id, a.c.round == round, a.c.layer == layer]
        newest = sa.select(sa.func.max(a.c.id)).where(*where).group_by(a.c.participant_id, a.c.item)
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(a.c.item, a.c.participant_id, a.c.value_num).where(a.c.id.in_(newest))).all()
        return [(r.item, r.participant_id, r.value_num) for r in rows]

    # ------------------------------------------------------------------ moderation
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

    def moderation(self, session_id: int, activity_id: str, *, round: int | None = None) -> dict[tuple[str, str], tuple[str, str | None]]:
        """The latest moderation per (item, kind): ``{(item, "merged"): ("merge", target), ...}``."""
        m = t.moderation_events
        events = self.round_log(m, (m.c.item, m.c.action, m.c.target), session_id, activity_id, round)
        return {(ev.item, MODERATION[ev.action]): (ev.action, ev.target) for ev in events}

    def round_log(self, table: sa.Table, columns: tuple, session_id: int, activity_id: str, round: int | None) -> list[Any]:
        """The rows of an append-only log table for one activity's round (default: the current one), oldest first."""
        if round is None:
            round = self.activity_state(session_id, activity_id).round
        with self.engine.connect() as conn:
            return conn.execute(
                sa.select(*columns)
                .where(table.c.session_id == session_id, table.c.activity_id == activity_id, table.c.round == round)
                .order_by(table.c.id)
            ).all()

    def has_answers(self, session_id: int, activity_id: str, round: int) -> bool:
        """True once anyone has answered the activity in this round (one indexed read)."""
        a = t.answers
        with self.engine.connect() as conn:
            return conn.execute(
                sa.select(a.c.id).where(a.c.session_id == session_id, a.c.activity_id == activity_id, a.c.round == round).limit(1)
            ).first() is not None

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

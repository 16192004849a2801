"""Yhdessä eteneminen: where the agreements come from, and the status updates.

The rows are what an agreement board (``from_activity``) settled — its questions and the steps
the previous round promoted for it (``carried_<item>``) — read with the board's own reader: from
the same session when its board has rows, otherwise from the network's latest
earlier session (by date, then creation) whose board has rows. A status update is stored like
every answer (append-only, a submission id each): item = the board's question id, layers
``status`` and ``note``; the latest update of a question, whoever made it, counts.
Pure Python: the participant's page uses it too.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ...errors import VertaisetInputError
from ...store import AnswerInput, Participant, SessionInfo
from ...text import clean_line
from ..agreement_board.board import questions, read_board

if TYPE_CHECKING:
    from .model import Progress
    from ...store import SessionStore

__all__ = ["Row", "Source", "Update", "find_source", "load_updates", "participant_name", "owned_by",
           "ordered", "save_update", "session_of", "status_of"]


@dataclass(frozen=True)
class Row:
    """One carried-over agreement: the board's question and what was settled on it."""

    item: str
    number: int
    question: Any  # the board's Item
    answer: str
    board_status: str
    owner: str
    mode: str


@dataclass(frozen=True)
class Source:
    """The board the rows were carried over from: its session, its activity and the rows."""

    session: SessionInfo
    board: Any  # the AgreementBoard
    rows: tuple[Row, ...]
    same_session: bool


@dataclass(frozen=True)
class Update:
    """The status of one question as it stands: the latest update, who made it and when."""

    status: str
    note: str
    participant_id: int
    nickname: str | None
    at: datetime | None


def session_of(store: SessionStore, session_id: int) -> SessionInfo:
    """The session with this id (a panel knows only its participant's session id)."""
    return store.session_by_id(session_id)


def _rows(store: SessionStore, session_id: int, board: Any) -> tuple[Row, ...]:
    entries = read_board(store, session_id, board.id)
    if not entries:
        return ()
    return tuple(
        Row(q.id, n, q, e.get("answer") or "", e.get("status") or "", e.get("owner") or "", e.get("mode") or "")
        for n, q in enumerate(questions(store, session_id, board), start=1)  # the carried steps too
        if (e := entries.get(q.id)) is not None
    )


def find_source(store: SessionStore, session: SessionInfo, activity: Progress, content: Any) -> Source | None:
    """The board rows to follow: this session's, else the network's latest earlier session's
    that has any; None when no board (or no such activity in the templates) has rows."""
    board = content.activities.get(activity.from_activity)
    if board is None or getattr(board, "kind", None) != "agreement_board":
        return None
    rows = _rows(store, session.id, board)
    if rows:
        return Source(session, board, rows, True)
    sessions = store.network_sessions(session.network_id)  # oldest first: by date, then creation
    ids = [s.id for s in sessions]
    earlier = sessions[: ids.index(session.id)] if session.id in ids else []
    for other in reversed(earlier):
        rows = _rows(store, other.id, board)
        if rows:
            return Source(other, board, rows, False)
    return None


def load_updates(store: SessionStore, session_id: int, activity: Progress, *, round: int | None = None) -> dict[str, Update]:
    """Question id -> its latest status update (questions never updated are absent)."""
    statuses = {s.id for s in activity.statuses}
    latest: dict[str, Any] = {}
    notes: dict[tuple[int, str], str] = {}
    for a in store.answers(session_id, activity.id, round=round):
        if a.layer == "note":
            notes[(a.participant_id, a.item)] = a.value_text or ""
        elif a.layer == "status" and a.value_text in statuses and (a.item not in latest or a.id > latest[a.item].id):
            latest[a.item] = a
    # a participant's note and status are stored together, so their latest note goes with their latest status
    return {
        item: Update(a.value_text, notes.get((a.participant_id, item), "") if a.value_text == activity.stuck else "",
                     a.participant_id, a.nickname, a.created_at)
        for item, a in latest.items()
    }


def status_of(activity: Progress, updates: dict[str, Update], item: str) -> str:
    """A question's status: its latest update's, else not started."""
    update = updates.get(item)
    return update.status if update is not None else activity.not_started_status


def ordered(activity: Progress, rows: tuple[Row, ...] | list[Row], updates: dict[str, Update]) -> list[Row]:
    """The rows stuck first, then in progress, not started and done; the board's order within each."""
    rank = {s: i for i, s in enumerate(activity.order)}
    return sorted(rows, key=lambda r: (rank.get(status_of(activity, updates, r.item), len(rank)), r.number))


def save_update(store: SessionStore, participant: Participant, activity: Progress, item: str, values: dict[str, Any], *,
                items: set[str] | frozenset[str], submission_id: str, require_open: bool = True) -> int:
    """Store one question's new status (and, with the stuck status, its note); return the rows stored.

    Raises
    ------
    VertaisetInputError
        ``code`` ``unknown`` (a question not on the board) or ``status`` (a status the template does not have).
    """
    if item not in items:
        raise VertaisetInputError(f"{item!r} is not one of the agreements", code="unknown")
    status = str(values.get("status") or "")
    if status not in {s.id for s in activity.statuses}:
        raise VertaisetInputError(f"unknown status {status!r}", code="status")
    note = clean_line(values.get("note") or None, activity.note_length) if status == activity.stuck else None
    answers = [AnswerInput(item, "status", value_text=status), AnswerInput(item, "note", value_text=note)]
    return store.submit(participant, activity.id, answers, submission_id=submission_id, require_open=require_open)


def participant_name(store: SessionStore, participant: Participant, activity: Progress) -> str:
    """The name the participant gave in the check-in (``name_from``), else their nickname, else ""."""
    ref = activity.name_from
    if ref is not None:
        for a in store.answers(participant.session_id, ref.activity, participant_id=participant.id):
            if a.item == ref.field and a.value_text and a.value_text.strip():
                return a.value_text.strip()
    return (participant.nickname or "").strip()


_SPLIT = re.compile(r"\s*(?:[,;/&+]|\s(?:ja|och|and)\s)\s*", re.IGNORECASE)


def _words(text: str) -> frozenset[str]:
    return frozenset(w for w in re.split(r"[\s.]+", text.casefold()) if w)


def owned_by(owner: str, name: str) -> bool:
    """True when ``name`` is one of the owners: ``owner`` split at commas and "ja" (or "och",
    "and"); a part matches when its words hold all of the name's, or the name's all of its
    ("Aino" owns "Aino Virtanen" and "Aino, Eero"; "Aino" does not own "Ainoa")."""
    mine = _words(name)
    if not mine or not owner.strip():
        return False
    return any((part := _words(p)) and (mine <= part or part <= mine) for p in _SPLIT.split(owner))

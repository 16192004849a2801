"""The agreement board's read and write model: the facilitator's entries, one question at a time.

The entries live in the store's own table (they are not participants' answers, so they have
rows of their own, append-only like everything else); the rest of the package reaches them
only through these two functions. Light: the participant's page reads the board too.
"""
from __future__ import annotations

from typing import Any

from ...store import SessionStore
from .model import AgreementBoard

__all__ = ["FIELDS", "entries", "save"]

#: What the facilitator keeps per question (the store refuses any other field).
FIELDS = SessionStore.BOARD_FIELDS


def entries(store: Any, session_id: int, activity: AgreementBoard, *, round: int | None = None) -> dict[str, dict[str, str | None]]:
    """The board as it stands: question id -> {field: latest value} (questions never edited are absent)."""
    return store.board(session_id, activity.id, round=round)


def save(store: Any, session_id: int, activity: AgreementBoard, item: str, value: dict) -> int:
    """Store one question's fields from ``value``; return how many changed.

    Fields other than :data:`FIELDS` are left out, and a status or mode that the template
    does not know is ignored (a crafted message), so the board only ever shows its own words.
    """
    clean = {k: value.get(k) for k in FIELDS if k in value}
    if clean.get("status") and clean["status"] not in {s.id for s in activity.statuses}:
        clean.pop("status")
    if clean.get("mode") and clean["mode"] not in {m.id for m in activity.modes}:
        clean.pop("mode")
    return store.set_board_entry(session_id, activity.id, item, clean)

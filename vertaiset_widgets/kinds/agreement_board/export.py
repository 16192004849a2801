"""The agreement board in the session export: one row per question as the board stands
(the facilitator's entries are not answers, so they have rows of their own)."""
from __future__ import annotations

from typing import Any

from .board import FIELDS, entries

__all__ = ["board_rows"]


def board_rows(store: Any, session_id: int, activity: Any) -> list[dict]:
    """Each question with an entry: ``question``, ``answer``, ``status``, ``owner``, ``mode``."""
    board = entries(store, session_id, activity)
    return [{"question": q, **{k: entry.get(k) or "" for k in FIELDS}} for q, entry in board.items()]

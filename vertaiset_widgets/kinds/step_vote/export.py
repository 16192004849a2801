"""Askelten arviointi in the session export: the steps promoted for the next round (kept outside
the answers, in the store's carried steps); the votes are answers, exported with every answer."""
from __future__ import annotations

from typing import Any

__all__ = ["promoted_rows"]


def promoted_rows(store: Any, session_id: int, activity: Any) -> list[dict]:
    """Each step the activity promoted and did not withdraw: ``step``, ``text``, ``promoted_at``."""
    return [
        {"step": s.item, "text": s.text, "promoted_at": s.promoted_at.isoformat()}
        for s in store.promoted_steps(session_id) if s.activity_id == activity.id
    ]

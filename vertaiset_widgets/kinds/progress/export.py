"""Yhdessä eteneminen in the session export: one row per carried-over agreement with its
status as it stands (the updates themselves are answers, exported with every answer)."""
from __future__ import annotations

from typing import Any

from .progress import find_source, load_updates, ordered, session_of, status_of

__all__ = ["progress_rows"]


def progress_rows(store: Any, session_id: int, activity: Any) -> list[dict]:
    """Stuck first: ``question``, ``answer``, ``owner``, ``status``, ``note``, ``updated_at``,
    ``source`` (the join code of the session whose board the rows came from)."""
    from ...content import load_content

    source = find_source(store, session_of(store, session_id), activity, load_content())
    if source is None:
        return []
    updates = load_updates(store, session_id, activity)
    return [
        {"question": r.item, "answer": r.answer, "owner": r.owner, "status": status_of(activity, updates, r.item),
         "note": u.note if (u := updates.get(r.item)) else "", "updated_at": u.at.isoformat() if u and u.at else "",
         "source": source.session.code}
        for r in ordered(activity, source.rows, updates)
    ]

"""The wall's line for the report's summary: the most +1'd highlights, else how many there are."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ...results import clip
from .wall import read_wall, wall_items

if TYPE_CHECKING:
    from ...i18n import Translator
    from ...store import SessionInfo, SessionStore
    from .model import Highlights

__all__ = ["TOP", "highlights_summary", "top_items"]

#: How many highlights the summary names.
TOP = 3


def top_items(items: list[dict], n: int = TOP) -> list[dict]:
    """The ``n`` visible highlights with the most +1s (none without a +1), the earlier posted first on a tie."""
    voted = [i for i in items if i["votes"]]
    return sorted(voted, key=lambda i: (-i["votes"], i["seq"]))[:n]


def highlights_summary(store: "SessionStore", session: "SessionInfo", activity: "Highlights", tr: "Translator") -> str | None:
    """The top highlights by +1 (their words shortened, with their +1s; never who wrote them), or
    the number of highlights when nobody gave a +1; None on an empty wall."""
    items = wall_items(read_wall(store, session.id, activity.id), activity, tr)
    if not items:
        return None
    top = top_items(items) if activity.votes else []
    if not top:
        return tr("sum_highlights", n=len(items))
    return tr("sum_top_highlights", items="; ".join(f"{tr('sum_quote', text=clip(i['text']))} +{i['votes']}" for i in top))

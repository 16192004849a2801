"""The rounds of a network as one activity saw them: each round's session, and the activity as
that round ran it (from the templates recorded with it), matched by activity id.

The history views, the network map's round exports and the round's start read rounds through
here. Light (no pandas, no altair): the participant's page lists the rounds too.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Mapping

from .store import SessionInfo

if TYPE_CHECKING:
    from .store import SessionStore

__all__ = ["SourceRound", "activity_as_run", "round_date", "round_label", "source_rounds"]


@dataclass(frozen=True)
class SourceRound:
    """One round of the network, for one activity.

    Attributes
    ----------
    number : int
        Which round of the network (1 for the first).
    session : SessionInfo
        The round's session.
    activity
        The activity as this round ran it (its own recorded templates), else today's.
    own : bool
        True when ``activity`` comes from the round's own recorded templates.
    round : int
        The activity's own round in that session (a facilitator's "new round" starts another).
    """

    number: int
    session: SessionInfo
    activity: Any
    own: bool
    round: int


def source_rounds(store: SessionStore, session: SessionInfo, source_id: str,
                  today: Mapping[str, Any]) -> list[SourceRound]:
    """The rounds of ``session``'s network up to it, oldest first, each with ``source_id`` as it ran.

    ``today`` maps activity ids to today's templates: the fallback for a round that recorded no
    templates or whose templates lack the activity (or had it as another kind). Rounds where
    the activity exists in neither are left out.
    """
    current = today.get(source_id)
    out: list[SourceRound] = []
    for number, other in enumerate(store.rounds(session), start=1):
        own = activity_as_run(store, other, source_id)
        if own is not None and current is not None and own.kind != current.kind:
            own = None  # the id now means another kind of activity: its old answers cannot be drawn as it
        activity = own if own is not None else current
        if activity is None:
            continue
        state = store.activity_state(other.id, source_id)
        out.append(SourceRound(number, other, activity, own is not None, state.round))
    return out


def activity_as_run(store: SessionStore, session: SessionInfo, activity_id: str) -> Any:
    """The activity as ``session`` ran it (its recorded templates), or None when not recorded."""
    from .content import activities_from_snapshot

    body = store.session_templates(session) or {}
    return activities_from_snapshot({activity_id: body[activity_id]}).get(activity_id) if activity_id in body else None


def round_date(tr: Any, session: SessionInfo) -> str:
    """The round's date in the page's language."""
    day = session.held_on
    return tr("hist_date", d=day.day, m=day.month, y=day.year)


def round_label(tr: Any, r: Any) -> str:
    """``Kierros 2 · 18.5.2022``: how charts and tables name a round (anything with its ``number``
    and ``session``)."""
    return tr("hist_round", n=r.number, date=round_date(tr, r.session))

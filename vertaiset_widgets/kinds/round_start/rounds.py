"""Kierroksen alku: the round as the store knows it — its number, the previous round, the steps
that round promoted, and the mean of the previous round's answers named by ``before_from``.

Light (no pandas): the phone's panel reads it too. The previous round's activity is read with
the templates that round ran with (its snapshot), else with today's.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ...store import CarriedStep, SessionInfo, SessionStore
    from .model import RoundStart

__all__ = ["Before", "RoundView", "load_round"]


@dataclass(frozen=True)
class Before:
    """What the previous round left: the mean of one activity's layer, over every answer, and per item."""

    activity: Any  # the activity record (its title, its items and layers), or None when unknown
    layer: str
    mean: float | None
    respondents: int
    items: tuple[tuple[Any, float], ...]  # (item record, mean), in the activity's order


@dataclass(frozen=True)
class RoundView:
    """This round: its number and network, the previous round and what it left behind."""

    number: int
    network: str
    previous: "SessionInfo | None"
    steps: tuple["CarriedStep", ...]
    before: Before | None

    def key(self) -> list[Any]:
        """Changes exactly when what is drawn changes."""
        b = self.before
        return [self.number, self.network, self.previous.id if self.previous else None,
                [(s.item, s.text) for s in self.steps],
                None if b is None else [b.mean, b.respondents, [(i.id, m) for i, m in b.items]]]


def _previous_activity(store: "SessionStore", previous: "SessionInfo", activity_id: str, content: Any) -> Any:
    from ...rounds import activity_as_run

    return activity_as_run(store, previous, activity_id) or content.activities.get(activity_id)


def _before(store: "SessionStore", previous: "SessionInfo", activity: "RoundStart", content: Any) -> Before | None:
    ref = activity.before_from
    if ref is None:
        return None
    source = _previous_activity(store, previous, ref.activity, content)
    rows = [a for a in store.answers(previous.id, ref.activity) if a.layer == ref.layer and a.value_num is not None]
    values = [a.value_num for a in rows]
    per_item: dict[str, list[float]] = {}
    for a in rows:
        per_item.setdefault(a.item, []).append(a.value_num)
    items = tuple(
        (item, sum(per_item[item.id]) / len(per_item[item.id]))
        for item in getattr(source, "items", []) if item.id in per_item
    )
    return Before(source, ref.layer, sum(values) / len(values) if values else None,
                  len({a.participant_id for a in rows}), items)


def load_round(store: "SessionStore", session: "SessionInfo", activity: "RoundStart", content: Any) -> RoundView:
    """This round as it stands: number, network, previous round, its promoted steps and its "before"."""
    previous, steps = store.carried_steps(session)
    before = _before(store, previous, activity, content) if previous is not None else None
    return RoundView(store.round_number(session), session.network_name, previous, tuple(steps), before)

"""Reading a 360 profile against the reference shapes: pure Python (the phone uses it too).

A profile is a mean per dimension on the scale. Its **balance** is ``1 − CV``, where the
coefficient of variation ``CV = σ / μ`` is the population standard deviation of the
dimensions' means over their mean (0–5 scale): 1 is a perfectly even profile, and the
narrower and more unbalanced the profile, the lower (clipped at 0; an all-zero profile is 0).
Its **breadth** is its mean's place on the scale (0 at the scale's bottom, 1 at its top).
The profile is nearest the reference shape whose (breadth, balance) point is closest to its
own: a narrow, unbalanced *kiinnostava* shape or a wide, balanced *hyvä* one. Its **gaps**
are the dimensions whose mean is below the template's ``gap_below``, lowest first.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any


if TYPE_CHECKING:
    from .model import ProfileReading, Shape
    from ...store import SessionStore

__all__ = ["Profile", "balance", "describe", "read_room", "shape_profile"]


def balance(values: list[float]) -> float | None:
    """``1 − σ/μ`` of ``values`` (population σ), clipped to 0…1; None without values."""
    if not values:
        return None
    mean = sum(values) / len(values)
    if mean <= 0:
        return 0.0
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))
    return max(0.0, min(1.0, 1.0 - sd / mean))


@dataclass(frozen=True)
class Profile:
    """One profile read: the room's, a group's or a reference shape's."""

    name: str  # a group's name as typed, "" for the room, a shape's id for a shape
    values: dict[str, float]  # dimension id -> mean
    respondents: int = 0

    @property
    def mean(self) -> float | None:
        return sum(self.values.values()) / len(self.values) if self.values else None

    @property
    def balance(self) -> float | None:
        return balance(list(self.values.values()))

    def gaps(self, activity: ProfileReading) -> list[tuple[str, float]]:
        """The dimensions below ``gap_below``, lowest first, in the template's order on ties."""
        order = {i.id: n for n, i in enumerate(activity.items)}
        low = [(k, v) for k, v in self.values.items() if v < activity.gap_below]
        return sorted(low, key=lambda kv: (kv[1], order.get(kv[0], 0)))

    def lowest(self, activity: ProfileReading) -> tuple[str, float] | None:
        """The lowest dimension (the template's order on ties)."""
        order = {i.id: n for n, i in enumerate(activity.items)}
        return min(self.values.items(), key=lambda kv: (kv[1], order.get(kv[0], 0)), default=None)

    def breadth(self, activity: ProfileReading) -> float | None:
        """The mean's place on the scale, 0…1."""
        mean = self.mean
        if mean is None:
            return None
        return (mean - activity.scale.min) / (activity.scale.max - activity.scale.min)

    def nearest(self, activity: ProfileReading) -> Shape | None:
        """The reference shape nearest in breadth and balance (the first on a tie)."""
        mine, wide = self.balance, self.breadth(activity)
        if mine is None or wide is None:
            return None

        def distance(shape: Shape) -> float:
            other = shape_profile(shape)
            return math.hypot((other.balance or 0.0) - mine, (other.breadth(activity) or 0.0) - wide)

        return min(activity.shapes, key=distance)


def shape_profile(shape: Shape) -> Profile:
    """A reference shape as a profile."""
    return Profile(shape.id, dict(shape.values))


def read_room(store: SessionStore, session_id: int, activity: ProfileReading) -> tuple[Profile, list[Profile]]:
    """The room's profile (the source's mean per dimension in ``source_layer``) and each group's, groups by name."""
    items = {i.id for i in activity.items}
    sums: dict[str, dict[str, list[float]]] = {}
    who: dict[str, set[int]] = {}
    for a in store.answers(session_id, activity.source):  # the source's current round
        if a.layer != activity.source_layer or a.item not in items or a.value_num is None:
            continue
        for key in ("", *([f"g:{a.group_name}"] if a.group_name else [])):
            sums.setdefault(key, {}).setdefault(a.item, []).append(float(a.value_num))
            who.setdefault(key, set()).add(a.participant_id)

    def profile(key: str) -> Profile:
        per = sums.get(key, {})
        return Profile(key[2:], {i: sum(v) / len(v) for i, v in per.items()}, len(who.get(key, ())))

    groups = sorted((k for k in sums if k), key=lambda k: k.casefold())
    return profile(""), [profile(k) for k in groups]


def describe(tr: Any, activity: ProfileReading, profile: Profile) -> dict[str, str]:
    """The reading in words: balance, nearest shape, gaps (or the lowest dimension)."""
    labels = {i.id: tr.label(i, short=True) for i in activity.items}
    b = profile.balance
    nearest = profile.nearest(activity)
    gaps = profile.gaps(activity)
    if gaps:
        gap_text = ", ".join(f"{labels[k]} {v:.1f}" for k, v in gaps)
    else:
        low = profile.lowest(activity)
        gap_text = tr("pr_no_gaps", gap=f"{activity.gap_below:g}", lowest=f"{labels[low[0]]} {low[1]:.1f}") if low else "–"
    return {
        "balance": "–" if b is None else f"{b:.2f}",
        "nearest": tr.label(nearest) if nearest is not None else "–",
        "gaps": gap_text,
        "mean": "–" if profile.mean is None else f"{profile.mean:.1f}",
    }

"""Vertaisoppiminen 360:ssä: a participant's rating stored as answers, and read back.

Stored like everything participants give (append-only): the pair's (or group's) name as typed
and the role (A or B) are the item ``_pair`` with layers ``name`` and ``role``; the own unit's
360 is one answer per dimension in the layer ``profile`` (a number on the scale, or none), and
B's fit of A's practice one per dimension in the layer ``fit`` (a fit id, or none: A marks
none). Every submission writes every layer, so a participant who changes role or clears a
dimension leaves nothing stale behind. Pure Python: the participant's page uses it too.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ...errors import VertaisetInputError
from ...store import AnswerInput, Participant
from ...text import clean_line

if TYPE_CHECKING:
    from .model import Peer360
    from ...store import SessionStore

__all__ = ["META", "NAME_LIMIT", "Rating", "fit_counts", "load_ratings", "pair_key", "role_means", "save_rating"]

#: the item holding the pair's name and the role
META = "_pair"
NAME_LIMIT = 60


def pair_key(name: str) -> str:
    """One pair for spellings that differ only in case and spacing."""
    return " ".join(name.split()).casefold()


@dataclass(frozen=True)
class Rating:
    """One participant's newest rating."""

    participant_id: int
    pair: str
    role: str
    profile: dict[str, float] = field(default_factory=dict)  # dimension id -> points
    fit: dict[str, str] = field(default_factory=dict)  # dimension id -> fit id (B only)


def save_rating(store: SessionStore, participant: Participant, activity: Peer360, values: dict[str, Any], *,
                submission_id: str, require_open: bool = True) -> None:
    """Store a rating: ``values`` has ``pair``, ``role`` (a role id), ``p_<dimension>`` (points or
    ``""``) and, for B, ``f_<dimension>`` (a fit id or ``""``).

    Raises
    ------
    VertaisetInputError
        ``code`` ``empty`` (no pair named), ``invisible`` (nothing of the name shows), ``role``
        (no role chosen), ``invalid`` (a value not on the form), ``nothing`` (no dimension
        rated) or ``too_many`` (a new pair when the activity holds ``max_pairs``).
    """
    typed = " ".join(str(values.get("pair") or "").split())
    if not typed:
        raise VertaisetInputError("name the pair or group", code="empty")
    name = clean_line(typed, NAME_LIMIT)
    if name is None:
        raise VertaisetInputError("the pair's name shows nothing", code="invisible")
    roles = [r.id for r in activity.roles]
    role = str(values.get("role") or "")
    if role not in roles:
        raise VertaisetInputError("choose A or B", code="role")
    fits = {f.id for f in activity.fit}
    answers = [AnswerInput(META, "name", value_text=name), AnswerInput(META, "role", value_text=role)]
    rated = 0
    listener = role == roles[-1]
    for item in activity.items:
        point = activity.scale.point(values.get(f"p_{item.id}"))
        fit = str(values.get(f"f_{item.id}") or "").strip()
        if fit and fit not in fits:
            raise VertaisetInputError(f"{fit!r} is not a fit", code="invalid")
        rated += point is not None or (listener and bool(fit))
        answers.append(AnswerInput(item.id, "profile", value_num=point))
        answers.append(AnswerInput(item.id, "fit", value_text=fit if listener and fit else None))
    if not rated:
        raise VertaisetInputError("nothing rated", code="nothing")
    known = {pair_key(r.pair) for r in load_ratings(store, participant.session_id, activity)}
    if pair_key(name) not in known and len(known) >= activity.max_pairs:
        raise VertaisetInputError("the list of pairs is full", code="too_many")
    store.submit(participant, activity.id, answers, submission_id=submission_id, require_open=require_open)


def load_ratings(store: SessionStore, session_id: int, activity: Peer360, *, round: int | None = None,
                 participant_id: int | None = None) -> list[Rating]:
    """Every participant's newest rating (those with a pair and a role), oldest participant first."""
    rows: dict[int, dict[str, Any]] = {}
    for a in store.answers(session_id, activity.id, round=round, participant_id=participant_id):
        rec = rows.setdefault(a.participant_id, {"profile": {}, "fit": {}})
        if a.item == META:
            rec[a.layer] = a.value_text
        elif a.layer == "profile" and a.value_num is not None:
            rec["profile"][a.item] = float(a.value_num)
        elif a.layer == "fit" and a.value_text:
            rec["fit"][a.item] = a.value_text
    roles = {r.id for r in activity.roles}
    return [Rating(pid, rec["name"], rec["role"], rec["profile"], rec["fit"])
            for pid, rec in sorted(rows.items()) if rec.get("name") and rec.get("role") in roles]


def role_means(ratings: list[Rating], activity: Peer360) -> dict[str, dict[str, tuple[float, int]]]:
    """Per role id, per dimension: the mean of the role's raters and how many rated it."""
    out: dict[str, dict[str, tuple[float, int]]] = {}
    for role in activity.roles:
        mine = [r for r in ratings if r.role == role.id]
        per: dict[str, tuple[float, int]] = {}
        for item in activity.items:
            values = [r.profile[item.id] for r in mine if item.id in r.profile]
            if values:
                per[item.id] = (sum(values) / len(values), len(values))
        out[role.id] = per
    return out


def fit_counts(ratings: list[Rating], activity: Peer360) -> dict[str, dict[str, int]]:
    """Per dimension, how many of the listeners (B) marked each fit."""
    listener = activity.roles[-1].id
    out = {item.id: {f.id: 0 for f in activity.fit} for item in activity.items}
    for r in ratings:
        if r.role != listener:
            continue
        for item, fit in r.fit.items():
            if item in out and fit in out[item]:
                out[item][fit] += 1
    return out

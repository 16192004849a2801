"""The risks of fragmentation: one risk's rating stored as answers, and read back.

Stored like everything participants give (append-only): a participant's rating of a risk is
the risk's item with a layer per time (the points, or none) and a layer ``actor:<id>`` per
relationship of the 360 ring (1 when the risk threatens it, else 0). One risk per submission;
the latest per participant, risk and layer counts, so rating a risk again replaces it.
Pure Python: the participant's page uses it too.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ...errors import VertaisetInputError
from ...store import AnswerInput, Participant

if TYPE_CHECKING:
    from .model import FragmentationRisks
    from ...store import SessionStore

__all__ = ["ACTOR", "RiskRating", "actor_counts", "load_ratings", "save_risk", "time_means"]

#: the prefix of a relationship's layer
ACTOR = "actor:"


@dataclass(frozen=True)
class RiskRating:
    """One participant's newest rating of one risk."""

    participant_id: int
    risk: str
    times: dict[str, float] = field(default_factory=dict)  # layer id -> points
    actors: frozenset[str] = frozenset()  # the relationships it threatens


def save_risk(store: SessionStore, participant: Participant, activity: FragmentationRisks, values: dict[str, Any], *,
              submission_id: str, require_open: bool = True) -> str:
    """Store one risk's rating (``values``: ``risk``, ``t_<layer>`` points or ``""``, ``a_<actor>`` ``"1"``/``"0"``); return the risk.

    Raises
    ------
    VertaisetInputError
        ``code`` ``risk`` (not a risk of the template), ``invalid`` (a value not on the form)
        or ``nothing`` (no time rated and no relationship marked).
    """
    risk = str(values.get("risk") or "")
    if risk not in {r.id for r in activity.risks}:
        raise VertaisetInputError(f"{risk!r} is not a risk", code="risk")
    answers = []
    given = 0
    for layer in activity.layers:
        point = activity.scale.point(values.get(f"t_{layer.id}"))
        given += point is not None
        answers.append(AnswerInput(risk, layer.id, value_num=point))
    for actor in activity.actors:
        flag = str(values.get(f"a_{actor.id}") or "0").strip()
        if flag not in ("0", "1"):
            raise VertaisetInputError(f"{flag!r} is not yes or no", code="invalid")
        given += flag == "1"
        answers.append(AnswerInput(risk, f"{ACTOR}{actor.id}", value_num=float(flag)))
    if not given:
        raise VertaisetInputError("nothing rated", code="nothing")
    store.submit(participant, activity.id, answers, submission_id=submission_id, require_open=require_open)
    return risk


def load_ratings(store: SessionStore, session_id: int, activity: FragmentationRisks, *, round: int | None = None,
                 participant_id: int | None = None) -> list[RiskRating]:
    """Every participant's newest rating of every risk they rated, in the template's order of risks."""
    risks = {r.id: n for n, r in enumerate(activity.risks)}
    layers = {layer.id for layer in activity.layers}
    actors = {a.id for a in activity.actors}
    recs: dict[tuple[int, str], dict[str, Any]] = {}
    for a in store.answers(session_id, activity.id, round=round, participant_id=participant_id):
        if a.item not in risks:
            continue
        rec = recs.setdefault((a.participant_id, a.item), {"times": {}, "actors": set(), "any": False})
        if a.layer in layers and a.value_num is not None:
            rec["times"][a.layer] = float(a.value_num)
            rec["any"] = True
        elif a.layer.startswith(ACTOR) and a.layer[len(ACTOR):] in actors and a.value_num:
            rec["actors"].add(a.layer[len(ACTOR):])
            rec["any"] = True
    out = [RiskRating(pid, risk, rec["times"], frozenset(rec["actors"])) for (pid, risk), rec in recs.items() if rec["any"]]
    return sorted(out, key=lambda r: (risks[r.risk], r.participant_id))


def time_means(ratings: list[RiskRating], activity: FragmentationRisks) -> dict[tuple[str, str], tuple[float, int]]:
    """(risk, layer) -> the mean and how many rated it."""
    values: dict[tuple[str, str], list[float]] = {}
    for r in ratings:
        for layer, v in r.times.items():
            values.setdefault((r.risk, layer), []).append(v)
    return {k: (sum(v) / len(v), len(v)) for k, v in values.items()}


def actor_counts(ratings: list[RiskRating], activity: FragmentationRisks) -> dict[tuple[str, str], tuple[int, int]]:
    """(risk, relationship) -> how many marked it threatened, out of how many rated the risk."""
    raters: dict[str, int] = {}
    marked: dict[tuple[str, str], int] = {}
    for r in ratings:
        raters[r.risk] = raters.get(r.risk, 0) + 1
        for actor in r.actors:
            marked[(r.risk, actor)] = marked.get((r.risk, actor), 0) + 1
    return {(risk.id, actor.id): (marked.get((risk.id, actor.id), 0), raters.get(risk.id, 0))
            for risk in activity.risks for actor in activity.actors}

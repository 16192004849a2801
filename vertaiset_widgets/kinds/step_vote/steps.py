"""Askelten arviointi: the steps (read from the source wall), the phones' votes and what they add
up to — the majority, the uncertain and the consensus across sectors.

A step is a visible highlight of the source wall (with the activity's tag): withdrawn, hidden
and merged ones are left out as the wall's moderation says, read with the wall's own reader.
A vote is an answer (item: the step, layer ``vote``, text ``agree``, ``disagree`` or ``pass``);
the latest per phone and step counts. Light (no pandas): the phone's panel uses it too.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

from ...errors import VertaisetInputError
from ...store import AnswerInput, Participant

if TYPE_CHECKING:
    from ...store import SessionStore
    from .model import StepVote

__all__ = [
    "CHOICES", "LAYER", "Consensus", "check_in_sectors", "Step", "Tally", "Vote", "consensus", "load_steps", "load_votes", "majority",
    "promoted_items", "save_votes", "tally", "uncertain", "votes_from",
]

#: What a phone can say of a step, in the order the form offers them.
CHOICES = ("agree", "disagree", "pass")
#: The answers' layer of a vote.
LAYER = "vote"


@dataclass(frozen=True)
class Step:
    """One step to rate: a highlight of the source wall (its id and its words)."""

    item: str
    text: str


@dataclass(frozen=True)
class Vote:
    """One phone's vote on a step as it stands, with the phone's group (its sector)."""

    participant_id: int
    item: str
    choice: str
    group: str


@dataclass(frozen=True)
class Tally:
    """A step's votes: how many agree, disagree and pass."""

    step: Step
    agree: int = 0
    disagree: int = 0
    passed: int = 0

    @property
    def votes(self) -> int:
        """Every vote on the step, passes included."""
        return self.agree + self.disagree + self.passed

    def count(self, choice: str) -> int:
        """The votes of one choice (``agree``, ``disagree`` or ``pass``)."""
        return {"agree": self.agree, "disagree": self.disagree, "pass": self.passed}[choice]

    def share(self, choice: str) -> float:
        """The share of the step's voters who chose ``choice`` (0 without votes)."""
        return self.count(choice) / self.votes if self.votes else 0.0


@dataclass(frozen=True)
class Consensus:
    """A step supported in every group: its group-informed consensus score and each group's
    ``(agree, votes)``."""

    step: Step
    score: float
    groups: tuple[tuple[str, int, int], ...]


# ---------------------------------------------------------------------- reading and writing
def load_steps(store: "SessionStore", session_id: int, activity: "StepVote") -> list[Step]:
    """The source wall's visible highlights with the activity's tag, in the order they were posted."""
    from ..highlights.wall import read_wall

    wall = read_wall(store, session_id, activity.source)
    return [
        Step(h.item, h.text or "")
        for h in sorted(wall, key=lambda h: h.created_at)
        if h.visible and h.text and (activity.tag is None or h.tag == activity.tag)
    ]


def votes_from(answers: Iterable[Any], sectors: dict[int, str] | None = None) -> list[Vote]:
    """The votes among stored answers (the latest per phone and step), each with the phone's sector:
    from ``sectors`` (participant id -> sector) when given, else the group the phone gave."""
    return [
        Vote(a.participant_id, a.item, a.value_text,
             sectors.get(a.participant_id, "") if sectors is not None else a.group_name or "")
        for a in answers
        if a.layer == LAYER and a.value_text in CHOICES
    ]


def check_in_sectors(store: "SessionStore", session_id: int, activity: "StepVote", tr: Any) -> dict[int, str] | None:
    """Participant id -> the sector they chose in the check-in (its label in ``tr``'s language),
    or None when the activity names no ``breakdown``."""
    if activity.breakdown is None:
        return None
    target = tr.content.activities.get(activity.breakdown.activity)
    field = next((f for f in getattr(target, "fields", []) if f.id == activity.breakdown.field), None)
    labels = {o.id: tr.label(o) for o in getattr(field, "options", None) or []}
    return {
        a.participant_id: labels.get(a.value_text, a.value_text)
        for a in store.answers(session_id, activity.breakdown.activity)
        if a.item == activity.breakdown.field and a.value_text
    }


def load_votes(store: "SessionStore", session_id: int, activity: "StepVote", *, round: int | None = None) -> list[Vote]:
    """Every phone's votes as they stand (the activity's current round unless ``round``)."""
    return votes_from(store.answers(session_id, activity.id, round=round))


def save_votes(store: "SessionStore", participant: Participant, activity: "StepVote", choices: Mapping[str, str], *,
               steps: Iterable[str], submission_id: str, require_open: bool = True) -> int:
    """Store a phone's votes (step id -> choice); a step voted again counts its latest vote.

    Raises
    ------
    VertaisetInputError
        ``code`` ``empty`` (no vote), ``unknown`` (a step not on the list) or ``choice``.
    """
    known = set(steps)
    answers = []
    for item, choice in choices.items():
        if item not in known:
            raise VertaisetInputError(f"{item!r} is not one of the steps", code="unknown")
        if choice not in CHOICES:
            raise VertaisetInputError(f"unknown vote {choice!r}", code="choice")
        answers.append(AnswerInput(item, LAYER, value_text=choice))
    if not answers:
        raise VertaisetInputError("no vote given", code="empty")
    return store.submit(participant, activity.id, answers, submission_id=submission_id, require_open=require_open)


def promoted_items(store: "SessionStore", session_id: int, activity: "StepVote") -> dict[str, str]:
    """The steps this activity promoted for the next round (and did not withdraw): item -> text."""
    return {s.item: s.text for s in store.promoted_steps(session_id) if s.activity_id == activity.id}


# ---------------------------------------------------------------------- what the votes add up to (pure)
def tally(steps: Sequence[Step], votes: Iterable[Vote]) -> list[Tally]:
    """Each step's agree, disagree and pass, in the steps' order (votes on other items left out)."""
    counts = {s.item: {"agree": 0, "disagree": 0, "pass": 0} for s in steps}
    for v in votes:
        if v.item in counts:
            counts[v.item][v.choice] += 1
    return [Tally(s, counts[s.item]["agree"], counts[s.item]["disagree"], counts[s.item]["pass"]) for s in steps]


def majority(tallies: Iterable[Tally], threshold: float) -> list[tuple[Tally, str, float]]:
    """Steps that at least ``threshold`` of their voters rated the same way (agree or disagree):
    ``(tally, choice, share)``, the largest share first."""
    out = []
    for t in tallies:
        for choice in ("agree", "disagree"):
            if t.votes and t.share(choice) >= threshold:
                out.append((t, choice, t.share(choice)))
    return sorted(out, key=lambda x: (-x[2], -x[0].votes))


def uncertain(tallies: Iterable[Tally], threshold: float) -> list[tuple[Tally, float]]:
    """Steps that more than ``threshold`` of their voters passed: ``(tally, share)``, the most passed first."""
    out = [(t, t.share("pass")) for t in tallies if t.votes and t.share("pass") > threshold]
    return sorted(out, key=lambda x: (-x[1], -x[0].votes))


def groups_of(votes: Iterable[Vote]) -> list[str]:
    """The groups (sectors) that voted, by name; phones without a group are in none."""
    return sorted({v.group for v in votes if v.group})


def consensus(steps: Sequence[Step], votes: Sequence[Vote]) -> list[Consensus]:
    """Steps supported in every group that voted (more than half of each group's voters agree),
    scored as Polis's group-informed consensus: the product over groups of
    (agree + 1) / (votes + 2). The highest score first; empty when no phone gave a group."""
    groups = groups_of(votes)
    if not groups:
        return []
    counts: dict[tuple[str, str], list[int]] = {}
    for v in votes:
        if v.group:
            pair = counts.setdefault((v.item, v.group), [0, 0])
            pair[0] += v.choice == "agree"
            pair[1] += 1
    out = []
    for s in steps:
        per = tuple((g, *counts.get((s.item, g), [0, 0])) for g in groups)
        if all(agree > votes / 2 for _g, agree, votes in per):
            score = math.prod((agree + 1) / (votes + 2) for _g, agree, votes in per)
            out.append(Consensus(s, score, per))
    return sorted(out, key=lambda c: -c.score)

"""The practices on the maturity ladder: stored as answers, read back, compared with the previous round.

Stored like everything participants give (append-only): a practice is an item ``m…`` (a hash
of its name folded for case and spacing, so "Ohjaamon 360-ilta" and "ohjaamon  360-ilta" are
one practice) with the layers ``name`` (as typed), ``step`` (a step id) and ``evidence`` (what
the placing rests on). One placement writes the three in one submission; the newest placement
of a practice, whoever sent it, is where it stands. A network's next round carries the same
activity id, so a practice of the same name is found in the previous round and its move shown.
Pure Python: the participant's page uses it too.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ...errors import VertaisetInputError
from ...store import AnswerInput, Participant, SessionInfo
from ...text import clean_line, clean_text

if TYPE_CHECKING:
    from .model import MaturityLadder
    from ...store import SessionStore

__all__ = ["NAME_LIMIT", "Practice", "load_practices", "move", "place_practice", "practice_id", "previous_practices"]

NAME_LIMIT = 80


def _fold(name: str) -> str:
    return " ".join(name.split()).casefold()


def practice_id(name: str) -> str:
    """The item of a practice: the same for every spelling that differs only in case and spacing."""
    return "m" + hashlib.sha256(_fold(name).encode("utf-8")).hexdigest()[:20]


@dataclass(frozen=True)
class Practice:
    """A practice where its newest placement puts it."""

    id: str
    name: str
    step: str
    evidence: str
    participant_id: int
    updated_at: datetime | None = None
    placements: int = 1  # how many people have placed it (each one's newest counts once)


def place_practice(store: SessionStore, participant: Participant, activity: MaturityLadder, values: dict[str, Any], *,
                   submission_id: str, require_open: bool = True) -> str:
    """Store a placement (``values``: ``name``, ``step``, ``evidence``); return the practice's item.

    Raises
    ------
    VertaisetInputError
        ``code`` ``empty`` (no name), ``invisible`` (nothing of it shows), ``step`` (not a
        step of the ladder) or ``too_many`` (a new practice when the ladder holds ``max_practices``).
    """
    typed = " ".join(str(values.get("name") or "").split())
    if not typed:
        raise VertaisetInputError("a practice needs a name", code="empty")
    name = clean_line(typed, NAME_LIMIT)
    if name is None:
        raise VertaisetInputError("a practice needs a visible name", code="invisible")
    step = str(values.get("step") or "")
    if step not in {s.id for s in activity.steps}:
        raise VertaisetInputError(f"{step!r} is not a step", code="step")
    evidence = clean_text(values.get("evidence") or "", activity.evidence_length) or None
    item = practice_id(name)
    known = {p.id for p in load_practices(store, participant.session_id, activity)}
    if item not in known and len(known) >= activity.max_practices:
        raise VertaisetInputError("the ladder is full", code="too_many")
    store.submit(participant, activity.id, [
        AnswerInput(item, "name", value_text=name), AnswerInput(item, "step", value_text=step),
        AnswerInput(item, "evidence", value_text=evidence),
    ], submission_id=submission_id, require_open=require_open)
    return item


def load_practices(store: SessionStore, session_id: int, activity: MaturityLadder, *, round: int | None = None) -> list[Practice]:
    """Every practice where its newest placement puts it, lowest step first, then by name."""
    marks: dict[tuple[str, int], dict[str, Any]] = {}
    for a in store.answers(session_id, activity.id, round=round):
        if not a.item.startswith("m"):
            continue
        rec = marks.setdefault((a.item, a.participant_id), {"newest": 0, "at": a.created_at})
        rec["newest"] = max(rec["newest"], a.id)
        rec["at"] = max(rec["at"], a.created_at)
        rec[a.layer] = a.value_text
    steps = {s.id: n for n, s in enumerate(activity.steps)}
    newest: dict[str, tuple[int, int]] = {}
    count: dict[str, int] = {}
    for (item, pid), rec in marks.items():
        count[item] = count.get(item, 0) + 1
        if rec.get("name") and rec.get("step") in steps and rec["newest"] > newest.get(item, (0, 0))[0]:
            newest[item] = (rec["newest"], pid)
    out = [Practice(item, marks[(item, pid)]["name"], marks[(item, pid)]["step"], marks[(item, pid)].get("evidence") or "",
                    pid, marks[(item, pid)]["at"], count[item]) for item, (_n, pid) in newest.items()]
    return sorted(out, key=lambda p: (steps[p.step], _fold(p.name), p.id))


def previous_practices(store: SessionStore, session: SessionInfo, activity: MaturityLadder) -> dict[str, Practice]:
    """The previous round's practices of the same activity (by item), or none in a network's first round."""
    previous = store.previous_round(session)
    if previous is None:
        return {}
    return {p.id: p for p in load_practices(store, previous.id, activity)}


def move(activity: MaturityLadder, practice: Practice, before: Practice | None) -> str:
    """``up``, ``down`` or ``same`` against the previous round; ``new`` when it was not on the ladder then."""
    if before is None:
        return "new"
    steps = {s.id: n for n, s in enumerate(activity.steps)}
    now, then = steps[practice.step], steps[before.step]
    return "up" if now > then else "down" if now < then else "same"

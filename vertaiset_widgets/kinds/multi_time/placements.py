"""The decisions and their placements (*moniaikaisuus*): stored as answers, read back.

Stored like everything participants give (append-only): a starter decision is the item of its
template id; a decision a participant adds is an item ``x…`` (a hash of its words folded for
case and spacing, so two people typing the same decision add one) with a layer ``text``. A
placement is two layers of the decision's item, ``clock`` and ``impact`` (their ids); the
latest per participant and decision counts, so placing again replaces. Pure Python: the
participant's page uses it too.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ...errors import VertaisetInputError
from ...store import AnswerInput, Participant
from ...text import clean_line

if TYPE_CHECKING:
    from .model import MultiTime
    from ...store import SessionStore

__all__ = ["Decision", "NEW", "Placement", "TEXT_LIMIT", "decision_id", "load", "place"]

#: the form's key of a decision being added
NEW = "new"
TEXT_LIMIT = 120


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def decision_id(text: str) -> str:
    """The item of an added decision: the same for spellings that differ only in case and spacing."""
    return "x" + hashlib.sha256(_fold(text).encode("utf-8")).hexdigest()[:20]


@dataclass(frozen=True)
class Decision:
    """One decision to place: a starter (``text`` None: its label comes from the template) or an added one."""

    id: str
    text: str | None = None
    participant_id: int | None = None

    def label(self, tr: Any, activity: MultiTime) -> str:
        """Its words in the page's language."""
        if self.text is not None:
            return self.text
        return next(tr.label(d) for d in activity.decisions if d.id == self.id)


@dataclass(frozen=True)
class Placement:
    """One participant's placement of one decision."""

    decision: str
    participant_id: int
    clock: str
    impact: str


def load(store: SessionStore, session_id: int, activity: MultiTime, *, round: int | None = None) -> tuple[list[Decision], list[Placement]]:
    """The decisions (starters first, then the added ones in the order added) and the placements that count."""
    starters = [Decision(d.id) for d in activity.decisions]
    added: dict[str, Decision] = {}
    layers: dict[tuple[str, int], dict[str, str]] = {}
    for a in store.answers(session_id, activity.id, round=round):
        if a.layer == "text":
            if a.value_text and a.item not in added and a.item.startswith("x"):
                added[a.item] = Decision(a.item, a.value_text, a.participant_id)
        elif a.layer in ("clock", "impact") and a.value_text:
            layers.setdefault((a.item, a.participant_id), {})[a.layer] = a.value_text
    decisions = starters + [d for d in added.values() if d.id not in {s.id for s in starters}]
    known = {d.id for d in decisions}
    clocks, impacts = {c.id for c in activity.clocks}, {i.id for i in activity.impacts}
    placements = [
        Placement(item, pid, rec["clock"], rec["impact"]) for (item, pid), rec in layers.items()
        if item in known and rec.get("clock") in clocks and rec.get("impact") in impacts
    ]
    return decisions, placements


def _new_decision(activity: MultiTime, decisions: list[Decision], typed: Any) -> tuple[str, str | None] | None:
    """The id of the decision typed into the "add" field (and its words, when it is new); None when nothing was typed."""
    raw = " ".join(str(typed or "").split())
    if not raw:
        return None
    text = clean_line(raw, TEXT_LIMIT)
    if text is None:
        raise VertaisetInputError("a decision needs visible words", code="invisible")
    for starter in activity.decisions:  # a starter typed again, in any language, is that starter
        if any(_fold(label) == _fold(text) for label in starter.label.values()):
            return starter.id, None
    item = decision_id(text)
    if item in {d.id for d in decisions}:
        return item, None
    if not activity.allow_new:
        raise VertaisetInputError("this activity takes no new decisions", code="no_new")
    if len(decisions) >= activity.max_decisions:
        raise VertaisetInputError("the list of decisions is full", code="too_many")
    return item, text


def place(store: SessionStore, participant: Participant, activity: MultiTime, values: dict[str, Any], *,
          submission_id: str, require_open: bool = True) -> list[str]:
    """Store a participant's placements (``values``: ``clock|<decision>`` and ``impact|<decision>``
    per decision, and ``new`` with ``clock|new`` and ``impact|new`` for a decision being added);
    return the decisions placed or added.

    Raises
    ------
    VertaisetInputError
        ``code`` ``half`` (a clock without a time of impact, or the other way round), ``invalid``
        (a clock, time or decision the activity does not have), ``invisible`` (an added decision
        with no visible words), ``no_new``, ``too_many`` or ``nothing`` (nothing placed or added).
    """
    decisions, _ = load(store, participant.session_id, activity)
    new = _new_decision(activity, decisions, values.get(NEW))
    clocks, impacts = {c.id for c in activity.clocks}, {i.id for i in activity.impacts}
    known = {d.id for d in decisions}
    chosen: dict[str, tuple[str, str]] = {}
    keys = {k.partition("|")[2] for k in values if k.startswith(("clock|", "impact|"))}
    for key in sorted(keys, key=lambda k: k == NEW):  # the new decision's placement last: it wins
        clock, impact = str(values.get(f"clock|{key}") or ""), str(values.get(f"impact|{key}") or "")
        if not clock and not impact:
            continue
        if not (clock and impact):
            raise VertaisetInputError("place both the clock and the time of impact", code="half")
        item = new[0] if key == NEW and new else key
        if key == NEW and not new:
            raise VertaisetInputError("write the decision to place it", code="no_text")
        if (item not in known and not (new and item == new[0])) or clock not in clocks or impact not in impacts:
            raise VertaisetInputError("choose from the lists", code="invalid")
        chosen[item] = (clock, impact)
    answers: list[AnswerInput] = []
    if new and new[1] is not None:
        answers.append(AnswerInput(new[0], "text", value_text=new[1]))
    for item, (clock, impact) in chosen.items():
        answers += [AnswerInput(item, "clock", value_text=clock), AnswerInput(item, "impact", value_text=impact)]
    if not answers:
        raise VertaisetInputError("nothing was placed", code="nothing")
    store.submit(participant, activity.id, answers, submission_id=submission_id, require_open=require_open)
    return list(dict.fromkeys(a.item for a in answers))

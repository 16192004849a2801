"""The partnerships' practice profiles: stored as answers, read back.

Stored like everything participants give (append-only): a partnership is an item ``p…`` (a
hash of its name, folded for case and spacing, so "Ohjaamo – TE-toimisto" and "ohjaamo –
te-toimisto " are one partnership) with a layer ``name`` (the name as typed) and one layer per
practice (1 when the partnership has it, 0 when not). One marking writes every layer in one
submission (the browser's submission id is the idempotency key); the newest marking of a
partnership, whoever sent it, is its profile. Pure Python: the participant's page uses it too.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ...errors import VertaisetInputError
from ...store import AnswerInput, Participant
from ...text import clean_line

if TYPE_CHECKING:
    from .model import PracticeProfile
    from ...store import SessionStore

__all__ = ["NAME_LIMIT", "Profile", "load_profiles", "mark_partnership", "partnership_id"]

#: the longest partnership name kept
NAME_LIMIT = 80


def _fold(name: str) -> str:
    return " ".join(name.split()).casefold()


def partnership_id(name: str) -> str:
    """The item of a partnership: the same for every spelling that differs only in case and spacing."""
    return "p" + hashlib.sha256(_fold(name).encode("utf-8")).hexdigest()[:20]


@dataclass(frozen=True)
class Profile:
    """One partnership as its newest marking has it."""

    id: str
    name: str
    weak: tuple[str, ...]  # the ids of the weak practices it has, in the template's order
    strong: tuple[str, ...]
    participant_id: int
    updated_at: datetime | None = None
    markings: int = 1  # how many people have marked it (each one's newest counts once)
    _both_min: int = field(default=1, repr=False, compare=False)

    @property
    def combines_both(self) -> bool:
        """True when it has enough of both lists (the template's ``both_min`` of each): the
        source's *verkostomaiset kehittämispöytätyöt*, which combine strong and weak practices."""
        return len(self.weak) >= self._both_min and len(self.strong) >= self._both_min


def _name(values: dict[str, Any]) -> str:
    typed = " ".join(str(values.get("name") or "").split())
    name = clean_line(typed, NAME_LIMIT)
    if not typed:
        raise VertaisetInputError("a partnership needs a name", code="empty")
    if name is None:
        raise VertaisetInputError("a partnership needs a visible name", code="invisible")
    return name


def _flag(value: Any) -> float:
    text = str(value if value is not None else "0").strip()
    if text not in ("0", "1", ""):
        raise VertaisetInputError(f"{text!r} is not yes or no", code="invalid")
    return 1.0 if text == "1" else 0.0


def mark_partnership(store: SessionStore, participant: Participant, activity: PracticeProfile, values: dict[str, Any], *,
                     submission_id: str, require_open: bool = True) -> str:
    """Store a marking of a partnership (``values``: ``name`` and ``"1"``/``"0"`` per practice id); return its item.

    Raises
    ------
    VertaisetInputError
        ``code`` ``empty`` (no name), ``invisible`` (nothing of it shows), ``invalid`` (a
        practice marked with something other than yes or no) or ``too_many`` (a new
        partnership when the activity holds ``max_partnerships``).
    """
    name = _name(values)
    flags = {p.id: _flag(values.get(p.id)) for p in (*activity.weak, *activity.strong)}
    item = partnership_id(name)
    known = {p.id for p in load_profiles(store, participant.session_id, activity)}
    if item not in known and len(known) >= activity.max_partnerships:
        raise VertaisetInputError("the list of partnerships is full", code="too_many")
    answers = [AnswerInput(item, "name", value_text=name)]
    answers += [AnswerInput(item, pid, value_num=flag) for pid, flag in flags.items()]
    store.submit(participant, activity.id, answers, submission_id=submission_id, require_open=require_open)
    return item


def load_profiles(store: SessionStore, session_id: int, activity: PracticeProfile, *, round: int | None = None) -> list[Profile]:
    """Every partnership's profile (its newest marking), sorted by name."""
    marks: dict[tuple[str, int], dict[str, Any]] = {}
    for a in store.answers(session_id, activity.id, round=round):
        if not a.item.startswith("p"):
            continue
        rec = marks.setdefault((a.item, a.participant_id), {"newest": 0, "at": a.created_at})
        rec["newest"] = max(rec["newest"], a.id)
        rec["at"] = max(rec["at"], a.created_at)
        rec[a.layer] = a.value_text if a.layer == "name" else a.value_num
    newest: dict[str, tuple[int, int]] = {}
    count: dict[str, int] = {}
    for (item, pid), rec in marks.items():
        count[item] = count.get(item, 0) + 1
        if rec.get("name") and rec["newest"] > newest.get(item, (0, 0))[0]:
            newest[item] = (rec["newest"], pid)
    out = []
    for item, (_last, pid) in newest.items():
        rec = marks[(item, pid)]
        out.append(Profile(
            item, rec["name"],
            tuple(p.id for p in activity.weak if rec.get(p.id)), tuple(p.id for p in activity.strong if rec.get(p.id)),
            pid, rec["at"], count[item], activity.both_min,
        ))
    return sorted(out, key=lambda p: (_fold(p.name), p.id))

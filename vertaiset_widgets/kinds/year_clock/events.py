"""The year clock's events (*vuosikello*): stored as answers, read back, taken back.

Stored like everything participants give (append-only): an event is an item ``e…`` (a hash
of the participant and the browser's submission id, so the same submission sent again is the
same event) with layers ``type, title, start, end, owner, ring``. Taking one back stores an
empty title and erases its words. Pure Python: the participant's page uses it too.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from ...errors import VertaisetInputError
from ...store import AnswerInput, Participant
from ...text import clean_line

if TYPE_CHECKING:
    from .model import YearClock
    from ...store import SessionStore

__all__ = ["Event", "FIELDS", "add_event", "load_events", "parse_day", "remove_own", "wheel_year"]

FIELDS = ("type", "title", "start", "end", "owner", "ring")
_FI_DATE = re.compile(r"^\s*(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{4})\s*$")


@dataclass(frozen=True)
class Event:
    """One entry of the year clock, as it stands now."""

    id: str
    type: str
    title: str
    start: date
    end: date
    owner: str
    ring: str
    participant_id: int
    created_at: datetime | None = None

    @property
    def days(self) -> int:
        """How many days it spans (1 for a single date)."""
        return (self.end - self.start).days + 1


def parse_day(text: Any) -> date | None:
    """A date typed as ``2026-03-15`` (a date input's value) or ``15.3.2026``; None when empty.

    Raises
    ------
    VertaisetInputError
        ``code`` ``date``: not a date.
    """
    text = str(text or "").strip()
    if not text:
        return None
    try:
        found = _FI_DATE.match(text)
        if found:
            d, m, y = (int(g) for g in found.groups())
            return date(y, m, d)
        if len(text) != 10:  # 3.11's fromisoformat also takes "20260315", which no one types here
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise VertaisetInputError(f"{text!r} is not a date", code="date") from None


def wheel_year(activity: YearClock, held_on: date | None) -> int:
    """The year the wheel shows: the template's, else the session's."""
    return activity.year or (held_on or date.today()).year


def load_events(store: SessionStore, session_id: int, activity: YearClock, *, round: int | None = None) -> list[Event]:
    """The events (taken-back ones left out), sorted by date and title."""
    items: dict[str, dict[str, Any]] = {}
    for a in store.answers(session_id, activity.id, round=round):
        rec = items.setdefault(a.item, {"participant_id": a.participant_id, "created_at": a.created_at})
        rec[a.layer] = a.value_text or ""
        rec["created_at"] = min(rec["created_at"], a.created_at) if a.created_at else rec["created_at"]
    out = []
    for item, rec in items.items():
        if not (item.startswith("e") and rec.get("title") and rec.get("start")):
            continue
        try:
            start = date.fromisoformat(rec["start"])
            end = date.fromisoformat(rec["end"]) if rec.get("end") else start
        except ValueError:
            continue
        out.append(Event(item, rec.get("type", ""), rec["title"], start, max(start, end), rec.get("owner", ""),
                         rec.get("ring", ""), rec["participant_id"], rec.get("created_at")))
    return sorted(out, key=lambda e: (e.start, e.end, e.title.casefold(), e.id))


def _item_id(participant: Participant, submission_id: str) -> str:
    return "e" + hashlib.sha256(f"{participant.id}\x1f{submission_id}".encode()).hexdigest()[:24]


def add_event(store: SessionStore, participant: Participant, activity: YearClock, values: dict[str, Any], *,
              submission_id: str, require_open: bool = True) -> str:
    """Add an event to the year clock; return its id.

    Raises
    ------
    VertaisetInputError
        ``code`` ``empty`` (no title), ``invisible`` (nothing of it shows), ``date`` (no date,
        or not a date), ``order`` (the end before the start), ``invalid`` (a type or ring the
        template does not have) or ``too_many``.
    """
    typed = " ".join(str(values.get("title") or "").split())
    title = clean_line(typed, 120)
    if not typed:
        raise VertaisetInputError("an event needs a title", code="empty")
    if title is None:
        raise VertaisetInputError("an event needs a visible title", code="invisible")
    start = parse_day(values.get("start"))
    end = parse_day(values.get("end"))
    if start is None:
        raise VertaisetInputError("an event needs a date", code="date")
    if end is not None and end < start:
        raise VertaisetInputError("the end is before the start", code="order")
    kind, ring = str(values.get("type") or ""), str(values.get("ring") or "")
    if kind not in {t.id for t in activity.types} or ring not in {r.id for r in activity.rings}:
        raise VertaisetInputError("choose the type and the ring from the lists", code="invalid")
    events = load_events(store, participant.session_id, activity)
    item = _item_id(participant, submission_id)
    if any(e.id == item for e in events):
        return item  # the same submission again
    if len(events) >= activity.max_events:
        raise VertaisetInputError("the year clock is full", code="too_many")
    answers = [
        AnswerInput(item, "type", value_text=kind), AnswerInput(item, "title", value_text=title),
        AnswerInput(item, "start", value_text=start.isoformat()),
        AnswerInput(item, "end", value_text=end.isoformat() if end and end != start else None),
        AnswerInput(item, "owner", value_text=clean_line(values.get("owner") or None, 80)),
        AnswerInput(item, "ring", value_text=ring),
    ]
    store.submit(participant, activity.id, answers, submission_id=submission_id, require_open=require_open)
    return item


def remove_own(store: SessionStore, participant: Participant, activity: YearClock, item: str, *, submission_id: str) -> None:
    """Take back one's own event (while the clock is open); its words are erased from the store."""
    from ...privacy import scrub_items

    owner = next((e.participant_id for e in load_events(store, participant.session_id, activity) if e.id == item), None)
    if owner != participant.id:
        raise VertaisetInputError("only the one who added it can take it back", code="not_yours")
    store.submit(participant, activity.id, [AnswerInput(item, "title", value_text=None)], submission_id=submission_id)
    scrub_items(store, participant, activity.id, [item])

"""The contact list's entries (*yhteystietolista*): stored with consent, read back, confirmed, withdrawn.

Stored like everything participants give (append-only): one entry per participant, the item
``c…`` (a hash of the participant), with the layers ``name, org, role, phone, email`` and
``checked`` (the day the entry was last saved or confirmed) as text, and ``consent`` as a
number (1 given, 0 withdrawn). Nothing is stored without consent. Withdrawing stores the
consent 0, then erases every word of the entry from every version (``privacy.scrub_items``)
and cleans the database files (``privacy.compact``). Pure Python: the participant's page uses it too.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from ...errors import VertaisetInputError
from ...store import AnswerInput, Participant
from ...text import clean_line

if TYPE_CHECKING:
    from .model import Contacts
    from ...store import SessionStore

__all__ = [
    "DETAILS", "Entry", "confirm_entry", "entry_id", "load_entries", "own_entry", "save_entry", "today",
    "withdraw_entry",
]

#: the words an entry holds that withdrawing erases
DETAILS = ("name", "org", "phone", "email")
_EMAIL = re.compile(r"^[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;]+$")
_PHONE = re.compile(r"^\+?[0-9 ()./-]+$")


def today() -> date:
    """The day an entry is saved or confirmed on, and the day staleness is counted from."""
    return date.today()


@dataclass(frozen=True)
class Entry:
    """One person's entry, as it stands now."""

    id: str
    participant_id: int
    name: str
    org: str
    role: str
    phone: str
    email: str
    checked: date | None

    def age_days(self, on: date | None = None) -> int | None:
        """Days since the entry was last checked (None when it never was)."""
        return None if self.checked is None else ((on or today()) - self.checked).days

    def is_stale(self, after_days: int, on: date | None = None) -> bool:
        """True when the entry was not checked within ``after_days`` days."""
        age = self.age_days(on)
        return age is None or age > after_days


def entry_id(participant: Participant | int) -> str:
    """The one item of a participant's entry (a hash: the id says nothing of the person)."""
    pid = participant if isinstance(participant, int) else participant.id
    return "c" + hashlib.sha256(f"contact\x1f{pid}".encode()).hexdigest()[:24]


def _phone(text: Any) -> str | None:
    typed = clean_line(str(text or ""), 40)
    if typed is None:
        return None
    digits = sum(ch.isdigit() for ch in typed)
    if not _PHONE.fullmatch(typed) or not 5 <= digits <= 20:
        raise VertaisetInputError(f"{typed!r} is not a phone number", code="phone")
    return typed


def _email(text: Any) -> str | None:
    typed = clean_line(str(text or ""), 120)
    if typed is None:
        return None
    if not _EMAIL.fullmatch(typed):
        raise VertaisetInputError(f"{typed!r} is not an e-mail address", code="email")
    return typed


def _consented(value: Any) -> bool:
    return str(value or "").strip().lower() in ("yes", "true", "1", "on")


def load_entries(store: SessionStore, session_id: int, activity: Contacts, *, round: int | None = None) -> list[Entry]:
    """The entries with consent (withdrawn ones left out), sorted by role order and name."""
    items: dict[str, dict[str, Any]] = {}
    for a in store.answers(session_id, activity.id, round=round):
        rec = items.setdefault(a.item, {"participant_id": a.participant_id})
        rec[a.layer] = a.value_num if a.layer == "consent" else (a.value_text or "")
    order = {r.id: i for i, r in enumerate(activity.roles)}
    out = []
    for item, rec in items.items():
        if not (item.startswith("c") and rec.get("consent") == 1 and rec.get("name")):
            continue
        try:
            checked = date.fromisoformat(rec["checked"]) if rec.get("checked") else None
        except ValueError:
            checked = None
        out.append(Entry(item, rec["participant_id"], rec["name"], rec.get("org", ""), rec.get("role", ""),
                         rec.get("phone", ""), rec.get("email", ""), checked))
    return sorted(out, key=lambda e: (order.get(e.role, len(order)), e.name.casefold(), e.id))


def own_entry(store: SessionStore, participant: Participant, activity: Contacts, *, round: int | None = None) -> Entry | None:
    """The participant's own entry, or None (never given, or withdrawn)."""
    mine = entry_id(participant)
    return next((e for e in load_entries(store, participant.session_id, activity, round=round) if e.id == mine), None)


def save_entry(store: SessionStore, participant: Participant, activity: Contacts, values: dict[str, Any], *,
               submission_id: str, require_open: bool = True) -> str:
    """Store (or update) the participant's entry, with today as its last-checked day; return its id.

    Raises
    ------
    VertaisetInputError
        ``code`` ``consent`` (the consent box not ticked: nothing is stored), ``empty`` (no
        name), ``invisible`` (nothing of the name shows), ``role`` (a role the template does not
        have), ``reach`` (neither a phone number nor an e-mail address), ``phone``, ``email``
        (not one), or ``too_many``.
    """
    if not _consented(values.get("consent")):
        raise VertaisetInputError("without consent nothing is stored", code="consent")
    typed = " ".join(str(values.get("name") or "").split())
    name = clean_line(typed, 80)
    if not typed:
        raise VertaisetInputError("an entry needs a name", code="empty")
    if name is None:
        raise VertaisetInputError("an entry needs a visible name", code="invisible")
    role = str(values.get("role") or "")
    if role not in {r.id for r in activity.roles}:
        raise VertaisetInputError("choose the role from the list", code="role")
    phone, email = _phone(values.get("phone")), _email(values.get("email"))
    if phone is None and email is None:
        raise VertaisetInputError("give a phone number or an e-mail address", code="reach")
    item = entry_id(participant)
    entries = load_entries(store, participant.session_id, activity)
    if not any(e.id == item for e in entries) and len(entries) >= activity.max_entries:
        raise VertaisetInputError("the contact list is full", code="too_many")
    answers = [
        AnswerInput(item, "name", value_text=name),
        AnswerInput(item, "org", value_text=clean_line(values.get("org") or None, 120)),
        AnswerInput(item, "role", value_text=role),
        AnswerInput(item, "phone", value_text=phone),
        AnswerInput(item, "email", value_text=email),
        AnswerInput(item, "checked", value_text=today().isoformat()),
        AnswerInput(item, "consent", value_num=1.0),
    ]
    store.submit(participant, activity.id, answers, submission_id=submission_id, require_open=require_open)
    return item


def confirm_entry(store: SessionStore, participant: Participant, activity: Contacts, *, submission_id: str) -> date:
    """"Tiedot ovat ajan tasalla": renew the last-checked day of one's own entry; return it.

    Raises
    ------
    VertaisetInputError
        ``code`` ``no_entry``: the participant has no entry (or withdrew it).
    """
    if own_entry(store, participant, activity) is None:
        raise VertaisetInputError("there is no entry to confirm", code="no_entry")
    day = today()
    store.submit(participant, activity.id, [AnswerInput(entry_id(participant), "checked", value_text=day.isoformat())],
                 submission_id=submission_id)
    return day


def withdraw_entry(store: SessionStore, participant: Participant, activity: Contacts, *, submission_id: str,
                   clean_files: bool = True) -> bool:
    """Withdraw consent: the entry leaves the list and its words are erased from the store, every
    version of them; the database files are cleaned afterwards. Allowed while the activity is
    closed too (consent can always be taken back). True when the files were cleaned completely.
    """
    from ... import schema
    from ...privacy import compact, scrub_items

    item = entry_id(participant)
    store.submit(participant, activity.id, [AnswerInput(item, "consent", value_num=0.0)],
                 submission_id=submission_id, require_open=False)
    scrub_items(store, participant, activity.id, [item])
    return compact(store, [schema.answers]) if clean_files else False

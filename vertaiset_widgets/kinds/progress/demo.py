"""Yhdessä eteneminen's examples for the contract test (``tests/test_kinds_contract.py``) and
the demo's progress for ``vertaiset demo``.

``EXAMPLE`` is a minimal valid template entry (following the phase 2 board ``toimintatavat``),
``BROKEN`` a ``(field, value)`` that makes it invalid, and :func:`answer` what a phone sends to
the first agreement's form. Without board rows the phone shows no form and :func:`answer` is
None. :func:`seed_progress` updates some of the demo board's agreements (one stuck, with a note).
"""
from __future__ import annotations

from typing import Any, Sequence

from ..examples import labelled_items as _items

__all__ = ["BROKEN", "DEMO_UPDATES", "EXAMPLE", "answer", "seed_progress"]


EXAMPLE: dict[str, Any] = {
    "id": "esimerkki_eteneminen",
    "kind": "progress",
    "title": {"fi": "Miten sovittu etenee?", "sv": "Hur går det med det vi kom överens om?", "en": "How is what we agreed moving?"},
    "prompt": {
        "fi": "Päivittäkää sovittujen asioiden tilanne.",
        "sv": "Uppdatera läget för det ni har kommit överens om.",
        "en": "Update where the agreed things stand.",
    },
    "from_activity": "toimintatavat",
    "statuses": _items(
        ("ei_aloitettu", "Ei aloitettu", "Inte påbörjat", "Not started"),
        ("kaynnissa", "Käynnissä", "Pågår", "In progress"),
        ("valmis", "Valmis", "Klart", "Done"),
        ("jumissa", "Jumissa", "Fastnat", "Stuck"),
    ),
    "stuck": "jumissa",
    "done": "valmis",
}

#: Two statuses: a progress needs not started, done and stuck.
BROKEN = ("statuses", EXAMPLE["statuses"][:2])

#: The demo's updates of the phase 2 board (``demo_phases.seed_phase2``): question, status role, note.
DEMO_UPDATES = (
    ("k01", "done", ""),
    ("k02", "done", ""),
    ("k03", "in_progress", ""),
    ("k05", "in_progress", ""),
    ("k07", "stuck", "Uusien toimijoiden kutsulistaa ei ole koottu: kuka sen tekee?"),
    ("k12", "in_progress", ""),
)


def answer(form: Any) -> dict[str, Any] | None:
    """The first agreement's form: its first status that is not the current one, no note;
    None when the phone shows no form (no board rows anywhere)."""
    if form is None:
        return None
    options = next(f["options"] for f in form.fields if f["name"] == "status")
    current = (form.value or {}).get("status")
    status = next((o["value"] for o in options if o["value"] != current), options[0]["value"])
    return {"type": "submit", "value": {"status": status, "note": ""}}


def seed_progress(store: Any, people: Sequence[Any], activity: Any, *, updates: Sequence[tuple[str, str, str]] = DEMO_UPDATES,
                  prefix: str = "demo-pg") -> int:
    """Update some agreements of ``activity`` (a progress) as ``people`` would from their phones,
    one person each in turn; the activity need not be open. ``updates`` name a status by its
    role (``done``, ``stuck``, ``in_progress``, ``not_started``). Seeding twice stores nothing
    twice (the submission ids repeat). Returns the rows stored."""
    from .progress import save_update

    in_progress = next((s for s in activity.order if s not in (activity.stuck, activity.done, activity.not_started_status)),
                       activity.not_started_status)
    roles = {"done": activity.done, "stuck": activity.stuck, "in_progress": in_progress,
             "not_started": activity.not_started_status}
    stored = 0
    for n, (item, role, note) in enumerate(updates):
        stored += save_update(store, people[n % len(people)], activity, item, {"status": roles[role], "note": note},
                              items={item}, submission_id=f"{prefix}-{item}-{role}", require_open=False)
    return stored

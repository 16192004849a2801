"""Kierroksen alku's examples for the contract test (``tests/test_kinds_contract.py``).

``EXAMPLE`` is a minimal valid template entry, ``BROKEN`` a ``(field, value)`` that makes it
invalid. Participants answer nothing (they read the round's start), so :func:`answer` is None.
:func:`seed_demo_round` reveals the round's start of a demo session (there is nothing to answer).
"""
from __future__ import annotations

from typing import Any

__all__ = ["BROKEN", "EXAMPLE", "answer", "seed_demo_round"]

EXAMPLE: dict[str, Any] = {
    "id": "esimerkki_kierros",
    "kind": "round_start",
    "title": {"fi": "Mistä lähdemme", "sv": "Var vi börjar", "en": "Where we start"},
    "prompt": {
        "fi": "Edellisellä kierroksella päätimme nämä askeleet.",
        "sv": "Under förra omgången beslutade vi om dessa steg.",
        "en": "In the previous round we decided on these steps.",
    },
    "before_from": {"activity": "arviointi_360", "layer": "nyt"},
}

#: A layer that is not an id (ids are lower-case letters, digits and underscores).
BROKEN = ("before_from", {"activity": "arviointi_360", "layer": "Nyt!"})


def answer(form: Any) -> None:
    """Nothing: participants only read the round's start."""
    return None


def seed_demo_round(store: Any, session: Any, content: Any, rng: Any = None, *, reveal: bool = True) -> None:
    """Show the round's start of ``session`` to the room as a facilitator would (revealed, closed);
    nothing is answered. ``rng`` is unused: the same signature as the other kinds' demo seeds."""
    for activity in content.activities.values():
        if activity.kind == "round_start":
            store.set_activity_state(session.id, activity.id, is_open=False, is_revealed=reveal)

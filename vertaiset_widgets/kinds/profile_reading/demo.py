"""Kiinnostava vai hyvä käytäntö's examples for the contract test (``tests/test_kinds_contract.py``)
and the demo for ``vertaiset demo``.

``EXAMPLE`` is a minimal valid template entry, ``BROKEN`` a ``(field, value)`` that makes it
invalid; participants answer nothing here (they rated the 360 itself), so :func:`answer` is
None. :func:`seed_demo_round` makes sure the demo session's 360 has a profile to read.
"""
from __future__ import annotations

import random
from typing import Any

from ..examples import labelled_items as _items

__all__ = ["BROKEN", "EXAMPLE", "answer", "seed_demo_round"]

EXAMPLE: dict[str, Any] = {
    "id": "esimerkki_profiilin_luenta",
    "kind": "profile_reading",
    "title": {"fi": "Kapea vai laaja profiili?", "sv": "Smal eller bred profil?", "en": "A narrow or a wide profile?"},
    "prompt": {
        "fi": "Kumpaa muotoa huoneen profiili muistuttaa?",
        "sv": "Vilken form liknar rummets profil?",
        "en": "Which shape does the room's profile resemble?",
    },
    "source": "arviointi_360",
    "items": _items(
        ("johtaminen", "Johtaminen", "Ledning", "Leadership"),
        ("tuloksellisuus", "Tuloksellisuus", "Resultat", "Results"),
        ("sisainen_yhteistyo", "Sisäinen yhteistyö", "Internt samarbete", "Internal collaboration"),
    ),
    "shapes": [
        {"id": "kapea", "label": {"fi": "Kapea", "sv": "Smal", "en": "Narrow"},
         "values": {"johtaminen": 1, "tuloksellisuus": 5, "sisainen_yhteistyo": 1}},
        {"id": "laaja", "label": {"fi": "Laaja", "sv": "Bred", "en": "Wide"},
         "values": {"johtaminen": 4, "tuloksellisuus": 4, "sisainen_yhteistyo": 4}},
    ],
}

#: One reference shape: a profile is read against at least two.
BROKEN = ("shapes", EXAMPLE["shapes"][:1])


def answer(form: Any) -> None:
    """Participants answer nothing here."""
    return None


#: a 360 "nyt" to read when the session has none: strong inside, weak towards politics
_NOW = [3.4, 2.6, 2.7, 3.0, 1.6, 2.6, 2.9, 3.6]


def seed_demo_round(store: Any, session: Any, content: Any, rng: random.Random, *, reveal: bool = True) -> None:
    """Reveal the reading; when the session's 360 has no answers in the layer read, rate one for ten people first."""
    from ...store import AnswerInput

    activity = next((a for a in content.activities.values() if a.kind == "profile_reading"), None)
    if activity is None:
        return
    if not any(a.layer == activity.source_layer for a in store.answers(session.id, activity.source)):
        people = sorted(store.participants(session.id), key=lambda p: p.id)
        for k in range(len(people), 10):
            people.append(store.join(session.id, f"demo-pr-{session.id}-{k:03d}", nickname=None))
        for person in people[:10]:
            answers = [AnswerInput(item.id, activity.source_layer, value_num=float(min(
                activity.scale.max, max(activity.scale.min, round(_NOW[n % len(_NOW)] + rng.gauss(0, 0.7))))))
                for n, item in enumerate(activity.items)]
            store.submit(person, activity.source, answers, submission_id=f"demo-pr-{session.id}-{person.id}", require_open=False)
    if reveal:
        store.set_activity_state(session.id, activity.id, is_open=False, is_revealed=True)

"""Vertaisoppiminen 360:ssä's examples for the contract test (``tests/test_kinds_contract.py``)
and the demo's pairs for ``vertaiset demo``.

``EXAMPLE`` is a minimal valid template entry, ``BROKEN`` a ``(field, value)`` that makes it
invalid, :func:`answer` what a phone sends to the rating form (the pair's name, B, a rating
and a fit per dimension) and :func:`seed_demo_round` fills the activity of a demo session.
"""
from __future__ import annotations

import random
from typing import Any

from ..examples import labelled_items as _items

__all__ = ["BROKEN", "EXAMPLE", "answer", "seed_demo_round"]

EXAMPLE: dict[str, Any] = {
    "id": "esimerkki_vertaisoppiminen",
    "kind": "peer_360",
    "title": {"fi": "Vertaisoppiminen", "sv": "Kamratlärande", "en": "Peer learning"},
    "prompt": {
        "fi": "A kertoo, B kuuntelee, miten A:n käytäntö sopii omaan kontekstiin.",
        "sv": "A berättar, B lyssnar på hur A:s praxis passar det egna sammanhanget.",
        "en": "A tells, B listens how A's practice fits its own context.",
    },
    "roles": _items(("a", "A – kertoo", "A – berättar", "A – tells"), ("b", "B – kuuntelee", "B – lyssnar", "B – listens")),
    "fit": _items(("sopii", "Sopii", "Passar", "Fits"), ("ei_sovi", "Ei sovi", "Passar inte", "Does not fit")),
    "items": _items(
        ("johtaminen", "Johtaminen", "Ledning", "Leadership"),
        ("asiakkaat", "Asiakkaat", "Kunder", "Clients"),
        ("yhteistyo", "Sisäinen yhteistyö", "Internt samarbete", "Internal collaboration"),
    ),
}

#: Three roles: a pair has a teller and a listener.
BROKEN = ("roles", EXAMPLE["roles"] + _items(("c", "C", "C", "C")))


def answer(form: Any, text: str = "Ohjaamo – Etsivä nuorisotyö") -> dict[str, Any]:
    """A valid submit: ``text`` as the pair, the listener's role, points stepping through the scale, the best fit."""
    value: dict[str, str] = {}
    for n, field in enumerate(form.fields):
        options = [o["value"] for o in field.get("options", []) if o["value"]]
        if field["name"] == "pair":
            value["pair"] = text
        elif field["name"] == "role":
            value["role"] = options[-1]
        elif field["name"].startswith("p_"):
            value[field["name"]] = options[n % len(options)]
        else:
            value[field["name"]] = options[0]
    return {"type": "submit", "value": value}


# the demo's pairs: (pair, A's tilt from the room's 360, B's tilt), the fits B leans to per dimension
_PAIRS = [
    ("Ohjaamo – Etsivä nuorisotyö", 0.6, -0.4),
    ("Ammattiopisto – TE-palvelut", 0.3, -0.2),
    ("Sosiaalityö – Järjestöt", 0.8, -0.6),
]
_PROFILE = [3.4, 2.6, 2.7, 3.0, 1.6, 2.6, 2.9, 3.6]
#: per dimension, the weights of the fit steps (best first): politics and leadership fit least
_FIT = [(6, 3, 1), (4, 4, 2), (6, 3, 1), (2, 4, 4), (1, 3, 6), (5, 4, 1), (6, 3, 1), (5, 4, 1)]


def _people(store: Any, session: Any, n: int, prefix: str) -> list[Any]:
    people = sorted(store.participants(session.id), key=lambda p: p.id)
    for k in range(len(people), n):
        people.append(store.join(session.id, f"{prefix}-{k:03d}", nickname=None))
    return people[:n]


def _activity(content: Any, kind: str, preferred: str) -> Any | None:
    if preferred in content.activities and content.activity(preferred).kind == kind:
        return content.activity(preferred)
    return next((a for a in content.activities.values() if a.kind == kind), None)


def seed_demo_round(store: Any, session: Any, content: Any, rng: random.Random, *, reveal: bool = True) -> None:
    """Three pairs, two tellers (A) and two listeners (B) each, rate their own 360 now; the listeners mark the fit."""
    from .pairs import save_rating

    activity = _activity(content, "peer_360", "vertaisoppiminen_360")
    if activity is None:
        return
    a, b = (r.id for r in activity.roles)
    fits = [f.id for f in activity.fit]
    people = _people(store, session, 4 * len(_PAIRS), f"demo-p360-{session.id}")
    for p, (pair, tilt_a, tilt_b) in enumerate(_PAIRS):
        for k in range(4):
            role, tilt = (a, tilt_a) if k < 2 else (b, tilt_b)
            values: dict[str, str] = {"pair": pair, "role": role}
            for n, item in enumerate(activity.items):
                centre = _PROFILE[n % len(_PROFILE)] + tilt + rng.gauss(0, 0.6)
                values[f"p_{item.id}"] = str(min(activity.scale.max, max(activity.scale.min, round(centre))))
                if role == b:
                    weights = _FIT[n % len(_FIT)][: len(fits)]
                    values[f"f_{item.id}"] = rng.choices(fits[: len(weights)], weights=weights)[0]
            save_rating(store, people[4 * p + k], activity, values, submission_id=f"demo-p360-{session.id}-{p}-{k}",
                        require_open=False)
    if reveal:
        store.set_activity_state(session.id, activity.id, is_open=False, is_revealed=True)

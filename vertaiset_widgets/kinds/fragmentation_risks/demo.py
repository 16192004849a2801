"""Pirstaloitumisen riskit's examples for the contract test (``tests/test_kinds_contract.py``)
and the demo's ratings for ``vertaiset demo``.

``EXAMPLE`` is a minimal valid template entry, ``BROKEN`` a ``(field, value)`` that makes it
invalid, :func:`answer` what a phone sends to the risk form (the first risk, points stepping
through the scale, the first relationship threatened) and :func:`seed_demo_round` rates the
risks for a demo session. Participants type no text here.
"""
from __future__ import annotations

import random
from typing import Any

from ..examples import labelled_items as _items

__all__ = ["BROKEN", "EXAMPLE", "answer", "seed_demo_round"]

EXAMPLE: dict[str, Any] = {
    "id": "esimerkki_riskit",
    "kind": "fragmentation_risks",
    "title": {"fi": "Verkoston riskit", "sv": "Nätverkets risker", "en": "The network's risks"},
    "prompt": {
        "fi": "Arvioi riski ajassa ja merkitse suhteet, joita se uhkaa.",
        "sv": "Bedöm risken över tid och markera de relationer den hotar.",
        "en": "Rate the risk over time and mark the relationships it threatens.",
    },
    "layers": _items(("ennen", "Ennen", "Förr", "Before"), ("nyt", "Nyt", "Nu", "Now")),
    "risks": _items(("amnesia", "Amnesia", "Amnesi", "Amnesia"), ("eristyminen", "Eristyminen", "Isolering", "Isolation")),
    "actors": _items(("kumppanit", "Kumppanit", "Partner", "Partners"), ("johtaminen", "Johtaminen", "Ledning", "Leadership")),
}

#: No risks: there is nothing to rate.
BROKEN = ("risks", [])


def answer(form: Any) -> dict[str, Any]:
    """A valid submit: the first risk, points stepping through the scale, the first relationship threatened."""
    value: dict[str, str] = {}
    actors = 0
    for n, field in enumerate(form.fields):
        options = [o["value"] for o in field["options"] if o["value"]]
        if field["name"] == "risk":
            value["risk"] = options[0]
        elif field["name"].startswith("t_"):
            value[field["name"]] = options[n % len(options)]
        else:
            value[field["name"]] = "1" if actors == 0 else "0"
            actors += 1
    return {"type": "submit", "value": value}


#: per risk: its strength before, now and in the future (the centres of the demo's ratings),
#: and the relationships it threatens most (ids of the 360's dimensions, with weights)
_RISKS = {
    "epatasapaino": ((2.0, 3.0, 3.2), {"johtaminen": 3, "tilapaiset_kumppanit": 2, "tuloksellisuus": 2}),
    "amnesia": ((3.0, 2.4, 3.6), {"kaytantojen_hyodyntaminen": 4, "tuloksellisuus": 2}),
    "haihtuminen": ((2.2, 3.0, 3.8), {"tilapaiset_kumppanit": 4, "tuloksellisuus": 3}),
    "eristyminen": ((2.8, 2.0, 2.4), {"asiakkaat_kansalaiset": 3, "poliittinen_paatoksenteko": 3}),
    "unohdus": ((2.6, 2.8, 3.0), {"kaytantojen_hyodyntaminen": 3, "sisainen_yhteistyo": 2}),
    "hajoaminen": ((1.8, 2.6, 3.4), {"sisainen_yhteistyo": 3, "pysyvat_kumppanit": 2, "johtaminen": 2}),
    "puuttuvat_linkit": ((3.2, 3.4, 2.8), {"poliittinen_paatoksenteko": 4, "pysyvat_kumppanit": 2, "asiakkaat_kansalaiset": 2}),
}


def seed_demo_round(store: Any, session: Any, content: Any, rng: random.Random, *, reveal: bool = True) -> None:
    """Twelve people rate three or four risks each, in every time layer, and mark the relationships threatened."""
    from .ratings import save_risk

    activity = next((a for a in content.activities.values() if a.kind == "fragmentation_risks"), None)
    if activity is None:
        return
    people = sorted(store.participants(session.id), key=lambda p: p.id)
    for k in range(len(people), 12):
        people.append(store.join(session.id, f"demo-fr-{session.id}-{k:03d}", nickname=None))
    risks = [r.id for r in activity.risks]
    actors = [a.id for a in activity.actors]
    for n, person in enumerate(people[:12]):
        for risk in rng.sample(risks, k=min(len(risks), 3 + n % 2)):
            centres, threatens = _RISKS.get(risk, ((2.5, 2.5, 2.5), {}))
            values: dict[str, str] = {}
            for k, layer in enumerate(activity.layers):
                point = round(centres[k % len(centres)] + rng.gauss(0, 0.8))
                values[f"t_{layer.id}"] = str(min(activity.scale.max, max(activity.scale.min, point)))
            for actor in actors:
                weight = threatens.get(actor, 0.4)
                values[f"a_{actor}"] = "1" if rng.random() < weight / 5 else "0"
            save_risk(store, person, activity, {"risk": risk, **values}, submission_id=f"demo-fr-{session.id}-{person.id}-{risk}",
                      require_open=False)
    if reveal:
        store.set_activity_state(session.id, activity.id, is_open=False, is_revealed=True)

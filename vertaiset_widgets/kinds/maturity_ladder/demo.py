"""Käytännön kypsyys's examples for the contract test (``tests/test_kinds_contract.py``) and the
demo's ladder for ``vertaiset demo``.

``EXAMPLE`` is a minimal valid template entry, ``BROKEN`` a ``(field, value)`` that makes it
invalid, :func:`answer` what a phone sends to the placing form (a name, the highest step, the
evidence) and :func:`seed_demo_round` places the demo network's practices in one round: with
``step_shift`` -2, -1 and 0 for its rounds 1, 2 and 3 the practices climb (one slips back).
"""
from __future__ import annotations

import random
from typing import Any

from ..examples import labelled_items as _items

__all__ = ["BROKEN", "DEMO_PRACTICES", "EXAMPLE", "answer", "seed_demo_round"]

EXAMPLE: dict[str, Any] = {
    "id": "esimerkki_kypsyys",
    "kind": "maturity_ladder",
    "title": {"fi": "Kypsyysportaat", "sv": "Mognadstrappan", "en": "The maturity ladder"},
    "prompt": {
        "fi": "Sijoittakaa käytäntö portaalle.",
        "sv": "Placera praxisen på trappan.",
        "en": "Place the practice on the ladder.",
    },
    "steps": _items(("kiinnostava", "Kiinnostava", "Intressant", "Interesting"), ("lupaava", "Lupaava", "Lovande", "Promising"),
                    ("hyva", "Hyvä", "God", "Good")),
    "circles": [{"id": "pieni", "label": {"fi": "Pieni oppimiskehä", "sv": "Den lilla lärcirkeln", "en": "The small learning circle"},
                 "from_step": "kiinnostava", "to_step": "lupaava"}],
}

#: One step: a ladder needs at least two.
BROKEN = ("steps", EXAMPLE["steps"][:1])


def answer(form: Any, text: str = "Ohjaamon tilannehuone") -> dict[str, Any]:
    """A valid submit: ``text`` as the practice's name and its evidence, the highest step."""
    value: dict[str, str] = {}
    for field in form.fields:
        if field.get("type") == "select":
            value[field["name"]] = field["options"][-1]["value"]
        else:
            value[field["name"]] = text
    return {"type": "submit", "value": value}


#: The demo network's practices: name, the step (an index) in each round (``step_shift`` -2, -1, 0;
#: absent: not on the ladder that round), and the evidence given in the latest round.
DEMO_PRACTICES = (
    ("Ohjaamon yhteinen tilannehuone", {-2: 0, -1: 1, 0: 2},
     "Kokoontuu joka toinen viikko, ja kolme palvelua on sopinut roolit kirjallisesti."),
    ("Vuosikello kaikkien nähtäväksi", {-2: 1, -1: 2, 0: 3},
     "Kolmas vuosi käytössä; kaupunki ja järjestöt päivittävät sitä yhdessä, ja se on validoitu käytäntöpankissa."),
    ("Nuorten oma 360-ilta", {-1: 0, 0: 1},
     "Kokeiltu kahdesti; toinen kunta otti mallin käyttöön benchlearning-vierailun jälkeen."),
    ("Yhteinen asiakastietojärjestelmä", {-2: 2, -1: 2, 0: 1},
     "Rahoitus päättyi, ja kaksi kumppania palasi omiin järjestelmiinsä."),
    ("Etsivän nuorisotyön jalkautuminen kouluihin", {-2: 2, -1: 2, 0: 2},
     "Vakiintunut kolmessa koulussa; vertailu muihin kuntiin vielä tekemättä."),
    ("Vertaismentorointi järjestöjen kanssa", {0: 0},
     "Uusi idea tämän päivän Puimalasta."),
)


def seed_demo_round(store: Any, session: Any, content: Any, rng: random.Random, *, step_shift: int = 0,
                    reveal: bool = True) -> None:
    """Place the demo network's practices as they stood in the round ``step_shift`` (-2, -1 or 0: rounds 1–3)."""
    from .placements import place_practice

    activity = next((a for a in content.activities.values() if a.kind == "maturity_ladder"), None)
    if activity is None:
        return
    shift = min(0, max(-2, step_shift))
    top = len(activity.steps) - 1
    people = sorted(store.participants(session.id), key=lambda p: p.id)
    for k in range(len(people), len(DEMO_PRACTICES)):
        people.append(store.join(session.id, f"demo-ml-{session.id}-{k:03d}", nickname=None))
    for n, (name, steps, evidence) in enumerate(DEMO_PRACTICES):
        if shift not in steps:
            continue
        step = activity.steps[min(top, steps[shift])].id
        person = people[rng.randrange(len(people))] if people else people[n]
        place_practice(store, person, activity, {"name": name, "step": step, "evidence": evidence},
                       submission_id=f"demo-ml-{session.id}-{n}", require_open=False)
    if reveal:
        store.set_activity_state(session.id, activity.id, is_open=False, is_revealed=True)

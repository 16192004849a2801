"""Moniaikaisuus's examples for the contract test (``tests/test_kinds_contract.py``).

``EXAMPLE`` is a minimal valid template entry with the source's seven clocks, ``BROKEN`` a
``(field, value)`` that makes it invalid, and :func:`answer` what a phone sends to the placing
form (a clock and a time of impact for every decision, and a decision of one's own).
"""
from __future__ import annotations

from typing import Any

from ..examples import labelled_items as _items

__all__ = ["BROKEN", "CLOCKS", "EXAMPLE", "IMPACTS", "answer"]


#: Arnkil's seven times, as the source words them.
CLOCKS = _items(
    ("kansalainen", "Kansalaisen aika", "Medborgarens tid", "The citizen's time"),
    ("kumppani", "Kumppanin aika", "Partnerns tid", "The partner's time"),
    ("kilpailija", "Kilpailijan aika", "Konkurrentens tid", "The competitor's time"),
    ("hanke", "Hankkeen aika", "Projektets tid", "The project's time"),
    ("johtaja", "Johtajan aika", "Ledarens tid", "The manager's time"),
    ("poliitikko", "Poliitikon aika", "Politikerns tid", "The politician's time"),
    ("internet", "Internetin reaaliaika, ”pika-aika”", "Internets realtid, ”snabbtid”", "The internet's real time, “instant time”"),
)
#: When a decision's impact shows (*vaikutuksen ilmenemisen aika*).
IMPACTS = _items(
    ("viikot", "viikoissa", "inom veckor", "within weeks"),
    ("kuukaudet", "kuukausissa", "inom månader", "within months"),
    ("vuosi", "vuodessa", "inom ett år", "within a year"),
    ("vuodet", "vuosissa", "efter flera år", "over years"),
)

EXAMPLE: dict[str, Any] = {
    "id": "esimerkki_moniaikaisuus",
    "kind": "multi_time",
    "title": {"fi": "Moniaikaisuus", "sv": "Flera tider samtidigt", "en": "Many times at once"},
    "prompt": {
        "fi": "Kenen kello ohjaa kutakin päätöstä, ja milloin sen vaikutus ilmenee?",
        "sv": "Vems klocka styr varje beslut, och när syns dess verkan?",
        "en": "Whose clock drives each decision, and when does its impact show?",
    },
    "clocks": CLOCKS,
    "impacts": IMPACTS,
    "decisions": _items(
        ("budjetti", "Verkoston yhteisen budjetin jakaminen", "Fördelningen av nätverkets gemensamma budget",
         "Allocating the network's shared budget"),
    ),
}

#: A matrix needs at least two clocks.
BROKEN = ("clocks", [])


def answer(form: Any, text: str = "Uuden palvelun käynnistäminen") -> dict[str, Any]:
    """A valid submit for the placing form: ``text`` as a new decision, the first clock and time for every decision."""
    value: dict[str, str] = {}
    for field in form.fields:
        if field.get("type") == "select":
            value[field["name"]] = next(o["value"] for o in field["options"] if o["value"])
        else:
            value[field["name"]] = text
    return {"type": "submit", "value": value}

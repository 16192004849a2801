"""The practice profile's examples for the contract test (``tests/test_kinds_contract.py``).

``EXAMPLE`` is a minimal valid template entry with the source's weak and strong practices,
``BROKEN`` a ``(field, value)`` that makes it invalid, and :func:`answer` what a phone sends to
the marking form (the partnership's name, then yes or no per practice).
"""
from __future__ import annotations

from typing import Any

from ..examples import labelled_items as _items

__all__ = ["BROKEN", "EXAMPLE", "STRONG", "WEAK", "answer"]


#: "Heikot" laadukkaat kumppanuudet, as the source words them.
WEAK = _items(
    ("joustavat_roolit", "joustavat ja vaihtuvat roolit", "flexibla och växlande roller", "flexible, changing roles"),
    ("ad_hoc", "ad hoc -yhteydenpito", "kontakt vid behov (ad hoc)", "ad hoc contact"),
)
#: "Vahvat" laadukkaat kumppanuudet, as the source words them.
STRONG = _items(
    ("sovitut_roolit", "selkeästi sovitut roolit (koordinointi, fasilitointi, viestintä)",
     "tydligt överenskomna roller (samordning, facilitering, kommunikation)",
     "clearly agreed roles (coordination, facilitation, communication)"),
    ("sopimuksellisuus", "sopimuksellisuus", "avtal som grund", "agreements as the basis"),
)

EXAMPLE: dict[str, Any] = {
    "id": "esimerkki_toimintatavat",
    "kind": "practice_profile",
    "title": {"fi": "Vahvat ja heikot toimintatavat", "sv": "Starka och svaga arbetssätt", "en": "Strong and weak practices"},
    "prompt": {
        "fi": "Nimetkää kumppanuus ja merkitkää, mitkä toimintatavat siinä on.",
        "sv": "Namnge partnerskapet och markera vilka arbetssätt det har.",
        "en": "Name the partnership and mark which practices it has.",
    },
    "weak": WEAK,
    "strong": STRONG,
    "both_min": 1,
}

#: A profile needs at least one strong practice to mark.
BROKEN = ("strong", [])


def answer(form: Any, text: str = "Ohjaamo – TE-toimisto") -> dict[str, Any]:
    """A valid submit for the marking form: ``text`` as the partnership's name, every practice marked as had."""
    value: dict[str, str] = {}
    for field in form.fields:
        if field.get("type") == "select":
            value[field["name"]] = next((o["value"] for o in field["options"] if o["value"] == "1"), field["options"][-1]["value"])
        else:
            value[field["name"]] = text
    return {"type": "submit", "value": value}

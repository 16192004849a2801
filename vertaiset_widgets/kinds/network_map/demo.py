"""The network map's examples for the contract test (``tests/test_kinds_contract.py``).

``EXAMPLE`` is a minimal valid template entry, ``BROKEN`` a ``(field, value)`` that makes it
invalid, and :func:`answer` what a phone sends to the map's first form, the actor form
(a :class:`~vertaiset_widgets.forms.FieldsForm`: name, organisation, sector, side, role).
"""
from __future__ import annotations

from typing import Any

from ..examples import labelled_items as _items

__all__ = ["BROKEN", "EXAMPLE", "answer"]


EXAMPLE: dict[str, Any] = {
    "id": "esimerkki_kartta",
    "kind": "network_map",
    "title": {"fi": "Esimerkkikartta", "sv": "Exempelkarta", "en": "Example map"},
    "prompt": {"fi": "Lisätkää toimijat.", "sv": "Lägg till aktörerna.", "en": "Add the actors."},
    "sectors": _items(("julkinen", "Julkinen", "Offentlig", "Public"), ("kolmas", "Kolmas sektori", "Tredje sektorn", "Third sector")),
    "sides": _items(("sisainen", "Sisäinen", "Intern", "Internal"), ("ulkoinen", "Ulkoinen", "Extern", "External")),
    "roles": _items(("kumppanit", "Kumppanit", "Partner", "Partners")),
    "ties": [
        {"id": "vahva", "label": {"fi": "Vahva", "sv": "Stark", "en": "Strong"}, "style": "solid"},
        {"id": "puuttuva", "label": {"fi": "Puuttuva", "sv": "Saknad", "en": "Missing"}, "style": "dotted", "missing": True},
    ],
}

#: Room for one actor only: a map holds at least five.
BROKEN = ("max_actors", 1)


def answer(form: Any, text: str = "Ohjaamo") -> dict[str, Any]:
    """A valid submit for the actor form: a name (``text``) and organisation, and the first choice of every select."""
    value: dict[str, str] = {}
    for field in form.fields:
        if field.get("type") == "select":
            value[field["name"]] = next(o["value"] for o in field["options"] if o["value"])
        else:
            value[field["name"]] = text if field["name"] == "name" else "Kaupunki"
    return {"type": "submit", "value": value}

"""The canvas's examples for the contract test (``tests/test_kinds_contract.py``).

``EXAMPLE`` is a minimal valid template entry (a group's canvas with a text box and a
choice), ``BROKEN`` a ``(field, value)`` that makes it invalid, and :func:`answer` what a
phone sends to the canvas's :class:`~vertaiset_widgets.forms.FieldsForm`.
"""
from __future__ import annotations

from typing import Any

__all__ = ["BROKEN", "EXAMPLE", "answer"]

EXAMPLE: dict[str, Any] = {
    "id": "esimerkki_kanvaasi",
    "kind": "canvas",
    "title": {"fi": "Esimerkkikanvaasi", "sv": "Exempelkanvas", "en": "Example canvas"},
    "prompt": {"fi": "Täyttäkää ryhmänä.", "sv": "Fyll i som grupp.", "en": "Fill it in as a group."},
    "per": "group",
    "fields": [
        {"id": "miksi", "label": {"fi": "Miksi?", "sv": "Varför?", "en": "Why?"}},
        {"id": "kuka", "label": {"fi": "Kuka vastaa?", "sv": "Vem ansvarar?", "en": "Who is responsible?"},
         "type": "select", "options": [
             {"id": "me", "label": {"fi": "Me", "sv": "Vi", "en": "We"}},
             {"id": "muut", "label": {"fi": "Muut", "sv": "Andra", "en": "Others"}},
         ]},
    ],
}

#: A canvas has no boxes at all: at least one is needed.
BROKEN = ("fields", [])


def answer(form: Any, text: str = "Jotta nuori ei putoa") -> dict[str, Any]:
    """A valid submit for ``form``: a group's name (for a group's canvas), words in every text
    box (``text``) and the first choice in every select."""
    value: dict[str, str] = {}
    for field in form.fields:
        if field["name"] == "_group":
            value["_group"] = "Ryhmä A"
        elif field.get("type") == "select":
            value[field["name"]] = next(o["value"] for o in field["options"] if o["value"])
        else:
            value[field["name"]] = text
    return {"type": "submit", "value": value}

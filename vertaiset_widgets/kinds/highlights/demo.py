"""The wall's examples for the contract test (``tests/test_kinds_contract.py``).

``EXAMPLE`` is a minimal valid template entry (a wall with two tags), ``BROKEN`` a
``(field, value)`` that makes it invalid, and :func:`answer` what a phone sends to the wall's
post form (a :class:`~vertaiset_widgets.forms.FieldsForm`).
"""
from __future__ import annotations

from typing import Any

__all__ = ["BROKEN", "EXAMPLE", "answer"]

EXAMPLE: dict[str, Any] = {
    "id": "esimerkki_nostot",
    "kind": "highlights",
    "title": {"fi": "Esimerkkinostot", "sv": "Exempellyft", "en": "Example highlights"},
    "prompt": {"fi": "Mikä jäi mieleen?", "sv": "Vad blev kvar i minnet?", "en": "What stayed with you?"},
    "tags": [
        {"id": "ilo", "label": {"fi": "Ilo", "sv": "Glädje", "en": "Joy"}},
        {"id": "huoli", "label": {"fi": "Huoli", "sv": "Oro", "en": "Worry"}},
    ],
}

#: A highlight of at most five characters: the shortest allowed is 20.
BROKEN = ("max_length", 5)


def answer(form: Any, text: str = "Yhteinen tilannehuone") -> dict[str, Any]:
    """A new highlight with ``text``, and the first tag when the wall has tags."""
    value: dict[str, str] = {"text": text}
    for field in form.fields:
        if field.get("type") == "select":
            value[field["name"]] = next((o["value"] for o in field["options"] if o["value"]), "")
    return {"type": "submit", "value": value}

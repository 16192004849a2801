"""The rating matrix's examples for the contract test (``tests/test_kinds_contract.py``).

``EXAMPLE`` is a minimal valid template entry, ``BROKEN`` a ``(field, value)`` that makes it
invalid, and :func:`answer` what a phone sends to a :class:`~vertaiset_widgets.forms.RatingForm`
(every item in every layer, on the scale). Ratings are numbers: participants type no text.
"""
from __future__ import annotations

from typing import Any

__all__ = ["BROKEN", "EXAMPLE", "answer"]

EXAMPLE: dict[str, Any] = {
    "id": "esimerkki_arviointi",
    "kind": "rating_matrix",
    "title": {"fi": "Esimerkkiarviointi", "sv": "Exempelbedömning", "en": "Example rating"},
    "prompt": {"fi": "Arvioi asteikolla 0–5.", "sv": "Bedöm på en skala 0–5.", "en": "Rate on a scale of 0–5."},
    "scale": {"min": 0, "max": 5, "anchors": {
        0: {"fi": "ei lainkaan", "sv": "inte alls", "en": "not at all"},
        5: {"fi": "erinomaisesti", "sv": "utmärkt", "en": "excellently"},
    }},
    "layers": [
        {"id": "nyt", "label": {"fi": "Nyt", "sv": "Nu", "en": "Now"}},
        {"id": "tulevaisuudessa", "label": {"fi": "Tulevaisuudessa", "sv": "I framtiden", "en": "In the future"}},
    ],
    "items": [
        {"id": "johtaminen", "label": {"fi": "Johtaminen", "sv": "Ledarskap", "en": "Leadership"}},
        {"id": "yhteistyo", "label": {"fi": "Yhteistyö", "sv": "Samarbete", "en": "Cooperation"}},
    ],
}

#: No items: a rating matrix needs at least one thing to rate.
BROKEN = ("items", [])


def answer(form: Any) -> dict[str, Any]:
    """A valid submit for ``form``: every item in every layer, stepping through the scale."""
    points = form.points
    layers = [layer["id"] for layer in form.layers] or [""]
    return {"type": "submit", "value": {
        f"{layer}|{item['id']}": points[(i + j) % len(points)]
        for j, layer in enumerate(layers) for i, item in enumerate(form.items)
    }}

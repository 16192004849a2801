"""The position's examples for the contract test (``tests/test_kinds_contract.py``).

``EXAMPLE`` is a minimal valid template entry, ``BROKEN`` a ``(field, value)`` that makes it
invalid, and :func:`answer` what a phone sends to the position's
:class:`~vertaiset_widgets.forms.RatingForm` (one item, ``position``, per layer).
"""
from __future__ import annotations

from typing import Any

__all__ = ["BROKEN", "EXAMPLE", "answer"]

EXAMPLE: dict[str, Any] = {
    "id": "esimerkki_asema",
    "kind": "position",
    "title": {"fi": "Esimerkkiasema", "sv": "Exempelposition", "en": "Example position"},
    "prompt": {"fi": "Missä olemme?", "sv": "Var står vi?", "en": "Where do we stand?"},
    "left": {"fi": "Rinnakkain", "sv": "Sida vid sida", "en": "Side by side"},
    "right": {"fi": "Yhdessä", "sv": "Tillsammans", "en": "Together"},
    "points": 5,
    "layers": [
        {"id": "nyt", "label": {"fi": "Nyt", "sv": "Nu", "en": "Now"}},
        {"id": "toivottu", "label": {"fi": "Toivottu", "sv": "Önskat", "en": "Desired"}},
    ],
}

#: 99 steps between the poles: at most 11 fit on a phone.
BROKEN = ("points", 99)


def answer(form: Any) -> dict[str, Any]:
    """A valid submit for ``form``: the middle step in every layer."""
    middle = form.points[len(form.points) // 2]
    return {"type": "submit", "value": {
        f"{layer}|{item['id']}": middle
        for layer in [layer["id"] for layer in form.layers] or [""] for item in form.items
    }}

"""The allocation's examples for the contract test (``tests/test_kinds_contract.py``).

``EXAMPLE`` is a minimal valid template entry, ``BROKEN`` a ``(field, value)`` that makes it
invalid, and :func:`answer` what a phone sends to the allocation's
:class:`~vertaiset_widgets.forms.ChoiceForm` (``mode="allocation"``).
"""
from __future__ import annotations

from typing import Any

__all__ = ["BROKEN", "EXAMPLE", "answer"]

EXAMPLE: dict[str, Any] = {
    "id": "esimerkki_jako",
    "kind": "allocation",
    "title": {"fi": "Esimerkkijako", "sv": "Exempelfördelning", "en": "Example split"},
    "prompt": {"fi": "Jaa 100 pistettä.", "sv": "Fördela 100 poäng.", "en": "Split 100 points."},
    "total": 100,
    "options": [
        {"id": "hierarkia", "label": {"fi": "Hierarkia", "sv": "Hierarki", "en": "Hierarchy"}},
        {"id": "verkosto", "label": {"fi": "Verkosto", "sv": "Nätverk", "en": "Network"}},
    ],
}

#: A total of one point cannot be split (at least two).
BROKEN = ("total", 1)


def answer(form: Any) -> dict[str, Any]:
    """A valid submit for ``form``: each layer's total split as evenly as it goes."""
    options = [o["id"] for o in form.options]
    value: dict[str, int] = {}
    for layer in [layer["id"] for layer in form.layers] or [""]:
        share, rest = divmod(form.total, len(options))
        for n, option in enumerate(options):
            value[f"{layer}|{option}"] = share + (rest if n == 0 else 0)
    return {"type": "submit", "value": value}

"""The choice's examples for the contract test (``tests/test_kinds_contract.py``).

``EXAMPLE`` is a minimal valid template entry, ``BROKEN`` a ``(field, value)`` that makes it
invalid, and :func:`answer` what a phone sends to a :class:`~vertaiset_widgets.forms.ChoiceForm`.
"""
from __future__ import annotations

from typing import Any

__all__ = ["BROKEN", "EXAMPLE", "answer"]

EXAMPLE: dict[str, Any] = {
    "id": "esimerkki_valinta",
    "kind": "choice",
    "title": {"fi": "Esimerkkivalinta", "sv": "Exempelval", "en": "Example choice"},
    "prompt": {"fi": "Valitse yksi.", "sv": "Välj ett.", "en": "Choose one."},
    "layers": [
        {"id": "nyt", "label": {"fi": "Nyt", "sv": "Nu", "en": "Now"}},
        {"id": "toivottu", "label": {"fi": "Toivottu", "sv": "Önskat", "en": "Desired"}},
    ],
    "options": [
        {"id": "yksin", "label": {"fi": "Yksin", "sv": "Ensam", "en": "Alone"}},
        {"id": "yhdessa", "label": {"fi": "Yhdessä", "sv": "Tillsammans", "en": "Together"}},
    ],
}

#: One option only: a choice needs at least two.
BROKEN = ("options", EXAMPLE["options"][:1])


def _layers(form: Any) -> list[str]:
    return [layer["id"] for layer in form.layers] or [""]


def answer(form: Any) -> dict[str, Any]:
    """A valid submit for ``form`` (any choice: single, multi or a dot vote), per layer."""
    options = [o["id"] for o in form.options]
    value: dict[str, int] = {}
    for layer in _layers(form):
        if form.mode == "single":
            value[f"{layer}|{options[0]}"] = 1
        elif form.mode == "multi":
            value.update({f"{layer}|{o}": 1 for o in options[:2]})
        else:  # dots (or points): the whole budget, spread over the options in turn
            for n in range(form.budget):
                key = f"{layer}|{options[n % len(options)]}"
                value[key] = value.get(key, 0) + 1
    return {"type": "submit", "value": value}

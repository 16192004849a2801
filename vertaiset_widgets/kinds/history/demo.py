"""History's examples for the contract test (``tests/test_kinds_contract.py``).

``EXAMPLE`` is a minimal valid template entry (the 360 of the shipped templates across rounds),
``BROKEN`` a ``(field, value)`` that makes it invalid, and :func:`answer` is None: participants
answer nothing here. The demo's earlier rounds are seeded by :mod:`vertaiset_widgets.demo_rounds`.
"""
from __future__ import annotations

from typing import Any

__all__ = ["BROKEN", "EXAMPLE", "answer"]

EXAMPLE: dict[str, Any] = {
    "id": "esimerkki_historia",
    "kind": "history",
    "title": {"fi": "Esimerkki: kierrokset", "sv": "Exempel: omgångarna", "en": "Example: the rounds"},
    "prompt": {"fi": "Katsokaa kierroksia.", "sv": "Titta på omgångarna.", "en": "Look at the rounds."},
    "source": "arviointi_360",
    "now": "nyt",
    "target": "tulevaisuudessa",
}

#: A source that is no activity id (ids are lower-case letters, digits and underscores).
BROKEN = ("source", "360 arvio")


def answer(form: Any) -> None:
    """Participants answer nothing in a history: no form, no message."""
    return None

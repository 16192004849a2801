"""The agreement board's examples for the contract test (``tests/test_kinds_contract.py``).

``EXAMPLE`` is a minimal valid template entry and ``BROKEN`` a ``(field, value)`` that
makes it invalid. Participants do not answer a board (they read it as the facilitator
keeps it), so :func:`answer` is None; the board's facilitator tool
(:class:`~.tools.BoardTools`, its ``board_forms``) is what writes to it.
"""
from __future__ import annotations

from typing import Any

__all__ = ["BROKEN", "EXAMPLE", "answer"]

EXAMPLE: dict[str, Any] = {
    "id": "esimerkki_taulu",
    "kind": "agreement_board",
    "title": {"fi": "Esimerkkitaulu", "sv": "Exempeltavla", "en": "Example board"},
    "prompt": {"fi": "Mistä sovimme?", "sv": "Vad kommer vi överens om?", "en": "What do we agree on?"},
    "questions": [
        {"id": "k01", "label": {"fi": "Kuka kutsuu koolle?", "sv": "Vem sammankallar?", "en": "Who convenes?"}},
        {"id": "k02", "label": {"fi": "Kuinka usein tapaamme?", "sv": "Hur ofta träffas vi?", "en": "How often do we meet?"}},
    ],
    "statuses": [
        {"id": "sovittu", "label": {"fi": "Sovittu", "sv": "Överenskommet", "en": "Agreed"}},
        {"id": "auki", "label": {"fi": "Auki", "sv": "Öppet", "en": "Open"}},
    ],
    "modes": [
        {"id": "ohjatusti", "label": {"fi": "Ohjatusti", "sv": "Styrt", "en": "Guided"}},
    ],
}

#: One status only: a board needs at least two (agreed, and not yet).
BROKEN = ("statuses", EXAMPLE["statuses"][:1])


def answer(form: Any) -> None:
    """Nothing: participants only read the board."""
    return None

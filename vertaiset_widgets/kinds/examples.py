"""What the kinds' ``demo.py`` modules share when they write example template entries."""
from __future__ import annotations

from typing import Any

__all__ = ["labelled_items"]


def labelled_items(*rows: tuple[str, str, str, str]) -> list[dict[str, Any]]:
    """Template items from ``(id, fi, sv, en)`` rows: ``{"id": …, "label": {"fi": …, "sv": …, "en": …}}``."""
    return [{"id": i, "label": {"fi": fi, "sv": sv, "en": en}} for i, fi, sv, en in rows]

"""The demo's Puimala."""
from __future__ import annotations


def seed_puimala(store, content) -> None:
    """Seed the demo Puimala once."""

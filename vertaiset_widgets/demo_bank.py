"""The demo's practice bank."""
from __future__ import annotations


def seed_bank(store) -> None:
    """Seed the demo bank once."""

"""The network map's own export formats: GraphML (Gephi, yEd) and Kumu JSON."""
from __future__ import annotations

from typing import Any

from .network import load_network, to_graphml, to_kumu

__all__ = ["graphml", "kumu"]


def graphml(store: Any, session: Any, activity: Any, tr: Any) -> str:
    """The map of ``session`` as GraphML."""
    return to_graphml(load_network(store, session.id, activity), tr)


def kumu(store: Any, session: Any, activity: Any, tr: Any) -> str:
    """The map of ``session`` as Kumu JSON."""
    return to_kumu(load_network(store, session.id, activity), tr)

"""Vertaisoppiminen 360:ssä (peer learning with the 360): the template model."""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from ...records import ActivityBase, Scale, UniqueItems

__all__ = ["Peer360"]


class Peer360(ActivityBase):
    """Two units or projects learn from each other with the 360: A tells its 360 story, B
    listens how A's practice would fit B's own 360 context. Everyone names their pair (or
    group), says whether they rate as A or B, and rates their own unit's 360 now on
    ``scale``; B also marks, dimension by dimension, how A's practice would fit (``fit``)."""

    kind: Literal["peer_360"]
    scale: Scale = Field(default_factory=Scale)
    #: the 360's dimensions (those of the 360 activity: the same ids and labels)
    items: Annotated[UniqueItems, Field(min_length=3, max_length=12)]
    #: the two roles, the teller (A) first, then the listener (B)
    roles: Annotated[UniqueItems, Field(min_length=2, max_length=2)]
    #: how A's practice fits B's context, the best fit first (sopii, sopii muokattuna, ei sovi)
    fit: Annotated[UniqueItems, Field(min_length=2, max_length=5)]
    max_pairs: Annotated[int, Field(ge=1, le=100)] = 30

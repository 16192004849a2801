"""Network map (*verkostokartta*): actors and strong, weak or missing ties. The template model."""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from ...records import ActivityBase, Item, UniqueItems, unique_ids

__all__ = ["TieType", "NetworkMap"]


class TieType(Item):
    """A kind of tie on a network map, and how it is drawn."""

    style: Literal["solid", "dashed", "dotted"] = "solid"
    missing: bool = False


class NetworkMap(ActivityBase):
    """Actors and the ties between them, added together; ties marked strong, weak or missing."""

    kind: Literal["network_map"]
    sectors: Annotated[UniqueItems, Field(min_length=1)]
    sides: Annotated[UniqueItems, Field(min_length=1)]
    roles: Annotated[UniqueItems, Field(min_length=1)]
    ties: Annotated[list[TieType], AfterValidator(unique_ids), Field(min_length=1)]
    max_actors: Annotated[int, Field(ge=5, le=2000)] = 300

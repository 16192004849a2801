"""Allocation: points split among options per layer (hierarchy – market – network). The template model."""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from ...records import Layered, UniqueItems

__all__ = ["Allocation"]


class Allocation(Layered):
    """Split ``total`` points among the options, per layer (hierarchy – market – network)."""

    kind: Literal["allocation"]
    total: Annotated[int, Field(ge=2, le=1000)] = 100
    options: Annotated[UniqueItems, Field(min_length=2)]

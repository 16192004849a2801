"""Position: a place between two poles per layer (side by side ↔ together). The template model."""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from ...records import Layered, Text

__all__ = ["Position"]


class Position(Layered):
    """A place between two poles on ``points`` steps, per layer (side by side ↔ together)."""

    kind: Literal["position"]
    left: Text
    right: Text
    points: Annotated[int, Field(ge=3, le=11)] = 7

"""Highlights (*nostot*): short texts posted one at a time, tagged, +1'd and moderated. The template model."""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from ...records import ActivityBase, UniqueItems

__all__ = ["Highlights"]


class Highlights(ActivityBase):
    """Short texts posted one at a time (*nostot*), optionally tagged, +1'd and moderated: the Menti wall."""

    kind: Literal["highlights"]
    tags: UniqueItems = Field(default_factory=list)
    max_length: Annotated[int, Field(ge=20, le=1000)] = 280
    per_minute: Annotated[int, Field(ge=1, le=60)] = 6
    votes: bool = True

"""Choice: options to choose from per layer (single, multi or a dot vote). The template model."""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from ...records import Breakdown, Layered, UniqueItems

__all__ = ["Breakdown", "Choice"]


class Choice(Layered):
    """Options to choose from, per layer (e.g. network type now and wanted).

    ``mode``: ``single`` (one option per layer), ``multi`` (any number), or ``dots``
    (a dot vote: each participant spreads ``dots`` dots, several on one option allowed).
    """

    kind: Literal["choice"]
    mode: Literal["single", "multi", "dots"] = "single"
    dots: Annotated[int, Field(ge=1, le=20)] = 3
    options: Annotated[UniqueItems, Field(min_length=2)]
    breakdown: Breakdown | None = None

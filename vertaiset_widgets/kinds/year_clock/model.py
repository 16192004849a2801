"""Vuosikello (the network's year clock): the template model."""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from ...records import ActivityBase, UniqueItems

__all__ = ["YearClock"]


class YearClock(ActivityBase):
    """The year's events, entered together: what (``types``), a title, when (a date or a range),
    an owner, and a ring (``rings``: a theme or an organisation, one concentric ring each)."""

    kind: Literal["year_clock"]
    #: what an entry is: meeting, forum, reporting deadline, budget deadline, other event
    types: Annotated[UniqueItems, Field(min_length=1)]
    #: the wheel's concentric rings, innermost first (themes or organisations)
    rings: Annotated[UniqueItems, Field(min_length=1, max_length=8)]
    #: the year the wheel shows; None: the year of the session's date
    year: Annotated[int, Field(ge=2000, le=2100)] | None = None
    max_events: Annotated[int, Field(ge=5, le=2000)] = 300

"""Kokoussuunnittelija (the meeting planner): the template model."""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from ...records import ActivityBase, UniqueItems

__all__ = ["MeetingPlanner"]


class MeetingPlanner(ActivityBase):
    """The day's plan as time-boxed blocks, kept by the facilitator and shown to everyone.

    ``modes`` are the learning modes a block can have (phase 2's *Yhdessä oppimista eri
    tavoin*: opettaminen, fasilitointi, emännöinti); ``day_start`` is where a new plan's day
    starts (``9.00``).
    """

    kind: Literal["meeting_planner"]
    modes: Annotated[UniqueItems, Field(min_length=1)]
    day_start: Annotated[str, Field(pattern=r"^([01]?[0-9]|2[0-3])[.:][0-5][0-9]$")] = "9.00"

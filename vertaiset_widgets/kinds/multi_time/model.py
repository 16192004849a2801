"""Moniaikaisuus (multi-temporality): the template model."""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from ...records import ActivityBase, UniqueItems

__all__ = ["MultiTime"]


class MultiTime(ActivityBase):
    """For each of the network's main decisions (``decisions``, and those the room adds), every
    participant places whose clock drives it (``clocks``: the citizen's, the partner's, ... the
    internet's real time) and when its impact shows (``impacts``: in weeks, months, ...)."""

    kind: Literal["multi_time"]
    #: the times whose clock may drive a decision (Arnkil's seven)
    clocks: Annotated[UniqueItems, Field(min_length=2, max_length=12)]
    #: when a decision's impact shows (*vaikutuksen ilmenemisen aika*), shortest first
    impacts: Annotated[UniqueItems, Field(min_length=2, max_length=8)]
    #: starter decisions; participants may add their own when ``allow_new``
    decisions: Annotated[UniqueItems, Field(max_length=40)] = Field(default_factory=list)
    allow_new: bool = True
    #: how many decisions there may be, the starters included
    max_decisions: Annotated[int, Field(ge=1, le=60)] = 20

    @model_validator(mode="after")
    def _validate_decisions(self) -> "MultiTime":
        if not self.decisions and not self.allow_new:
            raise ValueError("give starter decisions, or let participants add them (allow_new: true)")
        if len(self.decisions) > self.max_decisions:
            raise ValueError(f"{len(self.decisions)} starter decisions, but max_decisions is {self.max_decisions}")
        return self

"""Kierroksen alku (the round's start): the template model."""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from ...records import ActivityBase, Record

__all__ = ["LayerRef", "RoundStart"]

_ID = Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]


class LayerRef(Record):
    """One layer of an activity's answers: the previous round's 360 "now" (``arviointi_360.nyt``)."""

    activity: _ID
    layer: _ID


class RoundStart(ActivityBase):
    """Where this round starts: its number in the network, the previous round (code and date), the
    steps it promoted for this one, and what it left behind — the mean of ``before_from`` (an
    activity and layer of the previous round's answers, e.g. the 360 "now"), which this round
    treats as its "before". Participants answer nothing; they read it when it is opened.
    """

    kind: Literal["round_start"]
    before_from: LayerRef | None = None

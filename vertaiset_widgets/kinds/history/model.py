"""History across rounds: the template model."""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from ...records import ActivityBase

__all__ = ["History"]

_ID = Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]


class History(ActivityBase):
    """An activity of the network drawn across its rounds (the sessions of one network by date).

    ``source`` names the activity (in any workbook's templates) whose answers are drawn; each
    round is read with the templates it ran with, so a label renamed or an option removed
    since then leaves the old rounds readable. ``now`` and ``target`` name the source's time
    layers that hold where the network is and where it wanted to get (a 360's *nyt* and
    *tulevaisuudessa*): the last round's target is drawn against this round's now.
    """

    kind: Literal["history"]
    source: _ID
    now: _ID | None = None
    target: _ID | None = None

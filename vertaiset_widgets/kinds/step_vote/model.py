"""Askelten arviointi (rating the steps): the template model."""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from ...records import ActivityBase, Breakdown

__all__ = ["StepVote"]

_ID = Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]


class StepVote(ActivityBase):
    """The steps posted on a highlights wall (``source``; only those tagged ``tag`` when given),
    each rated agree, disagree or pass on the phones, one vote per phone and step.

    ``majority``: the share of a step's voters who rated it the same way (agree or disagree)
    that puts it on the majority list; ``uncertain``: the share of passes above which a step is
    uncertain. The consensus across sectors (the participants' groups) is scored as Polis's
    group-informed consensus: the product over groups of (agree + 1) / (votes + 2).
    """

    kind: Literal["step_vote"]
    source: _ID
    tag: _ID | None = None
    majority: Annotated[float, Field(gt=0.5, le=1.0)] = 0.6
    uncertain: Annotated[float, Field(ge=0.0, lt=1.0)] = 0.3
    #: the sectors: a select field of the check-in (e.g. ``kuulumiset``'s ``sektori``); without
    #: it, the group each phone gave
    breakdown: Breakdown | None = None

    @model_validator(mode="after")
    def _validate_source(self) -> "StepVote":
        if self.source == self.id:
            raise ValueError("source must name another activity (a highlights wall), not the step vote itself")
        return self

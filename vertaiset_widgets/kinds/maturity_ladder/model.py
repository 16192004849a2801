"""Käytännön kypsyys (a practice's maturity): the template model."""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from ...record_parts import ItemParts
from ...records import ActivityBase, Record, Text, UniqueItems, unique_ids

__all__ = ["LearningCircle", "MaturityLadder"]


class LearningCircle(ItemParts, Record):
    """A way up the ladder: a learning circle between two steps (the source's *pieni* and *iso oppimiskehä*)."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    label: Text
    hint: Text | None = None
    #: a word or two drawn beside it on the ladder (benchlearning, benchmarking)
    short: Text | None = None
    #: the step it starts from and the step it leads to (ids of ``steps``)
    from_step: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    to_step: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]


class MaturityLadder(ActivityBase):
    """Participants (or the facilitator) place a named practice on a step of the ladder
    (``steps``, lowest first: kiinnostava, lupaava, hyvä, kestävä hyvä käytäntö) with the
    evidence for it. A practice is one shared placement: the newest one counts. The console
    shows the previous round's step of each practice beside this round's."""

    kind: Literal["maturity_ladder"]
    steps: Annotated[UniqueItems, Field(min_length=2, max_length=8)]
    circles: Annotated[list[LearningCircle], Field(max_length=6)] = Field(default_factory=list)
    max_practices: Annotated[int, Field(ge=1, le=200)] = 40
    evidence_length: Annotated[int, Field(ge=20, le=1000)] = 400

    @model_validator(mode="after")
    def _validate_circles(self) -> "MaturityLadder":
        unique_ids(list(self.circles))
        order = {s.id: n for n, s in enumerate(self.steps)}
        for n, circle in enumerate(self.circles):
            for end in (circle.from_step, circle.to_step):
                if end not in order:
                    raise ValueError(f"circles[{n}] ({circle.id}): {end!r} is not a step; steps: {', '.join(order)}")
            if order[circle.to_step] <= order[circle.from_step]:
                raise ValueError(f"circles[{n}] ({circle.id}): to_step must be above from_step")
        return self

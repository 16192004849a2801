"""Vahvat ja heikot toimintatavat (strong and weak practices): the template model."""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from ...records import ActivityBase, UniqueItems

__all__ = ["PracticeProfile"]


class PracticeProfile(ActivityBase):
    """For each partnership the group names, which of the "weak" (*heikot*) and "strong"
    (*vahvat*) practices of a good partnership it has. A partnership is one shared profile:
    anyone in the room may update it, and the latest marking counts."""

    kind: Literal["practice_profile"]
    #: the "weak" practices of a good partnership (flexible, ad hoc, as needed)
    weak: Annotated[UniqueItems, Field(min_length=1, max_length=12)]
    #: the "strong" practices of a good partnership (agreed, regular, established)
    strong: Annotated[UniqueItems, Field(min_length=1, max_length=12)]
    #: a partnership *combines both* when it has at least this many of each list
    both_min: Annotated[int, Field(ge=1, le=12)] = 2
    max_partnerships: Annotated[int, Field(ge=1, le=200)] = 40

    @model_validator(mode="after")
    def _validate_ids(self) -> "PracticeProfile":
        shared = sorted({p.id for p in self.weak} & {p.id for p in self.strong})
        if shared:
            raise ValueError(f"a practice cannot be both weak and strong, repeated ids: {', '.join(shared)}")
        return self

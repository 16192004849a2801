"""Yhdessä eteneminen (progress together): the template model."""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from ...records import ActivityBase, Record, UniqueItems
from .parts import ProgressParts

__all__ = ["NameField", "Progress"]

_ID = Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]


class NameField(Record):
    """Where a participant gave their name: a field of a check-in canvas (``kuulumiset.nimi``)."""

    activity: _ID
    field: _ID


class Progress(ProgressParts, ActivityBase):
    """Progress on what an agreement board settled: per question its status (not started, in
    progress, done, stuck), updated by its owner (or anyone) from their phone.

    ``from_activity`` names the agreement board whose rows are carried over (from the same
    session, else from the network's latest earlier session with board rows). ``not_started``
    (default: the first status), ``stuck`` and ``done`` name the statuses the lists order by:
    stuck first, then the others (in progress), not started, done. A stuck status takes a short
    note. ``name_from`` names the check-in field whose name is matched against the owners.
    """

    kind: Literal["progress"]
    from_activity: _ID
    statuses: Annotated[UniqueItems, Field(min_length=3)]
    stuck: _ID
    done: _ID
    not_started: _ID | None = None
    name_from: NameField | None = None
    note_length: Annotated[int, Field(ge=20, le=500)] = 200

    @model_validator(mode="after")
    def _validate_named_statuses(self) -> "Progress":
        ids = [s.id for s in self.statuses]
        named = {"stuck": self.stuck, "done": self.done, "not_started": self.not_started_status}
        for name, value in named.items():
            if value not in ids:
                raise ValueError(f"{name} must be one of the statuses ({', '.join(ids)}), got {value!r}")
        if len(set(named.values())) < 3:
            raise ValueError("stuck, done and not_started must be three different statuses")
        return self

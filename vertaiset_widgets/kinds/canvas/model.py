"""Canvas: structured text per group (why/who/how/what/resources) or per participant (the check-in). The template model."""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator

from ...records import Record, ActivityBase, Text, UniqueItems, unique_ids
from .parts import CanvasParts

__all__ = ["CanvasField", "Canvas"]


class CanvasField(Record):
    """One box of a canvas: free text, or a choice among ``options``."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    label: Text
    hint: Text | None = None
    type: Literal["text", "textarea", "select"] = "textarea"
    options: UniqueItems = Field(default_factory=list)
    max_length: Annotated[int, Field(ge=10, le=2000)] = 500
    #: a person's own name or contact: a report made without ``--names`` leaves it out
    personal: bool = False

    @model_validator(mode="after")
    def _validate_options(self) -> "CanvasField":
        if self.type == "select" and len(self.options) < 2:
            raise ValueError(f"field {self.id}: a select needs at least two options")
        if self.type != "select" and self.options:
            raise ValueError(f"field {self.id}: options are only for type: select")
        return self


class Canvas(CanvasParts, ActivityBase):
    """Structured text: one filled canvas per group (why/who/how/what/resources), or per participant (check-in)."""

    kind: Literal["canvas"]
    per: Literal["group", "participant"] = "group"
    fields: Annotated[list[CanvasField], AfterValidator(unique_ids), Field(min_length=1)]

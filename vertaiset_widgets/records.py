"""The records every activity kind is built from: texts in every language, items, scales,
and the fields every activity has. Kinds (``vertaiset_widgets.kinds``) build their template
models on these; :mod:`vertaiset_widgets.content` validates the files.
"""
from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from .record_parts import ActivityParts, ItemParts, LayeredParts, ScaleParts

__all__ = ["ActivityBase", "Breakdown", "Item", "Layered", "Record", "Scale", "Text", "UniqueItems", "unique_ids"]

Text = dict[str, str]
"""A text in every configured language, e.g. ``{"fi": "Nyt", "sv": "Nu", "en": "Now"}``."""


class Record(BaseModel):
    """A frozen record that refuses unknown fields (a misspelt field is an error a trainer sees).

    Its validators and serializers are built when first used (``defer_build``): a page that reads
    the checked templates kept on disk (:mod:`vertaiset_widgets.content_kept`) never builds them."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class Item(ItemParts, Record):
    """One row, column or option of an activity (a 360 dimension, a time layer ...)."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    label: Text
    hint: Text | None = None
    short: Text | None = None

    column: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")] | None = None


def unique_ids(value: list[Any]) -> list[Any]:
    """Refuse a list whose items repeat an id (two items with one id would mix their answers)."""
    ids = [item.id for item in value]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ValueError(f"ids must be unique, repeated: {', '.join(dupes)}")
    return value


#: A list of items whose ids must differ (two items with one id would mix their answers).
UniqueItems = Annotated[list[Item], AfterValidator(unique_ids)]


class Scale(ScaleParts, Record):
    """A numeric rating scale, e.g. 0–5, with optional words at some points."""

    min: int = 0
    max: int = 5
    anchors: dict[int, Text] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _validate_range(self) -> "Scale":
        if not (0 <= self.min < self.max <= 10):
            raise ValueError(f"scale must satisfy 0 <= min < max <= 10, got min={self.min}, max={self.max}")
        for point in self.anchors:
            if not self.min <= point <= self.max:
                raise ValueError(f"anchor {point} is outside the scale {self.min}–{self.max}")
        return self


class ActivityBase(ActivityParts, Record):
    """What every activity has: an id, a title, a prompt and the phase it belongs to."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    title: Text
    prompt: Text
    phase: int | None = None


class Layered(LayeredParts, ActivityBase):
    """An activity answered in time layers (e.g. *nyt* / *toivottu*), or in one unnamed layer."""

    layers: UniqueItems = Field(default_factory=list)


class Breakdown(Record):
    """Split an activity's results by what participants chose in a field of a check-in canvas
    (e.g. the levels of network work by sector)."""

    activity: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    field: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]

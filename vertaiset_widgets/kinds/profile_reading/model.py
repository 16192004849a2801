"""Kiinnostava vai hyvä käytäntö (an interesting or a good practice): the template model."""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from ...record_parts import ItemParts
from ...records import ActivityBase, Record, Scale, Text, UniqueItems, unique_ids

__all__ = ["ProfileReading", "Shape"]


class Shape(ItemParts, Record):
    """A reference profile: a value on the scale per dimension (the source's two drawings)."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    label: Text
    hint: Text | None = None
    values: dict[str, float]


class ProfileReading(ActivityBase):
    """Read a 360 profile against reference shapes: the source's narrow, unbalanced
    *kiinnostava käytäntö* and wide, balanced *hyvä käytäntö*. The profile read is the room's
    mean in one time layer (``source_layer``) of another activity's 360 (``source``) in the
    same session, each group's too; its balance (1 − the coefficient of variation) says
    which shape it is nearer, and the dimensions below ``gap_below`` are what it misses."""

    kind: Literal["profile_reading"]
    #: the 360 activity whose answers are read (a rating matrix with the same items)
    source: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    #: the time layer of the source read (e.g. nyt)
    source_layer: Annotated[str, Field(pattern=r"^[a-z0-9_]*$")] = "nyt"
    scale: Scale = Field(default_factory=Scale)
    #: the 360's dimensions (the source activity's ids and labels)
    items: Annotated[UniqueItems, Field(min_length=3, max_length=12)]
    #: the reference shapes, the narrow one first
    shapes: Annotated[list[Shape], Field(min_length=2, max_length=4)]
    #: a dimension below this mean is a gap the profile misses
    gap_below: Annotated[float, Field(ge=0, le=10)] = 2.5

    @model_validator(mode="after")
    def _validate_shapes(self) -> "ProfileReading":
        unique_ids(list(self.shapes))
        ids = [i.id for i in self.items]
        for n, shape in enumerate(self.shapes):
            if sorted(shape.values) != sorted(ids):
                missing = sorted(set(ids) - set(shape.values))
                extra = sorted(set(shape.values) - set(ids))
                raise ValueError(f"shapes[{n}] ({shape.id}): values must name every item once"
                                 f"{'; missing ' + ', '.join(missing) if missing else ''}"
                                 f"{'; unknown ' + ', '.join(extra) if extra else ''}")
            for item, value in shape.values.items():
                if not self.scale.min <= value <= self.scale.max:
                    raise ValueError(f"shapes[{n}] ({shape.id}): {item} = {value:g} is outside the scale "
                                     f"{self.scale.min}–{self.scale.max}")
        if not self.scale.min <= self.gap_below <= self.scale.max:
            raise ValueError(f"gap_below {self.gap_below:g} is outside the scale {self.scale.min}–{self.scale.max}")
        return self

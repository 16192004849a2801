"""Items rated on a scale in time layers: the 360, knowing – trust – commitment. The template model."""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from ...records import Layered, Scale, UniqueItems
from .parts import RatingMatrixParts

__all__ = ["RatingMatrix"]


class RatingMatrix(RatingMatrixParts, Layered):
    """Items rated on a scale, optionally in several time layers (the 360, knowing/trust/commitment).

    With ``columns`` the items form a table: each item names its ``column``, and
    ``chart: heatmap`` draws the room's means as a heatmap with column means.
    """

    kind: Literal["rating_matrix"]
    scale: Scale = Field(default_factory=Scale)
    items: Annotated[UniqueItems, Field(min_length=1)]
    columns: UniqueItems = Field(default_factory=list)
    chart: Literal["radar", "heatmap"] = "radar"

    @model_validator(mode="after")
    def _validate_columns(self) -> "RatingMatrix":
        known = {c.id for c in self.columns}
        for i, item in enumerate(self.items):
            if self.columns and item.column not in known:
                raise ValueError(
                    f"items[{i}] ({item.id}): column must be one of {', '.join(sorted(known))}, got {item.column!r}"
                )
        if self.chart == "heatmap" and not self.columns:
            raise ValueError("chart: heatmap needs columns")
        return self

"""What a rating matrix's template answers besides its fields (pydantic-free: the phone's plain
copy has it too, see :mod:`vertaiset_widgets.plain`)."""
from __future__ import annotations

from typing import Any

from ...plain import Parts


class RatingMatrixParts(Parts):
    __slots__ = ()

    def column_items(self) -> list[tuple[Any | None, list[Any]]]:
        """The items under each column (one unnamed column when there are none)."""
        if not self.columns:
            return [(None, list(self.items))]
        return [(c, [i for i in self.items if i.column == c.id]) for c in self.columns]

"""What a canvas's template answers besides its fields (pydantic-free: the phone's plain copy
has it too, see :mod:`vertaiset_widgets.plain`)."""
from __future__ import annotations

from ...plain import Parts


class CanvasParts(Parts):
    __slots__ = ()

    @property
    def layers_are_names(self) -> bool:
        """A group's canvas keeps each group's answers under the group's name."""
        return self.per == "group"

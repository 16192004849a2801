"""What a progress template answers besides its fields (pydantic-free: the phone's plain copy
has it too, see :mod:`vertaiset_widgets.plain`)."""
from __future__ import annotations

from ...plain import Parts


class ProgressParts(Parts):
    __slots__ = ()

    @property
    def not_started_status(self) -> str:
        """The id of the status a question has before anyone updates it."""
        return self.not_started or self.statuses[0].id

    @property
    def order(self) -> list[str]:
        """The statuses in the lists' order: stuck, those in progress, not started, done."""
        ends = (self.stuck, self.not_started_status, self.done)
        return [self.stuck, *(s.id for s in self.statuses if s.id not in ends), self.not_started_status, self.done]

"""What an agreement board's template answers besides its fields (pydantic-free: the phone's
plain copy has it too, see :mod:`vertaiset_widgets.plain`)."""
from __future__ import annotations

from ...plain import Parts


class AgreementBoardParts(Parts):
    __slots__ = ()

    @property
    def agreed_status(self) -> str:
        """The id of the status that counts as agreed."""
        return self.agreed or self.statuses[0].id

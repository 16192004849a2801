"""Agreement board: the questions to agree on, with answer, status, owner and decision mode. The template model."""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from ...records import ActivityBase, UniqueItems
from .parts import AgreementBoardParts

__all__ = ["AgreementBoard"]


class AgreementBoard(AgreementBoardParts, ActivityBase):
    """Questions to agree on; for each the agreed answer, its status, owner and decision mode.

    The facilitator edits the board live; participants see it. ``agreed`` names the
    status that counts as agreed in the progress (default: the first status).
    """

    kind: Literal["agreement_board"]
    questions: Annotated[UniqueItems, Field(min_length=1)]
    statuses: Annotated[UniqueItems, Field(min_length=2)]
    modes: UniqueItems = Field(default_factory=list)
    agreed: str | None = None

    @model_validator(mode="after")
    def _validate_agreed(self) -> "AgreementBoard":
        if self.agreed is not None and self.agreed not in {s.id for s in self.statuses}:
            raise ValueError(f"agreed must be one of the statuses, got {self.agreed!r}")
        return self

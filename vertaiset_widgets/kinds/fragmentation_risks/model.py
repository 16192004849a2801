"""Pirstaloitumisen riskit (the risks of fragmentation): the template model."""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from ...records import Layered, Scale, UniqueItems

__all__ = ["FragmentationRisks"]


class FragmentationRisks(Layered):
    """What breaks a network over time (Arnkil): each participant picks a risk, rates how
    strongly it shows in each time layer (``layers``: jatkuvuus/ennen, nyt,
    kestävyys/tulevaisuus) on ``scale``, and marks which relationships of the 360 ring
    (``actors``) it threatens. One risk per submission keeps the phone's form short."""

    kind: Literal["fragmentation_risks"]
    scale: Scale = Field(default_factory=Scale)
    risks: Annotated[UniqueItems, Field(min_length=1, max_length=12)]
    #: the 360 ring: the relationships a risk may threaten (the 360's dimensions)
    actors: Annotated[UniqueItems, Field(min_length=1, max_length=12)]
    layers: Annotated[UniqueItems, Field(min_length=1, max_length=4)]

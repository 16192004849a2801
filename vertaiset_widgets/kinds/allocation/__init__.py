"""Allocation: split points among options, per layer."""
from .. import Kind, register
from .model import Allocation

KIND = register(Kind(
    name="allocation",
    model=Allocation,
    panel=f"{__name__}.panel:AllocationPanel",
    results=f"{__name__}.results:AllocationResults",
    demo=f"{__name__}.demo",
))

"""Allocation: split points among options, per layer."""
from .. import Kind, register

KIND = register(Kind(
    name="allocation",
    model=f"{__name__}.model:Allocation",
    panel=f"{__name__}.panel:AllocationPanel",
    results=f"{__name__}.results:AllocationResults",
    demo=f"{__name__}.demo",
))

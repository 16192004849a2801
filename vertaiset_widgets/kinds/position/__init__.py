"""Position: a place between two poles, per layer."""
from .. import Kind, register

KIND = register(Kind(
    name="position",
    model=f"{__name__}.model:Position",
    panel=f"{__name__}.panel:PositionPanel",
    results=f"{__name__}.results:PositionResults",
    demo=f"{__name__}.demo",
))

"""Canvas: structured text per group, or per participant (the check-in)."""
from .. import Kind, register

KIND = register(Kind(
    name="canvas",
    model=f"{__name__}.model:Canvas",
    panel=f"{__name__}.panel:CanvasPanel",
    results=f"{__name__}.results:CanvasResults",
    demo=f"{__name__}.demo",
))

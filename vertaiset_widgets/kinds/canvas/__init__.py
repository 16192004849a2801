"""Canvas: structured text per group, or per participant (the check-in)."""
from .. import Kind, register
from .model import Canvas

KIND = register(Kind(
    name="canvas",
    model=Canvas,
    panel=f"{__name__}.panel:CanvasPanel",
    results=f"{__name__}.results:CanvasResults",
    demo=f"{__name__}.demo",
))

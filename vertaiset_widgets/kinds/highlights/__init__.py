"""Highlights (*nostot*): the Menti wall — post, tag, +1, moderate."""
from .. import Kind, register

KIND = register(Kind(
    name="highlights",
    model=f"{__name__}.model:Highlights",
    panel=f"{__name__}.panel:HighlightsPanel",
    console=f"{__name__}.console:HighlightsConsole",
    report=f"{__name__}.console:report_highlights",
    demo=f"{__name__}.demo",
    summary=f"{__name__}.results:highlights_summary",
))

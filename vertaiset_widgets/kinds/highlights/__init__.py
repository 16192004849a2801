"""Highlights (*nostot*): the Menti wall — post, tag, +1, moderate."""
from .. import Kind, register
from .model import Highlights

KIND = register(Kind(
    name="highlights",
    model=Highlights,
    panel="vertaiset_widgets.highlights:HighlightsPanel",
    console="vertaiset_widgets.workbook:HighlightsConsole",
    report="vertaiset_widgets.workbook:report_highlights",
))

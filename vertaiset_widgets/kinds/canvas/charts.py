"""The check-in's chart on the projector: how many chose each option, as bars under their names.

Pure: a translated frame in, an Altair chart out. The names sit above the bars, so the chart
is narrow enough to stand in a column beside the names and still read from across the room.
"""
from __future__ import annotations

import altair as alt
import pandas as pd

from ...chart_base import DEFAULT_PALETTE, _TEXT, _require_columns

__all__ = ["choice_bars"]


def choice_bars(frame: pd.DataFrame, *, width: int = 380, text_size: int = 30) -> alt.LayerChart:
    """``label, value`` as one bar per row, its label above it and its count at its end."""
    _require_columns(frame, ["label", "value"], "choice_bars")
    data = frame.reset_index(drop=True).assign(row=lambda d: d.index, count=lambda d: d["value"].astype(int).astype(str))
    top = max(1, int(data["value"].max() or 1))
    row = text_size * 2.6
    y = alt.Y("row:O", axis=None, scale=alt.Scale(paddingInner=0.0, paddingOuter=0.0))
    x = alt.X("value:Q", axis=None, scale=alt.Scale(domain=[0, top * 1.25], nice=False))
    bars = alt.Chart(data).mark_bar(color=DEFAULT_PALETTE[0], height=text_size * 0.9, yOffset=text_size * 0.55).encode(x=x, y=y)
    names = alt.Chart(data).mark_text(fontSize=text_size, align="left", baseline="bottom", dy=-2, color=_TEXT, limit=width).encode(
        x=alt.XValue(0), y=y, text=alt.Text("label:N"))
    counts = alt.Chart(data).mark_text(fontSize=text_size, fontWeight=700, align="left", baseline="middle", dx=8,
                                       dy=text_size * 0.55, color=_TEXT).encode(x=x, y=y, text=alt.Text("count:N"))
    return alt.layer(bars, names, counts, width=width, height=alt.Step(row)).configure_view(stroke=None)

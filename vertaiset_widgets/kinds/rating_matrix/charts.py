"""The rating matrix's own chart: the room's means as a heatmap (knowing – trust – commitment).

Pure: aggregated, translated frames in, an Altair chart out; labels stay legible on a
projector (at least 14 px). The radar (:mod:`.radar`) and the spread (:mod:`kind_charts`) are
shared builders.
"""
from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from ...chart_base import _TEXT, _require_columns, _title, wrap_label

__all__ = ["heatmap_chart"]


def heatmap_chart(
    frame: pd.DataFrame,
    *,
    columns: Sequence[str],
    scale_min: float,
    scale_max: float,
    title: str | None = None,
    cell_width: int = 230,
    cell_height: int = 118,
) -> alt.LayerChart:
    """A table of means coloured by value: ``column`` (heading), ``row`` (1..), ``label`` and ``mean``."""
    _require_columns(frame, ["column", "row", "label", "mean"], "heatmap_chart")
    data = frame.assign(
        lines=frame["label"].map(lambda s: wrap_label(s, 24)),
        value=frame["mean"].map(lambda v: "–" if pd.isna(v) else f"{v:.1f}"),
    )
    x = alt.X("column:N", sort=list(columns), title=None, axis=alt.Axis(orient="top", labelFontSize=17, labelFontWeight=700, labelColor=_TEXT, ticks=False, domain=False, labelAngle=0))
    y = alt.Y("row:O", title=None, axis=None)
    cells = alt.Chart(data).mark_rect(stroke="white", strokeWidth=3).encode(
        x=x, y=y,
        # the darkest fill keeps dark text at 6:1 or more, so every cell's words stay readable
        color=alt.Color("mean:Q", scale=alt.Scale(domain=[scale_min, scale_max], range=["#f4f8fb", "#6fa8d6"]), legend=alt.Legend(title=None, orient="bottom", gradientLength=300, labelFontSize=14)),
        tooltip=[alt.Tooltip("column:N", title=" "), alt.Tooltip("label:N", title=" "), alt.Tooltip("mean:Q", format=".2f")],
    )
    label = alt.Chart(data).mark_text(fontSize=14, baseline="top", dy=-(cell_height / 2) + 8, lineHeight=17).encode(
        x=x, y=y, text="lines:N", color=alt.value(_TEXT)
    )
    value = alt.Chart(data).mark_text(fontSize=24, fontWeight=700, baseline="bottom", dy=cell_height / 2 - 8).encode(
        x=x, y=y, text="value:N", color=alt.value(_TEXT)
    )
    return alt.layer(cells, label, value, width=alt.Step(cell_width), height=alt.Step(cell_height), **_title(title, 18)).configure_view(stroke=None)

"""Chart helpers the kinds share — bars per option, the label axis and legend — and the heatmap.

A kind's own charts live in its ``charts.py``. Pure like :mod:`charts`: aggregated,
translated frames in, Altair charts out. Sizes and fonts are chosen to stay legible on a
projector (labels at least 14 px).
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import altair as alt
import pandas as pd

from .charts import _palette_range, _require_columns, _title, wrap_label

__all__ = ["bars_chart", "heatmap_chart"]

_TEXT = "#1a1a1a"
_MUTED = "#595959"


def _wrapped(labels: Sequence[str], width: int = 28) -> dict[str, str]:
    return {label: "\n".join(wrap_label(label, width)) for label in labels}


def _label_axis(**extra: Any) -> alt.Axis:
    return alt.Axis(
        labelExpr="split(datum.label, '\\n')", labelFontSize=15, labelColor=_TEXT, labelLimit=320,
        ticks=False, domain=False, labelPadding=8, **extra,
    )


def _legend() -> alt.Legend:
    return alt.Legend(orient="top", title=None, labelFontSize=15, symbolSize=180, symbolType="square")


def bars_chart(
    frame: pd.DataFrame,
    *,
    labels: Sequence[str],
    series: Sequence[str],
    x_title: str,
    title: str | None = None,
    width: int = 520,
    value_format: str = "d",
) -> alt.LayerChart:
    """Horizontal bars per option, one bar per series side by side (e.g. now and wanted).

    ``frame`` has columns ``label``, ``series`` and ``value``; each bar carries its number.
    """
    _require_columns(frame, ["label", "series", "value"], "bars_chart")
    wrapped = _wrapped(labels)
    data = frame.assign(label=frame["label"].map(wrapped), text=frame["value"].map(lambda v: format(v, value_format)))
    order = [wrapped[x] for x in labels]
    series = list(series)
    colours = _palette_range(series, None)
    base = alt.Chart(data).encode(
        y=alt.Y("label:N", sort=order, title=None, axis=_label_axis()),
        yOffset=alt.YOffset("series:N", sort=series),
        x=alt.X("value:Q", title=x_title, axis=alt.Axis(tickMinStep=1, labelFontSize=14, titleFontSize=14)),
        tooltip=[alt.Tooltip("label:N", title=" "), alt.Tooltip("series:N", title=" "), alt.Tooltip("value:Q", title="n")],
    )
    bars = base.mark_bar(cornerRadiusEnd=3).encode(
        color=alt.Color("series:N", scale=alt.Scale(domain=series, range=colours), legend=_legend() if len(series) > 1 else None)
    )
    text = base.mark_text(align="left", dx=4, fontSize=15, fontWeight=600, color=_TEXT).encode(text="text:N")
    step = 30 if len(series) > 1 else 36
    return alt.layer(bars, text, width=width, height=alt.Step(step), **_title(title, 18)).configure_view(stroke=None).properties(
        padding={"left": 24, "top": 12, "right": 24, "bottom": 12}
    )


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

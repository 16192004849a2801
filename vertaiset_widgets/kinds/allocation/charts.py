"""The allocation's chart: the room's mean split as stacked shares, one bar per layer."""
from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from ...chart_base import DEFAULT_PALETTE, _TEXT, _palette_range, _require_columns, _title
from ...kind_charts import _legend

__all__ = ["shares_chart"]


def shares_chart(
    frame: pd.DataFrame,
    *,
    labels: Sequence[str],
    series: Sequence[str],
    total: float,
    x_title: str,
    title: str | None = None,
    width: int = 560,
) -> alt.LayerChart:
    """One stacked bar per series (e.g. now, wanted): the room's mean share of each option.

    ``frame`` has columns ``label`` (option), ``series`` and ``value`` (mean points).
    """
    _require_columns(frame, ["label", "series", "value"], "shares_chart")
    labels = list(labels)
    colours = _palette_range(labels, DEFAULT_PALETTE[3:] + DEFAULT_PALETTE[:3])
    order = {label: i for i, label in enumerate(labels)}
    data = frame.assign(
        order=frame["label"].map(order),
        text=frame["value"].map(lambda v: f"{v:.0f}" if v >= total * 0.06 else ""),
    )
    base = alt.Chart(data).encode(
        y=alt.Y("series:N", sort=list(series), title=None, axis=alt.Axis(labelFontSize=16, labelColor=_TEXT, ticks=False, domain=False)),
        x=alt.X("value:Q", stack="zero", title=x_title, scale=alt.Scale(domain=[0, total]), axis=alt.Axis(labelFontSize=14)),
        order=alt.Order("order:Q"),
    )
    bars = base.mark_bar(stroke="white", strokeWidth=2).encode(
        color=alt.Color("label:N", sort=labels, scale=alt.Scale(domain=labels, range=colours), legend=_legend()),
        tooltip=[alt.Tooltip("series:N", title=" "), alt.Tooltip("label:N", title=" "), alt.Tooltip("value:Q", format=".1f")],
    )
    text = base.mark_text(fontSize=17, fontWeight=700, color="white", xOffset=0).encode(
        x=alt.X("mid:Q"), text=alt.Text("text:N")
    ).transform_stack(stack="value", groupby=["series"], as_=["start", "end"], sort=[alt.SortField("order")]).transform_calculate(
        mid="(datum.start + datum.end) / 2"
    )
    return alt.layer(bars, text, width=width, height=alt.Step(56), **_title(title, 18)).configure_view(stroke=None).properties(
        padding={"left": 32, "top": 12, "right": 24, "bottom": 12}
    )

"""The risks of fragmentation as heatmaps: risk × time (the mean rating) and risk × relationship
of the 360 ring (how many of the risk's raters marked it threatened). Pure: a frame in, a chart
out; every label arrives translated."""
from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from ...chart_base import _TEXT, _check_items, _require_columns, _title, wrap_label
from ...kind_charts import _text_scale

__all__ = ["risk_heatmap"]

#: light to the strongest risk: dark text on the darkest fill stays at 6:1 or more
RISK_RANGE = ("#fdf3e7", "#e08a3c")


def risk_heatmap(frame: pd.DataFrame, *, rows: Sequence[str], columns: Sequence[str], domain: tuple[float, float],
                 legend_title: str = "", title: str | None = None, cell_width: int = 120, cell_height: int = 40,
                 column_wrap: int = 14, value_format: str = "") -> alt.LayerChart:
    """Cells coloured by ``value``, each printing ``text``.

    Parameters
    ----------
    frame : DataFrame
        ``row`` (a label in ``rows``), ``column`` (a label in ``columns``), ``value`` (colour;
        NaN: not rated, drawn blank) and ``text`` (what the cell prints).
    rows, columns : sequence of str
        The rows top first, the columns left first (their headings are wrapped at ``column_wrap``).
    domain : (float, float)
        The colour scale's ends.
    """
    _require_columns(frame, ["row", "column", "value", "text"], "risk_heatmap")
    row_labels = _check_items(rows, "risk_heatmap")
    heads = {c: "\n".join(wrap_label(c, column_wrap)) for c in _check_items(columns, "risk_heatmap")}
    data = frame.assign(head=frame["column"].map(heads))
    line = 16 * _text_scale()  # a heading's lines stack downwards from its first: lift it by the lines below
    lift = 6 + (max(h.count("\n") for h in heads.values()) if heads else 0) * line
    x = alt.X("head:N", sort=[heads[c] for c in columns], title=None,
              axis=alt.Axis(orient="top", labelExpr="split(datum.label, '\\n')", labelFontSize=14, labelFontWeight=600,
                            labelColor=_TEXT, labelAngle=0, labelLimit=0, ticks=False, domain=False, labelPadding=lift,
                            labelBaseline="bottom", labelLineHeight=line))
    y = alt.Y("row:N", sort=row_labels, title=None,
              axis=alt.Axis(labelFontSize=15, labelColor=_TEXT, labelLimit=260, ticks=False, domain=False, labelPadding=8))
    cells = alt.Chart(data).mark_rect(stroke="white", strokeWidth=2).encode(
        x=x, y=y,
        color=alt.Color("value:Q", scale=alt.Scale(domain=list(domain), range=list(RISK_RANGE)),
                        legend=alt.Legend(title=legend_title or None, orient="bottom", gradientLength=240, labelFontSize=13,
                                          titleFontSize=13, **({"format": value_format} if value_format else {}))),
        tooltip=[alt.Tooltip("row:N", title=" "), alt.Tooltip("column:N", title=" "), alt.Tooltip("text:N", title=" ")],
    )
    text = alt.Chart(data).mark_text(fontSize=15, fontWeight=600, color=_TEXT).encode(x=x, y=y, text=alt.Text("text:N"))
    return alt.layer(cells, text, width=alt.Step(cell_width), height=alt.Step(cell_height), **_title(title, 18)).configure_view(
        stroke=None).properties(padding=12)

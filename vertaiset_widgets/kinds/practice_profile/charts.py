"""The partnerships' practice profiles: two bars per partnership (how many of the weak and of
the strong practices it has, ``n/5`` and ``n/7``), and the partnerships that combine both
marked under their names. Pure: frames in, a chart out; every label arrives translated."""
from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from ...chart_base import _TEXT, _check_items, _palette_range, _require_columns, _title, wrap_label

__all__ = ["profile_bars"]

#: the weak practices' colour and the strong ones' (dark enough for white text around them, 4.5:1 on white)
COLOURS = ("#b3541e", "#1f5f8b")


def profile_bars(
    frame: pd.DataFrame,
    *,
    partnerships: Sequence[str],
    series: Sequence[str],
    both: Sequence[str] = (),
    both_label: str = "",
    x_title: str = "",
    title: str | None = None,
    width: int = 420,
) -> alt.LayerChart:
    """Bars per partnership, one per list (weak, strong), each labelled ``n/total``.

    Parameters
    ----------
    frame : DataFrame
        One row per partnership and list: ``partnership`` (a label in ``partnerships``),
        ``series`` (a label in ``series``), ``value`` (how many it has) and ``total`` (how
        many the list has).
    partnerships : sequence of str
        The rows, top first (unique).
    series : sequence of str
        The two lists' labels (weak first), in the legend's order.
    both : sequence of str
        The partnerships that combine both lists: ``both_label`` is written under their names.
    """
    _require_columns(frame, ["partnership", "series", "value", "total"], "profile_bars")
    rows = _check_items(partnerships, "profile_bars")
    marked = set(both)
    names = {p: "\n".join([*wrap_label(p, 26), *([f"– {both_label}"] if p in marked and both_label else [])]) for p in rows}
    data = frame.assign(
        label=frame["partnership"].map(names),
        text=[f"{int(v)}/{int(t)}" for v, t in zip(frame["value"], frame["total"])],
    )
    top = max([1, *(int(t) for t in frame["total"])])
    series = list(series)
    base = alt.Chart(data).encode(
        # a gap between partnerships: a name on two or three lines (wrapped, "– combines both")
        # ran into the next partnership's name when the bands touched
        y=alt.Y("label:N", sort=[names[p] for p in rows], title=None, scale=alt.Scale(paddingInner=0.4, paddingOuter=0.2),
                axis=alt.Axis(labelExpr="split(datum.label, '\\n')", labelFontSize=15, labelColor=_TEXT, labelLimit=340,
                              ticks=False, domain=False, labelPadding=8)),
        yOffset=alt.YOffset("series:N", sort=series),
        x=alt.X("value:Q", title=x_title, scale=alt.Scale(domain=[0, top], nice=False),
                axis=alt.Axis(tickMinStep=1, labelFontSize=14, titleFontSize=14)),
        tooltip=[alt.Tooltip("partnership:N", title=" "), alt.Tooltip("series:N", title=" "), alt.Tooltip("text:N", title="n")],
    )
    bars = base.mark_bar(cornerRadiusEnd=3).encode(
        color=alt.Color("series:N", scale=alt.Scale(domain=series, range=_palette_range(series, COLOURS)),
                        legend=alt.Legend(orient="top", title=None, labelFontSize=15, symbolSize=180, symbolType="square", labelLimit=0))
    )
    text = base.mark_text(align="left", dx=4, fontSize=15, fontWeight=600, color=_TEXT).encode(text=alt.Text("text:N"))
    return alt.layer(bars, text, width=width, height=alt.Step(28), **_title(title, 18)).configure_view(stroke=None).properties(
        padding={"left": 24, "top": 12, "right": 48, "bottom": 12}
    )

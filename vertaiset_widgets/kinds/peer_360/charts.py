"""B's fit of A's practice per dimension: a stacked bar per dimension (how many listeners marked
each fit), the best fit first. Pure: a frame in, a chart out; every label arrives translated."""
from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from ...chart_base import _TEXT, _check_items, _require_columns, _title, wrap_label

__all__ = ["FIT_COLOURS", "fit_bars"]

#: the fit scale's colours, best first (green, amber, red, then greys): white text on each is 4.5:1
FIT_COLOURS = ("#2e6b30", "#8a4b00", "#a3231a", "#4d5d6c", "#595959")


def fit_bars(frame: pd.DataFrame, *, dimensions: Sequence[str], fits: Sequence[str], x_title: str = "",
             title: str | None = None, width: int = 420) -> alt.LayerChart:
    """One stacked bar per dimension: how many marked each fit, each segment labelled with its count.

    Parameters
    ----------
    frame : DataFrame
        ``dimension`` (a label in ``dimensions``), ``fit`` (a label in ``fits``), ``n``.
    dimensions : sequence of str
        The rows, top first.
    fits : sequence of str
        The fit scale, best first (the legend's and the stack's order).
    """
    _require_columns(frame, ["dimension", "fit", "n"], "fit_bars")
    rows = _check_items(dimensions, "fit_bars")
    fits = _check_items(fits, "fit_bars", minimum=2)
    names = {d: "\n".join(wrap_label(d, 26)) for d in rows}
    order = {f: n for n, f in enumerate(fits)}
    data = frame[frame["n"] > 0].assign(label=lambda f: f["dimension"].map(names), order=lambda f: f["fit"].map(order))
    top = max([1, *data.groupby("dimension")["n"].sum().tolist()]) if len(data) else 1
    base = alt.Chart(data).encode(
        y=alt.Y("label:N", sort=[names[d] for d in rows], title=None, scale=alt.Scale(domain=[names[d] for d in rows]),
                axis=alt.Axis(labelExpr="split(datum.label, '\\n')", labelFontSize=15, labelColor=_TEXT, labelLimit=340,
                              ticks=False, domain=False, labelPadding=8)),
        x=alt.X("sum(n):Q", stack="zero", title=x_title, scale=alt.Scale(domain=[0, top], nice=False),
                axis=alt.Axis(tickMinStep=1, labelFontSize=14, titleFontSize=14)),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("dimension:N", title=" "), alt.Tooltip("fit:N", title=" "), alt.Tooltip("n:Q", title="n")],
    )
    bars = base.mark_bar(stroke="white", strokeWidth=1).encode(
        color=alt.Color("fit:N", scale=alt.Scale(domain=list(fits), range=list(FIT_COLOURS[: len(fits)])),
                        legend=alt.Legend(orient="top", title=None, labelFontSize=15, symbolSize=180, symbolType="square",
                                          labelLimit=0)),
    )
    text = alt.Chart(data).mark_text(fontSize=15, fontWeight=600, color="white").encode(
        y=alt.Y("label:N", sort=[names[d] for d in rows]),
        x=alt.X("mid:Q"),
        text=alt.Text("n:Q", format="d"),
    ).transform_stack(stack="n", groupby=["label"], sort=[alt.SortField("order")], as_=["lo", "hi"]).transform_calculate(
        mid="(datum.lo + datum.hi) / 2")
    return alt.layer(bars, text, width=width, height=alt.Step(34), **_title(title, 18)).configure_view(stroke=None).properties(
        padding={"left": 24, "top": 12, "right": 24, "bottom": 12})

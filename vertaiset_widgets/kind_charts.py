"""Chart builders several kinds share: bars per option (with the label axis and legend)
and the spread of ratings.

A kind's own charts live in its ``charts.py``. Pure like every builder (:mod:`chart_base`):
aggregated, translated frames in, Altair charts out. Sizes and fonts are chosen to stay
legible on a projector (labels at least 14 px).
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import altair as alt
import pandas as pd

from .chart_base import (
    _TEXT,
    _check_items,
    _palette_range,
    _require_columns,
    _series_domain,
    _title,
    wrap_label,
)

__all__ = ["bars_chart", "spread_chart"]


def _wrapped(labels: Sequence[str], width: int = 28) -> dict[str, str]:
    return {label: "\n".join(wrap_label(label, width)) for label in labels}


def _text_scale() -> float:
    """How much larger the text is drawn now (2 on the projector, see ``chart_render.presenting``)."""
    from .chart_render import _text_scale as scale

    return scale.get()


def _px(width: float) -> int:
    """A width in pixels that holds text: it grows with the text, else a label of the projector's
    larger type would be cut off with an ellipsis."""
    return round(width * _text_scale())


def _label_axis(**extra: Any) -> alt.Axis:
    return alt.Axis(
        labelExpr="split(datum.label, '\\n')", labelFontSize=15, labelColor=_TEXT, labelLimit=_px(320),
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
    text = base.mark_text(align="left", dx=4, fontSize=15, fontWeight=600, color=_TEXT).encode(text=alt.Text("text:N"))
    step = 30 if len(series) > 1 else 36
    return alt.layer(bars, text, width=width, height=alt.Step(step), **_title(title, 18)).configure_view(stroke=None).properties(
        padding={"left": 24, "top": 12, "right": 24, "bottom": 12}
    )


def spread_chart(
    frame: pd.DataFrame,
    *,
    items: Sequence[Any],
    scale_min: float = 0,
    scale_max: float = 5,
    title: str | None = None,
    width: int = 520,
    series_order: Sequence[Any] | None = None,
    palette: Sequence[str] | None = None,
    stat_titles: Mapping[str, str] | None = None,
) -> alt.LayerChart:
    """Distribution summary per item: range, interquartile bar and mean.

    For every item (one row each, in the order of `items`) a thin rule runs
    from ``min`` to ``max``, a thicker bar from ``q1`` to ``q3`` and a white
    tick with a coloured outline marks the ``mean``.  With several series the
    rows are split into one lane per series (``yOffset``), coloured by series
    with a legend.

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns ``item``, ``series``, ``mean``, ``min``, ``max``, ``q1``,
        ``q3`` and ``n`` (number of answers).  Rows whose item is not in
        `items` are ignored; rows with a missing ``mean`` are not drawn.
    items : sequence of str
        Row labels in order, already translated.  Long labels are wrapped
        at 30 characters.
    scale_min, scale_max : float, default 0 and 5
        Fixed x domain.
    title : str, optional
        Chart title, already translated.
    width : int, default 520
        Width in pixels of the plotting area (labels are outside it).
    series_order : sequence of str, optional
        Order of the series lanes and legend entries.
    palette : sequence of str, optional
        Colours per series; defaults to ``DEFAULT_PALETTE``.
    stat_titles : mapping of str to str, optional
        Tooltip captions (already translated) for any of ``mean``, ``min``,
        ``q1``, ``q3``, ``max`` and ``n``; unmapped ones show the column name.

    Returns
    -------
    altair.LayerChart
        The chart.  Nothing is displayed.

    Raises
    ------
    ValueError
        If a column is missing, `items` is empty or has duplicates, or
        ``scale_max <= scale_min``.
    """
    func = "spread_chart"
    cols = ("item", "series", "mean", "min", "max", "q1", "q3", "n")
    _require_columns(frame, cols, func)
    items = _check_items(items, func, minimum=1)
    if not scale_max > scale_min:
        raise ValueError(f"{func}: scale_max must be greater than scale_min")

    data = frame.loc[:, list(cols)].copy()
    data = data[data["series"].notna()]
    domain = _series_domain(data["series"], series_order)
    data["item"] = data["item"].astype(str)
    data["series"] = data["series"].astype(str)
    for c in ("mean", "min", "max", "q1", "q3", "n"):
        data[c] = pd.to_numeric(data[c], errors="coerce")
    data = data[data["item"].isin(items) & data["mean"].notna()]
    wrapped = {it: "\n".join(wrap_label(it, 30)) for it in items}
    data["label"] = data["item"].map(wrapped)
    data = data.reset_index(drop=True)

    n_series = max(1, len(domain))
    max_lines = max(len(w.split("\n")) for w in wrapped.values())
    # One row per item, tall enough for its wrapped label and for one lane
    # per series; the y scale's inner padding (25 %) separates the rows.
    step = max(20 * max_lines + 12, 24 * n_series + 16)
    lane = step * 0.75 / n_series
    font = 14

    label_order = [wrapped[it] for it in items]
    y = alt.Y(
        "label:N",
        sort=label_order,
        scale=alt.Scale(domain=label_order, paddingInner=0.25, paddingOuter=0.1),
        title=None,
        axis=alt.Axis(
            labelExpr="split(datum.label, '\\n')",
            labelFontSize=font,
            labelColor=_TEXT,
            labelLimit=_px(320),
            labelLineHeight=_px(18),
            labelPadding=8,
            ticks=False,
            domain=False,
            grid=False,
        ),
    )
    x_scale = alt.Scale(domain=[scale_min, scale_max], nice=False, zero=False)
    x = alt.X(
        "min:Q",
        scale=x_scale,
        title=None,
        axis=alt.Axis(
            values=list(range(math.ceil(scale_min), math.floor(scale_max) + 1)),
            format="d",
            labelFontSize=font,
            labelColor=_TEXT,
            grid=True,
            gridColor="#e3e3e3",
            domainColor="#9a9a9a",
            tickColor="#9a9a9a",
        ),
    )
    colour = alt.Color(
        "series:N",
        scale=alt.Scale(domain=domain, range=_palette_range(domain, palette)),
        legend=(
            alt.Legend(
                orient="bottom",
                direction="horizontal",
                title=None,
                labelFontSize=font,
                labelColor=_TEXT,
                labelLimit=0,
                symbolType="square",
                symbolSize=180,
                symbolOpacity=1,
            )
            if len(domain) > 1
            else None
        ),
        title=None,
    )
    offset = (
        {"yOffset": alt.YOffset("series:N", scale=alt.Scale(domain=domain))}
        if len(domain) > 1
        else {}
    )
    captions = dict(stat_titles or {})
    tooltip = [
        alt.Tooltip("item:N", title=" "),
        *([alt.Tooltip("series:N", title="  ")] if len(domain) > 1 else []),
        *(
            alt.Tooltip(f"{c}:Q", format=".1f", title=captions.get(c, c))
            for c in ("mean", "min", "q1", "q3", "max")
        ),
        alt.Tooltip("n:Q", format="d", title=captions.get("n", "n")),
    ]

    base = alt.Chart(data).encode(y=y, color=colour, tooltip=tooltip, **offset)
    range_rule = base.mark_rule(strokeWidth=2).encode(x=x, x2=alt.X2("max:Q"))
    iqr_bar = base.mark_bar(
        height=max(8, round(lane * 0.55)), opacity=0.45, cornerRadius=2
    ).encode(x=alt.X("q1:Q", scale=x_scale), x2=alt.X2("q3:Q"))
    mean_tick = base.mark_tick(
        thickness=4, size=max(12, round(lane * 0.85)), opacity=1
    ).encode(x=alt.X("mean:Q", scale=x_scale))

    chart = alt.layer(
        range_rule,
        iqr_bar,
        mean_tick,
        width=width,
        height=alt.Step(step, **{"for": "position"}),
        **_title(title, 18),
    )
    # Vega measures the labels with vl-convert's fonts; a browser drawing the SVG with its
    # own (often wider) sans-serif would push right-aligned labels past the left edge.
    return chart.configure_view(stroke=None).properties(padding={"left": 56, "top": 12, "right": 12, "bottom": 12})

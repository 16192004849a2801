"""Charts of the phase 1 and 2 activity kinds: bars, stacked shares, positions, heatmap, network map.

Pure like :mod:`charts`: aggregated, translated frames in, Altair charts out. Sizes and
fonts are chosen to stay legible on a projector (labels at least 14 px).
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import altair as alt
import pandas as pd

from .charts import DEFAULT_PALETTE, _palette_range, _require_columns, _title, wrap_label

__all__ = ["bars_chart", "heatmap_chart", "network_chart", "position_chart", "shares_chart"]

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
        x=alt.X("mid:Q"), text="text:N"
    ).transform_stack(stack="value", groupby=["series"], as_=["start", "end"], sort=[alt.SortField("order")]).transform_calculate(
        mid="(datum.start + datum.end) / 2"
    )
    return alt.layer(bars, text, width=width, height=alt.Step(56), **_title(title, 18)).configure_view(stroke=None).properties(
        padding={"left": 32, "top": 12, "right": 24, "bottom": 12}
    )


def position_chart(
    frame: pd.DataFrame,
    *,
    series: Sequence[str],
    points: int,
    left: str,
    right: str,
    means: pd.DataFrame | None = None,
    title: str | None = None,
    width: int = 620,
) -> alt.LayerChart:
    """Where the room places itself between two poles: a dot per step sized by how many chose it.

    ``frame`` has ``series``, ``point`` (1..points) and ``count``; ``means`` has ``series``
    and ``mean`` (drawn as a bold tick).
    """
    _require_columns(frame, ["series", "point", "count"], "position_chart")
    series = list(series)
    colours = _palette_range(series, None)
    domain = [0.5, points + 0.5]
    x = alt.X(
        "point:Q", scale=alt.Scale(domain=domain, nice=False), title=None,
        axis=alt.Axis(values=list(range(1, points + 1)), format="d", labelFontSize=15, grid=False),
    )
    y = alt.Y("series:N", sort=series, title=None, axis=alt.Axis(labelFontSize=16, labelColor=_TEXT, ticks=False, domain=False))
    dots = alt.Chart(frame[frame["count"] > 0]).mark_circle(opacity=0.85, stroke="white", strokeWidth=1).encode(
        x=x, y=y,
        size=alt.Size("count:Q", scale=alt.Scale(range=[120, 2400]), legend=None),
        color=alt.Color("series:N", scale=alt.Scale(domain=series, range=colours), legend=None),
        tooltip=[alt.Tooltip("series:N", title=" "), alt.Tooltip("point:Q"), alt.Tooltip("count:Q", title="n")],
    )
    counts = alt.Chart(frame[frame["count"] > 0]).mark_text(fontSize=14, fontWeight=700, color="white").encode(
        x=x, y=y, text="count:Q"
    )
    layers = [dots, counts]
    if means is not None and not means.empty:
        ticks = alt.Chart(means).mark_tick(thickness=5, size=54, color=_TEXT).encode(
            x=alt.X("mean:Q", scale=alt.Scale(domain=domain, nice=False)), y=y,
            tooltip=[alt.Tooltip("series:N", title=" "), alt.Tooltip("mean:Q", format=".1f")],
        )
        layers.append(ticks)
    poles = pd.DataFrame({"x": [domain[0], domain[1]], "text": [f"← {left}", f"{right} →"], "align": ["left", "right"]})
    pole_marks = [
        alt.Chart(poles.iloc[[i]]).mark_text(fontSize=17, fontWeight=700, color=_TEXT, align=a, baseline="bottom", dy=-4)
        .encode(x=alt.X("x:Q", scale=alt.Scale(domain=domain, nice=False)), y=alt.value(0), text="text:N")
        for i, a in enumerate(["left", "right"])
    ]
    return alt.layer(*layers, *pole_marks, width=width, height=alt.Step(80), **_title(title, 18)).configure_view(stroke=None).properties(
        padding={"left": 32, "top": 34, "right": 24, "bottom": 12}
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


def network_chart(
    nodes: pd.DataFrame,
    edges: pd.DataFrame,
    *,
    sectors: Sequence[str],
    tie_types: Sequence[str],
    tie_styles: Sequence[str],
    title: str | None = None,
    size: int = 720,
    guides: pd.DataFrame | None = None,
    rings: Sequence[float] = (),
    side_order: Sequence[str] | None = None,
) -> alt.LayerChart:
    """The drawn network: actors as labelled dots coloured by sector (shape by inside/outside),
    ties as lines whose dash and width follow their type (strong solid and thick, weak dashed,
    missing links dotted and red).

    ``nodes``: ``id, x, y, label, sector, side``; ``edges``: ``x, y, x2, y2, type``;
    ``guides``: ``x, y, text, align`` (e.g. the 360 ring's roles around the circle);
    ``rings``: radii of faint circles drawn behind (coordinates in about [-1.5, 1.5]);
    ``side_order``: the sides in template order (the first gets circles, the next squares), so a
    shape means the same in every language.
    """
    _require_columns(nodes, ["id", "x", "y", "label", "sector", "side"], "network_chart")
    _require_columns(edges, ["x", "y", "x2", "y2", "type"], "network_chart")
    sectors = list(sectors)
    tie_types = list(tie_types)
    dash = {"solid": [1, 0], "dashed": [10, 6], "dotted": [2, 5]}
    width = {"solid": 4, "dashed": 2, "dotted": 3}
    colour = {"solid": "#1a1a1a", "dashed": "#4d5d6c", "dotted": "#c0392b"}
    styles = list(tie_styles)
    scale = alt.Scale(domain=[-1.5, 1.5], nice=False, zero=False)
    x = alt.X("x:Q", scale=scale, axis=None)
    y = alt.Y("y:Q", scale=scale, axis=None)
    lines = alt.Chart(edges).mark_rule(opacity=0.9).encode(
        x=x, y=y, x2="x2:Q", y2="y2:Q",
        strokeDash=alt.StrokeDash("type:N", scale=alt.Scale(domain=tie_types, range=[dash[s] for s in styles]), legend=alt.Legend(title=None, labelFontSize=15, symbolStrokeWidth=3, symbolSize=400)),
        strokeWidth=alt.StrokeWidth("type:N", scale=alt.Scale(domain=tie_types, range=[width[s] for s in styles]), legend=None),
        color=alt.Color("type:N", scale=alt.Scale(domain=tie_types, range=[colour[s] for s in styles]), legend=None),
    )
    present = set(nodes["side"].dropna())
    sides = [x for x in (side_order or []) if x in present] + sorted(present - set(side_order or []))
    points = alt.Chart(nodes).mark_point(filled=True, size=420, stroke="white", strokeWidth=2, opacity=1).encode(
        x=x, y=y,
        fill=alt.Fill("sector:N", scale=alt.Scale(domain=sectors, range=_palette_range(sectors, None)), legend=alt.Legend(title=None, labelFontSize=15, symbolSize=300)),
        shape=alt.Shape("side:N", scale=alt.Scale(domain=sides, range=["circle", "square", "diamond", "triangle-up"][: len(sides)]), legend=alt.Legend(title=None, labelFontSize=15, symbolSize=300)),
        tooltip=[alt.Tooltip("label:N", title=" "), alt.Tooltip("sector:N", title=" "), alt.Tooltip("side:N", title=" ")],
    )
    # names point away from the centre (right of a node on the right, left on the left), so
    # neighbours on the ring do not write over each other
    side_of = nodes["x"].map(lambda v: "left" if v > 0.2 else "right" if v < -0.2 else "center")
    names = []
    for align, dx, dy in (("left", 13, 0), ("right", -13, 0), ("center", 0, -18)):
        part = nodes[side_of == align]
        if part.empty:
            continue
        for halo in (True, False):
            style = {"stroke": "white", "strokeWidth": 4, "strokeOpacity": 0.9} if halo else {}
            names.append(
                alt.Chart(part).mark_text(fontSize=15, fontWeight=600, color=_TEXT, align=align, dx=dx, dy=dy, baseline="middle", **style)
                .encode(x=x, y=y, text="label:N")
            )
    behind = []
    if rings:
        import math

        circle = pd.DataFrame(
            [{"ring": r, "i": i, "x": r * math.sin(2 * math.pi * i / 96), "y": r * math.cos(2 * math.pi * i / 96)}
             for r in rings for i in range(97)]
        )
        behind.append(alt.Chart(circle).mark_line(color="#d6dde0", strokeWidth=2).encode(x=x, y=y, detail="ring:N", order="i:Q"))
    front = []
    if guides is not None and not guides.empty:
        for align in ("left", "right", "center"):
            part = guides[guides["align"] == align].assign(lines=lambda d: d["text"].map(lambda t: wrap_label(t, 24)))
            if not part.empty:
                front.append(alt.Chart(part).mark_text(fontSize=15, fontWeight=700, color="#005f73", align=align, lineHeight=17).encode(x=x, y=y, text="lines:N"))
    return (
        alt.layer(*behind, lines, points, *names, *front, width=size, height=size, **_title(title, 18))
        .resolve_legend(strokeDash="independent", fill="independent", shape="independent")
        .configure_view(stroke=None)
        .configure_legend(orient="right", labelFontSize=15, labelLimit=260, rowPadding=6, offset=36)
        .properties(padding={"left": 24, "top": 12, "right": 24, "bottom": 12})
    )

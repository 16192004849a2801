"""The network map's chart: actors on the 360 ring, ties drawn by their type.

Pure: node, edge and guide frames in (laid out by the results), an Altair chart out;
labels stay legible on a projector (at least 14 px).
"""
from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from ...chart_base import _TEXT, _palette_range, _require_columns, _title, wrap_label

__all__ = ["network_chart"]


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
    labels: pd.DataFrame | None = None,
    text_size: int = 15,
    height: int | None = None,
) -> alt.LayerChart:
    """The drawn network: actors as labelled dots coloured by sector (shape by inside/outside),
    ties as lines whose dash and width follow their type (strong solid and thick, weak dashed,
    missing links dotted and red).

    ``nodes``: ``id, x, y, label, sector, side``; ``edges``: ``x, y, x2, y2, type``;
    ``guides``: ``x, y, text, align`` (e.g. the 360 ring's roles around the circle);
    ``rings``: radii of faint circles drawn behind (coordinates in about [-1.5, 1.5]);
    ``side_order``: the sides in template order (the first gets circles, the next squares), so a
    shape means the same in every language.
    ``labels`` (the projector): ``x, y, label, align, nx, ny``, names set apart from their nodes
    (``nx, ny``) with a leader line, instead of beside each node; ``height`` then makes the plot
    wider than high (``size`` is its width), and ``text_size`` sizes every text.
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
    if height is not None:  # wide and low: the same units across and down, so the ring stays round
        half_x = 1.15 * size / height
        x = alt.X("x:Q", scale=alt.Scale(domain=[-half_x, half_x], nice=False, zero=False), axis=None)
        y = alt.Y("y:Q", scale=alt.Scale(domain=[-1.15, 1.15], nice=False, zero=False), axis=None)
    lines = alt.Chart(edges).mark_rule(opacity=0.9).encode(
        x=x, y=y, x2=alt.X2("x2:Q"), y2=alt.Y2("y2:Q"),
        strokeDash=alt.StrokeDash("type:N", scale=alt.Scale(domain=tie_types, range=[dash[s] for s in styles]), legend=alt.Legend(title=None, labelFontSize=max(15, text_size), symbolStrokeWidth=3, symbolSize=400)),
        strokeWidth=alt.StrokeWidth("type:N", scale=alt.Scale(domain=tie_types, range=[width[s] for s in styles]), legend=None),
        color=alt.Color("type:N", scale=alt.Scale(domain=tie_types, range=[colour[s] for s in styles]), legend=None),
    )
    present = set(nodes["side"].dropna())
    sides = [x for x in (side_order or []) if x in present] + sorted(present - set(side_order or []))
    points = alt.Chart(nodes).mark_point(filled=True, size=420, stroke="white", strokeWidth=2, opacity=1).encode(
        x=x, y=y,
        fill=alt.Fill("sector:N", scale=alt.Scale(domain=sectors, range=_palette_range(sectors, None)), legend=alt.Legend(title=None, labelFontSize=max(15, text_size), symbolSize=300)),
        shape=alt.Shape("side:N", scale=alt.Scale(domain=sides, range=["circle", "square", "diamond", "triangle-up"][: len(sides)]), legend=alt.Legend(title=None, labelFontSize=max(15, text_size), symbolSize=300)),
        tooltip=[alt.Tooltip("label:N", title=" "), alt.Tooltip("sector:N", title=" "), alt.Tooltip("side:N", title=" ")],
    )
    # names point away from the centre (right of a node on the right, left on the left), so
    # neighbours on the ring do not write over each other
    side_of = nodes["x"].map(lambda v: "left" if v > 0.2 else "right" if v < -0.2 else "center")
    names = []
    for align, dx, dy in (() if labels is not None else (("left", 13, 0), ("right", -13, 0), ("center", 0, -18))):
        part = nodes[side_of == align]
        if part.empty:
            continue
        for halo in (True, False):
            style = {"stroke": "white", "strokeWidth": 4, "strokeOpacity": 0.9} if halo else {}
            names.append(
                alt.Chart(part).mark_text(fontSize=15, fontWeight=600, color=_TEXT, align=align, dx=dx, dy=dy, baseline="middle", **style)
                .encode(x=x, y=y, text=alt.Text("label:N"))
            )
    if labels is not None and not labels.empty:
        names.append(alt.Chart(labels).mark_rule(color="#9aa5ab", strokeWidth=1.5).encode(x=x, y=y, x2=alt.X2("nx:Q"), y2=alt.Y2("ny:Q")))
        for align in ("left", "right"):
            part = labels[labels["align"] == align]
            if not part.empty:
                pad = 6 if align == "left" else -6
                names.append(alt.Chart(part).mark_text(fontSize=text_size, fontWeight=600, color=_TEXT, align=align, dx=pad,
                                                       baseline="middle").encode(x=x, y=y, text=alt.Text("label:N")))
    behind = []
    if rings:
        import math

        circle = pd.DataFrame(
            [{"ring": r, "i": i, "x": r * math.sin(2 * math.pi * i / 96), "y": r * math.cos(2 * math.pi * i / 96)}
             for r in rings for i in range(97)]
        )
        behind.append(alt.Chart(circle).mark_line(color="#d6dde0", strokeWidth=2).encode(x=x, y=y, detail=alt.Detail("ring:N"), order=alt.Order("i:Q")))
    front = []
    if guides is not None and not guides.empty:
        for align in ("left", "right", "center"):
            part = guides[guides["align"] == align].assign(lines=lambda d: d["text"].map(lambda t: wrap_label(t, 24)))
            if not part.empty:
                front.append(alt.Chart(part).mark_text(fontSize=15, fontWeight=700, color="#005f73", align=align, lineHeight=17).encode(x=x, y=y, text=alt.Text("lines:N")))
    return (
        alt.layer(*behind, lines, points, *names, *front, width=size, height=height or size, **_title(title, 18))
        .resolve_legend(strokeDash="independent", fill="independent", shape="independent")
        .configure_view(stroke=None)
        .configure_legend(orient="right", labelFontSize=max(15, text_size), labelLimit=0 if labels is not None else 260,
                          rowPadding=6, offset=12 if labels is not None else 36)
        .properties(padding={"left": 24, "top": 12, "right": 24, "bottom": 12})
    )

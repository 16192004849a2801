"""The position's chart: where the room places itself between two poles.

Pure: aggregated, translated frames in, an Altair chart out; labels stay legible on a
projector (at least 14 px).
"""
from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from ...chart_base import _TEXT, _palette_range, _require_columns, _title

__all__ = ["position_chart"]


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
        x=x, y=y, text=alt.Text("count:Q")
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
        .encode(x=alt.X("x:Q", scale=alt.Scale(domain=domain, nice=False)), y=alt.YValue(0), text=alt.Text("text:N"))
        for i, a in enumerate(["left", "right"])
    ]
    return alt.layer(*layers, *pole_marks, width=width, height=alt.Step(80), **_title(title, 18)).configure_view(stroke=None).properties(
        padding={"left": 32, "top": 34, "right": 24, "bottom": 12}
    )

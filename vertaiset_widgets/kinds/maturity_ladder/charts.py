"""The maturity ladder: the steps as bands, the highest on top, each practice written on its
step with its move since the previous round (↑ ↓ = +), and the learning circles drawn as
circular arrows on the left, between the steps they lead from and to. Drawn in pixel
coordinates (the radar's way: Vega-Lite has no ladder mark). Pure: frames in, a chart out;
every label arrives translated."""
from __future__ import annotations

import math
from collections.abc import Sequence

import altair as alt
import pandas as pd

from ...chart_base import _MUTED, _TEXT, _check_items, _require_columns, _title, wrap_label
from ...kind_charts import _text_scale

__all__ = ["BAND_COLOURS", "ladder_chart"]

#: the steps' bands, lowest first: darker as the practice matures (dark text on each is 7:1 or more)
BAND_COLOURS = ("#eef4f9", "#dcebf5", "#c8e0f0", "#b3d4ea", "#a0c9e4", "#8fbfe0", "#80b6dc", "#73aed8")
_CIRCLE = "#1b6ca8"
_LEFT = 230
_ROW = 26


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def ladder_chart(practices: pd.DataFrame, *, steps: Sequence[str], circles: Sequence[tuple[int, int, str, str]] = (),
                 title: str | None = None, width: int = 880, columns: int = 2) -> alt.LayerChart:
    """The ladder with its practices and learning circles.

    Parameters
    ----------
    practices : DataFrame
        One row per practice: ``step`` (the index of its step, 0 the lowest), ``name``, ``mark``
        (↑, ↓, = or +) and ``move`` (the mark in words, for the tooltip).
    steps : sequence of str
        The steps' labels, lowest first.
    circles : sequence of (int, int, str, str)
        Each learning circle: the index of the step it leads from and to, its label and a
        word or two under it.
    """
    _require_columns(practices, ["step", "name", "mark", "move"], "ladder_chart")
    labels = _check_items(steps, "ladder_chart", minimum=2)
    grow = _text_scale()  # the projector draws the text larger: the rows, columns and margins grow with it
    left, row_h = _LEFT * grow, _ROW * grow
    width = max(width, int(left + 360 * grow))
    colw = (width - left - 24) / columns
    limit = max(12, int(colw / (8.6 * grow)))
    by_step = {k: practices[practices["step"] == k].reset_index(drop=True) for k in range(len(labels))}
    heights = {k: (44 + 6) * grow + max(1, math.ceil(len(by_step[k]) / columns)) * row_h for k in range(len(labels))}
    total = sum(heights.values()) + 4 * (len(labels) - 1)
    top: dict[int, float] = {}
    y = 0.0
    for k in reversed(range(len(labels))):  # the highest step on top
        top[k] = y
        y += heights[k] + 4

    def up(v: float) -> float:  # pixels from the top -> the y scale's value
        return total - v

    bands = pd.DataFrame([{"x": left, "x2": width, "y": up(top[k]), "y2": up(top[k] + heights[k]), "step": labels[k],
                           "colour": BAND_COLOURS[k % len(BAND_COLOURS)]} for k in range(len(labels))])
    heads = pd.DataFrame([{"x": left + 12, "y": up(top[k] + 24 * grow), "text": f"{k + 1}. {labels[k]}"} for k in range(len(labels))])
    rows = []
    for k, frame in by_step.items():
        for j, p in frame.iterrows():
            rows.append({"x": left + 16 + (j % columns) * colw, "y": up(top[k] + 48 * grow + (j // columns) * row_h),
                         "text": f"{p['mark']} {_clip(str(p['name']), limit)}", "name": p["name"], "move": p["move"],
                         "step": labels[k]})
    names = pd.DataFrame(rows, columns=["x", "y", "text", "name", "move", "step"])

    arcs, heads_ring, ring_text = [], [], []
    r = 24 * grow
    for n, (low, high, label, short) in enumerate(circles):
        cy = up((top[low] + heights[low] / 2 + top[high] + heights[high] / 2) / 2)
        cx = 44 * grow
        for i in range(41):  # counterclockwise from -60° to 240°: a ring that turns upward
            t = math.radians(-60 + 300 * i / 40)
            arcs.append({"circle": n, "order": i, "x": cx + r * math.cos(t), "y": cy + r * math.sin(t)})
        end = math.radians(240)
        heads_ring.append({"x": cx + r * math.cos(end), "y": cy + r * math.sin(end), "angle": (-240) % 360})
        lines = wrap_label(label, 18)
        for i, line in enumerate(lines):
            ring_text.append({"x": cx + r + 12, "y": cy + (10 - 17 * i + 8 * (len(lines) - 1)) * grow, "text": line, "weight": "bold"})
        if short:
            ring_text.append({"x": cx + r + 12, "y": cy - (10 + 8 * (len(lines) - 1)) * grow, "text": short, "weight": "normal"})

    x = alt.X("x:Q", scale=alt.Scale(domain=[0, width], nice=False), axis=None)
    yq = alt.Y("y:Q", scale=alt.Scale(domain=[0, total], nice=False), axis=None)
    layers: list[alt.Chart] = [
        alt.Chart(bands).mark_rect(cornerRadius=4).encode(
            x=x, x2=alt.X2("x2:Q"), y=yq, y2=alt.Y2("y2:Q"), color=alt.Color("colour:N", scale=None), tooltip=[alt.Tooltip("step:N", title=" ")]),
        alt.Chart(heads).mark_text(align="left", baseline="middle", fontSize=16, fontWeight="bold", color=_TEXT).encode(
            x=x, y=yq, text=alt.Text("text:N")),
    ]
    if len(names):
        layers.append(alt.Chart(names).mark_text(align="left", baseline="middle", fontSize=15, color=_TEXT).encode(
            x=x, y=yq, text=alt.Text("text:N"),
            tooltip=[alt.Tooltip("name:N", title=" "), alt.Tooltip("step:N", title=" "), alt.Tooltip("move:N", title=" ")]))
    if arcs:
        layers += [
            alt.Chart(pd.DataFrame(arcs)).mark_line(strokeWidth=3, color=_CIRCLE).encode(
                x=x, y=yq, detail=alt.Detail("circle:N"), order=alt.Order("order:Q")),
            alt.Chart(pd.DataFrame(heads_ring)).mark_point(shape="triangle-up", filled=True, size=150, color=_CIRCLE, opacity=1).encode(
                x=x, y=yq, angle=alt.Angle("angle:Q", scale=None)),
            *(alt.Chart(pd.DataFrame([t for t in ring_text if t["weight"] == weight])).mark_text(
                align="left", baseline="middle", fontSize=14, fontWeight=weight, fontStyle=style, color=colour).encode(
                x=x, y=yq, text=alt.Text("text:N"))
              for weight, style, colour in (("bold", "normal", _TEXT), ("normal", "italic", _MUTED))
              if any(t["weight"] == weight for t in ring_text)),
        ]
    return alt.layer(*layers, width=width, height=total, **_title(title, 18)).configure_view(stroke=None).properties(padding=12)

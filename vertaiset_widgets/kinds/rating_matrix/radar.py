"""The radar chart (:func:`radar_chart`); a grid of small ones is :mod:`.radar_grid`.

Pure like every builder (:mod:`chart_base`): aggregated, translated frames in, a chart out,
written as Vega-Lite data (:class:`~vertaiset_widgets.chart_base.Spec`): a radar is fifteen
layers, and Altair's copying of them cost more than drawing the picture.

Vega-Lite has no polar line mark, so the radar charts are drawn in plain
Cartesian coordinates: axis ``i`` of ``n`` sits at angle ``2*pi*i/n``
measured clockwise from 12 o'clock, i.e. at ``x = r*sin(angle)``,
``y = r*cos(angle)`` where ``r = value - scale_min``.  Item 0 is therefore
straight up (``x == 0``, ``y > 0``).  The x and y scales have fixed domains
with equal pixels per unit: the circle is always ``size`` pixels across and
the plotting area around it (room for the axis labels) depends only on the
item labels and ``size``, never on the values.

This module imports pandas and Altair (through :mod:`chart_base`) at import time; import it
only on pages that draw charts.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import pandas as pd

from ...chart_base import (
    LABEL_WRAP,
    _MUTED,
    _TEXT,
    Spec,
    _check_items,
    _palette_range,
    _require_columns,
    _series_domain,
    _shape_range,
    _title_spec,
    named_data,
    wrap_label,
)

__all__ = ["legend_entries", "radar_chart"]


_GRID = "#d0d0d0"
_SPOKE = "#c4c4c4"


def _fmt(value: float) -> str:
    return f"{value:g}"


def _radar_geometry(n: int, rmax: float, rings: Sequence[float]):
    """Axis angles plus ring and spoke rows for an ``n``-axis radar."""
    angles = [2 * math.pi * i / n for i in range(n)]
    ring_rows = []
    for r in rings:
        for k in range(n + 1):  # n + 1: closed polygon
            a = angles[k % n]
            ring_rows.append(
                {"ring": r, "order": k, "x": r * math.sin(a), "y": r * math.cos(a)}
            )
    spoke_rows = [
        {
            "axis": i,
            "x": 0.0,
            "y": 0.0,
            "x2": rmax * math.sin(a),
            "y2": rmax * math.cos(a),
        }
        for i, a in enumerate(angles)
    ]
    return angles, ring_rows, spoke_rows


def _field(name: str, kind: str = "nominal", **more: Any) -> dict[str, Any]:
    return {"field": name, "type": kind, **more}


def _radar_layers(
    frame: pd.DataFrame,
    *,
    items: Sequence[Any],
    series_order: Sequence[Any] | None,
    scale_max: float,
    scale_min: float,
    size: int,
    palette: Sequence[str] | None,
    wrap: int,
    label_font: int,
    show_legend: bool,
    center_legend: bool,
    title: str | None,
    title_font: int,
    datasets: dict[str, list[dict[str, Any]]],
    domain: Sequence[str] | None = None,
    show_ring_values: bool = True,
) -> dict[str, Any]:
    """The layered radar as a Vega-Lite view without top-level configuration (so it can be
    concatenated); its rows go into ``datasets`` (:func:`~vertaiset_widgets.chart_base.named_data`)."""
    func = "radar_chart"
    _require_columns(frame, ("item", "series", "value"), func)
    items = _check_items(items, func, minimum=3)
    if not scale_max > scale_min:
        raise ValueError(f"{func}: scale_max must be greater than scale_min")
    n = len(items)
    rmax = float(scale_max - scale_min)

    data = frame.loc[:, ["item", "series", "value"]].copy()
    data = data[data["series"].notna()]
    if domain is None:
        domain = _series_domain(data["series"], series_order)
    colour_scale = {"domain": list(domain), "range": _palette_range(domain, palette)}
    shape_scale = {"domain": list(domain), "range": _shape_range(domain)}

    # ---- the background: rings, spokes, ring values, axis labels ----------
    first_ring = math.floor(scale_min) + 1
    rings = [float(v - scale_min) for v in range(first_ring, math.floor(scale_max) + 1)]
    if not rings or rings[-1] < rmax:
        rings.append(rmax)
    angles, ring_rows, spoke_rows = _radar_geometry(n, rmax, rings)

    # Axis labels go just outside the outer ring, aligned away from the
    # circle.  The plotting area is the circle (``size`` px across) plus
    # symmetric margins wide enough for the wrapped labels, with the same
    # pixels-per-unit on both axes, so the circle stays round and centred
    # and the legend/title never collide with a label.  Everything here
    # depends on `items` and `size` only, never on the values.
    ppu = size / (2 * rmax)  # pixels per data unit
    gap_px = max(8.0, size * 0.03)
    line_height = round(label_font * 1.25)
    char_px = label_font * 0.55  # average glyph width, slightly generous
    half_w = half_h = size / 2 + 8  # room for points on the outer ring
    label_rows = []
    for i, (item, a) in enumerate(zip(items, angles)):
        s, c = math.sin(a), math.cos(a)
        lines = wrap_label(item, wrap)
        k = len(lines)
        align = "center" if abs(s) < 0.26 else ("left" if s > 0 else "right")
        baseline = "bottom" if c > 0.26 else ("top" if c < -0.26 else "middle")
        # Vega puts the *first* line at the anchor and stacks the rest
        # downwards; lift bottom/middle blocks so they grow away from the ring.
        lift = {"bottom": (k - 1) * line_height, "middle": (k - 1) * line_height / 2}
        ax_px = (size / 2 + gap_px) * s
        ay_px = (size / 2 + gap_px) * c + lift.get(baseline, 0.0)
        w_px = max(len(line) for line in lines) * char_px
        h_px = k * line_height
        left = {"left": ax_px, "center": ax_px - w_px / 2, "right": ax_px - w_px}[align]
        top = {
            "bottom": ay_px + label_font,
            "middle": ay_px + label_font / 2,
            "top": ay_px,
        }[baseline]
        half_w = max(half_w, abs(left), abs(left + w_px))
        half_h = max(half_h, abs(top), abs(top - h_px))
        label_rows.append(
            {
                "axis": i,
                "item": item,
                "label": "\n".join(lines),
                "x": ax_px / ppu,
                "y": ay_px / ppu,
                "align": align,
                "baseline": baseline,
            }
        )
    width_px = 2 * math.ceil(half_w + 4)
    height_px = 2 * math.ceil(half_h + 4)
    x_enc = _field("x", "quantitative", axis=None, title=None,
                   scale={"domain": [-width_px / 2 / ppu, width_px / 2 / ppu], "nice": False, "zero": False})
    y_enc = _field("y", "quantitative", axis=None, title=None,
                   scale={"domain": [-height_px / 2 / ppu, height_px / 2 / ppu], "nice": False, "zero": False})

    ring_layer = {
        "data": named_data(ring_rows, datasets),
        "mark": {"type": "line", "color": _GRID, "strokeWidth": 1, "interpolate": "linear", "aria": False},
        "encoding": {"x": x_enc, "y": y_enc, "detail": _field("ring"), "order": _field("order", "quantitative")},
    }
    spoke_layer = {
        "data": named_data(spoke_rows, datasets),
        "mark": {"type": "rule", "color": _SPOKE, "strokeWidth": 1, "aria": False},
        "encoding": {"x": x_enc, "y": y_enc, "x2": {"field": "x2"}, "y2": {"field": "y2"}},
    }

    ring_value_font = max(12, round(label_font * 0.85))
    ring_values = [scale_min] + [r + scale_min for r in rings]
    value_rows = [{"x": 0.0, "y": float(v - scale_min), "text": _fmt(v)} for v in ring_values]
    # Ring values sit just right of the first spoke, above the series lines
    # but below the points, on a white halo (a wider white copy underneath)
    # so a line crossing them never makes them unreadable.
    value_text = {"type": "text", "align": "left", "baseline": "middle", "dx": 8, "fontSize": ring_value_font,
                  "aria": False}
    value_base = {"encoding": {"x": x_enc, "y": y_enc, "text": _field("text")}}
    value_layers = [
        {"data": named_data(value_rows, datasets), **value_base,
         "mark": {**value_text, "color": "white", "stroke": "white", "strokeWidth": 3, "strokeJoin": "round"}},
        {"data": named_data(value_rows, datasets), **value_base, "mark": {**value_text, "color": _MUTED}},
    ] if show_ring_values else []

    label_parts: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in label_rows:
        label_parts.setdefault((row["align"], row["baseline"]), []).append(row)
    label_layers = [
        {
            "data": named_data(part, datasets),
            "mark": {
                "type": "text",
                "align": align,
                "baseline": baseline,
                "lineBreak": "\n",
                "aria": False,  # plain <text>: read as its content
                "fontSize": label_font,
                "lineHeight": line_height,
                "color": _TEXT,
            },
            "encoding": {"x": x_enc, "y": y_enc, "text": _field("label")},
        }
        for (align, baseline), part in label_parts.items()
    ]

    # ---- the data: one closed polygon per series --------------------------
    index = {item: i for i, item in enumerate(items)}
    data["item"] = data["item"].astype(str)
    data["series"] = data["series"].astype(str)
    data["value"] = pd.to_numeric(data["value"], errors="coerce")
    data = data[data["item"].isin(index) & data["value"].notna()]
    # Duplicated (series, item) rows are averaged.
    data = data.groupby(["series", "item"], as_index=False, sort=False)["value"].mean()
    poly_rows = []
    for series in domain:
        part = data[data["series"] == series]
        pts = sorted(
            ((index[it], float(v)) for it, v in zip(part["item"], part["value"])),
            key=lambda p: p[0],
        )
        rows = []
        for k, (axis, value) in enumerate(pts):
            r = min(max(value - scale_min, 0.0), rmax)
            a = angles[axis]
            rows.append(
                {
                    "series": series,
                    "item": items[axis],
                    "axis": axis,
                    "value": value,
                    "order": k,
                    "x": r * math.sin(a),
                    "y": r * math.cos(a),
                    "closing": False,
                }
            )
        if len(rows) >= 3:  # close the loop by repeating the first point
            rows.append({**rows[0], "order": len(rows), "closing": True})
        poly_rows.extend(rows)

    # The legend is centred under the circle: Vega-Lite can only anchor a
    # bottom legend on the left, so it is placed explicitly, from an estimate
    # of its width (symbol + gap + label per entry, plus column padding).
    entry_px = [16 + 5 + len(str(name)) * char_px for name in domain]
    legend_px = sum(entry_px) + 24 * max(0, len(entry_px) - 1)
    placement = (
        {
            "orient": "none",
            "legendX": round(max(0.0, (width_px - legend_px) / 2)),
            "legendY": height_px + 8,
        }
        if center_legend
        else {"orient": "bottom"}
    )
    legend = (
        {
            **placement,
            "direction": "horizontal",
            "title": None,
            "labelFontSize": label_font,
            "labelColor": _TEXT,
            "symbolSize": 140,
            "symbolStrokeWidth": 2.5,
            "columnPadding": 24,
            "labelLimit": 0,
        }
        if show_legend
        else None
    )
    colour = _field("series", scale=colour_scale, legend=legend, title=None)
    shape = _field("series", scale=shape_scale, legend=legend, title=None)

    poly = named_data(poly_rows, datasets)
    line_layer = {
        "data": poly,
        "mark": {"type": "line", "strokeWidth": 3, "interpolate": "linear", "strokeJoin": "round", "aria": False},
        "encoding": {"x": x_enc, "y": y_enc, "color": colour, "detail": _field("series"),
                     "order": _field("order", "quantitative")},
    }
    point_layer = {
        "data": poly,
        "transform": [
            {"filter": "!datum.closing"},
            {"calculate": "datum.series + ' – ' + datum.item + ': ' + format(datum.value, '.1f')", "as": "description"},
        ],
        "mark": {"type": "point", "filled": True, "size": 90, "opacity": 1, "stroke": "white", "strokeWidth": 1},
        "encoding": {
            "x": x_enc,
            "y": y_enc,
            "color": colour,
            "shape": shape,
            "description": _field("description"),
            "tooltip": [
                _field("series", title=" "),
                _field("item", title="  "),
                _field("value", "quantitative", format=".1f", title="   "),
            ],
        },
    }

    return {
        "layer": [
            ring_layer,
            spoke_layer,
            *label_layers,
            line_layer,
            *value_layers,
            point_layer,
        ],
        "width": width_px,
        "height": height_px,
        **_title_spec(title, title_font),
    }


def legend_entries(series: Sequence[Any], palette: Sequence[str] | None = None) -> list[tuple[str, str, str]]:
    """(series, colour, shape) as :func:`radar_chart` draws them, for a legend of one's own."""
    domain = [str(s) for s in series]
    return list(zip(domain, _palette_range(domain, palette), _shape_range(domain)))


def _label_font(size: int) -> int:
    """Axis-label font size: 14 px at ``size=420``, never below 13 px."""
    return max(13, round(size / 30))


def radar_chart(
    frame: pd.DataFrame,
    *,
    items: Sequence[Any],
    series_order: Sequence[Any] | None = None,
    scale_max: float = 5,
    scale_min: float = 0,
    title: str | None = None,
    size: int = 420,
    palette: Sequence[str] | None = None,
    label_font: int | None = None,
    legend: bool = True,
    ring_values: bool = True,
) -> Spec:
    """Radar (spider) chart with one closed polygon per series.

    Parameters
    ----------
    frame : pandas.DataFrame
        Tidy data with columns ``item`` (axis label, already translated),
        ``series`` (e.g. a time layer, a group or the whole room) and
        ``value`` (float).  A missing/NaN value means "no data for that axis
        in that series": the point is skipped, never drawn as 0.  Rows whose
        item is not in `items` are ignored; duplicated ``(series, item)``
        rows are averaged; values outside the scale are drawn at its edge
        (the tooltip shows the true value).
    items : sequence of str
        Axis labels in drawing order (at least 3; 3..12 are laid out well).
        Axis 0 is at 12 o'clock and the rest follow clockwise.  Labels are
        wrapped at ``LABEL_WRAP`` characters.
    series_order : sequence of str, optional
        Order of the series in the colour legend and palette.  Series present
        in `frame` but not listed are appended in order of appearance (or
        category order for a categorical column).
    scale_max, scale_min : float, default 5 and 0
        Value at the outer ring and at the centre.  Grid rings are drawn at
        every integer from ``scale_min + 1`` to ``scale_max``.
    title : str, optional
        Chart title, already translated.
    size : int, default 420
        Width and height in pixels of the square plotting area (the circle's
        diameter).  Axis labels and the legend are drawn outside it, so the
        whole image is larger.
    palette : sequence of str, optional
        Line colours, used in series order and cycled if short.  Defaults to
        ``DEFAULT_PALETTE``.
    label_font : int, optional
        Font size of the axis labels and the legend (default: from ``size``); the
        projector's radar numbers its axes and draws them large.
    legend, ring_values : bool, default True
        Draw the colour legend under the circle, and the scale's values on the rings (the
        projector lists the series beside the chart, :func:`legend_entries`, and leaves the
        ring values out: at its text size they would overlap).

    Returns
    -------
    Spec
        The layered chart as Vega-Lite data, with the view border removed, for
        :func:`chart_render.to_svg`.  Nothing is displayed.

    Raises
    ------
    ValueError
        If a column is missing, fewer than 3 or duplicated items are given,
        or ``scale_max <= scale_min``.
    """
    label_font = label_font or _label_font(size)
    datasets: dict[str, list[dict[str, Any]]] = {}
    view = _radar_layers(
        frame,
        items=items,
        series_order=series_order,
        scale_max=scale_max,
        scale_min=scale_min,
        size=size,
        palette=palette,
        wrap=LABEL_WRAP,
        label_font=label_font,
        show_legend=legend,
        show_ring_values=ring_values,
        center_legend=True,
        title=title,
        title_font=label_font + 4,
        datasets=datasets,
    )
    return Spec({**view, "config": {"view": {"stroke": None}}, "padding": 12, "datasets": datasets})

"""Chart builders: tidy :class:`pandas.DataFrame` in, Altair chart out.

Every public function here is pure: it takes data that has already been
aggregated and translated (axis labels, series names and titles arrive as
data) and returns an Altair chart object.  Nothing is displayed, nothing is
read or written, and nothing in a chart refers to the network (data is
inlined, fonts are system fonts), so the same chart renders in JupyterLab,
in Voila and through :func:`to_svg` on an offline machine.

Vega-Lite has no polar line mark, so the radar charts are drawn in plain
Cartesian coordinates: axis ``i`` of ``n`` sits at angle ``2*pi*i/n``
measured clockwise from 12 o'clock, i.e. at ``x = r*sin(angle)``,
``y = r*cos(angle)`` where ``r = value - scale_min``.  Item 0 is therefore
straight up (``x == 0``, ``y > 0``).  The x and y scales have fixed domains
with equal pixels per unit: the circle is always ``size`` pixels across and
the plotting area around it (room for the axis labels) depends only on the
item labels and ``size``, never on the values.

This module imports Altair at import time; import it only on pages that draw
charts.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

import altair as alt
import pandas as pd

__all__ = [
    "DEFAULT_PALETTE",
    "LABEL_WRAP",
    "THEME_NAME",
    "group_radars",
    "radar_chart",
    "register_theme",
    "spread_chart",
    "to_svg",
    "word_chart",
    "wrap_label",
]

#: Colour-blind-friendly line colours, each at least 3:1 against white
#: (blue 5.6, orange 4.9, purple 7.6, teal 6.6, rose 4.4, green 5.1,
#: brown 6.4, slate 6.8).  The first three (past / now / future) differ in
#: hue *and* lightness and stay distinct under red-green colour blindness;
#: point shapes differ per series as well, so colour is never the only cue.
DEFAULT_PALETTE: tuple[str, ...] = (
    "#1b6ca8",
    "#b35806",
    "#6a3d9a",
    "#00695c",
    "#d1495b",
    "#2e7d32",
    "#8c510a",
    "#4d5d6c",
)

#: Point shapes cycled per series (same order as the palette).
_SHAPES: tuple[str, ...] = (
    "circle",
    "square",
    "triangle-up",
    "diamond",
    "triangle-down",
    "cross",
    "triangle-left",
    "triangle-right",
)

#: Axis labels are wrapped onto balanced lines of at most this many characters
#: (in practice most lines come out at 16..22).
LABEL_WRAP = 24

#: Name under which :func:`register_theme` registers the theme.
THEME_NAME = "vertaiset"

# Arial first (Liberation Sans has the same metrics): the SVG renderer measures the
# labels with it, and browsers and PDF viewers then draw them at exactly that width.
# With system-ui first, a browser picked a wider font and long axis labels were cut off.
_FONT = "Arial, 'Liberation Sans', 'Helvetica Neue', Helvetica, sans-serif"
_TEXT = "#1a1a1a"
_MUTED = "#595959"  # 7:1 on white, for ring values and secondary text
_GRID = "#d0d0d0"
_SPOKE = "#c4c4c4"


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------


def wrap_label(text: Any, width: int = LABEL_WRAP) -> list[str]:
    """Wrap one label into as few, as even lines as possible.

    The label is first wrapped at `width` characters to find the smallest
    number of lines; then, among narrower widths that need no more lines, the
    one giving the most even line lengths is used, so a label becomes e.g.
    ``["Pysyvät kumppanit", "(kuten muut palvelut)"]`` rather than a long
    line and a short one.

    Parameters
    ----------
    text : Any
        The label; converted with :class:`str`.  Existing newlines are kept
        as line breaks.
    width : int, default ``LABEL_WRAP``
        Maximum number of characters per line.  Only words longer than this
        are split.

    Returns
    -------
    list of str
        The lines, never empty (an empty label gives ``[""]``), none longer
        than `width`.
    """
    width = max(1, int(width))

    def _wrap(paragraph: str, w: int) -> list[str]:
        return textwrap.wrap(
            paragraph, width=w, break_long_words=True, break_on_hyphens=True
        ) or [""]

    lines: list[str] = []
    for paragraph in str(text).splitlines() or [""]:
        best = _wrap(paragraph, width)
        longest_word = max((len(w) for w in paragraph.split()), default=0)
        start = max(1, min(width, longest_word), math.ceil(len(paragraph) / len(best)))
        fewest = len(best)

        def _cost(ls: list[str]) -> tuple[int, int]:
            lengths = [len(x) for x in ls]
            return (max(lengths) - min(lengths), max(lengths))

        for w in range(start, width):
            candidate = _wrap(paragraph, w)
            if len(candidate) <= fewest and _cost(candidate) < _cost(best):
                best = candidate
        lines.extend(best)
    return lines or [""]


def _require_columns(frame: pd.DataFrame, columns: Sequence[str], func: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{func}: frame is missing column(s) {missing!r}")


def _check_items(items: Sequence[Any], func: str, minimum: int = 1) -> list[str]:
    out = [str(i) for i in items]
    if len(out) < minimum:
        raise ValueError(f"{func}: needs at least {minimum} items, got {len(out)}")
    if len(set(out)) != len(out):
        raise ValueError(f"{func}: items must be unique")
    return out


def _ordered_unique(values: pd.Series) -> list[str]:
    """Categories if categorical, else order of first appearance (as str)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        present = set(values.dropna().astype(str))
        return [str(c) for c in values.cat.categories if str(c) in present]
    seen: dict[str, None] = {}
    for v in values.dropna():
        seen.setdefault(str(v), None)
    return list(seen)


def _series_domain(values: pd.Series, series_order: Sequence[Any] | None) -> list[str]:
    present = _ordered_unique(values)
    if series_order is None:
        return present
    order = [str(s) for s in series_order]
    return order + [s for s in present if s not in order]


def _palette_range(domain: Sequence[str], palette: Sequence[str] | None) -> list[str]:
    colours = list(palette) if palette else list(DEFAULT_PALETTE)
    if not colours:
        colours = list(DEFAULT_PALETTE)
    return [colours[i % len(colours)] for i in range(len(domain))]


def _shape_range(domain: Sequence[str]) -> list[str]:
    return [_SHAPES[i % len(_SHAPES)] for i in range(len(domain))]


def _fmt(value: float) -> str:
    return f"{value:g}"


def _title(title: str | None, font_size: int) -> dict[str, Any]:
    if not title:
        return {}
    return {
        "title": alt.Title(
            str(title), fontSize=font_size, anchor="middle", color=_TEXT, offset=12
        )
    }


# --------------------------------------------------------------------------
# radar
# --------------------------------------------------------------------------


def _radar_geometry(n: int, rmax: float, rings: Sequence[float]):
    """Axis angles plus ring and spoke frames for an ``n``-axis radar."""
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
    return angles, pd.DataFrame(ring_rows), pd.DataFrame(spoke_rows)


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
    domain: Sequence[str] | None = None,
) -> alt.LayerChart:
    """The layered radar without top-level configuration (so it can be concatenated)."""
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
    colour_scale = alt.Scale(domain=list(domain), range=_palette_range(domain, palette))
    shape_scale = alt.Scale(domain=list(domain), range=_shape_range(domain))

    # ---- the background: rings, spokes, ring values, axis labels ----------
    first_ring = math.floor(scale_min) + 1
    rings = [float(v - scale_min) for v in range(first_ring, math.floor(scale_max) + 1)]
    if not rings or rings[-1] < rmax:
        rings.append(rmax)
    angles, ring_df, spoke_df = _radar_geometry(n, rmax, rings)

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
    x_scale = alt.Scale(
        domain=[-width_px / 2 / ppu, width_px / 2 / ppu], nice=False, zero=False
    )
    y_scale = alt.Scale(
        domain=[-height_px / 2 / ppu, height_px / 2 / ppu], nice=False, zero=False
    )
    x_enc = alt.X("x:Q", scale=x_scale, axis=None, title=None)
    y_enc = alt.Y("y:Q", scale=y_scale, axis=None, title=None)

    ring_layer = (
        alt.Chart(ring_df)
        .mark_line(color=_GRID, strokeWidth=1, interpolate="linear", aria=False)
        .encode(x=x_enc, y=y_enc, detail="ring:N", order=alt.Order("order:Q"))
    )
    spoke_layer = (
        alt.Chart(spoke_df)
        .mark_rule(color=_SPOKE, strokeWidth=1, aria=False)
        .encode(x=x_enc, y=y_enc, x2="x2:Q", y2="y2:Q")
    )

    ring_value_font = max(12, round(label_font * 0.85))
    ring_values = [scale_min] + [r + scale_min for r in rings]
    value_df = pd.DataFrame(
        {
            "x": [0.0] * len(ring_values),
            "y": [float(v - scale_min) for v in ring_values],
            "text": [_fmt(v) for v in ring_values],
        }
    )
    # Ring values sit just right of the first spoke, above the series lines
    # but below the points, on a white halo (a wider white copy underneath)
    # so a line crossing them never makes them unreadable.
    value_base = alt.Chart(value_df).encode(x=x_enc, y=y_enc, text="text:N")
    value_text = dict(
        align="left", baseline="middle", dx=8, fontSize=ring_value_font, aria=False
    )
    value_halo = value_base.mark_text(
        **value_text, color="white", stroke="white", strokeWidth=3, strokeJoin="round"
    )
    value_layer = value_base.mark_text(**value_text, color=_MUTED)

    label_df = pd.DataFrame(label_rows)
    label_layers = []
    for (align, baseline), part in label_df.groupby(["align", "baseline"], sort=False):
        label_layers.append(
            alt.Chart(part.reset_index(drop=True))
            .mark_text(
                align=align,
                baseline=baseline,
                lineBreak="\n",
                aria=False,  # plain <text>: read as its content
                fontSize=label_font,
                lineHeight=line_height,
                color=_TEXT,
            )
            .encode(x=x_enc, y=y_enc, text="label:N")
        )

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
    poly_df = pd.DataFrame(
        poly_rows,
        columns=["series", "item", "axis", "value", "order", "x", "y", "closing"],
    )

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
        alt.Legend(
            **placement,
            direction="horizontal",
            title=None,
            labelFontSize=label_font,
            labelColor=_TEXT,
            symbolSize=140,
            symbolStrokeWidth=2.5,
            columnPadding=24,
            labelLimit=0,
        )
        if show_legend
        else None
    )
    colour = alt.Color("series:N", scale=colour_scale, legend=legend, title=None)
    shape = alt.Shape("series:N", scale=shape_scale, legend=legend, title=None)

    line_layer = (
        alt.Chart(poly_df)
        .mark_line(strokeWidth=3, interpolate="linear", strokeJoin="round", aria=False)
        .encode(
            x=x_enc,
            y=y_enc,
            color=colour,
            detail="series:N",
            order=alt.Order("order:Q"),
        )
    )
    point_layer = (
        alt.Chart(poly_df)
        .transform_filter("!datum.closing")
        .transform_calculate(
            description="datum.series + ' – ' + datum.item + ': '"
            " + format(datum.value, '.1f')"
        )
        .mark_point(filled=True, size=90, opacity=1, stroke="white", strokeWidth=1)
        .encode(
            x=x_enc,
            y=y_enc,
            color=colour,
            shape=shape,
            description="description:N",
            tooltip=[
                alt.Tooltip("series:N", title=" "),
                alt.Tooltip("item:N", title="  "),
                alt.Tooltip("value:Q", format=".1f", title="   "),
            ],
        )
    )

    return alt.layer(
        ring_layer,
        spoke_layer,
        *label_layers,
        line_layer,
        value_halo,
        value_layer,
        point_layer,
        width=width_px,
        height=height_px,
        **_title(title, title_font),
    )


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
) -> alt.LayerChart:
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

    Returns
    -------
    altair.LayerChart
        The chart, with the view border removed.  Nothing is displayed.

    Raises
    ------
    ValueError
        If a column is missing, fewer than 3 or duplicated items are given,
        or ``scale_max <= scale_min``.
    """
    label_font = _label_font(size)
    chart = _radar_layers(
        frame,
        items=items,
        series_order=series_order,
        scale_max=scale_max,
        scale_min=scale_min,
        size=size,
        palette=palette,
        wrap=LABEL_WRAP,
        label_font=label_font,
        show_legend=True,
        center_legend=True,
        title=title,
        title_font=label_font + 4,
    )
    return chart.configure_view(stroke=None).properties(padding=12)


def group_radars(
    frame: pd.DataFrame,
    *,
    items: Sequence[Any],
    columns: int = 3,
    group_order: Sequence[Any] | None = None,
    series_order: Sequence[Any] | None = None,
    scale_max: float = 5,
    scale_min: float = 0,
    title: str | None = None,
    size: int = 240,
    palette: Sequence[str] | None = None,
) -> alt.ConcatChart:
    """Small multiples: one radar per group, laid out in a grid.

    Parameters
    ----------
    frame : pandas.DataFrame
        Tidy data with columns ``group``, ``item``, ``series`` and ``value``
        (see :func:`radar_chart` for the last three).
    items : sequence of str
        Axis labels in drawing order, shared by all radars.
    columns : int, default 3
        Number of radars per row.
    group_order : sequence of str, optional
        Order of the radars.  Groups present but not listed are appended in
        order of appearance (category order for a categorical column).
    series_order : sequence of str, optional
        Order of the series; colours are the same in every radar and there is
        one shared legend.
    scale_max, scale_min : float, default 5 and 0
        As in :func:`radar_chart`.
    title : str, optional
        Title over the whole grid.
    size : int, default 240
        Diameter in pixels of each radar's plotting area.
    palette : sequence of str, optional
        As in :func:`radar_chart`.

    Returns
    -------
    altair.ConcatChart
        One layered radar per group, titled with the group name.

    Raises
    ------
    ValueError
        As :func:`radar_chart`, or if `columns` < 1.
    """
    _require_columns(frame, ("group", "item", "series", "value"), "group_radars")
    if columns < 1:
        raise ValueError("group_radars: columns must be at least 1")
    data = frame[frame["group"].notna() & frame["series"].notna()]
    groups = _series_domain(data["group"], group_order)
    domain = _series_domain(data["series"], series_order)
    label_font = _label_font(size)
    group_key = data["group"].astype(str)

    def _one(part: pd.DataFrame, name: str | None) -> alt.LayerChart:
        return _radar_layers(
            part,
            items=items,
            series_order=None,
            scale_max=scale_max,
            scale_min=scale_min,
            size=size,
            palette=palette,
            wrap=LABEL_WRAP - 2,
            label_font=label_font,
            show_legend=True,
            center_legend=False,
            title=name,
            title_font=label_font + 3,
            domain=domain,
        )

    charts = [_one(data[group_key == g], g) for g in groups]
    if not charts:  # keep the return type: one empty radar with no title
        charts = [_one(data.iloc[0:0], None)]
    grid = alt.concat(
        *charts, columns=columns, spacing=28, **_title(title, label_font + 6)
    )
    return grid.configure_view(stroke=None).properties(padding=12)


# --------------------------------------------------------------------------
# spread
# --------------------------------------------------------------------------


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
            labelLimit=320,
            labelLineHeight=18,
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
    range_rule = base.mark_rule(strokeWidth=2).encode(x=x, x2="max:Q")
    iqr_bar = base.mark_bar(
        height=max(8, round(lane * 0.55)), opacity=0.45, cornerRadius=2
    ).encode(x=alt.X("q1:Q", scale=x_scale), x2="q3:Q")
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


# --------------------------------------------------------------------------
# output and theme
# --------------------------------------------------------------------------


def _vl_version() -> str | None:
    """The Vega-Lite version Altair targets, if vl-convert bundles it."""
    import vl_convert as vlc

    major_minor = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    try:
        available = vlc.get_vegalite_versions()
    except Exception:  # pragma: no cover - very old vl-convert
        return None
    return major_minor if major_minor in available else None


def word_chart(frame: pd.DataFrame, *, title: str | None = None, width: int = 480) -> alt.Chart:
    """Horizontal bars of the most common words.

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns ``word`` and ``count``, most common first (the order is kept).
    title : str, optional
        Chart title, already translated.
    width : int
        Width of the bars' area in pixels.
    """
    _require_columns(frame, ["word", "count"], "word_chart")
    order = list(frame["word"])
    bars = (
        alt.Chart(frame)
        .mark_bar(color=DEFAULT_PALETTE[0], cornerRadiusEnd=3)
        .encode(
            y=alt.Y("word:N", sort=order, title=None, axis=alt.Axis(labelFontSize=15, labelColor=_TEXT, labelLimit=260, ticks=False, domain=False)),
            x=alt.X("count:Q", title=None, axis=alt.Axis(format="d", tickMinStep=1, labelFontSize=13, labelColor=_TEXT, grid=True, gridColor="#e3e3e3")),
            tooltip=[alt.Tooltip("word:N", title=" "), alt.Tooltip("count:Q", title="n")],
        )
    )
    labels = bars.mark_text(align="left", dx=4, fontSize=14, color=_TEXT).encode(text="count:Q")
    return alt.layer(bars, labels, width=width, height=alt.Step(26), **_title(title, 18)).configure_view(stroke=None).properties(
        padding={"left": 56, "top": 12, "right": 24, "bottom": 12}
    )


def to_svg(chart: alt.TopLevelMixin) -> str:
    """Render a chart to an SVG string, offline.

    Parameters
    ----------
    chart : altair.TopLevelMixin
        Any top-level Altair chart (e.g. from :func:`radar_chart`).

    Returns
    -------
    str
        A standalone SVG document beginning with ``<svg``.  Text is
        XML-escaped.  External data URLs are refused, so rendering never
        touches the network.
    """
    import vl_convert as vlc

    from .text import clean_tree

    # Our builders are covered by tests that validate their specs (to_dict() does); skipping
    # the JSON-schema validation here saves a quarter of a second per chart on a live page.
    # vl-convert parses text as XML to measure it and panics on a character XML forbids,
    # which aborts the kernel (no exception to catch): every string of the spec, the data's
    # labels included, is cleaned here, so that no stored row can take a page down.
    return vlc.vegalite_to_svg(
        clean_tree(chart.to_dict(validate=False)),
        vl_version=_vl_version(),
        allowed_base_urls=[],
    )


def _theme() -> dict[str, Any]:
    return {
        "config": {
            "font": _FONT,
            "background": "white",
            "padding": 12,
            "view": {"stroke": None, "continuousWidth": 420, "continuousHeight": 300},
            "title": {
                "font": _FONT,
                "fontSize": 18,
                "fontWeight": 600,
                "color": _TEXT,
                "subtitleFontSize": 14,
                "subtitleColor": _TEXT,
                "anchor": "start",
            },
            "axis": {
                "labelFont": _FONT,
                "titleFont": _FONT,
                "labelFontSize": 14,
                "titleFontSize": 14,
                "labelColor": _TEXT,
                "titleColor": _TEXT,
                "domainColor": "#9a9a9a",
                "tickColor": "#9a9a9a",
                "gridColor": "#e3e3e3",
            },
            "legend": {
                "labelFont": _FONT,
                "titleFont": _FONT,
                "labelFontSize": 14,
                "titleFontSize": 14,
                "labelColor": _TEXT,
                "titleColor": _TEXT,
                "labelLimit": 0,
            },
            "header": {
                "labelFont": _FONT,
                "titleFont": _FONT,
                "labelFontSize": 15,
                "titleFontSize": 15,
                "labelColor": _TEXT,
                "titleColor": _TEXT,
            },
            "text": {"font": _FONT, "fontSize": 14, "color": _TEXT},
            "range": {"category": list(DEFAULT_PALETTE)},
        }
    }


def register_theme(*, enable: bool = True) -> str:
    """Register the ``"vertaiset"`` Altair theme and (by default) enable it.

    The theme uses the system sans-serif font stack, dark text (#1a1a1a),
    font sizes of at least 14 px for labels (legible on a projector), no
    border around the view and the module's colour-blind-friendly palette.
    It loads nothing from the network.  Calling this again is harmless.

    Parameters
    ----------
    enable : bool, default True
        Also make it the active theme.

    Returns
    -------
    str
        The theme name, ``THEME_NAME``.
    """
    alt.theme.register(THEME_NAME, enable=enable)(_theme)
    return THEME_NAME

"""The kit every chart builder shares: colours, point shapes, fonts, label wrapping, frame checks, titles.

A chart builder is pure: it takes a tidy :class:`pandas.DataFrame` that has already been
aggregated and translated (axis labels, series names and titles arrive as data) and returns
an Altair chart object. Nothing is displayed, nothing is read or written, and nothing in a
chart refers to the network (data is inlined, fonts are system fonts), so the same chart
renders in JupyterLab, in Voila and through :func:`chart_render.to_svg` on an offline machine.

The builders live in :mod:`charts` (the radar), :mod:`kind_charts` (the ones several kinds
use) and each kind's own ``charts.py``; :mod:`chart_render` holds the theme and the rendering.

This module imports pandas and Altair at import time; import it only on pages that draw
charts.
"""

from __future__ import annotations

import hashlib
import json
import math
import textwrap
from collections.abc import Sequence
from typing import Any

import altair as alt
import pandas as pd

__all__ = ["DEFAULT_PALETTE", "LABEL_WRAP", "Spec", "wrap_label"]

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

# Arial first (Liberation Sans has the same metrics): the SVG renderer measures the
# labels with it, and browsers and PDF viewers then draw them at exactly that width.
# With system-ui first, a browser picked a wider font and long axis labels were cut off.
_FONT = "Arial, 'Liberation Sans', 'Helvetica Neue', Helvetica, sans-serif"
_TEXT = "#1a1a1a"
_MUTED = "#595959"  # 7:1 on white, for ring values and secondary text


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


def _title(title: str | None, font_size: int) -> dict[str, Any]:
    if not title:
        return {}
    return {
        "title": alt.Title(
            str(title), fontSize=font_size, anchor="middle", color=_TEXT, offset=12
        )
    }


def _title_spec(title: str | None, font_size: int) -> dict[str, Any]:
    """:func:`_title` as Vega-Lite data, for a :class:`Spec`."""
    if not title:
        return {}
    return {"title": {"text": str(title), "fontSize": font_size, "anchor": "middle", "color": _TEXT, "offset": 12}}


def named_data(rows: list[dict[str, Any]], datasets: dict[str, list[dict[str, Any]]]) -> dict[str, str]:
    """A layer's ``data``: ``rows`` kept in ``datasets`` under the name Altair gives the same rows."""
    text = json.dumps(rows, sort_keys=True, default=str)
    name = "empty" if rows == [{}] else "data-" + hashlib.sha256(text.encode()).hexdigest()[:32]
    datasets[name] = rows
    return {"name": name}


def _merged(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        out[key] = _merged(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


class Spec:
    """A chart written as Vega-Lite data, not Altair objects: for builders of many layers.

    Altair copies every layer whenever a chart is layered, concatenated, configured or turned
    into a dict, and turns each layer's DataFrame into rows on the way: a radar's fifteen layers
    took 0.15 s, a grid of radars most of a second. A :class:`Spec` is built as dicts once.
    :meth:`to_dict` gives what Altair's ``to_dict`` gives for the same chart: the active theme
    under the spec, ``$schema``, and the rows in ``datasets`` (:func:`named_data`), so
    :func:`chart_render.to_svg`, the chart cache and the report's data tables take either.
    """

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec

    def to_dict(self, validate: bool = False) -> dict[str, Any]:  # noqa: ARG002 - Altair's signature
        """A fresh copy of the spec with the theme and ``$schema``, as Altair's ``to_dict`` gives it."""
        theme = alt.theme.get()
        spec = json.loads(json.dumps(self.spec))
        spec.setdefault("$schema", alt.SCHEMA_URL)
        return _merged(theme() if theme else {}, spec)

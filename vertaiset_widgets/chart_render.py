"""The Altair theme and the rendering of a chart to SVG with vl-convert, offline.

This module imports Altair at import time; import it only on pages that draw charts.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
from typing import Any, Iterator

import altair as alt

from .chart_base import DEFAULT_PALETTE, _FONT, _TEXT

__all__ = ["PRESENTER_TEXT_SCALE", "THEME_NAME", "presenting", "register_theme", "report_charts", "show_svg", "to_svg", "warm_up"]

#: Name under which :func:`register_theme` registers the theme.
THEME_NAME = "vertaiset"


#: How much larger a chart's text is on the room's projector: read from across the room, and the
#: image is scaled down to fit the screen (at 1280×720 its labels stay at 24 px or more).
PRESENTER_TEXT_SCALE = 2.0

_text_scale: contextvars.ContextVar[float] = contextvars.ContextVar("vertaiset_chart_text_scale", default=1.0)

#: The spec's keys that size text; each is scaled by :func:`presenting`.
_FONT_KEYS = frozenset({"fontSize", "labelFontSize", "titleFontSize", "subtitleFontSize", "size"})


@contextlib.contextmanager
def presenting(scale: float | None = None) -> Iterator[None]:
    """Within the block, :func:`to_svg` draws every text ``scale`` times larger (the projector's
    charts; by default :data:`PRESENTER_TEXT_SCALE`)."""
    token = _text_scale.set(PRESENTER_TEXT_SCALE if scale is None else scale)
    try:
        yield
    finally:
        _text_scale.reset(token)


def _scale_text(node: Any, scale: float, parent: str = "") -> Any:
    """The spec with every font size multiplied by ``scale`` (``size`` only where it is a text mark's)."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key in _FONT_KEYS and isinstance(value, (int, float)) and not isinstance(value, bool):
                if key != "size" or parent == "text":
                    value = round(value * scale, 1)
            out[key] = _scale_text(value, scale, key)
        return out
    if isinstance(node, list):
        return [_scale_text(v, scale, parent) for v in node]
    return node


#: Whether :func:`to_svg` puts the chart's data into the SVG (a report's kernel: see :func:`report_charts`).
_DATA_IN_SVG = {"on": False}


def report_charts(on: bool = True) -> None:
    """From now on this kernel's charts carry their data for the report's text alternatives and
    data tables (:mod:`chart_tables`), and are kept on disk for the session's next report
    (:mod:`chart_cache`); live pages leave both out."""
    from .chart_cache import disk_cache

    _DATA_IN_SVG["on"] = bool(on)
    disk_cache(bool(on))


@functools.lru_cache(maxsize=1)
def _versions() -> tuple[str, ...]:
    """What draws the picture besides its spec (a newer vl-convert may draw it otherwise)."""
    import vl_convert as vlc

    return (getattr(vlc, "__version__", ""), _vl_version() or "")


@functools.lru_cache(maxsize=1)
def _vl_version() -> str | None:
    """The Vega-Lite version Altair targets, if vl-convert bundles it."""
    import vl_convert as vlc

    major_minor = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    try:
        available = vlc.get_vegalite_versions()
    except Exception:  # pragma: no cover - very old vl-convert
        return None
    return major_minor if major_minor in available else None


def show_svg(svg: str, alt: str) -> None:
    """Display a chart's SVG (from :func:`to_svg`) as cell output, with its text alternative.

    IPython's ``SVG`` would parse each picture with minidom only to write it out again; a
    report's forty charts spent a quarter of a second on that."""
    from IPython.display import display

    display({"image/svg+xml": svg}, raw=True, metadata={"image/svg+xml": {"alt": alt}})


def warm_up(unless_kept: bool = False) -> None:
    """Start vl-convert's engine now: its first picture takes about 0.4 s, each later one tens of
    milliseconds. A report's kernel calls this while it waits for its notebook (report_kernels),
    ``unless_kept`` pictures are on disk already: the session's next report draws few or none."""
    if unless_kept:
        from .chart_cache import kept_any

        if kept_any():
            return
    import vl_convert as vlc

    spec = {"data": {"values": [{"x": 0}]}, "mark": "point", "encoding": {"x": {"field": "x", "type": "quantitative"}}}
    try:
        vlc.vegalite_to_svg(spec, vl_version=_vl_version(), allowed_base_urls=[])
    except Exception as exc:  # pragma: no cover - the first real chart says what is wrong
        import logging

        logging.getLogger("vertaiset").info("vl-convert did not warm up: %s", exc)


def to_svg(chart: alt.TopLevelMixin) -> str:
    """Render a chart to an SVG string, offline.

    Parameters
    ----------
    chart : altair.TopLevelMixin
        Any top-level Altair chart (e.g. from :func:`charts.radar_chart`).

    Returns
    -------
    str
        A standalone SVG document beginning with ``<svg``.  Text is
        XML-escaped.  The data the chart shows is in its ``<metadata>`` (see
        :mod:`chart_tables`).  External data URLs are refused, so rendering never
        touches the network.
    """
    import vl_convert as vlc

    from .chart_cache import cached_svg
    from .chart_tables import embed_data
    from .text import clean_tree

    # Our builders are covered by tests that validate their specs (to_dict() does); skipping
    # the JSON-schema validation here saves a quarter of a second per chart on a live page.
    # vl-convert parses text as XML to measure it and panics on a character XML forbids,
    # which aborts the kernel (no exception to catch): every string of the spec, the data's
    # labels included, is cleaned here, so that no stored row can take a page down.
    spec = clean_tree(chart.to_dict(validate=False))
    scale = _text_scale.get()
    if scale != 1.0:
        spec = _scale_text(spec, scale)
    # drawn once per spec (its data included): see chart_cache
    svg = cached_svg(spec, (scale, *_versions()),
                     lambda: vlc.vegalite_to_svg(spec, vl_version=_vl_version(), allowed_base_urls=[]))
    # in a report, the chart's own data rides along, for its text alternative and data table
    return embed_data(svg, spec) if _DATA_IN_SVG["on"] else svg


def _labels(size: int) -> dict[str, Any]:
    """Font, size and colour of the labels and titles of axes, legends and headers."""
    return {
        "labelFont": _FONT,
        "titleFont": _FONT,
        "labelFontSize": size,
        "titleFontSize": size,
        "labelColor": _TEXT,
        "titleColor": _TEXT,
    }


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
            "axis": {**_labels(14), "domainColor": "#9a9a9a", "tickColor": "#9a9a9a", "gridColor": "#e3e3e3"},
            "legend": {**_labels(14), "labelLimit": 0},
            "header": _labels(15),
            "text": {"font": _FONT, "fontSize": 14, "color": _TEXT},
            "range": {"category": list(DEFAULT_PALETTE)},
        }
    }


def register_theme(*, enable: bool = True) -> str:
    """Register the ``"vertaiset"`` Altair theme and (by default) enable it.

    The theme uses the system sans-serif font stack, dark text (#1a1a1a),
    font sizes of at least 14 px for labels (legible on a projector), no
    border around the view and the colour-blind-friendly
    :data:`chart_base.DEFAULT_PALETTE`.
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

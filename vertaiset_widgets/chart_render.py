"""The Altair theme and the rendering of a chart to SVG with vl-convert, offline.

This module imports Altair at import time; import it only on pages that draw charts.
"""

from __future__ import annotations

from typing import Any

import altair as alt

from .chart_base import DEFAULT_PALETTE, _FONT, _TEXT

__all__ = ["THEME_NAME", "register_theme", "to_svg"]

#: Name under which :func:`register_theme` registers the theme.
THEME_NAME = "vertaiset"


def _vl_version() -> str | None:
    """The Vega-Lite version Altair targets, if vl-convert bundles it."""
    import vl_convert as vlc

    major_minor = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    try:
        available = vlc.get_vegalite_versions()
    except Exception:  # pragma: no cover - very old vl-convert
        return None
    return major_minor if major_minor in available else None


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

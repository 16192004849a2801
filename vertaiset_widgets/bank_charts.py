"""The practice bank's charts: a practice's 360 profile as a radar, and two or three practices'
radars side by side. Drawn with the 360's own radar (:func:`kinds.rating_matrix.radar.radar_chart`),
rendered offline to SVG by :func:`chart_render.to_svg`. Not for the phone's page (altair)."""
from __future__ import annotations

from typing import Any, Sequence

import pandas as pd

from .bank_views import esc, maturity_label
from .chart_base import DEFAULT_PALETTE
from .chart_render import to_svg
from .html_blocks import svg_img
from .kinds.rating_matrix.radar import radar_chart

__all__ = ["compare_html", "radar_html"]


def _values_text(profile: dict, dims: Sequence[tuple[str, str]]) -> str:
    return "; ".join(f"{label} {float(profile[d]):.1f}" for d, label in dims if d in profile)


def radar_html(tr: Any, practice: Any, dims: Sequence[tuple[str, str]], *, size: int = 300,
               colour: str = DEFAULT_PALETTE[0], caption: bool = False) -> str:
    """The practice's profile as a radar image with a text alternative (its values); a note
    when it has none."""
    profile = practice.fields.get("profile") or {}
    if not profile or not dims:
        return f"<p class='vt-muted'>{esc(tr('bk_no_profile'))}</p>"
    labels = [label for _d, label in dims]
    frame = pd.DataFrame([{"item": label, "series": practice.name, "value": float(profile[d])}
                          for d, label in dims if d in profile])
    chart = radar_chart(frame, items=labels, series_order=[practice.name], scale_min=0, scale_max=5,
                        size=size, palette=[colour], legend=False)
    alt = tr("bk_radar_alt", name=practice.name, values=_values_text(profile, dims))
    image = svg_img(to_svg(chart), alt, css="vt-chart vt-bk-radar")
    if not caption:
        return image
    return (f"<figure data-vt-practice='{esc(practice.uid, quote=True)}'><figcaption><strong>{esc(practice.name)}</strong>"
            f" · {esc(maturity_label(tr, practice.maturity))}</figcaption>{image}</figure>")


def compare_html(tr: Any, practices: Sequence[Any], dims: Sequence[tuple[str, str]], *, size: int = 240) -> str:
    """Two or three practices' radars side by side, each in its own colour with its name."""
    figures = [radar_html(tr, p, dims, size=size, colour=DEFAULT_PALETTE[n % len(DEFAULT_PALETTE)], caption=True)
               for n, p in enumerate(practices)]
    return (f"<section class='vt-bk-compare' aria-label='{esc(tr('bk_compare_title'), quote=True)}'>"
            f"{''.join(figures)}</section>")

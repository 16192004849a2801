"""A grid of small radars, one per group (:func:`group_radars`), drawn with the layers of
:func:`.radar.radar_chart` so every group's colours and shapes match the room's radar.

Pure like every builder (:mod:`chart_base`); written as Vega-Lite data, as the radar is.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from ...chart_base import LABEL_WRAP, Spec, _require_columns, _series_domain, _title_spec
from .radar import _label_font, _radar_layers

__all__ = ["group_radars"]


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
) -> Spec:
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
    Spec
        One layered radar per group, titled with the group name, concatenated.

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
    datasets: dict[str, list[dict[str, Any]]] = {}

    def _one(part: pd.DataFrame, name: str | None) -> dict[str, Any]:
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
            datasets=datasets,
        )

    charts = [_one(data[group_key == g], g) for g in groups]
    if not charts:  # keep the return type: one empty radar with no title
        charts = [_one(data.iloc[0:0], None)]
    return Spec({"concat": charts, "columns": columns, "spacing": 28, **_title_spec(title, label_font + 6),
                 "config": {"view": {"stroke": None}}, "padding": 12, "datasets": datasets})

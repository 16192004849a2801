"""The rating matrix's own chart: the room's means as a heatmap (knowing – trust – commitment).

Pure: aggregated, translated frames in, an Altair chart out; labels stay legible on a
projector (at least 14 px). The radar (:mod:`.radar`) and the spread (:mod:`kind_charts`) are
shared builders.
"""
from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from ...chart_base import _TEXT, _require_columns, _title, wrap_label

__all__ = ["heatmap_chart"]


def heatmap_chart(
    frame: pd.DataFrame,
    *,
    columns: Sequence[str],
    scale_min: float,
    scale_max: float,
    title: str | None = None,
    cell_width: int = 230,
    cell_height: int = 118,
    text_size: int = 14,
    presenting: bool = False,
) -> alt.LayerChart:
    """A table of means coloured by value: ``column`` (heading), ``row`` (1..), ``label`` and ``mean``.

    ``presenting``: the projector's layout, wide and low to fit under the title: each cell's label
    on the left (at most two lines of ``text_size``, cut with "…"), its value on the right, and no
    colour legend (every cell prints its value).
    """
    _require_columns(frame, ["column", "row", "label", "mean"], "heatmap_chart")
    data = frame.assign(
        lines=frame["label"].map(lambda s: _fit(s, cell_width, text_size) if presenting else wrap_label(s, 24)),
        value=frame["mean"].map(lambda v: "–" if pd.isna(v) else f"{v:.1f}"),
    )
    head = max(17, text_size)
    x = alt.X("column:N", sort=list(columns), title=None, axis=alt.Axis(orient="top", labelFontSize=head, labelFontWeight=700, labelColor=_TEXT, ticks=False, domain=False, labelAngle=0, labelLimit=0))
    y = alt.Y("row:O", title=None, axis=None)
    cells = alt.Chart(data).mark_rect(stroke="white", strokeWidth=3).encode(
        x=x, y=y,
        # the darkest fill keeps dark text at 6:1 or more, so every cell's words stay readable
        color=alt.Color("mean:Q", scale=alt.Scale(domain=[scale_min, scale_max], range=["#f4f8fb", "#6fa8d6"]), legend=alt.Legend(title=None, orient="bottom", gradientLength=300, labelFontSize=14)),
        tooltip=[alt.Tooltip("column:N", title=" "), alt.Tooltip("label:N", title=" "), alt.Tooltip("mean:Q", format=".2f")],
    )
    if presenting:
        line_height = round(text_size * 1.15)
        # a two-line label starts half a line higher, so both sit centred in the cell
        two = data["lines"].map(len) > 1
        labels = [
            alt.Chart(part).mark_text(fontSize=text_size, align="left", baseline="middle", dx=-(cell_width / 2) + 12,
                                      dy=-line_height / 2 if shift else 0, lineHeight=line_height)
            .encode(x=x, y=y, text=alt.Text("lines:N"), color=alt.ColorValue(_TEXT))
            for part, shift in ((data[~two], False), (data[two], True)) if not part.empty
        ]
        value = alt.Chart(data).mark_text(fontSize=round(text_size * 1.2), fontWeight=700, align="right", baseline="middle",
                                          dx=cell_width / 2 - 12).encode(x=x, y=y, text=alt.Text("value:N"), color=alt.ColorValue(_TEXT))
        cells = cells.encode(color=alt.Color("mean:Q", scale=alt.Scale(domain=[scale_min, scale_max], range=["#f4f8fb", "#6fa8d6"]), legend=None))
        return alt.layer(cells, *labels, value, width=alt.Step(cell_width), height=alt.Step(cell_height), **_title(title, 18)).configure_view(stroke=None)
    label = alt.Chart(data).mark_text(fontSize=text_size, baseline="top", dy=-(cell_height / 2) + 8, lineHeight=17).encode(
        x=x, y=y, text=alt.Text("lines:N"), color=alt.ColorValue(_TEXT)
    )
    value = alt.Chart(data).mark_text(fontSize=24, fontWeight=700, baseline="bottom", dy=cell_height / 2 - 8).encode(
        x=x, y=y, text=alt.Text("value:N"), color=alt.ColorValue(_TEXT)
    )
    return alt.layer(cells, label, value, width=alt.Step(cell_width), height=alt.Step(cell_height), **_title(title, 18)).configure_view(stroke=None)


def _fit(label: str, cell_width: int, size: int) -> list[str]:
    """A label in at most two lines that fit beside the value in a cell (about 0.55 em a
    character), the second cut with "…" when it runs over."""
    chars = max(6, int((cell_width - 24 - 2.6 * size) / (0.55 * size)))
    lines = wrap_label(label, chars)
    if len(lines) > 2:
        lines = [lines[0], lines[1][: chars - 1].rstrip() + "…"]
    return [line if len(line) <= chars else line[: chars - 1].rstrip() + "…" for line in lines]

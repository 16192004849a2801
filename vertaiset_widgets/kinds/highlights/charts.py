"""The wall's chart: its most common words (pure: a frame in, an Altair chart out)."""
from __future__ import annotations

import altair as alt
import pandas as pd

from ...chart_base import DEFAULT_PALETTE, _TEXT, _require_columns, _title

__all__ = ["word_chart"]


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
    labels = bars.mark_text(align="left", dx=4, fontSize=14, color=_TEXT).encode(text=alt.Text("count:Q"))
    return alt.layer(bars, labels, width=width, height=alt.Step(26), **_title(title, 18)).configure_view(stroke=None).properties(
        padding={"left": 56, "top": 12, "right": 24, "bottom": 12}
    )

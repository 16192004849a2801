"""The multi-temporality matrix (*moniaikaisuus*): decisions down, the clocks across, each cell
the number who placed the decision there; beside it the same decisions across the times of
impact, the most common one outlined. Pure: frames in, a chart out; every label arrives translated."""
from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from ...chart_base import _TEXT, _check_items, _require_columns, _title, wrap_label
from ...kind_charts import _px

__all__ = ["time_matrix"]

#: white to a blue that keeps dark text at 4.5:1 or more
_RANGE = ["#f4f8fb", "#5b9bd0"]


def _wrapped(labels: Sequence[str], width: int) -> dict[str, str]:
    return {label: "\n".join(wrap_label(label, width)) for label in labels}


def _matrix(data: pd.DataFrame, columns: Sequence[str], rows: list[str], top: int, *, head: str, show_rows: bool,
            cell: int, height: int, lines: int, wrap: int = 11) -> alt.LayerChart:
    """One matrix; ``lines``: the extra lines of the longest column label of both (the headings then line up);
    ``wrap``: the column labels' line length."""
    cols = _wrapped(columns, wrap)
    data = data.assign(col=data["column"].map(cols), text=data["count"].map(lambda n: str(int(n)) if n else ""))
    x = alt.X("col:N", sort=[cols[c] for c in columns], title=head,
              axis=alt.Axis(orient="top", labelExpr="split(datum.label, '\\n')", labelAngle=0, labelFontSize=13, labelColor=_TEXT,
                            # a label's later lines run downwards: lift its first line above the cells
                            labelLineHeight=_px(16), labelPadding=_px(4 + 16 * lines),
                            labelLimit=0, ticks=False, domain=False, titleFontSize=15, titlePadding=10))
    y = alt.Y("row:N", sort=rows, title=None,
              axis=alt.Axis(labelExpr="split(datum.label, '\\n')", labelFontSize=15, labelColor=_TEXT, labelLimit=_px(300),
                            ticks=False, domain=False, labelPadding=8) if show_rows else None)
    cells = alt.Chart(data).mark_rect(stroke="white", strokeWidth=2).encode(
        x=x, y=y, color=alt.Color("count:Q", scale=alt.Scale(domain=[0, max(1, top)], range=_RANGE), legend=None),
        tooltip=[alt.Tooltip("row:N", title=" "), alt.Tooltip("column:N", title=" "), alt.Tooltip("count:Q", title="n")],
    )
    mode = alt.Chart(data[data["mode"]]).mark_rect(fillOpacity=0, stroke=_TEXT, strokeWidth=3).encode(x=x, y=y)
    text = alt.Chart(data).mark_text(fontSize=16, fontWeight=700, color=_TEXT).encode(x=x, y=y, text=alt.Text("text:N"))
    return alt.layer(cells, mode, text, width=alt.Step(_px(cell)), height=alt.Step(_px(height)))


def time_matrix(
    clocks: pd.DataFrame,
    impacts: pd.DataFrame,
    *,
    decisions: Sequence[str],
    clock_labels: Sequence[str],
    impact_labels: Sequence[str],
    clock_title: str,
    impact_title: str,
    title: str | None = None,
) -> alt.HConcatChart:
    """The two matrices side by side.

    Parameters
    ----------
    clocks, impacts : DataFrame
        One row per decision and column: ``row`` (a label in ``decisions``), ``column`` (a label
        in ``clock_labels`` or ``impact_labels``), ``count`` and ``mode`` (True for the most
        common column of the row: outlined).
    decisions : sequence of str
        The rows, top first (unique).
    """
    for frame, name in ((clocks, "clocks"), (impacts, "impacts")):
        _require_columns(frame, ["row", "column", "count", "mode"], f"time_matrix {name}")
    rows_in = _check_items(decisions, "time_matrix")
    rows = _wrapped(rows_in, 28)
    order = [rows[r] for r in rows_in]
    top = int(max([1, *clocks["count"], *impacts["count"]]))
    height = 22 + 18 * max(len(v.split("\n")) for v in order)
    # column labels wrap at spaces: a word longer than 11 characters ("Konkurrentens", sv) widens the
    # lines and the cells instead of being cut mid-word ("Konkurrente|ns tid")
    wrap = max(11, *(len(w) for label in (*clock_labels, *impact_labels) for w in str(label).split()))
    lines = max(v.count("\n") for v in _wrapped([*clock_labels, *impact_labels], wrap).values())
    left = _matrix(clocks.assign(row=clocks["row"].map(rows)), clock_labels, order, top, head=clock_title, show_rows=True,
                   cell=max(78, 7 * wrap), height=height, lines=lines, wrap=wrap)
    right = _matrix(impacts.assign(row=impacts["row"].map(rows)), impact_labels, order, top, head=impact_title,
                    show_rows=False, cell=max(84, 7 * wrap), height=height, lines=lines, wrap=wrap)
    return alt.hconcat(left, right, spacing=_px(24), **_title(title, 18)).configure_view(stroke=None).properties(
        padding={"left": 16, "top": 12, "right": 16, "bottom": 12}
    )

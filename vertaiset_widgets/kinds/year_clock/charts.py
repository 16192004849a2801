"""The year wheel (*vuosikello*): 12 months around a circle, one concentric ring per theme or
organisation, each event an arc at its date(s), today marked. Pure: frames in, a chart out;
every label arrives translated."""
from __future__ import annotations

import math
from collections.abc import Sequence

import altair as alt
import pandas as pd

from ...chart_base import _FONT, _MUTED, _TEXT, _palette_range, _require_columns

__all__ = ["year_wheel"]

TAU = 2 * math.pi
#: the narrowest an event is drawn (a one-day meeting must still show): about three days
MIN_SPAN = TAU * 3 / 365


def _arcs(rows: list[dict], **mark: object) -> alt.Chart:
    frame = pd.DataFrame(rows, columns=["t0", "t1", "r0", "r1"])
    return alt.Chart(frame).mark_arc(**mark).encode(
        theta=alt.Theta("t0:Q", scale=None), theta2=alt.Theta2("t1"), radius=alt.Radius("r0:Q", scale=None), radius2=alt.Radius2("r1"),
    )


def _texts(rows: list[dict], **mark: object) -> alt.Chart:
    frame = pd.DataFrame(rows, columns=["t", "r", "text"])
    return alt.Chart(frame).mark_text(font=_FONT, **mark).encode(
        theta=alt.Theta("t:Q", scale=None), radius=alt.Radius("r:Q", scale=None), text=alt.Text("text:N"),
    )


def year_wheel(
    events: pd.DataFrame,
    *,
    months: Sequence[str],
    rings: Sequence[str],
    types: Sequence[str],
    year_label: str,
    today: float | None = None,
    today_label: str = "",
    type_title: str = "",
    size: int = 560,
    text_size: int = 13,
) -> alt.LayerChart:
    """The year wheel.

    Parameters
    ----------
    events : DataFrame
        One row per event: ``start`` and ``end`` (fractions of the year, 0 at 1 January, ``end``
        after the last day), ``ring`` (its index in ``rings``, innermost 0), ``type`` (a label
        in ``types``) and ``title``.
    months : sequence of str
        The twelve month labels, January first.
    rings : sequence of str
        The rings' labels, innermost first (drawn in the middle of each ring, at the top).
    types : sequence of str
        The event types' labels, in the legend's order (the colours follow it).
    year_label : str
        Shown in the centre.
    today : float, optional
        Today as a fraction of the year, drawn as a red spoke; None when the wheel shows another year.
    today_label : str
        Today's words (e.g. "Tänään 26.11."), shown in the centre under the year.
    """
    _require_columns(events, ["start", "end", "ring", "type", "title"], "year_wheel")
    if len(months) != 12:
        raise ValueError(f"year_wheel needs 12 month labels, got {len(months)}")
    if not rings:
        raise ValueError("year_wheel needs at least one ring")
    outer = size / 2 - 3 * text_size
    hole = outer * 0.3
    width = (outer - hole) / len(rings)
    band = [(hole + i * width, hole + (i + 1) * width) for i in range(len(rings))]

    layers: list[alt.Chart] = [
        _arcs([{"t0": 0, "t1": TAU, "r0": a + 1, "r1": b - 1} for a, b in band[0::2]], color="#eef1f4", aria=False),
        _arcs([{"t0": 0, "t1": TAU, "r0": a + 1, "r1": b - 1} for a, b in band[1::2]], color="#e1e6eb", aria=False),
        _arcs([{"t0": m * TAU / 12 - 0.004, "t1": m * TAU / 12 + 0.004, "r0": hole, "r1": outer + 4} for m in range(12)],
              color="#ffffff", aria=False),
    ]
    rows = []
    for e in events.itertuples():
        start = min(max(float(e.start), 0.0), 1.0) * TAU
        end = min(max(float(e.end), 0.0), 1.0) * TAU
        if end <= 0 or start >= TAU:
            continue  # another year's event: in the table, not on this wheel
        if end - start < MIN_SPAN:
            mid = (start + end) / 2
            start, end = max(0.0, mid - MIN_SPAN / 2), min(TAU, mid + MIN_SPAN / 2)
        a, b = band[int(e.ring)] if 0 <= int(e.ring) < len(band) else band[-1]
        rows.append({"t0": start, "t1": end, "r0": a + 3, "r1": b - 3, "type": e.type, "title": e.title})
    marks = pd.DataFrame(rows, columns=["t0", "t1", "r0", "r1", "type", "title"])
    layers.append(
        alt.Chart(marks).mark_arc(stroke="white", strokeWidth=0.8, opacity=0.92).encode(
            theta=alt.Theta("t0:Q", scale=None), theta2=alt.Theta2("t1"), radius=alt.Radius("r0:Q", scale=None), radius2=alt.Radius2("r1"),
            color=alt.Color("type:N", title=type_title, scale=alt.Scale(domain=list(types), range=_palette_range(list(types), None)),
                            legend=alt.Legend(orient="bottom", columns=2, labelLimit=size // 2 - 2 * text_size, symbolType="square",
                                              labelFontSize=text_size - 1, titleFontSize=text_size, titleLimit=size, symbolSize=text_size * 12)),
            description=alt.Description("title:N"),
        )
    )
    month_rows = [{"t": (m + 0.5) * TAU / 12, "r": outer + 1.4 * text_size, "text": label} for m, label in enumerate(months)]
    layers.append(_texts(month_rows, fontSize=text_size, color=_TEXT, fontWeight="bold"))
    ring_rows = [{"t": 0.0, "r": (a + b) / 2, "text": label} for (a, b), label in zip(band, rings)]
    layers.append(_texts(ring_rows, fontSize=max(9, text_size - 3), color=_MUTED, align="left", dx=4, limit=outer * 0.9))
    # the year and today's date stacked in the hole: the spoke shows where today is
    layers.append(_texts([{"t": 0.0, "r": 0.0, "text": year_label}], fontSize=text_size + 5, color=_TEXT, fontWeight="bold",
                         dy=-0.45 * text_size if today_label and today is not None else 0))
    if today is not None and 0 <= today <= 1:
        t = today * TAU
        layers.append(_arcs([{"t0": t - 0.007, "t1": t + 0.007, "r0": hole * 0.92, "r1": outer + 6}], color="#b00020"))
        if today_label:
            layers.append(_texts([{"t": 0.0, "r": 0.0, "text": today_label}], fontSize=max(9, text_size - 2),
                                 color="#b00020", fontWeight="bold", dy=0.75 * text_size, limit=hole * 2.4))
    return alt.layer(*layers).properties(width=size, height=size)

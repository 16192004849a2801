"""The year wheel on the participant's phone: an inline SVG drawn in pure Python.

The console and the screen draw the wheel with Altair (:mod:`.charts`); the phone must not load
pandas or Altair, so this module draws the same wheel as a string: the twelve months around, one
concentric ring per ``activity.rings`` (innermost first), each event an arc (a date range) or a
dot (a single day) on its ring, coloured by type, and today's spoke when the wheel shows this
year. Participants' words are not in the picture (the event list under it is its text
alternative); the template's labels that are, are escaped.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from typing import Any, TYPE_CHECKING

from ...html_blocks import esc
from .events import Event

if TYPE_CHECKING:  # a phone's page reads plain copies of the templates (vertaiset_widgets.plain)
    from .model import YearClock

__all__ = ["PALETTE", "phone_wheel"]

#: The console's colours (:data:`chart_base.DEFAULT_PALETTE`, copied: chart_base imports
#: Altair), each at least 4.5:1 against white; the rose is a shade darker here (5.1:1, the
#: console's #d1495b is 4.4:1).
PALETTE: tuple[str, ...] = ("#1b6ca8", "#b35806", "#6a3d9a", "#00695c", "#c43c4f", "#2e7d32", "#8c510a", "#4d5d6c")
_UNKNOWN = "#595959"
_TEXT, _MUTED, _TODAY = "#1a1a1a", "#595959", "#b00020"
_BANDS = ("#eef1f4", "#e1e6eb")
_FONT = "Arial, 'Liberation Sans', 'Helvetica Neue', Helvetica, sans-serif"

TAU = 2 * math.pi
SIZE = 340  # the viewBox's width: one unit is one CSS pixel at the phone's largest
C = SIZE / 2
OUTER = 148.0  # the outermost ring's edge; the month labels go round outside it
HOLE = 0.33 * OUTER  # the year and today's date in the middle
MONTH_FONT, FONT = 14, 13  # at least 11 px on a phone down to 290 px wide
MIN_ARC = 10.0  # the shortest arc drawn, in pixels along its ring (a two-day event must still show)


def _f(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _xy(r: float, a: float) -> tuple[str, str]:
    """The point at radius ``r`` and angle ``a`` (0 at 12 o'clock, clockwise)."""
    return _f(C + r * math.sin(a)), _f(C - r * math.cos(a))


def _sector(r0: float, r1: float, a0: float, a1: float) -> str:
    """The path of a ring's piece between the angles ``a0`` and ``a1``."""
    a1 = min(a1, a0 + TAU - 1e-3)
    large = 1 if a1 - a0 > math.pi else 0
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = _xy(r1, a0), _xy(r1, a1), _xy(r0, a1), _xy(r0, a0)
    return (f"M{x0} {y0}A{_f(r1)} {_f(r1)} 0 {large} 1 {x1} {y1}"
            f"L{x2} {y2}A{_f(r0)} {_f(r0)} 0 {large} 0 {x3} {y3}Z")


def _width(text: str, size: float, bold: bool = False) -> float:
    """About how wide ``text`` is in Arial (no fonts are measured here)."""
    return len(text) * size * (0.6 if bold else 0.52)


def _fit(text: str, width: float, size: float) -> str:
    """``text``, cut with an ellipsis to about ``width``."""
    if _width(text, size) <= width:
        return text
    keep = max(1, int(width / (size * 0.52)) - 1)
    return text[:keep].rstrip() + "…"


def _fraction(day: date, year: int) -> float:
    first = date(year, 1, 1)
    return (day - first).days / (date(year + 1, 1, 1) - first).days


def _label(text: str, x: float, y: float, size: float, **attrs: str) -> str:
    extra = "".join(f" {k.replace('_', '-')}='{esc(v, quote=True)}'" for k, v in attrs.items())
    return f"<text x='{_f(x)}' y='{_f(y)}' font-size='{_f(size)}'{extra}>{esc(text)}</text>"


def _ids(text: str) -> str:
    """An id prefix from the activity's id (the page may show more than one wheel)."""
    return "vt-ycw-" + "".join(c if c.isalnum() else "-" for c in text)


def _free(taken: list[tuple[float, float]], need: float) -> float:
    """The angle to centre a ring's name on: 12 o'clock when nothing is drawn there, else the
    middle of the ring's longest stretch without events."""
    if not any(a0 < need / 2 + k and a1 > k - need / 2 for a0, a1 in taken for k in (0.0, TAU)):
        return 0.0
    spans = sorted(taken)
    best, at, reach = -1.0, 0.0, spans[0][1]
    for a0, a1 in spans[1:] + [(spans[0][0] + TAU, 0.0)]:
        if a0 - reach > best:
            best, at = a0 - reach, (reach + a0) / 2
        reach = max(reach, a1)
    return at % TAU


def _ring_label(text: str, r: float, taken: list[tuple[float, float]], ident: str) -> str:
    """A ring's name along its ring, upright, where it covers the fewest events, on a white halo."""
    text = _fit(text, r * TAU * 0.8, FONT)
    need = (_width(text, FONT) + 12) / r
    at = _free(taken, need)
    span = min(TAU * 0.9, max(need, math.pi / 2))
    low = math.pi / 2 < at < 3 * math.pi / 2  # the lower half: the path runs the other way to stay upright
    rr = r + (0.35 if low else -0.35) * FONT
    a0, a1 = at - span / 2, at + span / 2
    (x0, y0), (x1, y1) = _xy(rr, a1 if low else a0), _xy(rr, a0 if low else a1)
    large = 1 if span > math.pi else 0
    return (f"<path id='{ident}' d='M{x0} {y0}A{_f(rr)} {_f(rr)} 0 {large} {0 if low else 1} {x1} {y1}' fill='none'/>"
            f"<text font-size='{FONT}' fill='{_MUTED}' stroke='#fff' stroke-width='3.5' stroke-linejoin='round' "
            f"paint-order='stroke'><textPath href='#{ident}' startOffset='50%' text-anchor='middle'>{esc(text)}</textPath></text>")


def phone_wheel(events: Sequence[Event], activity: YearClock, tr: Any, *, year: int,
                today: date | None = None) -> str:
    """The year wheel as an inline ``<svg>`` for the phone.

    Parameters
    ----------
    events : sequence of Event
        The clock's events (:func:`.events.load_events`); those wholly in another year are left off.
    activity : YearClock
        Its ``types`` give the colours (in the console's order), its ``rings`` the rings.
    tr : Translator
        The page's language: month names (``yc_month_1`` …), labels and the text alternative (``yc_alt``).
    year : int
        The year the wheel shows.
    today : date, optional
        Marked with a spoke (and said in the middle) when it falls in ``year``.
    """
    rings = list(activity.rings)
    ring_index = {r.id: i for i, r in enumerate(rings)}
    type_index = {t.id: i for i, t in enumerate(activity.types)}
    width = (OUTER - HOLE) / len(rings)
    band = [(HOLE + i * width, HOLE + (i + 1) * width) for i in range(len(rings))]
    parts: list[str] = []
    # the rings' grounds, and a white line between the months
    for i, (a, b) in enumerate(band):
        parts.append(f"<circle cx='{_f(C)}' cy='{_f(C)}' r='{_f((a + b) / 2)}' fill='none' "
                     f"stroke='{_BANDS[i % 2]}' stroke-width='{_f(b - a - 1.5)}'/>")
    for m in range(12):
        (x0, y0), (x1, y1) = _xy(HOLE, m * TAU / 12), _xy(OUTER + 3, m * TAU / 12)
        parts.append(f"<line x1='{x0}' y1='{y0}' x2='{x1}' y2='{y1}' stroke='#fff' stroke-width='2'/>")
    # the months round the outside, along the circle, upright on both halves
    for m in range(12):
        a = (m + 0.5) * TAU / 12
        x, y = _xy(OUTER + 10, a)
        turn = math.degrees(a) + (180 if math.pi / 2 < a < 3 * math.pi / 2 else 0)
        parts.append(f"<text transform='translate({x} {y}) rotate({_f(turn)})' text-anchor='middle' "
                     f"dominant-baseline='central' font-size='{MONTH_FONT}' font-weight='bold' fill='{_TEXT}'>"
                     f"{esc(tr(f'yc_month_{m + 1}'))}</text>")
    # the events: arcs first, dots over them (a single day must not hide under a long range)
    arcs, dots, drawn, unknown = [], [], 0, False
    taken: list[list[tuple[float, float]]] = [[] for _ in rings]  # each ring's drawn angles
    for e in events:
        start, end = _fraction(e.start, year), _fraction(e.end, year) + 1 / 365
        if end <= 0 or start >= 1:
            continue  # another year's event: in the list, not on this wheel
        drawn += 1
        kind = type_index.get(e.type)
        unknown = unknown or kind is None
        colour = _UNKNOWN if kind is None else PALETTE[kind % len(PALETTE)]
        ring = ring_index.get(e.ring, len(rings) - 1)
        r0, r1 = band[ring]
        mid_r = (r0 + r1) / 2
        if e.end == e.start:
            a, dot = (start + 0.5 / 365) * TAU, max(3.0, min(7.0, (r1 - r0) / 2 - 3))
            x, y = _xy(mid_r, a)
            dots.append(f"<circle cx='{x}' cy='{y}' r='{_f(dot)}' fill='{colour}' stroke='#fff' stroke-width='1.5'/>")
            taken[ring].append((a - dot / mid_r, a + dot / mid_r))
            continue
        a0, a1 = max(0.0, start) * TAU, min(1.0, end) * TAU
        least = MIN_ARC / mid_r
        if a1 - a0 < least:
            mid = (a0 + a1) / 2
            a0, a1 = max(0.0, mid - least / 2), min(TAU, mid + least / 2)
        arcs.append(f"<path d='{_sector(r0 + 3, r1 - 3, a0, a1)}' fill='{colour}' stroke='#fff' stroke-width='1'/>")
        taken[ring].append((a0, a1))
    parts += arcs + dots
    labels = [_ring_label(tr.label(ring), (a + b) / 2, taken[i], f"{_ids(activity.id)}-{i}")
              for i, ((a, b), ring) in enumerate(zip(band, rings))]
    # the year in the middle, today's spoke and date when it is this year
    marked = today is not None and today.year == year
    parts.append(_label(str(year), C, C - (7 if marked else 0), 18, text_anchor="middle",
                        dominant_baseline="central", font_weight="bold", fill=_TEXT))
    if marked:
        assert today is not None
        a = (_fraction(today, year) + 0.5 / 365) * TAU
        (x0, y0), (x1, y1) = _xy(HOLE * 0.92, a), _xy(OUTER + 4, a)
        parts.append(f"<line x1='{x0}' y1='{y0}' x2='{x1}' y2='{y1}' stroke='{_TODAY}' "
                     f"stroke-width='2.5' stroke-linecap='round'/>")
        parts.append(_label(f"{tr('yc_today')} {today.day}.{today.month}.", C, C + 11, FONT,
                            text_anchor="middle", dominant_baseline="central", font_weight="bold", fill=_TODAY))
    parts += labels
    # the types' colours under the wheel, packed in rows
    keys = [(tr.label(t), PALETTE[i % len(PALETTE)]) for i, t in enumerate(activity.types)]
    if unknown:
        keys.append((tr("unknown"), _UNKNOWN))
    x, y = 6.0, SIZE + 8
    for text, colour in keys:
        text = _fit(text, SIZE - 36, FONT)
        need = 19 + _width(text, FONT) + 16
        if x > 6 and x + need - 16 > SIZE:
            x, y = 6.0, y + 22
        parts.append(f"<rect x='{_f(x)}' y='{_f(y)}' width='13' height='13' rx='2' fill='{colour}'/>")
        parts.append(_label(text, x + 19, y + 6.5, FONT, dominant_baseline="central", fill=_TEXT))
        x += need
    height = y + 22
    alt = tr("yc_alt", year=year, n=drawn, rings=", ".join(tr.label(r) for r in rings))
    return (f"<svg xmlns='http://www.w3.org/2000/svg' class='vt-phone-wheel' viewBox='0 0 {SIZE} {_f(height)}' "
            f"width='100%' role='img' aria-label='{esc(alt, quote=True)}' data-vt-wheel-events='{drawn}' "
            f"font-family=\"{_FONT}\"><title>{esc(alt)}</title>{''.join(parts)}</svg>")

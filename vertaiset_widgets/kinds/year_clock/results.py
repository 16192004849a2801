"""The year clock's results for the console, the screen and the report: the year wheel, the
events in date order, and the iCalendar download for the facilitator."""
from __future__ import annotations

import base64
from datetime import date
from typing import TYPE_CHECKING, Any

import pandas as pd

from ...calendar import feed_url
from ...chart_render import to_svg
from ...html_blocks import esc, svg_img
from ...results import _Results, _table
from ...store import ActivityState, SessionInfo
from .charts import year_wheel
from .events import Event, load_events, wheel_year
from .export import to_ics
from .model import YearClock
from .panel import when_text

if TYPE_CHECKING:
    from ...store import SessionStore

__all__ = ["YearClockResults", "month_names"]

_MONTH_KEYS = tuple(f"yc_month_{m}" for m in range(1, 13))


def month_names(tr: Any) -> list[str]:
    """The twelve month labels in the page's language, January first."""
    return [tr(k) for k in _MONTH_KEYS]


def _fraction(day: date, year: int) -> float:
    first = date(year, 1, 1)
    return (day - first).days / (date(year + 1, 1, 1) - first).days


class YearClockResults(_Results):
    """The year wheel (months around, one ring per theme, today marked) and the events by date."""

    activity: YearClock
    #: the wheel sets its own text sizes on the projector
    PRESENTER_TEXT_SCALE = 1.0

    def _more(self, store: SessionStore, session: SessionInfo, state: ActivityState) -> None:
        self.session = session
        self.store = store
        self.events: list[Event] = load_events(store, session.id, self.activity, round=state.round)
        self.year = wheel_year(self.activity, getattr(session, "held_on", None))
        self.today = date.today()
        self.extra["events"] = [e.id for e in self.events]
        self.extra["today"] = self.today.isoformat()

    def _has_content(self) -> bool:
        return bool(self.events)

    def summary(self) -> str | None:
        """How many events are on the clock, and how many marked them."""
        return self.tr("yc_counts", events=len(self.events), n=self.respondents) if self.events else None

    def counts_html(self) -> str:
        return (
            f"<p class='vt-stat' data-vt-respondents='{self.respondents}' data-vt-events='{len(self.events)}'>"
            f"{esc(self.tr('yc_counts', events=len(self.events), n=self.respondents))}</p>"
        )

    def frame_for_wheel(self) -> pd.DataFrame:
        """One row per event: start and end as fractions of the wheel's year, ring index, type label, title."""
        rings = {r.id: i for i, r in enumerate(self.activity.rings)}
        types = {t.id: self.tr.label(t) for t in self.activity.types}
        rows = [
            {"start": _fraction(e.start, self.year), "end": _fraction(e.end, self.year) + 1 / 365,
             "ring": rings.get(e.ring, len(rings) - 1), "type": types.get(e.type, self.tr("unknown")), "title": e.title}
            for e in self.events
        ]
        return pd.DataFrame(rows, columns=["start", "end", "ring", "type", "title"])

    def wheel_html(self, *, presenting: bool = False) -> str:
        types = [self.tr.label(t) for t in self.activity.types]
        frame = self.frame_for_wheel()
        if (frame["type"] == self.tr("unknown")).any():
            types.append(self.tr("unknown"))
        today = _fraction(self.today, self.year) if self.today.year == self.year else None
        chart = year_wheel(
            frame, months=month_names(self.tr), rings=[self.tr.label(r) for r in self.activity.rings], types=types,
            year_label=str(self.year), today=today, today_label=f"{self.tr('yc_today')} {self.today.day}.{self.today.month}.", type_title=self.tr("yc_type"),
            size=620 if presenting else 520, text_size=22 if presenting else 13,
        )
        shown = sum(1 for e in self.events if e.start.year <= self.year <= e.end.year)
        alt_text = self.tr("yc_alt", year=self.year, n=shown, rings=", ".join(self.tr.label(r) for r in self.activity.rings))
        return svg_img(to_svg(chart), alt_text, css="vt-chart vt-year-wheel")

    def table_html(self) -> str:
        types = {t.id: self.tr.label(t) for t in self.activity.types}
        rings = {r.id: self.tr.label(r) for r in self.activity.rings}
        rows = [[esc(when_text(e)), esc(e.title), esc(types.get(e.type, "")), esc(e.owner), esc(rings.get(e.ring, ""))]
                for e in self.events]
        head = [self.tr(k) for k in ("yc_when", "yc_title", "yc_type", "yc_owner", "yc_ring")]
        return _table(self.tr("yc_table", year=self.year), [esc(h) for h in head], rows, css="vt-table vt-yc-table")

    def exports_html(self) -> str:
        text = to_ics(self.events, session_code=self.session.code, activity=self.activity, tr=self.tr,
                      calendar_name=self.tr.text(self.activity.title))
        b64 = base64.b64encode(text.encode("utf-8")).decode("ascii")
        feed = feed_url(self.store, self.session.code, self.tr.lang)
        return (f"<p class='vt-exports'><a class='vt-download' download='{esc(self.activity.id)}.ics' "
                f"href='data:text/calendar;base64,{b64}'>{esc(self.tr('yc_export_ics'))}</a></p>"
                f"<p class='vt-feed'>{esc(self.tr('yc_feed'))} <a class='vt-feed-url' href='{esc(feed)}'>{esc(feed)}</a></p>"
                f"<p class='vt-hint'>{esc(self.tr('yc_feed_hint'))}</p>")

    def _blocks(self, role: str) -> list[tuple[str, str]]:
        if role == "screen":
            return [("wheel", self.wheel_html(presenting=True))]
        blocks = [("wheel", self.wheel_html()), ("events", self.table_html())]
        if role == "facilitator":
            blocks.append(("exports", self.exports_html()))
        return blocks

"""The meeting planner's results for the console, the screen and the report: the day's plan as a
table (start, end, block, mode, activity) with the running block marked, the day's status for the
facilitator, and the iCalendar download."""
from __future__ import annotations

from typing import TYPE_CHECKING

import base64

from ...html_blocks import esc
from ...results import _Results, _table
from ...store import ActivityState, SessionInfo
from ...store.agenda import clock, day_status
from .export import to_ics
from .model import MeetingPlanner
from .plan import activity_name, block_name, mode_labels

if TYPE_CHECKING:
    from ...store import SessionStore

__all__ = ["PlannerResults"]


class PlannerResults(_Results):
    """The day's plan in blocks, the running one marked."""

    activity: MeetingPlanner

    def _more(self, store: SessionStore, session: SessionInfo, state: ActivityState) -> None:
        self.session = session
        self.plan = store.agenda_blocks(session.id)
        self.status = day_status(self.plan)
        self.extra["plan"] = [(b.title, b.minutes, b.mode, b.is_break, b.activity_id, b.starts_at, str(b.started_at))
                              for b in self.plan]

    def _has_content(self) -> bool:
        return True

    def summary(self) -> str | None:
        """The day's plan: how many blocks, from when to when."""
        if not self.plan:
            return None
        return self.tr("mp_counts", n=len(self.plan), start=self.plan[0].starts_at, end=clock(self.plan[-1].end))

    def counts_html(self) -> str:
        if not self.plan:
            return f"<p class='vt-stat' data-vt-blocks='0'>{esc(self.tr('mp_no_blocks'))}</p>"
        return (f"<p class='vt-stat' data-vt-blocks='{len(self.plan)}'>"
                f"{esc(self.tr('mp_counts', n=len(self.plan), start=self.plan[0].starts_at, end=clock(self.plan[-1].end)))}</p>")

    def table_html(self) -> str:
        if not self.plan:
            return f"<p class='vt-muted'>{esc(self._title())}: {esc(self.tr('mp_no_blocks'))}</p>"
        modes = mode_labels(self.activity, self.tr)
        running = self.status.running.position if self.status.running is not None else None
        rows = []
        for b in self.plan:
            name = esc(block_name(b, self.tr))
            if b.is_break:
                name = f"{name} <span class='vt-muted'>({esc(self.tr('mp_break'))})</span>"
            if b.position == running:
                name = f"<strong data-vt-running='1'>{name}</strong> <span class='vt-mp-now'>{esc(self.tr('mp_running'))}</span>"
            rows.append([esc(b.starts_at or ""), esc(b.ends_at), name, esc(modes.get(b.mode or "", "")),
                         esc(activity_name(b, self.tr))])
        head = [self.tr(k) for k in ("mp_start", "mp_end", "mp_block", "mp_mode", "mp_activity")]
        return _table(self.tr("mp_table"), [esc(h) for h in head], rows, css="vt-table vt-mp-table")

    def exports_html(self) -> str:
        text = to_ics(self.plan, session_code=self.session.code, day=self.session.held_on, tr=self.tr,
                      modes=mode_labels(self.activity, self.tr), calendar_name=self._title())
        b64 = base64.b64encode(text.encode("utf-8")).decode("ascii")
        return (f"<p class='vt-exports'><a class='vt-download' download='{esc(self.activity.id)}.ics' "
                f"href='data:text/calendar;base64,{b64}'>{esc(self.tr('mp_export_ics'))}</a></p>")

    def _blocks(self, role: str) -> list[tuple[str, str]]:
        if role == "facilitator":
            blocks = [("plan", self.table_html())]
            if self.plan:
                blocks.append(("exports", self.exports_html()))
            return blocks
        return [("plan", self.table_html())]

"""Yhdessä eteneminen for the console, the screen and the report: where the agreements came
from, the counts per status as a bar, and the list with what is stuck first."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ...html_blocks import esc
from ...results import _Results
from ...store import ActivityState, SessionInfo
from .model import Progress
from .progress import Source, Update, find_source, load_updates
from .views import bar_html, counts, counts_text, empty_html, list_html, source_text

if TYPE_CHECKING:
    from ...store import SessionStore

__all__ = ["ProgressResults"]


class ProgressResults(_Results):
    """The carried-over agreements with their progress: stuck, in progress, not started, done."""

    activity: Progress

    def _more(self, store: SessionStore, session: SessionInfo, state: ActivityState) -> None:
        self.source: Source | None = find_source(store, session, self.activity, self.tr.content)
        self.updates: dict[str, Update] = load_updates(store, session.id, self.activity, round=state.round)
        if self.source is not None:  # the drawing changes when the board it follows changes
            self.extra["source"] = [self.source.session.code, [(r.item, r.answer, r.board_status, r.owner)
                                                                for r in self.source.rows]]

    def _has_content(self) -> bool:
        return True

    def counts(self) -> dict[str, int]:
        """How many agreements have each status (stuck first); empty without a board."""
        return counts(self.activity, self.source.rows, self.updates) if self.source else {}

    def summary(self) -> str | None:
        """Done out of all, then each status (as the bar's words say); None without a board to follow."""
        if self.source is None or not self.source.rows:
            return None
        return counts_text(self.tr, self.activity, self.source.rows, self.updates)

    def counts_html(self) -> str:
        if self.source is None:
            return ""
        n = self.counts()
        return (f"<p class='vt-stat' data-vt-respondents='{self.respondents}' data-vt-stuck='{n[self.activity.stuck]}'>"
                f"{esc(self.tr('pg_updated_by', n=self.respondents))}</p>")

    def source_html(self) -> str:
        assert self.source is not None
        return f"<p class='vt-muted vt-pg-source'>{esc(source_text(self.tr, self.source))}</p>"

    def _blocks(self, role: str) -> list[tuple[str, str]]:
        if self.source is None:
            # what the activity asks, then the plain word that there is nothing to follow yet
            return [("empty", f"<p class='vt-help'>{esc(self.tr.text(self.activity.prompt))}</p>{empty_html(self.tr)}")]
        bar = bar_html(self.tr, self.activity, self.source.rows, self.updates)
        if role == "screen":  # no one's name on the wall
            # one block, read top-down: the screen sets blocks side by side, and the bar and its
            # legend beside the wide list were squeezed into a column one word wide. Where the
            # agreements came from is the console's note; on the wall it pushed the rows off the page.
            return [("list", bar + list_html(self.tr, self.activity, self.source, self.updates, names=False, short=True))]
        return [
            ("source", self.source_html()),
            ("progress", bar),
            ("list", list_html(self.tr, self.activity, self.source, self.updates, updaters=role == "facilitator")),
        ]

"""Kierroksen alku for the console (phase 1: *mitä päätimme tehdä*), the screen and the report."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ...html_blocks import esc
from ...results import _Results
from ...store import ActivityState, SessionInfo
from .model import RoundStart
from .rounds import RoundView, load_round
from .views import round_html

if TYPE_CHECKING:
    from ...store import SessionStore

__all__ = ["RoundStartResults"]


class RoundStartResults(_Results):
    """The round's number, the previous round, its promoted steps and what it left behind."""

    activity: RoundStart

    def _more(self, store: SessionStore, session: SessionInfo, state: ActivityState) -> None:
        self.view: RoundView = load_round(store, session, self.activity, self.tr.content)
        self.extra["round"] = self.view.key()

    def _has_content(self) -> bool:
        return True

    def summary(self) -> str | None:
        """The round's number, and how many steps the previous round promoted to it."""
        line = self.tr("rs_round", n=self.view.number, network=self.view.network)
        if self.view.previous is None:
            return line
        return self.tr("sum_round", round=line, n=len(self.view.steps))

    def counts_html(self) -> str:
        return ""  # nobody answers it

    def _blocks(self, role: str) -> list[tuple[str, str]]:
        if role == "screen":  # the screen's own heading names the activity
            return [("round", round_html(self.tr, self.view, full=False))]
        return [("round", f"<h4>{esc(self._title())}</h4>" + round_html(self.tr, self.view))]

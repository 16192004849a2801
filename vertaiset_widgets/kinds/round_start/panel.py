"""Kierroksen alku on the participant's page: read-only, shown while the facilitator has it
open or revealed. Light (no pandas, no altair)."""
from __future__ import annotations

from ...html_blocks import esc
from ...panels import ReadOnlyPanel
from ...store import ActivityState
from .rounds import load_round
from .views import round_html

__all__ = ["RoundStartPanel"]


class RoundStartPanel(ReadOnlyPanel):
    """Which round this is, and what the previous one set out to do."""

    live = False  # nobody answers it: it changes only when the facilitator opens it again

    def _results_html(self, state: ActivityState) -> str:
        session = self.store.session_by_id(self.participant.session_id)
        view = load_round(self.store, session, self.activity, self.tr.content)
        return (f"<h3>{esc(self.tr.text(self.activity.title))}</h3><p class='vt-help'>{esc(self.tr.text(self.activity.prompt))}</p>"
                + round_html(self.tr, view, full=False))

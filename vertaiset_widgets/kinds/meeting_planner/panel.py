"""The meeting planner on the participant's page: the day's plan, read-only and live, with the
running block marked (the block's countdown is in the page's header).

Light (no pandas, no altair): plain HTML with every word escaped.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ...html_blocks import esc
from ...panels import ReadOnlyPanel
from ...store import ActivityState
from .plan import mode_labels, plan_list_html

if TYPE_CHECKING:  # a phone's page reads plain copies of the templates (vertaiset_widgets.plain)
    from .model import MeetingPlanner

__all__ = ["PlannerPanel"]


class PlannerPanel(ReadOnlyPanel):
    """The day's plan as the facilitator keeps it: read-only, live, the running block marked."""

    def _results_html(self, state: ActivityState) -> str:
        act: MeetingPlanner = self.activity
        blocks = self.store.agenda_blocks(self.participant.session_id)
        return (f"<h3>{esc(self.tr.text(act.title))}</h3><p class='vt-help'>{esc(self.tr.text(act.prompt))}</p>"
                + plan_list_html(blocks, self.tr, mode_labels(act, self.tr)))

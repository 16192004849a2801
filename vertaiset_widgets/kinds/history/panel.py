"""History across rounds on the participant's page: the network's rounds as a short list
(the pictures are on the room's screen). Light: no pandas, no altair.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ...html_blocks import esc
from ...panels import ReadOnlyPanel
from ...store import ActivityState

if TYPE_CHECKING:  # a phone's page reads plain copies of the templates (vertaiset_widgets.plain)
    from .model import History

__all__ = ["HistoryPanel"]


class HistoryPanel(ReadOnlyPanel):
    """The rounds of this session's network, read-only: participants answer nothing here."""

    def _results_html(self, state: ActivityState) -> str:
        act: History = self.activity
        tr = self.tr
        session = self.store.session_by_id(self.participant.session_id)
        rounds = self.store.rounds(session)
        items = "".join(
            f"<li>{esc(tr('hist_round', n=n, date=tr('hist_date', d=s.held_on.day, m=s.held_on.month, y=s.held_on.year)))}"
            f" – {esc(s.title)}</li>"
            for n, s in enumerate(rounds, start=1)
        )
        return (
            f"<h3>{esc(tr.text(act.title))}</h3><p class='vt-help'>{esc(tr.text(act.prompt))}</p>"
            f"<p>{esc(tr('hist_phone_rounds', network=session.network_name, n=len(rounds)))}</p>"
            f"<ul class='vt-list'>{items}</ul><p class='vt-muted'>{esc(tr('hist_phone_screen'))}</p>"
        )

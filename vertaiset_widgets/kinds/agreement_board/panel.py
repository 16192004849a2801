"""The agreement board on the participant's page: read-only and live, as the facilitator
keeps it, with the progress.

Light (no pandas, no altair): plain HTML with every word escaped.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ...html_blocks import esc
from ...panels import ReadOnlyPanel
from ...store import ActivityState
from .board import CARRIED, entries, questions

if TYPE_CHECKING:  # a phone's page reads plain copies of the templates (vertaiset_widgets.plain)
    from .model import AgreementBoard

__all__ = ["BoardPanel"]


class BoardPanel(ReadOnlyPanel):
    """The agreement board as the facilitator keeps it: read-only, live, with progress."""

    def _results_html(self, state: ActivityState) -> str:
        act: AgreementBoard = self.activity
        tr = self.tr
        board = entries(self.store, self.participant.session_id, act, round=state.round)
        statuses = {s.id: tr.label(s) for s in act.statuses}
        modes = {m.id: tr.label(m) for m in act.modes}
        rows_of = questions(self.store, self.participant.session_id, act)
        agreed = sum(1 for q in rows_of if board.get(q.id, {}).get("status") == act.agreed_status)
        rows = "".join(
            f"<li class='vt-board-item' data-status='{esc(board.get(q.id, {}).get('status') or '')}'>"
            f"<p class='vt-board-q'>{n}. {esc(tr.label(q))}"
            + (f" <span class='vt-board-carried'>{esc(tr('board_carried'))}</span>" if q.id.startswith(CARRIED) else "")
            + "</p>"
            f"<p><span class='vt-status-badge' data-status='{esc(board.get(q.id, {}).get('status') or '')}'>"
            f"{esc(statuses.get(board.get(q.id, {}).get('status') or '', tr('board_not_started')))}</span>"
            + (f" <span class='vt-muted'>{esc(modes[m])}</span>" if (m := board.get(q.id, {}).get("mode")) in modes else "")
            + "</p>"
            + (f"<p>{esc(a)}</p>" if (a := board.get(q.id, {}).get("answer")) else "")
            + (f"<p class='vt-muted'>{esc(tr('board_owner'))}: {esc(o)}</p>" if (o := board.get(q.id, {}).get("owner")) else "")
            + "</li>"
            for n, q in enumerate(rows_of, start=1)
        )
        return (
            f"<h3>{esc(tr.text(act.title))}</h3><p class='vt-help'>{esc(tr.text(act.prompt))}</p>"
            f"<p class='vt-stat' data-vt-agreed='{agreed}'>{esc(tr('board_progress', n=agreed, total=len(rows_of)))}</p>"
            f"<ol class='vt-board-list'>{rows}</ol>"
        )

"""Kiinnostava vai hyvä käytäntö on the participant's page: the room's 360 read in words (its
balance, the shape it is nearer, the directions it misses). Participants answer nothing here:
they rated the 360 itself. Light (no pandas, no altair)."""
from __future__ import annotations

from ...html_blocks import esc
from ...panels import ReadOnlyPanel
from ...store import ActivityState
from .reading import describe, read_room

__all__ = ["ProfileReadingPanel", "reading_html"]


def reading_html(tr, activity, store, session_id: int) -> str:
    """The room's reading as a short definition list (escaped HTML)."""
    room, _groups = read_room(store, session_id, activity)
    if not room.values:
        return f"<p class='vt-muted'>{esc(tr('pr_no_profile'))}</p>"
    words = describe(tr, activity, room)
    rows = [(tr("pr_balance"), words["balance"]), (tr("pr_nearest"), words["nearest"]), (tr("pr_gaps", gap=f"{activity.gap_below:g}"), words["gaps"])]
    body = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in rows)
    return (f"<p>{esc(tr('pr_room', n=room.respondents))}</p>"
            f"<dl class='vt-pr-reading' data-vt-balance='{words['balance']}'>{body}</dl>")


class ProfileReadingPanel(ReadOnlyPanel):
    """The room's reading, live while the task is open or revealed."""

    def _results_html(self, state: ActivityState) -> str:
        return (f"<h3>{esc(self.tr.text(self.activity.title))}</h3><p>{esc(self.tr.text(self.activity.prompt))}</p>"
                + reading_html(self.tr, self.activity, self.store, self.participant.session_id))

"""History across rounds on the console, the screen and in the report.

:class:`HistoryResults` finds the network's rounds (each with the source activity as that
round ran it) and asks the source's kind for its ``history`` part: a function
``(store, rounds, history, tr, role) -> [(name, html), ...]`` that draws the rounds. The
rounds' list and any message (no such activity, a kind without a history) are drawn here.
"""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Callable

from ... import kinds
from ...html_blocks import esc
from ...results import _Results, _table
from ...store import ActivityState, SessionInfo
from .model import History
from ...rounds import SourceRound, round_date, source_rounds

if TYPE_CHECKING:
    from ...store import SessionStore

__all__ = ["HistoryResults", "history_function"]

log = logging.getLogger("vertaiset")


def history_function(activity: Any) -> Callable[..., list[tuple[str, str]]] | None:
    """The ``history`` part of ``activity``'s kind (from the kinds registry), or None."""
    return kinds.for_activity(activity).history_function()


class HistoryResults(_Results):
    """The source activity across the rounds of this session's network."""

    activity: History
    #: the source kinds' history parts size the projector's text themselves: no further scaling
    PRESENTER_TEXT_SCALE = 1.0

    def _more(self, store: SessionStore, session: SessionInfo, state: ActivityState) -> None:
        self.store = store
        self.session = session
        self.rounds: list[SourceRound] = source_rounds(store, session, self.activity.source, self.tr.content.activities)
        # the source's last write in each round (a late answer, a merge on an old map) redraws; other
        # activities' answers do not (the charts take a second or more)
        self.extra["rounds"] = [(r.session.id, store.changes_since(r.session.id, 0).get(self.activity.source, 0), r.own)
                                for r in self.rounds]

    def _has_content(self) -> bool:
        return True

    def summary(self) -> str | None:
        """How many of the network's rounds ran the source activity (None: none did)."""
        if not self.rounds:
            return None
        source = self.rounds[-1].activity
        return self.tr("sum_history", n=len(self.rounds), title=self.tr.text(source.title))

    def counts_html(self) -> str:
        total = len(self.store.rounds(self.session))
        return (
            f"<p class='vt-stat' data-vt-respondents='0' data-vt-rounds='{total}'>"
            f"{esc(self.tr('hist_counts', n=total))}</p>"
        )

    def rounds_html(self) -> str:
        """The rounds as a table: number, date, session, and whether its own templates were kept."""
        rows = [
            [str(r.number), esc(round_date(self.tr, r.session)), esc(r.session.title),
             esc(self.tr("hist_own_templates") if r.own else self.tr("hist_today_templates"))]
            for r in self.rounds
        ]
        head = [esc(self.tr(k)) for k in ("hist_round_col", "hist_date_col", "hist_session_col", "hist_templates_col")]
        # its own class: the session's title and the templates' words wrap, so the table fits the page
        return _table(self.tr("hist_rounds_caption", title=self._title(), network=self.session.network_name), head, rows,
                      css="vt-table vt-hist-rounds")

    def _blocks(self, role: str) -> list[tuple[str, str]]:
        tr = self.tr
        if not self.rounds:
            return [("empty", f"<p class='vt-muted'>{esc(tr('hist_no_source', source=self.activity.source))}</p>")]
        draw = history_function(self.rounds[-1].activity)
        if draw is None:
            return [("empty", f"<p class='vt-muted'>{esc(tr('hist_not_supported'))}</p>")]
        out: list[tuple[str, str]] = []
        if role != "screen":
            out.append(("rounds", self.rounds_html()))
        if len(self.rounds) < 2:
            out.append(("first", f"<p class='vt-muted'>{esc(tr('hist_first_round'))}</p>"))
        try:
            out += draw(self.store, self.rounds, self.activity, tr, role)
        except Exception:  # logged for the facilitator; the page and the report say so in words
            log.exception("drawing the history of %s failed", self.activity.source)
            out.append(("failed", f"<p class='vt-muted' role='status'>{esc(tr('hist_failed'))}</p>"))
        return out

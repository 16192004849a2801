"""Askelten arviointi for the console, the screen and the report: the steps with their bars;
the majority, the uncertain and the consensus across sectors; the promoted steps.

The room's screen shows the bars only (no names: the steps are the wall's, the votes counts).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ...html_blocks import esc
from ...results import _Results, clip
from ...store import ActivityState, SessionInfo
from .model import StepVote
from .steps import Step, Tally, check_in_sectors, consensus, groups_of, load_steps, majority, promoted_items, tally, uncertain, votes_from
from .views import bars_html, consensus_html, majority_html, percent, promoted_html, uncertain_html

if TYPE_CHECKING:
    from ...store import SessionStore

__all__ = ["StepVoteResults"]


class StepVoteResults(_Results):
    """The steps rated agree / disagree / pass, and what the votes add up to."""

    activity: StepVote

    def _more(self, store: SessionStore, session: SessionInfo, state: ActivityState) -> None:
        self.steps: list[Step] = load_steps(store, session.id, self.activity)
        sectors = check_in_sectors(store, session.id, self.activity, self.tr)
        self.votes = votes_from(store.answers(session.id, self.activity.id, round=state.round), sectors)
        self.promoted: dict[str, str] = promoted_items(store, session.id, self.activity)
        # the drawing changes when the wall's steps or the promotions change, not only the votes
        self.extra["steps"] = [(s.item, s.text) for s in self.steps]
        self.extra["promoted"] = list(self.promoted.items())

    def _has_content(self) -> bool:
        return True

    def tallies(self) -> list[Tally]:
        """Each step's agree, disagree and pass."""
        return tally(self.steps, self.votes)

    def chosen(self) -> list[tuple[Tally, float]]:
        """The steps chosen: those a majority agreed on, ``(tally, share)``, the largest share first."""
        return [(t, share) for t, choice, share in majority(self.tallies(), self.activity.majority) if choice == "agree"]

    def summary(self) -> str | None:
        """How many steps were chosen, and the first of them with its share of agreement."""
        if not self.votes:
            return None
        chosen = self.chosen()
        if not chosen:
            return self.tr("sum_no_steps", n=len(self.steps))
        first, share = chosen[0]
        return self.tr("sum_steps", n=len(chosen), total=len(self.steps), step=self.tr("sum_quote", text=clip(first.step.text)),
                       share=percent(self.tr, share))

    def _empty_text(self) -> str:
        source = self.tr.content.activities.get(self.activity.source)
        wall = self.tr.text(source.title) if source is not None else self.activity.source
        return self.tr("sv_no_steps_console", wall=wall)

    def _blocks(self, role: str) -> list[tuple[str, str]]:
        tallies = self.tallies()
        bars = bars_html(self.tr, tallies, self.promoted, empty=self._empty_text())
        if role == "screen":
            return [("steps", bars)]
        a = self.activity
        lists = [
            ("majority", majority_html(self.tr, majority(tallies, a.majority), self.promoted, a.majority)),
            ("uncertain", uncertain_html(self.tr, uncertain(tallies, a.uncertain), self.promoted, a.uncertain)),
            ("consensus", consensus_html(self.tr, consensus(self.steps, self.votes), self.promoted, groups_of(self.votes))),
        ]
        blocks = [("steps", f"<h4>{esc(self._title())}</h4>" + bars), *lists]
        if role == "report":
            blocks.append(("promoted", promoted_html(self.tr, self.promoted)))
        return blocks

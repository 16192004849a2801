"""Askelten arviointi on the participant's page: every step of the wall with agree / disagree /
pass (one radio group each), sent together; revealed, the counts per step (the promoted ones marked).

Light (no pandas, no altair). The steps are read when the task opens or moves; a step the
facilitator merged or hid since then leaves the form the next time it is drawn.
"""
from __future__ import annotations

from typing import Any

from ...forms import ChoiceForm
from ...html_blocks import esc
from ...panels import ActivityPanel, save_or_say_why
from ...store import ActivityState
from .steps import CHOICES, LAYER, Step, load_steps, promoted_items, save_votes, tally, votes_from
from .views import bars_html

__all__ = ["StepVotePanel"]


class StepVotePanel(ActivityPanel):
    """One radio group per step (agree, disagree, pass); a phone's latest vote per step counts."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._steps: list[Step] = []

    def _layers(self) -> list[dict[str, str]]:
        return [{"id": s.item, "label": s.text} for s in self._steps]

    def update(self, state: ActivityState) -> bool:
        """Open: the steps as the wall has them now (the form made again when they changed)."""
        if state.is_open:
            self._steps = load_steps(self.store, self.participant.session_id, self.activity)
            form = self.forms.get(state.round)
            if form is not None and form.layers != self._layers():
                del self.forms[state.round]
            if not self._steps:
                self.state = state
                self._results.value = (f"<h3>{esc(self.tr.text(self.activity.title))}</h3>"
                                       f"<p class='vt-notice' data-vt-steps='0'>{esc(self.tr('sv_no_steps'))}</p>")
                self.children = [self._results]
                return True
        return super().update(state)

    def _make_form(self, state: ActivityState) -> ChoiceForm:
        tr = self.tr
        form = ChoiceForm(
            mode="single",
            options=[{"id": c, "label": tr(f"sv_{c}")} for c in CHOICES],
            layers=self._layers(),
            texts={"title": tr.text(self.activity.title), "prompt": tr.text(self.activity.prompt), "submit": tr("sv_submit")},
        )
        form.add_class("vt-sv-form")
        form.on_submit(self._submit)
        return form

    def _saved(self, state: ActivityState) -> dict:
        return {f"{a.item}|{a.value_text}": 1 for a in self._answers(state, mine=True)
                if a.layer == LAYER and a.value_text in CHOICES}

    def _submit(self, form: ChoiceForm, value: dict) -> None:
        choices = {}
        for key, chosen in value.items():
            item, _, choice = key.partition("|")
            if chosen:
                choices[item] = choice
        if not choices:
            form.show_status(self.tr("nothing_chosen"), "error")
            return

        def act() -> None:
            save_votes(self.store, self.participant, self.activity, choices, steps=[s.item for s in self._steps],
                       submission_id=form.submission_id)

        if save_or_say_why(form, self.tr, act, input_errors="sv_error_"):
            form.show_status(self.tr("sv_saved", n=len(choices)), "ok")

    def _results_html(self, state: ActivityState) -> str:
        steps = load_steps(self.store, self.participant.session_id, self.activity)
        tallies = tally(steps, votes_from(self._answers(state)))
        promoted = promoted_items(self.store, self.participant.session_id, self.activity)
        return f"<h3>{esc(self.tr.text(self.activity.title))}</h3>" + bars_html(self.tr, tallies, promoted)

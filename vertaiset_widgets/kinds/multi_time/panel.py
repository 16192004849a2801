"""Moniaikaisuus on the participant's page: for each decision, whose clock drives it and when
its impact shows; a decision of one's own can be added (and placed) in the same form.

Light (no pandas, no altair): the decisions are read with :mod:`.placements`.
"""
from __future__ import annotations

from typing import Any

import ipywidgets as W

from ...forms import FieldsForm
from ...html_blocks import esc
from ...panels import ActivityPanel, save_or_say_why
from ...store import ActivityState
from .placements import NEW, TEXT_LIMIT, Decision, Placement, load, place

__all__ = ["MultiTimePanel"]


class MultiTimePanel(ActivityPanel):
    """One form: two lists per decision (the clock, the time of impact) and a decision to add."""

    #: closed, what the room has entered stays in view under the turned-off form
    kept_when_closed = ("_list",)

    live = True

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._list = W.HTML()
        self._decisions: list[Decision] = []

    def _read(self, state: ActivityState) -> tuple[list[Decision], list[Placement]]:
        decisions, placements = load(self.store, self.participant.session_id, self.activity, round=state.round)
        self._decisions = decisions
        return decisions, placements

    def _fields(self, decisions: list[Decision]) -> list[dict[str, Any]]:
        tr, act = self.tr, self.activity
        unset = {"value": "", "label": tr("mt_not_placed")}
        clocks = [unset, *({"value": c.id, "label": tr.label(c)} for c in act.clocks)]
        impacts = [unset, *({"value": i.id, "label": tr.label(i)} for i in act.impacts)]
        fields: list[dict[str, Any]] = []
        for d in decisions:
            words = d.label(tr, act)
            fields.append({"name": f"clock|{d.id}", "label": tr("mt_clock_for", decision=words), "type": "select", "options": clocks})
            fields.append({"name": f"impact|{d.id}", "label": tr("mt_impact_for", decision=words), "type": "select", "options": impacts})
        if act.allow_new:
            fields.append({"name": NEW, "label": tr("mt_new"), "hint": tr("mt_new_hint"), "maxlength": TEXT_LIMIT})
            fields.append({"name": f"clock|{NEW}", "label": tr("mt_new_clock"), "type": "select", "options": clocks})
            fields.append({"name": f"impact|{NEW}", "label": tr("mt_new_impact"), "type": "select", "options": impacts})
        return fields

    def _make_form(self, state: ActivityState) -> FieldsForm:
        decisions, _ = self._read(state)
        form = FieldsForm(fields=self._fields(decisions), texts={"title": self.tr.text(self.activity.title),
                                                                 "help": self.tr.text(self.activity.prompt), "submit": self.tr("mt_save")})
        form.on_submit(self._place)
        return form

    def _saved(self, state: ActivityState) -> dict:
        _, placements = self._read(state)
        return self._mine(placements)

    def _mine(self, placements: list[Placement]) -> dict[str, str]:
        out: dict[str, str] = {}
        for p in placements:
            if p.participant_id == self.participant.id:
                out[f"clock|{p.decision}"], out[f"impact|{p.decision}"] = p.clock, p.impact
        return out

    def _after_update(self, state: ActivityState) -> list[W.Widget]:
        decisions, placements = self._read(state)
        form = self.forms.get(state.round)
        fields = self._fields(decisions)
        if form is not None and form.fields != fields:  # someone added a decision: it is placed here too
            form.fields = fields
        self._list.value = self._list_html(decisions, placements)
        return [self._list]

    def _list_html(self, decisions: list[Decision], placements: list[Placement]) -> str:
        counts = {d.id: sum(1 for p in placements if p.decision == d.id) for d in decisions}
        items = "".join(f"<li>{esc(d.label(self.tr, self.activity))} "
                        f"<span class='vt-muted'>({esc(self.tr('mt_placed_n', n=counts[d.id]))})</span></li>" for d in decisions)
        return (f"<h4>{esc(self.tr('mt_decisions_now', n=len(decisions)))}</h4>"
                f"<ul class='vt-list' data-vt-decisions='{len(decisions)}'>{items}</ul>")

    def _place(self, form: Any, value: dict) -> None:
        if not save_or_say_why(form, self.tr, lambda: place(self.store, self.participant, self.activity, value,
                                                                 submission_id=form.submission_id), input_errors="mt_error_"):
            return
        if self.state is None:
            return
        decisions, placements = self._read(self.state)
        with form.hold_sync():
            form.value = self._mine(placements)
            form.fields = self._fields(decisions)
            form.clear()
        form.show_status(self.tr("mt_saved", n=len(self._mine(placements)) // 2), "ok")
        self.children = [form, *self._after_update(self.state)]

    def _results_html(self, state: ActivityState) -> str:
        decisions, placements = self._read(state)
        return f"<h3>{esc(self.tr.text(self.activity.title))}</h3>" + self._list_html(decisions, placements)

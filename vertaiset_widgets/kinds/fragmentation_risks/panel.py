"""Pirstaloitumisen riskit on the participant's page: one risk at a time, rated in each time
layer (0–5) with the relationships of the 360 ring it threatens; the risks this participant
has rated show below. Light (no pandas, no altair): the ratings are read with :mod:`.ratings`."""
from __future__ import annotations

from typing import Any

import ipywidgets as W

from ...forms import FieldsForm
from ...html_blocks import esc, table
from ...panels import ActivityPanel, save_or_say_why
from ...store import ActivityState
from .ratings import load_ratings, save_risk, time_means

__all__ = ["FragmentationRisksPanel"]


class FragmentationRisksPanel(ActivityPanel):
    """A short form per risk: the risk, a rating per time layer, yes or no per relationship."""

    kept_when_closed = ("_mine",)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._mine = W.HTML()

    def _make_form(self, state: ActivityState) -> FieldsForm:
        tr, act = self.tr, self.activity
        anchors = {p: tr.text(t) for p, t in act.scale.anchors.items()}
        points = [{"value": "", "label": tr("fr_unrated")}] + [
            {"value": str(p), "label": f"{p} – {anchors[p]}" if p in anchors else str(p)} for p in act.scale.points]
        yes_no = [{"value": "0", "label": tr("fr_not_threatened")}, {"value": "1", "label": tr("fr_threatened")}]
        fields: list[dict[str, Any]] = [{
            "name": "risk", "label": tr("fr_risk"), "hint": tr("fr_risk_hint"), "type": "select",
            "options": [{"value": r.id, "label": f"{tr.label(r)} ({tr.text(r.hint)})" if r.hint else tr.label(r)} for r in act.risks],
        }]
        for n, layer in enumerate(act.layers):
            row = {"name": f"t_{layer.id}", "label": tr.label(layer), "type": "select", "options": points}
            if n == 0:
                row["hint"] = tr("fr_time_hint", min=act.scale.min, max=act.scale.max)
            fields.append(row)
        for n, actor in enumerate(act.actors):
            row = {"name": f"a_{actor.id}", "label": tr.label(actor, short=True), "type": "select", "options": yes_no}
            if n == 0:
                row["hint"] = tr("fr_actor_hint")
            fields.append(row)
        form = FieldsForm(fields=fields, texts={"title": tr.text(act.title), "help": tr.text(act.prompt), "submit": tr("fr_save")})
        form.on_submit(self._save)
        return form

    def _mine_html(self, state: ActivityState) -> str:
        mine = {r.risk for r in load_ratings(self.store, self.participant.session_id, self.activity, round=state.round,
                                             participant_id=self.participant.id)}
        labels = [self.tr.label(r) for r in self.activity.risks if r.id in mine]
        return (f"<p class='vt-fr-mine' data-vt-rated='{len(labels)}'>"
                f"{esc(self.tr('fr_mine', n=len(labels), total=len(self.activity.risks), risks=', '.join(labels) or '–'))}</p>")

    def _after_update(self, state: ActivityState) -> list[W.Widget]:
        self._mine.value = self._mine_html(state)
        return [self._mine]

    def _save(self, form: Any, value: dict) -> None:
        def act() -> None:
            save_risk(self.store, self.participant, self.activity, value, submission_id=form.submission_id)

        if not save_or_say_why(form, self.tr, act, input_errors="fr_error_"):
            return
        risk = next((self.tr.label(r) for r in self.activity.risks if r.id == value.get("risk")), "")
        form.show_status(self.tr("fr_saved", risk=risk), "ok")
        if self.state is not None:
            self._mine.value = self._mine_html(self.state)

    def _results_html(self, state: ActivityState) -> str:
        tr, act = self.tr, self.activity
        ratings = load_ratings(self.store, self.participant.session_id, act, round=state.round)
        means = time_means(ratings, act)
        rows = [[tr.label(r), *(f"{means[(r.id, layer.id)][0]:.1f}" if (r.id, layer.id) in means else "–" for layer in act.layers)]
                for r in act.risks]
        return (f"<h3>{esc(tr.text(act.title))}</h3>"
                f"<p>{esc(tr('results_revealed', n=len({r.participant_id for r in ratings})))}</p>"
                + table(tr("fr_time_table"), [tr("fr_risk"), *(tr.label(layer) for layer in act.layers)], rows))

"""The rating matrix on the participant's page: every item on the scale, per time layer.

Light (no pandas, no altair); the revealed results are a plain, accessible table of the
room's means.
"""
from __future__ import annotations

import html
from datetime import datetime
from typing import Any, TYPE_CHECKING

from ...forms import RatingForm
from ...panels import PointsPanel
from ...store import ActivityState

if TYPE_CHECKING:  # a phone's page reads plain copies of the templates (vertaiset_widgets.plain)
    from .model import RatingMatrix

__all__ = ["RatingPanel", "rating_means"]


def rating_means(answers: list[Any], activity: RatingMatrix) -> dict[tuple[str, str], tuple[float, int]]:
    """Mean and count per (layer, item) in pure Python (no pandas on this page)."""
    sums: dict[tuple[str, str], list[float]] = {}
    for a in answers:
        if a.value_num is not None:
            sums.setdefault((a.layer, a.item), []).append(float(a.value_num))
    return {k: (sum(v) / len(v), len(v)) for k, v in sums.items()}


class RatingPanel(PointsPanel):
    """Items rated on a scale: one radio group per item and time layer, grouped by column."""

    def _make_form(self, state: ActivityState) -> RatingForm:
        act: RatingMatrix = self.activity
        tr = self.tr
        anchors = ", ".join(f"{p} = {tr.text(act.scale.anchors[p])}" for p in sorted(act.scale.anchors))
        form = RatingForm(
            items=[
                {"id": i.id, "label": tr.label(i), "hint": tr.text(i.hint) if i.hint else "",
                 "group": tr.label(column) if column else ""}
                for column, items in act.column_items()
                for i in items
            ],
            layers=self._layers(),
            points=act.scale.points,
            texts={
                "title": tr.text(act.title),
                "prompt": tr.text(act.prompt),
                "scale": tr("scale_hint", min=act.scale.min, max=act.scale.max, anchors=anchors),
                "submit": tr("submit"),
            },
        )
        form.on_submit(self._submit)
        return form

    def _submit(self, form: RatingForm, value: dict) -> None:
        answers = self._points(form, value)
        if answers is None:
            return
        total = len(self.activity.items) * len(self.activity.layer_ids)
        done = self.tr("answers_saved_at", time=datetime.now().strftime("%H.%M"), done=len(answers), total=total)
        self._store(form, answers, done)

    def _results_html(self, state: ActivityState) -> str:
        act: RatingMatrix = self.activity
        tr = self.tr
        answers = self._answers(state)
        means = rating_means(answers, act)
        respondents = len({a.participant_id for a in answers})
        head = "".join(f"<th scope='col'>{html.escape(tr.label(layer))}</th>" for layer in act.layers) or (
            f"<th scope='col'>{html.escape(tr('mean'))}</th>"
        )
        rows = []
        for item in act.items:
            cells = []
            for layer_id in act.layer_ids:
                mean = means.get((layer_id, item.id))
                cells.append(f"<td>{mean[0]:.1f}</td>" if mean else "<td>–</td>")
            rows.append(f"<tr><th scope='row'>{html.escape(tr.label(item))}</th>{''.join(cells)}</tr>")
        return (
            f"<h3>{html.escape(tr.text(act.title))}</h3>"
            f"<p>{html.escape(tr('results_revealed', n=respondents))}</p>"
            f"<table class='vt-table'><caption>{html.escape(tr('room_means'))}</caption>"
            f"<thead><tr><th scope='col'>{html.escape(tr('dimension'))}</th>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
        )

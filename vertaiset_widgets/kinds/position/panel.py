"""The position on the participant's page: a place between the two poles, per layer.

Light (no pandas, no altair); the revealed results are a plain, accessible table of means.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ...forms import RatingForm
from ...html_blocks import esc, table as _table
from ...panels import PointsPanel
from ...store import ActivityState

if TYPE_CHECKING:  # a phone's page reads plain copies of the templates (vertaiset_widgets.plain)
    from .model import Position

__all__ = ["PositionPanel"]


class PositionPanel(PointsPanel):
    """A place between two poles, per layer: radio steps 1..points."""

    def _make_form(self, state: ActivityState) -> RatingForm:
        act: Position = self.activity
        tr = self.tr
        left, right = tr.text(act.left), tr.text(act.right)
        form = RatingForm(
            items=[{"id": "position", "label": f"{left} ↔ {right}"}],
            layers=self._layers(),
            points=list(range(1, act.points + 1)),
            texts={
                "title": tr.text(act.title), "prompt": tr.text(act.prompt), "submit": tr("submit"),
                "scale": tr("position_hint", points=act.points, left=left, right=right), "left": left, "right": right,
            },
        )
        form.on_submit(self._submit)
        return form

    def _submit(self, form: RatingForm, value: dict) -> None:
        answers = self._points(form, value)
        if answers is not None:
            self._store(form, answers, self._saved_text())

    def _results_html(self, state: ActivityState) -> str:
        act: Position = self.activity
        values: dict[str, list[float]] = {}
        for a in self._answers(state):
            if a.value_num is not None:
                values.setdefault(a.layer, []).append(a.value_num)
        rows = [
            [self._layer_label(layer), f"{sum(v) / len(v):.1f}" if (v := values.get(layer)) else "–", str(len(values.get(layer, [])))]
            for layer in act.layer_ids
        ]
        caption = self.tr("position_caption", left=self.tr.text(act.left), right=self.tr.text(act.right), points=act.points)
        respondents = len({a.participant_id for a in self._answers(state)})
        return (
            f"<h3>{esc(self.tr.text(act.title))}</h3><p>{esc(self.tr('results_revealed', n=respondents))}</p>"
            + _table(caption, [self.tr("layer"), self.tr("mean"), "n"], rows)
        )

"""Käytännön kypsyys on the participant's page: name a practice, place it on a step with the
evidence for it; the practices on the ladder show below, with their move since the previous round.

Light (no pandas, no altair): the practices are read with :mod:`.placements`.
"""
from __future__ import annotations

from typing import Any, TYPE_CHECKING

import ipywidgets as W

from ...forms import FieldsForm
from ...html_blocks import esc
from ...panels import ActivityPanel, save_or_say_why
from ...store import ActivityState
from .placements import NAME_LIMIT, load_practices, move, place_practice, previous_practices

if TYPE_CHECKING:  # a phone's page reads plain copies of the templates (vertaiset_widgets.plain)
    from .model import MaturityLadder

__all__ = ["MOVE_MARKS", "MaturityLadderPanel", "ladder_list_html"]

#: the mark of a practice's move since the previous round (its words are the UI's ``ml_move_*``)
MOVE_MARKS = {"up": "↑", "down": "↓", "same": "=", "new": "+"}


def ladder_list_html(tr: Any, activity: MaturityLadder, practices: list, previous: dict) -> str:
    """The practices by step, highest step first, each with its move (escaped HTML)."""
    parts = []
    for step in reversed(activity.steps):
        mine = [p for p in practices if p.step == step.id]
        if not mine:
            continue
        items = "".join(
            f"<li><span aria-hidden='true'>{MOVE_MARKS[m]}</span> {esc(p.name)} "
            f"<span class='vt-muted'>({esc(tr(f'ml_move_{m}'))})</span></li>"
            for p in mine for m in [move(activity, p, previous.get(p.id))])
        parts.append(f"<li><strong>{esc(tr.label(step))}</strong><ul>{items}</ul></li>")
    return (f"<h4>{esc(tr('ml_on_ladder', n=len(practices)))}</h4>"
            f"<ul class='vt-list vt-ml-list' data-vt-practices='{len(practices)}'>{''.join(parts)}</ul>")


class MaturityLadderPanel(ActivityPanel):
    """Place a practice on the ladder; the room's ladder shows live below the form."""

    live = True
    kept_when_closed = ("_list",)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._list = W.HTML()

    def _make_form(self, state: ActivityState) -> FieldsForm:
        tr, act = self.tr, self.activity
        fields = [
            {"name": "name", "label": tr("ml_name"), "hint": tr("ml_name_hint"), "maxlength": NAME_LIMIT},
            {"name": "step", "label": tr("ml_step"), "type": "select",
             "options": [{"value": s.id, "label": f"{n}. {tr.label(s)}"} for n, s in enumerate(act.steps, start=1)]},
            {"name": "evidence", "label": tr("ml_evidence"), "hint": tr("ml_evidence_hint"), "type": "textarea",
             "maxlength": act.evidence_length},
        ]
        form = FieldsForm(fields=fields, texts={"title": tr.text(act.title), "help": tr.text(act.prompt), "submit": tr("ml_save")})
        form.on_submit(self._place)
        return form

    def _list_html(self, state: ActivityState) -> str:
        session = self.store.session_by_id(self.participant.session_id)
        practices = load_practices(self.store, self.participant.session_id, self.activity, round=state.round)
        return ladder_list_html(self.tr, self.activity, practices, previous_practices(self.store, session, self.activity))

    def _after_update(self, state: ActivityState) -> list[W.Widget]:
        self._list.value = self._list_html(state)
        return [self._list]

    def _place(self, form: Any, value: dict) -> None:
        def act() -> None:
            place_practice(self.store, self.participant, self.activity, value, submission_id=form.submission_id)

        if not save_or_say_why(form, self.tr, act, input_errors="ml_error_"):
            return
        step = next((self.tr.label(s) for s in self.activity.steps if s.id == value.get("step")), "")
        form.show_status(self.tr("ml_saved", name=" ".join(str(value.get("name", "")).split()), step=step), "ok")
        form.clear()
        if self.state is not None:
            self._list.value = self._list_html(self.state)

    def _results_html(self, state: ActivityState) -> str:
        return f"<h3>{esc(self.tr.text(self.activity.title))}</h3>" + self._list_html(state)

"""The facilitator's tools for an agreement board: one form per question (answer, status,
owner, decision mode), saved one question at a time and filled from the board on every draw; the
steps the previous round promoted get forms of their own after the template's questions."""
from __future__ import annotations

import html
import logging
import time
from typing import Any

import ipywidgets as W

from ...console_tools import ConsoleTools
from ...forms import FieldsForm
from ...shared_models import shared_layout
from .board import CARRIED, FIELDS, questions, save
from .model import AgreementBoard

__all__ = ["BoardTools"]

log = logging.getLogger("vertaiset")


class BoardTools(ConsoleTools):
    """Edit every question of the board live, from the facilitator's console."""

    activity: AgreementBoard

    def __init__(self, console: Any):
        super().__init__(console)
        #: question id -> its form
        self.board_forms: dict[str, FieldsForm] = {}

    def widgets(self) -> list[W.Widget]:
        """A heading and the forms, one per question."""
        tr = self.wb.tr
        act = self.activity
        none = [{"value": "", "label": "–"}]
        forms = []
        for n, q in enumerate(questions(self.wb.store, self.wb.session.id, act), start=1):
            form = FieldsForm(
                fields=[
                    {"name": "answer", "label": tr("board_answer"), "type": "textarea", "maxlength": 1000, "rows": 2},
                    {"name": "status", "label": tr("board_status"), "type": "select",
                     "options": none + [{"value": s.id, "label": tr.label(s)} for s in act.statuses]},
                    {"name": "owner", "label": tr("board_owner"), "maxlength": 120},
                    {"name": "mode", "label": tr("board_mode"), "type": "select",
                     "options": none + [{"value": m.id, "label": tr.label(m)} for m in act.modes]},
                ],
                texts={"title": f"{n}. {tr.label(q)}", "submit": tr("board_save"),
                       **({"help": tr("board_carried_help")} if q.id.startswith(CARRIED) else {})},
                _dom_classes=("vt-board-form",), layout=shared_layout(),
            )
            form.on_submit(lambda f, value, item=q.id: self.save_board(item, value, f))
            self.board_forms[q.id] = form
            forms.append(form)
        heading = W.HTML(f"<h3>{html.escape(tr('board_edit_title'))}</h3><p class='vt-muted'>{html.escape(tr('board_edit_help'))}</p>")
        grid = W.VBox(forms, _dom_classes=("vt-board-forms",))
        return [heading, grid]

    def update(self, results: Any) -> None:
        """Show the board as it stands in every question's form."""
        board = results.board
        for item, form in self.board_forms.items():
            entry = board.get(item, {})
            form.value = {k: entry.get(k) or "" for k in FIELDS}

    def save_board(self, item: str, value: dict, form: FieldsForm | None = None) -> None:
        """Store one question's answer, status, owner and mode (the facilitator's save button)."""
        try:
            save(self.wb.store, self.wb.session.id, self.activity, item, value)
        except Exception:
            log.exception("saving the board failed")
            self._status(form, self.wb.tr("save_failed"), "error")
            return
        self._changed(form, self.wb.tr("board_saved", time=time.strftime("%H.%M")))

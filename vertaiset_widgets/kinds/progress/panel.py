"""Yhdessä eteneminen on the participant's page: the carried-over agreements, each with its
status and a save; the participant's own (by the owner's name) first, marked as theirs.

Light (no pandas, no altair): the rows are read with :mod:`.progress`, the lists drawn by
:mod:`.views`.
"""
from __future__ import annotations

from typing import Any, TYPE_CHECKING

import ipywidgets as W

from ...forms import FieldsForm
from ...html_blocks import esc
from ...panels import ActivityPanel, save_or_say_why
from ...store import ActivityState
from .progress import Row, Source, Update, find_source, load_updates, owned_by, participant_name, save_update, session_of
from .views import counts_text, empty_html, list_html, source_text

if TYPE_CHECKING:  # a phone's page reads plain copies of the templates (vertaiset_widgets.plain)
    from .model import Progress

__all__ = ["ProgressPanel"]


class ProgressPanel(ActivityPanel):
    """One form per agreement (status, and a note when stuck); live, as others update them."""

    live = True

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._head = W.HTML()
        self._mine_head = W.HTML()
        self._others_head = W.HTML()
        #: (round, question id) -> its form
        self.row_forms: dict[tuple[int, str], FieldsForm] = {}
        self._items: frozenset[str] = frozenset()

    def holds_form(self, state: ActivityState) -> bool:
        return False  # closed, the status forms leave the page (nothing typed is long)

    def participant_changed(self) -> None:
        """A new nickname may make other rows theirs: redraw."""
        if self.state is not None:
            self.update(self.state)

    def _source(self) -> Source | None:
        session = session_of(self.store, self.participant.session_id)
        return find_source(self.store, session, self.activity, self.tr.content)

    def update(self, state: ActivityState) -> bool:
        """Open: the forms (or a plain word that there is nothing to follow); revealed: the list."""
        self.state = state
        if not (state.is_open or state.is_revealed):
            return False
        source = self._source()
        with self.hold_sync():
            if source is None:
                self._results.value = empty_html(self.tr)
                self.children = [self._results]
                return True
            updates = load_updates(self.store, self.participant.session_id, self.activity, round=state.round)
            if not state.is_open:
                self._results.value = self._results_html(state, source, updates)
                self.children = [self._results]
                return True
            self.children = self._form_widgets(state, source, updates)
        return True

    def _form_widgets(self, state: ActivityState, source: Source, updates: dict[str, Update]) -> list[W.Widget]:
        tr = self.tr
        act: Progress = self.activity
        self._items = frozenset(r.item for r in source.rows)
        name = participant_name(self.store, self.participant, act)
        mine = [r for r in source.rows if owned_by(r.owner, name)]
        others = [r for r in source.rows if r not in mine]
        self._head.value = (
            f"<p class='vt-help'>{esc(tr.text(act.prompt))}</p>"
            f"<p class='vt-muted vt-pg-source'>{esc(source_text(tr, source))}</p>"
            f"<p class='vt-pg-summary' data-vt-rows='{len(source.rows)}'>{esc(counts_text(tr, act, source.rows, updates))}</p>"
        )
        widgets: list[W.Widget] = [self._head]
        if mine:
            self._mine_head.value = f"<h3 class='vt-pg-mine-title'>{esc(tr('pg_mine_title', name=name))}</h3>"
            widgets += [self._mine_head, *(self._form(state, r, updates, True) for r in mine)]
        if others:
            self._others_head.value = f"<h3>{esc(tr('pg_others_title' if mine else 'pg_all_title'))}</h3>"
            widgets += [self._others_head, *(self._form(state, r, updates, False) for r in others)]
        return widgets

    def _form(self, state: ActivityState, row: Row, updates: dict[str, Update], mine: bool) -> FieldsForm:
        tr = self.tr
        act: Progress = self.activity
        help_parts = [tr("pg_yours")] if mine else []
        help_parts += [f"{tr('pg_agreed')}: {row.answer or '–'}", f"{tr('pg_owner')}: {row.owner or '–'}"]
        texts = {"title": f"{row.number}. {tr.label(row.question)}", "help": " · ".join(help_parts), "submit": tr("pg_save")}
        form = self.row_forms.get((state.round, row.item))
        if form is None:
            form = FieldsForm(
                fields=[
                    {"name": "status", "label": tr("pg_status"), "type": "select",
                     "options": [{"value": s.id, "label": tr.label(s)} for s in act.statuses]},
                    {"name": "note", "label": tr("pg_note"), "type": "textarea", "rows": 2,
                     "maxlength": act.note_length, "hint": tr("pg_note_hint")},
                ],
                texts=texts,
            )
            form.add_class("vt-pg-form")
            form.draft_key = self._draft_key(state, row.item)
            form.on_submit(lambda f, value, item=row.item: self._save(f, item, value))
            self.row_forms[(state.round, row.item)] = form
        if form.texts != texts:
            form.texts = texts
        (form.add_class if mine else form.remove_class)("vt-pg-mine")
        update = updates.get(row.item)
        value = {"status": update.status if update else act.not_started_status, "note": update.note if update else ""}
        if form.value != value:
            form.value = value
        form.disabled = False
        return form

    def _save(self, form: FieldsForm, item: str, value: dict) -> None:
        status = {s.id: self.tr.label(s) for s in self.activity.statuses}.get(str(value.get("status") or ""), "")

        def act() -> None:
            save_update(self.store, self.participant, self.activity, item, value, items=self._items,
                        submission_id=form.submission_id)

        if save_or_say_why(form, self.tr, act, input_errors="pg_error_"):
            form.show_status(self.tr("pg_saved", status=status), "ok")

    def _results_html(self, state: ActivityState, source: Source | None = None,
                      updates: dict[str, Update] | None = None) -> str:
        source = source if source is not None else self._source()
        if source is None:
            return empty_html(self.tr)
        if updates is None:
            updates = load_updates(self.store, self.participant.session_id, self.activity, round=state.round)
        return (f"<h3>{esc(self.tr.text(self.activity.title))}</h3>"
                f"<p class='vt-muted'>{esc(source_text(self.tr, source))}</p>"
                + list_html(self.tr, self.activity, source, updates, names=True))

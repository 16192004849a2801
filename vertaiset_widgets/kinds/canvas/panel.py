"""The canvas on the participant's page: one shared canvas per group (its members see each
other's saves), or one's own check-in.

Light (no pandas, no altair); revealed results are the groups' canvases as cards, or the
check-in's choices counted in plain tables.
"""
from __future__ import annotations

import logging
from typing import Any, TYPE_CHECKING

import ipywidgets as W

from ...forms import FieldsForm
from ...html_blocks import esc, table as _table
from ...panels import ActivityPanel
from ...store import ActivityState, AnswerInput
from ...text import clean_line, clean_text

if TYPE_CHECKING:  # a phone's page reads plain copies of the templates (vertaiset_widgets.plain)
    from .model import Canvas

__all__ = ["CanvasPanel"]

log = logging.getLogger("vertaiset")


class CanvasPanel(ActivityPanel):
    """A canvas filled per group (the group's latest text per box), or one's own check-in."""

    @property
    def live(self) -> bool:  # a group's canvas shows what the others in the group saved
        return self.activity.per == "group"

    def _fields(self) -> list[dict[str, Any]]:
        tr = self.tr
        out: list[dict[str, Any]] = []
        if self.activity.per == "group":
            out.append({"name": "_group", "label": tr("group_label"), "hint": tr("canvas_group_hint"), "maxlength": 60})
        for fld in self.activity.fields:
            spec: dict[str, Any] = {"name": fld.id, "label": tr.text(fld.label), "type": fld.type, "maxlength": fld.max_length}
            if fld.hint:
                spec["hint"] = tr.text(fld.hint)
            if fld.type == "select":
                spec["options"] = [{"value": "", "label": tr("choose")}] + [{"value": o.id, "label": tr.label(o)} for o in fld.options]
            if fld.type == "textarea":
                spec["rows"] = 3
            out.append(spec)
        return out

    def _make_form(self, state: ActivityState) -> FieldsForm:
        tr = self.tr
        form = FieldsForm(
            fields=self._fields(),
            texts={"title": tr.text(self.activity.title), "help": tr.text(self.activity.prompt), "submit": tr("save")},
        )
        form.on_submit(self._submit)
        return form

    def _group(self) -> str:
        return (self.participant.group_name or "").strip()

    def _group_values(self, state: ActivityState, group: str) -> dict[str, str]:
        latest: dict[str, tuple[int, str]] = {}
        for a in self._answers(state):
            if a.layer == group and (a.item not in latest or a.id > latest[a.item][0]):
                latest[a.item] = (a.id, a.value_text or "")
        return {k: v for k, (_i, v) in latest.items()}

    def _saved(self, state: ActivityState) -> dict:
        if self.activity.per == "group":
            group = self._group()
            values = self._group_values(state, group) if group else {}
            saved = {"_group": group, **values} if values or group else {}
        else:
            saved = {a.item: a.value_text or "" for a in self._answers(state, mine=True)}
        # what the form shows as saved: a save writes only the boxes that differ from it
        self._shown = getattr(self, "_shown", {})
        self._shown[state.round] = saved
        return saved

    def participant_changed(self) -> None:
        # a group given in the profile: the canvas shows that group's boxes at once
        if self.state is not None and self.state.is_open:
            self._after_update(self.state)

    def _after_update(self, state: ActivityState) -> list[W.Widget]:
        # others in the group saved: their words arrive (fields being typed in are kept by the browser)
        if self.activity.per == "group":
            form = self.forms.get(state.round)
            saved = self._saved(state)
            if form is not None and saved and saved != form.value:
                form.value = saved
        return []

    def _submit(self, form: FieldsForm, value: dict) -> None:
        layer = ""
        if self.activity.per == "group":
            # the box, or else the group given in the profile
            # cleaned as the store will: the group is also the canvas's layer, compared below
            group = clean_line(value.get("_group") or self._group(), 60) or ""
            if not group:
                form.show_status(self.tr("canvas_group_needed"), "error")
                return
            if self._group() and group.casefold() != self._group().casefold():
                # only a group's members edit its canvas: moving to another group is done in
                # the profile, never by typing another group's name here
                form.show_status(self.tr("canvas_other_group", group=self._group()), "error")
                return
            if group != self._group():
                try:
                    self.participant = self.store.update_profile(self.participant, nickname=self.participant.nickname, group=group)
                    if self.on_participant is not None:  # the profile form and the other panels follow
                        self.on_participant(self.participant)
                except Exception:
                    log.exception("saving the group failed")
                    form.show_status(self.tr("save_failed"), "error")
                    return
            layer = group
        state = self.state
        shown = getattr(self, "_shown", {}).get(state.round, {}) if state is not None else {}
        if layer and shown.get("_group", layer) != layer:
            shown = {}  # the group was just given: nothing of it was shown yet
        answers, filled = [], False
        for fld in self.activity.fields:
            if fld.id not in value:  # not sent: left as it is
                filled = filled or bool(shown.get(fld.id))
                continue
            text = clean_text(value.get(fld.id), fld.max_length) or ""  # as the store keeps it: nothing invisible
            if fld.type == "select" and text not in {o.id for o in fld.options}:
                text = ""
            filled = filled or bool(text)
            # a partial save: a box the participant left as it was shown is not written, so
            # it never overwrites (or empties) what another member saved meanwhile
            if text != (shown.get(fld.id) or "").strip():
                answers.append(AnswerInput(item=fld.id, layer=layer, value_text=text or None))
        if not filled:
            form.show_status(self.tr("nothing_written"), "error")
            return
        if not answers:
            form.show_status(self.tr("canvas_unchanged"), "ok")
            return
        if self._store(form, answers, self._saved_text()) and state is not None:
            self._saved(state)

    def _results_html(self, state: ActivityState) -> str:
        act: Canvas = self.activity
        answers = self._answers(state)
        parts = [f"<h3>{esc(self.tr.text(act.title))}</h3>"]
        if act.per == "group":
            groups = sorted({a.layer for a in answers if a.layer}, key=str.casefold)
            for group in groups:
                values = self._group_values(state, group)
                rows = "".join(
                    f"<dt>{esc(self.tr.text(f.label))}</dt><dd>{esc(values.get(f.id) or '–')}</dd>" for f in act.fields
                )
                parts.append(f"<section class='vt-canvas-card'><h4>{esc(group)}</h4><dl>{rows}</dl></section>")
        else:
            people = len({a.participant_id for a in answers})
            parts.append(f"<p>{esc(self.tr('checked_in', n=people))}</p>")
            for fld in act.fields:
                if fld.type != "select":
                    continue
                counts = {o.id: 0 for o in fld.options}
                for a in answers:
                    if a.item == fld.id and a.value_text in counts:
                        counts[a.value_text] += 1
                parts.append(_table(self.tr.text(fld.label), [self.tr("option"), "n"],
                                    [[self.tr.label(o), str(counts[o.id])] for o in fld.options]))
        return "".join(parts)

"""The facilitator's tools for the meeting planner: build the day's time-boxed plan (add a block,
move it, remove it, set when the day starts) and run it (start the next block, or a chosen one),
with a warning when a block or the day runs over."""
from __future__ import annotations

import html
import logging
from typing import Any, Callable

import ipywidgets as W

from ...console_tools import ConsoleTools
from ...errors import VertaisetInputError
from ...forms import FieldsForm
from ...store.agenda import AgendaBlock, day_status, parse_minutes, running_block
from .model import MeetingPlanner
from .plan import activity_workbooks, block_name, mode_labels, status_lines

__all__ = ["PlannerTools"]

log = logging.getLogger("vertaiset")

#: What the edit form can do to the chosen block.
ACTIONS = ("start", "up", "down", "remove")


class PlannerTools(ConsoleTools):
    """Build and run the day's plan from the facilitator's console."""

    activity: MeetingPlanner

    def __init__(self, console: Any):
        super().__init__(console)
        tr = self.wb.tr
        self.start_next = W.Button(description=tr("mp_start_next"), tooltip=tr("mp_start_next"))
        self.start_next.add_class("vt-mp-start")
        self.start_next.on_click(lambda _b: self.start_next_block())
        self.status = W.HTML()
        self.day = W.HTML()
        self.note = W.HTML()  # what the start button did
        self.add_form = FieldsForm(fields=self._add_fields(), texts={"title": tr("mp_add_title"), "submit": tr("mp_add")})
        self.add_form.on_submit(self.add_block)
        self.edit_form = FieldsForm(fields=[], texts={"title": tr("mp_edit_title"), "submit": tr("mp_do")})
        self.edit_form.on_submit(self.edit_block)
        self.day_form = FieldsForm(
            fields=[{"name": "day_start", "label": tr("mp_day_start"), "hint": tr("mp_day_hint"), "maxlength": 5,
                     "inputmode": "decimal"}],
            texts={"title": tr("mp_day_title"), "submit": tr("mp_day_save")},
        )
        self.day_form.on_submit(self.set_day_start)
        self._day_start: str | None = None  # until the plan has a block, the day starts here

    # ------------------------------------------------------------------ the widgets
    def _add_fields(self) -> list[dict]:
        tr = self.wb.tr
        known = self.wb.content.activities
        options = [{"value": "", "label": tr("mp_no_activity")}]
        for activity_id, notebook in activity_workbooks().items():
            if activity_id in known and activity_id != self.activity.id:
                label = f"{notebook.split('_')[0]} · {tr.text(known[activity_id].title)}"
                options.append({"value": activity_id, "label": label})
        return [
            {"name": "title", "label": tr("mp_title_label"), "hint": tr("mp_title_hint"), "maxlength": 120},
            {"name": "minutes", "label": tr("mp_minutes"), "maxlength": 3, "inputmode": "numeric"},
            {"name": "mode", "label": tr("mp_mode"), "type": "select",
             "options": [{"value": "", "label": "–"}] + [{"value": k, "label": v} for k, v in mode_labels(self.activity, tr).items()]},
            {"name": "activity", "label": tr("mp_activity"), "type": "select", "options": options},
            {"name": "is_break", "label": tr("mp_is_break"), "type": "select",
             "options": [{"value": "", "label": tr("mp_break_no")}, {"value": "1", "label": tr("mp_break_yes")}]},
        ]

    def widgets(self) -> list[W.Widget]:
        """A heading, the day's status, the start button and the three forms."""
        tr = self.wb.tr
        heading = W.HTML(f"<h3>{html.escape(tr('mp_tools_title'))}</h3>"
                         f"<p class='vt-muted'>{html.escape(tr('mp_tools_help'))}</p>")
        run = W.HBox([self.start_next, self.day, self.note])
        run.add_class("vt-toolbar")
        forms = W.VBox([self.add_form, self.edit_form, self.day_form])
        forms.add_class("vt-mp-forms")
        return [heading, self.status, run, forms]

    def update(self, results: Any = None) -> None:
        """Fill the edit form with the plan's blocks and show where the day stands."""
        tr = self.wb.tr
        blocks = self.blocks()
        fields = [
            {"name": "block", "label": tr("mp_block"), "type": "select",
             "options": [{"value": str(b.position), "label": f"{b.starts_at} {block_name(b, tr)}"} for b in blocks]},
            {"name": "action", "label": tr("mp_action"), "type": "select",
             "options": [{"value": a, "label": tr(f"mp_action_{a}")} for a in ACTIONS]},
        ]
        if self.edit_form.fields != fields:
            self.edit_form.fields = fields
        self.edit_form.disabled = not blocks
        self.start_next.disabled = not blocks
        if blocks:
            self.day_form.value = {"day_start": blocks[0].starts_at or ""}
        self.show_status(blocks)

    def show_status(self, blocks: list[AgendaBlock] | None = None) -> None:
        """Redraw the running block and the warnings (the day runs over, a block past its time)."""
        tr = self.wb.tr
        blocks = self.blocks() if blocks is None else blocks
        status = day_status(blocks)
        running = status.running
        self.day.value = (f"<p class='vt-muted' data-vt-running='{running.position}'>"
                          f"{html.escape(tr('mp_now'))}: {html.escape(block_name(running, tr))}</p>") if running else ""
        self.status.value = status_lines(status, tr)

    # ------------------------------------------------------------------ the store
    def blocks(self) -> list[AgendaBlock]:
        """The session's plan as it stands."""
        return self.wb.store.agenda_blocks(self.wb.session.id)

    def _write(self, form: FieldsForm | None, action: Callable[[], Any], done: str) -> bool:
        """Run a store write; on a bad value say which in the form, else say ``done`` and redraw."""
        tr = self.wb.tr
        try:
            action()
        except VertaisetInputError as exc:
            key = f"mp_error_{exc.code}"
            self._say(form, tr(key) if key in tr.content.strings else tr("save_failed"), "error")
            return False
        except Exception:
            log.exception("saving the plan failed")
            self._say(form, tr("save_failed"), "error")
            return False
        self._say(form, done, "ok")
        self.console.redraw()
        self.update()
        return True

    def _say(self, form: FieldsForm | None, text: str, kind: str) -> None:
        if form is not None:
            form.show_status(text, kind)
        else:
            self.note.value = f"<p class='vt-{'error' if kind == 'error' else 'muted'}' role='status'>{html.escape(text)}</p>"

    def _save(self, blocks: list[AgendaBlock], day_start: str | None = None) -> None:
        self.wb.store.set_agenda_blocks(self.wb.session.id, blocks, day_start=day_start or self._day_start,
                                        changed=[self.activity.id])

    # ------------------------------------------------------------------ the actions
    def add_block(self, form: FieldsForm | None, value: dict) -> None:
        """Add a block at the end of the day (the facilitator's add button)."""
        activity_id = str(value.get("activity") or "")
        workbook = activity_workbooks().get(activity_id) if activity_id in self.wb.content.activities else None
        modes = mode_labels(self.activity, self.wb.tr)

        def act() -> None:
            block = AgendaBlock(
                position=0, minutes=parse_minutes(value.get("minutes")), title=str(value.get("title") or "") or None,
                mode=value.get("mode") if value.get("mode") in modes else None, is_break=bool(value.get("is_break")),
                workbook=workbook, activity_id=activity_id if workbook else None,
            )
            self._save([*self.blocks(), block], None if self.blocks() else self._day_start or self.activity.day_start)
            if form is not None:
                form.clear()

        self._write(form, act, self.wb.tr("mp_added"))

    def edit_block(self, form: FieldsForm | None, value: dict) -> None:
        """Start, move up, move down or remove the chosen block (the edit form's button)."""
        tr = self.wb.tr
        blocks = self.blocks()
        try:
            i = int(str(value.get("block")))
        except ValueError:
            i = -1
        action = value.get("action")
        if not 0 <= i < len(blocks) or action not in ACTIONS:
            self._say(form, tr("mp_error_unknown"), "error")
            return
        if action == "start":
            self.start(i, form)
            return
        if action == "remove":
            changed = blocks[:i] + blocks[i + 1:]
        else:
            j = i - 1 if action == "up" else i + 1
            if not 0 <= j < len(blocks):
                self._say(form, tr("mp_done"), "ok")
                return
            changed = list(blocks)
            changed[i], changed[j] = changed[j], changed[i]
        self._write(form, lambda: self._save(changed, blocks[0].starts_at), tr("mp_done"))

    def set_day_start(self, form: FieldsForm | None, value: dict) -> None:
        """Set when the day starts: every block's start time follows."""
        from ...store.agenda import clock, parse_time

        def act() -> None:
            start = clock(parse_time(value.get("day_start")))
            self._day_start = start
            blocks = self.blocks()
            if blocks:
                self._save(blocks, start)

        self._write(form, act, self.wb.tr("mp_day_saved", time=str(value.get("day_start") or "").strip()))

    def start(self, position: int, form: FieldsForm | None = None) -> None:
        """Start the block at ``position`` now."""
        store, session = self.wb.store, self.wb.session
        title: list[str] = []

        def act() -> None:
            block = store.start_block(session.id, position, changed=[self.activity.id])
            title.append(block_name(block, self.wb.tr))

        if self._write(form, act, ""):
            self._say(form, self.wb.tr("mp_started", title=title[0]), "ok")

    def start_next_block(self) -> None:
        """Start the block after the running one (the first when none runs): the console's one button."""
        blocks = self.blocks()
        running = running_block(blocks)
        position = 0 if running is None else running.position + 1
        if position >= len(blocks):
            self._say(None, self.wb.tr("mp_no_next"), "error")
            return
        self.start(position)

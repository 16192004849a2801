"""The year clock on the participant's page: add the year's events, see everyone's live, take
back one's own.

Light (no pandas, no altair): the events are read with :mod:`.events`, the year wheel above
the list is drawn by :mod:`.phone_wheel` (the list stays its text alternative).
"""
from __future__ import annotations

from datetime import date
from typing import Any, TYPE_CHECKING

import ipywidgets as W

from ...forms import FieldsForm
from ...html_blocks import esc
from ...panels import ActivityPanel, save_or_say_why
from ...store import ActivityState
from ...text import clean_line
from .events import Event, add_event, load_events, remove_own, wheel_year
from .phone_wheel import phone_wheel

if TYPE_CHECKING:  # a phone's page reads plain copies of the templates (vertaiset_widgets.plain)
    from .model import YearClock

__all__ = ["YearClockPanel", "when_text"]


def when_text(event: Event) -> str:
    """The event's date or range, the Finnish way (``15.3.2026`` or ``15.3.–17.3.2026``)."""
    def day(d: Any, year: bool = True) -> str:
        return f"{d.day}.{d.month}.{d.year}" if year else f"{d.day}.{d.month}."

    if event.end == event.start:
        return day(event.start)
    return f"{day(event.start, event.start.year != event.end.year)}–{day(event.end)}"


class YearClockPanel(ActivityPanel):
    """Add events to the shared year clock; see everyone's entries live."""

    #: closed, what the room has entered stays in view under the turned-off form
    kept_when_closed = ("_wheel", "_list")

    live = True

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.remove_form: FieldsForm | None = None
        self._list = W.HTML()
        self._wheel = W.HTML()
        self._held_on: date | None = None

    def _make_form(self, state: ActivityState) -> FieldsForm:
        tr = self.tr
        act: YearClock = self.activity
        form = FieldsForm(
            fields=[
                {"name": "type", "label": tr("yc_type"), "type": "select",
                 "options": [{"value": t.id, "label": tr.label(t)} for t in act.types]},
                {"name": "title", "label": tr("yc_title"), "maxlength": 120},
                {"name": "start", "label": tr("yc_start"), "type": "date", "hint": tr("yc_date_hint")},
                {"name": "end", "label": tr("yc_end"), "type": "date", "hint": tr("yc_end_hint")},
                {"name": "owner", "label": tr("yc_owner"), "maxlength": 80},
                {"name": "ring", "label": tr("yc_ring"), "type": "select",
                 "options": [{"value": r.id, "label": tr.label(r)} for r in act.rings]},
            ],
            texts={"title": tr.text(act.title), "help": tr.text(act.prompt), "submit": tr("yc_add")},
        )
        form.on_submit(self._add)
        self.remove_form = FieldsForm(fields=[], texts={"title": tr("yc_remove_title"), "submit": tr("yc_remove")})
        self.remove_form.on_submit(self._remove)
        self.remove_form.draft_key = self._draft_key(state, "remove")
        return form

    def _events(self, state: ActivityState) -> list[Event]:
        return load_events(self.store, self.participant.session_id, self.activity, round=state.round)

    def _after_update(self, state: ActivityState) -> list[W.Widget]:
        tr = self.tr
        events = self._events(state)
        self._wheel.value = self._wheel_html(events)
        self._list.value = self._list_html(events)
        mine = [e for e in events if e.participant_id == self.participant.id]
        widgets: list[W.Widget] = [self._wheel, self._list]
        assert self.remove_form is not None
        if mine:
            fields = [{"name": "item", "label": tr("yc_remove_item"), "type": "select",
                       "options": [{"value": e.id, "label": f"{when_text(e)} {e.title}"} for e in mine]}]
            if self.remove_form.fields != fields:
                self.remove_form.fields = fields
            self.remove_form.disabled = False
            widgets.append(self.remove_form)
        return widgets

    def _wheel_html(self, events: list[Event]) -> str:
        """The year wheel (inline SVG): the template's year, else the session's; today marked in it."""
        if self._held_on is None:  # the session's date decides the wheel's year: read once
            self._held_on = self.store.session_by_id(self.participant.session_id).held_on
        return phone_wheel(events, self.activity, self.tr, year=wheel_year(self.activity, self._held_on), today=date.today())

    def _list_html(self, events: list[Event]) -> str:
        tr = self.tr
        types = {t.id: tr.label(t) for t in self.activity.types}
        rings = {r.id: tr.label(r) for r in self.activity.rings}
        items = "".join(
            f"<li><strong>{esc(when_text(e))}</strong> {esc(e.title)}"
            f" <span class='vt-muted'>({esc(types.get(e.type, ''))}; {esc(rings.get(e.ring, ''))}"
            f"{'; ' + esc(e.owner) if e.owner else ''})</span></li>"
            for e in events
        )
        return (f"<h4>{esc(tr('yc_events_now', n=len(events)))}</h4>"
                f"<ul class='vt-list' data-vt-events='{len(events)}'>{items}</ul>")

    def _run(self, form: Any, action: Any, done: str) -> None:
        if not save_or_say_why(form, self.tr, action, input_errors="yc_error_"):
            return
        form.show_status(done, "ok")
        if self.state is not None:
            self.children = [self.forms[self.state.round], *self._after_update(self.state)]

    def _add(self, form: Any, value: dict) -> None:
        title = clean_line(value.get("title"), 120) or ""

        def act() -> None:
            add_event(self.store, self.participant, self.activity, value, submission_id=form.submission_id)
            form.clear()

        self._run(form, act, self.tr("yc_added", title=title))

    def _remove(self, form: Any, value: dict) -> None:
        self._run(form, lambda: remove_own(self.store, self.participant, self.activity, str(value.get("item") or ""),
                                           submission_id=form.submission_id), self.tr("yc_removed"))

    def _results_html(self, state: ActivityState) -> str:
        events = self._events(state)
        return f"<h3>{esc(self.tr.text(self.activity.title))}</h3>" + self._wheel_html(events) + self._list_html(events)

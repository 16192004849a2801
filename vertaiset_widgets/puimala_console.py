"""The Puimala workbook's process console: Arnkil's forum in three stages, *ennakkopuinti*
(pre-work), *puinti* (the forum) and *jälkipuinti* (after the forum).

``pm = Puimala(wb)`` in the notebook, then one cell each: ``pm.process()`` (the eight steps and
their status), ``pm.prework()``, ``pm.forum()``, ``pm.postwork()`` and ``pm.outcome()``. The
facilitator with the key gets the tools; the room's screen gets the running block's notes in large
type when the facilitator puts them there; the report gets the stages as text
(:mod:`.puimala_report`); a page without the key gets nothing that is not public.
"""
from __future__ import annotations

import html
import json
import logging
import re
from datetime import date, datetime, time, timezone
from typing import Any, Callable

import ipywidgets as W

from . import roots
from .errors import VertaisetInputError
from .forms import FieldsForm
from .links import SessionLinks, qr_svg_data_uri
from .live import ChangeFeed, Poller
from .puimala_views import (at_local, local, local_datetime, materials_html, notes_html, notes_url, process_html,
                            process_steps, screen_notes_html)
from .room_widgets import Fold, FoldBody
from .store.agenda import running_block

__all__ = ["Puimala"]

log = logging.getLogger("vertaiset")

#: A workbook's code cell that shows an activity.
_ACTIVITY_CALL = re.compile(r"""wb\.activity\(["']([a-z0-9_]+)["']\)""")
#: Seconds between the console's looks at the store (its notes and feedback follow the room).
POLL = 1.0
#: The feedback period's default length after the forum.
FEEDBACK_DAYS = 14


def _time(text: str, default: time) -> time:
    """``9.00`` / ``9:00`` / ``9`` as a time of day (empty: ``default``)."""
    text = (text or "").strip().replace(":", ".")
    if not text:
        return default
    match = re.fullmatch(r"(\d{1,2})(?:\.(\d{2}))?", text)
    if not match or int(match.group(1)) > 23 or int(match.group(2) or 0) > 59:
        raise VertaisetInputError(f"not a time of day: {text!r}", code="time")
    return time(int(match.group(1)), int(match.group(2) or 0))


def _day(text: str) -> date | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise VertaisetInputError(f"not a date: {text!r}", code="date") from None


class Puimala:
    """A Puimala's process on the workbook's page, in the page's role.

    Parameters
    ----------
    wb : Workbook
        The workbook (its session, store, translator and role); an unavailable workbook gives
        nothing, as its header already says why.
    """

    def __init__(self, wb: Any):
        self.wb = wb
        self.session = getattr(wb, "session", None)
        self.store = getattr(wb, "store", None)
        self.tr = getattr(wb, "tr", None)
        self.role = getattr(wb, "role", "")
        self.trusted = self.session is not None and bool(getattr(wb, "trusted", False))
        # None until the facilitator's first change makes the session a Puimala (then its report is one)
        self.info = self.store.puimala(self.session.id) if self.session is not None else None
        self._redraws: list[tuple[set[str], Callable[[], None]]] = []
        self._poller: Poller | None = None
        self._feed: ChangeFeed | None = None
        self.screen_notes: W.HTML | None = None
        self.notes_key: str | None = None  # the note-taker's key, shown once after it is made

    # ------------------------------------------------------------------ the cells
    def process(self) -> Any:
        """The source's eight steps (1a–8) with each one's status."""
        if self.role == "report" and self.session is not None:
            from .puimala_report import report_process

            return report_process(self)
        if not self.trusted:
            return None
        self.process_view = W.HTML(self._process_html())
        self.process_view.add_class("vt-pm")
        self._follow({"*"}, lambda: setattr(self.process_view, "value", self._process_html()))
        return self.process_view

    def prework(self) -> Any:
        """Ennakkopuinti: the stories and the fact pack, the invitation, and the pre-work window."""
        if self.role == "report" and self.session is not None:
            from .puimala_report import report_prework

            return report_prework(self)
        if not self.trusted:
            return None
        return self._stage("ennakkopuinti", self._prework_parts)

    def _prework_parts(self) -> list[W.Widget]:
        tr = self.tr
        self.materials_view = W.HTML()
        self.material_form = FieldsForm(fields=[
            {"name": "kind", "label": tr("pm_material_kind"), "type": "select",
             "options": [{"value": k, "label": tr(f"pm_kind_{k}")} for k in ("story", "fact", "link")]},
            {"name": "title", "label": tr("pm_material_title"), "maxlength": 300},
            {"name": "body", "label": tr("pm_material_body"), "hint": tr("pm_material_body_hint"), "type": "textarea",
             "maxlength": 20000, "rows": 6},
            {"name": "url", "label": tr("pm_material_url"), "hint": tr("pm_material_url_hint"), "maxlength": 2000,
             "inputmode": "url"},
        ], texts={"title": tr("pm_material_add_title"), "submit": tr("pm_material_add")})
        self.material_form.on_submit(self.add_material)
        self.upload = W.FileUpload(description=tr("pm_file_upload"), multiple=False, tooltip=tr("pm_file_hint"))
        self.upload.observe(self._on_upload_change, names="value")
        self.upload_status = W.HTML()
        self.withdraw_form = FieldsForm(fields=[], texts={"title": tr("pm_withdraw_title"), "submit": tr("pm_withdraw")})
        self.withdraw_form.on_submit(self.withdraw)
        self._draw_materials()
        self._follow({"@materials"}, self._draw_materials)
        upload = W.VBox([W.HTML(f"<h4>{html.escape(tr('pm_file_title'))}</h4>"
                                f"<p class='vt-muted'>{html.escape(tr('pm_file_hint'))}</p>"), self.upload, self.upload_status])
        return [W.HTML(f"<h3>{html.escape(tr('pm_materials_title'))}</h3>"), self.materials_view, self.material_form,
                upload, self.withdraw_form, self._invitation(), self._window()]

    def forum(self) -> Any:
        """Puinti: the note-taker's link, the notes as they are written, and the notes on the screen."""
        if self.session is None:
            return None
        if self.role == "report":
            from .puimala_report import report_forum

            return report_forum(self)
        if self.role == "screen":
            self.screen_notes = W.HTML()
            self.screen_notes.add_class("vt-pm-screen-notes")
            self._draw_screen_notes()
            self._follow({"@notes", "@session"}, self._draw_screen_notes)
            return self.screen_notes
        if not self.trusted:
            return None
        return self._stage("puinti", self._forum_parts)

    def _forum_parts(self) -> list[W.Widget]:
        tr = self.tr
        self.notes_button = W.Button(description=tr("pm_notes_key_make"), tooltip=tr("pm_notes_key_help"))
        self.notes_button.on_click(lambda _b: self.make_notes_key())
        self.notes_link = W.HTML()
        self.screen_toggle = W.Checkbox(value=bool(self.info and self.info.notes_on_screen),
                                        description=tr("pm_notes_on_screen"), indent=False)
        self.screen_toggle.observe(self._on_screen_toggle_change, names="value")
        self.notes_view = W.HTML()
        self._draw_notes()
        self._follow({"@notes", "@session"}, self._draw_notes)
        return [W.HTML(f"<h3>{html.escape(tr('pm_notes_title'))}</h3><p class='vt-muted'>{html.escape(tr('pm_notes_help'))}</p>"),
                self.notes_button, self.notes_link, self.screen_toggle, self.notes_view]

    def postwork(self) -> Any:
        """Jälkipuinti: publish the notes, the feedback link and its moderation, and the peers."""
        if self.role == "report" and self.session is not None:
            from .puimala_report import report_postwork

            return report_postwork(self)
        if not self.trusted:
            return None
        return self._stage("jalkipuinti", self._postwork_parts)

    def _postwork_parts(self) -> list[W.Widget]:
        from .puimala_postwork import PostworkTools

        self.post = PostworkTools(self)
        return self.post.widgets()

    def outcome(self) -> Any:
        """The Puimala's outcome into the active practice bank (the bank's own widget)."""
        if self.session is None or not (self.trusted or self.role == "report"):
            return None
        try:
            from .bank_feed import bank_action
        except ImportError:  # a package without the practice bank
            return None
        return bank_action(self.wb)

    # ------------------------------------------------------------------ shared
    def _stage(self, stage: str, make: Callable[[], list[W.Widget]]) -> W.VBox:
        """A stage's section, folded to its title but for the stage the Puimala is in now (before
        its day the pre-work, on its day the forum, after it the post-work). On a live page a folded
        stage's tools are made by ``make`` when it is first opened (:class:`FoldBody`)."""
        fold = Fold(anchor=f"pm-{stage}", title=self.tr("pm_stage_" + stage), expanded=stage == self._current_stage())
        return W.VBox([fold, FoldBody(fold, make)], _dom_classes=("vt-pm", f"vt-pm-{stage}"))

    def _current_stage(self) -> str:
        now = datetime.now(timezone.utc)
        today, held = (local(now) or now).date(), self.session.held_on
        return "ennakkopuinti" if held > today else "puinti" if held == today else "jalkipuinti"

    def _process_html(self) -> str:
        return process_html(process_steps(self.store, self.session, self.info, self.tr), self.tr)

    def _follow(self, keys: set[str], redraw: Callable[[], None]) -> None:
        """Redraw with ``redraw`` when one of ``keys`` changes ("*": anything)."""
        self._redraws.append((keys, redraw))
        if self._poller is None and self.session is not None:
            session_id = self.session.id
            self._feed = ChangeFeed(self.store, session_id)
            self._feed.start()
            self._poller = Poller(lambda: self.store.revision(session_id), self._on_change, interval=POLL)
            self._poller.revision = self.store.revision(session_id)
            self._poller.start()

    def _on_change(self) -> None:
        assert self._feed is not None
        with self._feed.changes() as keys:
            if keys is None or "@session" in keys:
                self.info = self.store.puimala(self.session.id)
            for wanted, redraw in self._redraws:
                if keys is None or "*" in wanted or wanted & keys:
                    redraw()

    def refresh(self) -> None:
        """Look at the store now instead of waiting for the next poll."""
        if self._poller is not None:
            self._poller.check()

    def error_text(self, exc: VertaisetInputError) -> str:
        """A refused input in the page's language: the reason's own words where there are some."""
        key = f"pm_error_{exc.code}"
        return self.tr(key) if key in self.tr.content.strings else self.tr("pm_error_invalid", reason=str(exc))

    def _workbook_activities(self) -> list[str]:
        """The activities this workbook shows (its ``wb.activity`` cells), in order."""
        path = roots.workbooks_dir() / self.wb.notebook
        try:
            cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        except (OSError, ValueError, KeyError):
            return list(self.info.prework_activities) if self.info is not None else []
        found: list[str] = []
        for cell in cells:
            if cell.get("cell_type") == "code":
                source = cell.get("source", "")
                for activity_id in _ACTIVITY_CALL.findall("".join(source) if isinstance(source, list) else str(source)):
                    if activity_id in self.wb.content.activities and activity_id not in found:
                        found.append(activity_id)
        return found

    # ------------------------------------------------------------------ ennakkopuinti
    def _draw_materials(self) -> None:
        materials = self.store.materials(self.session.id)
        self.materials_view.value = materials_html(materials, self.tr, bodies=False)
        fields = [{"name": "material", "label": self.tr("pm_withdraw_which"), "type": "select",
                   "options": [{"value": str(m.id), "label": f"{self.tr('pm_kind_' + m.kind)}: {m.title}"} for m in materials]}]
        if self.withdraw_form.fields != fields:
            self.withdraw_form.fields = fields
        self.withdraw_form.disabled = not materials

    def _ensure_puimala(self) -> None:
        """Make the session a Puimala before its first material (its settings row, the defaults)."""
        if self.info is None:
            self.info = self.store.set_puimala(self.session.id)

    def add_material(self, form: FieldsForm | None, value: dict) -> None:
        """Add a story, a fact pack text or a link (the material form's submit)."""
        kind = str(value.get("kind") or "story")
        try:
            self._ensure_puimala()
            self.store.add_material(self.session.id, kind, str(value.get("title") or ""),
                                    body=str(value.get("body") or "") or None, url=str(value.get("url") or "") or None)
        except VertaisetInputError as exc:
            if form is not None:
                form.show_status(self.error_text(exc), "error")
            return
        if form is not None:
            form.show_status(self.tr("pm_material_added"))
            form.clear()
        self._draw_materials()

    def _on_upload_change(self, change: dict) -> None:
        files = change["new"] or ()
        if not files:
            return
        item = files[0]
        name = str(item.get("name") or "")
        try:
            self._ensure_puimala()
            self.store.add_material(self.session.id, "file", name, filename=name, content=bytes(item.get("content") or b""))
        except VertaisetInputError as exc:
            self._say(self.upload_status, self.error_text(exc), "error")
        else:
            self._say(self.upload_status, self.tr("pm_file_added", name=name), "ok")
            self._draw_materials()
        finally:
            self.upload.value = ()  # the same file may be chosen again

    def withdraw(self, form: FieldsForm | None, value: dict) -> None:
        """Take a piece of material out of the pre-work."""
        try:
            self.store.withdraw_material(self.session.id, int(value.get("material") or 0))
        except (ValueError, VertaisetInputError):
            if form is not None:
                form.show_status(self.tr("pm_error_unknown"), "error")
            return
        if form is not None:
            form.show_status(self.tr("pm_withdrawn"))
        self._draw_materials()

    def _invitation(self) -> W.VBox:
        """The wider group's invitation: the participant link, its QR code and a text to copy."""
        tr = self.tr
        link = SessionLinks(self.session.code, lang=tr.lang).participant
        text = tr("pm_invite_text", title=self.session.title, date=f"{self.session.held_on.day}.{self.session.held_on.month}."
                  f"{self.session.held_on.year}", link=link, code=self.session.code)
        head = W.HTML(
            f"<h3>{html.escape(tr('pm_invite_title'))}</h3><p class='vt-muted'>{html.escape(tr('pm_invite_help'))}</p>"
            f"<div class='vt-join'><img class='vt-qr' alt='{html.escape(tr('qr_alt', url=link), quote=True)}' "
            f"src='{qr_svg_data_uri(link)}'><div><p class='vt-link'>{html.escape(link)}</p>"
            f"<p>{html.escape(tr('session_code'))} <strong>{html.escape(self.session.code)}</strong></p></div></div>")
        self.invite_text = W.Textarea(value=text, description=tr("pm_invite_text_label"), rows=6,
                                      layout=W.Layout(width="100%"), style={"description_width": "initial"})
        return W.VBox([head, self.invite_text])

    def _window(self) -> W.VBox:
        """The pre-work window: when it opens and closes, which activities it opens, and the forum's mode."""
        tr = self.tr
        info = self.info
        chosen = set(info.prework_activities) if info is not None else set()
        self.prework_boxes = {
            a: W.Checkbox(value=a in chosen, description=tr.text(self.wb.content.activity(a).title), indent=False)
            for a in self._workbook_activities()}
        opens, closes = (local(info.prework_opens), local(info.prework_closes)) if info is not None else (None, None)
        self.window_form = FieldsForm(fields=[
            {"name": "opens_day", "label": tr("pm_opens_day"), "type": "date"},
            {"name": "opens_time", "label": tr("pm_opens_time"), "hint": tr("pm_time_hint"), "maxlength": 5, "inputmode": "decimal"},
            {"name": "closes_day", "label": tr("pm_closes_day"), "type": "date"},
            {"name": "closes_time", "label": tr("pm_closes_time"), "hint": tr("pm_time_hint"), "maxlength": 5, "inputmode": "decimal"},
            {"name": "mode", "label": tr("pm_mode"), "type": "select",
             "options": [{"value": m, "label": tr(f"pm_mode_{m}")} for m in ("live", "online")]},
        ], texts={"title": tr("pm_window_when"), "submit": tr("pm_window_save")}, value={
            "opens_day": opens.date().isoformat() if opens else "", "opens_time": f"{opens.hour}.{opens.minute:02d}" if opens else "",
            "closes_day": closes.date().isoformat() if closes else "",
            "closes_time": f"{closes.hour}.{closes.minute:02d}" if closes else "", "mode": info.mode if info else "live"})
        self.window_form.on_submit(self.save_window)
        self.window_state = W.HTML(self._window_state())
        self._follow({"@session"}, lambda: setattr(self.window_state, "value", self._window_state()))
        boxes = W.VBox(list(self.prework_boxes.values()))
        boxes.add_class("vt-pm-activities")
        return W.VBox([W.HTML(f"<h3>{html.escape(tr('pm_window_title'))}</h3>"
                              f"<p id='vt-pm-prework-activities'>{html.escape(tr('pm_window_activities'))}</p>"),
                       boxes, self.window_form, self.window_state])

    def _window_state(self) -> str:
        info = self.info
        if info is None or info.prework_state() == "none":
            return f"<p class='vt-muted'>{html.escape(self.tr('pm_window_none'))}</p>"
        names = ", ".join(self.tr.text(self.wb.content.activity(a).title) for a in info.prework_activities
                          if a in self.wb.content.activities)
        return (f"<p role='status'>{html.escape(self.tr('pm_window_' + info.prework_state(), opens=local_datetime(info.prework_opens), closes=local_datetime(info.prework_closes)))}"
                f"{(' – ' + html.escape(names)) if names else ''}</p>")

    def save_window(self, form: FieldsForm | None, value: dict) -> None:
        """Set the pre-work window, its activities and the forum's mode."""
        try:
            opens_day, closes_day = _day(value.get("opens_day", "")), _day(value.get("closes_day", ""))
            opens = at_local(opens_day, _time(value.get("opens_time", ""), time(0, 0))) if opens_day else None
            closes = at_local(closes_day, _time(value.get("closes_time", ""), time(23, 59))) if closes_day else None
            mode = value.get("mode") if value.get("mode") in ("live", "online") else "live"
            chosen = [a for a, box in self.prework_boxes.items() if box.value]
            self.info = self.store.set_puimala(self.session.id, prework_opens=opens, prework_closes=closes,
                                               prework_activities=chosen, mode=mode)
        except VertaisetInputError as exc:
            if form is not None:
                form.show_status(self.error_text(exc), "error")
            return
        if form is not None:
            form.show_status(self.tr("pm_window_saved"))
        self.window_state.value = self._window_state()

    # ------------------------------------------------------------------ puinti
    def make_notes_key(self) -> str:
        """A new key for the note-taker (the earlier link stops working); its link is shown once."""
        self.notes_key = self.store.new_notes_key(self.session.id)
        url = notes_url(self.session.code, self.notes_key, self.tr.lang)
        self.notes_link.value = (f"<p role='status'>{html.escape(self.tr('pm_notes_key_shown'))}</p>"
                                 f"<p class='vt-link'><a href='{html.escape(url, quote=True)}' target='_blank' rel='noopener'>"
                                 f"{html.escape(url)}</a></p>")
        return self.notes_key

    def _on_screen_toggle_change(self, change: dict) -> None:
        if self.info is None or bool(change["new"]) != self.info.notes_on_screen:
            self.info = self.store.set_puimala(self.session.id, notes_on_screen=bool(change["new"]))

    def _draw_notes(self) -> None:
        blocks = self.store.agenda_blocks(self.session.id)
        notes = self.store.notes(self.session.id)
        running = running_block(blocks)
        now = (f"<p class='vt-muted'>{html.escape(self.tr('pm_notes_running', block=running.title or ''))}</p>"
               if running is not None and running.title else "")
        self.notes_view.value = now + notes_html(blocks, notes, self.tr)
        if self.info is not None and self.screen_toggle.value != self.info.notes_on_screen:
            self.screen_toggle.value = self.info.notes_on_screen

    def _draw_screen_notes(self) -> None:
        """The running block's notes on the screen, while the facilitator shows them there."""
        info = self.info
        block = running_block(self.store.agenda_blocks(self.session.id))
        note = self.store.notes(self.session.id).get(block.key) if block is not None and info is not None else None
        shown = bool(info and info.notes_on_screen and note is not None and note.body.strip())
        value = screen_notes_html(block, note, self.tr) if shown else ""
        if self.screen_notes.value != value:
            self.screen_notes.value = value
        self.screen_notes.layout.display = None if shown else "none"

    @staticmethod
    def _say(view: W.HTML, text: str, kind: str) -> None:
        css = "vt-error" if kind == "error" else "vt-muted"
        role = "alert" if kind == "error" else "status"
        view.value = f"<p class='{css}' role='{role}'>{html.escape(text)}</p>"


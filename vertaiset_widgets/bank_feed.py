"""Feeding the practice bank from a session (*Vie käytäntöpankkiin*).

:func:`practice_from_session` makes a practice, or the next version of one, from what the session
produced: the room's 360 profile in its "nyt" layer, read as the templates' profile reading reads
it (:func:`kinds.profile_reading.reading.read_room`), where it came from, and the steps the session
promoted for the next round. :func:`bank_action` is the facilitator's one action for it on a
workbook page (04's levittäminen, a Puimala's outcome).
"""
from __future__ import annotations

import copy
import html
import logging
from typing import Any
from urllib.parse import urlencode

import ipywidgets as W
from IPython.display import HTML

from .errors import VertaisetError
from .forms import FieldsForm
from .shared_models import plain_html, shared_layout

__all__ = ["bank_action", "practice_from_session", "room_profile"]

log = logging.getLogger("vertaiset")

#: the bank's workbook: the link after a save opens the practice there
BANK_NOTEBOOK = "kaytantopankki.ipynb"


def _profile_reading(content: Any) -> Any:
    """The templates' reading of the 360 (a ``profile_reading`` activity), or None."""
    return next((a for a in content.activities.values() if getattr(a, "kind", "") == "profile_reading"), None)


def room_profile(store: Any, session: Any, content: Any) -> tuple[dict[str, float], dict[str, Any] | None]:
    """The room's 360 profile (the mean per dimension of the reading's source layer, "nyt") and its
    source ``{session, activity, layer, date, n}``; ``({}, None)`` when nobody has rated it."""
    from .kinds.profile_reading.reading import read_room

    reading = _profile_reading(content)
    if reading is None:
        return {}, None
    room, _groups = read_room(store, session.id, reading)
    if not room.values:
        return {}, None
    profile = {k: round(float(v), 2) for k, v in room.values.items()}
    source = {"session": session.code, "activity": reading.source, "layer": reading.source_layer,
              "date": session.held_on.isoformat(), "n": int(room.respondents)}
    return profile, source


def practice_from_session(store: Any, session: Any, content: Any, *, name: str, uid: str | None = None,
                          changed_by: str | None = None, note: str | None = None) -> Any:
    """Save a practice from a session: a new one (``uid`` None), or the next version of ``uid``.

    Takes the room's 360 profile with its source, the steps the session promoted and the session's
    network; an existing practice keeps every other field (and its profile or steps when the session
    has none). An empty ``name`` keeps an existing practice's name.

    Raises
    ------
    VertaisetInputError
        A field the bank refuses (an empty name for a new practice), or an unknown ``uid``.
    """
    from .errors import VertaisetInputError

    fields: dict[str, Any] = {}
    if uid is not None:
        existing = store.practice(uid)
        if existing is None:
            raise VertaisetInputError(f"no practice {uid!r} in the bank", code="unknown")
        fields = copy.deepcopy(dict(existing.fields))
    name = (name or "").strip()
    if name or uid is None:
        fields["name"] = name
    profile, source = room_profile(store, session, content)
    if profile:
        fields["profile"], fields["profile_source"] = profile, source
    steps = [s.text for s in store.promoted_steps(session.id) if s.text]
    if steps:
        fields["steps"] = steps
    fields["network"] = session.network_name
    return store.save_practice(fields, uid=uid, changed_by=changed_by, note=note, from_session_id=session.id)


def _fed_names(store: Any, session: Any) -> list[str]:
    """The practices (their names now) a version of which this session fed."""
    names = []
    for p in store.practices(limit=1000):
        if any(v.from_session == session.code for v in store.practice_versions(p.uid)):
            names.append(p.name)
    return names


def bank_action(wb: Any) -> Any:
    """The facilitator's *Vie käytäntöpankkiin*: a widget on a page with the key; in a report a
    line naming the practices this session fed; nothing for other roles."""
    if getattr(wb, "session", None) is None:
        return None
    if wb.role == "report":
        names = _fed_names(wb.store, wb.session)
        words = wb.tr("bk_feed_report", names=", ".join(names)) if names else wb.tr("bk_feed_report_none")
        return HTML(f"<p class='vt-bk-fed'>{html.escape(words)}</p>")
    if not getattr(wb, "trusted", False):
        return None
    return BankAction(wb)


class BankAction(W.VBox):
    """A new practice by name, or an update of one chosen from a searchable list; then a link to
    the bank's console on that practice."""

    def __init__(self, wb: Any):
        super().__init__(_dom_classes=("vt-bk-action",), layout=shared_layout())
        self.wb, self.tr = wb, wb.tr
        tr = self.tr
        self.saved: Any = None
        self.new_form = FieldsForm(
            fields=[{"name": "name", "label": tr("bk_field_name"), "maxlength": 300},
                    {"name": "changed_by", "label": tr("bk_changed_by"), "maxlength": 120, "autocomplete": "name"}],
            texts={"title": tr("bk_feed_new_title"), "submit": tr("bk_feed_new_button")},
        )
        self.new_form.on_submit(self._on_new)
        self.find = W.Text(description=tr("bk_feed_find"), continuous_update=False, style={"description_width": "initial"})
        self.find.observe(lambda _c: self._fill(), names="value")
        self.pick = W.Dropdown(description=tr("bk_feed_pick"), style={"description_width": "initial"})
        self.update_button = W.Button(description=tr("bk_feed_update_button"), layout=W.Layout(width="fit-content"))
        self.update_button.on_click(lambda _b: self.update_chosen())
        self.line = plain_html()
        self._fill()
        self.children = [
            plain_html(f"<h3>{html.escape(tr('bk_feed_title'))}</h3><p class='vt-muted'>{html.escape(tr('bk_feed_help'))}</p>"),
            self.new_form,
            plain_html(f"<h4>{html.escape(tr('bk_feed_update_title'))}</h4>"),
            self.find, self.pick, self.update_button, self.line,
        ]

    def _fill(self) -> None:
        try:
            found = self.wb.store.practices(query=self.find.value.strip(), limit=100)
        except Exception:
            log.exception("searching the bank failed")
            found = []
        self.pick.options = [(p.name, p.uid) for p in found] or [(self.tr("bk_feed_none"), "")]
        if self.pick.value is None:  # a dropdown given its first options chooses none: the first is shown chosen
            self.pick.value = self.pick.options[0][1]

    def _save(self, *, name: str, uid: str | None, changed_by: str | None) -> Any:
        wb, tr = self.wb, self.tr
        note = tr("bk_feed_note", code=wb.session.code, title=wb.session.title)
        return practice_from_session(wb.store, wb.session, wb.content, name=name, uid=uid,
                                     changed_by=changed_by or None, note=note)

    def _done(self, practice: Any) -> str:
        wb, tr = self.wb, self.tr
        self.saved = practice
        query = urlencode({"session": wb.session.code, "key": wb.params.key, "practice": practice.uid,
                           **({"lang": tr.lang} if tr.lang != "fi" else {})})
        href = html.escape(f"{BANK_NOTEBOOK}?{query}", quote=True)
        words = tr("bk_feed_done", name=practice.name, version=practice.version)
        self.line.value = (f"<p role='status'>{html.escape(words)} <a href='{href}' target='_blank' rel='noopener'>"
                           f"{html.escape(tr('bk_feed_open'))}</a></p>")
        self._fill()
        return words

    def _refusal(self, exc: Exception) -> str:
        from .bank_edit import refusal_text

        return refusal_text(self.tr, exc)  # the same words as the bank's own forms

    def _on_new(self, form: FieldsForm, value: dict) -> None:
        try:
            practice = self._save(name=value.get("name", ""), uid=None, changed_by=(value.get("changed_by") or "").strip())
        except VertaisetError as exc:
            form.show_status(self._refusal(exc), "error")
            return
        form.show_status(self._done(practice), "ok")
        form.clear()

    def update_chosen(self) -> Any:
        """Save the session's outcome as the next version of the chosen practice."""
        uid = self.pick.value
        if not uid:
            self.line.value = f"<p class='vt-error' role='alert'>{html.escape(self.tr('bk_feed_pick_needed'))}</p>"
            return None
        try:
            practice = self._save(name="", uid=uid, changed_by=None)
        except VertaisetError as exc:
            self.line.value = f"<p class='vt-error' role='alert'>{html.escape(self._refusal(exc))}</p>"
            return None
        self._done(practice)
        return practice

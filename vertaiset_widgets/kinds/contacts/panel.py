"""The contact list on the participant's phone: give one's own entry with consent, confirm it is
up to date with one tap, or withdraw the consent (the details are erased).

Light (no pandas, no altair): the entries are read with :mod:`.entries`.
"""
from __future__ import annotations

from typing import Any, TYPE_CHECKING

import ipywidgets as W

from ...forms import FieldsForm
from ...html_blocks import esc, table
from ...panels import ActivityPanel, save_or_say_why
from ...store import ActivityState
from .contact_form import ContactForm
from .entries import Entry, confirm_entry, load_entries, own_entry, save_entry, withdraw_entry

if TYPE_CHECKING:  # a phone's page reads plain copies of the templates (vertaiset_widgets.plain)
    from .model import Contacts

__all__ = ["ContactsPanel", "day_text"]


def day_text(day: Any) -> str:
    """A day the Finnish way (``26.11.2026``); empty for None."""
    return f"{day.day}.{day.month}.{day.year}" if day else ""


class ContactsPanel(ActivityPanel):
    """One's own entry in the contact list: save it with consent, confirm it, withdraw it."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.confirm_form: FieldsForm | None = None
        self.withdraw_form: FieldsForm | None = None
        self._mine = W.HTML()
        self._mine.add_class("vt-contact-mine")

    def _make_form(self, state: ActivityState) -> ContactForm:
        tr = self.tr
        act: Contacts = self.activity
        form = ContactForm(
            fields=[
                {"name": "name", "label": tr("ct_name"), "maxlength": 80, "autocomplete": "name"},
                {"name": "org", "label": tr("ct_org"), "maxlength": 120, "autocomplete": "organization"},
                {"name": "role", "label": tr("ct_role"), "type": "select",
                 "options": [{"value": r.id, "label": tr.label(r)} for r in act.roles]},
                {"name": "phone", "label": tr("ct_phone"), "maxlength": 40, "autocomplete": "tel", "inputmode": "tel",
                 "hint": tr("ct_reach_hint")},
                {"name": "email", "label": tr("ct_email"), "maxlength": 120, "autocomplete": "email", "inputmode": "email"},
            ],
            texts={"title": tr.text(act.title), "help": tr.text(act.prompt), "submit": tr("ct_save"),
                   "consent": tr("ct_consent"), "consent_text": tr.text(act.consent)},
        )
        form.on_submit(self._save)
        self.confirm_form = FieldsForm(fields=[], texts={"submit": tr("ct_confirm")})
        self.confirm_form.on_submit(self._confirm)
        self.withdraw_form = FieldsForm(fields=[], texts={"title": tr("ct_withdraw_title"), "help": tr("ct_withdraw_help"),
                                                          "submit": tr("ct_withdraw")})
        self.withdraw_form.on_submit(self._withdraw)
        self.withdraw_form.draft_key = self._draft_key(state, "withdraw")
        return form

    def _saved(self, state: ActivityState) -> dict:
        mine = own_entry(self.store, self.participant, self.activity, round=state.round)
        if mine is None:
            return {}
        return {"name": mine.name, "org": mine.org, "role": mine.role, "phone": mine.phone, "email": mine.email,
                "consent": "yes"}

    def update(self, state: ActivityState) -> bool:
        """Follow the state; closed, one's own entry (and the withdraw button) stay in view."""
        with self.hold_sync():
            shown = super().update(state)
            if shown and not state.is_open and not state.is_revealed and self.forms.get(state.round) is not None:
                self.children = [*self.children, *self._after_update(state)]
        return shown

    def _after_update(self, state: ActivityState) -> list[W.Widget]:
        mine = own_entry(self.store, self.participant, self.activity, round=state.round)
        self._mine.value = self._mine_html(mine)
        widgets: list[W.Widget] = [self._mine]
        if mine is not None:
            assert self.confirm_form is not None and self.withdraw_form is not None
            self.confirm_form.disabled = not state.is_open
            self.withdraw_form.disabled = False
            widgets += [self.confirm_form, self.withdraw_form] if state.is_open else [self.withdraw_form]
        return widgets

    def _mine_html(self, mine: Entry | None) -> str:
        tr = self.tr
        if mine is None:
            return f"<p class='vt-muted' data-vt-entry='none'>{esc(tr('ct_no_entry'))}</p>"
        stale = mine.is_stale(self.activity.stale_after_days)
        status = tr("ct_stale_own", days=self.activity.stale_after_days) if stale else tr("ct_fresh_own")
        return (f"<p class='{'vt-contact-stale' if stale else 'vt-contact-fresh'}' data-vt-stale='{int(stale)}'>"
                f"<strong>{esc(tr('ct_checked_on', day=day_text(mine.checked)))}</strong> {esc(status)}</p>")

    def _run(self, form: Any, action: Any, done: str) -> bool:
        if not save_or_say_why(form, self.tr, action, input_errors="ct_error_"):
            return False
        form.show_status(done, "ok")
        if self.state is not None and self.state.round in self.forms:
            self.children = [self.forms[self.state.round], *self._after_update(self.state)]
        return True

    def _save(self, form: Any, value: dict) -> None:
        self._run(form, lambda: save_entry(self.store, self.participant, self.activity, value,
                                           submission_id=form.submission_id), self.tr("ct_saved"))

    def _confirm(self, form: Any, _value: dict) -> None:
        self._run(form, lambda: confirm_entry(self.store, self.participant, self.activity,
                                              submission_id=form.submission_id), self.tr("ct_confirmed"))

    def _withdraw(self, form: Any, _value: dict) -> None:
        entry = self.forms.get(self.state.round) if self.state is not None else None
        if self._run(form, lambda: withdraw_entry(self.store, self.participant, self.activity,
                                                  submission_id=form.submission_id), self.tr("ct_withdrawn")):
            if entry is not None:  # the phone forgets the details too
                entry.value = {}
                entry.clear()
                entry.show_status(self.tr("ct_withdrawn"), "ok")

    def _results_html(self, state: ActivityState) -> str:
        """Revealed: who is in the list and in which role (never phone numbers or e-mail addresses)."""
        tr = self.tr
        roles = {r.id: tr.label(r) for r in self.activity.roles}
        entries = load_entries(self.store, self.participant.session_id, self.activity, round=state.round)
        rows = [[e.name, e.org, roles.get(e.role, "")] for e in entries]
        return (f"<h3>{esc(tr.text(self.activity.title))}</h3>"
                + table(tr("ct_list", n=len(entries)), [tr("ct_name"), tr("ct_org"), tr("ct_role")], rows))

"""The facilitator's tools for a Puimala's *jälkipuinti* (after the forum): publish the notes, the
open feedback link (its period, pace and premoderation) with its moderation, and the peers the notes
go to (the association's peer networks and the municipal peers)."""
from __future__ import annotations

import html
from datetime import date, datetime, time, timedelta
from typing import Any

import ipywidgets as W

from .errors import VertaisetInputError
from .forms import FieldsForm
from .links import qr_svg_data_uri
from .puimala_views import (at_local, feedback_counts, feedback_url, local, local_date, mailto, peers_html)

__all__ = ["FEEDBACK_DAYS", "PostworkTools", "feedback_defaults"]

#: The feedback period's default length after the forum.
FEEDBACK_DAYS = 14


def feedback_defaults(held_on: date) -> tuple[datetime, datetime]:
    """The feedback period by default: from the forum's day to two weeks after it."""
    return at_local(held_on, time(0, 0)), at_local(held_on + timedelta(days=FEEDBACK_DAYS), time(23, 59))


class PostworkTools:
    """Publish the notes, run the feedback link and keep the peers' list.

    Parameters
    ----------
    pm : Puimala
        The process console (its session, store, translator and polling).
    """

    def __init__(self, pm: Any):
        self.pm = pm
        tr = pm.tr
        self.publish_button = W.Button()
        self.publish_button.on_click(lambda _b: self.toggle_published())
        self.publish_state = W.HTML()
        self.link_button = W.Button(description=tr("pm_feedback_make_link"), tooltip=tr("pm_feedback_make_link"))
        self.link_button.on_click(lambda _b: self.make_link())
        self.link_view = W.HTML()
        info = pm.info
        opens, closes = feedback_defaults(pm.session.held_on)
        if info is not None and info.feedback_opens:
            opens, closes = local(info.feedback_opens), local(info.feedback_closes) or closes
        self.settings_form = FieldsForm(fields=[
            {"name": "opens_day", "label": tr("pm_feedback_opens"), "type": "date"},
            {"name": "closes_day", "label": tr("pm_feedback_closes"), "type": "date"},
            {"name": "per_minute", "label": tr("pm_feedback_per_minute"), "hint": tr("pm_feedback_per_minute_hint"),
             "maxlength": 2, "inputmode": "numeric"},
            {"name": "premoderated", "label": tr("pm_feedback_premoderated"), "type": "select",
             "options": [{"value": "", "label": tr("pm_premoderated_no")}, {"value": "1", "label": tr("pm_premoderated_yes")}]},
        ], texts={"title": tr("pm_feedback_settings"), "submit": tr("pm_feedback_save")}, value={
            "opens_day": opens.date().isoformat(), "closes_day": closes.date().isoformat(),
            "per_minute": str(info.feedback_per_minute if info is not None else 3),
            "premoderated": "1" if info is not None and info.feedback_premoderated else ""})
        self.settings_form.on_submit(self.save_settings)
        self.counts = W.HTML()
        self.feedback_list = W.VBox()
        self.feedback_list.add_class("vt-pm-moderation")
        self.peers_view = W.HTML()
        self.peer_form = FieldsForm(fields=[
            {"name": "name", "label": tr("pm_peer_name"), "maxlength": 200},
            {"name": "kind", "label": tr("pm_peer_kind"), "type": "select",
             "options": [{"value": k, "label": tr(f"pm_peer_kind_{k}")} for k in ("network", "municipal")]},
            {"name": "contact", "label": tr("pm_peer_contact"), "hint": tr("pm_peer_contact_hint"), "maxlength": 300,
             "autocomplete": "email"},
        ], texts={"title": tr("pm_peer_add_title"), "submit": tr("pm_peer_add")})
        self.peer_form.on_submit(self.add_peer)
        self.peer_remove_form = FieldsForm(fields=[], texts={"title": tr("pm_peer_remove_title"), "submit": tr("pm_peer_remove")})
        self.peer_remove_form.on_submit(self.remove_peer)
        self.draw()
        pm._follow({"@session", "@notes"}, self.draw_notes_state)
        pm._follow({"@session", "@feedback"}, self.draw_feedback)
        pm._follow({"@session"}, self.draw_peers)

    def widgets(self) -> list[W.Widget]:
        """The three parts: the notes, the feedback, the peers."""
        tr = self.pm.tr
        return [
            W.HTML(f"<h3>{html.escape(tr('pm_publish_title'))}</h3>"), self.publish_state, self.publish_button,
            W.HTML(f"<h3>{html.escape(tr('pm_feedback_title'))}</h3><p class='vt-muted'>{html.escape(tr('pm_feedback_help'))}</p>"),
            self.link_view, self.link_button, self.settings_form, self.counts, self.feedback_list,
            W.HTML(f"<h3>{html.escape(tr('pm_peers_title'))}</h3><p class='vt-muted'>{html.escape(tr('pm_peers_help'))}</p>"),
            self.peers_view, self.peer_form, self.peer_remove_form,
        ]

    # ------------------------------------------------------------------ drawing
    def draw(self) -> None:
        """Everything, from the store."""
        self.draw_notes_state()
        self.draw_feedback()
        self.draw_peers()

    def draw_notes_state(self) -> None:
        tr = self.pm.tr
        info = self.pm.info
        published = info.notes_published_at if info is not None else None
        self.publish_state.value = (f"<p role='status'>{html.escape(tr('pm_notes_published_on', date=local_date(published)))}</p>"
                                    if published else f"<p class='vt-muted'>{html.escape(tr('pm_notes_not_published'))}</p>")
        self.publish_button.description = tr("pm_unpublish") if published else tr("pm_publish")
        self.publish_button.tooltip = self.publish_button.description

    def draw_feedback(self) -> None:
        pm, tr = self.pm, self.pm.tr
        info = pm.info
        token = info.feedback_token if info is not None else None
        if token:
            url = feedback_url(token, tr.lang)
            state = info.feedback_state()
            when = {"not_yet": info.feedback_opens, "open": info.feedback_closes, "closed": info.feedback_closes}.get(state)
            self.link_view.value = (
                f"<div class='vt-join'><img class='vt-qr' alt='{html.escape(tr('qr_alt', url=url), quote=True)}' "
                f"src='{qr_svg_data_uri(url)}'><div><p>{html.escape(tr('pm_feedback_link'))}</p>"
                f"<p class='vt-link'><a href='{html.escape(url, quote=True)}' target='_blank' rel='noopener'>{html.escape(url)}</a></p>"
                f"<p role='status'>{html.escape(tr('pm_feedback_state_' + state, date=local_date(when)))}</p></div></div>")
            self.link_button.layout.display = "none"
        else:
            self.link_view.value = f"<p class='vt-muted'>{html.escape(tr('pm_feedback_no_link'))}</p>"
            self.link_button.layout.display = None
        premoderated = bool(info and info.feedback_premoderated)
        items = pm.store.feedback(pm.session.id)
        self.counts.value = f"<p role='status'>{html.escape(tr('pm_feedback_counts', **feedback_counts(items, premoderated)))}</p>"
        self.feedback_list.children = [self._feedback_row(n, f, premoderated) for n, f in enumerate(items, 1)]

    def _feedback_row(self, n: int, item: Any, premoderated: bool) -> W.HBox:
        tr = self.pm.tr
        if item.hidden_at is not None:
            state = tr("pm_fb_hidden")
        elif premoderated and item.approved_at is None:
            state = tr("pm_fb_waiting")
        else:
            state = tr("pm_fb_visible")
        name = f" · {html.escape(item.name)}" if item.name else ""
        text = W.HTML(f"<div data-vt-feedback='{item.id}'><p class='vt-pm-text'>{html.escape(item.body)}</p>"
                      f"<p class='vt-muted'>#{n} · {html.escape(local_date(item.created_at))}{name} · {html.escape(state)}</p></div>")
        buttons = []
        actions = (["approve"] if premoderated and item.approved_at is None and item.hidden_at is None else []) + (
            ["show"] if item.hidden_at is not None else ["hide"])
        for action in actions:
            button = W.Button(description=f"{tr('pm_fb_' + action)} #{n}", tooltip=tr(f"pm_fb_{action}"),
                              layout=W.Layout(width="auto", flex="0 0 auto", margin="0 0 0 0.5rem"))
            button.on_click(lambda _b, i=item.id, a=action: self.moderate(i, a))
            buttons.append(button)
        text.layout = W.Layout(flex="1 1 auto")
        row = W.HBox([text, *buttons], layout=W.Layout(align_items="center"))
        row.add_class("vt-pm-feedback-row")
        return row

    def draw_peers(self) -> None:
        pm, tr = self.pm, self.pm.tr
        peers = list(pm.info.peers) if pm.info is not None else []
        subject = tr("pm_mail_subject", title=pm.session.title)
        self.peers_view.value = peers_html(peers, tr, subject=subject)
        fields = [{"name": "peer", "label": tr("pm_peer_which"), "type": "select",
                   "options": [{"value": str(i), "label": p["name"]} for i, p in enumerate(peers)]}]
        if self.peer_remove_form.fields != fields:
            self.peer_remove_form.fields = fields
        self.peer_remove_form.disabled = not peers

    # ------------------------------------------------------------------ actions
    def _set(self, form: FieldsForm | None, done: str, **fields: Any) -> bool:
        pm = self.pm
        try:
            pm.info = pm.store.set_puimala(pm.session.id, **fields)
        except VertaisetInputError as exc:
            if form is not None:
                form.show_status(pm.error_text(exc), "error")
            return False
        if form is not None:
            form.show_status(done)
        self.draw()
        return True

    def toggle_published(self) -> None:
        """Publish the notes, or take them back."""
        pm = self.pm
        published = pm.info is not None and pm.info.notes_published_at is not None
        pm.store.publish_notes(pm.session.id, not published)
        pm.info = pm.store.puimala(pm.session.id)
        self.draw_notes_state()

    def make_link(self) -> str:
        """Make the public feedback link, with the default period when none is set."""
        pm = self.pm
        if pm.info is None or pm.info.feedback_opens is None:
            opens, closes = feedback_defaults(pm.session.held_on)
            pm.info = pm.store.set_puimala(pm.session.id, feedback_opens=opens, feedback_closes=closes)
        token = pm.store.feedback_link_token(pm.session.id)
        pm.info = pm.store.puimala(pm.session.id)
        self.draw_feedback()
        return token

    def save_settings(self, form: FieldsForm | None, value: dict) -> None:
        """The feedback period (whole days, local time), the pace and the premoderation."""
        try:
            opens_day = date.fromisoformat(str(value.get("opens_day") or ""))
            closes_day = date.fromisoformat(str(value.get("closes_day") or ""))
        except ValueError:
            if form is not None:
                form.show_status(self.pm.tr("pm_error_date"), "error")
            return
        if self._set(form, self.pm.tr("pm_feedback_saved"), feedback_opens=at_local(opens_day, time(0, 0)),
                     feedback_closes=at_local(closes_day, time(23, 59)), feedback_per_minute=value.get("per_minute") or 3,
                     feedback_premoderated=bool(value.get("premoderated"))):
            if not (self.pm.info and self.pm.info.feedback_token):
                self.make_link()

    def moderate(self, feedback_id: int, action: str) -> None:
        """Approve, hide or show one comment."""
        pm = self.pm
        try:
            pm.store.moderate_feedback(pm.session.id, feedback_id, action)
        except VertaisetInputError:
            log_text = pm.tr("pm_error_unknown")
            self.counts.value = f"<p class='vt-error' role='alert'>{html.escape(log_text)}</p>"
            return
        self.draw_feedback()

    def add_peer(self, form: FieldsForm | None, value: dict) -> None:
        """Add a peer network or a municipal peer."""
        peers = list(self.pm.info.peers) if self.pm.info is not None else []
        peer = {"name": str(value.get("name") or ""), "kind": str(value.get("kind") or "network"),
                "contact": str(value.get("contact") or "")}
        if self._set(form, self.pm.tr("pm_peer_added"), peers=[*peers, peer]) and form is not None:
            form.clear()

    def remove_peer(self, form: FieldsForm | None, value: dict) -> None:
        """Remove the chosen peer from the list."""
        peers = list(self.pm.info.peers) if self.pm.info is not None else []
        try:
            index = int(value.get("peer") or -1)
            if not 0 <= index < len(peers):
                raise ValueError(index)
        except ValueError:
            if form is not None:
                form.show_status(self.pm.tr("pm_error_unknown"), "error")
            return
        self._set(form, self.pm.tr("pm_peer_removed"), peers=peers[:index] + peers[index + 1:])

    def mail_link(self) -> str:
        """The ``mailto:`` link to the peers with an address ("" when none has one)."""
        pm = self.pm
        return mailto(list(pm.info.peers) if pm.info is not None else [], pm.tr("pm_mail_subject", title=pm.session.title))

"""The network map on the participant's page: add actors and ties to the shared map, see
everyone's additions live, take back one's own.

Light (no pandas, no altair, no networkx): the map is read with :mod:`.network`.
"""
from __future__ import annotations

from typing import Any, TYPE_CHECKING

import ipywidgets as W

from ...forms import FieldsForm
from ...html_blocks import esc
from ...panels import ActivityPanel, save_or_say_why
from ...store import ActivityState
from ...text import clean_line
from .network import add_actor, add_tie, load_network, remove_own

if TYPE_CHECKING:  # a phone's page reads plain copies of the templates (vertaiset_widgets.plain)
    from .model import NetworkMap

__all__ = ["NetworkPanel"]


class NetworkPanel(ActivityPanel):
    """Add actors and ties to the shared map; see everyone's additions live."""

    live = True

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.actor_form: FieldsForm | None = None
        self.tie_form: FieldsForm | None = None
        self.remove_form: FieldsForm | None = None
        self._list = W.HTML()

    def _select(self, items: list[Any], name: str, label: str) -> dict[str, Any]:
        return {"name": name, "label": label, "type": "select",
                "options": [{"value": "", "label": self.tr("choose")}] + [{"value": i.id, "label": self.tr.label(i)} for i in items]}

    def _make_form(self, state: ActivityState) -> FieldsForm:
        tr = self.tr
        act: NetworkMap = self.activity
        self.actor_form = FieldsForm(
            fields=[
                {"name": "name", "label": tr("map_name"), "maxlength": 80},
                {"name": "organisation", "label": tr("map_organisation"), "maxlength": 120},
                self._select(act.sectors, "sector", tr("map_sector")),
                self._select(act.sides, "side", tr("map_side")),
                self._select(act.roles, "role", tr("map_role")),
            ],
            texts={"title": tr.text(act.title), "help": tr.text(act.prompt), "submit": tr("map_add_actor")},
        )
        self.actor_form.on_submit(self._add_actor)
        self.tie_form = FieldsForm(fields=[], texts={"title": tr("map_tie_title"), "help": tr("map_tie_help"), "submit": tr("map_add_tie")})
        self.tie_form.on_submit(self._add_tie)
        self.remove_form = FieldsForm(fields=[], texts={"title": tr("map_remove_title"), "submit": tr("map_remove")})
        self.remove_form.on_submit(self._remove)
        self.tie_form.draft_key = self._draft_key(state, "tie")
        self.remove_form.draft_key = self._draft_key(state, "remove")
        return self.actor_form

    def update(self, state: ActivityState) -> bool:
        """Follow the state; closed, every form stays where it was, turned off, so what was
        chosen or typed in it stays in view (one message: the browser keeps their views)."""
        removing = self.remove_form is not None and self.remove_form in self.children
        with self.hold_sync():
            shown = super().update(state)
            if shown and not state.is_open and self.tie_form is not None and not state.is_revealed:
                self.tie_form.disabled = True
                rest: list[W.Widget] = [self.tie_form, self._list]
                if removing and self.remove_form is not None:
                    self.remove_form.disabled = True
                    rest.append(self.remove_form)
                self.children = [*self.children, *rest]
        return shown

    def _after_update(self, state: ActivityState) -> list[W.Widget]:
        tr = self.tr
        net = load_network(self.store, self.participant.session_id, self.activity, round=state.round)
        actors = sorted(net.visible_actors, key=lambda a: a.name.casefold())
        options = [{"value": "", "label": tr("choose")}] + [{"value": a.id, "label": a.name} for a in actors]
        types = [{"value": t.id, "label": tr.label(t)} for t in self.activity.ties]
        fields = [
            {"name": "source", "label": tr("map_from"), "type": "select", "options": options},
            {"name": "target", "label": tr("map_to"), "type": "select", "options": options},
            {"name": "type", "label": tr("map_tie_type"), "type": "select", "options": types,
             "hint": " · ".join(f"{tr.label(t)}: {tr.text(t.hint)}" for t in self.activity.ties if t.hint)},
            {"name": "note", "label": tr("map_note"), "maxlength": 200},
        ]
        assert self.tie_form is not None and self.remove_form is not None
        if self.tie_form.fields != fields:
            self.tie_form.fields = fields
        self.tie_form.disabled = False
        self._list.value = self._list_html(net)
        mine = [a for a in actors if a.participant_id == self.participant.id]
        my_ties = [e for e in net.ties if e.participant_id == self.participant.id and not e.hidden]
        remove = [{"value": a.id, "label": f"{tr('map_actor')}: {a.name}"} for a in mine] + [
            {"value": t.id, "label": f"{tr('map_tie')}: {net.name_of(t.source)} – {net.name_of(t.target)}"} for t in my_ties
        ]
        widgets: list[W.Widget] = [self.tie_form, self._list]
        if remove:
            new = [{"name": "item", "label": tr("map_remove_item"), "type": "select", "options": remove}]
            if self.remove_form.fields != new:
                self.remove_form.fields = new
            self.remove_form.disabled = False
            widgets.append(self.remove_form)
        return widgets

    def _list_html(self, net: Any) -> str:
        tr = self.tr
        types = {t.id: tr.label(t) for t in self.activity.ties}
        actors = "".join(
            f"<li>{esc(a.name)}{' – ' + esc(a.organisation) if a.organisation else ''}</li>"
            for a in sorted(net.visible_actors, key=lambda a: a.name.casefold())
        )
        ties = "".join(
            f"<li>{esc(net.name_of(e['source']))} – {esc(net.name_of(e['target']))}: {esc(types.get(e['type'], ''))}</li>"
            for e in net.edges()
        )
        return (
            f"<h4>{esc(tr('map_actors_now', n=len(net.visible_actors)))}</h4><ul class='vt-list' data-vt-actors='{len(net.visible_actors)}'>{actors}</ul>"
            f"<h4>{esc(tr('map_ties_now', n=len(net.edges())))}</h4><ul class='vt-list' data-vt-ties='{len(net.edges())}'>{ties}</ul>"
        )

    def _run(self, form: FieldsForm, action: Any, done: str) -> None:
        if not save_or_say_why(form, self.tr, action, input_errors="map_error_"):
            return
        form.show_status(done, "ok")
        if self.state is not None:
            self.children = [self.forms[self.state.round], *self._after_update(self.state)]

    def _add_actor(self, form: FieldsForm, value: dict) -> None:
        name = clean_line(value.get("name"), 80) or ""  # said back as the map stores it

        def act() -> None:
            add_actor(self.store, self.participant, self.activity, value, submission_id=form.submission_id)
            form.clear()

        self._run(form, act, self.tr("map_actor_added", name=name))

    def _add_tie(self, form: FieldsForm, value: dict) -> None:
        self._run(form, lambda: add_tie(self.store, self.participant, self.activity, value, submission_id=form.submission_id),
                  self.tr("map_tie_added"))

    def _remove(self, form: FieldsForm, value: dict) -> None:
        self._run(form, lambda: remove_own(self.store, self.participant, self.activity, str(value.get("item") or ""),
                                           submission_id=form.submission_id), self.tr("map_removed"))

    def _results_html(self, state: ActivityState) -> str:
        net = load_network(self.store, self.participant.session_id, self.activity, round=state.round)
        missing = net.missing_links()
        items = "".join(f"<li>{esc(net.name_of(e['source']))} – {esc(net.name_of(e['target']))}</li>" for e in missing)
        return (
            f"<h3>{esc(self.tr.text(self.activity.title))}</h3>" + self._list_html(net)
            + (f"<h4>{esc(self.tr('map_missing'))}</h4><ul class='vt-list'>{items}</ul>" if missing else "")
        )

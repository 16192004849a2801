"""The facilitator's tools for a network map: merge a duplicate actor into another (its ties
move with it) and hide a mistaken actor or tie. Both are moderation events: the
participants' rows stay in the store."""
from __future__ import annotations

from typing import Any

import ipywidgets as W

from ...console_tools import ConsoleTools
from ...forms import FieldsForm
from .model import NetworkMap

__all__ = ["MapTools"]


class MapTools(ConsoleTools):
    """Merge and hide on the facilitator's console, their choices filled from the map on every draw."""

    activity: NetworkMap

    def __init__(self, console: Any):
        super().__init__(console)
        #: ``merge`` and ``hide``
        self.map_forms: dict[str, FieldsForm] = {}

    def widgets(self) -> list[W.Widget]:
        """The merge form and the hide form (their choices arrive with :meth:`update`)."""
        tr = self.wb.tr
        merge = FieldsForm(
            fields=[], texts={"title": tr("map_merge_title"), "help": tr("map_merge_help"), "submit": tr("map_merge")},
        )
        merge.on_submit(lambda f, value: self.merge_actors(value.get("actor", ""), value.get("into", ""), f))
        hide = FieldsForm(fields=[], texts={"title": tr("map_hide_title"), "submit": tr("map_hide")})
        hide.on_submit(lambda f, value: self.hide(value.get("item", ""), f))
        self.map_forms = {"merge": merge, "hide": hide}
        for form in self.map_forms.values():
            form.add_class("vt-card")
        return [merge, hide]

    def update(self, results: Any) -> None:
        """Offer the actors and ties now on the map."""
        tr = self.wb.tr
        net = results.network
        actors = sorted(net.visible_actors, key=lambda a: a.name.casefold())
        options = [{"value": a.id, "label": f"{a.name} ({a.organisation})" if a.organisation else a.name} for a in actors]
        self.map_forms["merge"].fields = [
            {"name": "actor", "label": tr("map_merge_actor"), "type": "select", "options": options},
            {"name": "into", "label": tr("map_merge_into"), "type": "select", "options": options},
        ]
        types = {t.id: tr.label(t) for t in self.activity.ties}
        ties = [
            {"value": e["id"], "label": f"{net.name_of(e['source'])} – {net.name_of(e['target'])} ({types.get(e['type'], '')})"}
            for e in net.edges()
        ]
        self.map_forms["hide"].fields = [
            {"name": "item", "label": tr("map_hide_item"), "type": "select",
             "options": [{"value": o["value"], "label": f"{tr('map_actor')}: {o['label']}"} for o in options]
             + [{"value": t["value"], "label": f"{tr('map_tie')}: {t['label']}"} for t in ties]},
        ]

    def merge_actors(self, actor: str, into: str, form: FieldsForm | None = None) -> None:
        """Merge a duplicate actor into another: its ties move there (the facilitator's merge)."""
        tr = self.wb.tr
        if not actor or not into or actor == into:
            self._status(form, tr("map_merge_same"), "error")
            return
        self.wb.store.moderate(self.wb.session.id, self.activity.id, actor, "merge", into)
        self._changed(form, tr("map_merged"))

    def hide(self, item: str, form: FieldsForm | None = None) -> None:
        """Take an actor or a tie off the map (its rows stay in the store)."""
        if not item:
            return
        self.wb.store.moderate(self.wb.session.id, self.activity.id, item, "hide")
        self._changed(form, self.wb.tr("map_hidden"))

"""Vertaisoppiminen 360:ssä on the participant's page: name the pair, say A or B, rate the own
unit's 360 now and (B) how A's practice would fit; the pairs named so far show below.

Light (no pandas, no altair): the ratings are read with :mod:`.pairs`.
"""
from __future__ import annotations

from typing import Any, TYPE_CHECKING

import ipywidgets as W

from ...forms import FieldsForm
from ...html_blocks import esc, table
from ...panels import ActivityPanel, save_or_say_why
from ...store import ActivityState
from .pairs import NAME_LIMIT, fit_counts, load_ratings, pair_key, role_means, save_rating

if TYPE_CHECKING:  # a phone's page reads plain copies of the templates (vertaiset_widgets.plain)
    from .model import Peer360

__all__ = ["Peer360Panel"]


class Peer360Panel(ActivityPanel):
    """One form: the pair, the role, the own 360 (0–5 per dimension) and B's fit per dimension."""

    live = True
    kept_when_closed = ("_pairs",)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._pairs = W.HTML()

    def _make_form(self, state: ActivityState) -> FieldsForm:
        tr, act = self.tr, self.activity
        anchors = {p: tr.text(t) for p, t in act.scale.anchors.items()}
        points = [{"value": "", "label": tr("p360_unrated")}] + [
            {"value": str(p), "label": f"{p} – {anchors[p]}" if p in anchors else str(p)} for p in act.scale.points]
        fits = [{"value": "", "label": tr("p360_unrated")}] + [{"value": f.id, "label": tr.label(f)} for f in act.fit]
        fields: list[dict[str, Any]] = [
            {"name": "pair", "label": tr("p360_pair"), "hint": tr("p360_pair_hint"), "maxlength": NAME_LIMIT},
            {"name": "role", "label": tr("p360_role"), "type": "select",
             "options": [{"value": r.id, "label": tr.label(r)} for r in act.roles]},
        ]
        for n, item in enumerate(act.items):
            row = {"name": f"p_{item.id}", "label": tr.label(item), "type": "select", "options": points}
            if n == 0:
                row["hint"] = tr("p360_profile_hint", min=act.scale.min, max=act.scale.max)
            fields.append(row)
        for n, item in enumerate(act.items):
            row = {"name": f"f_{item.id}", "label": tr("p360_fit_field", dimension=tr.label(item, short=True)),
                   "type": "select", "options": fits}
            if n == 0:
                row["hint"] = tr("p360_fit_hint", role=tr.label(act.roles[-1]))
            fields.append(row)
        form = FieldsForm(fields=fields, texts={"title": tr.text(act.title), "help": tr.text(act.prompt), "submit": tr("p360_save")})
        form.on_submit(self._save)
        return form

    def _saved(self, state: ActivityState) -> dict:
        mine = load_ratings(self.store, self.participant.session_id, self.activity, round=state.round,
                            participant_id=self.participant.id)
        if not mine:
            return {}
        r = mine[0]
        return {"pair": r.pair, "role": r.role, **{f"p_{k}": str(int(v)) for k, v in r.profile.items()},
                **{f"f_{k}": v for k, v in r.fit.items()}}

    def _after_update(self, state: ActivityState) -> list[W.Widget]:
        self._pairs.value = self._pairs_html(state)
        return [self._pairs]

    def _pairs_html(self, state: ActivityState) -> str:
        ratings = load_ratings(self.store, self.participant.session_id, self.activity, round=state.round)
        act: Peer360 = self.activity
        pairs: dict[str, dict[str, Any]] = {}
        for r in ratings:
            rec = pairs.setdefault(pair_key(r.pair), {"name": r.pair, **{role.id: 0 for role in act.roles}})
            rec[r.role] += 1
        a, b = act.roles[0].id, act.roles[-1].id
        items = "".join(f"<li>{esc(self.tr('p360_pair_line', pair=p['name'], a=p[a], b=p[b]))}</li>"
                        for p in sorted(pairs.values(), key=lambda p: pair_key(p["name"])))
        return (f"<h4>{esc(self.tr('p360_pairs_now', n=len(pairs)))}</h4>"
                f"<ul class='vt-list vt-p360-pairs' data-vt-pairs='{len(pairs)}'>{items}</ul>")

    def _save(self, form: Any, value: dict) -> None:
        def act() -> None:
            save_rating(self.store, self.participant, self.activity, value, submission_id=form.submission_id)

        if not save_or_say_why(form, self.tr, act, input_errors="p360_error_"):
            return
        form.value = dict(value)
        role = next((self.tr.label(r, short=True) for r in self.activity.roles if r.id == value.get("role")), "")
        form.show_status(self.tr("p360_saved", pair=" ".join(str(value.get("pair", "")).split()), role=role), "ok")
        if self.state is not None:
            self._pairs.value = self._pairs_html(self.state)

    def _results_html(self, state: ActivityState) -> str:
        tr, act = self.tr, self.activity
        ratings = load_ratings(self.store, self.participant.session_id, act, round=state.round)
        means = role_means(ratings, act)
        fits = fit_counts(ratings, act)
        head = [tr("dimension"), *(tr.label(r, short=True) for r in act.roles), tr("p360_fit_head")]
        rows = []
        for item in act.items:
            cells = [f"{means[r.id][item.id][0]:.1f}" if item.id in means[r.id] else "–" for r in act.roles]
            fit = " · ".join(f"{tr.label(f)} {fits[item.id][f.id]}" for f in act.fit)
            rows.append([tr.label(item, short=True), *cells, fit])
        return (f"<h3>{esc(tr.text(act.title))}</h3>"
                f"<p>{esc(tr('results_revealed', n=len(ratings)))}</p>"
                + table(tr("p360_table"), head, rows))

"""The phase 1 and 2 kinds on the participant's page: choice, allocation, position,
canvas, network map and agreement board.

Light like the rest of the participant's path (no pandas, no altair): answers are
stored the moment the participant sees them acknowledged, come back after a refresh,
and revealed results are plain, accessible HTML tables.
"""
from __future__ import annotations

import html
import logging
from datetime import datetime
from typing import Any, Callable

import ipywidgets as W

from .content import AgreementBoard, Allocation, Canvas, Choice, NetworkMap, Position
from .errors import VertaisetActivityClosedError, VertaisetInputError, VertaisetSessionClosedError
from .forms import ChoiceForm, FieldsForm, RatingForm
from .i18n import Translator
from .network import add_actor, add_tie, load_network, remove_own
from .store import ActivityState, AnswerInput, Participant, SessionStore
from .text import clean_line, clean_text

__all__ = ["ActivityPanel", "panel_for", "save_or_say_why"]

log = logging.getLogger("vertaiset")
esc = html.escape


def save_or_say_why(form: Any, tr: Translator, action: Callable[[], Any], *, input_errors: str = "") -> bool:
    """Run ``action`` (a store write); on failure show why in the form's status line, in the
    participant's words (``input_errors``: the prefix of the UI strings for input problems,
    e.g. ``map_error_`` + the error's code). True when it was stored."""
    try:
        action()
    except VertaisetInputError as exc:
        key = f"{input_errors}{exc.code}"
        form.show_status(tr(key) if input_errors and key in tr.content.strings else tr("save_failed"), "error")
    except VertaisetActivityClosedError:
        form.show_status(tr("activity_closed_not_saved"), "error")
    except VertaisetSessionClosedError:
        form.show_status(tr("session_closed"), "error")
    except Exception:
        log.exception("saving answers failed")
        form.show_status(tr("save_failed"), "error")
    else:
        return True
    return False


def _table(caption: str, head: list[str], rows: list[list[str]]) -> str:
    th = "".join(f"<th scope='col'>{esc(h)}</th>" for h in head)
    body = "".join(
        "<tr>" + f"<th scope='row'>{esc(r[0])}</th>" + "".join(f"<td>{esc(c)}</td>" for c in r[1:]) + "</tr>" for r in rows
    )
    return f"<table class='vt-table'><caption>{esc(caption)}</caption><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


class ActivityPanel(W.VBox):
    """One activity on a participant's page; :meth:`update` follows the facilitator.

    Parameters
    ----------
    store, participant, activity, tr
        Where to write, who writes, what is asked, in which language.
    """

    #: redraw on every change in the session (others' answers show up while it is open)
    live = False
    #: the session's code: the browser keeps unsent text per session, activity and form ("": not kept)
    draft_scope = ""

    def __init__(self, store: SessionStore, participant: Participant, activity: Any, tr: Translator,
                 on_participant: Callable[[Participant], None] | None = None):
        super().__init__()
        self.add_class("vt-card")
        self.on_participant = on_participant
        self.add_class(f"vt-kind-{activity.kind}")
        self.store = store
        self.participant = participant
        self.activity = activity
        self.tr = tr
        self.state: ActivityState | None = None
        self.forms: dict[int, Any] = {}
        self._results = W.HTML()

    # -- what a kind adds
    def _make_form(self, state: ActivityState) -> Any:
        raise NotImplementedError

    def _saved(self, state: ActivityState) -> dict:
        return {}

    def _results_html(self, state: ActivityState) -> str:
        return ""

    def _after_update(self, state: ActivityState) -> list[W.Widget]:
        return []

    def participant_changed(self) -> None:
        """The participant gave a new nickname or group (the page has set :attr:`participant`)."""

    def _draft_key(self, state: ActivityState, form: str = "form") -> str:
        """Where the browser keeps a form's unsent text: session, activity, round and form."""
        return f"{self.draft_scope}:{self.activity.id}:{state.round}:{form}" if self.draft_scope else ""

    # -- shared
    def update(self, state: ActivityState) -> bool:
        """Redraw for the activity's state; True when the panel should be shown."""
        self.state = state
        form = self.forms.get(state.round)
        if state.is_open:
            if form is None:
                form = self.forms[state.round] = self._make_form(state)
                form.draft_key = self._draft_key(state)
                saved = self._saved(state)
                if saved:
                    form.value = saved
                    form.show_status(self.tr("answers_restored"), "ok")
            form.disabled = False
            self.children = [form, *self._after_update(state)]
            return True
        if state.is_revealed:
            self._results.value = self._results_html(state)
            self.children = [self._results]
            return True
        if form is not None:  # just closed: what they answered stays in view, the button off
            form.disabled = True
            form.show_status(self.tr("activity_closed"), "")
            self.children = [form]
            return True
        return False

    def _answers(self, state: ActivityState, *, mine: bool = False) -> list[Any]:
        return self.store.answers(
            self.participant.session_id, self.activity.id, round=state.round,
            participant_id=self.participant.id if mine else None,
        )

    def _store(self, form: Any, answers: list[AnswerInput], done_text: str) -> bool:
        """Submit; show the outcome in the form's status line. True when stored."""
        submit = lambda: self.store.submit(self.participant, self.activity.id, answers, submission_id=form.submission_id)  # noqa: E731
        if not save_or_say_why(form, self.tr, submit):
            return False
        form.show_status(done_text, "ok")
        return True

    def _saved_text(self) -> str:
        return self.tr("saved_at", time=datetime.now().strftime("%H.%M"))

    def _layers(self) -> list[dict[str, str]]:
        return [{"id": layer.id, "label": self.tr.label(layer)} for layer in getattr(self.activity, "layers", [])]

    def _layer_label(self, layer_id: str) -> str:
        for layer in getattr(self.activity, "layers", []):
            if layer.id == layer_id:
                return self.tr.label(layer)
        return self.tr("room")


# ---------------------------------------------------------------------- choice and allocation
class ChoicePanel(ActivityPanel):
    """Single or multiple choice, a dot vote, or points split among options (allocation)."""

    def _mode(self) -> str:
        return "allocation" if isinstance(self.activity, Allocation) else self.activity.mode

    def _make_form(self, state: ActivityState) -> ChoiceForm:
        act = self.activity
        mode = self._mode()
        tr = self.tr
        sum_text = {"allocation": tr("allocation_sum"), "dots": tr("dots_sum")}.get(mode, "")
        form = ChoiceForm(
            mode=mode,
            options=[{"id": o.id, "label": tr.label(o), "hint": tr.text(o.hint) if o.hint else ""} for o in act.options],
            layers=self._layers(),
            dots=getattr(act, "dots", 3),
            total=getattr(act, "total", 100),
            texts={"title": tr.text(act.title), "prompt": tr.text(act.prompt), "submit": tr("submit"), "sum": sum_text},
        )
        form.on_submit(self._submit)
        return form

    def _saved(self, state: ActivityState) -> dict:
        return {f"{a.layer}|{a.item}": int(a.value_num) for a in self._answers(state, mine=True)
                if a.value_num is not None and (a.value_num > 0 or self._mode() == "allocation")}

    def _submit(self, form: ChoiceForm, value: dict) -> None:
        act = self.activity
        mode = self._mode()
        layers = act.layer_ids
        answers: list[AnswerInput] = []
        for layer in layers:
            given = {o.id: value.get(f"{layer}|{o.id}") for o in act.options}
            numbers = {k: int(v) for k, v in given.items() if v is not None}
            used = sum(numbers.values())
            if mode == "allocation":
                if not numbers:
                    continue
                if used != act.total:
                    form.show_status(self.tr("allocation_wrong", layer=self._layer_label(layer), used=used, total=act.total), "error")
                    return
            elif mode == "dots":
                if used > act.dots:
                    form.show_status(self.tr("dots_over", dots=act.dots, used=used), "error")
                    return
                if used == 0:
                    continue
            elif not any(numbers.values()):
                continue
            answers += [AnswerInput(item=o.id, layer=layer, value_num=float(numbers.get(o.id, 0))) for o in act.options]
        if not answers:
            form.show_status(self.tr("nothing_chosen"), "error")
            return
        self._store(form, answers, self._saved_text())

    def _results_html(self, state: ActivityState) -> str:
        act = self.activity
        answers = self._answers(state)
        mode = self._mode()
        layers = act.layer_ids
        totals: dict[tuple[str, str], float] = {}
        people: dict[str, set[int]] = {}
        for a in answers:
            if a.value_num is None:
                continue
            totals[(a.layer, a.item)] = totals.get((a.layer, a.item), 0) + a.value_num
            people.setdefault(a.layer, set()).add(a.participant_id)
        rows = []
        for o in act.options:
            row = [self.tr.label(o)]
            for layer in layers:
                n = len(people.get(layer, ()))
                value = totals.get((layer, o.id), 0)
                row.append(f"{value / n:.0f}" if mode == "allocation" and n else f"{value:.0f}")
            rows.append(row)
        caption = self.tr("allocation_caption", total=act.total) if mode == "allocation" else self.tr("choice_caption")
        head = [self.tr("option")] + [self._layer_label(layer) for layer in layers]
        respondents = len(set().union(*people.values())) if people else 0
        return (
            f"<h3>{esc(self.tr.text(act.title))}</h3><p>{esc(self.tr('results_revealed', n=respondents))}</p>"
            + _table(caption, head, rows)
        )


# ---------------------------------------------------------------------- position
class PositionPanel(ActivityPanel):
    """A place between two poles, per layer: radio steps 1..points."""

    def _make_form(self, state: ActivityState) -> RatingForm:
        act: Position = self.activity
        tr = self.tr
        left, right = tr.text(act.left), tr.text(act.right)
        form = RatingForm(
            items=[{"id": "position", "label": f"{left} ↔ {right}"}],
            layers=self._layers(),
            points=list(range(1, act.points + 1)),
            texts={
                "title": tr.text(act.title), "prompt": tr.text(act.prompt), "submit": tr("submit"),
                "scale": tr("position_hint", points=act.points, left=left, right=right), "left": left, "right": right,
            },
        )
        form.on_submit(self._submit)
        return form

    def _saved(self, state: ActivityState) -> dict:
        return {f"{a.layer}|{a.item}": int(a.value_num) for a in self._answers(state, mine=True) if a.value_num is not None}

    def _submit(self, form: RatingForm, value: dict) -> None:
        if not value:
            form.show_status(self.tr("nothing_chosen"), "error")
            return
        answers = [AnswerInput(item=k.partition("|")[2], layer=k.partition("|")[0], value_num=float(v)) for k, v in sorted(value.items())]
        self._store(form, answers, self._saved_text())

    def _results_html(self, state: ActivityState) -> str:
        act: Position = self.activity
        values: dict[str, list[float]] = {}
        for a in self._answers(state):
            if a.value_num is not None:
                values.setdefault(a.layer, []).append(a.value_num)
        rows = [
            [self._layer_label(layer), f"{sum(v) / len(v):.1f}" if (v := values.get(layer)) else "–", str(len(values.get(layer, [])))]
            for layer in act.layer_ids
        ]
        caption = self.tr("position_caption", left=self.tr.text(act.left), right=self.tr.text(act.right), points=act.points)
        respondents = len({a.participant_id for a in self._answers(state)})
        return (
            f"<h3>{esc(self.tr.text(act.title))}</h3><p>{esc(self.tr('results_revealed', n=respondents))}</p>"
            + _table(caption, [self.tr("layer"), self.tr("mean"), "n"], rows)
        )


# ---------------------------------------------------------------------- canvas
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


# ---------------------------------------------------------------------- network map
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
        return self.actor_form

    def update(self, state: ActivityState) -> bool:
        shown = super().update(state)
        if shown and not state.is_open and self.tie_form is not None and not state.is_revealed:
            self.tie_form.disabled = True
            self.children = [*self.children, self.tie_form]
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


# ---------------------------------------------------------------------- agreement board
class BoardPanel(ActivityPanel):
    """The agreement board as the facilitator keeps it: read-only, live, with progress."""

    live = True

    def update(self, state: ActivityState) -> bool:
        self.state = state
        if not (state.is_open or state.is_revealed):
            return False
        self._results.value = self._results_html(state)
        self.children = [self._results]
        return True

    def _results_html(self, state: ActivityState) -> str:
        act: AgreementBoard = self.activity
        tr = self.tr
        board = self.store.board(self.participant.session_id, act.id, round=state.round)
        statuses = {s.id: tr.label(s) for s in act.statuses}
        modes = {m.id: tr.label(m) for m in act.modes}
        agreed = sum(1 for q in act.questions if board.get(q.id, {}).get("status") == act.agreed_status)
        rows = "".join(
            f"<li class='vt-board-item' data-status='{esc(board.get(q.id, {}).get('status') or '')}'>"
            f"<p class='vt-board-q'>{n}. {esc(tr.label(q))}</p>"
            f"<p><span class='vt-status-badge' data-status='{esc(board.get(q.id, {}).get('status') or '')}'>"
            f"{esc(statuses.get(board.get(q.id, {}).get('status') or '', tr('board_not_started')))}</span>"
            + (f" <span class='vt-muted'>{esc(modes[m])}</span>" if (m := board.get(q.id, {}).get("mode")) in modes else "")
            + "</p>"
            + (f"<p>{esc(a)}</p>" if (a := board.get(q.id, {}).get("answer")) else "")
            + (f"<p class='vt-muted'>{esc(tr('board_owner'))}: {esc(o)}</p>" if (o := board.get(q.id, {}).get("owner")) else "")
            + "</li>"
            for n, q in enumerate(act.questions, start=1)
        )
        return (
            f"<h3>{esc(tr.text(act.title))}</h3><p class='vt-help'>{esc(tr.text(act.prompt))}</p>"
            f"<p class='vt-stat' data-vt-agreed='{agreed}'>{esc(tr('board_progress', n=agreed, total=len(act.questions)))}</p>"
            f"<ol class='vt-board-list'>{rows}</ol>"
        )


def panel_for(store: SessionStore, participant: Participant, activity: Any, tr: Translator,
              on_participant: Callable[[Participant], None] | None = None) -> ActivityPanel | None:
    """The panel of an activity's kind (None for the kinds the page draws itself: ratings, walls)."""
    kind = {
        Choice: ChoicePanel,
        Allocation: ChoicePanel,
        Position: PositionPanel,
        Canvas: CanvasPanel,
        NetworkMap: NetworkPanel,
        AgreementBoard: BoardPanel,
    }.get(type(activity))
    return kind(store, participant, activity, tr, on_participant) if kind else None

"""Vahvat ja heikot toimintatavat on the participant's page: name a partnership, mark which
weak and strong practices it has, see every partnership's profile live, open one to update it.

Light (no pandas, no altair): the profiles are read with :mod:`.profiles`.
"""
from __future__ import annotations

from typing import Any, TYPE_CHECKING

import ipywidgets as W

from ...forms import FieldsForm
from ...html_blocks import esc
from ...panels import ActivityPanel, save_or_say_why
from ...store import ActivityState
from .profiles import NAME_LIMIT, Profile, load_profiles, mark_partnership

if TYPE_CHECKING:  # a phone's page reads plain copies of the templates (vertaiset_widgets.plain)
    from .model import PracticeProfile

__all__ = ["PracticeProfilePanel", "profile_line"]


def profile_line(tr: Any, activity: PracticeProfile, profile: Profile) -> str:
    """One partnership in words: weak n/5, strong n/7, and whether it combines both (escaped HTML)."""
    both = f" <strong class='vt-pp-both'>{esc(tr('pp_both_short'))}</strong>" if profile.combines_both else ""
    return (f"{esc(profile.name)}: {esc(tr('pp_weak_count', n=len(profile.weak), total=len(activity.weak)))}, "
            f"{esc(tr('pp_strong_count', n=len(profile.strong), total=len(activity.strong)))}{both}")


class PracticeProfilePanel(ActivityPanel):
    """Mark a partnership's practices; everyone's profiles show live below the form."""

    #: closed, what the room has entered stays in view under the turned-off form
    kept_when_closed = ("_list",)

    live = True

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.open_form: FieldsForm | None = None
        self._list = W.HTML()
        self._profiles: list[Profile] = []

    def _make_form(self, state: ActivityState) -> FieldsForm:
        tr = self.tr
        act: PracticeProfile = self.activity
        yes_no = [{"value": "0", "label": tr("pp_no")}, {"value": "1", "label": tr("pp_yes")}]
        fields: list[dict[str, Any]] = [
            {"name": "name", "label": tr("pp_name"), "hint": tr("pp_name_hint"), "maxlength": NAME_LIMIT},
        ]
        for heading, practices in (("pp_weak_heading", act.weak), ("pp_strong_heading", act.strong)):
            for n, practice in enumerate(practices):
                row = {"name": practice.id, "label": tr.label(practice), "type": "select", "options": yes_no}
                if n == 0:
                    row["hint"] = tr(heading)
                fields.append(row)
        form = FieldsForm(fields=fields, texts={"title": tr.text(act.title), "help": tr.text(act.prompt), "submit": tr("pp_save")})
        form.on_submit(self._mark)
        self.open_form = FieldsForm(fields=[], texts={"title": tr("pp_open_title"), "submit": tr("pp_open")})
        self.open_form.on_submit(self._open)
        self.open_form.draft_key = self._draft_key(state, "open")
        return form

    def _load(self, state: ActivityState) -> list[Profile]:
        self._profiles = load_profiles(self.store, self.participant.session_id, self.activity, round=state.round)
        return self._profiles

    def _after_update(self, state: ActivityState) -> list[W.Widget]:
        profiles = self._load(state)
        self._list.value = self._list_html(profiles)
        widgets: list[W.Widget] = [self._list]
        assert self.open_form is not None
        if profiles:
            fields = [{"name": "item", "label": self.tr("pp_open_item"), "type": "select",
                       "options": [{"value": p.id, "label": p.name} for p in profiles]}]
            if self.open_form.fields != fields:
                self.open_form.fields = fields
            self.open_form.disabled = False
            widgets.append(self.open_form)
        return widgets

    def _list_html(self, profiles: list[Profile]) -> str:
        items = "".join(f"<li>{profile_line(self.tr, self.activity, p)}</li>" for p in profiles)
        return (f"<h4>{esc(self.tr('pp_profiles_now', n=len(profiles)))}</h4>"
                f"<ul class='vt-list vt-pp-list' data-vt-profiles='{len(profiles)}'>{items}</ul>")

    def _redraw(self) -> None:
        if self.state is not None:
            self.children = [self.forms[self.state.round], *self._after_update(self.state)]

    def _mark(self, form: Any, value: dict) -> None:
        def act() -> None:
            mark_partnership(self.store, self.participant, self.activity, value, submission_id=form.submission_id)

        if not save_or_say_why(form, self.tr, act, input_errors="pp_error_"):
            return
        form.value = dict(value)
        form.show_status(self.tr("pp_saved", name=" ".join(str(value.get("name", "")).split())), "ok")
        self._redraw()

    def _open(self, form: Any, value: dict) -> None:
        """Put a partnership's current profile into the marking form, to be updated."""
        profile = next((p for p in self._profiles if p.id == value.get("item")), None)
        main = self.forms.get(self.state.round) if self.state is not None else None
        if profile is None or main is None:
            form.show_status(self.tr("pp_error_unknown"), "error")
            return
        have = {*profile.weak, *profile.strong}
        act: PracticeProfile = self.activity
        main.value = {"name": profile.name, **{p.id: "1" if p.id in have else "0" for p in (*act.weak, *act.strong)}}
        form.show_status(self.tr("pp_opened", name=profile.name), "ok")

    def _results_html(self, state: ActivityState) -> str:
        return f"<h3>{esc(self.tr.text(self.activity.title))}</h3>" + self._list_html(self._load(state))

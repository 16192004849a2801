"""The highlights wall (*nostot*) on the participant's page: post, edit, withdraw, +1.

Light like the rest of the participant's path: no pandas, no altair.
"""
from __future__ import annotations

import logging
from datetime import datetime
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Callable

import ipywidgets as W

from ...errors import VertaisetActivityClosedError, VertaisetInputError, VertaisetSessionClosedError
from ...forms import FieldsForm, WallView
from ...i18n import Translator
from ...panels import ActivityPanel
from ...shared_models import shared_layout
from ...store import ActivityState, Participant
from .wall import VOTES, Highlight, edit_highlight, post_highlight, pooled, read_wall, vote, wall_items, wall_texts, wall_voters

if TYPE_CHECKING:
    from .model import Highlights
    from ...store import SessionStore

__all__ = ["HighlightsPanel"]

log = logging.getLogger("vertaiset")


class HighlightsPanel(ActivityPanel):
    """One highlights activity on a participant's page: the post form and one's own
    highlights while it is open, the wall once revealed.

    When only the +1s changed (another phone's +1), :meth:`update_part` reads the votes alone
    and sends the counts, not the wall.
    """

    def __init__(self, store: SessionStore, participant: Participant, activity: Highlights, tr: Translator,
                 on_participant: Callable[[Participant], None] | None = None):
        super().__init__(store, participant, activity, tr, on_participant)
        self.post_form: FieldsForm | None = None
        self.mine: WallView | None = None
        self.wall = WallView(mode="participant", texts=wall_texts(tr, activity, tr("wall_title")), votes_shown=activity.votes,
                             layout=shared_layout())
        self.wall.on_action(self._handle_action)
        self._shown: list[Highlight] = []  # what the wall last drew: the +1s are counted onto these
        self._posting = False  # the post form has been shown on this page (it then stays)

    def _build_forms(self) -> None:
        """The post form and one's own list, made once the page knows where drafts are kept."""
        tr, activity, scope = self.tr, self.activity, self.draft_scope
        fields: list[dict[str, Any]] = [
            {"name": "text", "type": "textarea", "label": tr("highlight_label"), "maxlength": activity.max_length,
             "hint": tr("highlight_hint", max=activity.max_length)},
        ]
        if activity.tags:
            fields.append({
                "name": "tag", "type": "select", "label": tr("wall_tag_label"),
                "options": [{"value": "", "label": tr("wall_no_tag")}] + [
                    {"value": tg.id, "label": tr.label(tg)} for tg in activity.tags
                ],
            })
        self.post_form = FieldsForm(
            fields=fields,
            texts={"title": tr.text(activity.title), "help": tr.text(activity.prompt), "submit": tr("highlight_post")},
            draft_key=f"{scope}:{activity.id}:post" if scope else "",
            layout=shared_layout(),
        )
        self.post_form.on_submit(self._handle_post)
        self.mine = WallView(mode="mine", texts=wall_texts(tr, activity, tr("my_highlights")), max_length=activity.max_length,
                             tags=[{"id": tg.id, "label": tr.label(tg)} for tg in activity.tags], votes_shown=False,
                             draft_key=f"{scope}:{activity.id}:mine" if scope else "", layout=shared_layout())
        self.mine.on_action(self._handle_action)

    def update(self, state: ActivityState) -> bool:
        """Show what the state allows: posting while open, the wall once revealed. A post form
        once shown stays (turned off when closed), so what was being written is never dropped."""
        self.state = state
        if self.post_form is None:
            self._build_forms()
            self._title_outside(self.post_form)
        assert self.post_form is not None and self.mine is not None
        self._posting = self._posting or state.is_open
        if not (self._posting or state.is_revealed):
            self.children = []
            return False
        highlights = read_wall(self.store, self.participant.session_id, self.activity.id, round=state.round)
        mine = [h for h in highlights if h.participant_id == self.participant.id and not h.withdrawn]
        self.mine.items = wall_items(mine, self.activity, self.tr, viewer=self.participant.id, include_hidden=True)
        if self._posting and self.post_form.disabled == state.is_open:
            self.mine.disabled = not state.is_open
            self.post_form.disabled = not state.is_open
            if not state.is_open:
                self.post_form.show_status(self.tr("activity_closed"), "")
        children: list[W.Widget] = [self.post_form, self.mine] if self._posting else []
        if state.is_revealed:
            self._shown = highlights
            self.wall.items = wall_items(highlights, self.activity, self.tr, viewer=self.participant.id)
            self.wall.disabled = not state.is_open  # +1s count only while the wall is open and revealed
            children.append(self.wall)
        if tuple(children) != self.children:
            self.children = children
        return True

    def holds_form(self, state: ActivityState) -> bool:
        """Closed after it was open on this page: the post form (and what is in it) stays in view."""
        return self._posting and not state.is_open

    def update_part(self, part: str) -> bool:
        """Only +1s changed: count them onto the highlights the wall shows, and send the counts."""
        state = self.state
        if part != VOTES or state is None or not state.is_revealed or not self._shown:
            return False
        merged = {h.item: h.merged_into for h in self._shown if h.merged_into}
        votes = pooled(wall_voters(self.store, self.participant.session_id, self.activity.id, state.round), merged)
        self._shown = [
            h if h.voters == votes.get(h.item, frozenset()) else _with_voters(h, votes.get(h.item, frozenset()))
            for h in self._shown
        ]
        self.wall.items = wall_items(self._shown, self.activity, self.tr, viewer=self.participant.id)
        return True

    def _refresh(self) -> None:
        self.update(self.store.activity_state(self.participant.session_id, self.activity.id))

    def _problem(self, exc: Exception) -> str:
        if isinstance(exc, VertaisetInputError) and exc.code in ("empty", "invisible", "too_long", "too_many", "own", "not_yours"):
            return self.tr(f"highlight_{exc.code}", max=self.activity.max_length)
        if isinstance(exc, VertaisetActivityClosedError):
            return self.tr("activity_closed_not_saved")
        if isinstance(exc, VertaisetSessionClosedError):
            return self.tr("session_closed")
        log.exception("saving a highlight failed", exc_info=exc)
        return self.tr("save_failed")

    def _handle_post(self, form: FieldsForm, value: dict) -> None:
        try:
            post_highlight(
                self.store, self.participant, self.activity.id, value.get("text", ""), tag=self._tag(value.get("tag")),
                submission_id=form.submission_id, max_length=self.activity.max_length, per_minute=self.activity.per_minute,
            )
        except Exception as exc:
            form.show_status(self._problem(exc), "error")
            return
        form.clear()
        form.show_status(self.tr("highlight_saved_at", time=datetime.now().strftime("%H.%M")), "ok")
        self._refresh()

    def _tag(self, tag: Any) -> str | None:
        return tag if tag in {tg.id for tg in self.activity.tags} else None

    def _handle_action(self, view: WallView, action: dict) -> None:
        item = action["item"]
        try:
            if action["type"] == "vote":
                vote(self.store, self.participant, self.activity.id, item, bool(action.get("on")), submission_id=view.submission_id)
            elif action["type"] == "edit":
                edit_highlight(
                    self.store, self.participant, self.activity.id, item, action.get("text", ""),
                    tag=self._tag(action.get("tag")), submission_id=view.submission_id, max_length=self.activity.max_length,
                )
            elif action["type"] == "withdraw":
                edit_highlight(self.store, self.participant, self.activity.id, item, None, submission_id=view.submission_id)
            else:
                return
        except Exception as exc:
            view.show_status(self._problem(exc), "error")
            return
        done = self._saved_text() if action["type"] == "edit" else self.tr(f"wall_done_{action['type']}")
        view.show_status(done, "ok")
        if action["type"] == "vote" and self.update_part(VOTES):
            return
        self._refresh()


def _with_voters(h: Highlight, voters: frozenset[int]) -> Highlight:
    return replace(h, voters=voters)

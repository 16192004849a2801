"""The highlights wall (*nostot*) on the participant's page: post, edit, withdraw, +1.

Light like the rest of the participant's path: no pandas, no altair.
"""
from __future__ import annotations

import logging
from typing import Any

import ipywidgets as W

from .kinds.highlights.model import Highlights
from .errors import VertaisetActivityClosedError, VertaisetInputError, VertaisetSessionClosedError
from .forms import FieldsForm, WallView
from .i18n import Translator
from .store import ActivityState, Highlight, Participant, SessionStore

__all__ = ["HighlightsPanel", "wall_items", "wall_texts"]

log = logging.getLogger("vertaiset")


def wall_texts(tr: Translator, activity: Highlights, title: str = "") -> dict[str, str]:
    """The wall's button and label texts in the page's language."""
    keys = [
        "vote", "unvote", "edit", "withdraw", "hide", "show", "pin", "unpin", "merge", "merge_into",
        "pinned", "hidden", "merged", "votes", "save", "cancel", "edit_label", "tag_label", "no_tag",
    ]
    out = {k: tr(f"wall_{k}") for k in keys}
    out["title"] = title
    out["empty"] = tr("wall_empty")
    return out


def wall_items(
    highlights: list[Highlight], activity: Highlights, tr: Translator, *, viewer: int | None = None,
    include_hidden: bool = False, show_author: bool = False,
) -> list[dict[str, Any]]:
    """Highlights as the wall widget wants them: pinned first, then by votes, then oldest first.

    ``seq`` is each one's place in the order they were posted: the browser gets the items in
    that order and sorts them by their +1s itself (:class:`~vertaiset_widgets.forms.WallView`).
    """
    tags = {t.id: tr.label(t) for t in activity.tags}
    merged_counts: dict[str, int] = {}
    for h in highlights:
        if h.merged_into and not h.withdrawn:
            merged_counts[h.merged_into] = merged_counts.get(h.merged_into, 0) + 1
    shown = [h for h in highlights if not h.withdrawn and not h.merged_into and (include_hidden or not h.hidden)]
    seq = {h.item: n for n, h in enumerate(shown)}
    shown.sort(key=lambda h: (not h.pinned, -len(h.voters), h.created_at))
    return [
        {
            "id": h.item,
            "text": h.text or "",
            "tag": h.tag or "",
            "tag_label": tags.get(h.tag or "", ""),
            "votes": len(h.voters),
            "voted": viewer in h.voters,
            "mine": viewer == h.participant_id,
            "pinned": h.pinned,
            "hidden": h.hidden,
            "author": " · ".join(x for x in (h.nickname, h.group_name) if x) if show_author else "",
            "merged_count": merged_counts.get(h.item, 0),
            "seq": seq[h.item],
        }
        for h in shown
    ]


class HighlightsPanel(W.VBox):
    """One highlights activity on a participant's page.

    Parameters
    ----------
    store, participant, activity, tr
        Where to write, who writes, what is asked, in which language.
    draft_scope : str
        The session's code: the browser keeps unsent highlights and edits per session ("": not kept).
    """

    def __init__(self, store: SessionStore, participant: Participant, activity: Highlights, tr: Translator,
                 draft_scope: str = ""):
        super().__init__()
        self.add_class("vt-card")
        self.store = store
        self.participant = participant
        self.activity = activity
        self.tr = tr
        fields: list[dict[str, Any]] = [
            {"name": "text", "type": "textarea", "label": tr("highlight_label"), "maxlength": activity.max_length,
             "hint": tr("highlight_hint", max=activity.max_length)},
        ]
        if activity.tags:
            fields.append({
                "name": "tag", "type": "select", "label": tr("wall_tag_label"),
                "options": [{"value": "", "label": tr("wall_no_tag")}] + [
                    {"value": t.id, "label": tr.label(t)} for t in activity.tags
                ],
            })
        self.post_form = FieldsForm(
            fields=fields,
            texts={"title": tr.text(activity.title), "help": tr.text(activity.prompt), "submit": tr("highlight_post")},
            draft_key=f"{draft_scope}:{activity.id}:post" if draft_scope else "",
        )
        self.post_form.on_submit(self._handle_post)
        self.mine = WallView(mode="mine", texts=wall_texts(tr, activity, tr("my_highlights")), max_length=activity.max_length,
                             tags=[{"id": t.id, "label": tr.label(t)} for t in activity.tags], votes_shown=False,
                             draft_key=f"{draft_scope}:{activity.id}:mine" if draft_scope else "")
        self.mine.on_action(self._handle_action)
        self.wall = WallView(mode="participant", texts=wall_texts(tr, activity, tr("wall_title")), votes_shown=activity.votes)
        self.wall.on_action(self._handle_action)
        self.state = ActivityState(activity.id)

    def update(self, state: ActivityState) -> None:
        """Show what the state allows: posting while open, the wall once revealed."""
        self.state = state
        highlights = self.store.highlights(self.participant.session_id, self.activity.id, round=state.round)
        mine = [h for h in highlights if h.participant_id == self.participant.id and not h.withdrawn]
        self.mine.items = wall_items(mine, self.activity, self.tr, viewer=self.participant.id, include_hidden=True)
        self.mine.disabled = not state.is_open
        self.post_form.disabled = not state.is_open
        children: list[W.Widget] = []
        if state.is_open:
            children += [self.post_form, self.mine]
        if state.is_revealed:
            self.wall.items = wall_items(highlights, self.activity, self.tr, viewer=self.participant.id)
            self.wall.disabled = not state.is_open  # +1s count only while the wall is open and revealed
            children.append(self.wall)
        self.children = children

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
            self.store.post_highlight(
                self.participant, self.activity.id, value.get("text", ""), tag=self._tag(value.get("tag")),
                submission_id=form.submission_id, max_length=self.activity.max_length, per_minute=self.activity.per_minute,
            )
        except Exception as exc:
            form.show_status(self._problem(exc), "error")
            return
        form.clear()
        form.show_status(self.tr("highlight_saved"), "ok")
        self._refresh()

    def _tag(self, tag: Any) -> str | None:
        return tag if tag in {t.id for t in self.activity.tags} else None

    def _handle_action(self, view: WallView, action: dict) -> None:
        item = action["item"]
        try:
            if action["type"] == "vote":
                self.store.vote(self.participant, self.activity.id, item, bool(action.get("on")), submission_id=view.submission_id)
            elif action["type"] == "edit":
                self.store.edit_highlight(
                    self.participant, self.activity.id, item, action.get("text", ""), tag=self._tag(action.get("tag")),
                    submission_id=view.submission_id, max_length=self.activity.max_length,
                )
            elif action["type"] == "withdraw":
                self.store.edit_highlight(self.participant, self.activity.id, item, None, submission_id=view.submission_id)
            else:
                return
        except Exception as exc:
            view.show_status(self._problem(exc), "error")
            return
        view.show_status(self.tr(f"wall_done_{action['type']}"), "ok")
        self._refresh()

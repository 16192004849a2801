"""What every kind's panel on the participant's page shares: :class:`ActivityPanel`, the
base each kind's ``panel.py`` builds on, and :func:`panel_for`, which finds an activity's
panel in the kinds registry.

Light like the rest of the participant's path (no pandas, no altair): answers are
stored the moment the participant sees them acknowledged, come back after a refresh,
and revealed results are plain, accessible HTML tables.
"""
from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING, Any, Callable

import ipywidgets as W

from .errors import VertaisetActivityClosedError, VertaisetInputError, VertaisetSessionClosedError
from .i18n import Translator
from .phone import scrolling_tables
from .shared_models import plain_html, shared_layout
from .store import ActivityState, AnswerInput, Participant

if TYPE_CHECKING:
    from .store import SessionStore

__all__ = ["ActivityPanel", "PointsPanel", "panel_for", "save_or_say_why"]

log = logging.getLogger("vertaiset")


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


class ActivityPanel(W.VBox):
    """One activity on a participant's page; :meth:`update` follows the facilitator.

    Parameters
    ----------
    store, participant, activity, tr
        Where to write, who writes, what is asked, in which language.
    """

    #: redraw on every change in the session (others' answers show up while it is open)
    live = False
    #: widgets (attribute names) that stay in view under the turned-off form once the task closes
    #: (a list of what the room has entered so far)
    kept_when_closed: tuple[str, ...] = ()
    #: the session's code: the browser keeps unsent text per session, activity and form ("": not kept)
    draft_scope = ""
    #: the page shows the activity's title above the panel (the phone's slot): the form's own is hidden
    title_outside = False

    def __init__(self, store: SessionStore, participant: Participant, activity: Any, tr: Translator,
                 on_participant: Callable[[Participant], None] | None = None):
        super().__init__(layout=shared_layout())
        self.add_class("vt-card")
        self.on_participant = on_participant
        self.add_class(f"vt-kind-{activity.kind}")
        self.store = store
        self.participant = participant
        self.activity = activity
        self.tr = tr
        self.state: ActivityState | None = None
        self.forms: dict[int, Any] = {}
        self._results = plain_html()
        self._results.add_class("vt-results-html")

    # -- what a kind adds
    def _make_form(self, state: ActivityState) -> Any:
        raise NotImplementedError

    def _saved(self, state: ActivityState) -> dict:
        return {}

    def _results_html(self, state: ActivityState) -> str:
        return ""

    def _after_update(self, state: ActivityState) -> list[W.Widget]:
        return []

    def update_part(self, part: str) -> bool:
        """A write changed only ``part`` of the activity (see :func:`revisions.part_key`):
        re-read just that and return True, or False to have the whole panel redrawn."""
        return False

    def participant_changed(self) -> None:
        """The participant gave a new nickname or group (the page has set :attr:`participant`)."""

    def holds_form(self, state: ActivityState) -> bool:
        """True when the activity is closed but its form stays in view (what was typed in it
        is kept until the task opens again): the page then keeps it with the open tasks."""
        return not state.is_open and not state.is_revealed and self.forms.get(state.round) is not None

    def _title_outside(self, form: Any) -> None:
        if self.title_outside and form is not None and form.texts.get("title"):
            form.texts = {**form.texts, "title_hidden": True}

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
                self._title_outside(form)
                saved = self._saved(state)
                if saved:
                    form.value = saved
                # said only when answers came back (a group's name alone is not one)
                if any(v not in ("", None) for k, v in saved.items() if not str(k).startswith("_")):
                    form.show_status(self.tr("answers_restored"), "ok")
            form.disabled = False
            self.children = [form, *self._after_update(state)]
            return True
        if state.is_revealed:
            self._results.value = scrolling_tables(self._results_html(state), self.tr("phone_table_scroll"))
            self.children = [self._results]
            return True
        if form is not None:  # just closed: what they answered stays in view, the button off
            form.disabled = True
            form.show_status(self.tr("activity_closed"), "")
            self.children = [form, *(getattr(self, name) for name in self.kept_when_closed)]
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


class ReadOnlyPanel(ActivityPanel):
    """A panel participants only read, kept live as the facilitator writes it (a board, the day's
    plan): shown while the activity is open or revealed, drawn by ``_results_html``."""

    live = True

    def update(self, state: ActivityState) -> bool:
        self.state = state
        if not (state.is_open or state.is_revealed):
            return False
        self._results.value = self._results_html(state)
        self.children = [self._results]
        return True


def panel_for(store: SessionStore, participant: Participant, activity: Any, tr: Translator,
              on_participant: Callable[[Participant], None] | None = None) -> ActivityPanel | None:
    """The participant's panel of an activity, from its kind in the registry."""
    from . import kinds

    kind = kinds.for_activity(activity).panel_class()
    return kind(store, participant, activity, tr, on_participant) if kind else None


class PointsPanel(ActivityPanel):
    """A panel whose form sends points per layer and item (``{"layer|item": points}``): the
    rating matrix, the position line."""

    def _saved(self, state: ActivityState) -> dict:
        return {f"{a.layer}|{a.item}": int(a.value_num) for a in self._answers(state, mine=True) if a.value_num is not None}

    def _points(self, form: Any, value: dict) -> list[AnswerInput] | None:
        """The answers in ``value``; None (and a word in the form's status line) when nothing was chosen."""
        if not value:
            form.show_status(self.tr("nothing_chosen"), "error")
            return None
        answers = []
        for key, point in sorted(value.items()):
            layer, _, item = key.partition("|")
            answers.append(AnswerInput(item=item, layer=layer, value_num=float(point)))
        return answers

"""The participant's page (``workbooks/osallistu.ipynb``).

Light by design: this module and what it imports never load pandas or altair, so a
phone's page is ready almost as fast as a bare ipywidgets page.
"""
from __future__ import annotations

import html
import logging
import time
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

import ipywidgets as W

from .attempts import AttemptGuard
from .config import PageParams, normalize_code
from .content_kept import load_plain_content
from .errors import VertaisetError, unavailable_message
from .forms import BrowserToken, ConnectionGuard, Countdown, FieldsForm
from .panels import ActivityPanel, panel_for
from .i18n import Translator
from .live import ChangeFeed, CountsLater, Poller
from . import revisions
from .notice import notice_html
from .shared_models import plain_box, plain_html, shared_layout, shared_style
from .phone import ActivitySlot, PhoneHeader
from .plain import as_plain
from .store import PEOPLE_KEY, SESSION_KEY, ActivityState, Participant, SessionInfo, phone_store

if TYPE_CHECKING:  # the phone's page opens the light store and reads plain templates: named only
    from .content import Content
    from .store import SessionStore

__all__ = ["ParticipantPage", "participant_page"]

log = logging.getLogger("vertaiset")

#: How often an open participant page tells the store it is still open (seconds).
HEARTBEAT_SECONDS = 30


class ParticipantPage(W.VBox):
    """Join a session, say who you are (optional), and answer what the facilitator has opened.

    Parameters
    ----------
    params : PageParams
        ``session`` (join code, may be empty: the page then asks for it), ``lang``, ``db_url``.
    content : Content, optional
        Loaded templates; the page reads their plain copy (default: ``content_kept.load_plain_content``).
    store : SessionStore, optional
        Default: :func:`~vertaiset_widgets.store.phone_store` on ``params.db_url``.
    poll_interval : float
        Seconds between checks for the facilitator's changes.
    """

    def __init__(
        self,
        params: PageParams,
        *,
        content: Content | None = None,
        store: SessionStore | None = None,
        poll_interval: float = 1.0,
    ):
        super().__init__(layout=shared_layout())  # the page's looks come from its classes
        self.add_class("vt-page")
        self.add_class("vt-participant")
        self.params = params
        self.content = as_plain(content) if content is not None else load_plain_content()
        self.tr = Translator.create(self.content, params.lang)
        self.store = store or phone_store(params.db_url or None)
        self.session: SessionInfo | None = None
        self.participant: Participant | None = None
        self.states: dict[str, ActivityState] = {}
        self.kind_panels: dict[str, ActivityPanel] = {}
        self._last_seen = time.monotonic()
        #: the header's countdown: the open task's timer that ends first
        self.timer = Countdown(label=self.tr("timer_left"), done_label=self.tr("timer_done"), layout=shared_layout())
        self._rendered = False
        self.token_widget: BrowserToken | None = None
        self._joined_token: str | None = None  # one page is one participant: the first token that joined
        self.profile_form: FieldsForm | None = None
        self.material: Any = None  # a Puimala's pre-work material, once joined (puimala_phone)
        #: the day's running block (the facilitator's plan): shown while no task's timer runs
        self.block_timer = Countdown(label=self.tr("mp_block_left"), done_label=self.tr("mp_block_over"), layout=shared_layout())
        self._blocks: list[Any] = []
        self._header = PhoneHeader(f"<h1>{html.escape(self.tr('participant_title'))}</h1>", self.timer, self.block_timer)
        self._title = self._header.heading
        self._message = plain_html()
        self._profile_box = plain_box((), "vt-profile", box_type=W.VBox)
        self._activities = plain_box((), "vt-activities", box_type=W.VBox)
        # the open tasks on top, the revealed results below: each activity has one slot for the
        # page's life, which moves between the two and never holds other widgets
        self._now = plain_box((), "vt-now", box_type=W.VBox)
        self._results_box = plain_box((), "vt-results", box_type=W.VBox)
        self._results_heading = plain_html(f"<h2 class='vt-results-heading'>{html.escape(self.tr('phone_results_heading'))}</h2>")
        self._slots: dict[str, ActivitySlot] = {}
        self._places: dict[str, str] = {}  # activity -> "now", "results" (absent: not shown)
        self._order: dict[str, int] = {}  # activity -> when it came to its place (newest first)
        self._revealed: dict[str, int] = {}  # activity -> when the page saw it revealed
        self._seq = 0
        self._poller = Poller(self._read_revision, self._refresh, interval=poll_interval)
        self._counts_later = CountsLater(lambda: self.store.present_count(self.session.id) if self.session else 0)
        self._changes: ChangeFeed | None = None  # what changed since the last look, once joined
        self._waiting = W.HTML(f"<p class='vt-waiting'>{html.escape(self.tr('waiting'))}</p>", style=shared_style())
        self._waiting.add_class("vt-card")
        # the organisation's privacy notice and, once joined, one's own number (to have one's data erased)
        self._footer = plain_html(self._footer_html())
        self._footer.add_class("vt-footer")
        # notices a lost kernel or server, and gives the forms their words for saving
        self.guard = ConnectionGuard(texts={k: self.tr(k) for k in (
            "connection_lost", "saving", "not_saved", "not_saved_offline", "draft_restored", "not_sent_closed")}, layout=shared_layout())
        self.children = [self.guard, self._header, self._message, self._activities, self._profile_box, self._footer]
        if params.session:
            self._open_session(params.session)
        else:
            self._show_code_entry()

    # ------------------------------------------------------------------ joining
    def _show_code_entry(self, problem: str = "") -> None:
        form = FieldsForm(
            fields=[
                {
                    "name": "code",
                    "label": self.tr("join_code_label"),
                    "hint": self.tr("join_code_hint"),
                    "maxlength": 16,
                    "autocapitalize": "characters",
                }
            ],
            texts={"title": self.tr("join_title"), "submit": self.tr("join_button")}, layout=shared_layout(),
        )
        if problem:
            form.show_status(problem, "error")
        form.on_submit(self._handle_code_submit)
        self.code_form = form
        self._activities.children = [form]

    def _handle_code_submit(self, form: FieldsForm, value: dict) -> None:
        code = normalize_code(value.get("code", ""))
        if not code:
            form.show_status(self.tr("join_code_missing"), "error")
            return
        guard = AttemptGuard(self.store, "join")  # guessing codes slows down, across every page
        wait = guard.wait()
        if wait:
            form.show_status(self.tr("too_many_attempts", seconds=wait), "error")
            return
        if self.store.find_session(code) is None:
            guard.failed()
            form.show_status(self.tr("unknown_session", code=code), "error")
            return
        self._open_session(code)

    def _open_session(self, code: str) -> None:
        guard = AttemptGuard(self.store, "join")  # a code in the URL is a guess like a typed one
        wait = guard.wait()
        if wait:
            self._show_message(self.tr("too_many_attempts", seconds=wait), "error")
            self._show_code_entry()
            return
        session = self.store.find_session(code)
        if session is None:
            guard.failed()
            self._show_message(self.tr("unknown_session", code=code), "error")
            self._show_code_entry()
            return
        self.session = session
        self._title.value = (
            f"<h1>{html.escape(session.title)}</h1>"
            f"<p class='vt-muted'>{html.escape(self.tr('session_code'))}: {html.escape(session.code)}</p>"
        )
        self._show_message("")
        if not session.is_open:
            self._show_message(self.tr("session_closed"), "error")
            self._activities.children = []
            return
        self.token_widget = BrowserToken(scope=session.code, layout=shared_layout())
        self.token_widget.observe(self._on_token_change, "token")
        self._activities.children = [self.token_widget, plain_html(html.escape(self.tr("loading")))]

    def _on_token_change(self, change: dict) -> None:
        token = change["new"]
        if not token or self.session is None:
            return
        if self._joined_token is not None:
            if token != self._joined_token:  # a page that changes its token would make new participants
                log.warning("ignored another participant token on a page already joined (session %s)", self.session.code)
            return
        try:
            self.participant = self.store.join(self.session.id, token)
        except VertaisetError:
            log.exception("joining failed")
            self._show_message(self.tr("join_failed"), "error")
            self._activities.children = [self.token_widget]
            return
        except Exception:  # a read-only or unreachable database: said in words, logged on the server
            log.exception("joining failed: the store is not available")
            self._show_message(self.tr("store_unavailable"), "error")
            self._activities.children = [self.token_widget]
            return
        self._joined_token = token
        self.guard.session_code = self.session.code  # the address keeps the code: a reload comes back
        self._build_profile()
        from .puimala_phone import PhoneMaterial

        self.material = PhoneMaterial.attach(self)
        self._footer.value = self._footer_html()
        self._changes = ChangeFeed(self.store, self.session.id)
        self._poller.revision = None
        self._poller.check()
        self._poller.start()

    def join_as(self, token: str) -> None:
        """Join with ``token`` as the browser would (tests and seeding use this)."""
        if self.token_widget is None:
            raise RuntimeError("no session is open on this page")
        self.token_widget.token = token

    def _footer_html(self) -> str:
        parts = []
        if self.participant is not None:
            number = self.tr("participant_number", id=self.participant.id)
            parts.append(f"<p class='vt-muted vt-participant-number'>{html.escape(number)}</p>")
        parts.append(notice_html(self.tr.lang, self.tr("privacy_notice")))
        return "".join(parts)

    # ------------------------------------------------------------------ profile
    def _build_profile(self) -> None:
        assert self.participant is not None
        form = FieldsForm(
            fields=[
                {"name": "nickname", "label": self.tr("nickname_label"), "maxlength": 60, "autocomplete": "nickname"},
                {"name": "group", "label": self.tr("group_label"), "maxlength": 60},
            ],
            texts={"title": self.tr("profile_title"), "help": self.tr("profile_help"), "submit": self.tr("profile_save")},
            value={"nickname": self.participant.nickname or "", "group": self.participant.group_name or ""},
            draft_key=f"{self.session.code}:profile" if self.session else "",
            layout=shared_layout(),
        )
        form.add_class("vt-card")
        form.on_submit(self._handle_profile_submit)
        self.profile_form = form
        self._profile_box.children = [form]

    def _handle_profile_submit(self, form: FieldsForm, value: dict) -> None:
        assert self.participant is not None
        try:
            self.participant = self.store.update_profile(
                self.participant, nickname=value.get("nickname"), group=value.get("group")
            )
        except Exception:
            log.exception("saving the profile failed")
            form.show_status(self.tr("save_failed"), "error")
            return
        self._set_participant(self.participant)
        form.show_status(self.tr("saved_at", time=datetime.now().strftime("%H.%M")), "ok")

    def _set_participant(self, participant: Participant) -> None:
        """A new nickname or group: the profile form and every panel use it from now on."""
        self.participant = participant
        if self.profile_form is not None:
            self.profile_form.value = {"nickname": participant.nickname or "", "group": participant.group_name or ""}
        for panel in self.kind_panels.values():
            panel.participant = participant
        for panel in self.kind_panels.values():
            panel.participant_changed()

    # ------------------------------------------------------------------ activities
    def _read_revision(self) -> int:
        assert self.session is not None
        now = time.monotonic()
        if self.participant is not None and now - self._last_seen > HEARTBEAT_SECONDS:
            # "present" on the facilitator's console: this page is open
            self._last_seen = now
            self.store.touch(self.participant)
        if self.material is not None and self.material.boundary_passed() and self._changes is not None:
            self._changes.forget()  # a pre-work window opened or closed by the clock: draw it all
            self._poller.revision = None
        whole = self._update_parts(self._counts_later.take(), hold=False) if self._rendered else set()
        if whole:
            self._render_activities(whole)
        return self.store.revision(self.session.id)

    def _refresh(self) -> None:
        """Redraw what changed: the activities whose state moved, and those whose new data the
        page shows (revealed results, and the live panels of open activities: maps, boards,
        group canvases). Who joined or renamed themselves shows on no phone."""
        if self.session is None or self.participant is None or self._changes is None:
            return
        with self._changes.changes() as keys:
            changed = None if keys is None else revisions.by_activity(keys)
            if self.material is not None:
                self.material.follow(keys)
            if self._rendered and changed is not None and not set(changed) - {PEOPLE_KEY}:
                return
            session = self.store.get_session(self.session.code) if changed is None or SESSION_KEY in changed else self.session
            states = self.store.activity_states(session.id)
            moved = {a for a in set(states) | set(self.states) if states.get(a) != self.states.get(a)}
            everything = not self._rendered or changed is None or session.is_open != self.session.is_open
            self.session, self.states = session, states
            if everything or SESSION_KEY in changed:
                self._blocks = self.store.agenda_blocks(session.id)  # the plan changed, or a block started
            if everything:
                self._render_activities()
                return
            redraw = set(moved) | self._update_parts(changed, moved)
            if redraw:
                self._render_activities(redraw)
            elif SESSION_KEY in changed:  # a block started: the header follows
                self._update_timer()

    def _update_parts(self, changed: dict[str, set[str]], moved: set[str] = frozenset(), hold: bool = True) -> set[str]:
        """A part alone (a wall's +1s) is re-read by its panel when it can (in a big room, at
        :class:`CountsLater`'s pace); return the activities to draw whole."""
        whole: set[str] = set()
        wait: bool | None = None  # one decision per poll, made (and the room counted) at its first part-only change
        for activity_id, parts in changed.items():
            panel = self.kind_panels.get(activity_id)
            if activity_id in moved or not self._follows(activity_id):
                continue
            if "" in parts or panel is None:
                self._counts_later.drop(activity_id)
                whole.add(activity_id)
                continue
            if wait is None:
                wait = hold and self._counts_later.waiting()
            if wait:
                self._counts_later.keep(activity_id, parts)
            else:
                self._counts_later.drop(activity_id)
                self._counts_later.drawn()
                if not all(panel.update_part(part) for part in parts):
                    whole.add(activity_id)
        return whole

    def _follows(self, activity_id: str) -> bool:
        """True when the page shows others' answers of this activity (so they redraw it)."""
        state = self.states.get(activity_id)
        if state is None:
            return False
        panel = self.kind_panels.get(activity_id)
        return state.is_revealed or bool(state.is_open and panel is not None and panel.live)

    def _render_activities(self, redraw: set[str] | None = None) -> None:
        """Put the activities on the page; redraw those in ``redraw`` (default: every one) and
        keep what the others showed. Open tasks go on top (the newest first), revealed results
        below (the latest revealed first); a slot moves between the two, its widgets stay."""
        assert self.session is not None and self.participant is not None
        first = not self._rendered
        self._rendered = True
        base: list[W.Widget] = [self.token_widget] if self.token_widget else []
        if not self.session.is_open:
            self._show_message(self.tr("session_closed"), "error")
            self._activities.children = base
            self._places.clear()
            self._update_timer()
            return
        for activity in self.content.activities.values():
            state = self.states.get(activity.id)
            if state is None:
                self._places.pop(activity.id, None)
                self._revealed.pop(activity.id, None)
                continue
            if activity.id in self._places and redraw is not None and activity.id not in redraw:
                continue
            self._place(activity, state, announce=not first)
        now = sorted((a for a, p in self._places.items() if p == "now"), key=lambda a: -self._order[a])
        results = sorted((a for a, p in self._places.items() if p == "results"), key=self._reveal_order, reverse=True)
        now_children = tuple(self._slots[a] for a in now)
        if now_children != self._now.children:
            self._now.children = now_children
        result_children = (self._results_heading, *(self._slots[a] for a in results)) if results else ()
        if result_children != self._results_box.children:
            self._results_box.children = result_children
        self._waiting.layout.display = "none" if now else None
        children = (*base, self._now, self._waiting, self._results_box)
        if children != self._activities.children:
            self._activities.children = children
        self._update_timer()

    def _reveal_order(self, activity_id: str) -> tuple[float, int]:
        """When the activity's results were revealed (the store's time, so a reload keeps the
        order), then when this page saw it: sorted in reverse, the newest reveal comes first."""
        state = self.states.get(activity_id)
        at = state.revealed_at if state is not None else None
        stamp = (at if at.tzinfo else at.replace(tzinfo=timezone.utc)).timestamp() if at is not None else 0.0
        return stamp, self._revealed.get(activity_id, 0)

    def _place(self, activity: Any, state: ActivityState, *, announce: bool) -> None:
        """Redraw one activity for its state and say where its slot goes: ``now`` (open, or
        closed with what was typed still in view), ``results`` (revealed), or nowhere."""
        assert self.session is not None and self.participant is not None
        if state.is_revealed and activity.id not in self._revealed:
            self._seq += 1
            self._revealed[activity.id] = self._seq
        elif not state.is_revealed:
            self._revealed.pop(activity.id, None)
        panel = self.kind_panels.get(activity.id)
        if panel is None:
            panel = panel_for(self.store, self.participant, activity, self.tr, on_participant=self._set_participant)
            if panel is None:
                return
            panel.draft_scope = self.session.code  # unsent text is kept in the browser per session
            panel.title_outside = True  # the slot shows the title
            self.kind_panels[activity.id] = panel
        before = self._places.get(activity.id)
        if not panel.update(state):
            self._places.pop(activity.id, None)
            return
        results = state.is_revealed and not state.is_open and not panel.holds_form(state)
        place = "results" if results else "now"
        slot = self._slots.get(activity.id)
        if slot is None:
            slot = self._slots[activity.id] = ActivitySlot(activity.id, self.tr.text(activity.title), panel)
        slot.set_mode(place if place == "now" else "result")
        if place == "now" and before != "now":
            self._seq += 1
            self._order[activity.id] = self._seq
            if announce and state.is_open:
                self.guard.announce(self.tr("phone_new_task", title=self.tr.text(activity.title)))
        self._places[activity.id] = place

    def _update_timer(self) -> None:
        """The header's countdowns follow the open tasks' timers and the day's running block."""
        is_open = self.session is not None and self.session.is_open
        shown = {a: st for a, st in self.states.items() if self._places.get(a) == "now"} if is_open else {}
        self._header.follow(shown, self._blocks if is_open else [], self.tr)

    @property
    def timers(self) -> dict[str, Countdown]:
        """The countdown of each open task: the header's one, which counts down the timer that ends first."""
        return {a: self.timer for a, p in self._places.items() if p == "now" and self.states[a].is_open}

    def shown(self, activity_id: str) -> list[W.Widget]:
        """What the page shows of one activity: its slot's title and panel ([] when not shown)."""
        slot = self._slots.get(activity_id)
        place = self._places.get(activity_id)
        if slot is None or place is None:
            return []
        area = self._now if place == "now" else self._results_box
        shown = slot in area.children and area in self._activities.children
        return list(slot.children) if shown else []

    # ------------------------------------------------------------------ messages
    def _show_message(self, text: str, kind: str = "") -> None:
        css = "vt-error" if kind == "error" else "vt-muted"
        self._message.value = f"<p class='{css}' role='alert'>{html.escape(text)}</p>" if text else ""

    @property
    def message(self) -> str:
        """The message shown above the activities (plain text)."""
        import re

        return html.unescape(re.sub(r"<[^>]+>", "", self._message.value))

    def refresh(self) -> None:
        """Check the store now instead of waiting for the next poll."""
        self._poller.check()

    def close(self) -> None:
        """Stop polling and close the widgets."""
        self._poller.stop()
        super().close()


def participant_page(**params: str) -> ParticipantPage | W.HTML:
    """Build the page from notebook parameters (the query string wins under Voila).

    Never raises: what goes wrong is said on the page in the participant's language.
    """
    from IPython.display import HTML, display

    from . import kinds

    display(HTML(kinds.style_element()))  # the kinds' looks, once per page (see kinds.stylesheet)
    page = PageParams.from_notebook(**params)
    try:
        if page.view == "feedback":  # a Puimala's public feedback link
            from .feedback_page import FeedbackPage

            return FeedbackPage(page)
        if page.view == "notes":  # a Puimala's note-taker, with the notes key
            from .notes_page import NotesPage

            return NotesPage(page)
        if page.view == "bank":  # the practice bank, read-only
            from .bank_phone import BankPhonePage

            return BankPhonePage(page)
        return ParticipantPage(page)
    except Exception as exc:
        log.exception("opening the participant page failed")
        return W.HTML(f"<p class='vt-error' role='alert'>{html.escape(unavailable_message(exc, page.lang))}</p>")

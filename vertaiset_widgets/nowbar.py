"""The facilitator console's "now" bar and the workshop's close with its confirmation.

The bar stays at the top of the console: the activity that runs now (or the one the
facilitator jumped to), its open, close, reveal and timer controls, and links to the previous
and next item of the day's plan — within this workbook an anchor on the page, into another
workbook that workbook's console at the activity — and the day's running block, with a warning
when it or the day runs over.
"""
from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import ipywidgets as W

from .room_widgets import BarHeight
from .shared_models import plain_box, plain_html, shared_layout
from .store.agenda import AgendaBlock, block_name, clock, day_status

if TYPE_CHECKING:
    from .consoles import ActivityConsole
    from .workbook import Workbook

__all__ = ["NowBar", "SessionClose"]


class NowBar(W.VBox):
    """The sticky bar at the top of a keyed console (class ``vt-now-bar``).

    The bar shows the current activity's own controls (its console's ``controls_row``: open,
    close, reveal, hide, new round, timers), so each control exists once on the page. The bar
    itself sits in the current activity's catalogue entry, pinned to the top of the viewport by
    the stylesheet: in the page's order it comes where that activity is.

    Attributes
    ----------
    current : str or None
        The id of the activity the bar's controls act on.
    """

    def __init__(self, workbook: "Workbook"):
        # classes and layouts given as the widgets are made: each change afterwards is one more message
        super().__init__(_dom_classes=("vt-now-bar",), layout=shared_layout())
        self.wb = workbook
        self.current: str | None = None
        self._unfolded: "ActivityConsole | None" = None  # the console the bar unfolded last
        self._open_ids: tuple[str, ...] | None = None
        self._host: W.Box | None = None  # the box the bar sits in: the page's header, then the current entry
        self._title = plain_html("", "vt-now-title")
        self._controls = plain_box((), "vt-now-controls", box_type=W.Box)
        self._steps = plain_html("", "vt-now-steps")
        top = plain_box([self._title, self._steps], "vt-now-top")
        #: the day's running block and whether it, or the day, runs over (the facilitator's plan)
        self.day = plain_html("", "vt-now-day")
        self._blocks: list[AgendaBlock] = []
        self.children = [top, self.day, self._controls, BarHeight()]
        self.update_day(read=True)
        self.refresh()

    @property
    def buttons(self) -> dict[str, W.Button]:
        """The current activity's controls by name (``open``, ``close``, ``reveal``, ``hide``,
        ``reset``, ``timer_<minutes>``, ``timer_stop``); empty with nothing current."""
        console = self._console()
        return console.buttons if console is not None else {}

    def dock(self, box: W.Box) -> None:
        """Note the box the bar was first shown in (the page's header)."""
        self._host = box

    def _sit_in(self, console: "ActivityConsole") -> None:
        """Move the bar into ``console``'s entry: the page order follows what the bar acts on."""
        if self._host is console:
            return
        if self._host is not None:
            self._host.children = tuple(c for c in self._host.children if c is not self)
        console.children = (self, *(c for c in console.children if c is not self))
        self._host = console

    # ------------------------------------------------------------------ which activity
    def _console(self) -> "ActivityConsole | None":
        return next((c for c in self.wb._consoles if c.activity.id == self.current), None)

    def set_current(self, activity_id: str) -> None:
        """Make ``activity_id`` (an activity of this workbook) the one the bar acts on."""
        console = next((c for c in self.wb._consoles if c.activity.id == activity_id), None)
        if console is not None:
            self.current = activity_id
            self._unfold(console)
            self.refresh()

    def _unfold(self, console: "ActivityConsole") -> None:
        """Open ``console`` in the catalogue, and fold back the one the bar opened before (unless it is open)."""
        previous = self._unfolded
        if previous is not None and previous is not console and previous.fold is not None and not previous.state.is_open:
            previous.fold.expanded = False
        console.unfold()
        self._unfolded = console

    def _follow_the_room(self) -> None:
        """When what is open changes, the bar moves to the first open activity."""
        consoles = self.wb._consoles
        open_ids = tuple(c.activity.id for c in consoles if c.state.is_open)
        if open_ids != self._open_ids:
            self._open_ids = open_ids
            if open_ids:
                self.current = open_ids[0]
        if self.current is None and consoles:
            self.current = self._planned_next() or consoles[0].activity.id

    def _planned_next(self) -> str | None:
        """The first item of the day's plan in this workbook that nobody has answered yet."""
        ours = {c.activity.id: c for c in self.wb._consoles}
        for workbook, activity_id, _when in self._plan():
            if workbook == self.wb.notebook and activity_id in ours and ours[activity_id].badge_state == "waiting":
                return activity_id
        return None

    # ------------------------------------------------------------------ the plan
    def _plan(self) -> list[tuple[str, str]]:
        """The day's plan as (workbook, activity id, time); this workbook's activities without one."""
        session = self.wb.session
        plan = [tuple(row) for row in self.wb.store.agenda(session.id)] if session is not None else []
        return plan or [(self.wb.notebook, c.activity.id, "") for c in self.wb._consoles]

    def href(self, workbook: str, activity_id: str) -> str:
        """The link to an activity: an anchor on this page, or the other workbook's console at it."""
        anchor = f"#activity-{activity_id}"
        if workbook == self.wb.notebook:
            return anchor
        tr = self.wb.tr
        query = urlencode({"session": self.wb.session.code, "key": self.wb.params.key,
                           **({"lang": tr.lang} if tr.lang != "fi" else {})})
        return f"{workbook}?{query}{anchor}"

    def _neighbours(self) -> tuple[tuple[str, str] | None, tuple[str, str] | None]:
        plan = [(w, a) for w, a, _t in self._plan()]
        here = (self.wb.notebook, self.current)
        if here not in plan:
            plan = [(self.wb.notebook, c.activity.id) for c in self.wb._consoles]
        if here not in plan:
            return None, None
        i = plan.index(here)
        return (plan[i - 1] if i > 0 else None), (plan[i + 1] if i + 1 < len(plan) else None)

    def _title_of(self, activity_id: str) -> str:
        try:
            return self.wb.tr.text(self.wb.content.activity(activity_id).title)
        except KeyError:
            return activity_id

    # ------------------------------------------------------------------ the day's clock
    def update_day(self, *, read: bool = False) -> None:
        """Redraw the running block and the warnings: the block past its own time, the day past
        its planned end (now + what is left of the running block + the blocks after it).
        ``read``: read the plan from the store first (it changed)."""
        session = self.wb.session
        if read and session is not None:
            self._blocks = self.wb.store.agenda_blocks(session.id)
        status = day_status(self._blocks)
        value = ""
        if status.running is not None:
            tr = self.wb.tr
            parts = [f"<span class='vt-now-label'>{html.escape(tr('mp_now'))}</span> "
                     f"{html.escape(block_name(status.running, tr))} ({html.escape(status.running.starts_at or '')}–"
                     f"{html.escape(status.running.ends_at)})"]
            if status.block_over_minutes:
                title = block_name(status.running, tr)
                parts.append(f"<strong class='vt-mp-warn'>{html.escape(tr('mp_warn_block', title=title, n=status.block_over_minutes))}</strong>")
            if status.day_over_minutes:
                text = tr("mp_warn_day", n=status.day_over_minutes, projected=clock(status.projected_end or 0),
                          planned=clock(status.planned_end or 0))
                parts.append(f"<strong class='vt-mp-warn'>{html.escape(text)}</strong>")
            value = (f"<p role='status' data-vt-day-over='{status.day_over_minutes}' "
                     f"data-vt-block-over='{status.block_over_minutes}'>{' '.join(parts)}</p>")
        if value != self.day.value:
            self.day.value = value

    # ------------------------------------------------------------------ drawing
    def refresh(self) -> None:
        """Redraw the bar from the consoles' states (after a change in the store or a jump)."""
        tr = self.wb.tr
        self.update_day()
        before = self.current
        self._follow_the_room()
        console = self._console()
        if console is not None and (self.current != before or self._unfolded is None):
            self._unfold(console)
        if console is None:
            title = f"<p><span class='vt-now-label'>{html.escape(tr('now_title'))}</span> {html.escape(tr('now_nothing'))}</p>"
        else:
            state = console.badge_state
            title = (
                f"<p><span class='vt-now-label'>{html.escape(tr('now_title'))}</span> "
                f"<a class='vt-now-name' href='#activity-{console.activity.id}'>{html.escape(tr.text(console.activity.title))}</a> "
                f"<span class='vt-badge' data-state='{state}'>{html.escape(tr('badge_' + state))}</span></p>"
            )
        if title != self._title.value:
            self._title.value = title
        controls = (console.controls_row,) if console is not None and console.controls_row is not None else ()
        if tuple(self._controls.children) != controls:
            self._controls.children = controls
        for other in self.wb._consoles:
            if other.make_current is not None:
                other.make_current.layout.display = "none" if other is console else None
        if console is not None and console.fold is not None:
            self._sit_in(console)
        before, after = self._neighbours() if console is not None else (None, None)
        links = []
        for target, word, rel in ((before, "now_previous", "prev"), (after, "now_next", "next")):
            if target is None:
                continue
            name = html.escape(self._title_of(target[1]), quote=True)
            links.append(
                f"<a class='vt-now-step' rel='{rel}' data-vt-step='{rel}' href='{html.escape(self.href(*target), quote=True)}' "
                f"title='{name}' aria-label='{html.escape(tr(word), quote=True)}: {name}'>{html.escape(tr(word))}</a>"
            )
        steps = "".join(links)
        if steps != self._steps.value:
            self._steps.value = steps


class SessionClose(W.VBox):
    """Closing the whole workshop asks first, in the page; reopening takes one click.

    Attributes
    ----------
    button : ipywidgets.Button
        "Sulje työpaja" (or "Avaa työpaja uudelleen" once closed).
    confirm, cancel : ipywidgets.Button
        The second step, shown after ``button`` while the workshop is open.
    """

    def __init__(self, workbook: "Workbook"):
        super().__init__(_dom_classes=("vt-session-close",), layout=shared_layout())
        self.wb = workbook
        tr = workbook.tr
        self.button = W.Button(layout=shared_layout())
        self.button.on_click(self._on_button)
        self.confirm = W.Button(description=tr("session_close_confirm"), _dom_classes=("vt-danger",), layout=shared_layout())
        self.confirm.on_click(lambda _b: self._close())
        self.cancel = W.Button(description=tr("session_close_cancel"), layout=shared_layout())
        self.cancel.on_click(lambda _b: self._ask(False))
        self._question = plain_html(f"<p class='vt-confirm-question' role='alert'>{html.escape(tr('session_close_ask'))}</p>")
        # shown and hidden by its own layout
        self._ask_row = W.HBox([self._question, self.confirm, self.cancel], _dom_classes=("vt-toolbar", "vt-confirm"))
        self._state = plain_html()
        row = plain_box([self.button, self._state], "vt-toolbar")
        self.children = [row, self._ask_row]
        self._ask(False)
        self.draw()

    def _on_button(self, _b: Any) -> None:
        if self.wb.session is not None and self.wb.session.is_open:
            self._ask(True)
        else:
            self.wb.set_session_open(True)

    def _ask(self, asking: bool) -> None:
        self._ask_row.layout.display = None if asking else "none"
        self.button.disabled = asking

    def _close(self) -> None:
        self._ask(False)
        self.wb.set_session_open(False)

    def draw(self) -> None:
        """Redraw the button's word and the workshop's state."""
        session = self.wb.session
        if session is None:
            return
        tr = self.wb.tr
        self.button.description = tr("session_close") if session.is_open else tr("session_reopen")
        state = tr("session_is_open") if session.is_open else tr("session_is_closed")
        self._state.value = f"<p class='vt-muted' data-vt-session-open='{int(session.is_open)}'>{html.escape(state)}</p>"

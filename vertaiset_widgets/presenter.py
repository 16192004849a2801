"""The room's projector as a presenter view (``role=screen``).

The screen shows one thing at a time, sized to the viewport: the activity that runs now (its
title and question, the count of answers, the timer, the results once revealed) under a slim
join banner; with nothing running, a large join card. The day's running block (the facilitator's plan) shows
its name and countdown under the banner. ← and → (a clicker's PageUp / PageDown)
step through the day's agenda (the same plan the console's now bar follows; without one, the
workbook's activities) as a choice of this screen only: the store is not touched, and the screen
follows the room again as soon as what is open or revealed changes. A step to an item of another
workbook opens that workbook's screen at the item (``#activity-<id>``). Results longer than the
screen are paged in the browser (``static/room.js``): the same keys turn the pages first.

The activities' views stay in their own cells (the notebook displays each); this widget picks
which one shows, and the template's stylesheet lays the chosen one out under the banner.
"""
from __future__ import annotations

from datetime import datetime, timezone

import html
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import ipywidgets as W

from .links import SessionLinks, qr_svg_data_uri
from .forms import Countdown
from .nowbar import NowBar
from .room_widgets import RoomKeys
from .shared_models import plain_html, shared_layout
from .store.agenda import block_name, running_block

if TYPE_CHECKING:
    from .consoles import ActivityConsole
    from .workbook import Workbook

__all__ = ["Presenter"]


class Presenter(W.VBox):
    """The projector's frame: the join banner or the large join card, and the keys.

    Parameters
    ----------
    workbook : Workbook
        The screen's workbook (its session, translator and consoles).

    Attributes
    ----------
    shown : ActivityConsole or None
        The activity the screen shows now; None shows the join card.
    """

    def __init__(self, workbook: "Workbook"):
        super().__init__(_dom_classes=("vt-presenter",), layout=shared_layout())
        self.wb = workbook
        tr = workbook.tr
        assert workbook.session is not None
        links = SessionLinks(workbook.session.code, lang=tr.lang)
        code = html.escape(workbook.session.code)
        qr = qr_svg_data_uri(links.participant)
        alt = html.escape(tr("qr_alt", url=links.participant), quote=True)
        address = html.escape(links.participant)
        self._banner = W.HTML(
            f"<div class='vt-join-banner'>"
            f"<img class='vt-qr' alt='{alt}' src='{qr}'>"
            f"<p class='vt-join-banner-text'><span>{html.escape(tr('presenter_join'))}</span> "
            f"<span class='vt-link'>{address}</span></p>"
            f"<p class='vt-join-banner-code'><span>{html.escape(tr('presenter_code'))}</span> "
            f"<strong class='vt-joincode' data-vt-code='{code}'>{code}</strong></p>"
            f"<p class='vt-presenter-more' hidden></p>"
            "</div>"
        )
        self._banner.add_class("vt-presenter-banner")
        self._card = W.HTML(
            "<div class='vt-join-card'>"
            f"<h1 class='vt-join-card-title'>{html.escape(workbook.session.title)}</h1>"
            f"<img class='vt-qr' alt='{alt}' src='{qr}'>"
            "<div class='vt-join-card-text'>"
            f"<p>{html.escape(tr('join_at'))}</p>"
            f"<p class='vt-link'>{address}</p>"
            f"<p>{html.escape(tr('session_code'))}</p>"
            f"<p class='vt-joincode' data-vt-code='{code}'>{code}</p>"
            "</div></div>"
        )
        self._card.add_class("vt-presenter-card")
        self.room_keys = RoomKeys(hint=tr("presenter_keys"), page_label=tr("presenter_page"))
        self.room_keys.on_step(self.step)
        self.room_keys.on_show(self.show)
        self.shown: "ActivityConsole | None" = None
        self._chosen: "ActivityConsole | None" = None  # a step's choice, until the room changes
        self._chose_card = False
        self._room: tuple = ()
        self._wanted: str | None = None
        # the day's running block (the facilitator's plan): its name and countdown, under the banner
        self._block = plain_html()
        self.block_timer = Countdown(label=tr("mp_block_left"), done_label=tr("mp_block_over"), layout=shared_layout())
        self._block_key: Any = None
        self._has_block = False
        self.block_bar = W.HBox([self._block, self.block_timer])
        self.block_bar.add_class("vt-presenter-block")
        # a practice the facilitator put on the screen from the bank (kaytantopankki.ipynb)
        self._practice = W.HTML()
        self._practice.add_class("vt-presenter-practice")
        self._practice.add_class("vt-bk-screen")
        self._practice.layout.display = "none"
        self._practice_on: tuple[str, datetime] | None = None  # (uid, when it was put on), as read
        self.practice_shown: str | None = None
        self._practice_drawn: tuple[str, datetime] | None = None
        self.children = [self._banner, self.block_bar, self._card, self._practice, self.room_keys]
        self.update_block()
        self.update_practice(read_only=True)

    # ------------------------------------------------------------------ what runs now
    @property
    def consoles(self) -> list["ActivityConsole"]:
        return list(self.wb._consoles)

    def _running(self) -> tuple[list["ActivityConsole"], "ActivityConsole | None"]:
        """The open activities, and the most recently revealed one (by the time of its reveal;
        reveals older than those times count in the notebook's order, before the others)."""
        consoles = self.consoles
        opened = [c for c in consoles if c.state.is_open]
        revealed = sorted((c for c in consoles if c.state.is_revealed), key=_revealed_time)
        return opened, (revealed[-1] if revealed else None)

    def update(self) -> None:
        """Show what runs now, or what a step chose while the room has not changed since."""
        opened, revealed = self._running()
        room = tuple((c.activity.id, c.state.is_open, c.state.is_revealed) for c in self.consoles)
        if room != self._room:
            self._room = room
            self._chosen, self._chose_card = None, False
        wanted = next((c for c in self.consoles if c.activity.id == self._wanted), None)
        if wanted is not None:  # an address's choice, made before the activities were drawn
            self._wanted = None
            self._chosen, self._chose_card = wanted, False
        if self._chose_card:
            self._show(None)
        elif self._chosen is not None:
            self._show(self._chosen)
        elif self._practice_is_latest():
            self._show_practice()
        else:
            self._show(opened[0] if opened else revealed, more=max(0, len(opened) - 1))

    # ------------------------------------------------------------------ a practice from the bank
    def update_practice(self, *, read_only: bool = False) -> None:
        """Read which practice the bank put on this session's screen (on a change of the session).

        It shows while it is the facilitator's latest move: until an activity is opened, closed or
        revealed after it, a key steps away, or it is taken off the screen."""
        session = self.wb.session
        on = self.wb.store.practice_on_screen(session.id) if session is not None else None
        if on == self._practice_on:
            return
        self._practice_on = on
        self._practice_drawn = None
        if on is not None:  # put on just now: it takes the screen from a key's choice
            self._chosen, self._chose_card = None, False
        if not read_only:
            self.update()

    def _practice_is_latest(self) -> bool:
        if self._practice_on is None:
            return False
        moves = [c.state.updated_at for c in self.consoles if c.state.updated_at is not None]
        latest = max((m if m.tzinfo else m.replace(tzinfo=timezone.utc) for m in moves), default=None)
        return latest is None or self._practice_on[1] >= latest

    def _show_practice(self) -> None:
        assert self._practice_on is not None
        uid = self._practice_on[0]
        if self._practice_drawn != self._practice_on:
            practice = self.wb.store.practice(uid)
            if practice is None:  # gone from the bank since: the room's activity instead
                self._practice_on = None
                self.update()
                return
            from .bank_page import screen_practice_html
            from .bank_views import bank_style, dimension_labels

            self._practice.value = bank_style() + screen_practice_html(self.wb.tr, practice,
                                                                       dimension_labels(self.wb.tr, self.wb.content))
            self._practice_drawn = self._practice_on
        self._show(None)
        self.shown, self.practice_shown = None, uid
        self._card.layout.display = "none"
        self._banner.layout.display = None
        self._practice.layout.display = None

    def _plan(self) -> list[tuple[str, str]]:
        """The day's agenda as (workbook, activity id); without one, this workbook's activities."""
        # the console's now bar reads the same plan: one source for "previous" and "next"
        plan = [(w, a) for w, a, _t in NowBar._plan(self)]
        ours = [(self.wb.notebook, c.activity.id) for c in self.consoles]
        return plan if any(item in plan for item in ours) else ours

    def step(self, by: int) -> None:
        """Show the previous (-1) or next (+1) item of the agenda (or of the workbook); before the
        first is the join card. An item of another workbook opens that workbook's screen."""
        plan = self._plan()
        if not plan:
            return
        here = (self.wb.notebook, self.shown.activity.id) if self.shown is not None else None
        if here in plan:
            index = plan.index(here) + by
        elif by > 0:  # from the join card (or an activity off the plan): this workbook's first item
            index = next((i for i, (w, _a) in enumerate(plan) if w == self.wb.notebook), 0)
        else:
            index = -1
        if index >= len(plan):
            return
        if index < 0:
            self._chosen, self._chose_card = None, True
            self._show(None)
            return
        workbook, activity_id = plan[index]
        if workbook != self.wb.notebook:
            self.room_keys.go(self.href(workbook, activity_id))
            return
        self.show(activity_id)

    def show(self, activity_id: str) -> None:
        """Show one activity of this workbook (a step's or an address's choice) until the room changes."""
        console = next((c for c in self.consoles if c.activity.id == activity_id), None)
        if console is None:  # not drawn yet: chosen as soon as it is
            self._wanted = activity_id
            return
        self.update()  # take in the room's latest change first, so the choice is not undone by it
        self._chosen, self._chose_card = console, False
        self._show(console)

    def href(self, workbook: str, activity_id: str) -> str:
        """The other workbook's screen, showing ``activity_id`` (relative to this page)."""
        tr = self.wb.tr
        query = urlencode({"session": self.wb.session.code, "role": "screen", **({"lang": tr.lang} if tr.lang != "fi" else {})})
        return f"{workbook}?{query}#activity-{activity_id}"

    def update_block(self) -> None:
        """Show the day's running block and count it down (hidden while no block runs)."""
        session = self.wb.session
        block = running_block(self.wb.store.agenda_blocks(session.id)) if session is not None else None
        self.block_bar.layout.display = None if block is not None else "none"
        self._has_block = block is not None
        self._mark_below_block()
        if block is None:
            self._block.value = ""
            self._block_key = None
            if self.block_timer.seconds is not None:
                self.block_timer.set_seconds(None)
            return
        tr = self.wb.tr
        self._block.value = (f"<p class='vt-block-now' data-vt-block='{block.position}'>"
                             f"{html.escape(tr('mp_now'))}: {html.escape(block_name(block, tr))}</p>")
        key = (block.position, block.started_at)
        if key != self._block_key:  # the browser counts down on its own: restarted only for a new start
            self._block_key = key
            self.block_timer.set_seconds(max(0, block.seconds_left() or 0))

    # ------------------------------------------------------------------ drawing
    def _mark_below_block(self) -> None:
        """The activities move down under the running block's line (the page's CSS, by a class)."""
        for c in self.consoles:
            (c.add_class if self._has_block else c.remove_class)("vt-below-block")

    def _show(self, console: "ActivityConsole | None", *, more: int = 0) -> None:
        self.shown, self.practice_shown = console, None
        self._practice.layout.display = "none"
        self._mark_below_block()
        # the others hidden first, then the one shown: the room never sees two activities at once
        for c in self.consoles:
            if c is not console:
                c.layout.display = "none"
        if console is not None:
            console.layout.display = None
        self._card.layout.display = None if console is None else "none"
        self._banner.layout.display = "none" if console is None else None
        tr = self.wb.tr
        marker = "<p class='vt-presenter-more' hidden></p>"
        value = self._banner.value
        start = value.index("<p class='vt-presenter-more'")
        end = value.index("</p>", start) + len("</p>")
        if more:
            label = html.escape(tr("presenter_more", n=more), quote=True)
            marker = f"<p class='vt-presenter-more' title='{label}' aria-label='{label}'>+{more}</p>"
        value = value[:start] + marker + value[end:]
        if value != self._banner.value:
            self._banner.value = value

    def summary(self) -> dict[str, Any]:
        """What the screen shows now (for tests and logs): the activity's id or ``join``."""
        if self.practice_shown is not None:
            return {"shown": f"practice:{self.practice_shown}"}
        return {"shown": self.shown.activity.id if self.shown is not None else "join"}


def _revealed_time(console: "ActivityConsole") -> datetime:
    at = console.state.revealed_at
    if at is None:
        return datetime.min.replace(tzinfo=timezone.utc)
    return at if at.tzinfo else at.replace(tzinfo=timezone.utc)

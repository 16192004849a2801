"""The parts of the phone's page that keep it steady: the slim header with the session's
name and the timer, and one slot per activity whose children never change.

A slot holds the activity's title and its panel, in that order, for as long as the page
lives: a timer, a reveal or a close changes what the slot shows, never which widgets it
holds, so the browser never draws a form again and what a participant is typing stays.
The slot's title is a plain heading while the task is open ("now"), and a disclosure
button that folds the revealed results to their title below.
"""
from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import anywidget
import ipywidgets as W
import traitlets

from .assets import esm
from .forms import Countdown
from .shared_models import plain_html, shared_layout

__all__ = ["ActivitySlot", "ActivityTitle", "PhoneHeader", "scrolling_tables"]

_STATIC = Path(__file__).resolve().parent / "static"


class ActivityTitle(anywidget.AnyWidget):
    """An activity's title on the phone: a heading while it is open (``mode="now"``), a
    disclosure button over its folded results once revealed (``mode="result"``)."""

    _esm = esm(_STATIC / "title.js")
    title = traitlets.Unicode("").tag(sync=True)
    activity_id = traitlets.Unicode("").tag(sync=True)
    mode = traitlets.Enum(["now", "result"], "now").tag(sync=True)


class ActivitySlot(W.VBox):
    """One activity on the phone: its title and its panel, never reordered or replaced."""

    def __init__(self, activity_id: str, title: str, panel: W.Widget):
        super().__init__(layout=shared_layout())
        self.activity_id = activity_id
        self.panel = panel
        self.title = ActivityTitle(title=title, activity_id=activity_id, layout=shared_layout())
        if "vt-card" in panel._dom_classes:  # the slot is the card: its title belongs to it
            panel.remove_class("vt-card")
        panel.add_class("vt-slot-body")
        self.add_class("vt-card")
        self.add_class("vt-slot")
        self.add_class("vt-slot-now")
        self.mode = "now"
        self.children = [self.title, panel]

    def set_mode(self, mode: str) -> None:
        """``now`` (the open task, at the top) or ``result`` (folded to its title below)."""
        if mode == self.mode:
            return
        self.remove_class(f"vt-slot-{self.mode}")
        self.add_class(f"vt-slot-{mode}")
        self.mode = mode
        self.title.mode = mode


class PhoneHeader(W.VBox):
    """The slim header that stays on top while the participant scrolls: the session's name
    and code, the countdown of the open task's timer, and the day's running block (its name,
    and its countdown while no task's timer runs)."""

    def __init__(self, title_html: str, timer: Countdown, block_timer: Countdown | None = None):
        super().__init__(layout=shared_layout())
        self.add_class("vt-phone-header")
        self.heading = plain_html(title_html)
        self.heading.add_class("vt-title")
        self.timer = timer
        self.block = plain_html()
        self.block.add_class("vt-block-now")
        self.block_timer = block_timer or Countdown()
        timer.add_class("vt-task-timer")
        self.block_timer.add_class("vt-block-timer")
        self.children = [self.heading, self.block, self.block_timer, timer]
        self._block_key: Any = None  # the running block's start, while its countdown shows
        self._timer_key: tuple[str, Any] | None = None  # the task timer counted down: (activity, its end)

    def show_block(self, title: str, label: str, seconds: int | None, key: Any = None) -> None:
        """Show the running block's ``title`` ("" hides it) and its countdown (None hides it);
        the browser counts down on its own, restarted only when ``key`` (the block's start) changes."""
        value = f"<p class='vt-block-now' data-vt-block='1'>{html.escape(label)}: {html.escape(title)}</p>" if title else ""
        if value != self.block.value:
            self.block.value = value
        if seconds is None:
            if self.block_timer.seconds is not None:
                self.block_timer.set_seconds(None)
            self._block_key = None
        elif key != self._block_key or self.block_timer.seconds is None:
            self.block_timer.set_seconds(seconds)
            self._block_key = key

    def follow(self, shown: dict[str, Any], blocks: list[Any], tr: Any) -> None:
        """Count down the timer that ends first among the tasks ``shown`` on top (activity id to
        its state; a pre-work window's days only in its last hour), hidden without one; name the
        running block of ``blocks`` and count it down while no task's timer runs."""
        from .store.agenda import block_name, running_block

        running = sorted((state.timer_ends_at, activity_id) for activity_id, state in shown.items()
                         if state.is_open and state.timer_ends_at is not None and (state.seconds_left() or 0) <= 3600)
        block = running_block(blocks)
        if block is None:
            self.show_block("", "", None)
        else:
            seconds = None if running else max(0, block.seconds_left() or 0)
            self.show_block(block_name(block, tr), tr("mp_now"), seconds, key=(block.position, block.started_at))
        if not running:
            if self.timer.seconds is not None:
                self.timer.set_seconds(None)
            self._timer_key = None
            return
        ends, activity_id = running[0]
        # the browser counts down on its own: restarted only for a new timer (a redraw sends nothing)
        if self._timer_key != (activity_id, ends) or self.timer.seconds is None:
            self.timer.set_seconds(shown[activity_id].seconds_left())
            self._timer_key = (activity_id, ends)


_TABLE = re.compile(r"<table\b.*?</table>", re.S)
#: a caption as :func:`html_blocks.table` writes it: escaped text, so it may stand in an attribute
_CAPTION = re.compile(r"<caption>([^<]*)</caption>")


def scrolling_tables(markup: str, hint: str) -> str:
    """Put every table of ``markup`` in a box of its own that scrolls sideways, so a narrow
    phone scrolls the table rather than clipping it, with ``hint`` under it. The hint shows
    only while the table is wider than its box (title.js marks the box, forms.css shows it)."""

    def box(match: Any) -> str:
        table = match.group(0)
        caption = _CAPTION.search(table)
        label = f" role='region' aria-label='{caption.group(1)}'" if caption else ""
        note = f"<p class='vt-scroll-hint'>{html.escape(hint)}</p>" if hint else ""
        title = ""
        if caption:
            # the caption is as wide as the table and would scroll out of view: it is shown above
            # the box, wrapped to the phone's width, and read out once (as the table's caption)
            title = f"<p class='vt-table-caption' aria-hidden='true'>{caption.group(1)}</p>"
            table = table.replace("<caption>", "<caption class='vt-visually-hidden'>", 1)
        # focusable: a keyboard scrolls it too
        return f"{title}<div class='vt-table-scroll' tabindex='0'{label}>{table}</div>{note}"

    return _TABLE.sub(box, markup)

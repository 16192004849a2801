"""The console of one activity, as the facilitator (controls and live results) or the room's
screen sees it: :class:`ActivityConsole`, the base a kind's console builds on, and
:class:`BlocksConsole`, which draws a kind's results blocks and its facilitator tools; and
:class:`DrawWhenShown`, which draws a live page's charts once the browser shows the page.
"""
from __future__ import annotations

import asyncio
import html
import logging
from typing import TYPE_CHECKING, Any

import ipywidgets as W

from . import kinds
from .forms import Countdown
from .room_widgets import Fold, FoldBody, PageShown
from .shared_models import plain_box, plain_html, shared_layout

if TYPE_CHECKING:
    from .workbook import Workbook

__all__ = ["ActivityConsole", "BlocksConsole", "DrawWhenShown"]

log = logging.getLogger("vertaiset")


class DrawWhenShown:
    """A live page's charts, drawn one after another once the browser shows the page.

    A console's charts take seconds to draw (vl-convert), and a kernel that draws them cannot
    answer the browser's request for the page's widgets: drawn as soon as the notebook had run,
    they kept a console's controls off the screen for those seconds. So the first chart to draw
    puts an invisible :class:`~vertaiset_widgets.room_widgets.PageShown` on the page; when the
    browser says it shows the page (or after :attr:`AT_LATEST` seconds, if it never says so), the
    draws run, each in its own turn of the event loop, so that a click between two is answered.
    """

    #: Seconds after which the charts are drawn though the browser has not said the page is shown.
    AT_LATEST = 8.0

    def __init__(self) -> None:
        self._waiting: list[Any] = []
        self._shown = False
        self._signal: PageShown | None = None
        self._pumping = False

    def add(self, draw: Any, loop: asyncio.AbstractEventLoop) -> None:
        """Call ``draw()`` once the page is shown (at once if it is)."""
        self._waiting.append(draw)
        if self._shown:
            self._pump_soon(loop)
            return
        if self._signal is None:
            from IPython.display import display

            self._signal = PageShown()
            self._signal.on_shown(lambda: self._on_shown(loop))
            display(self._signal)
            loop.call_later(self.AT_LATEST, self._on_shown, loop)

    def _on_shown(self, loop: asyncio.AbstractEventLoop) -> None:
        self._shown = True
        self._pump_soon(loop)

    def _pump_soon(self, loop: asyncio.AbstractEventLoop) -> None:
        if not self._pumping and self._waiting:
            self._pumping = True
            loop.call_soon(self._pump, loop)

    def _pump(self, loop: asyncio.AbstractEventLoop) -> None:
        draw = self._waiting.pop(0)
        try:
            draw()
        finally:
            self._pumping = False
            self._pump_soon(loop)  # the next one after what the loop has waiting (a click, a poll)


class ActivityConsole(W.VBox):
    """One activity as the facilitator (controls + live results) or the room's screen sees it.

    Subclasses draw the results of one activity kind (:class:`BlocksConsole` draws a kind's
    results blocks; a kind may bring its own, e.g. the wall's ``HighlightsConsole``).

    Parameters
    ----------
    workbook : Workbook
        Gives the store, session, translator and role.
    activity
        The activity.
    controls : bool
        Show open / close / reveal / new round / timer controls (facilitator with a valid key).
    """

    #: timer lengths offered to the facilitator, in minutes
    TIMER_MINUTES = (1, 3, 5, 10)

    def __init__(self, workbook: "Workbook", activity: Any, *, controls: bool):
        # classes and values are given as the widgets are made: each change afterwards is one more
        # message from the kernel, through the server, for every entry of a console. The layout is
        # the shared one, but on the room's screen, which shows one activity at a time (it hides the others)
        super().__init__(_dom_classes=("vt-activity",), layout=W.Layout() if workbook.role == "screen" else shared_layout())
        self.wb = workbook
        self.activity = activity
        self.controls = controls
        tr = workbook.tr
        self.state = workbook.store.activity_state(workbook.session.id, activity.id)
        self._state_line = plain_html()
        self._counts = plain_html("", "vt-presenter-count" if workbook.role == "screen" else "vt-counts")
        self._notice = plain_html()
        self.countdown = Countdown(label=tr("timer_left"), done_label=tr("timer_done"), layout=shared_layout())
        self._buttons: dict[str, W.Button] = {}
        self.fold: Fold | None = None
        self._charts_stale = False  # results not drawn while folded
        self._lazy = False  # on a live page: a folded entry draws its results when unfolded
        self._controls_row: W.HBox | None = None
        self.make_current: W.Button | None = None
        self.body: FoldBody | None = None  # a catalogue entry's body, made when first unfolded
        self._answered = False  # ... until then: whether anyone has answered (its badge)
        self._prepare()
        parts: list[W.Widget] = [self._state_line]
        if controls and (workbook.role == "screen" or workbook.now_bar is None):
            self._controls_row = self._controls()
        if workbook.role == "screen":
            self.countdown.add_class("vt-presenter-timer")
            self.children = self._presenter_parts()
        elif controls and workbook.now_bar is not None:
            # the console's catalogue: folded to its title, but for what runs now. The state
            # controls are shown once, in the now bar, for the current activity; an entry has
            # its method, its results and tools, and the one action that makes it current.
            self.fold = Fold(anchor=f"activity-{activity.id}", title=tr.text(activity.title), expanded=self.state.is_open)
            self.body = FoldBody(self.fold, lambda: self._body_parts(parts), _dom_classes=("vt-activity-body",))
            self.fold.observe(self._on_fold_change, names="expanded")  # after the body's own: it is made by then
            self.children = [self.fold, self.body]
        elif controls:  # a console without the page's header (and its now bar): the controls on it
            self.children = parts + [self._controls_row, self._counts, self._notice] + self._results_widgets()
        else:  # a page without the key shows what is revealed, as it is
            self.children = parts + [self.countdown, self._counts, self._notice] + self._results_widgets()
        self._draw_soon()

    @property
    def controls_row(self) -> W.HBox | None:
        """The row of controls (None without the key): made when first asked for. In a console's
        catalogue only the now bar shows them, for the current activity, so the other entries' rows
        (a third of a console's widgets) are never made unless their activity becomes current."""
        if self.controls and self._controls_row is None:
            self._controls_row = self._controls()
            self._sync_buttons()
        return self._controls_row

    @property
    def buttons(self) -> dict[str, W.Button]:
        """The controls by name (``open``, ``close``, ``reveal``, ``hide``, ``reset``,
        ``timer_<minutes>``, ``timer_stop``); empty without the key."""
        if self.controls_row is None:  # made on first use
            return {}
        return self._buttons

    def _sync_buttons(self) -> None:
        if self._buttons:
            self._buttons["open"].disabled = self.state.is_open
            self._buttons["close"].disabled = not self.state.is_open
            self._buttons["reveal"].disabled = self.state.is_revealed
            self._buttons["hide"].disabled = not self.state.is_revealed

    def _controls(self) -> W.HBox:
        """Open / close, reveal / hide, a new round, the timers and the countdown: one row, shown
        once (in the now bar while the activity is current, else on a console without a bar)."""
        tr = self.wb.tr
        actions = [
            ("open", {"is_open": True}),
            ("close", {"is_open": False}),
            ("reveal", {"is_revealed": True}),
            ("hide", {"is_revealed": False}),
            ("reset", {"new_round": True}),
        ]
        for name, change in actions:
            button = W.Button(description=tr(f"action_{name}"), tooltip=tr(f"action_{name}_help"), layout=shared_layout(),
                              _dom_classes=("vt-primary",) if name == "open" else ())
            button.on_click(lambda _b, c=change: self.set_state(**c))
            self._buttons[name] = button
        toolbar = plain_box(self._buttons.values(), "vt-toolbar")
        for minutes in self.TIMER_MINUTES:
            button = W.Button(description=tr("timer_start", minutes=minutes), tooltip=tr("timer_start_help"),
                              layout=shared_layout())
            button.on_click(lambda _b, m=minutes: self.set_state(timer_seconds=60 * m))
            self._buttons[f"timer_{minutes}"] = button
        stop = W.Button(description=tr("timer_stop"), layout=shared_layout())
        stop.on_click(lambda _b: self.set_state(timer_seconds=0))
        self._buttons["timer_stop"] = stop
        timers = plain_box([self._buttons[f"timer_{m}"] for m in self.TIMER_MINUTES] + [stop, self.countdown], "vt-toolbar")
        row = plain_box([toolbar, timers], "vt-console-controls")
        return row

    def _presenter_parts(self) -> list[W.Widget]:
        """The projector's view of the activity: title and question large with the timer beside
        them, the cue to answer and the answer count below, then the results filling the rest."""
        tr = self.wb.tr
        words = plain_html(
            f"<h2 class='vt-presenter-title'>{html.escape(tr.text(self.activity.title))}</h2>"
            f"<p class='vt-presenter-question'>{html.escape(tr.text(self.activity.prompt))}</p>",
            "vt-presenter-words",
        )
        head = plain_box([words, self.countdown], "vt-presenter-head")
        info = plain_box([self._state_line, self._counts], "vt-presenter-info")
        main = self._results_widgets()
        for widget in main:
            widget.add_class("vt-presenter-main")
        results = plain_box([self._notice, *main], "vt-presenter-results", box_type=W.VBox)
        return [head, info, results]

    def _body_parts(self, parts: list[W.Widget]) -> list[W.Widget]:
        """A catalogue entry's body (:class:`FoldBody`): its method, ``parts``, the action that makes
        it current, its counts, its results and tools. On a live console a folded entry's is made
        when it is first unfolded: the bodies are more than half of a console's widgets."""
        wb, activity = self.wb, self.activity
        self.make_current = W.Button(description=wb.tr("make_current"), tooltip=wb.tr("make_current_help"),
                                     _dom_classes=("vt-console-make-current",),
                                     layout=W.Layout(display="none" if wb.now_bar.current == activity.id else None))
        self.make_current.on_click(lambda _b: wb.now_bar.set_current(activity.id))
        method = wb.method_html(activity.id)
        head = [plain_html(method)] if method else []
        return head + parts + [self.make_current, self._counts, self._notice] + self._results_widgets()

    @property
    def _made(self) -> bool:
        """False while a folded entry's body waits to be made (only its badge is kept then)."""
        return self.body is None or self.body.made

    def _on_fold_change(self, change: dict) -> None:
        # its charts come as they would have: now if they were asked for while it was folded, else
        # with the page's first drawing (:class:`DrawWhenShown`)
        if change["new"] and self._charts_stale:  # drawn now that someone looks at it
            self._safe_redraw()

    def unfold(self) -> None:
        """Open the catalogue entry (the console's page)."""
        if self.fold is not None:
            self.fold.expanded = True

    # what a kind of activity adds ---------------------------------------------------
    def _prepare(self) -> None:
        """What :meth:`_load` needs, made before any widget (the results' widgets may come later)."""

    def _results_widgets(self) -> list[W.Widget]:
        raise NotImplementedError

    def _load(self) -> Any:
        raise NotImplementedError

    def _counts_html(self, results: Any) -> str:
        raise NotImplementedError

    def _draw(self, results: Any) -> None:
        raise NotImplementedError

    def _clear(self) -> None:
        raise NotImplementedError

    # shared ---------------------------------------------------------------------
    def _draw_soon(self) -> None:
        """Draw state and counts now, the results once the page is up.

        On a live page the charts (a second or more of work) are drawn once the browser shows
        the page (:class:`DrawWhenShown`), so the page and its controls appear first.
        """
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.redraw()
            return
        self._lazy = True
        self.redraw(with_charts=False)
        self.wb.charts_when_shown.add(self._safe_redraw, loop)

    def _safe_redraw(self) -> None:
        try:
            self.redraw()
        except Exception:  # logged for the facilitator; the page keeps running
            log.exception("drawing the results failed")

    def set_state(self, **change: Any) -> None:
        """Open/close, reveal/hide, start a new round or set the timer (facilitator only)."""
        if not self.controls:
            return
        self.state = self.wb.store.set_activity_state(self.wb.session.id, self.activity.id, **change)
        self.redraw()
        if self.wb.now_bar is not None:
            self.wb.now_bar.refresh()

    def redraw(self, *, with_charts: bool = True) -> None:
        """Re-read the store and redraw the state and counts, and the results unless told not to."""
        tr = self.wb.tr
        self.state = self.wb.store.activity_state(self.wb.session.id, self.activity.id)
        results = self._load() if self._made else None
        round_note = f" · {tr('round', n=self.state.round)}" if self.state.round > 1 else ""
        attrs = f"data-vt-activity='{self.activity.id}' data-vt-state='{self.state.name}' data-vt-round='{self.state.round}'"
        if self.wb.role == "screen":
            # the room sees what to do, never the state's name
            cue = html.escape(tr("presenter_answer_now")) if self.state.is_open else ""
            self._state_line.value = f"<p class='vt-state vt-presenter-cue' {attrs}>{cue}</p>"
        else:
            self._state_line.value = (
                f"<p class='vt-state' {attrs}>{html.escape(tr('state_' + self.state.name) + round_note)}</p>"
            )
        self._sync_buttons()
        seconds = self.state.seconds_left() if self.state.is_open else None
        if seconds != self.countdown.seconds or seconds:
            self.countdown.set_seconds(seconds)
        if not self._made:  # folded, its body not made yet: only its badge shows
            self._answered = self.wb.store.has_answers(self.wb.session.id, self.activity.id, self.state.round)
            self._charts_stale = self._charts_stale or with_charts
            self._set_badge()
            return
        self.update_counts(results)
        self._set_badge()
        if with_charts and self._lazy and self.fold is not None and not self.fold.expanded:
            # a folded entry of the catalogue draws its results when it is unfolded: a console
            # of many activities comes up (and follows the room) without drawing hidden charts
            self._charts_stale, with_charts = True, False
        if not with_charts:
            return
        self._charts_stale = False
        show = self.wb.trusted or self.state.is_revealed
        if not show:
            self._notice.value = f"<p class='vt-muted'>{html.escape(tr('results_hidden'))}</p>"
            self._clear()
            return
        self._notice.value = ""
        if self.wb.role == "screen":
            from .chart_render import presenting

            kind = getattr(self, "_kind", None)
            with presenting(getattr(kind, "PRESENTER_TEXT_SCALE", None)):  # read from across the room
                self._draw(results)
        else:
            self._draw(results)

    def _set_badge(self) -> None:
        if self.fold is not None:
            badge = self.badge_state
            with self.fold.hold_sync():
                self.fold.badge = self.wb.tr(f"badge_{badge}")
                self.fold.state = badge

    def update_counts(self, results: Any = None) -> None:
        """Redraw who has answered (from ``results``, else read now) and who is present."""
        results = results if results is not None else self._load()
        self._answered_html = self._counts_html(results)
        self.update_present()

    def update_present(self, present: int | None = None) -> None:
        """Redraw who is present (pages open now) beside the answer counts last drawn; reads no results."""
        if present is None:
            present = self.wb.store.present_count(self.wb.session.id)
        value = (
            getattr(self, "_answered_html", "")
            + f"<p class='vt-muted' data-vt-present='{present}'>{html.escape(self.wb.tr('present', n=present))}</p>"
        )
        if value != self._counts.value:
            self._counts.value = value

    @property
    def badge_state(self) -> str:
        """The catalogue's word for the activity: ``open``, ``revealed``, ``closed`` or ``waiting`` (nobody answered yet)."""
        if self.state.is_open or self.state.is_revealed:
            return self.state.name
        answered = self.respondents if self._made else self._answered
        return "closed" if answered or self.state.round > 1 else "waiting"

    @property
    def respondents(self) -> int:
        """The respondent count now shown."""
        import re

        match = re.search(r"data-vt-respondents='(\d+)'", self._counts.value)
        return int(match.group(1)) if match else 0


class BlocksConsole(ActivityConsole):
    """Any kind drawn by its results' blocks, plus the kind's own tools for the facilitator
    (``tools`` in its registration: e.g. edit a board's questions, merge a map's actors).

    Attributes
    ----------
    tools
        The kind's tools on a facilitator's console with the key (their ``widgets()`` sit below
        the blocks, their ``update(results)`` runs on every draw), else None.
    """

    def _prepare(self) -> None:
        self._registration = kinds.for_activity(self.activity)
        self._kind = self._registration.results_class(self.activity)
        self._drawn: Any = None
        self.tools: Any = None

    def _results_widgets(self) -> list[W.Widget]:
        kind = self._registration
        self._box = plain_box((), "vt-blocks", box_type=W.VBox)
        self._block_widgets: dict[str, W.HTML] = {}
        tools = kind.tools_class() if self.controls else None
        self.tools = tools(self) if tools is not None else None
        return [self._box, *(self.tools.widgets() if self.tools is not None else [])]

    def _load(self) -> Any:
        return self._kind.load(self.wb.store, self.wb.session, self.activity, self.wb.tr, self.state)

    def _counts_html(self, results: Any) -> str:
        return results.counts_html()

    def _clear(self) -> None:
        self._box.children = []
        self._drawn = None

    def _draw(self, results: Any) -> None:
        # Other activities' answers change the session's revision too: draw only when this one changed.
        key = results.key()
        if key == self._drawn and self._box.children:
            return
        self._drawn = key
        blocks = results.blocks(self.wb.view)
        children = []
        for name, body in blocks:
            widget = self._block_widgets.get(name)
            if widget is None:
                widget = self._block_widgets[name] = plain_html(body, f"vt-block-{name}")
            if widget.value != body:
                widget.value = body
            children.append(widget)
        if list(self._box.children) != children:
            self._box.children = children
        if self.tools is not None:
            self.tools.update(results)

"""A phase workbook's views: facilitator console, room screen and static report.

One notebook serves every role: ``Workbook.open(...)`` reads the parameters (the Voila
query wins), then each cell asks for a piece — ``wb.header()``, ``wb.activity(id)`` —
and gets a live widget (facilitator, screen) or static output (report).
"""
from __future__ import annotations

import asyncio
import html
import logging
import time
from dataclasses import dataclass
from urllib.parse import urlencode
from typing import Any

import ipywidgets as W
import pandas as pd
from IPython.display import HTML, SVG, display

from . import aggregate, charts, kinds
from .config import DEMO_CODE, PageParams
from .content import Content, load_content
from .kinds.highlights.model import Highlights
from .kinds.rating_matrix.model import RatingMatrix
from .errors import VertaisetError, unavailable_message
from .forms import Countdown, WallView
from .highlights import wall_items, wall_texts
from .i18n import Translator
from .links import SessionLinks, qr_svg_data_uri
from .live import ChangeFeed, Poller
from .results import svg_img
from .store import PEOPLE_KEY, SESSION_KEY, ActivityState, Highlight, SessionInfo, SessionStore

__all__ = [
    "ActivityConsole",
    "BlocksConsole",
    "HighlightsConsole",
    "RatingConsole",
    "RatingResults",
    "UnavailableWorkbook",
    "Workbook",
]

log = logging.getLogger("vertaiset")


@dataclass(frozen=True)
class RatingResults:
    """Everything shown of one rating-matrix activity at one moment, labels translated."""

    activity: RatingMatrix
    summary: pd.DataFrame
    groups: pd.DataFrame
    respondents: int
    participants: int
    tr: Translator

    @classmethod
    def load(cls, store: SessionStore, session: SessionInfo, activity: RatingMatrix, tr: Translator,
             state: ActivityState | None = None) -> "RatingResults":
        """Read the answers that count and aggregate them."""
        state = state or store.activity_state(session.id, activity.id)
        frame = aggregate.answers_frame(store.answers(session.id, activity.id, round=state.round))
        items = [i.id for i in activity.items]
        layers = activity.layer_ids
        return cls(
            activity=activity,
            summary=aggregate.rating_summary(frame, items, layers),
            groups=aggregate.group_profiles(frame, items, layers),
            respondents=aggregate.respondent_count(frame),
            participants=len(store.participants(session.id)),
            tr=tr,
        )

    # labels ---------------------------------------------------------------
    @property
    def item_labels(self) -> dict[str, str]:
        return {i.id: self.tr.label(i, short=True) for i in self.activity.items}

    @property
    def layer_labels(self) -> dict[str, str]:
        if not self.activity.layers:
            return {"": self.tr("room")}
        return {layer.id: self.tr.label(layer) for layer in self.activity.layers}

    def _labelled(self, frame: pd.DataFrame) -> pd.DataFrame:
        return frame.assign(item=frame["item"].map(self.item_labels), series=frame["layer"].map(self.layer_labels))

    # charts ---------------------------------------------------------------
    def radar(self, *, size: int = 460) -> Any:
        """The room's mean per item, one line per time layer."""
        data = self._labelled(self.summary).rename(columns={"mean": "value"})[["item", "series", "value"]]
        return charts.radar_chart(
            data,
            items=list(self.item_labels.values()),
            series_order=list(self.layer_labels.values()),
            scale_min=self.activity.scale.min,
            scale_max=self.activity.scale.max,
            size=size,
        )

    def spread(self) -> Any:
        """Min–max, quartiles and mean per item and layer."""
        data = self._labelled(self.summary)
        data = data[data["n"] > 0]
        return charts.spread_chart(
            data[["item", "series", "mean", "min", "max", "q1", "q3", "n"]],
            items=list(self.item_labels.values()),
            scale_min=self.activity.scale.min,
            scale_max=self.activity.scale.max,
        )

    def group_radars(self) -> Any | None:
        """One small radar per group, or None when nobody gave a group."""
        if self.groups.empty:
            return None
        data = self._labelled(self.groups).rename(columns={"mean": "value"})[["group", "item", "series", "value"]]
        return charts.group_radars(
            data,
            items=list(self.item_labels.values()),
            series_order=list(self.layer_labels.values()),
            scale_min=self.activity.scale.min,
            scale_max=self.activity.scale.max,
        )

    def radar_alt(self) -> str:
        """A text alternative for the radar."""
        return self.tr("radar_alt", title=self.tr.text(self.activity.title), n=self.respondents)

    # numbers --------------------------------------------------------------
    def table_html(self) -> str:
        """Mean (sd) and n per item and layer as an accessible HTML table."""
        tr = self.tr
        layers = self.layer_labels
        head = "".join(f"<th scope='col'>{html.escape(label)}</th>" for label in layers.values())
        rows = []
        by_key = {(r.item, r.layer): r for r in self.summary.itertuples()}
        for item in self.activity.items:
            cells = []
            for layer_id in layers:
                r = by_key.get((item.id, layer_id))
                if r is None or r.n == 0:
                    cells.append("<td>–</td>")
                else:
                    cells.append(
                        f"<td><span class='vt-mean'>{r.mean:.1f}</span> "
                        f"<span class='vt-muted'>({tr('sd')} {r.std:.1f}, n={r.n})</span></td>"
                    )
            rows.append(f"<tr><th scope='row'>{html.escape(tr.label(item))}</th>{''.join(cells)}</tr>")
        return (
            f"<table class='vt-table'><caption>{html.escape(tr('table_caption'))}</caption>"
            f"<thead><tr><th scope='col'>{html.escape(tr('dimension'))}</th>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
        )

    def counts_html(self) -> str:
        """Respondents out of participants."""
        return (
            f"<p class='vt-stat' data-vt-respondents='{self.respondents}'>"
            f"{html.escape(self.tr('respondents_of', n=self.respondents, total=self.participants))}</p>"
        )


class ActivityConsole(W.VBox):
    """One activity as the facilitator (controls + live results) or the room's screen sees it.

    Subclasses draw the results of one activity kind (:class:`RatingConsole`,
    :class:`HighlightsConsole`).

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
        super().__init__()
        self.add_class("vt-activity")
        self.wb = workbook
        self.activity = activity
        self.controls = controls
        tr = workbook.tr
        self.state = workbook.store.activity_state(workbook.session.id, activity.id)
        self._state_line = W.HTML()
        self._counts = W.HTML()
        self._notice = W.HTML()
        self.countdown = Countdown(label=tr("timer_left"), done_label=tr("timer_done"))
        self.buttons: dict[str, W.Button] = {}
        parts: list[W.Widget] = [self._state_line]
        if controls:
            actions = [
                ("open", lambda _b: self.set_state(is_open=True)),
                ("close", lambda _b: self.set_state(is_open=False)),
                ("reveal", lambda _b: self.set_state(is_revealed=True)),
                ("hide", lambda _b: self.set_state(is_revealed=False)),
                ("reset", lambda _b: self.set_state(new_round=True)),
            ]
            for name, handler in actions:
                button = W.Button(description=tr(f"action_{name}"), tooltip=tr(f"action_{name}_help"))
                button.on_click(handler)
                self.buttons[name] = button
            self.buttons["open"].add_class("vt-primary")
            toolbar = W.HBox(list(self.buttons.values()))
            toolbar.add_class("vt-toolbar")
            for minutes in self.TIMER_MINUTES:
                button = W.Button(description=tr("timer_start", minutes=minutes), tooltip=tr("timer_start_help"))
                button.on_click(lambda _b, m=minutes: self.set_state(timer_seconds=60 * m))
                self.buttons[f"timer_{minutes}"] = button
            stop = W.Button(description=tr("timer_stop"))
            stop.on_click(lambda _b: self.set_state(timer_seconds=0))
            self.buttons["timer_stop"] = stop
            timers = W.HBox([self.buttons[f"timer_{m}"] for m in self.TIMER_MINUTES] + [stop])
            timers.add_class("vt-toolbar")
            parts += [toolbar, timers]
        parts += [self.countdown, self._counts, self._notice]
        if workbook.role == "facilitator":
            self.children = parts + self._results_widgets()
        else:
            # the room's screen: join box and counts on the left, the results on the right
            join = W.HTML(workbook.join_html())
            side = W.VBox([join, *parts], layout=W.Layout(flex="0 1 30%", min_width="300px"))
            main = W.VBox(self._results_widgets(), layout=W.Layout(flex="1 1 60%", min_width="0"))
            screen = W.Box([side, main], layout=W.Layout(display="flex", flex_flow="row wrap", align_items="flex-start"))
            screen.add_class("vt-results")
            self.children = [screen]
        self._draw_soon()

    # what a kind of activity adds ---------------------------------------------------
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
        """Draw state and counts now, the results as soon as the page is up.

        On a live page the charts (a second or more of work) are drawn once the kernel has
        finished the notebook, so the page and its controls appear first.
        """
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.redraw()
            return
        self.redraw(with_charts=False)
        # a moment later: by then Voila has run the rest of the notebook and the page is up
        loop.call_later(1.0, self._safe_redraw)

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

    def redraw(self, *, with_charts: bool = True) -> None:
        """Re-read the store and redraw the state and counts, and the results unless told not to."""
        tr = self.wb.tr
        self.state = self.wb.store.activity_state(self.wb.session.id, self.activity.id)
        results = self._load()
        round_note = f" · {tr('round', n=self.state.round)}" if self.state.round > 1 else ""
        self._state_line.value = (
            f"<p class='vt-state' data-vt-activity='{self.activity.id}' data-vt-state='{self.state.name}' data-vt-round='{self.state.round}'>"
            f"{html.escape(tr('state_' + self.state.name) + round_note)}</p>"
        )
        if self.buttons:
            self.buttons["open"].disabled = self.state.is_open
            self.buttons["close"].disabled = not self.state.is_open
            self.buttons["reveal"].disabled = self.state.is_revealed
            self.buttons["hide"].disabled = not self.state.is_revealed
        seconds = self.state.seconds_left() if self.state.is_open else None
        if seconds != self.countdown.seconds or seconds:
            self.countdown.set_seconds(seconds)
        self.update_counts(results)
        if not with_charts:
            return
        show = self.wb.trusted or self.state.is_revealed
        if not show:
            self._notice.value = f"<p class='vt-muted'>{html.escape(tr('results_hidden'))}</p>"
            self._clear()
            return
        self._notice.value = ""
        self._draw(results)

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
    def respondents(self) -> int:
        """The respondent count now shown."""
        import re

        match = re.search(r"data-vt-respondents='(\d+)'", self._counts.value)
        return int(match.group(1)) if match else 0


class RatingConsole(ActivityConsole):
    """A rating matrix (the 360): radar, table, spread and group profiles."""

    def _results_widgets(self) -> list[W.Widget]:
        self._radar = W.HTML()
        self._spread = W.HTML()
        self._table = W.HTML()
        self._groups = W.HTML()
        if self.wb.view != "facilitator":
            return [self._radar]
        return [self._radar, self._table, self._spread, self._groups]

    def _load(self) -> "RatingResults":
        return RatingResults.load(self.wb.store, self.wb.session, self.activity, self.wb.tr, self.state)

    def _counts_html(self, results: "RatingResults") -> str:
        return results.counts_html()

    def _clear(self) -> None:
        self._radar.value = ""

    def _draw(self, results: "RatingResults") -> None:
        # Another activity's answers also change the session's revision: draw only when
        # this activity's numbers changed (charts take seconds on a busy machine).
        key = (results.summary.to_json(), results.groups.to_json(), results.respondents)
        if key == getattr(self, "_drawn", None) and self._radar.value:
            return
        self._drawn = key
        tr = self.wb.tr
        size = 720 if self.wb.role == "screen" else 520
        self._radar.value = svg_img(charts.to_svg(results.radar(size=size)), results.radar_alt())
        if self.wb.view == "facilitator":
            self._table.value = results.table_html()
            if results.respondents:
                self._spread.value = svg_img(charts.to_svg(results.spread()), tr("spread_alt"))
            groups = results.group_radars()
            self._groups.value = (
                f"<h4>{html.escape(tr('group_profiles'))}</h4>" + svg_img(charts.to_svg(groups), tr("groups_alt"))
                if groups is not None
                else f"<p class='vt-muted'>{html.escape(tr('no_groups'))}</p>"
            )


def rating_console(activity: RatingMatrix) -> type[ActivityConsole]:
    """The console of a rating matrix: the radar, or the blocks of a heatmap."""
    return BlocksConsole if activity.chart == "heatmap" else RatingConsole


def report_rating(wb: "Workbook", activity: RatingMatrix) -> None:
    """A rating matrix in the report: the radar with its table, or the heatmap's blocks."""
    if activity.chart == "heatmap":
        return wb.report_blocks(activity)
    return wb._report_rating(activity)


def report_highlights(wb: "Workbook", activity: Any) -> None:
    """A wall in the report."""
    return wb._report_highlights(activity)


class BlocksConsole(ActivityConsole):
    """Any kind drawn by its results' blocks, plus the kind's own tools for the facilitator
    (``tools`` in its registration: e.g. edit a board's questions, merge a map's actors).

    Attributes
    ----------
    tools
        The kind's tools on a facilitator's console with the key (their ``widgets()`` sit below
        the blocks, their ``update(results)`` runs on every draw), else None.
    """

    def _results_widgets(self) -> list[W.Widget]:
        kind = kinds.for_activity(self.activity)
        self._kind = kind.results_class(self.activity)
        self._box = W.VBox()
        self._box.add_class("vt-blocks")
        self._block_widgets: dict[str, W.HTML] = {}
        self._drawn: Any = None
        tools = kind.tools_class() if self.controls else None
        self.tools: Any = tools(self) if tools is not None else None
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
                widget = self._block_widgets[name] = W.HTML()
                widget.add_class(f"vt-block-{name}")
            if widget.value != body:
                widget.value = body
            children.append(widget)
        if list(self._box.children) != children:
            self._box.children = children
        if self.tools is not None:
            self.tools.update(results)


class HighlightsConsole(ActivityConsole):
    """The highlights wall: moderation (hide, pin, merge), counts and the word summary."""

    def _results_widgets(self) -> list[W.Widget]:
        tr = self.wb.tr
        mode = "facilitator" if self.controls else "screen"
        self.wall = WallView(mode=mode, texts=wall_texts(tr, self.activity), votes_shown=self.activity.votes)
        self.wall.on_action(self._handle_action)
        self._words = W.HTML()
        self._words_wanted = False
        if self.wb.view != "facilitator":
            return [self.wall]
        # base forms of every word take a few seconds the first time: counted when asked for
        self.words_button = W.Button(description=tr("words_show"), tooltip=tr("words_help"))
        self.words_button.on_click(lambda _b: self.show_words())
        return [self.wall, self.words_button, self._words]

    def show_words(self) -> None:
        """Count the words of the visible highlights now, and again after every change."""
        if not self.wb.trusted:  # the words of an unrevealed wall are the facilitator's alone
            return
        self._words_wanted = True
        self.words_button.description = self.wb.tr("words_refresh")
        self._draw_words(self._load())

    def _load(self) -> list[Highlight]:
        return self.wb.store.highlights(self.wb.session.id, self.activity.id, round=self.state.round)

    def _counts_html(self, highlights: list[Highlight]) -> str:
        live = [h for h in highlights if not h.withdrawn]
        writers = len({h.participant_id for h in live})
        total = len(self.wb.store.participants(self.wb.session.id))
        text = self.wb.tr("highlights_count", n=len([h for h in live if not h.merged_into]), writers=writers, total=total)
        return f"<p class='vt-stat' data-vt-respondents='{writers}' data-vt-highlights='{len(live)}'>{html.escape(text)}</p>"

    def _clear(self) -> None:
        self.wall.items = []
        self._words.value = ""

    def _draw(self, highlights: list[Highlight]) -> None:
        tr = self.wb.tr
        self.wall.items = wall_items(
            highlights, self.activity, tr, include_hidden=self.controls, show_author=self.controls
        )
        if self._words_wanted:
            self._draw_words(highlights)

    def _draw_words(self, highlights: list[Highlight]) -> None:
        tr = self.wb.tr
        visible = [h.text for h in highlights if h.visible and h.text]
        words = aggregate.word_counts(visible, tr.lang, self.wb.content.stopwords)
        self._words.value = (
            f"<h4>{html.escape(tr('words_title'))}</h4>" + svg_img(charts.to_svg(charts.word_chart(words)), tr("words_alt"))
            if not words.empty
            else f"<p class='vt-muted'>{html.escape(tr('no_answers'))}</p>"
        )

    def _handle_action(self, view: WallView, action: dict) -> None:
        if not self.controls or action.get("type") != "moderate":
            return
        try:
            self.wb.store.moderate(
                self.wb.session.id, self.activity.id, action["item"], str(action.get("action")), action.get("target")
            )
        except VertaisetError:
            log.exception("moderation failed")
            return
        self.redraw()

    def moderate(self, item: str, action: str, target: str | None = None) -> None:
        """Hide/show, pin/unpin or merge a highlight as the facilitator's buttons do."""
        self.wall.act({"type": "moderate", "item": item, "action": action, "target": target})


class Workbook:
    """The session context of one phase workbook page or report.

    Use :meth:`open` from the notebook; it never raises for bad input — problems
    become a message on the page (see :attr:`problem`).
    """

    def __init__(self, params: PageParams, *, content: Content | None = None, store: SessionStore | None = None,
                 notebook: str = "04_arviointi.ipynb"):
        self.params = params
        self.notebook = notebook  # this workbook's file: the screen link opens the same one
        self.role = params.role if params.role != "participant" else "screen"
        self.content = content or load_content()
        self.tr = Translator.create(self.content, params.lang)
        self.store = store or SessionStore(params.db_url or None)
        self.problem: str | None = None
        self.session: SessionInfo | None = None
        code = params.session or DEMO_CODE
        self.session = self.store.find_session(code)
        if self.session is None and code == DEMO_CODE:
            from .demo import seed_demo

            seed_demo(self.store, self.content)
            self.session = self.store.find_session(code)
        if self.session is None:
            self.problem = self.tr("unknown_session", code=code)
        self.has_key = bool(self.session and self.store.check_key(self.session.code, params.key))
        if self.role == "report" and params.from_query and not self.has_key:
            # A served report would show every answer, revealed or not: without the key it is
            # the page anyone may see, and says why (papermill and the CLI run without a query).
            self.role = "facilitator"
            if self.session is not None:
                self.problem = self.tr("report_needs_key") if not params.key else self.tr("wrong_key")
        elif self.role == "facilitator" and not self.has_key and self.session is not None:
            self.problem = self.tr("no_key") if not params.key else self.tr("wrong_key")
        self._consoles: list[ActivityConsole] = []
        self._poller: Poller | None = None
        self._changes: ChangeFeed | None = None
        self._agenda: W.HTML | None = None
        self.session_button: W.Button | None = None
        charts.register_theme()

    @classmethod
    def open(cls, notebook: str = "04_arviointi.ipynb", **params: str) -> "Workbook | UnavailableWorkbook":
        """Build from notebook parameters (``session, role, lang, key, db_url``); ``notebook``
        names the workbook's own file (for the link to its screen view).

        Never raises: a broken template or an unreachable database gives a page that
        says what is wrong instead of a traceback.
        """
        page = PageParams.from_notebook(**params)
        try:
            return cls(page, notebook=notebook)
        except Exception as exc:  # shown as a message, logged in full for the facilitator
            log.exception("opening the workbook failed")
            return UnavailableWorkbook(page, exc)

    @property
    def trusted(self) -> bool:
        """True on the facilitator's page with a valid key: every result, revealed or not, and the tools."""
        return self.role == "facilitator" and self.has_key

    @property
    def view(self) -> str:
        """Whose view the results are drawn for: ``facilitator`` (with the key), ``report``, else ``screen``.

        Without the key a page shows at most what the room's screen shows.
        """
        return "facilitator" if self.trusted else "report" if self.role == "report" else "screen"

    @property
    def live(self) -> bool:
        """True for the facilitator's and the screen's live pages."""
        return self.role in ("facilitator", "screen")

    # ------------------------------------------------------------------ pieces
    def header(self) -> Any:
        """Session title and date; join code and QR on live pages; a message for bad input.

        A page served by Voila also gets the kinds' stylesheet here, once; the report built by
        papermill has it inlined by its template instead.
        """
        tr = self.tr
        if self.role != "report" or self.params.from_query:
            display(HTML(kinds.style_element()))
        if self.session is None:
            return HTML(f"<p class='vt-error' role='alert'>{html.escape(self.problem or '')}</p>")
        s = self.session
        when = s.held_on.strftime("%-d.%-m.%Y")
        parts = [
            f"<p class='vt-muted'>{html.escape(s.network_name)} · {html.escape(when)}</p>",
            f"<h1 class='vt-session-title'>{html.escape(s.title)}</h1>",
        ]
        if self.role == "report":
            parts.append(f"<p>{html.escape(tr('report_intro', code=s.code))}</p>")
            return HTML("".join(parts))
        if self.problem:
            parts.append(f"<p class='vt-error' role='alert'>{html.escape(self.problem)}</p>")
        links = SessionLinks(s.code, lang=self.tr.lang, workbook=self.notebook)
        if self.role != "screen":  # the screen shows the join box beside its results
            parts.append(self.join_html())
        if self.role == "facilitator" and self.has_key:
            screen = html.escape(links.screen, quote=True)
            parts.append(
                f"<p class='vt-muted'>{html.escape(tr('screen_link'))}: "
                f"<a href='{screen}' target='_blank' rel='noopener'>{screen}</a></p>"
            )
        box = W.HTML("".join(parts))
        box.add_class("vt-header")
        box.add_class("vt-screen" if self.role == "screen" else "vt-compact")
        if not (self.role == "facilitator" and self.has_key):
            return box
        self._agenda = W.HTML(self.agenda_html())
        self._agenda.add_class("vt-agenda")
        self.session_button = W.Button()
        self.session_button.on_click(lambda _b: self.set_session_open(not self.session.is_open))
        self._session_state = W.HTML()
        self._draw_session_state()
        controls = W.HBox([self.session_button, self._session_state])
        controls.add_class("vt-toolbar")
        self._ensure_polling()
        return W.VBox([box, self._agenda, controls])

    def set_session_open(self, is_open: bool) -> None:
        """Open or close the whole workshop to participants (facilitator only)."""
        if not self.has_key or self.session is None:
            return
        self.store.set_session_open(self.session.id, is_open)
        self.session = self.store.get_session(self.session.code)
        self._draw_session_state()

    def _draw_session_state(self) -> None:
        if self.session_button is None or self.session is None:
            return
        tr = self.tr
        self.session_button.description = tr("session_close") if self.session.is_open else tr("session_reopen")
        state = tr("session_is_open") if self.session.is_open else tr("session_is_closed")
        self._session_state.value = f"<p class='vt-muted' data-vt-session-open='{int(self.session.is_open)}'>{html.escape(state)}</p>"

    def agenda_html(self) -> str:
        """The day's plan with what runs now and what is next, linked to their workbooks."""
        if self.session is None:
            return ""
        plan = self.store.agenda(self.session.id)
        if not plan:
            return ""
        tr = self.tr
        states = self.store.activity_states(self.session.id)
        current = next((i for i, (_w, a, _t) in enumerate(plan) if states.get(a) and states[a].is_open), None)
        if current is None:
            touched = [i for i, (_w, a, _t) in enumerate(plan) if a in states]
            current = touched[-1] if touched else -1
        rows = []
        for i, (workbook, activity_id, when) in enumerate(plan):
            try:
                title = tr.text(self.content.activity(activity_id).title)
            except KeyError:
                title = activity_id
            query = urlencode({"session": self.session.code, "key": self.params.key, **({"lang": tr.lang} if tr.lang != "fi" else {})})
            mark = tr("agenda_now") if i == current else tr("agenda_next") if i == current + 1 else ""
            rows.append(
                f"<li data-vt-agenda='{'now' if i == current else 'next' if i == current + 1 else ''}'>"
                f"{html.escape(when or '')} <a href='{html.escape(workbook, quote=True)}?{html.escape(query, quote=True)}'>"
                f"{html.escape(title)}</a>{' – <strong>' + html.escape(mark) + '</strong>' if mark else ''}</li>"
            )
        return f"<h2 class='vt-agenda-title'>{html.escape(tr('agenda'))}</h2><ol class='vt-agenda-list'>{''.join(rows)}</ol>"

    def join_html(self) -> str:
        """The join box: QR code, participant link and join code."""
        assert self.session is not None
        tr = self.tr
        links = SessionLinks(self.session.code, lang=tr.lang)
        return (
            "<div class='vt-join'>"
            f"<img class='vt-qr' alt='{html.escape(tr('qr_alt', url=links.participant), quote=True)}' "
            f"src='{qr_svg_data_uri(links.participant)}'>"
            "<div>"
            f"<p>{html.escape(tr('join_at'))}</p>"
            f"<p class='vt-link'>{html.escape(links.participant)}</p>"
            f"<p>{html.escape(tr('session_code'))}</p>"
            f"<p class='vt-joincode'>{html.escape(self.session.code)}</p>"
            "</div></div>"
        )

    def activity(self, activity_id: str) -> Any:
        """The activity in this page's role: console, screen view or static report."""
        try:
            activity = self.content.activity(activity_id)
        except KeyError as exc:
            return HTML(f"<p class='vt-error' role='alert'>{html.escape(str(exc.args[0]))}</p>")
        if self.session is None:
            return None
        if self.role == "report":
            return self._report(activity)
        kind: type[ActivityConsole] = kinds.for_activity(activity).console_class(activity)
        self._ensure_polling()  # before the console reads the store: a write meanwhile is redrawn
        console = kind(self, activity, controls=self.role == "facilitator" and self.has_key)
        if self.role == "screen":
            console.add_class("vt-screen")
        self._consoles.append(console)
        self._focus_screen()
        return console

    # ------------------------------------------------------------------ report
    def _report(self, activity: Any) -> None:
        own = kinds.for_activity(activity).report_function()
        return own(self, activity) if own is not None else self.report_blocks(activity)

    def report_blocks(self, activity: Any) -> None:
        """The report of an activity drawn by its kind's results: counts, then the report's blocks."""
        assert self.session is not None
        results = kinds.for_activity(activity).results_class(activity).load(self.store, self.session, activity, self.tr)
        display(HTML(results.counts_html()))
        for _name, block in results.blocks("report"):
            display(HTML(block))

    def _report_highlights(self, activity: Highlights) -> None:
        """The wall as it stood: visible highlights (hidden and withdrawn ones left out), tags, +1s, words."""
        assert self.session is not None
        tr = self.tr
        highlights = self.store.highlights(self.session.id, activity.id)
        items = wall_items(highlights, activity, tr)
        writers = len({h.participant_id for h in highlights if not h.withdrawn})
        display(HTML(f"<p class='vt-stat'>{html.escape(tr('highlights_count', n=len(items), writers=writers, total=len(self.store.participants(self.session.id))))}</p>"))
        if not items:
            display(HTML(f"<p class='vt-muted'>{html.escape(tr('no_answers'))}</p>"))
            return None
        rows = []
        for item in items:
            meta = [x for x in (tr("wall_pinned") if item["pinned"] else "", item["tag_label"]) if x]
            if activity.votes:
                meta.append(f"+{item['votes']}")
            rows.append(
                f"<li class='vt-wall-item'><p class='vt-wall-text'>{html.escape(item['text'])}</p>"
                f"<p class='vt-muted'>{html.escape(' · '.join(meta))}</p></li>"
            )
        display(HTML(f"<ul class='vt-wall'>{''.join(rows)}</ul>"))
        words = aggregate.word_counts([i["text"] for i in items], tr.lang, self.content.stopwords)
        if not words.empty:
            display(HTML(f"<h4>{html.escape(tr('words_title'))}</h4>"))
            display(SVG(charts.to_svg(charts.word_chart(words)), metadata={"alt": tr("words_alt")}))
        return None

    def _report_rating(self, activity: RatingMatrix) -> None:
        assert self.session is not None
        tr = self.tr
        results = RatingResults.load(self.store, self.session, activity, tr)
        display(HTML(results.counts_html()))
        if not results.respondents:
            display(HTML(f"<p class='vt-muted'>{html.escape(tr('no_answers'))}</p>"))
            return None
        display(SVG(charts.to_svg(results.radar(size=520)), metadata={"alt": results.radar_alt()}))
        display(HTML(results.table_html()))
        display(HTML(f"<h4>{html.escape(tr('spread_title'))}</h4>"))
        display(SVG(charts.to_svg(results.spread()), metadata={"alt": tr("spread_alt")}))
        groups = results.group_radars()
        if groups is not None:
            display(HTML(f"<h4>{html.escape(tr('group_profiles'))}</h4>"))
            display(SVG(charts.to_svg(groups), metadata={"alt": tr("groups_alt")}))
        return None

    # ------------------------------------------------------------------ live
    def _ensure_polling(self) -> None:
        if self._poller is None and self.session is not None:
            session_id = self.session.id
            self._changes = ChangeFeed(self.store, session_id)
            self._changes.start()
            self._poller = Poller(lambda: self.store.revision(session_id), self._redraw_changed, interval=1.0)
            self._poller.revision = self.store.revision(session_id)
            self._poller.start()
            # who is present changes without a revision (pages only note they are open)
            self._ticker = Poller(lambda: int(time.monotonic() // 10), self._update_present, interval=5.0)
            self._ticker.start()

    def _update_present(self) -> None:
        """Redraw the count of who is present on every console: one read, no results reloaded."""
        if self.session is None or not self._consoles:
            return
        present = self.store.present_count(self.session.id)
        for console in self._consoles:
            console.update_present(present)

    def _redraw_changed(self) -> None:
        """Redraw what changed: the consoles of the activities written to, and every console when
        who has joined (or their names and groups) changed, as counts and group views show them."""
        with self._changes.changes() as changed:
            if self._agenda is not None:
                self._agenda.value = self.agenda_html()
            if changed is not None and SESSION_KEY in changed and self.session is not None:
                self.session = self.store.get_session(self.session.code)
                self._draw_session_state()
            for console in self._consoles:
                if changed is None or PEOPLE_KEY in changed or console.activity.id in changed:
                    console.redraw()
            self._focus_screen()

    def _focus_screen(self) -> None:
        """On the room's screen show only the activities that run now (or the first one)."""
        if self.role != "screen" or not self._consoles:
            return
        active = [c for c in self._consoles if c.state.is_open or c.state.is_revealed] or self._consoles[:1]
        for console in self._consoles:
            console.layout.display = None if console in active else "none"

    def refresh(self) -> None:
        """Check the store now instead of waiting for the next poll."""
        if self._poller is not None:
            self._poller.check()


class UnavailableWorkbook:
    """Stands in for a workbook that could not open: every piece says why, in words."""

    def __init__(self, params: PageParams, error: Exception):
        self.params = params
        self.error = error
        self.role = params.role
        self.session = None
        self.problem = unavailable_message(error, params.lang)

    def header(self) -> Any:
        """The problem, as a message."""
        return HTML(f"<p class='vt-error' role='alert'>{html.escape(self.problem)}</p>")

    def activity(self, activity_id: str) -> None:
        """Nothing to show."""
        return None

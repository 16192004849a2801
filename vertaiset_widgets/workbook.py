"""A phase workbook's views: facilitator console, room screen and static report.

One notebook serves every role: ``Workbook.open(...)`` reads the parameters (the Voila
query wins), then each cell asks for a piece — ``wb.header()``, ``wb.activity(id)`` —
and gets a live widget (facilitator, screen) or static output (report).
"""
from __future__ import annotations

import html
import json
import logging
import re
import time
from pathlib import Path
from urllib.parse import urlencode
from typing import Any

import ipywidgets as W
from IPython.display import HTML, display

from . import chart_render, kinds, revisions, roots
from .config import DEMO_CODE, DEMO_PUIMALA_CODE, PageParams
from .consoles import ActivityConsole, DrawWhenShown
from .content import Content, load_content
from .errors import unavailable_message
from .i18n import Translator
from .links import SessionLinks, qr_svg_data_uri
from .live import ChangeFeed, Poller
from .nowbar import NowBar, SessionClose
from .presenter import Presenter
from .shared_models import plain_box, plain_html
from .store import PEOPLE_KEY, SESSION_KEY, SessionInfo, SessionStore
from .store.agenda import block_name, running_block

__all__ = ["UnavailableWorkbook", "Workbook"]

#: A workbook's code cell that shows an activity: ``wb.activity("id")``.
_ACTIVITY_CALL = re.compile(r"""wb\.activity\(["']([^"']+)["']\)""")

log = logging.getLogger("vertaiset")

#: Seconds between a console's (or the room screen's) looks at the store.
CONSOLE_POLL = 0.5


class Workbook:
    """The session context of one phase workbook page or report.

    Use :meth:`open` from the notebook; it never raises for bad input — problems
    become a message on the page (see :attr:`problem`).
    """

    def __init__(self, params: PageParams, *, content: Content | None = None, store: SessionStore | None = None,
                 notebook: str = "04_arviointi.ipynb", names: bool = False):
        self.params = params
        #: the report shows participants' names and contacts (``vertaiset report --names``); a page Voila
        #: serves never does by its query
        self.names = bool(names) and self.params.role == "report" and not params.from_query
        self.notebook = notebook  # this workbook's file: the screen link opens the same one
        self.role = params.role if params.role != "participant" else "screen"
        self.content = content or load_content()
        self.tr = Translator.create(self.content, params.lang)
        self.store = store or SessionStore(params.db_url or None)
        self.problem: str | None = None
        self.session: SessionInfo | None = None
        code = params.session or DEMO_CODE
        self.session = self.store.find_session(code)
        if self.session is None and code in (DEMO_CODE, DEMO_PUIMALA_CODE):  # the demo day, and its Puimala beside it
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
        if self.trusted and self.session is not None and self.session.template_version_id is None:
            from .content import templates_snapshot

            # the templates this session runs with, for its place in the network's history
            self.store.record_templates(self.session.id, templates_snapshot(self.content))
        self._consoles: list[ActivityConsole] = []
        self.charts_when_shown = DrawWhenShown()  # a live page's charts, once the browser shows it
        self._roster_found = False  # a report: who took part is counted by the first activity that can
        self._poller: Poller | None = None
        self._changes: ChangeFeed | None = None
        self._agenda: W.HTML | None = None
        self.session_button: W.Button | None = None
        self.session_close: SessionClose | None = None
        self.now_bar: NowBar | None = None
        self.presenter: Presenter | None = None
        self.report_download: Any = None  # the console's "Lataa raportti" (report_button.ReportDownload)
        self._methods: dict[str, str] | None = None
        chart_render.register_theme()
        if self.role == "report":
            chart_render.report_charts()

    @classmethod
    def open(cls, notebook: str = "04_arviointi.ipynb", names: bool = False, **params: str) -> "Workbook | UnavailableWorkbook":
        """Build from notebook parameters (``session, role, lang, key, db_url``); ``notebook``
        names the workbook's own file (for the link to its screen view).

        Never raises: a broken template or an unreachable database gives a page that
        says what is wrong instead of a traceback.
        """
        page = PageParams.from_notebook(**params)
        try:
            return cls(page, notebook=notebook, names=names)
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
        if self.role == "screen":
            # the projector: a presenter view over the whole viewport (its own join banner and card)
            self.presenter = Presenter(self)
            self._ensure_polling()
            return self.presenter
        parts.append(self.join_html())
        if self.role == "facilitator" and self.has_key:
            screen = html.escape(links.screen, quote=True)
            parts.append(
                f"<p class='vt-muted'>{html.escape(tr('screen_link'))}: "
                f"<a href='{screen}' target='_blank' rel='noopener'>{screen}</a></p>"
            )
        box = plain_html("".join(parts), "vt-header", "vt-compact")
        if not (self.role == "facilitator" and self.has_key):
            return box
        self._agenda = plain_html(self.agenda_html(), "vt-agenda")
        self.session_close = SessionClose(self)
        self.session_button = self.session_close.button
        self.now_bar = NowBar(self)
        # with method text the text moves into the catalogue's entries: the notebook's own markdown
        # cells are hidden on this page (see vertaiset.css), so the folded catalogue is short
        catalogue = plain_html(f"<h2 class='vt-catalogue-title'>{html.escape(tr('catalogue_title'))}</h2>"
                               + self.method_html(""), *(("vt-catalogue-methods",) if self._read_methods() else ()))
        self._ensure_polling()
        from .report_button import ReportDownload

        self.report_download = ReportDownload(self)
        # one row: the workshop's state, its report
        closing = plain_box([self.session_close, self.report_download], "vt-session-row")
        page = plain_box([self.now_bar, box, self._agenda, closing, catalogue], box_type=W.VBox)
        self.now_bar.dock(page)
        return page

    def _read_methods(self) -> dict[str, str]:
        """The workbook's method text in this page's language, as HTML by activity id ("" for the
        phase's introduction): the markdown cells before an activity's cell belong to it."""
        if self._methods is None:
            self._methods = {}
            path = Path(self.notebook)
            path = path if path.is_file() else roots.workbooks_dir() / self.notebook
            try:  # the notebook's JSON as it is (nbformat's validation costs the console's kernel memory)
                cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
            except Exception:  # no method text: the notebook's own cells stay on the page
                log.warning("the method text of %s was not found", self.notebook)
                return self._methods
            pending: list[str] = []
            for cell in cells:
                tags = [t for t in cell.get("metadata", {}).get("tags", []) if t.startswith("lang:")]
                text = cell.get("source", "")
                text = "".join(text) if isinstance(text, list) else str(text)
                if cell.get("cell_type") == "markdown" and (not tags or f"lang:{self.tr.lang}" in tags):
                    source = text.strip()
                    if source.startswith("# "):  # the phase's title and introduction
                        self._methods[""] = self._methods.get("", "") + source + "\n\n"
                    else:
                        pending.append(source)
                elif cell.get("cell_type") == "code":
                    match = _ACTIVITY_CALL.search(text)
                    if match and pending:
                        self._methods[match.group(1)] = "\n\n".join(pending)
                    if match:
                        pending = []
        return self._methods

    def method_html(self, activity_id: str) -> str:
        """The method text of an activity ("": of the phase) on the console: a disclosure, open
        inside an unfolded catalogue entry; the text's headings one level down, without ids."""
        source = self._read_methods().get(activity_id, "") if self.trusted else ""
        if not source:
            return ""
        import mistune  # nbconvert's own Markdown reader, without importing nbconvert

        body = mistune.html(source)
        body = re.sub(r"<a class=\"anchor-link\"[^>]*>.*?</a>", "", body)
        body = re.sub(r"<h([1-5])(?: id=\"[^\"]*\")?>", lambda m: f"<h{int(m.group(1)) + 1}>", body)
        body = re.sub(r"</h([1-5])>", lambda m: f"</h{int(m.group(1)) + 1}>", body)
        tr = self.tr
        if activity_id:
            return (f"<details class='vt-method' open><summary>{html.escape(tr('method_title'))}</summary>"
                    f"<div class='vt-method-text'>{body}</div></details>")
        return (f"<details class='vt-method vt-method-phase'><summary>{html.escape(tr('method_phase'))}</summary>"
                f"<div class='vt-method-text'>{body}</div></details>")

    def set_session_open(self, is_open: bool) -> None:
        """Open or close the whole workshop to participants (facilitator only)."""
        if not self.has_key or self.session is None:
            return
        self.store.set_session_open(self.session.id, is_open)
        self.session = self.store.get_session(self.session.code)
        self._draw_session_state()

    def _draw_session_state(self) -> None:
        if self.session_close is not None:
            self.session_close.draw()

    def agenda_html(self) -> str:
        """The day's plan with what runs now and what is next, linked to their workbooks: every
        block with its times (breaks and blocks without an activity too); "now" is the running
        block, else the open activity."""
        if self.session is None:
            return ""
        blocks = self.store.agenda_blocks(self.session.id)
        if not blocks:
            return ""
        tr = self.tr
        states = self.store.activity_states(self.session.id)
        running = running_block(blocks)
        # "now" is the running block, else the open activity; "next" follows it, or the last item touched
        current = running.position if running is not None else next(
            (b.position for b in blocks if b.activity_id and states.get(b.activity_id) and states[b.activity_id].is_open), None)
        touched = [b.position for b in blocks if b.activity_id in states]
        after = current if current is not None else touched[-1] if touched else -1
        query = urlencode({"session": self.session.code, "key": self.params.key, **({"lang": tr.lang} if tr.lang != "fi" else {})})
        rows = []
        for b in blocks:
            state = "now" if b.position == current else "next" if b.position == after + 1 else ""
            mark = tr(f"agenda_{state}") if state else ""
            name = html.escape(block_name(b, tr))
            if b.activity_id and b.workbook:
                # within this workbook a jump to the activity's anchor, without reloading the page
                anchor = f"#activity-{b.activity_id}"
                href = anchor if b.workbook == self.notebook else f"{b.workbook}?{query}{anchor}"
                name = f"<a href='{html.escape(href, quote=True)}'>{name}</a>"
            rows.append(
                f"<li data-vt-break='{int(b.is_break)}' data-vt-agenda='{state}'>"
                f"{html.escape(b.starts_at or '')}–{html.escape(b.ends_at)} {name}"
                f"{' – <strong>' + html.escape(mark) + '</strong>' if mark else ''}</li>"
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
        if self.now_bar is not None and console.fold is not None:
            console.fold.on_current(lambda: self.now_bar.set_current(activity.id))
            self.now_bar.refresh()
        self._focus_screen()
        return console

    # ------------------------------------------------------------------ report
    def _report(self, activity: Any) -> Any:
        own = kinds.for_activity(activity).report_function()
        results = None
        if own is not None:
            shown = own(self, activity)
        else:
            shown, results = None, self._report_results(activity)
        # the summary's line and roster, read by the report from this output (report_summary.kernel_findings)
        from .report_findings import FINDING_MIME, finding_bundle

        bundle = finding_bundle(self.store, self.session, activity, self.tr, results=results, roster=not self._roster_found)
        self._roster_found = self._roster_found or bool(bundle[FINDING_MIME]["roster"])
        display(bundle, raw=True)
        return shown

    def report_blocks(self, activity: Any) -> None:
        """The report of an activity drawn by its kind's results: counts, then the report's blocks."""
        self._report_results(activity)

    def _report_results(self, activity: Any) -> Any:
        assert self.session is not None
        results = kinds.for_activity(activity).results_class(activity).load(self.store, self.session, activity, self.tr)
        results.names = self.names
        # no console counters here: the report's summary says how many answered
        for _name, block in results.blocks("report"):
            display(HTML(block))
        return results

    # ------------------------------------------------------------------ live
    def _ensure_polling(self) -> None:
        if self._poller is None and self.session is not None:
            session_id = self.session.id
            self._changes = ChangeFeed(self.store, session_id)
            self._changes.start()
            # a console or screen is one kernel per room: it looks twice a second, so an answer shows
            # within about half a second (a phone looks once a second)
            self._poller = Poller(lambda: self.store.revision(session_id), self._redraw_changed, interval=CONSOLE_POLL)
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
        if self.now_bar is not None:  # the clock moves on: a block or the day may run over by now
            self.now_bar.update_day()

    def _redraw_changed(self) -> None:
        """Redraw what changed: the consoles of the activities written to (and of those reading
        them), and every console when who has joined (or their names and groups) changed, as counts and group views show them."""
        with self._changes.changes() as keys:
            changed = None if keys is None else set(revisions.by_activity(keys))
            if self._agenda is not None:
                self._agenda.value = self.agenda_html()
            if changed is not None and SESSION_KEY in changed and self.session is not None:
                self.session = self.store.get_session(self.session.code)
                self._draw_session_state()
            if changed is None or SESSION_KEY in changed:  # the plan changed, or a block started
                if self.now_bar is not None:
                    self.now_bar.update_day(read=True)
                if self.presenter is not None:
                    self.presenter.update_block()
                    self.presenter.update_practice()
            for console in self._consoles:
                # an activity that reads another (its ``source``: a reading of the 360, a history,
                # votes on a wall's steps) redraws when that one changes too
                source = getattr(console.activity, "source", None)
                if changed is None or PEOPLE_KEY in changed or console.activity.id in changed or source in changed:
                    console.redraw()
            if self.now_bar is not None:
                self.now_bar.refresh()
            self._focus_screen()

    def _focus_screen(self) -> None:
        """On the room's screen show only what runs now (see :class:`presenter.Presenter`)."""
        if self.role != "screen" or not self._consoles:
            return
        if self.presenter is None:  # a page without the header still shows one activity at a time
            self.presenter = Presenter(self)
        self.presenter.update()

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

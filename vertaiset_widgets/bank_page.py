"""The practice bank's pages (``workbooks/kaytantopankki.ipynb``): the facilitator's console, the
room's screen and the report.

The console searches the bank (full text, in Finnish base forms) and filters it by maturity,
sector, area and network; opens a practice with every field, its maturity's moves, its 360 radar,
its stories, validation, links and versions (a past version can be read); compares two or three
practices' radars; and, with the facilitator key, puts a practice on the room's screen and edits
it (:mod:`.bank_edit`). Without the key it is read-only, as the phones' bank is. The screen shows
the practice put on it and follows the console within about a second; the report is the bank
as a document.
"""
from __future__ import annotations

import html
import logging
import os
from collections import Counter
from typing import Any
from urllib.parse import parse_qs, urlencode

import ipywidgets as W
from IPython.display import HTML, display

from .bank_charts import compare_html, radar_html
from .bank_edit import PracticeEditor
from .bank_views import (MATURITY_STEPS, badge_html, bank_style, dimension_labels, esc, maturity_label, practice_html,
                         result_html, versions_html, when_text)
from .chart_render import presenting
from .html_blocks import table
from .links import public_base_url, qr_svg_data_uri
from .live import Poller

__all__ = ["BankConsole", "BankScreen", "bank_header", "bank_page", "bank_phone_url", "bank_report"]

log = logging.getLogger("vertaiset")

#: the most results the console lists at once
LIST_LIMIT = 60


def bank_phone_url(lang: str = "fi") -> str:
    """The phones' read-only bank: ``osallistu.ipynb?view=bank``."""
    query = {"view": "bank", **({"lang": lang} if lang != "fi" else {})}
    return f"{public_base_url()}/voila/render/osallistu.ipynb?{urlencode(query)}"


def _asked_practice() -> str:
    """The practice the page's address opens (``&practice=UID``), if any."""
    values = parse_qs((os.environ.get("QUERY_STRING") or "").lstrip("?"))
    return (values.get("practice") or [""])[-1][:64]


def bank_header(wb: Any) -> Any:
    """The page's head, before the method text: the session's line and the links (the console and
    the report), or why the page could not open; nothing on the screen, which covers the page."""
    if getattr(wb, "session", None) is None:
        return wb.header()
    display(HTML(bank_style()))
    if wb.role == "screen":
        return None
    if wb.role != "report" or wb.params.from_query:
        from . import kinds

        display(HTML(kinds.style_element()))  # the tables' and badges' shared looks, as on the workbooks' pages
    return HTML(_header_html(wb))


def bank_page(wb: Any) -> Any:
    """The bank in the workbook's role: the console, the screen or the report (nothing when the
    page could not open: :func:`bank_header` says why)."""
    if getattr(wb, "session", None) is None:
        return None
    if wb.role == "report":
        return bank_report(wb)
    if wb.role == "screen":
        return BankScreen(wb)
    return BankConsole(wb, practice=_asked_practice())


def _header_html(wb: Any) -> str:
    """The session's line; a problem with the page's address, the read-only note, and the screen's
    and phones' links (not in the report)."""
    tr = wb.tr
    s = wb.session
    parts = [f"<p class='vt-muted'>{esc(s.network_name)} · {esc(when_text(s.held_on))} · {esc(s.title)}</p>"]
    if wb.role == "report":
        return parts[0]
    if wb.problem:
        parts.append(f"<p class='vt-error' role='alert'>{esc(wb.problem)}</p>")
    if not wb.trusted:
        parts.append(f"<p class='vt-muted'>{esc(tr('bk_read_only'))}</p>")
    else:
        query = {"session": s.code, "role": "screen", **({"lang": tr.lang} if tr.lang != "fi" else {})}
        screen = f"{public_base_url()}/voila/render/{wb.notebook}?{urlencode(query)}"
        parts.append(f"<p class='vt-muted'>{esc(tr('screen_link'))}: <a href='{esc(screen, quote=True)}' "
                     f"target='_blank' rel='noopener'>{esc(screen)}</a></p>")
    phone = bank_phone_url(tr.lang)
    parts.append(f"<p class='vt-muted'>{esc(tr('bk_phone_link'))}: <a href='{esc(phone, quote=True)}' "
                 f"target='_blank' rel='noopener'>{esc(phone)}</a></p>")
    return "".join(parts)


class BankConsole(W.VBox):
    """Search, filter, read, compare; with the key also put on screen and edit.

    Parameters
    ----------
    wb : Workbook
        The page's workbook: its store, session, translator and whether it has the key.
    practice : str, optional
        The uid of a practice to open at once.
    """

    def __init__(self, wb: Any, *, practice: str = ""):
        super().__init__()
        self.add_class("vt-bk-console")
        self.wb, self.store, self.tr = wb, wb.store, wb.tr
        self.trusted = bool(wb.trusted)
        self.dims = dimension_labels(wb.tr, wb.content)
        tr = self.tr
        self.results: list[Any] = []
        self.practice: Any = None
        self.query = W.Text(description=tr("bk_search"), placeholder=tr("bk_search_hint"), continuous_update=False)
        self.search_button = W.Button(description=tr("bk_search_button"))
        facets = self._facets()
        all_ = tr("bk_all")
        self.maturity = W.Dropdown(description=tr("bk_maturity_title"),
                                   options=[(all_, "")] + [(maturity_label(tr, m), m) for m in MATURITY_STEPS])
        self.sector = W.Dropdown(description=tr("bk_field_sector"), options=[(all_, "")] + [(v, v) for v in facets.get("sector", [])])
        self.area = W.Dropdown(description=tr("bk_field_area"), options=[(all_, "")] + [(v, v) for v in facets.get("area", [])])
        self.network = W.Dropdown(description=tr("bk_field_network"), options=[(all_, "")] + [(v, v) for v in facets.get("network", [])])
        for control in (self.query, self.maturity, self.sector, self.area, self.network):
            control.style = {"description_width": "initial"}
            control.observe(lambda _c: self.search(), names="value")
        self.search_button.on_click(lambda _b: self.search())
        self.count = W.HTML()
        # the list scrolls in its own box: the practice opened from it stays close below
        self.list_box = W.VBox(layout=W.Layout(max_height="28rem", overflow="auto"))
        self.list_box.add_class("vt-bk-list")
        self.compare_pick = W.SelectMultiple(description=tr("bk_compare_pick"), rows=6, style={"description_width": "initial"},
                                             layout=W.Layout(width="min(100%, 40rem)"))
        self.compare_button = W.Button(description=tr("bk_compare_button"), layout=W.Layout(width="fit-content"))
        self.compare_button.on_click(lambda _b: self.compare(list(self.compare_pick.value)))
        self.compare_out = W.HTML()
        self.detail = W.HTML()
        self.screen_on = W.Button(description=tr("bk_screen_on"), tooltip=tr("bk_screen_on_help"))
        self.screen_on.add_class("vt-primary")
        self.screen_off = W.Button(description=tr("bk_screen_off"))
        self.screen_on.on_click(lambda _b: self.put_on_screen())
        self.screen_off.on_click(lambda _b: self.take_off_screen())
        self.screen_line = W.HTML()
        self.version_pick = W.Dropdown(description=tr("bk_open_version"), style={"description_width": "initial"})
        self.version_pick.observe(lambda _c: self.open_version(self.version_pick.value), names="value")
        self.version_out = W.HTML()
        self.editor = PracticeEditor(self.store, tr, self._saved) if self.trusted else None
        # the forms are long: folded behind one button until the facilitator edits
        self.edit_toggle = W.Button(description=tr("bk_edit_show"), layout=W.Layout(width="fit-content"))
        self.edit_toggle.on_click(lambda _b: self.show_editor(self.editor is not None and self.editor.layout.display == "none"))
        search_row = W.HBox([self.query, self.search_button])
        filters = W.HBox([self.maturity, self.sector, self.area, self.network], layout=W.Layout(flex_flow="row wrap"))
        screen_row = W.HBox([self.screen_on, self.screen_off, self.screen_line]) if self.trusted else W.HBox()
        self._practice_box = W.VBox([screen_row, self.detail, self.version_pick, self.version_out])
        heading = lambda key: W.HTML(f"<h2>{html.escape(tr(key))}</h2>")  # noqa: E731 - three headings alike
        self.children = [
            heading("bk_search_title"), search_row, filters, self.count, self.list_box,
            heading("bk_compare_title"), self.compare_pick, self.compare_button, self.compare_out,
            self._practice_box, *([self.edit_toggle, self.editor] if self.editor is not None else []),
        ]
        self.show_editor(False)
        self.search()
        self.open_practice(practice or None)

    # ------------------------------------------------------------------ drawing
    def _facets(self) -> dict[str, list[str]]:
        try:
            return self.store.bank_facets()
        except Exception:
            log.exception("reading the bank's facets failed")
            return {}

    def search(self) -> list[Any]:
        """List the practices that match the search and the filters (name, maturity, network, summary)."""
        pick = lambda w: (w.value,) if w.value else ()  # noqa: E731
        try:
            self.results = self.store.practices(query=self.query.value.strip(), maturity=pick(self.maturity),
                                                sector=pick(self.sector), area=pick(self.area), network=pick(self.network),
                                                limit=LIST_LIMIT)
        except Exception:
            log.exception("searching the bank failed")
            self.results = []
        tr = self.tr
        self.count.value = (f"<p role='status' data-vt-found='{len(self.results)}'>"
                            f"{esc(tr('bk_found', n=len(self.results)))}</p>")
        rows = []
        for p in self.results:
            button = W.Button(description=p.name, tooltip=tr("bk_open_help", name=p.name))
            button.add_class("vt-bk-open")
            button.on_click(lambda _b, uid=p.uid: self.open_practice(uid))
            row = W.VBox([button, W.HTML(result_html(tr, p))], layout=W.Layout(flex="0 0 auto"))
            rows.append(row)
        self.list_box.children = rows
        chosen = [u for u in self.compare_pick.value if any(p.uid == u for p in self.results)]
        self.compare_pick.options = [(p.name, p.uid) for p in self.results]
        self.compare_pick.value = tuple(chosen[:3])
        return self.results

    def open_practice(self, uid: str | None) -> Any:
        """Show a practice (None: none) with its history and, with the key, its forms."""
        tr = self.tr
        practice = self.store.practice(uid) if uid else None
        self.practice = practice
        self._practice_box.layout.display = None if practice is not None else "none"
        if self.editor is not None:
            self.editor.show(practice)
        if practice is None:
            self.detail.value = ""
            if uid:
                self.detail.value = f"<p class='vt-error' role='alert'>{esc(tr('bk_not_found'))}</p>"
                self._practice_box.layout.display = None
            return None
        versions = self.store.practice_versions(practice.uid)
        moves = self.store.maturity_moves(practice.uid)
        body = practice_html(tr, practice, profile_html=radar_html(tr, practice, self.dims), moves=moves)
        self.detail.value = body + versions_html(tr, versions)
        self._versions = {v.version: v for v in versions}
        # "none chosen" first and chosen: an earlier version read is cleared
        self.version_pick.options = [(tr("bk_none_chosen"), 0)] + [
            (tr("bk_version_option", version=v.version, when=when_text(v.created_at)), v.version)
            for v in reversed(versions) if v.version != practice.version]
        self.version_pick.value = 0
        self.version_out.value = ""
        self._draw_screen_line()
        return practice

    def open_version(self, version: int) -> None:
        """Read a past version of the open practice below it (0: none)."""
        found = getattr(self, "_versions", {}).get(version) if version else None
        if found is None:
            self.version_out.value = ""
            return
        tr = self.tr
        note = tr("bk_past_version", version=found.version, when=when_text(found.created_at), by=found.changed_by or "–")
        self.version_out.value = ("<section class='vt-bk-past' aria-label='" + esc(note, quote=True) + "'>"
                                  + practice_html(tr, found, heading="h3", version_note=note,
                                                  profile_html=radar_html(tr, found, self.dims, size=220)) + "</section>")

    def compare(self, uids: list[str]) -> str:
        """Draw the radars of two or three practices side by side."""
        tr = self.tr
        if not 2 <= len(uids) <= 3:
            self.compare_out.value = f"<p class='vt-error' role='alert'>{esc(tr('bk_compare_needs'))}</p>"
            return self.compare_out.value
        practices = [p for p in (self.store.practice(u) for u in uids) if p is not None]
        self.compare_out.value = compare_html(tr, practices, self.dims)
        return self.compare_out.value

    def show_editor(self, shown: bool) -> None:
        """Unfold (or fold) the edit forms and the form for a new practice (facilitator only)."""
        if self.editor is None:
            return
        self.editor.layout.display = None if shown else "none"
        self.edit_toggle.description = self.tr("bk_edit_hide" if shown else "bk_edit_show")

    # ------------------------------------------------------------------ the room's screen
    def put_on_screen(self) -> None:
        """Show the open practice on the room's screen (facilitator only)."""
        if self.trusted and self.practice is not None:
            self.store.show_practice(self.wb.session.id, self.practice.uid)
            self._draw_screen_line()

    def take_off_screen(self) -> None:
        """Take the practice off the room's screen (facilitator only)."""
        if self.trusted:
            self.store.show_practice(self.wb.session.id, None)
            self._draw_screen_line()

    def _draw_screen_line(self) -> None:
        if not self.trusted:
            return
        shown = self.store.shown_practice(self.wb.session.id)
        here = self.practice is not None and shown == self.practice.uid
        words = self.tr("bk_on_screen") if here else self.tr("bk_other_on_screen") if shown else self.tr("bk_nothing_on_screen")
        self.screen_line.value = f"<p class='vt-muted' role='status' data-vt-shown='{int(here)}'>{esc(words)}</p>"

    def _saved(self, practice: Any) -> None:
        self.search()
        self.open_practice(practice.uid)


class BankScreen(W.VBox):
    """The room's screen: the practice the facilitator put on it, in large type with its radar,
    under a join banner to the phones' bank; a large join card while none is shown."""

    def __init__(self, wb: Any, *, poll_interval: float = 0.5):
        super().__init__()
        self.add_class("vt-presenter")
        self.add_class("vt-bk-screen-page")
        self.wb, self.store, self.tr = wb, wb.store, wb.tr
        self.dims = dimension_labels(wb.tr, wb.content)
        tr = self.tr
        url = bank_phone_url(tr.lang)
        qr, alt = qr_svg_data_uri(url), esc(tr("qr_alt", url=url), quote=True)
        self._banner = W.HTML(
            "<div class='vt-join-banner'>"
            f"<img class='vt-qr' alt='{alt}' src='{qr}'>"
            f"<p class='vt-join-banner-text'><span>{esc(tr('bk_screen_join'))}</span> <span class='vt-link'>{esc(url)}</span></p>"
            "</div>")
        self._banner.add_class("vt-presenter-banner")
        self._card = W.HTML(
            "<div class='vt-join-card'>"
            f"<h1 class='vt-join-card-title'>{esc(tr('bk_title'))}</h1>"
            f"<img class='vt-qr' alt='{alt}' src='{qr}'>"
            f"<div class='vt-join-card-text'><p>{esc(tr('bk_screen_join'))}</p><p class='vt-link'>{esc(url)}</p></div></div>")
        self._card.add_class("vt-presenter-card")
        self.body = W.HTML()
        self.body.add_class("vt-bk-screen")
        self.shown: str | None = None
        self._drawn: Any = None
        self.children = [self._banner, self.body, self._card]
        session_id = wb.session.id
        self._poller = Poller(lambda: self.store.revision(session_id), self.update, interval=poll_interval)
        self._poller.check()
        self._poller.start()

    def update(self) -> None:
        """Show the practice on screen now (read from the store), or the join card."""
        uid = self.store.shown_practice(self.wb.session.id)
        practice = self.store.practice(uid) if uid else None
        self.shown = practice.uid if practice is not None else None
        key = (practice.uid, practice.version) if practice is not None else None
        if key == self._drawn:
            return
        self._drawn = key
        self._card.layout.display = "none" if practice is not None else None
        self._banner.layout.display = None if practice is not None else "none"
        self.body.layout.display = None if practice is not None else "none"
        self.body.value = self._practice_html(practice) if practice is not None else ""

    def _practice_html(self, practice: Any) -> str:
        return screen_practice_html(self.tr, practice, self.dims)

    def refresh(self) -> None:
        """Look at the store now instead of at the next poll."""
        self._poller.check()

    def close(self) -> None:
        """Stop polling and close the widgets."""
        self._poller.stop()
        super().close()


def bank_report(wb: Any) -> None:
    """The bank as a document: the count by maturity, then each practice with its radar and versions."""
    tr, store = wb.tr, wb.store
    dims = dimension_labels(tr, wb.content)
    practices = store.practices(limit=1000)
    counts = Counter(p.maturity for p in practices)
    display(HTML(f"<h1>{esc(tr('bk_title'))}</h1>"
                 + table(tr("bk_counts_title"), [tr("bk_maturity_title"), tr("bk_count")],
                         [(maturity_label(tr, m), counts.get(m, 0)) for m in MATURITY_STEPS])))
    for p in sorted(practices, key=lambda p: (-MATURITY_STEPS.index(p.maturity) if p.maturity in MATURITY_STEPS else 0,
                                                p.name.casefold())):
        versions = store.practice_versions(p.uid)
        display(HTML(practice_html(tr, p, profile_html=radar_html(tr, p, dims, size=260), moves=store.maturity_moves(p.uid))
                     + f"<p class='vt-bk-meta'>{esc(tr('bk_version_count', n=len(versions)))}</p>"))


def screen_practice_html(tr: Any, practice: Any, dims: Any) -> str:
    """A practice on the room's screen: its name, step, summary and basic idea in large type, and its radar."""
    f = practice.fields
    with presenting(1.25):  # the projector: larger labels (more runs wrapped labels into each other)
        radar = radar_html(tr, practice, dims, size=360)
    idea = str(f.get("perusidea") or "").strip()
    text = (f"<h1>{esc(practice.name)}</h1><p>{badge_html(tr, practice.maturity)}"
            f"{' · ' + esc(practice.network) if practice.network else ''}</p>"
            f"<p class='vt-bk-text'>{esc(str(f.get('summary') or ''))}</p>"
            + (f"<p class='vt-bk-text'><strong>{esc(tr('bk_field_perusidea'))}:</strong> {esc(idea)}</p>" if idea else ""))
    return (f"<div class='vt-bk-screen-grid' data-vt-practice='{esc(practice.uid, quote=True)}'>"
            f"<div>{text}</div><div>{radar}</div></div>")

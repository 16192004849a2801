"""The practice bank on a phone (``osallistu.ipynb?view=bank``): read-only.

Search, a maturity filter, the list and a practice's description with its 360 profile as a
labelled bar list. Nothing else is reachable from here: no facilitator's controls, no session's
answers. Light like the participant's page: no pandas, no altair.
"""
from __future__ import annotations

import html
import logging
from typing import Any

import ipywidgets as W

from .bank_views import MATURITY_STEPS, bank_style, dimension_labels, esc, maturity_label, practice_html, profile_bars_html, result_html
from .config import PageParams
from .content import Content, load_content
from .i18n import Translator
from .store import SessionStore

__all__ = ["BankPhonePage"]

log = logging.getLogger("vertaiset")

#: the most results a phone lists at once
PHONE_LIMIT = 40


class BankPhonePage(W.VBox):
    """The bank, read-only, sized for a phone.

    Parameters
    ----------
    params : PageParams
        ``lang`` and ``db_url`` (the session, key and role are not used: the bank is the same for all).
    content : Content, optional
    store : SessionStore, optional
    """

    def __init__(self, params: PageParams, *, content: Content | None = None, store: SessionStore | None = None):
        super().__init__()
        self.add_class("vt-page")
        self.add_class("vt-participant")
        self.add_class("vt-bk-phone")
        self.params = params
        self.content = content or load_content()
        self.tr = tr = Translator.create(self.content, params.lang)
        self.store = store or SessionStore(params.db_url or None)
        self.dims = dimension_labels(tr, self.content)
        self.results: list[Any] = []
        self.practice: Any = None
        self._head = W.HTML(f"{bank_style()}<h1>{esc(tr('bk_title'))}</h1><p class='vt-muted'>{esc(tr('bk_phone_intro'))}</p>")
        self.query = W.Text(description=tr("bk_search"), placeholder=tr("bk_search_hint"), continuous_update=False,
                            layout=W.Layout(width="auto"), style={"description_width": "initial"})
        self.search_button = W.Button(description=tr("bk_search_button"))
        self.maturity = W.Dropdown(description=tr("bk_maturity_title"), layout=W.Layout(width="auto"),
                                   style={"description_width": "initial"},
                                   options=[(tr("bk_all"), "")] + [(maturity_label(tr, m), m) for m in MATURITY_STEPS])
        self.query.observe(lambda _c: self.search(), names="value")
        self.maturity.observe(lambda _c: self.search(), names="value")
        self.search_button.on_click(lambda _b: self.search())
        self.count = W.HTML()
        self.list_box = W.VBox()
        self.back = W.Button(description=tr("bk_back"))
        self.back.on_click(lambda _b: self.open_practice(None))
        self.detail = W.HTML()
        self._list_view = W.VBox([self.query, self.search_button, self.maturity, self.count, self.list_box])
        self._detail_view = W.VBox([self.back, self.detail])
        self.children = [self._head, self._list_view, self._detail_view]
        self.search()
        self.open_practice(None)

    def search(self) -> list[Any]:
        """List the practices matching the words and the maturity step."""
        tr = self.tr
        try:
            self.results = self.store.practices(query=self.query.value.strip(),
                                                maturity=(self.maturity.value,) if self.maturity.value else (), limit=PHONE_LIMIT)
        except Exception:
            log.exception("searching the bank failed")
            self.results = []
        self.count.value = f"<p role='status' data-vt-found='{len(self.results)}'>{esc(tr('bk_found', n=len(self.results)))}</p>"
        rows = []
        for p in self.results:
            button = W.Button(description=p.name, tooltip=tr("bk_open_help", name=p.name), layout=W.Layout(width="100%"))
            button.add_class("vt-bk-open")
            button.on_click(lambda _b, uid=p.uid: self.open_practice(uid))
            rows.append(W.VBox([button, W.HTML(result_html(tr, p, summary_chars=120))]))
        self.list_box.children = rows
        return self.results

    def open_practice(self, uid: str | None) -> Any:
        """Show one practice (None: back to the list)."""
        practice = self.store.practice(uid) if uid else None
        self.practice = practice
        self._list_view.layout.display = "none" if practice is not None else None
        self._detail_view.layout.display = None if practice is not None else "none"
        if practice is None:
            self.detail.value = ""
            return None
        try:
            moves = self.store.maturity_moves(practice.uid)
        except Exception:
            log.exception("reading a practice's moves failed")
            moves = []
        self.detail.value = practice_html(self.tr, practice, profile_html=profile_bars_html(
            self.tr, practice.fields.get("profile"), self.dims), moves=moves, compact=True)
        return practice

    def summary(self) -> dict[str, Any]:
        """What the page shows (for tests): the practices listed and the one open."""
        return {"listed": [p.uid for p in self.results], "open": self.practice.uid if self.practice else None,
                "text": html.unescape(self.detail.value)}

"""The wall on the facilitator's console and the room's screen, and in the report."""
from __future__ import annotations

import html
import logging
from typing import TYPE_CHECKING, Any

import ipywidgets as W
from IPython.display import HTML, display

from ... import aggregate
from ...chart_render import show_svg, to_svg
from ...errors import VertaisetError
from ...forms import WallView
from ...results import svg_img
from ...consoles import ActivityConsole
from ...shared_models import plain_html, shared_layout
from .charts import word_chart
from .wall import Highlight, read_wall, wall_items, wall_texts

if TYPE_CHECKING:
    from ...workbook import Workbook
    from .model import Highlights

__all__ = ["HighlightsConsole", "report_highlights"]

log = logging.getLogger("vertaiset")


class HighlightsConsole(ActivityConsole):
    """The highlights wall: moderation (hide, pin, merge), counts and the word summary."""

    def _results_widgets(self) -> list[W.Widget]:
        tr = self.wb.tr
        mode = "facilitator" if self.controls else "screen"
        self.wall = WallView(mode=mode, texts=wall_texts(tr, self.activity), votes_shown=self.activity.votes)
        self.wall.on_action(self._handle_action)
        self._words = plain_html()
        self._words_wanted = False
        if self.wb.view != "facilitator":
            return [self.wall]
        # base forms of every word take a few seconds the first time: counted when asked for
        self.words_button = W.Button(description=tr("words_show"), tooltip=tr("words_help"), layout=shared_layout())
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
        return read_wall(self.wb.store, self.wb.session.id, self.activity.id, round=self.state.round)

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
            f"<h4>{html.escape(tr('words_title'))}</h4>" + svg_img(to_svg(word_chart(words)), tr("words_alt"))
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


def report_highlights(wb: "Workbook", activity: "Highlights") -> None:
    """The wall as it stood: visible highlights (hidden and withdrawn ones left out), tags, +1s, words."""
    assert wb.session is not None
    tr = wb.tr
    highlights = read_wall(wb.store, wb.session.id, activity.id)
    items = wall_items(highlights, activity, tr)
    if not items:
        display(HTML(f"<p class='vt-muted'>{html.escape(tr('no_answers'))}</p>"))
        return None
    rows = []
    for item in items:
        meta: list[Any] = [x for x in (tr("wall_pinned") if item["pinned"] else "", item["tag_label"]) if x]
        if activity.votes:
            meta.append(f"+{item['votes']}")
        rows.append(
            f"<li class='vt-wall-item'><p class='vt-wall-text'>{html.escape(item['text'])}</p>"
            f"<p class='vt-muted'>{html.escape(' · '.join(meta))}</p></li>"
        )
    display(HTML(f"<ul class='vt-wall'>{''.join(rows)}</ul>"))
    words = aggregate.word_counts([i["text"] for i in items], tr.lang, wb.content.stopwords)
    if not words.empty:
        display(HTML(f"<h4>{html.escape(tr('words_title'))}</h4>"))
        show_svg(to_svg(word_chart(words)), tr("words_alt"))
    return None

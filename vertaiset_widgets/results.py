"""What every kind's results share, for the facilitator, the room's screen and the report.

Each kind's ``results.py`` has a ``*Results`` class on :class:`_Results`: it reads one
activity's answers that count, aggregates them with pandas and returns its views as HTML
blocks: ``blocks(role)`` gives ``(name, html)`` pairs in order. Charts are SVG ``<img>`` with a text alternative, tables are real
tables, and every word a participant wrote is escaped. The live console and the
report draw the very same blocks.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

import pandas as pd

from . import aggregate
from .html_blocks import Safe, esc, svg_img, table
from .i18n import Translator
from .store import ActivityState, SessionInfo

if TYPE_CHECKING:
    from .store import SessionStore

__all__ = [
    "clip",
    "free_text_html",
    "grouped_texts",
    "results_for",
    "svg_img",
]


def clip(text: str, limit: int = 60) -> str:
    """``text`` on one line (its whitespace folded), cut at a word to at most ``limit`` characters with "…"."""
    line = " ".join(str(text).split())
    if len(line) <= limit:
        return line
    cut = line[: limit - 1]
    if " " in cut[limit // 2:]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,.;:–-") + "…"


def _table(caption: str, head: list[str], rows: list[list[str]], *, first_is_header: bool = True, css: str = "vt-table") -> str:
    """An accessible table whose cells the caller has escaped already."""
    return table(caption, [Safe(h) for h in head], [[Safe(c) for c in row] for row in rows],
                 first_is_header=first_is_header, css=css)


@dataclass
class _Results:
    """What every kind's results share: the activity, the answers and the counts."""

    activity: Any
    tr: Translator
    frame: pd.DataFrame
    participants: int
    extra: dict[str, Any] = field(default_factory=dict)
    #: False in a report made without ``--names``: no names, nicknames or contact details, and free texts
    #: grouped without their authors (the live pages keep True)
    names: bool = True
    #: How much larger the projector draws the charts' text (None: ``chart_render.PRESENTER_TEXT_SCALE``);
    #: a kind whose chart places its labels by hand keeps it lower, so that they do not overlap.
    PRESENTER_TEXT_SCALE: ClassVar[float | None] = None

    @classmethod
    def load(cls, store: SessionStore, session: SessionInfo, activity: Any, tr: Translator,
             state: ActivityState | None = None) -> "_Results":
        state = state or store.activity_state(session.id, activity.id)
        answers = store.answers(session.id, activity.id, round=state.round)
        out = cls(activity, tr, aggregate.answers_frame(answers), len(store.participants(session.id)))
        out._more(store, session, state)
        return out

    def _more(self, store: SessionStore, session: SessionInfo, state: ActivityState) -> None:
        """Read what else the kind needs (the board, moderation)."""

    @property
    def respondents(self) -> int:
        """How many participants answered."""
        return int(self.frame["participant_id"].nunique())

    def key(self) -> Any:
        """Changes exactly when what is drawn changes."""
        return (self.frame[["answer_id"]].to_json(), self.participants, json.dumps(self.extra, sort_keys=True, default=str))

    def counts_html(self) -> str:
        """Respondents out of participants."""
        return (
            f"<p class='vt-stat' data-vt-respondents='{self.respondents}'>"
            f"{esc(self.tr('respondents_of', n=self.respondents, total=self.participants))}</p>"
        )

    def blocks(self, role: str) -> list[tuple[str, str]]:
        """The views for ``role`` (facilitator, screen, report) as ``(name, html)``."""
        if not self.respondents and not self._has_content():
            return [("empty", f"<p class='vt-muted'>{esc(self.tr('no_answers'))}</p>")]
        return self._blocks(role)

    def _has_content(self) -> bool:
        return False

    def summary(self) -> str | None:
        """The activity's key result as one line of plain text for the report's summary
        (None: nothing to say yet). A kind says what matters most; by default how many answered."""
        return self.tr("sum_answered", n=self.respondents) if self.respondents else None

    def roster(self) -> list[tuple[str, list[tuple[str, int]]]]:
        """Who took part, counted per field (e.g. sector, organisation): ``(label, [(value, n)])``,
        most first; never a name. Empty for a kind that does not ask who people are."""
        return []

    def _blocks(self, role: str) -> list[tuple[str, str]]:
        raise NotImplementedError

    # labels ----------------------------------------------------------------
    def _layer_labels(self) -> dict[str, str]:
        layers = getattr(self.activity, "layers", [])
        if not layers:
            return {"": self.tr("room")}
        return {layer.id: self.tr.label(layer) for layer in layers}

    def _title(self) -> str:
        return self.tr.text(self.activity.title)


def results_for(activity: Any) -> type[_Results] | None:
    """The results class of an activity's kind, from the kinds registry (None: the kind draws itself)."""
    from . import kinds

    return kinds.for_activity(activity).results_class(activity)


def grouped_texts(values: list[str]) -> list[tuple[str, int]]:
    """Free texts with the same words (case, spacing and end punctuation aside) as one, counted;
    the most common first, then in the order they came."""
    groups: dict[str, list[Any]] = {}
    for value in values:
        line = " ".join(str(value).split())
        key = line.casefold().rstrip(" .!?…")
        if key:
            groups.setdefault(key, [line, 0])[1] += 1
    return sorted(((text, n) for text, n in groups.values()), key=lambda tn: -tn[1])


def free_text_html(tr: Translator, label: str, values: list[str], anchor: str, context: str = "") -> str:
    """A report's free-text answers for readers: the same answers once with their count, the most
    common words in their base form, and the full list as an appendix (moved to the report's end,
    see :mod:`vertaiset_widgets.report_tidy`), headed there by ``context`` (the activity) and the
    label. Never an author."""
    groups = grouped_texts(values)
    items = "".join(f"<li>{esc(text)}{f' <span class=vt-muted>×{n}</span>' if n > 1 else ''}</li>" for text, n in groups)
    parts = [f"<h4>{esc(label)}</h4>",
             f"<p class='vt-muted'>{esc(tr('rp_free_counts', n=len(values), distinct=len(groups)))}</p>",
             f"<ul class='vt-list vt-grouped'>{items}</ul>"]
    words = aggregate.word_counts(values, tr.lang, tr.content.stopwords, top=12)
    if not words.empty:
        chips = "".join(f"<li>{esc(str(w))} <span class=vt-muted>×{int(n)}</span></li>" for w, n in zip(words["word"], words["count"]))
        parts.append(f"<p class='vt-words-title'>{esc(tr('words_title'))}</p><ul class='vt-chips vt-words'>{chips}</ul>")
    full = "".join(f"<li>{esc(' '.join(str(v).split()))}</li>" for v in values)
    safe_anchor = esc(anchor, quote=True)
    parts.append(f"<p><a href='#{safe_anchor}'>{esc(tr('rp_appendix_link', n=len(values)))}</a></p>"
                 f"<section class='vt-appendix' id='{safe_anchor}' data-vt-appendix='{esc(label, quote=True)}'>"
                 f"<h3>{esc(f'{context} – {label}' if context else label)}</h3><ol class='vt-list'>{full}</ol></section>")
    return "".join(parts)

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
from typing import Any

import pandas as pd

from . import aggregate, kind_charts
from .charts import to_svg
from .kinds.rating_matrix.model import RatingMatrix
from .html_blocks import Safe, esc, svg_img, table
from .i18n import Translator
from .store import ActivityState, SessionInfo, SessionStore

__all__ = [
    "HeatmapResults",
    "results_for",
    "svg_img",
]


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


# ---------------------------------------------------------------------- heatmap
class HeatmapResults(_Results):
    """A rating matrix with columns (knowing – trust – commitment): heatmap and column means."""

    activity: RatingMatrix

    @property
    def respondents(self) -> int:
        return aggregate.respondent_count(self.frame)

    def summary(self) -> pd.DataFrame:
        return aggregate.rating_summary(self.frame, [i.id for i in self.activity.items], self.activity.layer_ids)

    def column_means(self) -> pd.DataFrame:
        """``column, mean, n``: the mean of every rating given in the column."""
        col_of = {i.id: i.column for i in self.activity.items}
        f = self.frame[self.frame["value"].notna()]
        g = f.assign(column=f["item"].map(col_of)).groupby("column")["value"]
        out = pd.DataFrame({"mean": g.mean(), "n": g.count()}).reindex([c.id for c in self.activity.columns])
        return out.reset_index().rename(columns={"index": "column"})

    def heatmap_html(self, *, cell_width: int = 230) -> str:
        summary = self.summary().groupby("item")["mean"].mean()
        rows = []
        for column, items in self.activity.column_items():
            for row, item in enumerate(items, start=1):
                rows.append({"column": self.tr.label(column), "row": row, "label": self.tr.label(item, short=True),
                             "mean": summary.get(item.id)})
        chart = kind_charts.heatmap_chart(
            pd.DataFrame(rows), columns=[self.tr.label(c) for c in self.activity.columns],
            scale_min=self.activity.scale.min, scale_max=self.activity.scale.max, cell_width=cell_width,
        )
        return svg_img(to_svg(chart), self.tr("heatmap_alt", title=self._title(), n=self.respondents))

    def column_means_html(self) -> str:
        means = self.column_means()
        labels = {c.id: self.tr.label(c) for c in self.activity.columns}
        cells = "".join(
            f"<div class='vt-colmean'><span class='vt-colmean-label'>{esc(labels[r.column])}</span>"
            f"<span class='vt-colmean-value'>{'–' if pd.isna(r.mean) else f'{r.mean:.1f}'}</span></div>"
            for r in means.itertuples()
        )
        return f"<h4>{esc(self.tr('column_means'))}</h4><div class='vt-colmeans'>{cells}</div>"

    def table_html(self) -> str:
        summary = self.summary()
        by_item = {r.item: r for r in summary.itertuples()}
        rows = []
        for column, items in self.activity.column_items():
            for item in items:
                r = by_item.get(item.id)
                value = "–" if r is None or r.n == 0 else f"<span class='vt-mean'>{r.mean:.1f}</span> <span class='vt-muted'>({self.tr('sd')} {r.std:.1f}, n={r.n})</span>"
                rows.append([esc(self.tr.label(item)), esc(self.tr.label(column)) if column else "", value])
        return _table(self.tr("heatmap_caption"), [esc(self.tr("dimension")), esc(self.tr("column")), esc(self.tr("mean"))], rows)

    def _blocks(self, role: str) -> list[tuple[str, str]]:
        if role == "screen":
            return [("heatmap", self.heatmap_html(cell_width=200)), ("columns", self.column_means_html())]
        return [("heatmap", self.heatmap_html()), ("columns", self.column_means_html()), ("table", self.table_html())]


def rating_results(activity: RatingMatrix) -> type[_Results] | None:
    """A rating matrix drawn as a heatmap has blocks; the radar is drawn by its console."""
    return HeatmapResults if activity.chart == "heatmap" else None


def results_for(activity: Any) -> type[_Results] | None:
    """The results class of an activity's kind, from the kinds registry (None: the kind draws itself)."""
    from . import kinds

    return kinds.for_activity(activity).results_class(activity)

"""The rating matrix's results for the console, the screen and the report.

Two pictures of the same answers: the 360's radar (:class:`RatingResults`, drawn by the
kind's own console and report) and, for a matrix with columns, the heatmap with the
column means (:class:`HeatmapResults`, drawn as blocks like most kinds).
"""
from __future__ import annotations

import html
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from ... import aggregate
from ...chart_render import to_svg
from ...html_blocks import esc, svg_img
from ...i18n import Translator
from ...kind_charts import spread_chart
from ...results import _Results, _table
from ...store import ActivityState, SessionInfo
from . import radar, radar_grid
from .charts import heatmap_chart
from .model import RatingMatrix

if TYPE_CHECKING:
    from ...store import SessionStore

__all__ = ["HeatmapResults", "RatingResults", "rating_results", "rating_summary"]


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
    def radar(self, *, size: int = 460, numbered: bool = False, label_font: int | None = None) -> Any:
        """The room's mean per item, one line per time layer; ``numbered``: the projector's radar,
        its axes numbered 1…n and no legend or ring values (:meth:`radar_key_html` lists them)."""
        data = self._labelled(self.summary).rename(columns={"mean": "value"})[["item", "series", "value"]]
        items = list(self.item_labels.values())
        if numbered:
            numbers = {label: str(n) for n, label in enumerate(items, start=1)}
            data = data.assign(item=data["item"].map(numbers))
            items = list(numbers.values())
        return radar.radar_chart(
            data,
            items=items,
            series_order=list(self.layer_labels.values()),
            scale_min=self.activity.scale.min,
            scale_max=self.activity.scale.max,
            size=size,
            label_font=label_font,
            legend=not numbered,
            ring_values=not numbered,
        )

    def radar_key_html(self) -> str:
        """What a numbered radar shows, in the page's text size: its series (colour and shape
        as drawn), the scale, and the items the numbers stand for."""
        symbols = {"circle": "●", "square": "■", "triangle-up": "▲", "diamond": "◆", "triangle-down": "▼", "cross": "✚"}
        series = "".join(
            f"<li><span class='vt-radar-symbol' style='color:{colour}' aria-hidden='true'>{symbols.get(shape, '●')}</span> "
            f"{html.escape(name)}</li>"
            for name, colour, shape in radar.legend_entries(self.layer_labels.values())
        )
        scale = html.escape(self.tr("radar_scale", min=f"{self.activity.scale.min:g}", max=f"{self.activity.scale.max:g}"))
        items = "".join(f"<li>{html.escape(label)}</li>" for label in self.item_labels.values())
        return (
            f"<div class='vt-radar-key'><ul class='vt-radar-series'>{series}</ul>"
            f"<p class='vt-radar-scale'>{scale}</p><ol class='vt-radar-items'>{items}</ol></div>"
        )

    def spread(self) -> Any:
        """Min–max, quartiles and mean per item and layer."""
        data = self._labelled(self.summary)
        data = data[data["n"] > 0]
        return spread_chart(
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
        return radar_grid.group_radars(
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

    def biggest_gap(self) -> tuple[str, float, float] | None:
        """``(item id, now, future)``: the item whose room mean differs most between the last two
        time layers (now and the future), or None with fewer than two layers or no such item."""
        layers = self.activity.layer_ids
        if len(layers) < 2:
            return None
        means = self.summary.set_index(["item", "layer"])["mean"]
        pairs = [(i.id, means[(i.id, layers[-2])], means[(i.id, layers[-1])]) for i in self.activity.items]
        pairs = [p for p in pairs if not (pd.isna(p[1]) or pd.isna(p[2]))]
        return max(pairs, key=lambda p: abs(p[2] - p[1])) if pairs else None

    def summary_text(self) -> str | None:
        """The key result in one line: the biggest gap between now and the future (the 360),
        or with one layer the highest and the lowest item."""
        if not self.respondents:
            return None
        labels = self.item_labels
        gap = self.biggest_gap()
        if gap is not None:
            layers = list(self.layer_labels.values())
            return self.tr("sum_gap", now=layers[-2], future=layers[-1], item=labels[gap[0]], a=f"{gap[1]:.1f}", b=f"{gap[2]:.1f}")
        means = self.summary.dropna(subset=["mean"]).groupby("item")["mean"].mean()
        if means.empty:
            return None
        return self.tr("sum_high_low", high=f"{labels[means.idxmax()]} {means.max():.1f}", low=f"{labels[means.idxmin()]} {means.min():.1f}")


class HeatmapResults(_Results):
    """A rating matrix with columns (knowing – trust – commitment): heatmap and column means."""

    #: the projector's heatmap sets its own sizes (see :meth:`heatmap_html`): no further scaling
    PRESENTER_TEXT_SCALE = 1.0

    activity: RatingMatrix

    @property
    def respondents(self) -> int:
        return aggregate.respondent_count(self.frame)

    def stats(self) -> pd.DataFrame:
        """Mean, spread and count per item and layer (``aggregate.rating_summary``)."""
        return aggregate.rating_summary(self.frame, [i.id for i in self.activity.items], self.activity.layer_ids)

    def item_means(self) -> pd.Series:
        """Item id -> the cell's mean (over the layers), NaN where nobody rated it."""
        return self.stats().groupby("item")["mean"].mean()

    def column_means(self) -> pd.DataFrame:
        """``column, mean, n``: the mean of every rating given in the column."""
        col_of = {i.id: i.column for i in self.activity.items}
        f = self.frame[self.frame["value"].notna()]
        g = f.assign(column=f["item"].map(col_of)).groupby("column")["value"]
        out = pd.DataFrame({"mean": g.mean(), "n": g.count()}).reindex([c.id for c in self.activity.columns])
        return out.reset_index().rename(columns={"index": "column"})

    def heatmap_html(self, *, cell_width: int = 230, presenting: bool = False) -> str:
        """The heatmap; ``presenting``: the projector's wide, low layout with large text and each
        column's mean in its heading (the screen shows no separate column means)."""
        summary = self.item_means()
        heading = {c.id: self.tr.label(c) for c in self.activity.columns}
        if presenting:
            means = {r.column: r.mean for r in self.column_means().itertuples()}
            heading = {k: v + ("" if pd.isna(means.get(k)) else f" · {means[k]:.1f}") for k, v in heading.items()}
        rows = []
        for column, items in self.activity.column_items():
            for row, item in enumerate(items, start=1):
                rows.append({"column": heading.get(column.id, "") if column else "", "row": row,
                             "label": self.tr.label(item, short=True), "mean": summary.get(item.id)})
        sizes = {"cell_width": 400, "cell_height": 96, "text_size": 30, "presenting": True} if presenting else {"cell_width": cell_width}
        chart = heatmap_chart(
            pd.DataFrame(rows), columns=[heading[c.id] for c in self.activity.columns],
            scale_min=self.activity.scale.min, scale_max=self.activity.scale.max, **sizes,
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
        summary = self.stats()
        by_item = {r.item: r for r in summary.itertuples()}
        rows = []
        for column, items in self.activity.column_items():
            for item in items:
                r = by_item.get(item.id)
                value = "–" if r is None or r.n == 0 else f"<span class='vt-mean'>{r.mean:.1f}</span> <span class='vt-muted'>({self.tr('sd')} {r.std:.1f}, n={r.n})</span>"
                rows.append([esc(self.tr.label(item)), esc(self.tr.label(column)) if column else "", value])
        return _table(self.tr("heatmap_caption"), [esc(self.tr("dimension")), esc(self.tr("column")), esc(self.tr("mean"))], rows)

    def summary(self) -> str | None:
        """The highest and the lowest cell of the heatmap with their means."""
        means = self.item_means().dropna()
        if means.empty:
            return None
        columns = {c.id: self.tr.label(c) for c in self.activity.columns}

        def cell(item_id: str) -> str:
            item = next(i for i in self.activity.items if i.id == item_id)
            return f"{self.tr.label(item, short=True)} ({columns.get(item.column or '', '')}) {means[item_id]:.1f}"

        return self.tr("sum_high_low", high=cell(means.idxmax()), low=cell(means.idxmin()))

    def _blocks(self, role: str) -> list[tuple[str, str]]:
        if role == "screen":
            return [("heatmap", self.heatmap_html(presenting=True))]
        return [("heatmap", self.heatmap_html()), ("columns", self.column_means_html()), ("table", self.table_html())]


def rating_summary(store: SessionStore, session: SessionInfo, activity: RatingMatrix, tr: Translator) -> str | None:
    """The rating matrix's line for the report's summary: the radar's gap, or the heatmap's cells."""
    if activity.chart == "heatmap":
        return HeatmapResults.load(store, session, activity, tr).summary()
    return RatingResults.load(store, session, activity, tr).summary_text()


def rating_results(activity: RatingMatrix) -> type[_Results] | None:
    """A rating matrix drawn as a heatmap has blocks; the radar is drawn by its console."""
    return HeatmapResults if activity.chart == "heatmap" else None

"""The allocation's results: the room's mean split as stacked shares, the table, and the
spread of individual splits."""
from __future__ import annotations

import pandas as pd

from ... import aggregate
from ...chart_render import to_svg
from ...html_blocks import esc, svg_img
from ...kind_charts import spread_chart
from ...results import _Results, _table
from .charts import shares_chart
from .model import Allocation

__all__ = ["AllocationResults"]


# ---------------------------------------------------------------------- allocation
class AllocationResults(_Results):
    """The room's mean split of the points, and the spread of individual splits."""

    activity: Allocation

    def complete(self) -> pd.DataFrame:
        """Answers of layers whose points add up to the total (others are left out)."""
        f = self.frame[self.frame["value"].notna()]
        sums = f.groupby(["participant_id", "layer"])["value"].transform("sum")
        return f[sums == self.activity.total]

    @property
    def respondents(self) -> int:
        return int(self.complete()["participant_id"].nunique())

    def stats(self) -> pd.DataFrame:
        """Mean, spread and count per option and layer of the complete splits (``aggregate.rating_summary``)."""
        return aggregate.rating_summary(self.complete(), [o.id for o in self.activity.options], self.activity.layer_ids)

    def _labelled(self, frame: pd.DataFrame, short: bool = True) -> pd.DataFrame:
        labels = {o.id: self.tr.label(o, short=short) for o in self.activity.options}
        return frame.assign(label=frame["item"].map(labels), series=frame["layer"].map(self._layer_labels()))

    def shares_html(self, *, width: int = 560) -> str:
        data = self._labelled(self.stats()).rename(columns={"mean": "value"})
        data = data[data["n"] > 0]
        chart = shares_chart(
            data[["label", "series", "value"]], labels=[self.tr.label(o, short=True) for o in self.activity.options],
            series=list(self._layer_labels().values()), total=self.activity.total, x_title=self.tr("points_axis"), width=width,
        )
        return svg_img(to_svg(chart), self.tr("allocation_alt", title=self._title(), n=self.respondents))

    def spread_html(self) -> str:
        data = self._labelled(self.stats())
        data = data[data["n"] > 0].drop(columns=["item"]).rename(columns={"label": "item"})
        chart = spread_chart(
            data[["item", "series", "mean", "min", "max", "q1", "q3", "n"]],
            items=[self.tr.label(o, short=True) for o in self.activity.options], scale_min=0, scale_max=self.activity.total,
            series_order=list(self._layer_labels().values()),
        )
        return f"<h4>{esc(self.tr('spread_title'))}</h4>" + svg_img(to_svg(chart), self.tr("spread_alt"))

    def table_html(self) -> str:
        summary = self.stats()
        layers = self._layer_labels()
        rows = []
        for o in self.activity.options:
            cells = [esc(self.tr.label(o))]
            for layer in layers:
                r = summary[(summary["item"] == o.id) & (summary["layer"] == layer)].iloc[0]
                cells.append("–" if r["n"] == 0 else f"<span class='vt-mean'>{r['mean']:.0f}</span> <span class='vt-muted'>({r['min']:.0f}–{r['max']:.0f})</span>")
            rows.append(cells)
        return _table(self.tr("allocation_caption", total=self.activity.total), [esc(self.tr("option"))] + [esc(v) for v in layers.values()], rows)

    def summary(self) -> str | None:
        """The mean split, per layer."""
        if not self.respondents:
            return None
        stats, layers = self.stats(), self._layer_labels()
        labels = {o.id: self.tr.label(o, short=True) for o in self.activity.options}
        parts = []
        for layer, layer_label in layers.items():
            mine = stats[(stats["layer"] == layer) & (stats["n"] > 0)]
            if mine.empty:
                continue
            split = ", ".join(f"{labels[r.item]} {r.mean:.0f}" for r in mine.itertuples())
            parts.append(split + (f" ({layer_label})" if len(layers) > 1 else ""))
        return self.tr("sum_allocation", split="; ".join(parts))

    def _blocks(self, role: str) -> list[tuple[str, str]]:
        if role == "screen":
            return [("shares", self.shares_html(width=520))]
        return [("shares", self.shares_html()), ("table", self.table_html()), ("spread", self.spread_html())]

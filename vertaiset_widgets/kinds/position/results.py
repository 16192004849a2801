"""The position's results for the console, the screen and the report: where the room
stands between the poles (dots sized by how many chose a step, the mean as a tick), and
the means and medians as a table."""
from __future__ import annotations

import pandas as pd

from ...chart_render import to_svg
from ...html_blocks import esc, svg_img
from ...results import _Results, _table
from .charts import position_chart
from .model import Position

__all__ = ["PositionResults"]


class PositionResults(_Results):
    """Where the room places itself between the two poles, per layer."""

    activity: Position

    def counts(self) -> pd.DataFrame:
        f = self.frame[self.frame["value"].notna()]
        index = pd.MultiIndex.from_product([self.activity.layer_ids, range(1, self.activity.points + 1)], names=["layer", "point"])
        counts = f.groupby(["layer", f["value"].astype(int).rename("point")]).size()
        return counts.reindex(index, fill_value=0).rename("count").reset_index()

    def means(self) -> pd.DataFrame:
        f = self.frame[self.frame["value"].notna()]
        g = f.groupby("layer")["value"]
        out = pd.DataFrame({"mean": g.mean(), "median": g.median(), "n": g.count()}).reindex(self.activity.layer_ids)
        return out.reset_index()

    def chart_html(self, *, width: int = 620) -> str:
        layers = self._layer_labels()
        counts = self.counts().assign(series=lambda d: d["layer"].map(layers))
        means = self.means().dropna(subset=["mean"]).assign(series=lambda d: d["layer"].map(layers))
        chart = position_chart(
            counts[["series", "point", "count"]], series=list(layers.values()), points=self.activity.points,
            left=self.tr.text(self.activity.left), right=self.tr.text(self.activity.right), means=means[["series", "mean"]], width=width,
        )
        return svg_img(to_svg(chart), self.tr("position_alt", title=self._title(), n=self.respondents))

    def table_html(self) -> str:
        layers = self._layer_labels()
        rows = []
        for r in self.means().itertuples():
            if pd.isna(r.mean):
                rows.append([esc(layers[r.layer]), "–", "–", "0"])
            else:
                rows.append([esc(layers[r.layer]), f"{r.mean:.1f}", f"{r.median:g}", str(int(r.n))])
        caption = self.tr("position_caption", left=self.tr.text(self.activity.left), right=self.tr.text(self.activity.right), points=self.activity.points)
        return _table(caption, [esc(self.tr("layer")), esc(self.tr("mean")), esc(self.tr("median")), "n"], rows)

    def summary(self) -> str | None:
        """The mean position between the poles, per layer."""
        means = self.means().dropna(subset=["mean"])
        if means.empty:
            return None
        layers = self._layer_labels()
        values = ", ".join(f"{r.mean:.1f}" + (f" ({layers[r.layer]})" if len(layers) > 1 else "") for r in means.itertuples())
        return self.tr("sum_position", means=values, points=self.activity.points,
                       left=self.tr.text(self.activity.left), right=self.tr.text(self.activity.right))

    def _blocks(self, role: str) -> list[tuple[str, str]]:
        if role == "screen":
            return [("chart", self.chart_html(width=560))]
        return [("chart", self.chart_html()), ("table", self.table_html())]

"""The choice's results for the console, the screen and the report: bars per layer, the
table with shares, and the breakdown by a check-in field (e.g. the levels by sector)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from ...chart_render import to_svg
from ...html_blocks import esc, svg_img
from ...kind_charts import bars_chart
from ...results import _Results, _table
from ...store import ActivityState, SessionInfo
from .model import Choice

if TYPE_CHECKING:
    from ...store import SessionStore

__all__ = ["ChoiceResults"]

# On the room's screen charts are drawn small and the page scales them up to the panel:
# an SVG stays sharp, and every word in it grows with it (legible at the back of the room).


class ChoiceResults(_Results):
    """How many chose each option (or how many dots it got), per layer."""

    activity: Choice

    def counts(self) -> pd.DataFrame:
        """``option, layer, value``: every option × layer, zeros included."""
        options = [o.id for o in self.activity.options]
        layers = self.activity.layer_ids
        chosen = self.frame[self.frame["value"] > 0]
        sums = chosen.groupby(["item", "layer"])["value"].sum()
        index = pd.MultiIndex.from_product([options, layers], names=["item", "layer"])
        return sums.reindex(index, fill_value=0).rename("value").reset_index().rename(columns={"item": "option"})

    @property
    def respondents(self) -> int:
        return int(self.frame.loc[self.frame["value"] > 0, "participant_id"].nunique())

    def layer_respondents(self) -> dict[str, int]:
        """Layer -> how many chose something in it (the shares' base)."""
        return {
            layer: int(self.frame[(self.frame["layer"] == layer) & (self.frame["value"] > 0)]["participant_id"].nunique())
            for layer in self._layer_labels()
        }

    def _labelled(self) -> pd.DataFrame:
        labels = {o.id: self.tr.label(o, short=True) for o in self.activity.options}
        layers = self._layer_labels()
        counts = self.counts()
        return counts.assign(label=counts["option"].map(labels), series=counts["layer"].map(layers))

    def chart_html(self, *, width: int = 520) -> str:
        data = self._labelled()
        x_title = self.tr("dots_axis") if self.activity.mode == "dots" else self.tr("choices_axis")
        chart = bars_chart(
            data[["label", "series", "value"]], labels=[self.tr.label(o, short=True) for o in self.activity.options],
            series=list(self._layer_labels().values()), x_title=x_title, width=width, value_format=".0f",
        )
        return svg_img(to_svg(chart), self.tr("choice_alt", title=self._title(), n=self.respondents))

    def table_html(self) -> str:
        counts = self.counts()
        layers = self._layer_labels()
        per_layer = self.layer_respondents()
        rows = []
        for o in self.activity.options:
            cells = [esc(self.tr.label(o))]
            for layer in layers:
                value = counts[(counts["option"] == o.id) & (counts["layer"] == layer)]["value"].sum()
                share = f" ({100 * value / per_layer[layer]:.0f} %)" if per_layer[layer] and self.activity.mode != "dots" else ""
                cells.append(f"{value:.0f}{share}")
            rows.append(cells)
        rows.append([esc(self.tr("respondents"))] + [str(per_layer[layer]) for layer in layers])
        return _table(self.tr("choice_caption"), [esc(self.tr("option"))] + [esc(v) for v in layers.values()], rows)

    def _more(self, store: SessionStore, session: SessionInfo, state: ActivityState) -> None:
        breakdown = self.activity.breakdown
        self.breakdown_field = None
        if breakdown is not None:  # who said what in the check-in: participant -> option id
            from ...content import load_content

            target = load_content().activity(breakdown.activity)
            self.breakdown_field = next(f for f in target.fields if f.id == breakdown.field)
            self.extra["groups"] = {
                str(a.participant_id): a.value_text for a in store.answers(session.id, breakdown.activity)
                if a.item == breakdown.field and a.value_text
            }

    def breakdown_html(self, content_field: Any) -> str:
        """Counts per option and group (e.g. sector), one column per group and layer."""
        groups = self.extra.get("groups", {})
        layers = self._layer_labels()
        chosen = self.frame[self.frame["value"] > 0].assign(group=lambda f: f["participant_id"].astype(str).map(groups))
        head = [esc(self.tr("option"))]
        keys = []
        for option in content_field.options:
            for layer, label in layers.items():
                head.append(f"{esc(self.tr.label(option))}<br><span class='vt-muted'>{esc(label)}</span>" if len(layers) > 1 else esc(self.tr.label(option)))
                keys.append((option.id, layer))
        rows = []
        for o in self.activity.options:
            mine = chosen[chosen["item"] == o.id]
            rows.append([esc(self.tr.label(o))] + [
                str(int(mine[(mine["group"] == g) & (mine["layer"] == layer)]["value"].sum())) for g, layer in keys
            ])
        return _table(self.tr("breakdown_caption", field=self.tr.text(content_field.label)), head, rows)

    def summary(self) -> str | None:
        """The most chosen option and its share of the respondents (its dots), per layer."""
        if not self.respondents:
            return None
        counts, layers = self.counts(), self._layer_labels()
        labels = {o.id: self.tr.label(o, short=True) for o in self.activity.options}
        answered, parts = self.layer_respondents(), []
        for layer, layer_label in layers.items():
            mine = counts[counts["layer"] == layer]
            top = mine["value"].max()
            if not top:
                continue
            names = " / ".join(labels[o] for o in mine.loc[mine["value"] == top, "option"])
            amount = self.tr("sum_dots", n=f"{top:.0f}") if self.activity.mode == "dots" else f"{100 * top / answered[layer]:.0f} %"
            parts.append(f"{names} {amount}" + (f" ({layer_label})" if len(layers) > 1 else ""))
        return self.tr("sum_choice", top="; ".join(parts))

    def _blocks(self, role: str) -> list[tuple[str, str]]:
        if role == "screen":
            return [("chart", self.chart_html(width=460))]
        blocks = [("chart", self.chart_html()), ("table", self.table_html())]
        if self.breakdown_field is not None and self.extra.get("groups"):
            blocks.append(("breakdown", self.breakdown_html(self.breakdown_field)))
        return blocks

"""Pirstaloitumisen riskit for the console, the screen and the report: risk × time and risk ×
relationship of the 360 ring as heatmaps, the strongest risks now and the most threatened
relationships in words, and the numbers as tables."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from ...chart_render import to_svg
from ...html_blocks import esc, svg_img
from ...results import _Results, _table
from ...store import ActivityState, SessionInfo
from .charts import risk_heatmap
from .model import FragmentationRisks
from .ratings import RiskRating, actor_counts, load_ratings, time_means

if TYPE_CHECKING:
    from ...store import SessionStore

__all__ = ["FragmentationRisksResults"]


class FragmentationRisksResults(_Results):
    """Two heatmaps, the summary and the tables."""

    #: the cells hold their numbers at this size; larger text would spill out of them
    PRESENTER_TEXT_SCALE = 1.25

    activity: FragmentationRisks

    def _more(self, store: SessionStore, session: SessionInfo, state: ActivityState) -> None:
        self.ratings: list[RiskRating] = load_ratings(store, session.id, self.activity, round=state.round)
        self.means = time_means(self.ratings, self.activity)
        self.actors = actor_counts(self.ratings, self.activity)

    def counts_html(self) -> str:
        rated = len({r.risk for r in self.ratings})
        return (f"<p class='vt-stat' data-vt-respondents='{self.respondents}' data-vt-ratings='{len(self.ratings)}'>"
                f"{esc(self.tr('fr_counts', n=self.respondents, risks=rated, total=len(self.activity.risks), ratings=len(self.ratings)))}</p>")

    # charts ----------------------------------------------------------------
    def time_frame(self) -> pd.DataFrame:
        rows = []
        for risk in self.activity.risks:
            for layer in self.activity.layers:
                mean = self.means.get((risk.id, layer.id))
                rows.append({"row": self.tr.label(risk), "column": self.tr.label(layer),
                             "value": mean[0] if mean else float("nan"), "text": f"{mean[0]:.1f}" if mean else "–"})
        return pd.DataFrame(rows, columns=["row", "column", "value", "text"])

    def actor_frame(self) -> pd.DataFrame:
        rows = []
        for risk in self.activity.risks:
            for actor in self.activity.actors:
                marked, raters = self.actors[(risk.id, actor.id)]
                rows.append({"row": self.tr.label(actor, short=True), "column": self.tr.label(risk),
                             "value": marked / raters if raters else float("nan"), "text": f"{marked}/{raters}" if raters else "–"})
        return pd.DataFrame(rows, columns=["row", "column", "value", "text"])

    def time_html(self, *, cell_width: int = 150) -> str:
        act = self.activity
        chart = risk_heatmap(self.time_frame(), rows=[self.tr.label(r) for r in act.risks],
                             columns=[self.tr.label(layer) for layer in act.layers], domain=(act.scale.min, act.scale.max),
                             legend_title=self.tr("fr_time_legend"), title=self.tr("fr_time_title"), cell_width=cell_width,
                             column_wrap=16)
        summary = "; ".join(f"{self.tr.label(r)}: " + ", ".join(
            f"{self.tr.label(layer)} {self.means[(r.id, layer.id)][0]:.1f}" if (r.id, layer.id) in self.means else f"{self.tr.label(layer)} –"
            for layer in act.layers) for r in act.risks)
        return svg_img(to_svg(chart), self.tr("fr_time_alt", summary=summary), css="vt-chart vt-fr-time")

    def actor_html(self, *, cell_width: int = 112, column_wrap: int = 14) -> str:
        """The 360 ring's relationships (rows) by risk (columns): the risks' names are short, the ring's long."""
        act = self.activity
        chart = risk_heatmap(self.actor_frame(), rows=[self.tr.label(a, short=True) for a in act.actors],
                             columns=[self.tr.label(r) for r in act.risks], domain=(0, 1),
                             legend_title=self.tr("fr_actor_legend"), title=self.tr("fr_actor_title"), cell_width=cell_width,
                             column_wrap=column_wrap, value_format="%")
        summary = "; ".join(f"{self.tr.label(r)}: " + (", ".join(
            f"{self.tr.label(a, short=True)} {self.actors[(r.id, a.id)][0]}/{self.actors[(r.id, a.id)][1]}"
            for a in act.actors if self.actors[(r.id, a.id)][0]) or "–") for r in act.risks)
        return svg_img(to_svg(chart), self.tr("fr_actor_alt", summary=summary), css="vt-chart vt-fr-actors")

    # words and tables ------------------------------------------------------
    def now_layer(self) -> Any:
        """The middle time layer (now), or the only one."""
        layers = self.activity.layers
        return layers[len(layers) // 2] if len(layers) > 1 else layers[0]

    def strongest(self, n: int = 3) -> list[tuple[float, Any]]:
        """``(mean, risk)`` of the ``n`` strongest risks now, the strongest first."""
        now = self.now_layer()
        return sorted(((m[0], r) for r in self.activity.risks if (m := self.means.get((r.id, now.id)))), key=lambda x: -x[0])[:n]

    def strongest_text(self) -> str:
        """The strongest risks now in words (``Risk 3.4, Other 2.9``), or "–"."""
        return ", ".join(f"{self.tr.label(r)} {m:.1f}" for m, r in self.strongest()) or "–"

    def summary(self) -> str | None:
        """The strongest risks now, with their means."""
        if not self.strongest():
            return None
        return self.tr("sum_listed", text=self.tr("fr_strongest", layer=self.tr.label(self.now_layer())), items=self.strongest_text())

    def summary_html(self) -> str:
        """The strongest risks in the middle time layer (now) and the most threatened relationships."""
        act, tr = self.activity, self.tr
        now = self.now_layer()
        threatened: dict[str, int] = {}
        for (risk, actor), (marked, _raters) in self.actors.items():
            threatened[actor] = threatened.get(actor, 0) + marked
        top = sorted(((n, a) for a in act.actors if (n := threatened.get(a.id, 0))), key=lambda x: -x[0])[:3]
        risks = self.strongest_text()
        actors = ", ".join(f"{tr.label(a, short=True)} ({n})" for n, a in top) or "–"
        # each pair in its own row: the label beside its value, or above it where they do not fit side by side
        return (f"<dl class='vt-fr-summary'><div class='vt-fr-pair'><dt>{esc(tr('fr_strongest', layer=tr.label(now)))}</dt>"
                f"<dd>{esc(risks)}</dd></div><div class='vt-fr-pair'><dt>{esc(tr('fr_most_threatened'))}</dt>"
                f"<dd>{esc(actors)}</dd></div></dl>")

    def tables_html(self) -> str:
        act, tr = self.activity, self.tr
        rows = []
        for r in act.risks:
            cells = []
            for layer in act.layers:
                m = self.means.get((r.id, layer.id))
                cells.append(f"{m[0]:.1f} <span class='vt-muted'>(n={m[1]})</span>" if m else "–")
            rows.append([esc(tr.label(r)), *cells])
        times = _table(tr("fr_time_table"), [esc(tr("fr_risk")), *(esc(tr.label(layer)) for layer in act.layers)], rows,
                       css="vt-table vt-fr-time-table")
        # the relationships down the side and the risks (one word or two) across: eight relationships
        # across would not fit a laptop's width even with their short names
        rows = [[esc(tr.label(a, short=True)), *(f"{self.actors[(r.id, a.id)][0]}/{self.actors[(r.id, a.id)][1]}" for r in act.risks)]
                for a in act.actors]
        actors = _table(tr("fr_actor_table"), [esc(tr("fr_relationship")), *(esc(tr.label(r)) for r in act.risks)], rows,
                        css="vt-table vt-fr-actor-table")
        return times + actors

    def _blocks(self, role: str) -> list[tuple[str, str]]:
        if role == "screen":
            return [("time", self.time_html(cell_width=110)), ("actors", self.actor_html(cell_width=120))]
        return [("summary", self.summary_html()), ("time", self.time_html()),
                ("actors", self.actor_html()), ("tables", self.tables_html())]

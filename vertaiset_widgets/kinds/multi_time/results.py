"""Moniaikaisuus for the console, the screen and the report: the matrix of decisions and the
clocks that drive them (counts), beside it each decision's time of impact (the most common
outlined, the spread in the counts), and a table of the same."""
from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

import pandas as pd

from ...chart_render import to_svg
from ...html_blocks import esc, svg_img
from ...results import _Results, _table
from ...store import ActivityState, SessionInfo
from .charts import time_matrix
from .model import MultiTime
from .placements import Decision, Placement, load

if TYPE_CHECKING:
    from ...store import SessionStore

__all__ = ["MultiTimeResults"]


class MultiTimeResults(_Results):
    """The decisions × clocks matrix with the times of impact, and the table."""

    activity: MultiTime
    #: the matrix's cells grow with the projector's text; twice as large would not fit a screen
    PRESENTER_TEXT_SCALE = 1.6

    def _more(self, store: SessionStore, session: SessionInfo, state: ActivityState) -> None:
        self.decisions: list[Decision]
        self.placements: list[Placement]
        self.decisions, self.placements = load(store, session.id, self.activity, round=state.round)
        self.extra["decisions"] = [d.id for d in self.decisions]

    def _has_content(self) -> bool:
        return bool(self.placements)

    def counts(self, layer: str) -> dict[str, Counter]:
        """Per decision id, how many placed it at each clock (``layer`` ``clock``) or time of impact (``impact``)."""
        out: dict[str, Counter] = {d.id: Counter() for d in self.decisions}
        for p in self.placements:
            out[p.decision][getattr(p, layer)] += 1
        return out

    def _label(self, d: Decision) -> str:
        return d.label(self.tr, self.activity)

    def _rows(self) -> list[Decision]:
        """The decisions someone placed (the others would be empty rows)."""
        placed = {p.decision for p in self.placements}
        return [d for d in self.decisions if d.id in placed]

    def _names(self) -> dict[str, str]:
        """Each shown decision's label, made unique (an added decision may read like a starter in another language)."""
        out: dict[str, str] = {}
        seen: Counter = Counter()
        for d in self._rows():
            label = self._label(d)
            seen[label] += 1
            out[d.id] = label if seen[label] == 1 else f"{label} ({seen[label]})"
        return out

    def matrix_frame(self, layer: str) -> pd.DataFrame:
        """One row per shown decision and clock (or time of impact): ``row``, ``column``, ``count`` and ``mode``."""
        items = self.activity.clocks if layer == "clock" else self.activity.impacts
        names, counts = self._names(), self.counts(layer)
        rows: list[dict[str, Any]] = []
        for d in self._rows():
            top = max(counts[d.id].values(), default=0)
            for item in items:
                n = counts[d.id][item.id]
                rows.append({"row": names[d.id], "column": self.tr.label(item), "count": n, "mode": bool(n and n == top)})
        return pd.DataFrame(rows, columns=["row", "column", "count", "mode"])

    def counts_text(self) -> str:
        """How many decisions, placements and placers."""
        people = len({p.participant_id for p in self.placements})
        return self.tr("mt_counts", decisions=len(self.decisions), placements=len(self.placements), n=people)

    def summary(self) -> str | None:
        """The counts (:meth:`counts_text`) once something is placed."""
        return self.counts_text() if self.placements else None

    def counts_html(self) -> str:
        return (f"<p class='vt-stat' data-vt-respondents='{self.respondents}' data-vt-decisions='{len(self.decisions)}' "
                f"data-vt-placements='{len(self.placements)}'>{esc(self.counts_text())}</p>")

    def matrix_html(self) -> str:
        names = self._names()
        if not names:  # decisions added, none placed yet
            return f"<p class='vt-muted'>{esc(self.tr('mt_none_placed'))}</p>"
        chart = time_matrix(
            self.matrix_frame("clock"), self.matrix_frame("impact"), decisions=list(names.values()),
            clock_labels=[self.tr.label(c) for c in self.activity.clocks],
            impact_labels=[self.tr.label(i) for i in self.activity.impacts],
            clock_title=self.tr("mt_clock"), impact_title=self.tr("mt_impact"),
        )
        alt_text = self.tr("mt_alt", n=len(names), clocks=len(self.activity.clocks))
        return svg_img(to_svg(chart), alt_text, css="vt-chart vt-mt-matrix")

    def _spread(self, counter: Counter, items: Any) -> str:
        return " · ".join(f"{self.tr.label(i)} {counter[i.id]}" for i in items if counter[i.id])

    def table_html(self) -> str:
        tr, act = self.tr, self.activity
        clocks, impacts = self.counts("clock"), self.counts("impact")
        labels = {i.id: tr.label(i) for i in (*act.clocks, *act.impacts)}
        rows = []
        for d in self.decisions:
            n = sum(clocks[d.id].values())
            top_clock = ", ".join(labels[c] for c, k in clocks[d.id].items() if k == max(clocks[d.id].values())) if n else "–"
            top_impact = ", ".join(labels[c] for c, k in impacts[d.id].items() if k == max(impacts[d.id].values())) if n else "–"
            rows.append([esc(self._label(d)), esc(top_clock), esc(top_impact), esc(self._spread(impacts[d.id], act.impacts) or "–"), str(n)])
        head = [tr("mt_decision"), tr("mt_top_clock"), tr("mt_top_impact"), tr("mt_spread"), "n"]
        return _table(tr("mt_table"), [esc(h) for h in head], rows)

    def _blocks(self, role: str) -> list[tuple[str, str]]:
        if role == "screen":
            return [("matrix", self.matrix_html())]
        return [("matrix", self.matrix_html()), ("table", self.table_html())]

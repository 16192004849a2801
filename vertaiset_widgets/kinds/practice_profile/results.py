"""The practice profiles for the console, the screen and the report: each partnership's weak
and strong practices as bars (``n/5``, ``n/7``), the ones that combine both marked, the source's
point beside them, and a table of which practices each partnership has."""
from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from ...chart_render import to_svg
from ...html_blocks import esc, svg_img
from ...results import _Results, _table
from ...store import ActivityState, SessionInfo
from .charts import profile_bars
from .model import PracticeProfile
from .profiles import Profile, load_profiles

if TYPE_CHECKING:
    from ...store import SessionStore

__all__ = ["PracticeProfileResults"]


class PracticeProfileResults(_Results):
    """A profile per partnership, the source's point (*kehittämispöytätyöt* combine both) and the table."""

    activity: PracticeProfile

    def _more(self, store: SessionStore, session: SessionInfo, state: ActivityState) -> None:
        self.profiles: list[Profile] = load_profiles(store, session.id, self.activity, round=state.round)
        self.extra["profiles"] = [(p.id, p.weak, p.strong) for p in self.profiles]

    def _has_content(self) -> bool:
        return bool(self.profiles)

    @property
    def combining(self) -> list[Profile]:
        """The partnerships that combine both kinds of practice."""
        return [p for p in self.profiles if p.combines_both]

    def summary(self) -> str | None:
        """How many partnerships, how many of them combine both kinds of practice, and how many marked."""
        if not self.profiles:
            return None
        return self.tr("pp_counts", partnerships=len(self.profiles), both=len(self.combining), n=self.respondents)

    def counts_html(self) -> str:
        return (
            f"<p class='vt-stat' data-vt-respondents='{self.respondents}' data-vt-profiles='{len(self.profiles)}' "
            f"data-vt-both='{len(self.combining)}'>"
            f"{esc(self.tr('pp_counts', partnerships=len(self.profiles), both=len(self.combining), n=self.respondents))}</p>"
        )

    def point_html(self) -> str:
        """The source's point: strong ties make service production efficient, weak ties keep it
        renewing, and network-like development work combines both."""
        return (f"<aside class='vt-pp-point'><p><strong>{esc(self.tr('pp_point_title'))}</strong> "
                f"{esc(self.tr('pp_point', n=self.activity.both_min))}</p></aside>")

    def frame_for_chart(self) -> pd.DataFrame:
        """Two rows per partnership: the weak list's count and the strong list's, with their totals."""
        weak, strong = self.tr("pp_weak"), self.tr("pp_strong")
        rows = []
        for p in self.profiles:
            rows.append({"partnership": p.name, "series": weak, "value": len(p.weak), "total": len(self.activity.weak)})
            rows.append({"partnership": p.name, "series": strong, "value": len(p.strong), "total": len(self.activity.strong)})
        return pd.DataFrame(rows, columns=["partnership", "series", "value", "total"])

    def chart_html(self) -> str:
        chart = profile_bars(
            self.frame_for_chart(), partnerships=[p.name for p in self.profiles],
            series=[self.tr("pp_weak"), self.tr("pp_strong")], both=[p.name for p in self.combining],
            both_label=self.tr("pp_both_short"), x_title=self.tr("pp_axis"),
        )
        alt_text = self.tr("pp_alt", n=len(self.profiles), both=len(self.combining),
                           names=", ".join(p.name for p in self.combining) or "–")
        return svg_img(to_svg(chart), alt_text, css="vt-chart vt-pp-chart")

    def table_html(self) -> str:
        tr = self.tr
        labels = {p.id: tr.label(p) for p in (*self.activity.weak, *self.activity.strong)}
        rows = []
        for p in self.profiles:
            both = esc(tr("pp_both_short")) if p.combines_both else ""
            rows.append([
                esc(p.name),
                f"{len(p.weak)}/{len(self.activity.weak)}: " + esc("; ".join(labels[i] for i in p.weak) or "–"),
                f"{len(p.strong)}/{len(self.activity.strong)}: " + esc("; ".join(labels[i] for i in p.strong) or "–"),
                both,
            ])
        head = [tr("pp_partnership"), tr("pp_weak"), tr("pp_strong"), tr("pp_both_head")]
        return _table(tr("pp_table"), [esc(h) for h in head], rows, css="vt-table vt-pp-table")

    def _blocks(self, role: str) -> list[tuple[str, str]]:
        if role == "screen":
            return [("profiles", self.chart_html()), ("point", self.point_html())]
        return [("profiles", self.chart_html()), ("point", self.point_html()),
                ("table", self.table_html())]

"""Vertaisoppiminen 360:ssä for the console, the screen and the report: A's and B's room
profiles as two radars side by side, B's fit of A's practice per dimension, and the tables."""
from __future__ import annotations

from typing import TYPE_CHECKING


import pandas as pd

from ...chart_base import DEFAULT_PALETTE
from ...chart_render import to_svg
from ...html_blocks import esc, svg_img
from ...results import _Results, _table
from ...store import ActivityState, SessionInfo
from ..rating_matrix.radar import radar_chart
from .charts import fit_bars
from .model import Peer360
from .pairs import Rating, fit_counts, load_ratings, pair_key, role_means

if TYPE_CHECKING:
    from ...store import SessionStore

__all__ = ["Peer360Results"]


class Peer360Results(_Results):
    """A's and B's profiles side by side, B's fit per dimension, the pairs."""

    #: the radars' labels sit close around them: larger text than this would run into each other
    PRESENTER_TEXT_SCALE = 1.4

    activity: Peer360

    def _more(self, store: SessionStore, session: SessionInfo, state: ActivityState) -> None:
        self.ratings: list[Rating] = load_ratings(store, session.id, self.activity, round=state.round)
        self.means = role_means(self.ratings, self.activity)
        self.fits = fit_counts(self.ratings, self.activity)
        self.extra["ratings"] = [(r.participant_id, r.pair, r.role, r.profile, r.fit) for r in self.ratings]

    def _has_content(self) -> bool:
        return bool(self.ratings)

    @property
    def respondents(self) -> int:
        return len(self.ratings)

    def _raters(self, role: str) -> int:
        return sum(r.role == role for r in self.ratings)

    @property
    def pairs(self) -> list[str]:
        """The pairs' names as first typed, in the order of their keys."""
        names: dict[str, str] = {}
        for r in self.ratings:
            names.setdefault(pair_key(r.pair), r.pair)
        return [names[k] for k in sorted(names)]

    def counts_html(self) -> str:
        a, b = (r.id for r in self.activity.roles)
        return (f"<p class='vt-stat' data-vt-respondents='{self.respondents}' data-vt-pairs='{len(self.pairs)}'>"
                f"{esc(self.tr('p360_counts', pairs=len(self.pairs), a=self._raters(a), b=self._raters(b)))}</p>")

    def biggest_difference(self) -> tuple[str, float, float] | None:
        """``(item id, A's mean, B's mean)`` of the dimension where B's mean differs most from A's
        (the table's "B minus A"), or None until both roles have rated one."""
        a, b = (r.id for r in self.activity.roles)
        both = [(i.id, self.means[a][i.id][0], self.means[b][i.id][0]) for i in self.activity.items
                if i.id in self.means[a] and i.id in self.means[b]]
        return max(both, key=lambda d: abs(d[2] - d[1])) if both else None

    def summary(self) -> str | None:
        """Pairs and raters, and the dimension where A's and B's profiles differ most (no pair's name)."""
        if not self.ratings:
            return None
        a, b = self.activity.roles
        text = self.tr("p360_counts", pairs=len(self.pairs), a=self._raters(a.id), b=self._raters(b.id))
        diff = self.biggest_difference()
        if diff is None:
            return text
        item = next(i for i in self.activity.items if i.id == diff[0])
        return self.tr("sum_p360", counts=text, item=self.tr.label(item, short=True), a=self.tr.label(a, short=True),
                       b=self.tr.label(b, short=True), ma=f"{diff[1]:.1f}", mb=f"{diff[2]:.1f}")

    # charts ----------------------------------------------------------------
    def _values_text(self, role: str) -> str:
        means = self.means[role]
        return "; ".join(f"{self.tr.label(i, short=True)} {means[i.id][0]:.1f}" for i in self.activity.items if i.id in means) or "–"

    def radar_img(self, n: int, *, size: int = 300, titled: bool = False) -> str:
        """The room's profile of role ``n`` (0: A, 1: B) as an image ("" when nobody rates as it yet);
        ``titled``: the role is the chart's own title (the projector shows the image alone)."""
        role = self.activity.roles[n]
        label, means = self.tr.label(role, short=True), self.means[role.id]
        if not means:
            return ""
        items = [self.tr.label(i, short=True) for i in self.activity.items]
        frame = pd.DataFrame([{"item": self.tr.label(i, short=True), "series": label, "value": means[i.id][0]}
                              for i in self.activity.items if i.id in means])
        chart = radar_chart(frame, items=items, series_order=[label], scale_min=self.activity.scale.min,
                            scale_max=self.activity.scale.max, size=size, palette=[DEFAULT_PALETTE[n]], legend=False,
                            title=label if titled else None)
        alt_text = self.tr("p360_radar_alt", role=label, n=self._raters(role.id), values=self._values_text(role.id))
        return svg_img(to_svg(chart), alt_text, css="vt-chart vt-p360-chart")

    def radar_html(self, n: int, *, size: int = 300) -> str:
        """The room's profile of role ``n`` under its role's name, or a word when nobody rates as it yet."""
        label = self.tr.label(self.activity.roles[n], short=True)
        img = self.radar_img(n, size=size) or f"<p class='vt-muted'>{esc(self.tr('p360_no_raters'))}</p>"
        return f"<figure class='vt-p360-radar'><figcaption>{esc(label)}</figcaption>{img}</figure>"

    def radars_html(self) -> str:
        """A's and B's room profiles side by side."""
        return f"<div class='vt-p360-pair'>{self.radar_html(0)}{self.radar_html(1)}</div>"

    def fit_frame(self) -> pd.DataFrame:
        rows = [{"dimension": self.tr.label(i, short=True), "fit": self.tr.label(f), "n": self.fits[i.id][f.id]}
                for i in self.activity.items for f in self.activity.fit]
        return pd.DataFrame(rows, columns=["dimension", "fit", "n"])

    def fit_html(self) -> str:
        """B's fit of A's practice per dimension."""
        listener = self.activity.roles[-1]
        if not any(sum(c.values()) for c in self.fits.values()):
            return f"<p class='vt-muted'>{esc(self.tr('p360_no_fit'))}</p>"
        chart = fit_bars(self.fit_frame(), dimensions=[self.tr.label(i, short=True) for i in self.activity.items],
                         fits=[self.tr.label(f) for f in self.activity.fit], x_title=self.tr("p360_fit_axis"),
                         title=self.tr("p360_fit_title"))
        summary = "; ".join(
            f"{self.tr.label(i, short=True)}: " + ", ".join(f"{self.tr.label(f)} {self.fits[i.id][f.id]}" for f in self.activity.fit)
            for i in self.activity.items)
        return svg_img(to_svg(chart), self.tr("p360_fit_alt", role=self.tr.label(listener, short=True), summary=summary),
                       css="vt-chart vt-p360-fit")

    # tables ----------------------------------------------------------------
    def table_html(self) -> str:
        """Per dimension: A's mean, B's mean, B minus A and B's fit counts."""
        tr, act = self.tr, self.activity
        a, b = act.roles
        rows = []
        for item in act.items:
            ma, mb = self.means[a.id].get(item.id), self.means[b.id].get(item.id)
            diff = f"{mb[0] - ma[0]:+.1f}" if ma and mb else "–"
            fits = " · ".join(f"{esc(tr.label(f))} {self.fits[item.id][f.id]}" for f in act.fit)
            rows.append([esc(tr.label(item)), f"{ma[0]:.1f}" if ma else "–", f"{mb[0]:.1f}" if mb else "–", diff, fits])
        head = [tr("dimension"), tr.label(a, short=True), tr.label(b, short=True), tr("p360_diff"), tr("p360_fit_head")]
        return _table(tr("p360_table"), [esc(h) for h in head], rows, css="vt-table vt-p360-table")

    def pairs_html(self) -> str:
        """Each pair: how many rate as A and as B, and B's fits in all."""
        tr, act = self.tr, self.activity
        a, b = (r.id for r in act.roles)
        rows = []
        for name in self.pairs:
            mine = [r for r in self.ratings if pair_key(r.pair) == pair_key(name)]
            fits = [f for r in mine if r.role == b for f in r.fit.values()]
            rows.append([esc(name), str(sum(r.role == a for r in mine)), str(sum(r.role == b for r in mine)),
                         " · ".join(f"{esc(tr.label(f))} {fits.count(f.id)}" for f in act.fit)])
        head = [tr("p360_pair"), tr("p360_a_head"), tr("p360_b_head"), tr("p360_fit_head")]
        return _table(tr("p360_pairs_table"), [esc(h) for h in head], rows, css="vt-table vt-p360-pairs-table")

    def _blocks(self, role: str) -> list[tuple[str, str]]:
        if role == "screen":  # one image per block: the projector's row of blocks scales each to fit
            blocks = [("radar_a", self.radar_img(0, size=300, titled=True)), ("radar_b", self.radar_img(1, size=300, titled=True)),
                      ("fit", self.fit_html())]
            return [(name, body) for name, body in blocks if body]
        return [("radars", self.radars_html()), ("fit", self.fit_html()),
                ("table", self.table_html()), ("pairs", self.pairs_html())]

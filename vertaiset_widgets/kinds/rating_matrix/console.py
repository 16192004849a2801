"""The rating matrix on the facilitator's console, the room's screen and in the report.

A 360 is drawn as a radar with its table, the spread and the groups' profiles; a matrix
drawn as a heatmap is the generic blocks console (and report) of :class:`HeatmapResults`.
"""
from __future__ import annotations

import html
from typing import TYPE_CHECKING

import ipywidgets as W
from IPython.display import HTML, display

from ...chart_render import show_svg, to_svg
from ...html_blocks import svg_img
from ...shared_models import plain_html
from ...consoles import ActivityConsole, BlocksConsole
from .model import RatingMatrix
from .results import RatingResults

if TYPE_CHECKING:
    from ...workbook import Workbook

__all__ = ["RatingConsole", "rating_console", "report_rating"]


class RatingConsole(ActivityConsole):
    """A rating matrix (the 360): radar, table, spread and group profiles."""

    def _results_widgets(self) -> list[W.Widget]:
        self._radar, self._spread, self._table, self._groups = (plain_html() for _ in range(4))
        if self.wb.view != "facilitator":
            return [self._radar]
        return [self._radar, self._table, self._spread, self._groups]

    def _load(self) -> RatingResults:
        return RatingResults.load(self.wb.store, self.wb.session, self.activity, self.wb.tr, self.state)

    def _counts_html(self, results: RatingResults) -> str:
        return results.counts_html()

    def _clear(self) -> None:
        self._radar.value = ""

    def _draw(self, results: RatingResults) -> None:
        # Another activity's answers also change the session's revision: draw only when
        # this activity's numbers changed (charts take seconds on a busy machine).
        key = (results.summary.to_json(), results.groups.to_json(), results.respondents)
        if key == getattr(self, "_drawn", None) and self._radar.value:
            return
        self._drawn = key
        tr = self.wb.tr
        if self.wb.role == "screen":
            # read from across the room: numbered axes in large type, the items listed beside
            chart = svg_img(to_svg(results.radar(size=330, numbered=True, label_font=34)), results.radar_alt())
            self._radar.value = f"<div class='vt-presenter-radar'>{chart}{results.radar_key_html()}</div>"
        else:
            self._radar.value = svg_img(to_svg(results.radar(size=520)), results.radar_alt())
        if self.wb.view == "facilitator":
            self._table.value = results.table_html()
            if results.respondents:
                self._spread.value = svg_img(to_svg(results.spread()), tr("spread_alt"))
            groups = results.group_radars()
            self._groups.value = (
                f"<h4>{html.escape(tr('group_profiles'))}</h4>" + svg_img(to_svg(groups), tr("groups_alt"))
                if groups is not None
                else f"<p class='vt-muted'>{html.escape(tr('no_groups'))}</p>"
            )


def rating_console(activity: RatingMatrix) -> type[ActivityConsole]:
    """The console of a rating matrix: the radar, or the blocks of a heatmap."""
    return BlocksConsole if activity.chart == "heatmap" else RatingConsole


def report_rating(wb: "Workbook", activity: RatingMatrix) -> None:
    """A rating matrix in the report: the radar with its table, or the heatmap's blocks."""
    if activity.chart == "heatmap":
        return wb.report_blocks(activity)
    assert wb.session is not None
    tr = wb.tr
    results = RatingResults.load(wb.store, wb.session, activity, tr)
    if not results.respondents:
        display(HTML(f"<p class='vt-muted'>{html.escape(tr('no_answers'))}</p>"))
        return None
    show_svg(to_svg(results.radar(size=520)), results.radar_alt())
    display(HTML(results.table_html()))
    display(HTML(f"<h4>{html.escape(tr('spread_title'))}</h4>"))
    show_svg(to_svg(results.spread()), tr("spread_alt"))
    groups = results.group_radars()
    if groups is not None:
        display(HTML(f"<h4>{html.escape(tr('group_profiles'))}</h4>"))
        show_svg(to_svg(groups), tr("groups_alt"))
    return None

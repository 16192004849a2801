"""Käytännön kypsyys for the console, the screen and the report: the ladder with each practice
on its step and its move since the previous round (↑ ↓ = +), the learning circles as the ways
up, and the table of practices with their evidence."""
from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from ...chart_render import to_svg
from ...html_blocks import esc, svg_img
from ...results import _Results, _table
from ...store import ActivityState, SessionInfo
from .charts import ladder_chart
from .model import MaturityLadder
from .panel import MOVE_MARKS
from .placements import Practice, load_practices, move, previous_practices

if TYPE_CHECKING:
    from ...store import SessionStore

__all__ = ["MaturityLadderResults"]


class MaturityLadderResults(_Results):
    """The ladder, the learning circles and the practices' table."""

    #: the ladder's words are placed by hand in pixels: larger text than this would overrun them
    PRESENTER_TEXT_SCALE = 1.5

    activity: MaturityLadder

    def _more(self, store: SessionStore, session: SessionInfo, state: ActivityState) -> None:
        self.practices: list[Practice] = load_practices(store, session.id, self.activity, round=state.round)
        self.previous: dict[str, Practice] = previous_practices(store, session, self.activity)
        self.had_previous = store.previous_round(session) is not None
        self.extra["practices"] = [(p.id, p.step, p.evidence, p.placements) for p in self.practices]
        self.extra["previous"] = sorted((k, p.step) for k, p in self.previous.items())

    def _has_content(self) -> bool:
        return True  # the ladder and its ways up are worth seeing before the first practice

    def moves(self) -> dict[str, str]:
        """Each practice's move since the previous round (``up``, ``down``, ``same``, ``new``)."""
        return {p.id: move(self.activity, p, self.previous.get(p.id)) for p in self.practices}

    def _step_label(self, step_id: str) -> str:
        return next((self.tr.label(s) for s in self.activity.steps if s.id == step_id), step_id)

    def summary(self) -> str | None:
        """How many practices are on the ladder, how many moved up and down, how many placed."""
        return self._counts_text(list(self.moves().values())) if self.practices else None

    def _counts_text(self, moves: list[str]) -> str:
        return self.tr("ml_counts", n=len(self.practices), up=moves.count("up"), down=moves.count("down"), people=self.respondents)

    def counts_html(self) -> str:
        moves = list(self.moves().values())
        return (f"<p class='vt-stat' data-vt-respondents='{self.respondents}' data-vt-practices='{len(self.practices)}' "
                f"data-vt-up='{moves.count('up')}' data-vt-down='{moves.count('down')}'>"
                f"{esc(self._counts_text(moves))}</p>")

    def chart_html(self, *, columns: int = 2) -> str:
        steps = {s.id: n for n, s in enumerate(self.activity.steps)}
        moves = self.moves()
        frame = pd.DataFrame([{"step": steps[p.step], "name": p.name, "mark": MOVE_MARKS[moves[p.id]],
                               "move": self.tr(f"ml_move_{moves[p.id]}")} for p in self.practices],
                             columns=["step", "name", "mark", "move"])
        circles = [(steps[c.from_step], steps[c.to_step], self.tr.label(c), self.tr.text(c.short) if c.short else "")
                   for c in self.activity.circles]
        chart = ladder_chart(frame, steps=[self.tr.label(s) for s in self.activity.steps], circles=circles, columns=columns)
        by_step = "; ".join(
            f"{self.tr.label(s)}: " + (", ".join(f"{p.name} ({self.tr(f'ml_move_{moves[p.id]}')})" for p in self.practices if p.step == s.id) or "–")
            for s in self.activity.steps)
        ways = "; ".join(f"{self.tr.label(c)}: {self._step_label(c.from_step)} → {self._step_label(c.to_step)}" for c in self.activity.circles)
        return svg_img(to_svg(chart), self.tr("ml_alt", steps=by_step, circles=ways or "–"), css="vt-chart vt-ml-chart")

    def circles_html(self) -> str:
        """The ways up: each learning circle, the steps it leads between, and what it is."""
        items = "".join(
            f"<li><strong>{esc(self.tr.label(c))}</strong> ({esc(self._step_label(c.from_step))} → {esc(self._step_label(c.to_step))})"
            f"{': ' + esc(self.tr.text(c.hint)) if c.hint else ''}</li>" for c in self.activity.circles)
        return f"<ul class='vt-list vt-ml-circles'>{items}</ul>" if items else ""

    def marks_html(self) -> str:
        """What the marks before the names mean."""
        marks = " · ".join(f"{m} {self.tr(f'ml_move_{k}')}" for k, m in MOVE_MARKS.items())
        first = "" if self.had_previous else f" {self.tr('ml_first_round')}"
        return f"<p class='vt-muted vt-ml-marks'>{esc(marks + '.' + first)}</p>"

    def table_html(self) -> str:
        tr = self.tr
        moves = self.moves()
        rows = []
        for p in reversed(self.practices):  # the highest step first
            before = self.previous.get(p.id)
            rows.append([esc(p.name), esc(self._step_label(p.step)), esc(self._step_label(before.step)) if before else "–",
                         f"<span aria-hidden='true'>{MOVE_MARKS[moves[p.id]]}</span> {esc(tr(f'ml_move_{moves[p.id]}'))}",
                         esc(p.evidence) or "–", str(p.placements)])
        head = [tr("ml_name"), tr("ml_step_now"), tr("ml_step_before"), tr("ml_move"), tr("ml_evidence"), tr("ml_placements")]
        return _table(tr("ml_table"), [esc(h) for h in head], rows, css="vt-table vt-ml-table")

    def _blocks(self, role: str) -> list[tuple[str, str]]:
        if role == "screen":  # the ladder beside the words that read it
            return [("ladder", self.chart_html(columns=1)), ("circles", self.circles_html() + self.marks_html())]
        blocks = [("ladder", self.chart_html()), ("marks", self.marks_html()), ("circles", self.circles_html()),
                  ("table", self.table_html())]
        return [(name, body) for name, body in blocks if body]

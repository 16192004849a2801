"""The agreement board's results for the console, the screen and the report: the progress
bar and the questions with their answer, status, owner and decision mode."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ...html_blocks import esc
from ...results import _Results, _table
from ...store import ActivityState, SessionInfo
from .board import CARRIED, entries, questions
from .model import AgreementBoard

if TYPE_CHECKING:
    from ...store import SessionStore

__all__ = ["BoardResults"]


class BoardResults(_Results):
    """The agreement board: per question the agreed answer, status, owner and decision mode."""

    activity: AgreementBoard

    def _more(self, store: SessionStore, session: SessionInfo, state: ActivityState) -> None:
        self.extra["board"] = entries(store, session.id, self.activity, round=state.round)
        self.questions = questions(store, session.id, self.activity)
        self.extra["carried"] = [q.id for q in self.questions if q.id.startswith(CARRIED)]

    @property
    def board(self) -> dict[str, dict[str, str | None]]:
        return self.extra.get("board", {})

    def agreed(self) -> int:
        """How many questions have the agreed status."""
        return sum(1 for q in self.questions if self.board.get(q.id, {}).get("status") == self.activity.agreed_status)

    def _has_content(self) -> bool:
        return True

    def summary(self) -> str | None:
        """The agreements reached: the questions with the agreed status, out of all."""
        return self.tr("sum_board", n=self.agreed(), total=len(self.questions)) if self.questions else None

    def counts_html(self) -> str:
        n, total = self.agreed(), len(self.questions)
        return f"<p class='vt-stat' data-vt-agreed='{n}'>{esc(self.tr('board_progress', n=n, total=total))}</p>"

    def progress_html(self) -> str:
        statuses = {s.id: self.tr.label(s) for s in self.activity.statuses}
        counts = {s: 0 for s in statuses}
        for q in self.questions:
            status = self.board.get(q.id, {}).get("status")
            if status in counts:
                counts[status] += 1
        total = len(self.questions)
        parts = "".join(
            f"<span class='vt-progress-part' data-status='{esc(sid)}' style='flex:{n}'></span>" for sid, n in counts.items() if n
        )
        legend = " · ".join(f"{esc(label)} {counts[sid]}" for sid, label in statuses.items())
        return (
            f"<div class='vt-progress' role='img' aria-label='{esc(self.tr('board_progress', n=self.agreed(), total=total), quote=True)}'>"
            f"{parts}<span class='vt-progress-part' data-status='' style='flex:{total - sum(counts.values())}'></span></div>"
            f"<p class='vt-muted'>{legend}</p>"
        )

    def table_html(self, *, compact: bool = False) -> str:
        statuses = {s.id: self.tr.label(s) for s in self.activity.statuses}
        modes = {m.id: self.tr.label(m) for m in self.activity.modes}
        rows = []
        for n, q in enumerate(self.questions, start=1):
            entry = self.board.get(q.id, {})
            status = entry.get("status") or ""
            badge = f"<span class='vt-status-badge' data-status='{esc(status)}'>{esc(statuses.get(status, self.tr('board_not_started')))}</span>"
            question = esc(self.tr.label(q, short=compact))
            if q.id.startswith(CARRIED):
                question += f" <span class='vt-board-carried'>{esc(self.tr('board_carried'))}</span>"
            row = [f"{n}. {question}", badge, esc(entry.get("answer") or "")]
            if not compact:
                row += [esc(entry.get("owner") or ""), esc(modes.get(entry.get("mode") or "", ""))]
            rows.append(row)
        head = [self.tr("board_question"), self.tr("board_status"), self.tr("board_answer")]
        if not compact:
            head += [self.tr("board_owner"), self.tr("board_mode")]
        return _table(self._title(), [esc(h) for h in head], rows, css="vt-table vt-board")

    def _blocks(self, role: str) -> list[tuple[str, str]]:
        return [("progress", self.progress_html()), ("table", self.table_html(compact=role == "screen"))]

"""The facilitator's tools for askelten arviointi: a button per step that promotes it for the
network's next round (or withdraws the promotion), stored with ``store.promote_step``."""
from __future__ import annotations

import html
import logging
from typing import Any

import ipywidgets as W

from ...console_tools import ConsoleTools
from .model import StepVote
from .views import promoted_html

__all__ = ["StepVoteTools"]

log = logging.getLogger("vertaiset")


class StepVoteTools(ConsoleTools):
    """Promote chosen steps for the next round, one button per step; a promoted step can be withdrawn."""

    activity: StepVote

    def __init__(self, console: Any):
        super().__init__(console)
        self._rows = W.VBox()
        self._rows.add_class("vt-sv-tools")
        self._line = W.HTML()
        self._summary = W.HTML()
        self._drawn: Any = None
        #: step id -> its button
        self.buttons: dict[str, W.Button] = {}

    def widgets(self) -> list[W.Widget]:
        """A heading, one row per step with its button, and the promoted steps as they stand."""
        tr = self.wb.tr
        heading = W.HTML(f"<h3>{html.escape(tr('sv_promote_title'))}</h3>"
                         f"<p class='vt-muted'>{html.escape(tr('sv_promote_help'))}</p>")
        return [heading, self._rows, self._line, self._summary]

    def update(self, results: Any) -> None:
        """One row per step, its button saying what a press does now."""
        key = ([(s.item, s.text) for s in results.steps], list(results.promoted))
        if key == self._drawn:
            return
        self._drawn = key
        tr = self.wb.tr
        rows, self.buttons = [], {}
        for n, step in enumerate(results.steps, start=1):
            on = step.item in results.promoted
            mark = f" <span class='vt-sv-promoted'>{html.escape(tr('sv_promoted_mark'))}</span>" if on else ""
            text = W.HTML(f"<p class='vt-sv-text'>{n}. {html.escape(step.text)}{mark}</p>")
            text.add_class("vt-sv-tool-text")
            button = W.Button(description=tr("sv_withdraw" if on else "sv_promote"),
                              tooltip=tr("sv_withdraw_help" if on else "sv_promote_help_one"))
            if not on:
                button.add_class("vt-primary")
            button.on_click(lambda _b, s=step, p=not on: self.promote(s.item, s.text, promoted=p))
            self.buttons[step.item] = button
            row = W.HBox([text, button])
            row.add_class("vt-sv-tool-row")
            rows.append(row)
        self._rows.children = rows
        self._summary.value = promoted_html(tr, results.promoted)

    def promote(self, item: str, text: str, *, promoted: bool = True) -> None:
        """Promote a step for the next round (``promoted=False``: withdraw it), then redraw."""
        tr = self.wb.tr
        try:
            self.wb.store.promote_step(self.wb.session.id, self.activity.id, item, text, promoted=promoted)
        except Exception:
            log.exception("promoting a step failed")
            self._line.value = f"<p class='vt-notice' role='status'>{html.escape(tr('save_failed'))}</p>"
            return
        words = tr("sv_promoted_done" if promoted else "sv_withdrawn_done", step=text)
        self._line.value = f"<p class='vt-muted' role='status'>{html.escape(words)}</p>"
        self.console.redraw()

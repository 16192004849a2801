"""Kierroksen alku drawn as HTML: the round's line, the previous round, its promoted steps
(*mitä päätimme tehdä*) and what it left behind. Light (no pandas): the phone, the console, the
screen and the report share it; the steps are participants' words and are escaped.
"""
from __future__ import annotations

from typing import Any

from ...html_blocks import esc, table
from .rounds import Before, RoundView

__all__ = ["round_html"]


def _day(d: Any) -> str:
    return f"{d.day}.{d.month}.{d.year}"


def _layer_label(tr: Any, before: Before) -> str:
    for layer in getattr(before.activity, "layers", []):
        if layer.id == before.layer:
            return tr.label(layer)
    return before.layer


def _before_html(tr: Any, before: Before | None, *, full: bool) -> str:
    if before is None:
        return ""
    name = tr.text(before.activity.title) if before.activity is not None else ""
    layer = _layer_label(tr, before)
    head = f"<h4>{esc(tr('rs_left_title'))}</h4>"
    if before.mean is None:
        return head + f"<p class='vt-muted'>{esc(tr('rs_before_none', activity=name, layer=layer))}</p>"
    line = tr("rs_before_mean", activity=name, layer=layer, mean=f"{before.mean:.1f}", n=before.respondents)
    out = head + f"<p class='vt-rs-before' data-vt-before-mean='{before.mean:.2f}'>{esc(line)}</p>"
    if full and before.items:
        rows = [[tr.label(item, short=True), f"{mean:.1f}"] for item, mean in before.items]
        out += table(tr("rs_before_caption", activity=name, layer=layer), [tr("rs_item"), tr("rs_mean")], rows,
                     css="vt-table vt-rs-table")
    return out


def round_html(tr: Any, view: RoundView, *, full: bool = True) -> str:
    """The round's start: ``full`` adds the previous round's means item by item (console, report)."""
    line = tr("rs_round", n=view.number, network=view.network)
    out = f"<p class='vt-rs-round' data-vt-round-number='{view.number}'>{esc(line)}</p>"
    if view.previous is None:
        return out + f"<p class='vt-notice vt-rs-first' data-vt-carried='0'>{esc(tr('rs_first_round'))}</p>"
    p = view.previous
    out += f"<p class='vt-muted vt-rs-previous'>{esc(tr('rs_previous', title=p.title, code=p.code, date=_day(p.held_on)))}</p>"
    out += f"<h4>{esc(tr('rs_steps_title'))}</h4>"
    if view.steps:
        items = "".join(f"<li>{esc(s.text)}</li>" for s in view.steps)
        out += f"<ol class='vt-rs-steps' data-vt-carried='{len(view.steps)}'>{items}</ol>"
    else:
        out += f"<p class='vt-muted' data-vt-carried='0'>{esc(tr('rs_no_steps'))}</p>"
    return out + _before_html(tr, view.before, full=full)

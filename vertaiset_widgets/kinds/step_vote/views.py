"""Askelten arviointi drawn as HTML: each step with its agree / disagree / pass bar, and the
three lists (majority, uncertain, consensus across sectors) and the promoted steps.

Light (no pandas): the phone, the console, the screen and the report share it. The steps are
participants' words: every one of them is escaped.
"""
from __future__ import annotations

from typing import Any, Iterable, Mapping, Sequence

from ...html_blocks import Safe, esc, table
from .steps import CHOICES, Consensus, Tally

__all__ = ["bars_html", "consensus_html", "majority_html", "percent", "promoted_html", "uncertain_html"]


def percent(tr: Any, share: float) -> str:
    """A share as the language writes a percentage (``60 %``, ``60%``)."""
    return tr("sv_percent", p=round(100 * share))


def _mark(tr: Any, promoted: bool) -> str:
    return f" <span class='vt-sv-promoted'>{esc(tr('sv_promoted_mark'))}</span>" if promoted else ""


def _words(tr: Any, t: Tally) -> str:
    return tr("sv_counts", agree=t.agree, disagree=t.disagree, passed=t.passed)


def bars_html(tr: Any, tallies: Sequence[Tally], promoted: Iterable[str], *, empty: str = "") -> str:
    """Each step with a bar of its agree, disagree and pass votes and the counts in words; the
    promoted ones marked in words (not by colour alone)."""
    promoted = set(promoted)
    if not tallies:
        return f"<p class='vt-muted' data-vt-steps='0'>{esc(empty or tr('sv_no_steps'))}</p>"
    rows = []
    for t in tallies:
        flag = " data-vt-promoted='true'" if t.step.item in promoted else ""
        parts = "".join(
            f"<span class='vt-stack-part vt-sv-part' data-choice='{c}' style='flex:{t.count(c)}'></span>" for c in CHOICES if t.count(c)
        )
        rows.append(
            f"<li class='vt-sv-step' data-vt-step='{esc(t.step.item, quote=True)}' data-vt-votes='{t.votes}'"
            f"{flag}>"
            f"<p class='vt-sv-text'>{esc(t.step.text)}{_mark(tr, t.step.item in promoted)}</p>"
            f"<div class='vt-stack vt-sv-bar' role='img' aria-label='{esc(_words(tr, t), quote=True)}'>{parts}</div>"
            f"<p class='vt-sv-counts'>{esc(_words(tr, t))}</p></li>"
        )
    legend = "".join(f"<li><span class='vt-stack-swatch vt-sv-swatch' data-choice='{c}'></span>{esc(tr(f'sv_{c}'))}</li>" for c in CHOICES)
    return f"<ul class='vt-stack-legend vt-sv-legend' aria-hidden='true'>{legend}</ul><ol class='vt-sv-steps'>{''.join(rows)}</ol>"


def _step_cell(tr: Any, t: Any, promoted: set[str]) -> Safe:
    return Safe(esc(t.step.text) + _mark(tr, t.step.item in promoted))


def majority_html(tr: Any, rows: Sequence[tuple[Tally, str, float]], promoted: Iterable[str], threshold: float) -> str:
    """The majority list: which way (agree or disagree), the share and the votes."""
    promoted = set(promoted)
    caption = tr("sv_majority_title", p=percent(tr, threshold))
    if not rows:
        return f"<h4>{esc(caption)}</h4><p class='vt-muted'>{esc(tr('sv_list_empty'))}</p>"
    body = [[_step_cell(tr, t, promoted), tr(f"sv_way_{choice}"), percent(tr, share), t.votes] for t, choice, share in rows]
    return table(caption, [tr("sv_step"), tr("sv_way"), tr("sv_share"), tr("sv_votes")], body,
                 css="vt-table vt-sv-table vt-sv-majority")


def uncertain_html(tr: Any, rows: Sequence[tuple[Tally, float]], promoted: Iterable[str], threshold: float) -> str:
    """The uncertain list: the share of passes and the votes."""
    promoted = set(promoted)
    caption = tr("sv_uncertain_title", p=percent(tr, threshold))
    if not rows:
        return f"<h4>{esc(caption)}</h4><p class='vt-muted'>{esc(tr('sv_list_empty'))}</p>"
    body = [[_step_cell(tr, t, promoted), percent(tr, share), t.votes] for t, share in rows]
    return table(caption, [tr("sv_step"), tr("sv_passed_share"), tr("sv_votes")], body,
                 css="vt-table vt-sv-table vt-sv-uncertain")


def consensus_html(tr: Any, rows: Sequence[Consensus], promoted: Iterable[str], groups: Sequence[str]) -> str:
    """Steps supported in every sector, by their group-informed consensus score, with each
    sector's agree out of its votes."""
    promoted = set(promoted)
    caption = tr("sv_consensus_title")
    how = f"<p class='vt-muted'>{esc(tr('sv_consensus_help', n=len(groups)))}</p>"
    if not groups:
        return f"<h4>{esc(caption)}</h4><p class='vt-muted'>{esc(tr('sv_no_groups'))}</p>"
    if not rows:
        return f"<h4>{esc(caption)}</h4>{how}<p class='vt-muted'>{esc(tr('sv_list_empty'))}</p>"
    body = [
        [Safe(esc(c.step.text) + _mark(tr, c.step.item in promoted)), f"{c.score:.2f}",
         " · ".join(tr("sv_group_agree", group=g, agree=a, votes=n) for g, a, n in c.groups)]
        for c in rows
    ]
    return table(caption, [tr("sv_step"), tr("sv_score"), tr("sv_by_group")], body,
                 css="vt-table vt-sv-table vt-sv-consensus") + how


def promoted_html(tr: Any, promoted: Mapping[str, str]) -> str:
    """The steps promoted for the next round, in the order promoted."""
    title = f"<h4>{esc(tr('sv_promoted_title'))}</h4>"
    if not promoted:
        return title + f"<p class='vt-muted'>{esc(tr('sv_promoted_none'))}</p>"
    items = "".join(f"<li data-vt-step='{esc(item, quote=True)}'>{esc(text)}</li>" for item, text in promoted.items())
    return title + f"<ol class='vt-sv-promoted-list' data-vt-promoted='{len(promoted)}'>{items}</ol>"

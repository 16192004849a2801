"""Yhdessä eteneminen drawn as HTML: where the rows came from, the counts per status, the bar
and the list (stuck first). Light (no pandas): the phone, the console, the screen and the
report share it, and every word from the board or a participant is escaped.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, TYPE_CHECKING

from ...html_blocks import Safe, esc, table
from .progress import Source, Update, ordered, status_of

if TYPE_CHECKING:  # a phone's page reads plain copies of the templates (vertaiset_widgets.plain)
    from .model import Progress

__all__ = ["bar_html", "counts", "counts_text", "empty_html", "list_html", "source_text", "when_text"]


def _day(d: Any) -> str:
    return f"{d.day}.{d.month}.{d.year}"


def when_text(at: datetime | None) -> str:
    """An update's time the Finnish way in the server's time zone (``26.11. 10.32``), or ""."""
    if at is None:
        return ""
    local = (at if at.tzinfo else at.replace(tzinfo=timezone.utc)).astimezone()
    return f"{local.day}.{local.month}. {local.hour}.{local.minute:02d}"


def source_text(tr: Any, source: Source) -> str:
    """Where the rows came from: this session's board, or an earlier session's (title, code, date)."""
    s = source.session
    key = "pg_source_here" if source.same_session else "pg_source_earlier"
    return tr(key, title=s.title, code=s.code, date=_day(s.held_on), n=len(source.rows),
              board=tr.text(source.board.title))


def counts(activity: Progress, rows: Any, updates: dict[str, Update]) -> dict[str, int]:
    """How many rows have each status, in the lists' order (stuck first)."""
    out = dict.fromkeys(activity.order, 0)
    for row in rows:
        status = status_of(activity, updates, row.item)
        out[status] = out.get(status, 0) + 1
    return out


def counts_text(tr: Any, activity: Progress, rows: Any, updates: dict[str, Update]) -> str:
    """``Valmis 2/11 · Jumissa 1 · Käynnissä 3 · Ei aloitettu 5``: done out of all, then each status."""
    labels = {s.id: tr.label(s) for s in activity.statuses}
    n = counts(activity, rows, updates)
    parts = [tr("pg_done_of", done=n[activity.done], total=len(rows))]
    parts += [f"{labels[s]} {c}" for s, c in n.items() if s != activity.done]
    return " · ".join(parts)


def bar_html(tr: Any, activity: Progress, rows: Any, updates: dict[str, Update]) -> str:
    """A stacked bar of the statuses (its words as the image's name) and the counts in words."""
    n = counts(activity, rows, updates)
    labels = {s.id: tr.label(s) for s in activity.statuses}
    words = counts_text(tr, activity, rows, updates)
    parts = "".join(
        f"<span class='vt-stack-part vt-pg-part' data-status='{esc(s, quote=True)}' style='flex:{c}' title='{esc(labels[s], quote=True)} {c}'></span>"
        for s, c in n.items() if c
    )
    legend = "".join(
        f"<li><span class='vt-stack-swatch vt-pg-swatch' data-status='{esc(s, quote=True)}'></span>{esc(labels[s])} <strong>{c}</strong></li>"
        for s, c in n.items()
    )
    return (f"<div class='vt-stack vt-pg-bar' role='img' aria-label='{esc(words, quote=True)}' data-vt-done='{n[activity.done]}'"
            f" data-vt-stuck='{n[activity.stuck]}'>{parts}</div><ul class='vt-stack-legend vt-pg-legend'>{legend}</ul>")


def _badge(tr: Any, activity: Progress, status: str) -> str:
    labels = {s.id: tr.label(s) for s in activity.statuses}
    return f"<span class='vt-pg-badge' data-status='{esc(status, quote=True)}'>{esc(labels.get(status, status))}</span>"


def list_html(tr: Any, activity: Progress, source: Source, updates: dict[str, Update], *,
              names: bool = True, updaters: bool = False, short: bool = False) -> str:
    """The agreements as a table, stuck first, then in progress, not started and done.

    ``names``: the owners shown (not on the room's screen, as the board's screen leaves them
    out); ``updaters``: who updated each and when (the facilitator's console); ``short``: the
    questions' short labels (the screen).
    """
    board_statuses = {s.id: tr.label(s) for s in source.board.statuses}
    head = [tr("pg_question"), tr("pg_status"), tr("pg_agreed"), tr("pg_note_short")]
    if names:
        head.append(tr("pg_owner"))
    if updaters:
        head.append(tr("pg_updated"))
    body = []
    for row in ordered(activity, source.rows, updates):
        update = updates.get(row.item)
        status = status_of(activity, updates, row.item)
        agreed = esc(row.answer or "–")
        if row.board_status in board_statuses:
            agreed += f" <span class='vt-muted'>({esc(board_statuses[row.board_status])})</span>"
        cells: list[Any] = [f"{row.number}. {tr.label(row.question, short=short)}", Safe(_badge(tr, activity, status)),
                            Safe(agreed), update.note if update else ""]
        if names:
            cells.append(row.owner)
        if updaters:
            cells.append(f"{update.nickname or tr('pg_anonymous')}, {when_text(update.at)}" if update else "")
        body.append(cells)
    return table(tr("pg_table", n=len(source.rows)), head, body, css="vt-table vt-pg-table")


def empty_html(tr: Any) -> str:
    """The plain word that there is nothing to follow yet (no board rows anywhere)."""
    return f"<p class='vt-notice vt-pg-empty' data-vt-rows='0'>{esc(tr('pg_no_board'))}</p>"

"""What the planner's views share: which workbook shows an activity, a block's name and mode in
the page's language, and the day's status in words. Light: the participant's page uses it."""
from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any, Sequence

from ... import roots
from ...html_blocks import esc
from ...store.agenda import AgendaBlock, DayStatus, block_name, clock

__all__ = ["activity_name", "activity_workbooks", "block_name", "mode_labels", "plan_list_html", "status_lines"]

#: a workbook's code cell that shows an activity
_ACTIVITY_CALL = re.compile(r"""wb\.activity\(["']([a-z0-9_]+)["']\)""")


@lru_cache(maxsize=4)
def _scan(folder: str) -> dict[str, str]:
    from pathlib import Path

    found: dict[str, str] = {}
    for path in sorted(Path(folder).glob("[0-9]*.ipynb")):
        try:
            cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        except (OSError, ValueError, KeyError):
            continue
        for cell in cells:
            if cell.get("cell_type") != "code":
                continue
            source = cell.get("source", "")
            for activity_id in _ACTIVITY_CALL.findall("".join(source) if isinstance(source, list) else str(source)):
                found.setdefault(activity_id, path.name)  # the first phase that shows it
    return found


def activity_workbooks() -> dict[str, str]:
    """Activity id -> the phase workbook (``01_tilannekuva.ipynb``) whose page shows it, in page order."""
    return dict(_scan(str(roots.workbooks_dir())))


def mode_labels(activity: Any, tr: Any) -> dict[str, str]:
    """The planner's learning modes by id, in the page's language."""
    return {m.id: tr.label(m) for m in getattr(activity, "modes", [])}


def activity_name(block: AgendaBlock, tr: Any) -> str:
    """The title of the block's activity ("" without one)."""
    if not block.activity_id:
        return ""
    try:
        return tr.text(tr.content.activity(block.activity_id).title)
    except KeyError:
        return block.activity_id


def status_lines(status: DayStatus, tr: Any) -> str:
    """The day's status for the facilitator as HTML: the running block's overrun and the day's,
    or that the day is on time (empty when no block runs)."""
    if status.running is None:
        return ""
    parts = []
    if status.block_over_minutes:
        parts.append(("warn", tr("mp_warn_block", title=block_name(status.running, tr), n=status.block_over_minutes)))
    planned, projected = clock(status.planned_end or 0), clock(status.projected_end or 0)
    if status.day_over_minutes:
        parts.append(("warn", tr("mp_warn_day", n=status.day_over_minutes, projected=projected, planned=planned)))
    else:
        parts.append(("ok", tr("mp_on_time", projected=projected, planned=planned)))
    return (f"<div class='vt-mp-status' role='status' data-vt-day-over='{status.day_over_minutes}' "
            f"data-vt-block-over='{status.block_over_minutes}'>"
            + "".join(f"<p class='vt-mp-{kind}'>{esc(text)}</p>" for kind, text in parts)
            + "</div>")


def plan_list_html(blocks: Sequence[AgendaBlock], tr: Any, modes: dict[str, str]) -> str:
    """The plan as a list for a phone: times, name, mode; the running block marked."""
    from ...store.agenda import running_block

    if not blocks:
        return f"<p class='vt-muted'>{esc(tr('mp_no_blocks'))}</p>"
    running = running_block(blocks)
    items = []
    for b in blocks:
        now = running is not None and b.position == running.position
        mode = modes.get(b.mode or "", "")
        current = " aria-current='true' data-vt-running='1'" if now else ""
        items.append(
            f"<li class='vt-mp-item' data-vt-break='{int(b.is_break)}'{current}>"
            f"<span class='vt-mp-time'>{esc(b.starts_at or '')}–{esc(b.ends_at)}</span> "
            f"<strong>{esc(block_name(b, tr))}</strong>"
            + (f" <span class='vt-muted'>({esc(mode)})</span>" if mode else "")
            + (f" <span class='vt-mp-now'>{esc(tr('mp_running'))}</span>" if now else "")
            + "</li>"
        )
    return f"<ol class='vt-mp-list' data-vt-blocks='{len(blocks)}'>{''.join(items)}</ol>"

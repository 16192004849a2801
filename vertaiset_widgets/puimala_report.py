"""A Puimala's report (``role=report``) and what a page without the key may show: static HTML in the
process's three stages — the pre-work material, the forum's notes per agenda block, the open
feedback (visible comments and the counts, no names) and the peers the notes go to.
"""
from __future__ import annotations

import html
from typing import Any

from IPython.display import HTML

from .puimala_views import (feedback_counts, feedback_html, local_date, materials_html, notes_html, peers_html,
                            process_html, process_steps)

__all__ = ["report_forum", "report_postwork", "report_prework", "report_process"]


def report_process(pm: Any) -> HTML:
    """The eight steps and their status."""
    return HTML(process_html(process_steps(pm.store, pm.session, pm.info, pm.tr), pm.tr))


def report_prework(pm: Any) -> HTML:
    """The material the registered participants received (the pre-work activities follow in their own cells)."""
    tr = pm.tr
    info = pm.info
    window = ""
    if info is not None and info.prework_opens and info.prework_closes:
        window = (f"<p>{html.escape(tr('pm_prework_window_report', opens=local_date(info.prework_opens), closes=local_date(info.prework_closes)))}</p>")
    return HTML(f"<div class='vt-pm-report'><h3>{html.escape(tr('pm_materials_title'))}</h3>{window}"
                f"{materials_html(pm.store.materials(pm.session.id), tr)}</div>")


def report_forum(pm: Any) -> HTML:
    """The forum's notes per agenda block."""
    tr = pm.tr
    notes = pm.store.notes(pm.session.id)
    published = pm.info.notes_published_at if pm.info is not None else None
    when = f"<p>{html.escape(tr('pm_notes_published_on', date=local_date(published)))}</p>" if published else ""
    body = notes_html(pm.store.agenda_blocks(pm.session.id), notes, tr, empty_blocks=False)
    return HTML(f"<div class='vt-pm-report'><h3>{html.escape(tr('pm_notes_title'))}</h3>{when}{body}</div>")


def report_postwork(pm: Any) -> HTML:
    """The open feedback (visible comments, counts: total and hidden) and who the notes go to."""
    tr = pm.tr
    info = pm.info
    premoderated = bool(info and info.feedback_premoderated)
    items = pm.store.feedback(pm.session.id)
    counts = feedback_counts(items, premoderated)
    period = ""
    if info is not None and info.feedback_opens and info.feedback_closes:
        period = html.escape(tr("pm_feedback_period_report", opens=local_date(info.feedback_opens),
                                closes=local_date(info.feedback_closes))) + " "
    visible = [f for f in items if f.visible(premoderated)]
    return HTML(
        "<div class='vt-pm-report'>"
        f"<h3>{html.escape(tr('pm_feedback_title'))}</h3>"
        f"<p>{period}{html.escape(tr('pm_feedback_counts', **counts))}</p>"
        f"{feedback_html(visible, tr)}"
        f"<h3>{html.escape(tr('pm_peers_title'))}</h3>"
        f"{peers_html(list(info.peers) if info is not None else [], tr)}"
        "</div>"
    )

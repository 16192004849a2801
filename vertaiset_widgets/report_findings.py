"""A report kernel's findings: each activity's line for the report's summary, and who took part.

The report's kernels have every activity's results loaded and the kinds imported; so each
activity's cell, in the report, also shows what the summary says of it
(:func:`finding_bundle`, under :data:`FINDING_MIME`), and the report takes these outputs out
of the executed notebooks (:func:`vertaiset_widgets.report_summary.kernel_findings`) instead of
reading the store again beside the kernels. Light on purpose: a report kernel imports it.
"""
from __future__ import annotations

from typing import Any

from . import kinds

__all__ = ["FINDING_MIME", "finding_bundle"]

#: A report kernel's finding about an activity, shown as an output beside its blocks (see
#: :func:`finding_bundle`); the report takes it out (``report_summary.kernel_findings``): no reader sees it.
FINDING_MIME = "application/vnd.vertaiset.finding+json"


def finding_bundle(store: Any, session: Any, activity: Any, tr: Any, *, results: Any = None,
                   roster: bool = True) -> dict[str, Any]:
    """What ``report_summary.findings`` reads about ``activity``, worked out in the report's kernel, which has
    the activity's results loaded (``results``, when the kind's report drew them) and the kinds'
    modules imported already: the summary's line and, with ``roster``, who took part, counted."""
    kind = kinds.for_activity(activity)
    if results is not None and getattr(results, "names", False):
        results = None  # loaded to show names (`--names`): the summary is read as it always is, without
    line = results.summary() if results is not None and kind.summary_function() is None \
        else kinds.summary_line(store, session, activity, tr)
    counted: list = []
    if roster:
        if results is None and kind.results_class(activity) is not None:
            results = kind.results_class(activity).load(store, session, activity, tr)
        counted = results.roster() if results is not None else []
    # with an empty text beside it: JupyterLab, running a workbook as a report, shows nothing for it
    return {FINDING_MIME: {"activity": activity.id, "line": line, "roster": counted}, "text/plain": ""}

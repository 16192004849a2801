"""The report's first pages: the session in a few facts, who took part (counted, never named),
each activity's key result in one line, and a table of contents that links to every phase and
activity.

:func:`mark_sections` gives the executed workbooks' phase titles and activity headings anchors
(``cell.metadata["vertaiset_anchor"]``, which the report template writes as an ``id``) and
returns the outline; :func:`summary_html` draws the summary and the contents from it and the
store. Every word from the store or the templates is escaped here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

import nbformat

from . import kinds
from .html_blocks import esc
from .i18n import Translator
from .report_findings import FINDING_MIME, finding_bundle
from .report_run import ACTIVITY_CALL
from .store import SessionInfo

if TYPE_CHECKING:
    from .store import SessionStore

__all__ = ["FINDING_MIME", "Findings", "Phase", "Section", "activity_ids", "finding_bundle", "findings", "kernel_findings",
           "mark_sections", "summary_html"]


@dataclass
class Section:
    """One activity of the report: its id, its heading's text and anchor."""

    activity_id: str
    title: str
    anchor: str


@dataclass
class Phase:
    """One workbook of the report: its title, anchor and activities in order."""

    title: str
    anchor: str
    sections: list[Section] = field(default_factory=list)


def _heading(cell: Any, marks: str) -> str | None:
    """The text of a markdown cell's first line if it is a heading of exactly ``marks`` (``#``, ``##``)."""
    if cell.cell_type != "markdown":
        return None
    first = "".join(cell.get("source", "")).lstrip().split("\n", 1)[0]
    if first.startswith(marks + " "):
        return first[len(marks) + 1:].strip()
    return None


def _plain(markdown: str) -> str:
    """A heading's text without its inline markdown (emphasis, code marks)."""
    return re.sub(r"[*_`]+", "", markdown).strip()


def mark_sections(nb: nbformat.NotebookNode, workbook: str, content: Any, tr: Translator) -> Phase | None:
    """Anchor the workbook's phase title and each activity's heading; return its outline.

    An activity's heading is the nearest ``## `` markdown cell before its code cell (its method
    text); without one, the code cell itself carries the anchor and the template's title names it.
    """
    stem = re.sub(r"[^a-z0-9_]+", "-", workbook.rsplit(".", 1)[0].lower())
    phase: Phase | None = None
    last_heading: Any = None
    for cell in nb.cells:
        title = _heading(cell, "#")
        if title is not None and phase is None:
            phase = Phase(_plain(title), f"vt-{stem}")
            cell.setdefault("metadata", {})["vertaiset_anchor"] = phase.anchor
            continue
        if _heading(cell, "##") is not None:
            last_heading = cell
            continue
        if cell.cell_type != "code":
            continue
        match = ACTIVITY_CALL.search("".join(cell.get("source", "")))
        if not match:
            continue
        activity_id = match.group(1)
        try:
            activity = content.activity(activity_id)
        except KeyError:
            continue
        anchor = f"vt-{activity_id}"
        target = last_heading if last_heading is not None else cell
        if "vertaiset_anchor" in target.get("metadata", {}):  # one heading over two activities: the second links to its cell
            target = cell
        target.setdefault("metadata", {})["vertaiset_anchor"] = anchor
        title = _plain(_heading(last_heading, "##") or "") if target is last_heading else tr.text(activity.title)
        if phase is None:
            phase = Phase(tr.text(activity.title), anchor)
        phase.sections.append(Section(activity_id, title, anchor))
        last_heading = None
    return phase


@dataclass
class Findings:
    """What the summary says, read from the store: each activity's line, and who took part."""

    lines: dict[str, str | None] = field(default_factory=dict)
    roster: list[tuple[str, list[tuple[str, int]]]] = field(default_factory=list)


def findings(store: SessionStore, session: SessionInfo, content: Any, tr: Translator, activity_ids: list[str]) -> Findings:
    """Each activity's key result (:func:`kinds.summary_line`) and who took part, counted: by the first
    activity whose kind counts its people (``roster()`` of its results, e.g. a check-in's sector and
    organisation). Needs only the store, so it is read while the workbooks run."""
    out = Findings()
    for activity_id in activity_ids:
        try:
            activity = content.activity(activity_id)
        except KeyError:
            continue
        out.lines[activity_id] = kinds.summary_line(store, session, activity, tr)
        if not out.roster:
            results = kinds.for_activity(activity).results_class(activity)
            if results is not None:
                out.roster = results.load(store, session, activity, tr).roster()
    return out


def kernel_findings(notebooks: list[nbformat.NotebookNode], ids: list[str]) -> tuple[Findings, list[str]]:
    """The findings the report's kernels showed (:func:`finding_bundle`), taken out of the
    notebooks' outputs; and the activities of ``ids`` none of them spoke of. The roster is the
    first one counted in the order of ``ids``, as :func:`findings` gives it."""
    seen: dict[str, dict[str, Any]] = {}
    for nb in notebooks:
        for cell in nb.cells:
            kept = []
            for output in cell.get("outputs", []):
                data = output.get("data", {}).get(FINDING_MIME) if output.get("output_type") == "display_data" else None
                if isinstance(data, dict) and isinstance(data.get("activity"), str):
                    seen.setdefault(data["activity"], data)
                else:
                    kept.append(output)
            if "outputs" in cell:
                cell["outputs"] = kept
    out = Findings()
    for activity_id in ids:
        if activity_id in seen:
            out.lines[activity_id] = seen[activity_id].get("line")
            if not out.roster and seen[activity_id].get("roster"):
                out.roster = [(str(label), [(str(k), int(n)) for k, n in pairs]) for label, pairs in seen[activity_id]["roster"]]
    return out, [a for a in ids if a not in seen]


def activity_ids(sources: list[str]) -> list[str]:
    """The activities the workbooks' sources run, each once, in order."""
    seen: dict[str, None] = {}
    for source in sources:
        for activity_id in ACTIVITY_CALL.findall(source):
            seen.setdefault(activity_id, None)
    return list(seen)


def _counts_line(pairs: list[tuple[str, int]]) -> str:
    return ", ".join(f"{label} {n}" for label, n in pairs)


def summary_html(store: SessionStore, session: SessionInfo, tr: Translator, phases: list[Phase], found: Findings, *,
                 interim: datetime | None = None, appendix: bool = False) -> str:
    """The summary and the table of contents, as HTML (every text escaped)."""
    when = session.held_on
    rounds = store.rounds(session)
    participants = len(store.participants(session.id))
    facts = [
        (tr("rp_network"), session.network_name),
        (tr("rp_date"), tr("hist_date", d=when.day, m=when.month, y=when.year)),
        (tr("rp_round"), tr("rp_round_value", n=len(rounds) or 1)),
        (tr("rp_participants"), str(participants)),
    ]
    parts = ["<section class='vt-summary' aria-labelledby='vt-summary-title'>",
             f"<h2 id='vt-summary-title'>{esc(tr('rp_summary'))}</h2>"]
    if interim is not None:
        parts.append(f"<p class='vt-interim' role='note'><strong>{esc(tr('rp_interim'))}</strong> "
                     f"{esc(tr('rp_interim_made', d=interim.day, m=interim.month, y=interim.year, t=interim.strftime('%H.%M')))}</p>")
    parts.append("<dl class='vt-facts'>" + "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in facts) + "</dl>")
    counted = found.roster
    if counted:
        parts.append(f"<h3>{esc(tr('rp_who'))}</h3><ul class='vt-roster'>")
        parts += [f"<li><strong>{esc(label)}:</strong> {esc(_counts_line(pairs))}</li>" for label, pairs in counted]
        parts.append("</ul>")
    parts.append(f"<h3>{esc(tr('rp_key_results'))}</h3>")
    for phase in phases:
        lines = []
        for section in phase.sections:
            line = found.lines.get(section.activity_id)
            if line:
                lines.append(f"<li><a href='#{esc(section.anchor, quote=True)}'>{esc(section.title)}</a>: {esc(line)}</li>")
        if lines:
            parts.append(f"<p class='vt-sum-phase'>{esc(phase.title)}</p><ul class='vt-sum-lines'>{''.join(lines)}</ul>")
    parts.append("</section>")
    toc = []
    for phase in phases:
        items = "".join(f"<li><a href='#{esc(s.anchor, quote=True)}'>{esc(s.title)}</a></li>" for s in phase.sections)
        toc.append(f"<li><a href='#{esc(phase.anchor, quote=True)}'>{esc(phase.title)}</a>{f'<ol>{items}</ol>' if items else ''}</li>")
    if appendix:
        toc.append(f"<li><a href='#vt-appendix'>{esc(tr('rp_appendix'))}</a></li>")
    parts.append(f"<nav class='vt-toc' aria-labelledby='vt-toc-title'><h2 id='vt-toc-title'>{esc(tr('rp_contents'))}</h2>"
                 f"<ol>{''.join(toc)}</ol></nav>")
    return "".join(parts)

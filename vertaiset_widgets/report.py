"""Session reports: papermill runs the workbooks with ``role="report"``, nbconvert writes
one self-contained HTML file that opens offline (and, with Chromium at hand, a PDF; or an
editable ``.docx``, see :mod:`vertaiset_widgets.report_docx`).

All workbooks of a report run in this one process (the papermill API, not one CLI call
each), in one kernel or, on a machine with cores to spare, two side by side
(:mod:`vertaiset_widgets.report_run`).
"""
from __future__ import annotations

import re
import shutil
import subprocess
from datetime import datetime
from pathlib import Path
from typing import Sequence

import nbformat

from .config import resolve_db_url
from .content import load_content, templates_dir
from .i18n import Translator
from .report_kernels import StartedKernel, start_kernels, stop_kernels
from .report_run import ACTIVITY_CALL, code_text, execute_workbooks
from .report_summary import Findings, Phase, activity_ids, findings, kernel_findings, mark_sections, summary_html
from .report_tidy import html_exporter, tidy_report
from .store import SessionStore

__all__ = ["CHROMIUM_FLAGS", "DEFAULT_WORKBOOKS", "INSTRUCTIONS", "PUIMALA_WORKBOOKS", "WORKBOOK_START", "build_report",
           "filter_language", "html_to_pdf", "report_resources", "workbooks_dir"]

#: Headless Chromium on a machine with no outside network: without the background-networking
#: flags Chromium keeps trying to reach its own services. Used for PDFs, tests and benchmarks.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

#: The workbooks a report runs, in this order (those missing are skipped).
DEFAULT_WORKBOOKS = ("01_tilannekuva.ipynb", "02_tavoitteet.ipynb", "03_koordinointi.ipynb", "04_arviointi.ipynb")
#: What a Puimala's report runs instead of the phase workbooks (a session with Puimala settings).
PUIMALA_WORKBOOKS = ("puimala.ipynb",)

#: The tag of the first cell of every workbook after the first: the report template starts a
#: new printed page there (each phase on its own pages).
WORKBOOK_START = "vt-workbook-start"
#: The tag of a method text's markdown cell that speaks to the room ("Kertokaa lyhyesti: …"):
#: the live pages show it, the report leaves it out.
INSTRUCTIONS = "vt-ohje"


def workbooks_dir() -> Path:
    """The folder of the phase workbooks: the root's, the checkout's or the installed package's.

    See :mod:`vertaiset_widgets.roots`.
    """
    from .roots import workbooks_dir as _workbooks_dir

    return _workbooks_dir()


def report_resources() -> dict[str, str]:
    """What the report template reads besides the notebook: the kinds' stylesheet, which it
    inlines (``vertaiset_kinds_css``), so canvases, boards and maps look as they do live."""
    from . import kinds

    return {"vertaiset_kinds_css": kinds.stylesheet()}


def filter_language(nb: nbformat.NotebookNode, lang: str) -> nbformat.NotebookNode:
    """Drop the markdown cells tagged for another language (``lang:xx`` tags), and the
    instructions to the room (tag :data:`INSTRUCTIONS`): a report is read afterwards."""
    kept = []
    for cell in nb.cells:
        all_tags = cell.get("metadata", {}).get("tags", [])
        tags = [t for t in all_tags if t.startswith("lang:")]
        if (tags and f"lang:{lang}" not in tags) or INSTRUCTIONS in all_tags:
            continue
        kept.append(cell)
    nb.cells = kept
    return nb


def _strip_code_cells(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Keep code cells only for their outputs; parameter cells go entirely."""
    kept = []
    for cell in nb.cells:
        tags = cell.get("metadata", {}).get("tags", [])
        if cell.cell_type == "code" and ("parameters" in tags or "injected-parameters" in tags):
            continue
        if cell.cell_type == "code" and not cell.get("outputs"):
            continue
        kept.append(cell)
    nb.cells = kept
    return nb


def _drop_repeats(nb: nbformat.NotebookNode, seen: set[str], *, first: bool) -> nbformat.NotebookNode:
    """Leave out what an earlier workbook of the same report already showed: the session
    header, and an activity run by several workbooks (the check-in), with its method text."""
    kept: list = []
    pending: list = []  # markdown since the last code cell: it belongs to the next activity
    for cell in nb.cells:
        if cell.cell_type != "code":
            pending.append(cell)
            continue
        source = "".join(cell.get("source", ""))
        match = ACTIVITY_CALL.search(source)
        if not first and "wb.header()" in source:
            kept += pending
        elif match and match.group(1) in seen:
            kept += [c for c in pending if _is_phase_title(c)]  # shown already: its method text goes too
        else:
            if match:
                seen.add(match.group(1))
            kept += pending + [cell]
        pending = []
    nb.cells = kept + pending
    return nb


def _is_phase_title(cell) -> bool:
    """A markdown cell that opens a workbook with its level-1 heading (the phase's title)."""
    return cell.cell_type == "markdown" and "".join(cell.get("source", "")).lstrip().startswith("# ")


def build_report(
    code: str,
    out_dir: str | Path,
    *,
    lang: str | None = None,
    db_url: str | None = None,
    workbooks: Sequence[str] = DEFAULT_WORKBOOKS,
    pdf: bool = False,
    docx: bool = False,
    names: bool = False,
    interim: datetime | None = None,
    progress: bool = False,
    kernels: int | Sequence[StartedKernel] = 1,
) -> Path:
    """Run the workbooks for session ``code`` and write the report; return the HTML's path.
    With ``pdf`` or ``docx`` the same report is written beside it as ``.pdf`` or ``.docx`` too.

    The report opens with its summary and contents (:mod:`vertaiset_widgets.report_summary`).
    No participant's name, nickname or contact appears unless ``names`` is given. An
    ``interim`` report (made during the event, at that time) says so at its top and in its
    file name. ``progress`` shows a progress bar of the workbooks' cells on the terminal.
    ``kernels`` (at most one per workbook) run the workbooks side by side, each kernel a run of
    consecutive workbooks (see :func:`vertaiset_widgets.report_run.execute_workbooks`); they may be
    kernels started already (:func:`vertaiset_widgets.report_kernels.start_kernels`), which then
    start and import while this reads the store and the templates.

    A Puimala (a session with Puimala settings) runs :data:`PUIMALA_WORKBOOKS` in place of the
    default phase workbooks.

    Raises
    ------
    VertaisetUnknownSessionError
        No session has this code.
    """
    started = start_kernels(kernels) if isinstance(kernels, int) else list(kernels)
    try:
        return _build(code, Path(out_dir), lang=lang, db_url=db_url, workbooks=workbooks, pdf=pdf, docx=docx,
                      names=names, interim=interim, progress=progress, started=started)
    finally:
        stop_kernels(started, wait=None)  # those a report that failed early did not use


def _build(code: str, out: Path, *, lang: str | None, db_url: str | None, workbooks: Sequence[str], pdf: bool,
           docx: bool, names: bool, interim: datetime | None, progress: bool, started: list[StartedKernel]) -> Path:
    url = resolve_db_url(db_url)
    store = SessionStore(url)
    session = store.get_session(code)
    if tuple(workbooks) == DEFAULT_WORKBOOKS and store.puimala(session.id) is not None:
        workbooks = PUIMALA_WORKBOOKS
    content = load_content()
    lang = content.lang(lang or session.lang)
    out.mkdir(parents=True, exist_ok=True)
    tr = Translator.create(content, lang)
    merged: nbformat.NotebookNode | None = None
    seen: set[str] = set()
    phases: list[Phase] = []
    paths = [p for p in (workbooks_dir() / name for name in workbooks) if p.exists()]
    found = Findings()
    exporter = _exporter()  # while the kernels start and import
    if paths:
        executed = execute_workbooks(
            paths,
            parameters={"session": session.code, "role": "report", "lang": lang, "db_url": url, "names": bool(names)},
            kernels=started,
            progress=progress,
        )
        # the summary's lines, as the kernels found them beside each activity's blocks
        found, unspoken = kernel_findings(executed, activity_ids([code_text(p) for p in paths]))
        if unspoken:  # a workbook that draws an activity its own way: read from the store here
            more = findings(store, session, content, tr, unspoken)
            found.lines.update(more.lines)
            found.roster = found.roster or more.roster
        for part in executed:
            workbook = part.cells[0].get("metadata", {}).get("vertaiset_workbook", "") if part.cells else ""
            part = _strip_code_cells(_drop_repeats(filter_language(part, lang), seen, first=merged is None))
            phase = mark_sections(part, workbook, content, tr)
            if phase is not None:
                phases.append(phase)
            if merged is None:
                merged = part
            elif part.cells:
                tags = part.cells[0].setdefault("metadata", {}).setdefault("tags", [])
                tags.append(WORKBOOK_START)
                merged.cells.extend(part.cells)
    if merged is None:
        raise FileNotFoundError(f"none of the workbooks {', '.join(workbooks)} is in {workbooks_dir()}")
    _insert_summary(merged, summary_html(store, session, tr, phases, found, interim=interim,
                                         appendix=any(APPENDIX_MARK in _outputs_text(c) for c in merged.cells)))
    title = f"{session.title} – {session.held_on.strftime('%-d.%-m.%Y')}"
    merged.metadata["vertaiset"] = {
        "lang": lang,
        "title": f"{title} – {tr('rp_interim')}" if interim is not None else title,
        "code": session.code,
        "generated": (interim or datetime.now()).isoformat(timespec="minutes"),
    }
    body, _resources = exporter.from_notebook_node(merged, resources=report_resources())
    body = tidy_report(body, tr)
    slug = re.sub(r"[^A-Za-z0-9]+", "-", session.code).strip("-")
    suffix = f"-{tr('rp_interim_file')}-{interim.strftime('%H%M')}" if interim is not None else ""
    html_path = out / f"vertaiset-{slug}-{session.held_on.isoformat()}-{lang}{suffix}.html"
    html_path.write_text(body, encoding="utf-8")
    if pdf:
        html_to_pdf(html_path, html_path.with_suffix(".pdf"))
    if docx:
        from .report_docx import html_to_docx

        html_to_docx(body, html_path.with_suffix(".docx"))
    store.close()
    return html_path


#: What marks a free-text list for the appendix (see :func:`vertaiset_widgets.results.free_text_html`).
APPENDIX_MARK = "class='vt-appendix'"


def _exporter():
    """The report's HTML exporter (nbconvert's import is most of its making)."""
    return html_exporter(
        template_name="vertaiset_report",
        extra_template_basedirs=[str(templates_dir() / "nbconvert" / "templates")],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )


def _outputs_text(cell) -> str:
    return "".join(str(o.get("data", {}).get("text/html", "")) for o in cell.get("outputs", []))


def _insert_summary(nb: nbformat.NotebookNode, html: str) -> None:
    """The summary and contents as a cell right after the session's header (the first code cell)."""
    cell = nbformat.v4.new_code_cell("", outputs=[nbformat.v4.new_output("display_data", data={"text/html": html})])
    cell.id = "vt-summary"
    first = next((i for i, c in enumerate(nb.cells) if c.cell_type == "code"), -1)
    nb.cells.insert(first + 1, cell)


def html_to_pdf(html_path: Path, pdf_path: Path) -> Path:
    """Print the HTML report to PDF with headless Chromium (no network)."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not browser:
        raise FileNotFoundError("PDF needs Chromium: install it (Debian: apt-get install chromium)")
    subprocess.run(
        [
            browser,
            *CHROMIUM_FLAGS,
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf_path}",
            html_path.resolve().as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return pdf_path

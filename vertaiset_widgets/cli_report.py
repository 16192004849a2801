"""``vertaiset report``: a session's report as HTML, and beside it a PDF or an editable Word file."""
from __future__ import annotations

import argparse
import gc
import importlib
import os
import shutil
import sys
from datetime import datetime
from pathlib import Path

from .errors import VertaisetInputError

__all__ = ["FORMATS", "add_report_parser"]

#: What ``vertaiset report`` writes: the HTML always, and beside it a PDF or a Word file if asked.
FORMATS = ("html", "pdf", "docx")


def cmd_report(args: argparse.Namespace) -> int:
    """Run the workbooks for a session with papermill and write an offline HTML report; with
    ``--format pdf|docx`` the same report beside it. ``--out x.docx`` (.pdf, .html) names the file."""
    from .cli import _use_root
    from .report_kernels import start_kernels

    _use_root(args)
    out = Path(args.out)
    suffix = out.suffix.lower().lstrip(".")
    target = out if suffix in FORMATS else None
    fmt = args.format or ("pdf" if args.pdf else suffix if target else "html")
    if target is not None and suffix != fmt:
        raise VertaisetInputError(f"--out {out.name} is not a .{fmt} file (--format {fmt})")
    # the kernels start and import while this process imports nbconvert and reads the store;
    # the imports run without the cyclic collector, and what they leave is frozen (as in the
    # kernels: report_kernels.warm_kernel), so that its full collections do not scan it again
    gc.disable()
    try:
        kernels = start_kernels(args.kernels or min(2, os.cpu_count() or 1))
        importlib.import_module("nbconvert")  # the report's exporter
        from .report import DEFAULT_WORKBOOKS, build_report
    finally:
        gc.enable()
    gc.freeze()

    path = build_report(args.code, target.parent if target else out, lang=args.lang, db_url=args.db_url,
                        pdf=fmt == "pdf", docx=fmt == "docx", workbooks=args.workbooks or DEFAULT_WORKBOOKS,
                        names=args.names, interim=datetime.now() if args.interim else None,
                        progress=not args.quiet and sys.stderr.isatty(),
                        kernels=kernels)
    written = path.with_suffix(f".{fmt}")
    if target is not None and target.resolve() != written.resolve():
        written = Path(shutil.move(written, target))
    print(path if fmt != "html" else written)
    if fmt != "html":
        print(written)
    return 0


def add_report_parser(sub, db: argparse.ArgumentParser, root: argparse.ArgumentParser) -> None:
    """The ``report`` subcommand, with the database and root options ``db`` and ``root``."""
    report = sub.add_parser(
        "report",
        parents=[db, root],
        help="write a session's report (HTML, optionally PDF or an editable .docx)",
        description="Run the workbooks for the session with papermill (role=report) and write one HTML file "
        "that opens with no network. Prints the path of what it wrote.",
    )
    report.add_argument("code", help="the session's join code")
    report.add_argument("--out", default="reports", help="folder to write into (default ./reports), or a file: x.docx")
    report.add_argument("--lang", choices=["fi", "sv", "en"], help="language (default: the session's)")
    report.add_argument(
        "--format", choices=FORMATS,
        help="html (default); pdf: also print it to PDF with headless Chromium, each phase from a new page, the "
        "session and page numbers in the footer; docx: also write it as a Word file to edit before sending it on",
    )
    report.add_argument("--pdf", action="store_true", help="the same as --format pdf")
    report.add_argument(
        "--names", action="store_true",
        help="show participants' names and the contact list's names (default: none; who took part is counted by "
        "sector and organisation, free texts are shown without their authors)",
    )
    report.add_argument(
        "--interim", action="store_true",
        help="an interim report during the event: says 'väliraportti' with the time it was made, in the file and its name",
    )
    report.add_argument("--quiet", action="store_true", help="no progress bar (it shows on a terminal only)")
    report.add_argument(
        "--kernels", type=int, choices=range(1, 5), metavar="N",
        help="kernels that run the workbooks side by side (default: 2 on a machine with 2 cores or more, else 1)",
    )
    report.add_argument(
        "--workbooks", nargs="+", metavar="NOTEBOOK",
        help="the workbooks to run, in order (default: every phase workbook, 01_tilannekuva … 04_arviointi)",
    )
    report.set_defaults(func=cmd_report)

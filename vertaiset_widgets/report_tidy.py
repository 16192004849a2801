"""The report's HTML made ready for readers, after nbconvert: the free-text lists moved to an
appendix at the end, and the headings in order (none skipped going deeper), for screen readers
and the .docx's outline alike.

nbconvert's own HTML exporter parses its page once more with BeautifulSoup, only to give images
without ``alt`` a placeholder (and a ``tabindex`` to the outputs of a ``.jp-Notebook``, which the
report's template does not have): on a report that is a second second of parsing.
:func:`html_exporter` makes an exporter that leaves that pass out, and :func:`tidy_report`, which
parses the page anyway, gives the placeholder in its pass.
"""
from __future__ import annotations

import re
import threading

from bs4 import BeautifulSoup

from .i18n import Translator

__all__ = ["APPENDIX_ID", "html_exporter", "tidy_report"]

#: The appendix's id, which the table of contents links to.
APPENDIX_ID = "vt-appendix"

_HEADING = re.compile(r"^h[1-6]$")


def _move_appendix(soup: BeautifulSoup, main, tr: Translator) -> None:
    pieces = main.select("section.vt-appendix")
    if not pieces:
        return
    box = soup.new_tag("section", attrs={"id": APPENDIX_ID, "class": "vt-appendix-all", "aria-labelledby": f"{APPENDIX_ID}-title"})
    title = soup.new_tag("h1", attrs={"id": f"{APPENDIX_ID}-title"})
    title.string = tr("rp_appendix")
    box.append(title)
    note = soup.new_tag("p")
    note.string = tr("rp_appendix_intro")
    box.append(note)
    for piece in pieces:
        box.append(piece.extract())
    main.append(soup.new_tag("div", attrs={"class": "vt-phase-break", "aria-hidden": "true"}))
    main.append(box)


def _level_headings(main) -> None:
    """Each heading at most one level deeper than the one before it (an activity's result
    headings sit under its ``<h2>``)."""
    previous = 0
    for heading in main.find_all(_HEADING):
        level = int(heading.name[1])
        if previous and level > previous + 1:
            level = previous + 1
            heading.name = f"h{level}"
        previous = level


#: one report's export at a time leaves nbconvert's parse out (see :func:`html_exporter`)
_LOCK = threading.Lock()


class _Unparsed(str):
    """The page as nbconvert's exporter wrote it, standing in for its BeautifulSoup: nothing to select."""

    def __new__(cls, markup: str, features: str | None = None):
        return super().__new__(cls, markup)

    def select(self, _selector: str) -> list:
        return []


def html_exporter(**options):
    """nbconvert's ``HTMLExporter`` with ``options``, without its closing BeautifulSoup pass
    (:func:`tidy_report` does that pass's work)."""
    from nbconvert import HTMLExporter
    from nbconvert.exporters import html as nbconvert_html

    class ReportExporter(HTMLExporter):
        def from_notebook_node(self, nb, resources=None, **kw):
            if not hasattr(nbconvert_html, "BeautifulSoup"):  # another nbconvert: its own pass, as it is
                return super().from_notebook_node(nb, resources, **kw)
            with _LOCK:
                real = nbconvert_html.BeautifulSoup
                nbconvert_html.BeautifulSoup = _Unparsed
                try:
                    html, resources = super().from_notebook_node(nb, resources, **kw)
                finally:
                    nbconvert_html.BeautifulSoup = real
            return str(html), resources

    return ReportExporter(**options)


def tidy_report(body: str, tr: Translator) -> str:
    """``body`` (the report's HTML) with its appendix gathered at the end and its headings in order."""
    soup = BeautifulSoup(body, "html.parser")
    for img in soup.select("img:not([alt])"):  # what nbconvert's own pass gave (see the module)
        img["alt"] = tr("rp_image_no_alt")
    main = soup.find("main") or soup.body
    if main is None:
        return str(soup)
    _move_appendix(soup, main, tr)
    _level_headings(main)
    return str(soup)

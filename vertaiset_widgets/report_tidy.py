"""The report's HTML made ready for readers, after nbconvert: the free-text lists moved to an
appendix at the end, and the headings in order (none skipped going deeper), for screen readers
and the .docx's outline alike."""
from __future__ import annotations

import re

from bs4 import BeautifulSoup

from .i18n import Translator

__all__ = ["APPENDIX_ID", "tidy_report"]

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


def tidy_report(body: str, tr: Translator) -> str:
    """``body`` (the report's HTML) with its appendix gathered at the end and its headings in order."""
    soup = BeautifulSoup(body, "html.parser")
    main = soup.find("main") or soup.body
    if main is None:
        return body
    _move_appendix(soup, main, tr)
    _level_headings(main)
    return str(soup)

"""The report's HTML made ready for readers, after nbconvert: the free-text lists moved to an
appendix at the end, and the headings in order (none skipped going deeper), for screen readers
and the .docx's outline alike.

nbconvert's own HTML exporter parses its page once more with BeautifulSoup, only to give images
without ``alt`` a placeholder (and a ``tabindex`` to the outputs of a ``.jp-Notebook``, which the
report's template does not have): on a report that is a second second of parsing.
:func:`html_exporter` makes an exporter that leaves that pass out, and :func:`tidy_report` gives
the placeholder in its pass.

:func:`tidy_report` does not parse the page either (a 1.6 MB report took half a second in
BeautifulSoup, after every kernel had finished): it works on the tags it changes, which the
report's own code writes (``<main>``, the headings, ``<img>``, and the appendix's ``<section>``).
Everything a participant wrote reaches the page escaped (``&lt;``), and the charts' data is
inside ``data:`` URIs, so a ``<`` in the page always opens a tag.
"""
from __future__ import annotations

import re
import threading
from html import escape

from .i18n import Translator

__all__ = ["APPENDIX_ID", "html_exporter", "tidy_report"]

#: The appendix's id, which the table of contents links to.
APPENDIX_ID = "vt-appendix"

#: A start or end tag of the kinds :func:`tidy_report` changes, with its attributes.
_TAG = re.compile(r"<(/?)(section|h[1-6]|img)\b([^>]*)>", re.IGNORECASE)
_IMG_ALT = re.compile(r"\salt\s*=", re.IGNORECASE)
_CLASS = re.compile(r"""\sclass\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)


def _classes(attributes: str) -> set[str]:
    match = _CLASS.search(attributes)
    return set(next(g for g in match.groups() if g is not None).split()) if match else set()


def _alt_placeholders(body: str, tr: Translator) -> str:
    """Each ``<img>`` without ``alt`` gets the placeholder (what nbconvert's own pass gave)."""
    alt = escape(tr("rp_image_no_alt"), quote=True)

    def fill(match: re.Match) -> str:
        if match.group(1) or match.group(2).lower() != "img" or _IMG_ALT.search(match.group(3)):
            return match.group(0)
        attributes = match.group(3)
        closing = "/" if attributes.rstrip().endswith("/") else ""
        attributes = attributes.rstrip().rstrip("/").rstrip() if closing else attributes
        return f'<img{attributes} alt="{alt}"{" /" if closing else ""}>'

    return _TAG.sub(fill, body)


def _main_span(body: str) -> tuple[int, int] | None:
    """Where the content of ``<main>`` (else of ``<body>``) starts and ends."""
    for name in ("main", "body"):
        opening = re.search(rf"<{name}\b[^>]*>", body, re.IGNORECASE)
        closing = body.lower().rfind(f"</{name}>")
        if opening and closing >= opening.end():
            return opening.end(), closing
    return None


def _appendix_pieces(main: str) -> tuple[str, list[str]]:
    """``main`` without its ``<section class="vt-appendix">`` pieces, and the pieces in order."""
    kept: list[str] = []
    pieces: list[str] = []
    at = 0
    depth = 0
    start = -1
    for match in _TAG.finditer(main):
        if match.group(2).lower() != "section":
            continue
        if not match.group(1):
            if depth == 0 and "vt-appendix" in _classes(match.group(3)):
                start, depth = match.start(), 1
            elif depth:
                depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                kept.append(main[at:start])
                pieces.append(main[start:match.end()])
                at = match.end()
    kept.append(main[at:])
    return "".join(kept), pieces


def _level_headings(main: str) -> str:
    """Each heading at most one level deeper than the one before it (an activity's result
    headings sit under its ``<h2>``); a heading's end tag follows its start tag (they never nest)."""
    previous = 0
    level = 0

    def fix(match: re.Match) -> str:
        nonlocal previous, level
        name = match.group(2).lower()
        if not name.startswith("h"):
            return match.group(0)
        if match.group(1):
            return f"</h{level}>" if level else match.group(0)
        level = int(name[1])
        if previous and level > previous + 1:
            level = previous + 1
        previous = level
        return f"<h{level}{match.group(3)}>"

    return _TAG.sub(fix, main)


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


#: A heading with its content (headings never nest); a numeric character reference.
_HEADING_SPAN = re.compile(r"<h([1-6])\b[^>]*>.*?</h\1\s*>", re.IGNORECASE | re.DOTALL)
_CHAR_REF = re.compile(r"&#(?:(\d{1,7})|[xX]([0-9a-fA-F]{1,6}));")


def _plain_characters(body: str) -> str:
    """Headings with their letters as letters: nbconvert writes a markdown heading's "ä" as
    ``&#228;`` (its anchor link's pass). The page reads the same either way; the file is then
    searchable as text. ``<``, ``&`` and quotes, controls and invalid code points stay references."""

    def letter(match: re.Match) -> str:
        code = int(match.group(1)) if match.group(1) else int(match.group(2), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF or code < 0x20 or 0x7F <= code <= 0x9F or chr(code) in "<>&\"'":
            return match.group(0)
        return chr(code)

    return _HEADING_SPAN.sub(lambda m: _CHAR_REF.sub(letter, m.group(0)), body)


def tidy_report(body: str, tr: Translator) -> str:
    """``body`` (the report's HTML) with its appendix gathered at the end, its headings in order
    and their letters as letters."""
    body = _plain_characters(_alt_placeholders(body, tr))
    span = _main_span(body)
    if span is None:
        return body
    begin, end = span
    main, pieces = _appendix_pieces(body[begin:end])
    if pieces:
        title = escape(tr("rp_appendix"))
        main += (
            '<div class="vt-phase-break" aria-hidden="true"></div>'
            f'<section id="{APPENDIX_ID}" class="vt-appendix-all" aria-labelledby="{APPENDIX_ID}-title">'
            f'<h1 id="{APPENDIX_ID}-title">{title}</h1><p>{escape(tr("rp_appendix_intro"))}</p>'
            f'{"".join(pieces)}</section>'
        )
    return body[:begin] + _level_headings(main) + body[end:]

"""The session report as an editable Word file (``.docx``), for a coordinator who edits it before
sending it on: the report's HTML walked into python-docx's headings, paragraphs, lists, tables
and pictures (the SVG charts as PNG, with their text alternative as the picture's description).
"""
from __future__ import annotations

import base64
import re
from io import BytesIO
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import Comment, Declaration, Doctype, ProcessingInstruction

__all__ = ["html_to_docx"]

#: Never shown: code, styles, form controls and the notebook's own chrome.
_SKIP_TAGS = {"style", "script", "template", "noscript", "head", "title", "button", "input", "select",
              "textarea", "canvas", "iframe", "object", "video", "audio", "meta", "link"}
#: ``vt-chart-data``: a chart's data as a folded table, for the HTML's readers; the Word file, like the
#: printed PDF, has the chart (with its text alternative) without it.
_SKIP_CLASSES = {"anchor-link", "jp-InputPrompt", "jp-OutputPrompt", "jp-OutputArea-prompt", "jp-Collapser", "vt-chart-data"}
#: What starts a paragraph (or a table, a list, a picture) of its own.
_BLOCKS = {"p", "div", "section", "article", "main", "aside", "header", "footer", "nav", "body", "figure",
           "figcaption", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "table",
           "img", "svg", "pre", "blockquote", "hr", "details", "summary", "fieldset", "legend", "address"}
#: Word's language tags for the report's languages (Swedish as written in Finland).
_LANG_TAGS = {"fi": "fi-FI", "sv": "sv-FI", "en": "en-GB"}
_PX_PER_INCH = 96
_PNG_SCALE = 2  # PNG pixels per SVG pixel: sharp when printed


def html_to_docx(html: str, path: str | Path) -> Path:
    """Write the report's HTML (as :func:`vertaiset_widgets.report.build_report` makes it) as a
    ``.docx`` file at ``path``; return the path."""
    import docx
    from docx.shared import Cm

    soup = BeautifulSoup(html, "html.parser")
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)  # A4
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Cm(2)
    root = soup.find("html")
    lang = (root.get("lang") if isinstance(root, Tag) else None) or "fi"
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    _set_language(document, lang)
    document.core_properties.title = title
    document.core_properties.language = _LANG_TAGS.get(lang, lang)
    body = soup.find("body")
    footer = (body.get("data-vt-footer") if isinstance(body, Tag) else None) or title
    _footer(document, footer)
    width = section.page_width - section.left_margin - section.right_margin
    _Writer(document, width).blocks(soup.find("main") or body or soup)
    out = Path(path)
    document.save(str(out))
    return out


def _set_language(document, lang: str) -> None:
    """The document's proofing language: the defaults' and every style's ``w:lang``, Normal's too."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tag = _LANG_TAGS.get(lang, lang)
    for element in document.styles.element.iter(qn("w:lang")):
        element.set(qn("w:val"), tag)
    rpr = document.styles["Normal"].element.get_or_add_rPr()
    if rpr.find(qn("w:lang")) is None:
        element = OxmlElement("w:lang")
        element.set(qn("w:val"), tag)
        rpr.append(element)


def _field(paragraph, instruction: str, shown: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = shown
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _footer(document, text: str) -> None:
    """The session on the left of every page's footer, the page number "n / N" under it on the right."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    footer = document.sections[0].footer
    footer.paragraphs[0].text = text
    numbers = footer.add_paragraph()
    numbers.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _field(numbers, "PAGE", "1")
    numbers.add_run(" / ")
    _field(numbers, "NUMPAGES", "1")


def _hidden(node: Tag) -> bool:
    classes = set(node.get("class") or [])
    return node.name in _SKIP_TAGS or bool(classes & _SKIP_CLASSES) or node.has_attr("hidden")


def _is_block(node) -> bool:
    """An element that is, or holds, a block: a ``<span>`` around a list is laid out as its list."""
    if not isinstance(node, Tag):
        return False
    return node.name in _BLOCKS or node.find(_BLOCKS) is not None


def _segments(nodes, bold: bool = False, italic: bool = False) -> list:
    """The inline content as (text, bold, italic) pieces, or None for a line break."""
    out: list = []
    for node in nodes:
        if isinstance(node, (Comment, Declaration, Doctype, ProcessingInstruction)):
            continue
        if isinstance(node, NavigableString):
            out.append((str(node), bold, italic))
        elif isinstance(node, Tag) and not _hidden(node):
            if node.name == "br":
                out.append(None)
            else:
                out += _segments(node.children, bold or node.name in ("strong", "b", "th"),
                                 italic or node.name in ("em", "i", "cite"))
    return out


def _tidy(segments: list) -> list:
    """Collapse whitespace as a browser does: one space between words, none at either end."""
    out: list = []
    space = True  # at the start of a line, leading whitespace goes
    for seg in segments:
        if seg is None:
            if out and out[-1] is not None:
                out[-1] = (out[-1][0].rstrip(" "), *out[-1][1:])
            out.append(None)
            space = True
            continue
        text = re.sub(r"[ \t\n\r\f]+", " ", seg[0])  # HTML's white space: a no-break space stays
        if space:
            text = text.lstrip(" ")
        if text:
            out.append((text, seg[1], seg[2]))
            space = text.endswith(" ")
    while out and out[-1] is None:
        out.pop()
    if out:
        out[-1] = (out[-1][0].rstrip(" "), *out[-1][1:])
    return [s for s in out if s is None or s[0]]


def _text(node) -> str:
    return "".join(s[0] if s else "\n" for s in _tidy(_segments([node])))


def _image_bytes(src: str) -> tuple[bytes, float | None] | None:
    """A data: URI's picture as PNG (or JPEG/GIF) bytes and its width in CSS pixels, if known."""
    match = re.match(r"data:image/([a-z+.-]+);base64,(.*)$", src or "", re.S)
    if not match:
        return None
    data = base64.b64decode(re.sub(r"\s+", "", match.group(2)))
    if match.group(1) == "svg+xml":
        return _svg_png(data.decode("utf-8"))
    if match.group(1) in ("png", "jpeg", "jpg", "gif"):
        return data, None
    return None


def _svg_png(svg: str) -> tuple[bytes, float | None]:
    import vl_convert

    head = re.search(r"<svg\b[^>]*>", svg)
    width = re.search(r'\swidth="([\d.]+)(?:px)?"', head.group(0)) if head else None
    return vl_convert.svg_to_png(svg, scale=_PNG_SCALE), float(width.group(1)) if width else None


class _Writer:
    """Writes block elements into a document or a table cell, in order."""

    def __init__(self, container, width, *, levels: list[int] | None = None, reuse=None):
        self.container = container
        self.width = width  # the text's width (EMU): pictures are no wider
        self.levels = levels if levels is not None else [0]  # the last heading's level, shared
        self.reuse = reuse  # a table cell's own empty first paragraph
        self.page_break = False  # the next paragraph starts a page (a new phase)

    # ------------------------------------------------------------ paragraphs

    def paragraph(self, style: str | None = None):
        if self.reuse is not None:
            paragraph, self.reuse = self.reuse, None
            if style:
                paragraph.style = style
        else:
            paragraph = self.container.add_paragraph(style=style)
        if self.page_break:
            paragraph.paragraph_format.page_break_before = True
            self.page_break = False
        return paragraph

    def runs(self, paragraph, segments: list) -> None:
        for seg in segments:
            if seg is None:
                paragraph.add_run().add_break()
            else:
                run = paragraph.add_run(seg[0])
                run.bold = seg[1] or None
                run.italic = seg[2] or None

    def inline(self, nodes, style: str | None = None, *, bold: bool = False):
        """One paragraph of inline content (None when it has no text)."""
        segments = _tidy(_segments(nodes, bold))
        if not segments:
            return None
        paragraph = self.paragraph(style)
        self.runs(paragraph, segments)
        return paragraph

    # ---------------------------------------------------------------- blocks

    def blocks(self, node: Tag) -> None:
        """Every child of ``node``: loose inline content gathered into paragraphs, blocks as blocks."""
        pending: list = []
        for child in node.children:
            if isinstance(child, Tag) and _hidden(child):
                continue
            if _is_block(child):
                self.inline(pending)
                pending = []
                self.block(child)
            else:
                pending.append(child)
        self.inline(pending)

    def block(self, node: Tag) -> None:
        from docx.shared import Cm

        name = node.name
        if "vt-phase-break" in (node.get("class") or []):
            self.page_break = True
        elif re.fullmatch(r"h[1-6]", name):
            self.heading(node, int(name[1]))
        elif name in ("ul", "ol"):
            self.listing(node, 1)
        elif name == "table":
            self.table(node)
        elif name in ("img", "svg"):
            self.picture(node)
        elif name == "figure":
            self.figure(node)
        elif name == "dl":
            for item in node.find_all(["dt", "dd"], recursive=False):
                self.block(item)
        elif name in ("summary", "legend", "dt"):
            paragraph = self.inline([node], bold=True)
            if paragraph is not None:
                paragraph.paragraph_format.keep_with_next = True
        elif name == "dd" and not node.find(_BLOCKS):
            paragraph = self.inline(node.children)
            if paragraph is not None:
                paragraph.paragraph_format.left_indent = Cm(1)
        elif name == "figcaption":
            self.inline([node], "Caption")
        elif name == "blockquote" and not node.find(_BLOCKS):
            self.inline(node.children, "Quote")
        elif name == "pre":
            paragraph = self.paragraph("No Spacing")
            for number, line in enumerate(node.get_text().rstrip("\n").split("\n")):
                if number:
                    paragraph.add_run().add_break()
                paragraph.add_run(line).font.name = "Courier New"
        elif name == "hr":
            pass
        elif name == "p" and not node.find(_BLOCKS):
            self.inline(node.children)
        else:  # a container: div, section, details, li outside a list …
            self.blocks(node)

    def heading(self, node: Tag, level: int) -> None:
        """A heading; never deeper than one below the previous one (h2 after h4 is fine, h4 after h2
        becomes Heading 3), so that the document's outline has no gaps."""
        segments = _tidy(_segments(node.children))
        if not segments:
            return
        level = max(1, min(level, self.levels[0] + 1, 9))
        self.levels[0] = level
        paragraph = self.paragraph(f"Heading {level}")
        self.runs(paragraph, [(s[0], False, s[2]) if s else s for s in segments])

    def listing(self, node: Tag, depth: int) -> None:
        """A list: bullets as Word's bullet styles, numbers written out (Word's own numbering would
        run on from one list to the next)."""
        from docx.shared import Cm

        style = "List Bullet" if depth == 1 else f"List Bullet {min(depth, 3)}"
        for number, item in enumerate(node.find_all("li", recursive=False), start=1):
            own = [c for c in item.children if not (isinstance(c, Tag) and (c.name in ("ul", "ol") or _hidden(c)))]
            first_block = next((i for i, c in enumerate(own) if _is_block(c)), len(own))
            lead, rest = own[:first_block], own[first_block:]
            if not _tidy(_segments(lead)) and rest and rest[0].name == "p" and not rest[0].find(_BLOCKS):
                lead, rest = list(rest[0].children), rest[1:]
            segments = _tidy(_segments(lead))
            if node.name == "ol":
                paragraph = self.paragraph("List Paragraph")
                paragraph.paragraph_format.left_indent = Cm(0.8 * depth)
                paragraph.add_run(f"{number}. ")
                self.runs(paragraph, segments)
            elif segments:
                self.runs(self.paragraph(style), segments)
            for child in rest:
                if _is_block(child):
                    self.block(child)
                else:
                    self.inline([child])
            for sub in item.find_all(["ul", "ol"], recursive=False):
                self.listing(sub, depth + 1)

    def figure(self, node: Tag) -> None:
        caption = node.find("figcaption")
        for child in node.children:
            if child is caption or not isinstance(child, Tag) or _hidden(child):
                continue
            if child.name in ("img", "svg"):
                self.picture(child, caption=_text(caption) if caption else None)
            elif _is_block(child):
                self.block(child)
            else:
                self.inline([child])

    def picture(self, node: Tag, caption: str | None = None) -> None:
        """A chart as a picture, its text alternative as its description and, below it, its caption."""
        from docx.shared import Emu

        if node.name == "svg":
            label = node.find("title")
            alt = node.get("aria-label") or (label.get_text(" ", strip=True) if label else "")
        else:
            alt = (node.get("alt") or "").strip()
        try:
            image = _svg_png(str(node)) if node.name == "svg" else _image_bytes(node.get("src", ""))
        except Exception:  # a picture that cannot be drawn must not cost the whole document
            image = None
        if image is None:  # nothing to draw: its words stay
            if alt:
                self.inline([NavigableString(alt)])
            if caption:
                self.paragraph("Caption").add_run(caption)
            return
        data, css_width = image
        width = self.width if css_width is None else min(self.width, Emu(int(css_width / _PX_PER_INCH * 914400)))
        paragraph = self.paragraph()
        paragraph.paragraph_format.keep_with_next = True
        shape = paragraph.add_run().add_picture(BytesIO(data), width=width)
        shape._inline.docPr.set("descr", alt)
        if alt:
            shape._inline.docPr.set("title", alt[:255])
        text = caption if caption is not None else alt
        if text:
            self.paragraph("Caption").add_run(text)

    def table(self, node: Tag) -> None:
        """A table: the caption as a paragraph before it, header rows bold and repeated on every page,
        no row split across pages, cells spanning rows and columns merged."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        caption = node.find("caption")
        if caption is not None and caption.find_parent("table") is node:
            paragraph = self.inline([caption], "Caption")
            if paragraph is not None:
                paragraph.paragraph_format.keep_with_next = True
        rows = [tr for tr in node.find_all("tr") if tr.find_parent("table") is node]
        cells = [[c for c in tr.find_all(["th", "td"], recursive=False)] for tr in rows]
        rows, cells = [r for r, c in zip(rows, cells) if c], [c for c in cells if c]
        if not rows:
            return
        spans = [[(max(1, _int(c.get("rowspan"))), max(1, _int(c.get("colspan")))) for c in row] for row in cells]
        ncols = max(sum(cs for _rs, cs in row) for row in spans)
        if self.page_break:
            self.paragraph()
        table = self.container.add_table(rows=len(rows), cols=ncols)
        table.style = "Table Grid"
        grid = [list(row.cells) for row in table.rows]  # once: table.cell() walks the whole table each time
        taken: set[tuple[int, int]] = set()
        heading_rows = True
        for r, (tr, row) in enumerate(zip(rows, cells)):
            c = 0
            heading_rows = heading_rows and (tr.find_parent("thead") is not None or all(x.name == "th" for x in row))
            properties = table.rows[r]._tr.get_or_add_trPr()
            properties.append(OxmlElement("w:cantSplit"))  # a row stays on one page
            if heading_rows:
                header = OxmlElement("w:tblHeader")
                header.set(qn("w:val"), "true")
                properties.append(header)
            for cell, (rs, cs) in zip(row, spans[r]):
                while (r, c) in taken:
                    c += 1
                if c >= ncols:
                    break
                last_r, last_c = min(r + rs, len(rows)) - 1, min(c + cs, ncols) - 1
                taken |= {(i, j) for i in range(r, last_r + 1) for j in range(c, last_c + 1)}
                target = grid[r][c]
                if (last_r, last_c) != (r, c):
                    target = target.merge(grid[last_r][last_c])
                writer = _Writer(target, self.width, levels=[9], reuse=target.paragraphs[0])
                if _is_block_content(cell):
                    writer.blocks(cell)
                else:
                    writer.inline(cell.children)
                if cell.name == "th":
                    for paragraph in target.paragraphs:
                        for run in paragraph.runs:
                            run.bold = True
                c = last_c + 1


def _is_block_content(cell: Tag) -> bool:
    return any(_is_block(child) for child in cell.children)


def _int(value) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return 1

"""The report's other formats: the PDF (each phase from a new page, the session and the page numbers in
every page's footer) and the editable Word file (real headings, tables and the charts as pictures).

Both come from the demo's one report (``demo_report``, made once for the run, with its PDF)."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import CHROMIUM, VOILA_GROUP
from vertaiset_widgets.cli import main as cli_main
from vertaiset_widgets.report_docx import html_to_docx

PHASES = ("Tilannekuva", "Tavoitteet ja toimintatavat", "Koordinointi ja fasilitointi", "Arviointi ja reflektio")
TITLE = "Yhdessä aikuisuuteen"
APPENDIX = "Liite: vapaat vastaukset"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _headings(document) -> list[tuple[int, str]]:
    return [(int(p.style.name.split()[-1]), p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]


def _cells(row) -> list[str]:
    """A row's texts, white space as one space (a <br> is a line break in Word, a space in get_text)."""
    return [" ".join(cell.text.split()) for cell in row.cells]


def _html_header(table) -> list[str]:
    """The first row's cells of an HTML table, a cell spanning n columns n times (as python-docx lists them)."""
    row = table.find("tr")
    return [" ".join(c.get_text(" ").split()) for c in row.find_all(["th", "td"], recursive=False)
            for _ in range(int(c.get("colspan", 1)))]


@pytest.fixture(scope="module")
def report_html(demo_report) -> str:
    return demo_report.html.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def soup(report_html) -> BeautifulSoup:
    return BeautifulSoup(report_html, "html.parser")


@pytest.fixture(scope="module")
def word(report_html, tmp_path_factory):
    """The demo's report as a .docx, opened again with python-docx."""
    import docx

    path = html_to_docx(report_html, tmp_path_factory.mktemp("docx") / "report.docx")
    shots = os.environ.get("VERTAISET_SHOTS")
    if shots:
        shutil.copy(path, Path(shots) / "report.docx")
    return docx.Document(str(path))


# ------------------------------------------------------------------------------------------- docx


@pytest.mark.slow
@pytest.mark.xdist_group(VOILA_GROUP)
def test_docx_headings_are_in_order(word, soup):
    """Real headings, no level skipped going deeper, the session first, every phase's title in order."""
    headings = _headings(word)
    assert headings[0][0] == 1 and TITLE in headings[0][1]
    for (before, _), (after, text) in zip(headings, headings[1:]):
        assert after <= before + 1, (before, after, text)
    titles = [text for level, text in headings if level == 1]
    positions = [next(i for i, t in enumerate(titles) if t == phase) for phase in PHASES]
    assert positions == sorted(positions), titles
    # as many headings as the HTML has (the anchor "¶" left out)
    assert len(headings) == len([h for h in soup.find("main").find_all(re.compile("^h[1-6]$")) if h.get_text(strip=True)])
    assert not any("¶" in text for _level, text in headings)
    # each phase after the first starts a page, and so does the appendix
    starts = [p.text for p in word.paragraphs if p.paragraph_format.page_break_before]
    assert starts == [*PHASES[1:], APPENDIX], starts


@pytest.mark.slow
@pytest.mark.xdist_group(VOILA_GROUP)
def test_docx_tables_match_the_report(word, soup):
    """Every table of the report, with its header row (bold, repeated on each page) and its caption before it."""
    # (a chart's data table, folded under it in the HTML, stays out of the Word file as out of the PDF)
    tables = [t for t in soup.find("main").find_all("table")
              if t.find_parent("table") is None and t.find_parent("details", class_="vt-chart-data") is None]
    assert len(tables) >= 10 and len(word.tables) == len(tables)
    for html_table, table in zip(tables, word.tables):
        assert _cells(table.rows[0]) == _html_header(html_table)
        assert len(table.rows) == len([tr for tr in html_table.find_all("tr") if tr.find_parent("table") is html_table])
    heads = [t for t, h in zip(word.tables, tables) if h.find("thead")]
    assert heads, "no table has a header row"
    for table in heads:
        assert table.rows[0]._tr.find(f"{W}trPr/{W}tblHeader") is not None
        assert all(run.bold for cell in table.rows[0].cells for p in cell.paragraphs for run in p.runs)
    captions = [p.text for p in word.paragraphs if p.style.name == "Caption"]
    for html_table in tables:
        if html_table.caption:
            assert html_table.caption.get_text(" ", strip=True) in captions


@pytest.mark.slow
@pytest.mark.xdist_group(VOILA_GROUP)
def test_docx_charts_are_pictures_with_their_text(word, soup, tmp_path):
    """One picture per chart of the report, a PNG, its alt text as the picture's description."""
    charts = soup.find("main").find_all("img", src=re.compile("^data:image/"))
    assert len(charts) >= 10
    shapes = word.inline_shapes
    assert len(shapes) == len(charts)
    for shape, img in zip(shapes, charts):
        assert shape._inline.docPr.get("descr") == img.get("alt", "").strip()
        assert shape.width > 0 and shape.width <= word.sections[0].page_width
    blips = [shape._inline.graphic.graphicData.pic.blipFill.blip.embed for shape in shapes]
    first = word.part.related_parts[blips[0]]
    assert first.blob[:8] == b"\x89PNG\r\n\x1a\n"
    shots = os.environ.get("VERTAISET_SHOTS")
    if shots:
        Path(shots, "docx-chart.png").write_bytes(word.part.related_parts[blips[-1]].blob)


@pytest.mark.slow
@pytest.mark.xdist_group(VOILA_GROUP)
def test_docx_language_text_and_footer(word):
    """Finnish as the document's language, the report's words as text, the session and page numbers below."""
    assert word.core_properties.language == "fi-FI" and TITLE in word.core_properties.title
    lang = word.styles["Normal"].element.find(f"{W}rPr/{W}lang")
    assert lang is not None and lang.get(f"{W}val") == "fi-FI"
    text = "\n".join(p.text for p in word.paragraphs)
    assert "360-asteen tarkastelutapa" in text and "Virittäydytäänpä ensin" in text
    assert "@page" not in text and "--vt-" not in text and "Workbook.open" not in text
    footer = word.sections[0].footer
    assert TITLE in footer.paragraphs[0].text and "DEMO" in footer.paragraphs[0].text
    fields = [f.get(f"{W}instr") for f in footer._element.iter(f"{W}fldSimple")]
    assert fields == ["PAGE", "NUMPAGES"]


def test_docx_of_a_small_report(tmp_path):
    """The walk itself: levels closed up, spans merged, lists and emphasis kept, code and styles left out,
    a picture that cannot be drawn kept as its words, participants' words kept as they are."""
    import docx

    html = """<!DOCTYPE html><html lang="sv"><head><title>T &amp; &lt;b&gt;</title><style>p{color:red}</style></head>
    <body data-vt-footer="Rubrik · KOD"><main>
    <h1>Rubrik <a class="anchor-link" href="#x">¶</a></h1><h3>Djupt</h3>
    <p>Text <strong>fet</strong> och <em>kursiv</em><br>rad två</p><script>alert(1)</script>
    <ul><li>ett<ul><li>inne</li></ul></li><li><p>två</p></li></ul><ol><li>först</li><li>sedan</li></ol>
    <table><caption>Tabell</caption><thead><tr><th colspan="2">AB</th><th>C</th></tr></thead>
    <tbody><tr><td rowspan="2">1</td><td>2</td><td>3</td></tr><tr><td>5</td><td>&lt;script&gt;</td></tr></tbody></table>
    <figure><figcaption>Bild</figcaption><img src="data:image/svg+xml;base64,bm90IHN2Zw==" alt="Inget diagram"></figure>
    </main></body></html>"""
    document = docx.Document(str(html_to_docx(html, tmp_path / "small.docx")))
    assert _headings(document) == [(1, "Rubrik"), (2, "Djupt")]
    texts = [(p.style.name, p.text) for p in document.paragraphs]
    assert ("Normal", "Text fet och kursiv\nrad två") in texts
    assert ("List Bullet", "ett") in texts and ("List Bullet 2", "inne") in texts and ("List Bullet", "två") in texts
    assert ("List Paragraph", "1. först") in texts and ("List Paragraph", "2. sedan") in texts
    assert ("Caption", "Tabell") in texts and ("Normal", "Inget diagram") in texts and ("Caption", "Bild") in texts
    assert not any("alert" in t or "color" in t for _s, t in texts)
    bold = [r.text for p in document.paragraphs for r in p.runs if r.bold]
    assert bold == ["fet"] and [r.text for p in document.paragraphs for r in p.runs if r.italic] == ["kursiv"]
    (table,) = document.tables
    assert [_cells(r) for r in table.rows] == [["AB", "AB", "C"], ["1", "2", "3"], ["1", "5", "<script>"]]
    assert document.core_properties.language == "sv-FI" and document.core_properties.title == "T & <b>"
    assert document.sections[0].footer.paragraphs[0].text == "Rubrik · KOD"


def test_report_out_file_must_match_its_format(tmp_path, capsys):
    """`--out x.docx` names the file; with another --format it is refused in one line, before any work."""
    code = cli_main(["report", "NOSUCH", "--format", "pdf", "--out", str(tmp_path / "x.docx")])
    assert code == 2
    assert capsys.readouterr().err.strip() == "vertaiset: --out x.docx is not a .pdf file (--format pdf)"
    assert list(tmp_path.iterdir()) == []


# -------------------------------------------------------------------------------------------- PDF


@pytest.fixture(scope="module")
def pdf_pages(demo_report) -> list[str]:
    """The PDF's pages as text (pdftotext -layout)."""
    if demo_report.pdf is None or not shutil.which("pdftotext"):
        pytest.skip(f"the PDF needs Chromium at {CHROMIUM} and pdftotext (poppler-utils)")
    text = subprocess.run(["pdftotext", "-layout", str(demo_report.pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    return text.split("\f")[:-1]


@pytest.mark.slow
@pytest.mark.xdist_group(VOILA_GROUP)
def test_pdf_footer_on_every_page(pdf_pages):
    """Every page ends with the session (its title and code) and "page / pages"."""
    total = len(pdf_pages)
    assert total >= 5
    for number, page in enumerate(pdf_pages, start=1):
        tail = "\n".join(page.rstrip().splitlines()[-3:])
        assert re.search(rf"(?<![\d/]){number} / {total}\s*$", tail, re.M), (number, tail)
        assert TITLE in tail and "DEMO" in tail, (number, tail)


@pytest.mark.slow
@pytest.mark.xdist_group(VOILA_GROUP)
def test_pdf_each_phase_starts_a_page(pdf_pages):
    """Each phase after the first, and the appendix, opens a page with its title."""
    firsts = [next((line.strip() for line in page.splitlines() if line.strip()), "") for page in pdf_pages]
    for phase in [*PHASES[1:], APPENDIX]:
        assert phase in firsts, (phase, firsts)

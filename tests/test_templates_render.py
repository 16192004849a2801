"""Fast checks of the Jinja templates under templates/ (no browser, no Voila server, no kernel).

* templates/nbconvert/templates/vertaiset_report: the offline HTML report is rendered
  with nbconvert's HTMLExporter from an in-memory notebook and checked for
  self-containment (no script, no external link/src), widget omission, <html lang>, title.
* templates/voila/templates/vertaiset: the files exist and parse, nothing points at
  another host, the stylesheet resolves through Voila's own static-file handler, and
  the template renders through Voila's exporter with stub kernel functions.
* Both stylesheets share one colour palette that meets WCAG 2.1 AA contrast.
"""

from __future__ import annotations

import asyncio
import base64
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import jinja2
import nbformat
import pytest
from nbconvert import HTMLExporter

from vertaiset_widgets import kinds
from vertaiset_widgets.report import report_resources

REPO = Path(__file__).resolve().parents[1]
TEMPLATES = REPO / "templates"
REPORT_BASEDIR = TEMPLATES / "nbconvert" / "templates"
REPORT_DIR = REPORT_BASEDIR / "vertaiset_report"
REPORT_CSS = REPORT_DIR / "static" / "vertaiset_report.css"
VOILA_DIR = TEMPLATES / "voila" / "templates" / "vertaiset"
VOILA_CSS = VOILA_DIR / "static" / "vertaiset.css"

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE_MIME = "application/vnd.jupyter.widget-state+json"
MODEL_ID = "5f1c0a3e2b7d4c9e8a6b1d2c3e4f5a6b"
WIDGET_FALLBACK = "VBox(children=(Button(description='Lähetä', style=ButtonStyle()),))"
SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="60" viewBox="0 0 120 60">'
    "<title>Osallistujat kunnittain</title>"
    '<rect x="5" y="10" width="40" height="45" fill="#005f73"/></svg>'
)
# 1x1 PNG
PNG_B64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


# --------------------------------------------------------------------------- helpers


class _TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.style_text: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.style_text.append(data)


def _parse(html: str) -> _TagCollector:
    collector = _TagCollector()
    collector.feed(html)
    collector.close()
    return collector


def _css_without_comments(css: str) -> str:
    return re.sub(r"/\*.*?\*/", "", css, flags=re.S)


_REMOTE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.I)  # http://, https://, //host


def _remote_references(html: str) -> list[str]:
    """Every attribute/CSS reference that would make the browser contact another host.

    Ordinary <a href> links (e.g. written in a markdown cell) are allowed: they are only
    followed when clicked.
    """
    parsed = _parse(html)
    found = []
    for tag, attrs in parsed.tags:
        for name in ("src", "href", "srcset", "poster", "data", "action", "background"):
            value = attrs.get(name)
            if value and tag != "a" and _REMOTE.match(value):
                found.append(f"<{tag} {name}={value!r}>")
    css = _css_without_comments("\n".join(parsed.style_text))
    found += re.findall(r"@import[^;]*", css, re.I)
    found += [u for u in re.findall(r"url\(\s*['\"]?([^'\")]+)", css, re.I) if _REMOTE.match(u)]
    return found


def make_notebook(metadata: dict | None = None, *, widget_state: bool = True) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata.update(metadata or {})
    md = nbformat.v4.new_markdown_cell(
        "## Menetelmä\n\nTämä on **ohje**. Lisää: [Vertaiset](https://example.org/vertaiset)\n\n"
        "| Kunta | Määrä |\n|---|---|\n| Espoo | 3 |\n"
    )
    md.metadata["tags"] = ["lang:fi"]
    printed = nbformat.v4.new_code_cell("print('Tulosteen teksti')")
    printed.outputs = [nbformat.v4.new_output("stream", name="stdout", text="Tulosteen teksti\n")]
    chart = nbformat.v4.new_code_cell("display(SVG(svg))")
    chart.outputs = [
        nbformat.v4.new_output("display_data", data={"image/svg+xml": SVG, "text/plain": "<IPython.core.display.SVG object>"})
    ]
    picture = nbformat.v4.new_code_cell("Image(png)")
    picture.outputs = [
        nbformat.v4.new_output(
            "execute_result", data={"image/png": PNG_B64, "text/plain": "<IPython.core.display.Image object>"}, execution_count=3
        )
    ]
    table = nbformat.v4.new_code_cell("df")
    table.outputs = [
        nbformat.v4.new_output(
            "execute_result",
            data={
                "text/html": '<table class="dataframe"><thead><tr><th>Vastaus</th></tr></thead><tbody><tr><td>Kyllä</td></tr></tbody></table>',
                "text/plain": "  Vastaus\n0   Kyllä",
            },
            execution_count=4,
        )
    ]
    widget = nbformat.v4.new_code_cell("display(ui)")
    widget.outputs = [
        nbformat.v4.new_output(
            "display_data",
            data={
                WIDGET_MIME: {"version_major": 2, "version_minor": 0, "model_id": MODEL_ID},
                "text/plain": WIDGET_FALLBACK,
            },
        )
    ]
    nb.cells = [md, printed, chart, picture, table, widget]
    if widget_state:  # nbclient/papermill store this by default
        nb.metadata["widgets"] = {
            WIDGET_STATE_MIME: {
                "version_major": 2,
                "version_minor": 0,
                "state": {
                    MODEL_ID: {
                        "model_name": "VBoxModel",
                        "model_module": "@jupyter-widgets/controls",
                        "model_module_version": "2.0.0",
                        "state": {},
                    }
                },
            }
        }
    return nb


def export_report(nb: nbformat.NotebookNode) -> str:
    """The call the project uses (documented at the top of vertaiset_report/index.html.j2)."""
    exporter = HTMLExporter(
        template_name="vertaiset_report",
        extra_template_basedirs=[str(REPORT_BASEDIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    html, _resources = exporter.from_notebook_node(nb, resources={"metadata": {"name": "tyokirja"}, **report_resources()})
    return html


# ---------------------------------------------------------------- report template


@pytest.fixture(scope="module")
def report_html() -> str:
    return export_report(make_notebook({"vertaiset": {"lang": "sv", "title": "Rapport: Vertaiset"}}))


def test_report_template_files_exist():
    assert json.loads((REPORT_DIR / "conf.json").read_text(encoding="utf-8"))["base_template"] == "lab"
    assert (REPORT_DIR / "index.html.j2").is_file()
    assert REPORT_CSS.is_file()


def test_report_is_self_contained(report_html):
    parsed = _parse(report_html)
    assert _remote_references(report_html) == []
    assert [tag for tag, _ in parsed.tags if tag == "script"] == []
    assert [tag for tag, _ in parsed.tags if tag == "link"] == []
    assert not re.search(r"<script[^>]+src\s*=\s*['\"]?(https?:)?//", report_html, re.I)
    assert not re.search(r"<link[^>]+href\s*=\s*['\"]?(https?:)?//", report_html, re.I)
    lowered = report_html.lower()
    assert "require.js" not in lowered and "requirejs" not in lowered
    assert "mathjax" not in lowered
    assert "mermaid" not in lowered
    assert "unpkg.com" not in lowered and "cdn.jsdelivr" not in lowered
    # the stylesheet is inlined, with the print rules
    assert "--vt-primary" in report_html
    assert "@media print" in report_html and "break-inside: avoid" in report_html


def test_report_markdown_link_is_kept(report_html):
    # links written in markdown text are fine: they are not fetched
    assert 'href="https://example.org/vertaiset"' in report_html


def test_report_renders_outputs(report_html):
    svg_b64 = base64.b64encode(SVG.encode("utf-8")).decode("ascii")
    assert f"data:image/svg+xml;base64,{svg_b64}" in report_html
    assert 'alt="Osallistujat kunnittain"' in report_html
    assert f"data:image/png;base64,{PNG_B64}" in report_html
    assert "Tulosteen teksti" in report_html
    assert "<strong>ohje</strong>" in report_html
    assert "<td>Espoo</td>" in report_html  # markdown table
    assert '<table class="dataframe">' in report_html  # text/html output
    assert "In&nbsp;[" not in report_html and "Out[" not in report_html
    assert "print(" not in report_html  # inputs excluded


@pytest.mark.parametrize("widget_state", [True, False])
def test_report_omits_widgets(widget_state):
    html = export_report(make_notebook({"vertaiset": {"lang": "sv"}}, widget_state=widget_state))
    assert WIDGET_FALLBACK not in html
    assert "VBox(" not in html and "ButtonStyle" not in html
    assert WIDGET_MIME not in html
    assert WIDGET_STATE_MIME not in html
    assert MODEL_ID not in html
    # the widget-only cell leaves no empty shell behind
    code_cells = [a for t, a in _parse(html).tags if "jp-CodeCell" in (a.get("class") or "").split()]
    assert len(code_cells) == 4


@pytest.mark.parametrize(
    ("metadata", "lang"),
    [
        ({"vertaiset": {"lang": "sv"}}, "sv"),
        ({"vertaiset": {"lang": "en"}}, "en"),
        ({}, "fi"),
        ({"vertaiset": {"title": "x"}}, "fi"),
        ({"vertaiset": {"lang": "EN"}}, "fi"),
        ({"vertaiset": {"lang": 'sv"><script>alert(1)</script>'}}, "fi"),
    ],
)
def test_report_html_lang(metadata, lang):
    html = export_report(make_notebook(metadata))
    assert f'<html lang="{lang}">' in html
    assert html.count("<html") == 1
    assert "alert(1)" not in html


@pytest.mark.parametrize(
    ("metadata", "title"),
    [
        ({"vertaiset": {"title": "Vertaisoppiminen – raportti"}, "title": "Muu"}, "Vertaisoppiminen – raportti"),
        ({"title": "Metatietojen otsikko"}, "Metatietojen otsikko"),
        ({}, "tyokirja"),
        ({"vertaiset": {"title": "A < B & C"}}, "A &lt; B &amp; C"),
    ],
)
def test_report_title(metadata, title):
    html = export_report(make_notebook(metadata))
    assert f"<title>{title}</title>" in html


# ------------------------------------------------------------------ voila template


def test_voila_template_files():
    conf = json.loads((VOILA_DIR / "conf.json").read_text(encoding="utf-8"))
    assert conf["base_template"] == "lab"
    source = (VOILA_DIR / "index.html.j2").read_text(encoding="utf-8")
    assert "http://" not in source and "https://" not in source
    # valid Jinja (Voila enables the "do" extension)
    jinja2.Environment(extensions=["jinja2.ext.do"]).parse(source)
    assert VOILA_CSS.is_file()


@pytest.mark.parametrize("css_file", [VOILA_CSS, REPORT_CSS], ids=["voila", "report"])
def test_stylesheets_load_nothing_remote(css_file):
    css = _css_without_comments(css_file.read_text(encoding="utf-8"))
    assert "http://" not in css and "https://" not in css
    assert "@import" not in css
    assert "url(" not in css
    assert "@font-face" not in css


def test_voila_static_css_is_served_from_template_dir(monkeypatch):
    """The URL <base_url>voila/templates/vertaiset/static/vertaiset.css maps to our file."""
    monkeypatch.setenv("JUPYTER_PATH", str(TEMPLATES))
    from voila.static_file_handler import TemplateStaticFileHandler

    resolved = TemplateStaticFileHandler.get_absolute_path(None, "vertaiset/static/vertaiset.css")
    assert Path(resolved) == VOILA_CSS


def _render_voila(nb: nbformat.NotebookNode) -> str:
    """Render the Voila template as Voila does, with stub kernel functions (no kernel runs)."""
    from voila.exporter import VoilaExporter
    from voila.paths import collect_template_paths

    exporter = VoilaExporter(
        template_paths=collect_template_paths(["voila", "nbconvert"], "vertaiset", prune=True),
        template_name="vertaiset",
        contents_manager=None,
        theme="light",
        base_url="/",
    )
    exporter.exclude_input = exporter.exclude_input_prompt = exporter.exclude_output_prompt = True

    async def kernel_start(_nb):
        return "00000000-0000-0000-0000-000000000000"

    async def cell_generator(notebook, _kernel_id):
        for cell in notebook.cells:
            yield cell

    async def render() -> str:
        parts = []
        async for chunk, _ in exporter.generate_from_notebook_node(
            nb,
            resources={"base_url": "/", "theme": "light", "template": "vertaiset", "metadata": {"name": "tyokirja"}},
            extra_context={
                "frontend": "voila",
                "main_js": "voila.js",
                "kernel_start": kernel_start,
                "cell_generator": cell_generator,
                "notebook_execute": None,
                "progressive_rendering": False,
            },
            page_config={},
        ):
            parts.append(chunk)
        return "".join(parts)

    return asyncio.run(render())


def test_voila_template_renders(monkeypatch):
    monkeypatch.setenv("JUPYTER_PATH", str(TEMPLATES))
    nb = nbformat.v4.new_notebook()
    nb.metadata["title"] = "Työpaja"
    cells = [nbformat.v4.new_markdown_cell("Kaikille yhteinen")]
    for lang in ("fi", "sv", "en"):
        cell = nbformat.v4.new_markdown_cell(f"Teksti {lang.upper()}-KIELELLÄ")
        cell.metadata["tags"] = ["intro", f"lang:{lang}"]
        cells.append(cell)
    odd = nbformat.v4.new_markdown_cell("Huono tagi")
    odd.metadata["tags"] = ['lang:x"><b']
    cells.append(odd)
    cells.append(nbformat.v4.new_code_cell("print(1)"))
    nb.cells = cells

    html = _render_voila(nb)

    assert _remote_references(html) == []
    assert "fontawesome" not in html.lower() and "cdn.jsdelivr" not in html
    assert "<title>Työpaja</title>" in html
    assert '<html lang="fi">' in html
    for lang in ("fi", "sv", "en"):
        assert html.count(f'data-vt-lang="{lang}"') == 1
    assert 'lang:x"' not in html.replace("celltag_", "")  # invalid tag is not turned into markup
    assert html.count("voila_process(") == len(cells)
    # the language script runs in <head>, before the stylesheets and the body
    head = html.split("</head>", 1)[0]
    assert "URLSearchParams" in head and "/^[a-z]{2,3}$/" in head
    assert head.index("URLSearchParams") < head.index("<link")
    css_links = re.findall(r'href="([^"]*vertaiset\.css[^"]*)"', head)
    assert len(css_links) == 1 and css_links[0].startswith("/voila/templates/vertaiset/static/vertaiset.css")
    # stock pieces kept
    assert "voila-style.js" in head
    assert "voila_setup_labextensions" in html or "jupyter-config-data" in html
    assert ".jp-mod-noOutputs.jp-mod-noInput" in head


@pytest.mark.parametrize("cells", [2, 0])
def test_voila_js_comes_before_the_first_cell(monkeypatch, cells):
    """The browser loads Voila's code while the kernel runs the cells: voila.js comes once, after
    the page's config (it reads it as it runs) and before the first cell; with no cell, at the end."""
    monkeypatch.setenv("JUPYTER_PATH", str(TEMPLATES))
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(f"print({n})") for n in range(cells)]

    html = _render_voila(nb)

    scripts = re.findall(r'<script src="[^"]*/voila\.js"></script>', html)
    assert len(scripts) == 1
    at = html.index(scripts[0])
    assert html.index('id="jupyter-config-data"') < at
    if cells:
        assert at < html.index("voila_process(1,") < html.index("window.voila_finish();")
    else:
        assert html.index("window.voila_finish();") < at < html.index("</body>")



def _palette(css_file: Path) -> dict[str, str]:
    css = css_file.read_text(encoding="utf-8")
    block = css.split("/* --- palette", 1)[1].split("/* --- end of palette --- */", 1)[0]
    return {name: " ".join(value.split()) for name, value in re.findall(r"(--vt-[\w-]+)\s*:\s*([^;]+);", block)}


def test_palettes_are_the_same():
    voila, report = _palette(VOILA_CSS), _palette(REPORT_CSS)
    assert voila and voila == report


def test_both_pages_carry_the_kinds_stylesheet(report_html, store, content):
    """Canvases, boards, progress and chips look the same live and in the report: each kind keeps
    its rules in its own style.css, the report's template inlines them all once, and a live page
    (a workbook or the participant's page) shows them once as its first output."""
    from conftest import ipython_shell
    from IPython.utils.capture import capture_output

    from vertaiset_widgets.config import PageParams
    from vertaiset_widgets.participant import participant_page
    from vertaiset_widgets.workbook import Workbook

    css = kinds.stylesheet()
    assert ".vt-canvas-grid" in css and ".vt-status-badge" in css and ".vt-download" in css
    assert "http" not in _css_without_comments(css) and "@import" not in css and "url(" not in css
    for sheet in (VOILA_CSS, REPORT_CSS):  # no second copy in the pages' own stylesheets
        assert ".vt-canvas-grid" not in sheet.read_text(encoding="utf-8")
    # the report: inlined once
    assert report_html.count(css) == 1 and re.search(r"<style[^>]*data-vt-kinds", report_html)
    # the live pages: one <style> output
    session, key = store.create_session("Paja", network="Verkosto")

    def shown(make) -> list[str]:
        with ipython_shell(), capture_output() as captured:  # display() publishes through IPython's shell
            make()
        return [o.data["text/html"] for o in captured.outputs if kinds.style_element() in o.data.get("text/html", "")]

    for role in ("facilitator", "screen"):
        params = PageParams(session=session.code, role=role, key=key, lang="fi")
        assert len(shown(lambda: Workbook(params, content=content, store=store).header())) == 1, role
    report = PageParams(session=session.code, role="report", lang="fi")
    assert shown(lambda: Workbook(report, content=content, store=store).header()) == []  # the template has it
    assert len(shown(lambda: participant_page(session=session.code, lang="fi", db_url=store.url))) == 1


def _contrast(a: str, b: str) -> float:
    def luminance(colour: str) -> float:
        colour = colour.lstrip("#")
        channels = [int(colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        r, g, b_ = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b_

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize(
    ("fg", "bg", "minimum"),
    [
        ("--vt-text", "--vt-bg", 4.5),
        ("--vt-text", "--vt-surface", 4.5),
        ("--vt-muted", "--vt-bg", 4.5),
        ("--vt-muted", "--vt-surface", 4.5),
        ("--vt-primary", "--vt-bg", 4.5),
        ("--vt-primary", "--vt-surface", 4.5),
        ("--vt-on-primary", "--vt-primary", 4.5),
        ("--vt-on-primary", "--vt-primary-dark", 4.5),
        ("--vt-ack-text", "--vt-ack-bg", 4.5),
        ("--vt-error-text", "--vt-error-bg", 4.5),
        ("--vt-warn-text", "--vt-bg", 4.5),
        ("--vt-border", "--vt-bg", 3.0),
        ("--vt-focus", "--vt-bg", 3.0),
    ],
)
def test_palette_contrast_wcag_aa(fg, bg, minimum):
    palette = _palette(VOILA_CSS)
    assert _contrast(palette[fg], palette[bg]) >= minimum

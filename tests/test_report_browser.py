"""The session report opens in a browser with the network switched off, and prints to a PDF."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import BROWSER_MARKS, CHROMIUM, CHROMIUM_ARGS

pytestmark = [*BROWSER_MARKS, pytest.mark.slow]


@pytest.fixture(scope="module")
def report(demo_report) -> Path:
    """The demo session's report, as HTML and PDF: `vertaiset report DEMO --pdf`, made once for the run
    (test_cli.py checks the same file's HTML)."""
    assert demo_report.pdf is not None
    return demo_report.html


def test_report_opens_offline(report):
    """Every request the report makes stays in the file; its charts and table render."""
    from playwright.sync_api import sync_playwright

    outside: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1200, "height": 900})

        def block(route):
            if route.request.url.startswith(("file:", "data:")):
                route.continue_()
            else:
                outside.append(route.request.url)
                route.abort()

        page.route("**/*", block)
        page.goto(report.as_uri())
        page.wait_for_load_state("load")
        charts = page.locator("img[src^='data:image/svg+xml']")
        assert charts.count() >= 2
        assert page.locator("table").count() >= 1
        assert "Yhdessä aikuisuuteen" in page.title() or "Yhdessä aikuisuuteen" in page.inner_text("body")
        # every chart (phases 1, 2 and 4) is decoded and drawn; the big ones (map, radar) at a readable size
        sizes = charts.evaluate_all("imgs => imgs.map(i => [i.complete && i.naturalWidth > 0, i.width, i.height])")
        assert all(ok for ok, _w, _h in sizes), sizes
        assert all(w > 200 for _ok, w, _h in sizes), sizes
        assert max(w for _ok, w, _h in sizes) > 500 and max(h for _ok, _w, h in sizes) > 400
        shots = os.environ.get("VERTAISET_SHOTS")
        if shots:
            page.screenshot(path=str(Path(shots) / "report.png"), full_page=True)
        browser.close()
    assert outside == []


def test_report_pdf_is_written(report):
    """--pdf prints the same report to a PDF file."""
    pdf = report.with_suffix(".pdf")
    assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 10_000

"""The report reads well for every reader: on a phone and a laptop, with a screen reader (each
chart with a text alternative and its data as a table), and by axe-core's rules."""
from __future__ import annotations

import base64

import pytest

from conftest import BROWSER_MARKS, CHROMIUM, CHROMIUM_ARGS

pytestmark = [*BROWSER_MARKS, pytest.mark.slow]

HMV = "Hierarkia – Markkina – Verkosto"


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for the whole module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def phone(browser, demo_report):
    """The demo's report on a 390 px wide phone."""
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(demo_report.html.as_uri())
    page.wait_for_load_state("load")
    yield page
    page.close()


def _overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_phone_never_scrolls_sideways(phone):
    """At 390 px the page is no wider than the screen and the title is whole on it."""
    assert _overflow(phone) <= 390
    h1 = phone.locator("h1").first
    box = h1.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert h1.evaluate("h => h.scrollWidth <= h.clientWidth")


def test_laptop_never_scrolls_sideways(browser, demo_report):
    """At 1280 px the page is no wider than the window."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(demo_report.html.as_uri())
    page.wait_for_load_state("load")
    assert _overflow(page) <= 1280
    page.close()


def test_axe_finds_nothing_serious(phone):
    """axe-core finds no serious or critical violations in the report (on the phone's width)."""
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(phone).response.get("violations", [])
    serious = [f"{v['id']}: {[n['target'] for n in v['nodes'][:3]]}" for v in violations
               if v.get("impact") in ("serious", "critical")]
    assert not serious, serious


def test_every_chart_has_alt_text_and_data_table(phone):
    """Each chart image has a text alternative, its SVG a <title> and <desc>, and its data table follows it."""
    charts = phone.evaluate("""[...document.querySelectorAll("img[src^='data:image/svg+xml']")].map(img => {
        const next = img.nextElementSibling;
        const table = next && next.matches('details.vt-chart-data') ? next.querySelector('table') : null;
        return {alt: img.alt, src: img.getAttribute('src'), table: !!table,
                caption: table && table.caption ? table.caption.textContent : '',
                scoped: table ? table.querySelectorAll('th[scope]').length : 0};
    })""")
    assert len(charts) >= 20
    for chart in charts:
        assert chart["alt"].strip(), chart["alt"]
        svg = base64.b64decode(chart["src"].split(",", 1)[1]).decode("utf-8")
        assert "<title>" in svg and "<desc>" in svg and "vt-chart-data" not in svg, chart["alt"]
        assert chart["table"] and chart["caption"].strip() and chart["scoped"] > 0, chart["alt"]


def test_data_table_numbers_are_the_stored_answers(phone, cli_demo):
    """The allocation chart's table shows the room's mean split, as the store's answers give it."""
    from vertaiset_widgets import aggregate
    from vertaiset_widgets.store import SessionStore

    store = SessionStore(cli_demo)
    session = store.get_session("DEMO")
    state = store.activity_state(session.id, "hierarkia_markkina_verkosto")
    frame = aggregate.answers_frame(store.answers(session.id, "hierarkia_markkina_verkosto", round=state.round))
    store.close()
    frame = frame[frame["value"].notna()]
    frame = frame[frame.groupby(["participant_id", "layer"])["value"].transform("sum") == 100]
    rows = phone.evaluate(f"""(() => {{
        const img = document.querySelector("img[alt^='{HMV}']");
        return [...img.nextElementSibling.querySelectorAll('tbody tr')].map(tr => [...tr.children].map(c => c.textContent));
    }})()""")
    shown = sorted(float(r[2]) for r in rows)
    expected = sorted(round(float(v), 2) for v in frame.groupby(["layer", "item"])["value"].mean())
    assert shown == pytest.approx(expected, abs=0.01)
    assert len(rows) == 6 and {r[0] for r in rows} == {"Nyt", "Toivottu"}


def test_headings_never_skip_a_level(phone):
    """Going deeper, each heading is at most one level below the one before it."""
    levels = phone.evaluate("[...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h => +h.tagName[1])")
    assert levels and levels[0] == 1
    skips = [(i, a, b) for i, (a, b) in enumerate(zip(levels, levels[1:])) if b > a + 1]
    assert not skips, skips
    assert phone.evaluate("document.documentElement.lang") == "fi"


def test_wide_table_scrolls_in_its_own_region(phone):
    """A table wider than the phone scrolls inside a named, focusable wrapper."""
    regions = phone.evaluate("""[...document.querySelectorAll('table')].map(t => {
        const w = t.parentElement;
        return [w.matches('.vt-table-scroll[role=region][tabindex="0"]') && !!w.getAttribute('aria-label'),
                w.scrollWidth > w.clientWidth];
    })""")
    assert regions and all(ok for ok, _wide in regions)
    assert any(wide for _ok, wide in regions)  # the demo has one: the check above is not empty

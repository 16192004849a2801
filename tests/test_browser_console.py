"""The facilitator's console in headless Chromium at 1366×768, against the run's `vertaiset serve`:
a short folded catalogue (the method text folded into its entries), each control once, the now
bar in view at the bottom of the page. Screenshots of 01, 02 and 04 (and of 01 in sv and en) go to
/tmp/vt-console/ to be looked at."""
from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from conftest import BROWSER_MARKS, LOAD_MS

pytestmark = BROWSER_MARKS
pytest.importorskip("playwright.sync_api", reason="browser tests need the playwright package")

from playwright.sync_api import Page, expect  # noqa: E402

from vertaiset_widgets.content import load_content  # noqa: E402
from vertaiset_widgets.i18n import Translator  # noqa: E402

CONSOLE = {"width": 1366, "height": 768}
CONTENT = load_content()
TR = Translator.create(CONTENT, "fi")
#: Each workbook's activities, in the order of its cells.
ACTIVITIES = {
    "01_tilannekuva.ipynb": ["kierroksen_alku", "kuulumiset", "hierarkia_markkina_verkosto", "verkostotyyppi", "verkostotyon_tasot",
                             "verkostokartta", "verkostot_nyt", "tunteminen_luottamus_sitoutuminen",
                             "verkostojen_vahvistaminen"],
    "02_tavoitteet.ipynb": ["kuulumiset", "tavoitekanvaasi", "tyypilliset_tavoitteet", "oma_tavoite",
                            "rinnakkain_yhdessa", "toimintatavat", "oppimisen_tavat", "johtamisen_asemat",
                            "kehittamisen_koulukunnat"],
    "04_arviointi.ipynb": ["arviointi_360", "unelmaverkosto"],
}
#: The folded catalogue (its titles, from the first to the last) fits in one screen; with the page's
#: head above it (now bar, session title, join box, link to the screen, a day's plan of 16 items
#: in two columns: about 1.2 screens) the folded console stays within two and a half screens. The
#: method text left open between the entries made 01's console 9,400 px high.
CATALOGUE_MAX = CONSOLE["height"]
FOLDED_MAX = int(2.5 * CONSOLE["height"])
SHOTS = Path("/tmp/vt-console")


def _shot(page: Page, folder: Path, name: str) -> None:
    path = folder / f"{name}.png"
    page.screenshot(path=str(path))
    SHOTS.mkdir(exist_ok=True)
    shutil.copy(path, SHOTS / path.name)


def _open(contexts, server, workbook: str, code: str, key: str, lang: str = "fi") -> Page:
    page = contexts(CONSOLE).new_page()
    query = {"session": code, "key": key, **({"lang": lang} if lang != "fi" else {})}
    page.goto(server.url(workbook, **query), timeout=LOAD_MS)
    page.locator(".vt-now-bar .vt-now-name").wait_for(timeout=LOAD_MS)
    last = ACTIVITIES[workbook][-1]
    page.locator(f"#activity-{last} .vt-badge").wait_for(timeout=LOAD_MS)
    expect(page.locator(f"#activity-{last} .vt-badge")).not_to_have_text("", timeout=LOAD_MS)
    page.wait_for_timeout(1500)  # the results are drawn a moment after the page is up
    return page


def _session(vt_store, title: str):
    """A session whose day plan lists every activity of 01 and 02 (the longest agenda)."""
    info, key = vt_store.create_session(title, network="N")
    plan, hour = [], 9
    for workbook in ("01_tilannekuva.ipynb", "02_tavoitteet.ipynb"):
        for activity in ACTIVITIES[workbook]:
            if (workbook, activity) != ("02_tavoitteet.ipynb", "kuulumiset"):
                plan.append((workbook, activity, f"{hour}.00"))
                hour += 1
    vt_store.set_agenda(info.id, plan)
    return info, key


def _page_height(page: Page) -> int:
    return page.evaluate("() => document.getElementById('rendered_cells').scrollHeight")


def _fold_all(page: Page) -> None:
    for button in page.locator(".vt-fold-button[aria-expanded='true']").all():
        button.click()
    expect(page.locator(".vt-fold-button[aria-expanded='true']")).to_have_count(0)
    page.wait_for_timeout(300)


def _to_bottom(page: Page) -> None:
    page.evaluate("() => { const c = document.getElementById('rendered_cells'); c.scrollTop = c.scrollHeight; }")
    page.wait_for_timeout(300)


def _in_view(page: Page, selector: str) -> bool:
    return page.evaluate(
        """(sel) => {
            const el = [...document.querySelectorAll(sel)].find(e => e.getClientRects().length);
            if (!el) return false;
            const r = el.getBoundingClientRect();
            return r.width > 0 && r.top >= 0 && r.bottom <= window.innerHeight && r.right <= window.innerWidth;
        }""",
        selector,
    )


def _visible_button_names(page: Page, scope: str) -> list[str]:
    """The accessible names (text, else aria-label) of the visible buttons inside ``scope``."""
    return page.evaluate(
        """(scope) => [...document.querySelectorAll(scope + ' button')]
            .filter(b => b.getClientRects().length && getComputedStyle(b).visibility !== 'hidden')
            .map(b => (b.getAttribute('aria-label') || b.textContent).trim())""",
        scope,
    )


@pytest.mark.parametrize("workbook", ["01_tilannekuva.ipynb", "02_tavoitteet.ipynb"])
def test_folded_console_is_at_most_two_screens(server, vt_store, contexts, tmp_path, workbook):
    """With every entry folded the console is at most two screens high: no method text between the titles."""
    info, key = _session(vt_store, "Lyhyt konsoli")
    page = _open(contexts, server, workbook, info.code, key)
    expect(page.locator(".vt-fold")).to_have_count(len(ACTIVITIES[workbook]))
    _fold_all(page)
    height = _page_height(page)
    catalogue = page.evaluate("""() => { const f = [...document.querySelectorAll('.vt-fold')];
        return f[f.length - 1].getBoundingClientRect().bottom - f[0].getBoundingClientRect().top; }""")
    assert catalogue <= CATALOGUE_MAX, f"the folded catalogue of {workbook} is {catalogue} px high"
    assert height <= FOLDED_MAX, f"the folded console of {workbook} is {height} px high"
    # the method is still there, one disclosure per entry that has one, folded with its entry
    first = ACTIVITIES[workbook][1]
    page.locator(f"#activity-{first} .vt-fold-button").click()
    method = page.locator(".vt-activity").filter(has=page.locator(f"#activity-{first}")).locator("details.vt-method")
    expect(method).to_be_visible()
    expect(method.locator("summary")).to_have_text(TR("method_title"))


def test_each_control_once_and_now_bar_in_view(server, vt_store, contexts, tmp_path):
    """The current activity's controls exist once (in the now bar), another unfolded entry offers
    "Tee tästä nykyinen" instead, which moves them; the bar is in view at the page's bottom."""
    info, key = _session(vt_store, "Kerran")
    workbook = "01_tilannekuva.ipynb"
    vt_store.set_activity_state(info.id, "verkostotyyppi", is_open=True)
    page = _open(contexts, server, workbook, info.code, key)
    bar = page.locator(".vt-now-bar")
    expect(bar.locator(".vt-now-name")).to_have_text(TR.text(CONTENT.activity("verkostotyyppi").title))
    current = ".vt-activity:has(.vt-now-bar)"
    names = _visible_button_names(page, current)
    assert TR("action_open") in names and TR("action_reset") in names and TR("timer_stop") in names
    assert [n for n, c in Counter(names).items() if c > 1] == [], names
    assert TR("make_current") not in names  # it is current already

    other = "verkostotyon_tasot"
    page.locator(f"#activity-{other} .vt-fold-button").click()
    entry = page.locator(".vt-activity").filter(has=page.locator(f"#activity-{other}"))
    expect(entry.get_by_role("button", name=TR("make_current"))).to_be_visible()
    for action in ("open", "close", "reveal", "hide", "reset"):
        expect(page.get_by_role("button", name=TR(f"action_{action}"), exact=True)).to_have_count(1)
    entry.get_by_role("button", name=TR("make_current")).click()
    expect(bar.locator(".vt-now-name")).to_have_text(TR.text(CONTENT.activity(other).title))
    expect(entry.get_by_role("button", name=TR("action_open"), exact=True)).to_be_visible()  # the bar's, now on this one
    expect(entry.get_by_role("button", name=TR("make_current"))).to_have_count(0)
    names = _visible_button_names(page, current)
    assert [n for n, c in Counter(names).items() if c > 1] == [], names

    _to_bottom(page)
    assert _in_view(page, ".vt-now-bar .vt-now-name") and _in_view(page, ".vt-now-bar button")
    _shot(page, tmp_path, "console-01-bottom-after-jump")


# Finnish 01 and 02 are drawn by the tests above, English by test_browser.py's
# test_facilitator_page_in_english; here Swedish
@pytest.mark.parametrize(("workbook", "lang"), [("01_tilannekuva.ipynb", "sv")])
def test_console_screenshots(server, vt_store, contexts, tmp_path, workbook, lang):
    """Screenshots at 1366×768 (top, bottom, an unfolded entry); the page speaks the language asked for."""
    info, key = _session(vt_store, "Kuvat")
    activities = ACTIVITIES[workbook]
    vt_store.set_activity_state(info.id, activities[0], is_open=True)
    vt_store.set_activity_state(info.id, activities[-1], is_revealed=True)
    page = _open(contexts, server, workbook, info.code, key, lang)
    tr = Translator.create(CONTENT, lang)
    stem = f"console-{workbook[:2]}-{lang}"
    expect(page.locator(".vt-now-bar").get_by_role("button", name=tr("action_close"), exact=True)).to_be_enabled()
    _shot(page, tmp_path, f"{stem}-top")
    _to_bottom(page)
    assert _in_view(page, ".vt-now-bar .vt-now-name")
    _shot(page, tmp_path, f"{stem}-bottom")
    last = activities[-1]
    page.locator(f"#activity-{last} .vt-fold-button").click()
    page.locator(f"#activity-{last}").scroll_into_view_if_needed()
    page.evaluate(f"() => document.getElementById('activity-{last}').scrollIntoView({{block: 'start'}})")
    page.wait_for_timeout(800)
    entry = page.locator(".vt-activity").filter(has=page.locator(f"#activity-{last}"))
    expect(entry.get_by_role("button", name=tr("make_current"))).to_be_visible()
    _shot(page, tmp_path, f"{stem}-unfolded")

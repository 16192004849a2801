"""The room's projector (a presenter view) and the facilitator's console (a now bar over a folded
catalogue) in headless Chromium, against the run's `vertaiset serve`: what fits at the
projectors' sizes, how large its text is, the keys, the jumps and the workshop's close."""
from __future__ import annotations

import base64
import re
import shutil
from pathlib import Path

import pytest

from conftest import BROWSER_MARKS, LOAD_MS, WAIT_MS

pytestmark = BROWSER_MARKS
pytest.importorskip("playwright.sync_api", reason="browser tests need the playwright package")

from playwright.sync_api import Page, expect  # noqa: E402

from vertaiset_widgets.content import load_content  # noqa: E402
from vertaiset_widgets.demo import seed_demo  # noqa: E402
from vertaiset_widgets.store import AnswerInput  # noqa: E402

WORKBOOK = "01_tilannekuva.ipynb"
CHOICE = "verkostotyyppi"
PROJECTORS = [(1024, 768), (1280, 720), (1920, 1080)]
CONSOLE = {"width": 1366, "height": 768}
CONTENT = load_content()
TITLE = {a: CONTENT.activity(a).title["fi"] for a in ("kierroksen_alku", "kuulumiset", "hierarkia_markkina_verkosto", CHOICE, "verkostotyon_tasot")}


def _shot(page: Page, folder: Path, name: str) -> Path:
    """A screenshot of the viewport into the test's folder (and /tmp/vt-room-view/ to look at)."""
    path = folder / f"{name}.png"
    page.screenshot(path=str(path))
    keep = Path("/tmp/vt-room-view")
    keep.mkdir(exist_ok=True)
    shutil.copy(path, keep / path.name)
    return path


def _inside(page: Page, selector: str) -> bool:
    """True when the first visible match of ``selector`` lies wholly inside the viewport."""
    return page.evaluate(
        """(sel) => {
            const el = [...document.querySelectorAll(sel)].find(e => e.getClientRects().length && e.offsetParent !== null);
            if (!el) return false;
            const r = el.getBoundingClientRect();
            return r.width > 0 && r.height > 0 && r.left >= 0 && r.top >= 0
                && r.right <= window.innerWidth + 0.5 && r.bottom <= window.innerHeight + 0.5;
        }""",
        selector,
    )


def _no_scroll(page: Page) -> tuple[int, int]:
    return page.evaluate("() => [document.documentElement.scrollHeight, window.innerHeight]")


def _font_px(page: Page, selector: str) -> float:
    return page.evaluate("(sel) => parseFloat(getComputedStyle(document.querySelector(sel)).fontSize)", selector)


def _smallest_chart_text(page: Page) -> float:
    """The smallest text of the visible chart as drawn: its SVG font size times the image's scale."""
    found = page.evaluate(
        """() => {
            const img = [...document.querySelectorAll('img.vt-chart')].find(i => i.offsetParent !== null);
            if (!img) return null;
            const scale = Math.min(img.clientWidth / img.naturalWidth, img.clientHeight / img.naturalHeight);
            return [img.src, scale];
        }"""
    )
    assert found, "no chart on the screen"
    src, scale = found
    svg = base64.b64decode(src.split(",", 1)[1]).decode("utf-8")
    sizes = [float(s) for s in re.findall(r'font-size[=:]\s*"?([\d.]+)', svg)]
    assert sizes, "the chart has no text"
    return min(sizes) * scale


def _svg_texts_px(page: Page) -> list[tuple[float, str]]:
    """Every text of the visible charts as drawn on the screen: (px, text), the SVG's size times the image's scale."""
    found = page.evaluate(
        """() => [...document.querySelectorAll('img.vt-chart')].filter(i => i.offsetParent !== null).map(img =>
            [img.src, Math.min(img.clientWidth / img.naturalWidth, img.clientHeight / img.naturalHeight)])"""
    )
    assert found, "no chart on the screen"
    out = []
    for src, scale in found:
        svg = base64.b64decode(src.split(",", 1)[1]).decode("utf-8")
        for size, text in re.findall(r'<text[^>]*font-size="([\d.]+)(?:px)?"[^>]*>(.*?)</text>', svg, flags=re.S):
            out.append((float(size) * scale, re.sub(r"<[^>]+>", "", text)))
    assert out, "the charts have no text"
    return out


def _show_only(store, session_id: int, activity: str) -> None:
    """Reveal one activity of the demo day and close and hide every other."""
    for other in CONTENT.activities:
        store.set_activity_state(session_id, other, is_open=False, is_revealed=other == activity)


def _answer_choice(store, session_id: int, n: int) -> None:
    options = [o.id for o in CONTENT.activity(CHOICE).options]
    for i in range(n):
        participant = store.join(session_id, f"room-view-token-{session_id}-{i:04d}")
        chosen = options[i % len(options)]
        store.submit(participant, CHOICE,
                     [AnswerInput(item=o, layer=layer, value_num=float(o == chosen)) for layer in ("nyt", "toivottu") for o in options],
                     submission_id=f"room-view-{i}")


def _open_screen(contexts, server, code: str, size: tuple[int, int], workbook: str = WORKBOOK) -> Page:
    page = contexts({"width": size[0], "height": size[1]}).new_page()
    page.goto(server.url(workbook, session=code, role="screen"), timeout=LOAD_MS)
    page.locator(".vt-presenter").wait_for(timeout=LOAD_MS)
    return page


# --------------------------------------------------------------------------- the projector
def test_presenter_fits_every_projector(server, vt_store, contexts, tmp_path):
    """Join card with nothing running, then the open and revealed activity: code and QR always in view,
    no scrolling at 1024×768, 1280×720 and 1920×1080; the title and the chart's labels 24 px or more at 1280×720."""
    info, _key = vt_store.create_session("Projektori", network="N")
    screen = _open_screen(contexts, server, info.code, PROJECTORS[0])
    card = screen.locator(".vt-join-card")
    expect(card).to_be_visible(timeout=LOAD_MS)
    expect(card.locator("[data-vt-code]")).to_have_text(info.code)
    for width, height in PROJECTORS:
        screen.set_viewport_size({"width": width, "height": height})
        screen.wait_for_timeout(300)
        _shot(screen, tmp_path, f"screen-join-{width}x{height}")
        assert _inside(screen, ".vt-join-card [data-vt-code]") and _inside(screen, ".vt-join-card img.vt-qr"), (width, height)
        scroll, viewport = _no_scroll(screen)
        assert scroll <= viewport + 1, (width, height, scroll)

    vt_store.set_activity_state(info.id, CHOICE, is_open=True, timer_seconds=300)
    _answer_choice(vt_store, info.id, 6)
    title = screen.locator(".vt-presenter-title", has_text=TITLE[CHOICE])
    expect(title).to_be_visible(timeout=WAIT_MS)
    expect(screen.locator(".vt-presenter-question").filter(visible=True)).to_contain_text("Minkälaisessa verkostossa")
    expect(screen.locator(".vt-presenter-timer .vt-countdown").filter(visible=True)).to_be_visible()
    expect(screen.locator(".vt-presenter-count .vt-stat").filter(visible=True)).to_have_attribute("data-vt-respondents", "6")
    expect(screen.get_by_text("Vastaa nyt puhelimella")).to_be_visible()
    vt_store.set_activity_state(info.id, CHOICE, is_revealed=True)
    expect(screen.locator("img.vt-chart").filter(visible=True)).to_have_count(1, timeout=WAIT_MS)
    page_text = screen.locator(".vt-activity.vt-screen").filter(visible=True).inner_text()
    assert "Tila:" not in page_text and "julkaistu" not in page_text  # no state words

    for width, height in PROJECTORS:
        screen.set_viewport_size({"width": width, "height": height})
        screen.wait_for_timeout(400)
        _shot(screen, tmp_path, f"screen-revealed-{width}x{height}")
        banner = ".vt-join-banner"
        assert _inside(screen, f"{banner} [data-vt-code]") and _inside(screen, f"{banner} img.vt-qr"), (width, height)
        assert _inside(screen, ".vt-presenter-title") and _inside(screen, ".vt-presenter-timer .vt-countdown"), (width, height)
        assert _inside(screen, "img.vt-chart"), (width, height)
        scroll, viewport = _no_scroll(screen)
        assert scroll <= viewport + 1, (width, height, scroll)
        if (width, height) == (1280, 720):
            for selector in (".vt-presenter-title", ".vt-presenter-question", ".vt-presenter-count .vt-stat",
                             ".vt-presenter-timer .vt-countdown", ".vt-join-banner [data-vt-code]"):
                assert _font_px(screen, f"{selector}") >= 24, selector
            assert _smallest_chart_text(screen) >= 24


@pytest.mark.parametrize("activity", ["kuulumiset", "verkostokartta", "tunteminen_luottamus_sitoutuminen", "arviointi_360"])
def test_chart_labels_read_from_across_the_room(server, vt_store, contexts, tmp_path, activity):
    """The check-in's bars, the network map, the heatmap and the 360's radar on the projector: every
    text of the chart 24 px or more at 1280×720, and the chart and the page inside the viewport."""
    info, _key = seed_demo(vt_store)
    _show_only(vt_store, info.id, activity)
    workbook = "04_arviointi.ipynb" if activity == "arviointi_360" else WORKBOOK
    screen = _open_screen(contexts, server, info.code, (1280, 720), workbook)
    expect(screen.locator(".vt-presenter-title").filter(visible=True)).to_have_text(TITLE.get(activity) or CONTENT.activity(activity).title["fi"])
    expect(screen.locator("img.vt-chart").filter(visible=True).first).to_be_visible(timeout=WAIT_MS)
    screen.wait_for_timeout(500)
    _shot(screen, tmp_path, f"screen-chart-{activity}-1280x720")
    small = [(round(px, 1), text) for px, text in _svg_texts_px(screen) if px < 24]
    assert not small, small
    assert screen.evaluate("""() => [...document.querySelectorAll('img.vt-chart')].filter(i => i.offsetParent !== null)
        .every(i => { const r = i.getBoundingClientRect(); return r.top >= 0 && r.left >= 0 && r.right <= innerWidth + 0.5 && r.bottom <= innerHeight + 0.5; })""")
    # what the radar's numbers stand for is listed beside it, in the screen's text size
    key = screen.locator(".vt-radar-key li").filter(visible=True)
    for i in range(key.count()):
        box = key.nth(i).bounding_box()
        assert box and box["y"] + box["height"] <= 720 + 0.5, (i, box)
        assert key.nth(i).evaluate("li => parseFloat(getComputedStyle(li).fontSize)") >= 24
    scroll, viewport = _no_scroll(screen)
    assert scroll <= viewport + 1, (activity, scroll)


def test_a_long_wall_is_paged(server, vt_store, contexts, tmp_path):
    """A wall longer than the screen at 1024×768 shows a page at a time with "Sivu 1/N"; → turns the
    pages (every highlight shown whole on one of them), and past the last page steps to the next item."""
    info, _key = seed_demo(vt_store)
    wall = "verkostot_nyt"
    _show_only(vt_store, info.id, wall)
    screen = _open_screen(contexts, server, info.code, (1024, 768))
    items = screen.locator(".vt-wall-item").filter(visible=True)
    expect(items.first).to_be_visible(timeout=WAIT_MS)
    indicator = screen.locator(".vt-presenter-page")
    expect(indicator).to_have_text(re.compile(r"^Sivu 1/\d+$"))
    pages = int(indicator.inner_text().split("/")[1])
    assert pages >= 2
    whole = """() => { const out = []; const vh = innerHeight;
        for (const li of document.querySelectorAll('.vt-wall-item')) { if (li.offsetParent === null) continue;
          const r = li.getBoundingClientRect(); const box = li.closest('.vt-presenter-main').getBoundingClientRect();
          const clip = getComputedStyle(li.closest('.vt-presenter-main')).clipPath;
          const m = /inset\\(0px 0px ([\\d.]+)px/.exec(clip); const bottom = box.bottom - (m ? parseFloat(m[1]) : 0);
          if (r.top >= box.top - 0.5 && r.bottom <= Math.min(bottom, vh) + 0.5) out.push(li.innerText); }
        return out; }"""
    total = items.count()  # before the last key steps on to the next item and the wall goes
    seen: set[str] = set()
    for page_no in range(1, pages + 1):
        expect(indicator).to_have_text(f"Sivu {page_no}/{pages}")
        screen.wait_for_timeout(200)
        _shot(screen, tmp_path, f"screen-wall-page{page_no}-1024x768")
        shown = screen.evaluate(whole)
        assert shown, page_no
        seen.update(shown)
        scroll, viewport = _no_scroll(screen)
        assert scroll <= viewport + 1
        screen.keyboard.press("ArrowRight" if page_no % 2 else "PageDown")
    assert len(seen) == total  # every highlight was shown whole on some page
    # past the last page the screen steps on to the day's next item
    expect(screen.locator(".vt-presenter-title").filter(visible=True)).not_to_have_text(CONTENT.activity(wall).title["fi"])
    screen.keyboard.press("ArrowLeft")
    expect(screen.locator(".vt-presenter-title").filter(visible=True)).to_have_text(CONTENT.activity(wall).title["fi"])


def test_keys_follow_the_agenda_across_workbooks(server, vt_store, contexts):
    """With an agenda, → and ← step along it; an item in another workbook opens that workbook's screen at it."""
    info, _key = vt_store.create_session("Agenda", network="N")
    vt_store.set_agenda(info.id, [(WORKBOOK, CHOICE, "9.00"), (WORKBOOK, "kuulumiset", "9.30"),
                                  ("02_tavoitteet.ipynb", "tavoitekanvaasi", "10.00")])
    vt_store.set_activity_state(info.id, CHOICE, is_open=True)
    screen = _open_screen(contexts, server, info.code, (1280, 720))
    visible_title = screen.locator(".vt-presenter-title").filter(visible=True)
    expect(visible_title).to_have_text(TITLE[CHOICE], timeout=LOAD_MS)
    screen.wait_for_timeout(500)
    screen.keyboard.press("ArrowRight")  # the agenda's order, not the workbook's
    expect(visible_title).to_have_text(TITLE["kuulumiset"])
    screen.keyboard.press("PageDown")
    screen.wait_for_url(re.compile(r"02_tavoitteet\.ipynb\?.*role=screen.*#activity-tavoitekanvaasi$"), timeout=WAIT_MS)
    expect(screen.locator(".vt-presenter-title").filter(visible=True)).to_have_text(
        CONTENT.activity("tavoitekanvaasi").title["fi"], timeout=LOAD_MS)
    screen.wait_for_timeout(500)
    screen.keyboard.press("ArrowLeft")
    screen.wait_for_url(re.compile(r"01_tilannekuva\.ipynb\?.*#activity-kuulumiset$"), timeout=WAIT_MS)
    expect(screen.locator(".vt-presenter-title").filter(visible=True)).to_have_text(TITLE["kuulumiset"], timeout=LOAD_MS)


def test_arrow_keys_step_the_screen(server, vt_store, contexts):
    """→ shows the next activity of the workbook on this screen only, ← the one before; F asks for full screen."""
    info, _key = vt_store.create_session("Nuolet", network="N")
    vt_store.set_activity_state(info.id, "hierarkia_markkina_verkosto", is_open=True)
    screen = _open_screen(contexts, server, info.code, (1280, 720))
    visible_title = screen.locator(".vt-presenter-title").filter(visible=True)
    expect(visible_title).to_have_text(TITLE["hierarkia_markkina_verkosto"], timeout=LOAD_MS)
    screen.wait_for_timeout(500)
    screen.keyboard.press("ArrowRight")
    expect(visible_title).to_have_text(TITLE[CHOICE])
    screen.keyboard.press("PageUp")  # a clicker's "back"
    expect(visible_title).to_have_text(TITLE["hierarkia_markkina_verkosto"])
    screen.keyboard.press("ArrowLeft")
    expect(visible_title).to_have_text(TITLE["kuulumiset"])
    screen.keyboard.press("ArrowLeft")  # the round's start: where this round of the network begins
    expect(visible_title).to_have_text(TITLE["kierroksen_alku"])
    screen.keyboard.press("ArrowLeft")  # before the first: the join card
    expect(screen.locator(".vt-join-card")).to_be_visible()
    assert vt_store.activity_state(info.id, CHOICE).is_open is False  # a view choice, not a state change
    screen.keyboard.press("f")
    screen.wait_for_function("() => document.fullscreenElement !== null", timeout=WAIT_MS)


# --------------------------------------------------------------------------- the console
def _open_console(contexts, server, code: str, key: str) -> Page:
    page = contexts(CONSOLE).new_page()
    page.goto(server.url(WORKBOOK, session=code, key=key), timeout=LOAD_MS)
    page.locator(".vt-now-bar").wait_for(timeout=LOAD_MS)
    page.locator(f"#activity-{CHOICE} .vt-badge").wait_for(timeout=LOAD_MS)
    return page


def test_console_now_bar_catalogue_and_jumps(server, vt_store, contexts, tmp_path):
    """The now bar names what runs now and stays in view at the bottom of the page; the catalogue is
    folded with status badges; an agenda link jumps to its activity without reloading and makes it current."""
    info, key = vt_store.create_session("Konsoli", network="N")
    vt_store.set_agenda(info.id, [(WORKBOOK, "kuulumiset", "9.00"), (WORKBOOK, CHOICE, "9.30"),
                                  (WORKBOOK, "verkostotyon_tasot", "10.00"), ("02_tavoitteet.ipynb", "tavoitekanvaasi", "11.00")])
    vt_store.set_activity_state(info.id, CHOICE, is_open=True)
    page = _open_console(contexts, server, info.code, key)
    bar = page.locator(".vt-now-bar")
    expect(bar.locator(".vt-now-name")).to_have_text(TITLE[CHOICE])
    expect(bar.locator(".vt-badge")).to_have_text("Avoinna")
    expect(page.locator(f"#activity-{CHOICE} .vt-badge")).to_have_text("Avoinna")
    expect(page.locator("#activity-kuulumiset .vt-badge")).to_have_text("Ei vielä avattu")
    expect(page.locator("#activity-kuulumiset button")).to_have_attribute("aria-expanded", "false")
    expect(page.locator("[data-vt-agenda='now']")).to_contain_text(TITLE[CHOICE])
    expect(bar.locator("a[data-vt-step='next']")).to_have_attribute("href", "#activity-verkostotyon_tasot")
    page.evaluate("() => { window.__vtNoReload = 'still here'; }")
    _shot(page, tmp_path, "console-top-1366x768")

    page.evaluate("() => { const c = document.getElementById('rendered_cells'); c.scrollTop = c.scrollHeight; window.scrollTo(0, document.body.scrollHeight); }")
    page.wait_for_timeout(300)
    _shot(page, tmp_path, "console-bottom-1366x768")
    assert _inside(page, ".vt-now-bar .vt-now-name") and _inside(page, ".vt-now-bar .jupyter-button")

    # the agenda's link to another activity of this workbook: an anchor, no reload
    page.locator(".vt-agenda a", has_text=TITLE["kuulumiset"]).click()
    expect(page.locator("#activity-kuulumiset button")).to_have_attribute("aria-expanded", "true")
    expect(bar.locator(".vt-now-name")).to_have_text(TITLE["kuulumiset"])
    assert page.evaluate("() => window.__vtNoReload") == "still here"
    # the bar's own controls act on the current activity
    bar.get_by_role("button", name="Avaa vastattavaksi").click()
    page.wait_for_timeout(200)
    expect(page.locator("#activity-kuulumiset .vt-badge")).to_have_text("Avoinna")
    assert vt_store.activity_state(info.id, "kuulumiset").is_open
    # next across workbooks is a link to the other workbook's console at its anchor
    page.locator(".vt-agenda a", has_text=TITLE["verkostotyon_tasot"]).click()
    expect(bar.locator(".vt-now-name")).to_have_text(TITLE["verkostotyon_tasot"])
    expect(bar.locator("a[data-vt-step='next']")).to_have_attribute("href", re.compile(r"^02_tavoitteet\.ipynb\?.*#activity-tavoitekanvaasi$"))
    _shot(page, tmp_path, "console-jumped-1366x768")


def test_closing_the_workshop_asks_first(server, vt_store, contexts, tmp_path):
    """"Sulje työpaja" asks in the page; cancel keeps the workshop open, the confirmation closes it."""
    info, key = vt_store.create_session("Sulku", network="N")
    page = _open_console(contexts, server, info.code, key)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.get_by_role("button", name="Sulje työpaja", exact=True).click()
    confirm = page.get_by_role("button", name="Vahvista: sulje työpaja")
    expect(confirm).to_be_visible()
    _shot(page, tmp_path, "console-confirm-close")
    page.get_by_role("button", name="Peruuta").click()
    expect(confirm).to_be_hidden()
    assert vt_store.get_session(info.code).is_open
    page.get_by_role("button", name="Sulje työpaja", exact=True).click()
    confirm.click()
    expect(page.locator("[data-vt-session-open='0']")).to_be_attached()
    assert not vt_store.get_session(info.code).is_open
    assert dialogs == []

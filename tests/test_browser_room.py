"""A live room in headless Chromium: a facilitator, the room's screen and ten phones on the
highlights wall, all at once, against a real `vertaiset serve` (Voila)."""
from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from conftest import BROWSER_MARKS, CHROMIUM, CHROMIUM_ARGS, VoilaServer

pytestmark = BROWSER_MARKS
pytest.importorskip("playwright.async_api", reason="browser tests need the playwright package")

from playwright.async_api import TimeoutError as PlaywrightTimeoutError, async_playwright  # noqa: E402

from vertaiset_widgets.store import SessionStore  # noqa: E402
from vertaiset_widgets.kinds.highlights.wall import read_wall

ACT = "unelmaverkosto"
PHONES = 10
WAIT_MS = 120_000
XSS = "<img src=x onerror=alert(1)><script>alert(2)</script>"


async def _open_phone(browser, server: VoilaServer, code: str):
    ctx = await browser.new_context(viewport={"width": 390, "height": 844})
    ctx.set_default_timeout(WAIT_MS)
    page = await ctx.new_page()
    await page.goto(server.url("osallistu.ipynb", session=code), timeout=WAIT_MS)
    await page.get_by_role("button", name="Lähetä nosto").wait_for()
    return ctx, page


async def _post(page, text: str) -> None:
    await page.get_by_label("Nosto", exact=True).fill(text)
    await page.get_by_role("button", name="Lähetä nosto").click()
    await page.get_by_text("Voit kirjoittaa seuraavan noston").wait_for()
    # the next post starts from an empty box
    await page.wait_for_function(
        "() => [...document.querySelectorAll('textarea')].every(t => t.value === '')", timeout=WAIT_MS
    )


async def _vote(page, text: str) -> None:
    button = page.get_by_role("button", name=f"+1: {text}", exact=True)
    done = page.get_by_role("button", name=f"Peru +1: {text}", exact=True)
    await button.click()
    try:
        await done.wait_for(timeout=10_000)  # an acknowledged +1 shows within a second or two
    except PlaywrightTimeoutError:
        # the wall was redrawn by others' votes as the tap landed, and the tap went to a button
        # that was being replaced: a person taps again (a +1 counts once however often it is sent)
        if await button.is_visible():
            await button.click()
        await done.wait_for()


async def _room(server: VoilaServer, store: SessionStore, code: str, key: str, session_id: int, shots: str | None):
    dialogs: list[str] = []
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            big = await browser.new_context(viewport={"width": 1366, "height": 900})
            big.set_default_timeout(WAIT_MS)
            facilitator = await big.new_page()
            await facilitator.goto(server.url("04_arviointi.ipynb", session=code, key=key), timeout=WAIT_MS)
            screen_ctx = await browser.new_context(viewport={"width": 1920, "height": 1080})
            screen_ctx.set_default_timeout(WAIT_MS)
            screen = await screen_ctx.new_page()
            await screen.goto(server.url("04_arviointi.ipynb", session=code, role="screen"), timeout=WAIT_MS)
            phones = [await _open_phone(browser, server, code) for _ in range(PHONES)]
            pages = [page for _ctx, page in phones]
            for page in pages + [facilitator, screen]:
                page.on("dialog", lambda d: (dialogs.append(d.message), asyncio.ensure_future(d.dismiss())))

            # every phone posts two highlights at the same time; phone 0 posts markup
            texts = {i: [f"Nosto {i}-A verkostoista", f"Nosto {i}-B luottamuksesta"] for i in range(PHONES)}
            texts[0][1] = XSS

            async def post_all(i: int) -> None:
                for text in texts[i]:
                    await _post(pages[i], text)

            await asyncio.gather(*(post_all(i) for i in range(PHONES)))
            wall = facilitator.locator(".vt-wall[data-mode='facilitator']")
            await facilitator.locator(f"[data-vt-highlights='{2 * PHONES}']").wait_for()

            store.set_activity_state(session_id, ACT, is_revealed=True)
            # each phone +1s the first highlight of the next two phones, all at once
            targets = {i: [texts[(i + 1) % PHONES][0], texts[(i + 2) % PHONES][0]] for i in range(PHONES)}

            async def vote_all(i: int) -> None:
                await pages[i].locator(".vt-wall[data-mode='participant']").wait_for()
                for text in targets[i]:
                    await _vote(pages[i], text)

            await asyncio.gather(*(vote_all(i) for i in range(PHONES)))
            # the facilitator's wall ends with every +1 counted: each first highlight has exactly 2
            for i in range(PHONES):
                first = texts[i][0]
                item = wall.locator("li", has=facilitator.locator(".vt-wall-text", has_text=first))
                await item.locator(".vt-wall-votes", has_text="+2").wait_for()
            screen_wall = screen.locator(".vt-wall[data-mode='screen']")
            await screen_wall.locator(".vt-wall-text", has_text=texts[3][0]).wait_for()
            # markup stays text on the participants' wall, the facilitator's wall and the screen
            for page in (pages[5], facilitator, screen):
                literal = page.locator(".vt-wall-text", has_text=XSS)
                await literal.first.wait_for()
                assert await literal.first.inner_text() == XSS
                assert await page.locator("script", has_text="alert(2)").count() == 0
                assert await page.locator("img[src='x']").count() == 0
            if shots:
                await pages[5].screenshot(path=str(Path(shots) / "room-phone.png"), full_page=True)
                await facilitator.screenshot(path=str(Path(shots) / "room-facilitator.png"), full_page=True)
                await screen.screenshot(path=str(Path(shots) / "room-screen.png"))
            wall_texts = await wall.locator(".vt-wall-text").all_inner_texts()
        finally:
            await browser.close()
    return dialogs, wall_texts, texts, targets


@pytest.fixture(scope="module")
def room_server(voila_server):
    """The run's common Voila server; the room is a session of its own in its SQLite file."""
    return voila_server


def test_full_room_posts_and_votes_at_once(room_server):
    """Ten phones post and +1 at the same time; the wall and every count end exactly right, markup stays text."""
    store = SessionStore(room_server.db_url)
    session, key = store.create_session("Huone")
    store.set_activity_state(session.id, ACT, is_open=True)
    dialogs, wall_texts, texts, targets = asyncio.run(
        _room(room_server, store, session.code, key, session.id, os.environ.get("VERTAISET_SHOTS"))
    )
    assert dialogs == []
    highlights = read_wall(store, session.id, ACT)
    posted = sorted(t for pair in texts.values() for t in pair)
    assert sorted(h.text for h in highlights) == posted  # nothing lost, nothing doubled
    assert sorted(wall_texts) == posted
    # the browser orders the wall by +1s: every first highlight (+2 each) before every second one (none)
    assert set(wall_texts[:PHONES]) == {texts[i][0] for i in range(PHONES)}
    votes = {h.text: len(h.voters) for h in highlights}
    expected = {t: 0 for t in posted}
    for pair in targets.values():
        for t in pair:
            expected[t] += 1
    assert votes == expected
    assert len(store.participants(session.id)) == PHONES

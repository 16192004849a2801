"""End-to-end tests in headless Chromium against a real `vertaiset serve` (Voila).

One Voila server on a temporary SQLite file serves most tests (the run's common server, which
test_browser_kinds.py and test_browser_room.py use too); each test makes its own session in that file (the test process writes to the same store as the kernels), and
every phone is its own browser context (own localStorage, own participant token).

Screenshots go to the folder in ``VERTAISET_SHOTS`` when it is set.
"""
from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path
from typing import Callable, Iterator

import pytest

from conftest import BROWSER_MARKS, LOAD_MS, PHONE, WAIT_MS, VoilaServer, free_port

pytestmark = BROWSER_MARKS

playwright_api = pytest.importorskip("playwright.sync_api", reason="browser tests need the playwright package")
from playwright.sync_api import BrowserContext, Page, expect  # noqa: E402

from vertaiset_widgets.content import load_content  # noqa: E402
from vertaiset_widgets.i18n import Translator  # noqa: E402
from vertaiset_widgets.store import AnswerInput, SessionStore  # noqa: E402

LAPTOP = {"width": 1366, "height": 900}
PROJECTOR = {"width": 1920, "height": 1080}
ACTIVITY_ID = "arviointi_360"

CONTENT = load_content()
ACTIVITY = CONTENT.activity(ACTIVITY_ID)
TR_FI = Translator.create(CONTENT, "fi")
ITEMS = [(item.id, TR_FI.label(item)) for item in ACTIVITY.items]
LAYERS = [(layer.id, TR_FI.label(layer)) for layer in ACTIVITY.layers]
TOTAL = len(ITEMS) * len(LAYERS)

SHOTS = os.environ.get("VERTAISET_SHOTS")


# --------------------------------------------------------------------------- helpers
def profile(fn: Callable[[int, int], int]) -> dict[tuple[str, str], int]:
    """A full answer profile: ``fn(item_index, layer_index)`` -> point, keyed by (layer id, item id)."""
    return {
        (layer_id, item_id): fn(i, j)
        for i, (item_id, _) in enumerate(ITEMS)
        for j, (layer_id, _) in enumerate(LAYERS)
    }


def radio(page: Page, item_label: str, layer_label: str, point: int):
    """The radio for ``point`` in the (dimension, time layer) group, found by accessible names."""
    dimension = page.get_by_role("group", name=item_label, exact=True)
    layer = dimension.get_by_role("group", name=layer_label, exact=True)
    return layer.get_by_role("radio", name=str(point), exact=True)


def answer_all(page: Page, values: dict[tuple[str, str], int]) -> None:
    """Click every answer of ``values`` on the participant's 360 form."""
    for item_id, item_label in ITEMS:
        for layer_id, layer_label in LAYERS:
            radio(page, item_label, layer_label, values[(layer_id, item_id)]).check()


def expect_checked(page: Page, values: dict[tuple[str, str], int]) -> None:
    """Every answer of ``values`` is the checked radio of its group."""
    for item_id, item_label in ITEMS:
        for layer_id, layer_label in LAYERS:
            expect(radio(page, item_label, layer_label, values[(layer_id, item_id)])).to_be_checked()
    assert page.locator("input[type=radio]:checked").count() == len(values)


def submit_answers(page: Page) -> None:
    """Press "Lähetä vastaukset" and wait for the acknowledgement of all answers."""
    page.get_by_role("button", name="Lähetä vastaukset").click()
    expect(rating_status(page)).to_contain_text(f"{TOTAL}/{TOTAL} vastausta", timeout=WAIT_MS)


def rating_status(page: Page):
    """The status line of the 360 form."""
    return page.locator("form.vt-rating").get_by_role("status")


def token_of(page: Page, code: str) -> str:
    """The participant token this browser keeps for session ``code``."""
    token = page.evaluate("(code) => window.localStorage.getItem('vertaiset:participant:' + code)", code)
    assert token, "the page kept no participant token in localStorage"
    return token


def kernel_id(page: Page) -> str:
    """The id of the Voila kernel behind this page."""
    return page.evaluate("() => JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId")


def stored_profile(store: SessionStore, session_id: int, participant_id: int) -> dict[tuple[str, str], int]:
    """The answers that count for one participant, as (layer, item) -> point."""
    answers = store.answers(session_id, ACTIVITY_ID, participant_id=participant_id)
    keys = [(a.layer, a.item) for a in answers]
    assert len(keys) == len(set(keys)), f"more than one counting answer per item: {keys}"
    return {(a.layer, a.item): int(a.value_num) for a in answers}


def participant_id_of(store: SessionStore, session_id: int, token: str) -> int:
    found = store.find_participant(session_id, token)  # the store keeps only the token's hash
    assert found is not None, f"expected one participant with token {token}"
    return found.id


#: The 360's respondent count, e.g. "Vastanneita 3 / osallistujia 3" (a workbook may hold other activities too).
RESPONDENTS = re.compile(r"^(Vastanneita|Har svarat|Answered) \d+ / ")
RADAR = re.compile(r"^(Tutkakaavio|Spindeldiagram|Radar chart)")


def rating_console(page: Page):
    """The 360's console (its controls, counts and charts) on a facilitator or screen page."""
    return page.locator(".vt-activity").filter(has=page.locator(f"[data-vt-activity='{ACTIVITY_ID}']"))


def rating_stat(page: Page):
    """The 360's respondent count on a facilitator or screen page (other activities count too)."""
    return rating_console(page).locator("p.vt-stat", has_text=RESPONDENTS)


def radar(page: Page):
    """The 360's radar image, found by its text alternative."""
    return rating_console(page).get_by_role("img", name=RADAR)


def mark_page(page: Page) -> None:
    """Leave a mark in the page's JavaScript state: it is gone if the page ever reloads."""
    page.evaluate("() => { window.__vtNoReload = 'still here'; }")


def assert_not_reloaded(page: Page) -> None:
    assert page.evaluate("() => window.__vtNoReload") == "still here", "the page was reloaded"


def _settle_charts(page: Page, quiet: float = 1.5, timeout: float = 20) -> None:
    """For screenshots only: a redraw sends the charts one by one (each SVG takes a moment
    to make), so wait until no chart has changed for ``quiet`` seconds."""
    read = "() => [...document.querySelectorAll('img.vt-chart')].map(img => img.src.length + ':' + img.src.slice(-64))"
    deadline = time.monotonic() + timeout
    last, since = page.evaluate(read), time.monotonic()
    while time.monotonic() < deadline and time.monotonic() - since < quiet:
        page.wait_for_timeout(250)
        now = page.evaluate(read)
        if now != last:
            last, since = now, time.monotonic()


def shot(page: Page, name: str, *, full_page: bool = True) -> None:
    """Save a screenshot to $VERTAISET_SHOTS (no-op when unset).

    Voila scrolls inside ``#rendered_cells``, not the document, so a full-page shot
    first grows the viewport to the content's height.
    """
    if not SHOTS:
        return
    folder = Path(SHOTS)
    folder.mkdir(parents=True, exist_ok=True)
    _settle_charts(page)
    size = page.viewport_size
    try:
        if full_page and size:
            height = page.evaluate(
                """() => {
                    const cells = document.getElementById('rendered_cells');
                    return Math.max(document.documentElement.scrollHeight, cells ? cells.scrollHeight : 0);
                }"""
            )
            if height > size["height"]:
                page.set_viewport_size({"width": size["width"], "height": min(int(height) + 8, 20_000)})
        page.screenshot(path=str(folder / f"{name}.png"), full_page=full_page)
    finally:
        if size:
            page.set_viewport_size(size)


# --------------------------------------------------------------------------- fixtures
def _start_server(tmp: Path, extra: list[str] | None = None) -> tuple[VoilaServer, str]:
    url = f"sqlite:///{tmp / 'store.sqlite'}"
    SessionStore(url).close()  # migrate before the server and its kernels open it
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("VERTAISET_HOME", str(tmp / "home"))
        mp.delenv("QUERY_STRING", raising=False)
        server = VoilaServer(url, free_port(), tmp / "voila.log", extra=extra)
    return server, url


@pytest.fixture
def session(vt_store):
    """A fresh session with the 360 open: (session, facilitator key)."""
    info, key = vt_store.create_session("Testi", network="N")
    vt_store.set_activity_state(info.id, ACTIVITY_ID, is_open=True)
    return info, key


def open_participant(ctx: BrowserContext, server: VoilaServer, code: str | None, *, lang: str | None = None,
                     page: Page | None = None) -> Page:
    """A participant's page, opened and joined (the profile form is there)."""
    page = page or ctx.new_page()
    query = {}
    if code is not None:
        query["session"] = code
    if lang:
        query["lang"] = lang
    page.goto(server.url("osallistu.ipynb", **query), timeout=LOAD_MS)
    return page


def wait_joined(page: Page, save_label: str = "Tallenna tiedot") -> None:
    """Wait until the participant has joined (the profile form is there)."""
    try:
        page.get_by_role("button", name=save_label, exact=True).wait_for(timeout=LOAD_MS)
    except playwright_api.TimeoutError:
        raise AssertionError(
            f"the participant page never showed its {save_label!r} button at {page.url}:\n"
            + page.locator("body").inner_text(timeout=5000)[:1500]
        ) from None


def _not_ready(page: Page, server: VoilaServer, what: str) -> AssertionError:
    """A readable failure for a page that did not come up: its text and the server log."""
    try:
        text = page.locator("body").inner_text(timeout=5000)[:1500]
    except Exception as exc:  # the page itself may be gone
        text = f"(no page text: {exc})"
    log_tail = "\n".join(server.log().splitlines()[-40:])
    return AssertionError(f"{what} at {page.url}\n--- page text ---\n{text}\n--- server log ---\n{log_tail}")


def open_facilitator(ctx: BrowserContext, server: VoilaServer, code: str, *, page: Page | None = None,
                     **query: str) -> Page:
    """The facilitator's (or screen's) page, waited for until the activity is drawn."""
    page = page or ctx.new_page()
    page.goto(server.url("04_arviointi.ipynb", session=code, **query), timeout=LOAD_MS)
    try:
        rating_stat(page).wait_for(timeout=LOAD_MS)
    except playwright_api.TimeoutError:
        raise _not_ready(page, server, "the 360's respondent count never appeared") from None
    return page


# --------------------------------------------------------------------------- 1. the workshop
def test_three_phones_answer_and_facilitator_follows_live(server, vt_store, session, contexts):
    """Three phones submit different full profiles; the facilitator's count and radar follow without a reload."""
    info, key = session
    facilitator = open_facilitator(contexts(LAPTOP), server, info.code, key=key)
    stat = rating_stat(facilitator)
    expect(stat).to_have_attribute("data-vt-respondents", "0")
    chart = radar(facilitator)
    expect(chart).to_be_visible(timeout=LOAD_MS)
    radar_before = chart.get_attribute("src")
    mark_page(facilitator)
    navigations: list[str] = []
    facilitator.on("framenavigated", lambda frame: navigations.append(frame.url))

    profiles = [
        profile(lambda i, j: 1),
        profile(lambda i, j: 5),
        profile(lambda i, j: (i + 2 * j) % 6),  # mixed: every point 0–5 appears
    ]
    tokens = []
    page_errors: list[str] = []
    for n, values in enumerate(profiles, start=1):
        phone = contexts(PHONE).new_page()
        phone.on("pageerror", lambda exc: page_errors.append(str(exc)))
        open_participant(phone.context, server, info.code, page=phone)
        wait_joined(phone)
        answer_all(phone, values)
        submit_answers(phone)
        expect_checked(phone, values)
        tokens.append(token_of(phone, info.code))
        if n == 1:
            shot(phone, "participant-answered")

    assert len(set(tokens)) == 3, "each phone must be its own participant"
    expect(stat).to_have_attribute("data-vt-respondents", "3", timeout=WAIT_MS)
    expect(stat).to_have_text("Vastanneita 3 / osallistujia 3")
    expect(chart).to_have_attribute("alt", re.compile(r"^Tutkakaavio.*3 vastaajaa"))
    assert chart.get_attribute("src") != radar_before, "the radar was not redrawn"
    assert_not_reloaded(facilitator)
    assert navigations == [], f"the facilitator page navigated: {navigations}"
    assert page_errors == [], f"JavaScript errors on the phones: {page_errors}"
    shot(facilitator, "facilitator-3-answered")

    for token, values in zip(tokens, profiles):
        pid = participant_id_of(vt_store, info.id, token)
        assert stored_profile(vt_store, info.id, pid) == values
    assert len(vt_store.answers(info.id, ACTIVITY_ID)) == 3 * TOTAL


# --------------------------------------------------------------------------- 2. refresh
def test_reload_brings_answers_back_and_resubmit_keeps_one_answer(server, vt_store, session, contexts):
    """After a reload the answers come back checked; a changed answer replaces the old one in the store."""
    info, _ = session
    values = profile(lambda i, j: (i + j) % 6)
    page = open_participant(contexts(PHONE), server, info.code)
    wait_joined(page)
    answer_all(page, values)
    submit_answers(page)

    page.reload(timeout=LOAD_MS)
    wait_joined(page)
    expect(rating_status(page)).to_have_text(re.compile(r"^Aiemmat vastauksesi on haettu"), timeout=WAIT_MS)
    expect_checked(page, values)

    item_id, item_label = ITEMS[0]
    layer_id, layer_label = LAYERS[1]
    new_point = (values[(layer_id, item_id)] + 3) % 6
    radio(page, item_label, layer_label, new_point).check()
    submit_answers(page)

    pid = participant_id_of(vt_store, info.id, token_of(page, info.code))
    expected = dict(values)
    expected[(layer_id, item_id)] = new_point
    assert stored_profile(vt_store, info.id, pid) == expected
    counting = [a for a in vt_store.answers(info.id, ACTIVITY_ID, participant_id=pid)
                if (a.layer, a.item) == (layer_id, item_id)]
    assert [int(a.value_num) for a in counting] == [new_point]
    history = [a for a in vt_store.answers(info.id, ACTIVITY_ID, participant_id=pid, latest=False)
               if (a.layer, a.item) == (layer_id, item_id)]
    assert [int(a.value_num) for a in history] == [values[(layer_id, item_id)], new_point]


# --------------------------------------------------------------------------- 3. culling
@pytest.fixture
def culling_server(tmp_path) -> Iterator[VoilaServer]:
    """A server that culls a closed page's kernel after 4 idle seconds."""
    srv, _ = _start_server(tmp_path, ["--cull-idle-timeout", "4", "--cull-interval", "2"])
    yield srv
    srv.stop()


def wait_for_log(server: VoilaServer, pattern: str, timeout: float = 60) -> str:
    """Wait until the server log has a line matching ``pattern``; return that line."""
    regex = re.compile(pattern)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for line in server.log().splitlines():
            if regex.search(line):
                return line
        time.sleep(0.25)
    raise AssertionError(f"no log line matching {pattern!r} within {timeout} s; log tail:\n{server.log()[-3000:]}")


def test_answers_survive_a_culled_kernel(culling_server, contexts):
    """A closed page's kernel is culled; the same phone opening the page again gets its answers back."""
    store = SessionStore(culling_server.db_url)
    try:
        info, _ = store.create_session("Testi", network="N")
        store.set_activity_state(info.id, ACTIVITY_ID, is_open=True)
        values = profile(lambda i, j: 5 - (i + j) % 6)
        ctx = contexts(PHONE)
        page = open_participant(ctx, culling_server, info.code)
        wait_joined(page)
        answer_all(page, values)
        submit_answers(page)
        first_kernel = kernel_id(page)
        page.close()  # the phone's browser context (and localStorage) stays

        # jupyter_server: "Culling 'idle' kernel 'python3' (<id>) with 0 connections due to N seconds of inactivity."
        line = wait_for_log(culling_server, rf"Culling '\w+' kernel '[^']*' \({re.escape(first_kernel)}\)")
        assert "0 connections" in line

        page = open_participant(ctx, culling_server, info.code)
        wait_joined(page)
        assert kernel_id(page) != first_kernel
        expect(rating_status(page)).to_have_text(re.compile(r"^Aiemmat vastauksesi on haettu"), timeout=WAIT_MS)
        expect_checked(page, values)
        assert len(store.participants(info.id)) == 1, "the phone came back as a new participant"
    finally:
        store.close()


# --------------------------------------------------------------------------- 4. following the facilitator
def test_participant_follows_open_and_close_without_reload(server, vt_store, contexts):
    """The form appears on the phone when the facilitator opens the task, and is disabled when it is closed."""
    info, key = vt_store.create_session("Testi", network="N")
    phone = open_participant(contexts(PHONE), server, info.code)
    wait_joined(phone)
    expect(phone.get_by_text("Odota hetki", exact=False)).to_be_visible()
    expect(phone.get_by_role("button", name="Lähetä vastaukset")).to_have_count(0)
    shot(phone, "participant-waiting")
    mark_page(phone)

    facilitator = open_facilitator(contexts(LAPTOP), server, info.code, key=key)
    rating_console(facilitator).get_by_role("button", name="Avaa vastattavaksi").click()
    submit = phone.get_by_role("button", name="Lähetä vastaukset")
    expect(submit).to_be_visible(timeout=WAIT_MS)
    expect(submit).to_be_enabled()
    expect(phone.get_by_role("group", name=ITEMS[0][1], exact=True)).to_be_visible()

    rating_console(facilitator).get_by_role("button", name="Sulje vastaaminen").click()
    expect(submit, "after 'Sulje vastaaminen' the phone's submit button should become disabled").to_be_disabled(
        timeout=WAIT_MS)
    # ... and stay so: not be swapped for something else by the page's next redraw. The
    # page polls the store every second, so three seconds cover its next polls.
    phone.wait_for_timeout(3000)
    expect(submit, "the disabled form should stay on the phone after the task is closed").to_be_disabled(timeout=1000)
    disabled_radios = phone.locator("input[type=radio]:disabled").count()
    assert disabled_radios == TOTAL * len(ACTIVITY.scale.points), "every radio should be disabled too"
    assert_not_reloaded(phone)
    shot(phone, "participant-closed")


# --------------------------------------------------------------------------- 5. join codes
def assert_no_voila_error(page: Page) -> None:
    text = page.locator("body").inner_text()
    assert "Traceback" not in text
    assert "There was an error" not in text
    assert page.locator(
        "[data-mime-type='application/vnd.jupyter.stderr'], [data-mime-type='application/vnd.jupyter.error'], "
        ".jp-RenderedText[data-mime-type*='error']"
    ).count() == 0


def test_unknown_code_says_so_without_traceback(server, contexts):
    """An unknown join code gives a friendly message, not a traceback."""
    page = open_participant(contexts(PHONE), server, "EIOLE9")
    expect(page.get_by_text("Koodilla EIOLE9 ei löydy työpajaa", exact=False).first).to_be_visible(timeout=LOAD_MS)
    expect(page.get_by_label("Liittymiskoodi")).to_be_visible()
    assert_no_voila_error(page)
    shot(page, "participant-unknown-code")


def test_missing_code_asks_for_it_and_joins(server, vt_store, contexts):
    """Without a code the page asks for it; typing a real one joins that session."""
    info, _ = vt_store.create_session("Liittymistesti", network="N")
    vt_store.set_activity_state(info.id, ACTIVITY_ID, is_open=True)
    page = open_participant(contexts(PHONE), server, None)
    code_input = page.get_by_label("Liittymiskoodi")
    expect(code_input).to_be_visible(timeout=LOAD_MS)
    shot(page, "participant-join-form")
    code_input.fill(info.code.lower())
    page.get_by_role("button", name="Liity", exact=True).click()
    expect(page.get_by_role("heading", name="Liittymistesti", exact=True)).to_be_visible(timeout=WAIT_MS)
    wait_joined(page)
    expect(page.get_by_role("button", name="Lähetä vastaukset")).to_be_visible(timeout=WAIT_MS)
    assert_no_voila_error(page)
    assert len(vt_store.participants(info.id)) == 1


# --------------------------------------------------------------------------- 6. facilitator key
def test_facilitator_page_without_key_has_no_controls(server, session, contexts):
    """Without the key the facilitator page shows no controls."""
    info, _ = session
    page = open_facilitator(contexts(LAPTOP), server, info.code)
    expect(page.get_by_text("Ohjaimet näkyvät vain ohjaajan linkillä", exact=False)).to_be_visible()
    expect(page.get_by_role("button", name="Avaa vastattavaksi")).to_have_count(0)
    expect(page.get_by_role("button", name="Julkaise tulokset")).to_have_count(0)


def test_facilitator_page_with_wrong_key_says_so(server, session, contexts):
    """A wrong key is named as such and gives no controls."""
    info, _ = session
    page = open_facilitator(contexts(LAPTOP), server, info.code, key="vaara-avain")
    expect(page.get_by_text("Ohjaajan avain ei kelpaa", exact=False)).to_be_visible()
    expect(page.get_by_role("button", name="Avaa vastattavaksi")).to_have_count(0)


# --------------------------------------------------------------------------- room screen
def test_screen_shows_code_and_radar_only_after_reveal(server, vt_store, session, contexts):
    """The room screen shows the join code and QR, and the radar only once the results are revealed."""
    info, _ = session
    participant = vt_store.join(info.id, "screen-test-token-0001")
    vt_store.submit(participant, ACTIVITY_ID,
                    [AnswerInput(item=i, layer=layer, value_num=3.0) for (layer, i) in profile(lambda i, j: 3)],
                    submission_id="screen-test")
    screen = open_facilitator(contexts(PROJECTOR), server, info.code, role="screen")
    console = rating_console(screen)
    banner = screen.locator(".vt-join-banner")
    expect(banner.locator("[data-vt-code]")).to_have_text(info.code)
    expect(banner.get_by_role("img", name=re.compile(r"^QR-koodi"))).to_be_visible()
    expect(console.locator(".vt-presenter-title")).to_be_visible()
    expect(console.locator("img.vt-chart")).to_have_count(0)
    expect(screen.get_by_role("button")).to_have_count(0)
    shot(screen, "screen-before-reveal", full_page=False)
    mark_page(screen)

    # The facilitator's button is exercised in the open/close test; here the reveal is
    # written to the store directly, which is all a screen in the room ever sees of it.
    vt_store.set_activity_state(info.id, ACTIVITY_ID, is_revealed=True)
    expect(radar(screen)).to_have_attribute("alt", re.compile(r"^Tutkakaavio.*1 vastaajaa"), timeout=WAIT_MS)
    expect(radar(screen)).to_be_visible()
    assert_not_reloaded(screen)
    shot(screen, "screen-revealed", full_page=False)  # what the projector shows
    shot(screen, "screen-revealed-whole-page")


# --------------------------------------------------------------------------- 7. language
def test_participant_page_in_swedish(server, session, contexts):
    """With lang=sv the participant page is in Swedish, with no Finnish dimension names."""
    info, _ = session
    page = open_participant(contexts(PHONE), server, info.code, lang="sv")
    wait_joined(page, "Spara uppgifterna")
    assert page.evaluate("() => document.documentElement.lang") == "sv"
    expect(page.get_by_role("group", name="Permanenta partner (såsom andra tjänster)", exact=True)).to_be_visible()
    expect(page.get_by_role("group", name="Pysyvät kumppanit (kuten muut palvelut)", exact=True)).to_have_count(0)
    expect(page.get_by_text("Pysyvät kumppanit (kuten muut palvelut)")).to_have_count(0)
    shot(page, "participant-sv")


def test_facilitator_page_in_english(server, session, contexts):
    """With lang=en the facilitator page shows the English markdown, and the Finnish is hidden."""
    info, key = session
    page = open_facilitator(contexts(LAPTOP), server, info.code, key=key, lang="en")
    assert page.evaluate("() => document.documentElement.lang") == "en"
    expect(page.get_by_role("heading", name="The 360-degree view", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="360-asteen tarkastelutapa", exact=True)).to_have_count(0)
    finnish = page.locator("h2", has_text="360-asteen tarkastelutapa")
    expect(finnish).to_have_count(1)  # in the DOM (one notebook serves every language) ...
    expect(finnish).to_be_hidden()  # ... but not shown
    expect(rating_console(page).get_by_role("button", name="Open for answers")).to_be_visible()
    shot(page, "facilitator-en")


# --------------------------------------------------------------------------- 8. no outside requests
class RecordedView:
    """One page opened with every request and websocket it made recorded from the start."""

    def __init__(self, page: Page, requests: list[str], sockets: list[str]):
        self.page = page
        self.requests = requests
        self.sockets = sockets


@pytest.fixture(scope="module")
def recorded_views(browser, server, vt_store) -> Iterator[Callable[[str], RecordedView]]:
    """The participant, facilitator and screen pages of one session, each opened once for
    the module (a facilitator kernel costs 10–20 s), with their network traffic recorded."""
    info, key = vt_store.create_session("Testi", network="N")
    vt_store.set_activity_state(info.id, ACTIVITY_ID, is_open=True)
    opened: dict[str, RecordedView] = {}
    made: list[BrowserContext] = []

    def get(view: str) -> RecordedView:
        if view in opened:
            return opened[view]
        ctx = browser.new_context(viewport=PHONE if view == "participant" else LAPTOP, locale="fi-FI")
        ctx.set_default_timeout(WAIT_MS)
        made.append(ctx)
        requests: list[str] = []
        sockets: list[str] = []
        ctx.on("request", lambda request: requests.append(request.url))
        page = ctx.new_page()
        page.on("websocket", lambda ws: sockets.append(ws.url))
        if view == "participant":
            open_participant(ctx, server, info.code, page=page)
            wait_joined(page)
            expect(page.get_by_role("button", name="Lähetä vastaukset")).to_be_visible()
        else:
            query = {"key": key} if view == "facilitator" else {"role": "screen"}
            open_facilitator(ctx, server, info.code, page=page, **query)
            if view == "facilitator":
                expect(radar(page)).to_be_visible(timeout=LOAD_MS)
        page.wait_for_load_state("networkidle", timeout=LOAD_MS)
        opened[view] = RecordedView(page, requests, sockets)
        return opened[view]

    yield get
    for ctx in made:
        ctx.close()


@pytest.mark.parametrize("view", ["participant", "facilitator", "screen"])
def test_no_request_leaves_the_server(server, recorded_views, view):
    """Every request the page makes goes to the Voila server itself (or is data:/blob:)."""
    recorded = recorded_views(view)
    allowed = (server.base_url + "/", "data:", "blob:")
    outside = [url for url in recorded.requests if not url.startswith(allowed)]
    assert recorded.requests, "no requests were recorded"
    assert outside == [], f"requests left the server: {outside}"
    ws_base = server.base_url.replace("http://", "ws://", 1) + "/"
    assert recorded.sockets, "the page opened no kernel websocket"
    assert all(url.startswith(ws_base) for url in recorded.sockets), recorded.sockets


# --------------------------------------------------------------------------- 9. text is text
def test_nickname_is_shown_as_text(server, vt_store, session, contexts):
    """A nickname full of markup is stored and shown literally and never runs."""
    info, _ = session
    payload = "<img src=x onerror=alert(1)><script>alert(2)</script>"
    page = open_participant(contexts(PHONE), server, info.code)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    wait_joined(page)
    page.get_by_label("Nimimerkki").fill(payload)
    page.get_by_label("Ryhmä").fill(payload)
    page.get_by_role("button", name="Tallenna tiedot").click()
    profile_status = page.locator("form.vt-form", has=page.get_by_label("Nimimerkki")).get_by_role("status")
    expect(profile_status).to_have_text(re.compile(r"^Tallennettu klo \d{1,2}\.\d{2}\.$"), timeout=WAIT_MS)
    stored = vt_store.find_participant(info.id, token_of(page, info.code))
    assert stored is not None and (stored.nickname, stored.group_name) == (payload, payload)

    page.reload(timeout=LOAD_MS)
    wait_joined(page)
    expect(page.get_by_label("Nimimerkki")).to_have_value(payload, timeout=WAIT_MS)
    expect(page.get_by_label("Ryhmä")).to_have_value(payload)
    assert dialogs == [], f"markup in a nickname ran: {dialogs}"
    assert page.evaluate(
        "() => [...document.querySelectorAll('script')].some(s => s.textContent.includes('alert(2)'))"
    ) is False
    assert page.locator("img[src='x']").count() == 0


# --------------------------------------------------------------------------- 10. accessibility
def _describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v.get('impact')}): {v['help']} — {v.get('helpUrl', '')}")
        for node in v.get("nodes", [])[:8]:
            lines.append(f"    {json.dumps(node.get('target'))}: {node.get('failureSummary', '').strip()}")
    return "\n".join(lines)


@pytest.mark.parametrize("view", ["participant", "facilitator", "screen"])
def test_no_serious_accessibility_violations(recorded_views, view):
    """axe-core finds no serious or critical violations on the page (the participant's with the 360 form open)."""
    from axe_playwright_python.sync_playwright import Axe

    page = recorded_views(view).page
    response = Axe().run(page).response
    violations = response.get("violations", [])
    print(f"axe on the {view} page: {len(response.get('passes', []))} rules passed, "
          f"{len(response.get('incomplete', []))} need review: {[v['id'] for v in response.get('incomplete', [])]}")
    print(_describe(violations) or "no violations")
    if response.get("incomplete"):
        print("needs review:\n" + _describe(response["incomplete"]))
    serious = [v for v in violations if v.get("impact") in ("serious", "critical")]
    assert not serious, "axe-core found serious/critical violations:\n" + _describe(serious)

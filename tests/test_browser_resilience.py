"""A phone that loses its kernel or the server: headless Chromium against a real `vertaiset serve`.

"Saved" is never shown for what was not saved: a killed kernel (kill -9) or a restarted
server puts up the "connection lost" banner, the page reloads itself once the server
answers, and the participant gets back their answers and the text they had not sent.
A database that cannot be written gives the phone a clear message, never a traceback.

Screenshots go to the folder in ``VERTAISET_SHOTS`` when it is set.
"""
from __future__ import annotations

import json
import os
import re
import signal
import time
from pathlib import Path
from typing import Iterator

import pytest

from conftest import BROWSER_MARKS, LOAD_MS, PHONE, WAIT_MS, VoilaServer, free_port

pytestmark = BROWSER_MARKS

playwright_api = pytest.importorskip("playwright.sync_api", reason="browser tests need the playwright package")
psutil = pytest.importorskip("psutil", reason="the kernel-kill tests need psutil")
from playwright.sync_api import BrowserContext, Page, expect  # noqa: E402

from vertaiset_widgets.content import load_content  # noqa: E402
from vertaiset_widgets.i18n import Translator  # noqa: E402
from vertaiset_widgets.store import SessionStore  # noqa: E402
from vertaiset_widgets.kinds.highlights.wall import read_wall

RATING = "arviointi_360"
WALL = "unelmaverkosto"

CONTENT = load_content()
TR = Translator.create(CONTENT, "fi")
RATING_ITEMS = [TR.label(item) for item in CONTENT.activity(RATING).items]
RATING_LAYERS = [TR.label(layer) for layer in CONTENT.activity(RATING).layers]
BANNER_TEXT = TR("connection_lost")
#: a posted highlight's acknowledgement ("Tallennettu klo 14.05. Voit kirjoittaa seuraavan noston.")
SAVED_HIGHLIGHT = re.compile("^" + re.escape(TR("highlight_saved_at")).replace(re.escape("{time}"), r"\d{1,2}\.\d{2}") + "$")
SAVED_AT = re.compile(r"^Tallennettu klo \d{1,2}\.\d{2}\.$")
SHOTS = os.environ.get("VERTAISET_SHOTS")

# Kept in the tab's sessionStorage, so it survives the page's own reloads: every status
# line's words and every time the banner showed, with the time they appeared.
RECORDER = """
(() => {
  const KEY = "vt-test-log";
  const note = (kind, text) => {
    try {
      const log = JSON.parse(sessionStorage.getItem(KEY) || "[]");
      log.push([Date.now(), kind, text]);
      sessionStorage.setItem(KEY, JSON.stringify(log));
    } catch (e) { /* nothing to keep it in */ }
  };
  const seen = new WeakMap();
  const check = () => {
    for (const el of document.querySelectorAll(".vt-status")) {
      const text = el.textContent;
      if (text && seen.get(el) !== text) { seen.set(el, text); note("status", text); }
    }
    const banner = document.getElementById("vt-connection-banner");
    if (banner && !banner.hidden && seen.get(banner) !== "shown") { seen.set(banner, "shown"); note("banner", banner.textContent); }
    if (banner && banner.hidden) seen.delete(banner);
  };
  new MutationObserver(check).observe(document, {
    subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ["hidden"],
  });
})();
"""


# --------------------------------------------------------------------------- fixtures
@pytest.fixture
def phone(browser) -> Iterator[BrowserContext]:
    """One phone: its own localStorage (participant token, drafts) and the recorder."""
    ctx = browser.new_context(viewport=PHONE, locale="fi-FI")
    ctx.set_default_timeout(WAIT_MS)
    ctx.add_init_script(RECORDER)
    yield ctx
    ctx.close()


class Servers:
    """Start `vertaiset serve` on one SQLite file; stop and start it again on the same port."""

    def __init__(self, tmp: Path, db_url: str | None = None):
        self.tmp = tmp
        self.file_url = f"sqlite:///{tmp / 'store.sqlite'}"
        SessionStore(self.file_url).close()  # migrated before the server and its kernels open it
        self.db_url = db_url or self.file_url
        self.port = free_port()
        self.starts = 0
        self.current: VoilaServer | None = None

    def start(self) -> VoilaServer:
        self.starts += 1
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("VERTAISET_HOME", str(self.tmp / "home"))
            mp.delenv("QUERY_STRING", raising=False)
            self.current = VoilaServer(self.db_url, self.port, self.tmp / f"voila-{self.starts}.log")
        return self.current

    def stop(self) -> None:
        if self.current is not None:
            self.current.stop()

    def log(self) -> str:
        return "".join(p.read_text() for p in sorted(self.tmp.glob("voila-*.log")))


@pytest.fixture(scope="module")
def shared(tmp_path_factory) -> Iterator[Servers]:
    """A server for the kernel-kill tests (each test kills only its own phone's kernel)."""
    servers = Servers(tmp_path_factory.mktemp("resilience"))
    servers.start()
    yield servers
    servers.stop()


@pytest.fixture
def own(tmp_path) -> Iterator[Servers]:
    """A server of the test's own, to stop and start again."""
    servers = Servers(tmp_path)
    servers.start()
    yield servers
    servers.stop()


def new_session(servers: Servers):
    """A session with the 360 and a highlights wall open."""
    with SessionStore(servers.file_url) as store:
        info, _key = store.create_session("Testi", network="N")
        store.set_activity_state(info.id, RATING, is_open=True)
        store.set_activity_state(info.id, WALL, is_open=True)
    return info


# --------------------------------------------------------------------------- helpers
def open_phone(ctx: BrowserContext, server: VoilaServer, code: str) -> Page:
    page = ctx.new_page()
    page.goto(server.url("osallistu.ipynb", session=code), timeout=LOAD_MS)
    wait_joined(page)
    return page


def wait_joined(page: Page) -> None:
    page.get_by_role("button", name="Tallenna tiedot", exact=True).wait_for(timeout=LOAD_MS)


def kernel_id(page: Page) -> str:
    return page.evaluate("() => JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId")


def kill_kernel(kernel: str) -> None:
    """kill -9 the kernel process whose connection file names ``kernel``."""
    procs = [p for p in psutil.process_iter(["pid", "cmdline"]) if any(kernel in arg for arg in (p.info["cmdline"] or []))]
    assert procs, f"no process for kernel {kernel}"
    for proc in procs:
        os.kill(proc.pid, signal.SIGKILL)


def wait_reloaded(page: Page, old_kernel: str) -> None:
    """Wait until the page has reloaded itself onto a new kernel, and the participant has joined."""
    deadline = time.monotonic() + LOAD_MS / 1000
    while time.monotonic() < deadline:
        try:
            if page.evaluate(
                """() => { const el = document.getElementById('jupyter-config-data');
                           return el ? JSON.parse(el.textContent).kernelId : ''; }"""
            ) not in ("", old_kernel):
                wait_joined(page)
                return
        except playwright_api.Error:  # the page is navigating
            pass
        time.sleep(0.25)
    raise AssertionError(f"the page did not reload onto a new kernel; text:\n{page.locator('body').inner_text()[:1500]}")


def recorded(page: Page) -> list[tuple[int, str, str]]:
    return [tuple(x) for x in json.loads(page.evaluate("() => sessionStorage.getItem('vt-test-log') || '[]'"))]


def banner(page: Page):
    return page.locator("#vt-connection-banner")


def wall_form(page: Page):
    return page.locator("form.vt-form").filter(has=page.get_by_role("button", name=TR("highlight_post")))


def wall_text(page: Page):
    return wall_form(page).get_by_label(TR("highlight_label"), exact=True)


def answer_rating(page: Page) -> dict[tuple[str, str], int]:
    """Answer two of the 360's items and send them; the answers as (item, layer) -> point."""
    chosen = {(RATING_ITEMS[0], RATING_LAYERS[0]): 4, (RATING_ITEMS[1], RATING_LAYERS[1]): 2}
    for (item, layer), point in chosen.items():
        radio(page, item, layer, point).check()
    page.get_by_role("button", name=TR("submit")).click()
    expect(page.locator("form.vt-rating").get_by_role("status")).to_contain_text(re.compile("tallennettu", re.I))
    return chosen


def radio(page: Page, item: str, layer: str, point: int):
    group = page.get_by_role("group", name=item, exact=True).get_by_role("group", name=layer, exact=True)
    return group.get_by_role("radio", name=str(point), exact=True)


def shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"))


# --------------------------------------------------------------------------- 1. a killed kernel
def test_killed_kernel_brings_back_unsent_text_and_answers(shared, phone):
    """kill -9 of the phone's kernel: banner, a reload onto a new kernel, the unsent text and answers back."""
    info = new_session(shared)
    page = open_phone(phone, shared.current, info.code)
    chosen = answer_rating(page)
    words = "Yhteinen tilannekuva joka kuukausi"
    wall_text(page).fill(words)
    old = kernel_id(page)

    killed_at = page.evaluate("() => Date.now()")
    kill_kernel(old)
    expect(banner(page)).to_be_visible()
    expect(banner(page)).to_have_text(BANNER_TEXT)
    expect(banner(page)).to_have_attribute("role", "alert")
    shot(page, "resilience-banner-killed")

    wait_reloaded(page, old)
    expect(wall_text(page)).to_have_value(words)
    expect(wall_form(page).get_by_role("status")).to_have_text(TR("draft_restored"))
    for (item, layer), point in chosen.items():
        expect(radio(page, item, layer, point)).to_be_checked()
    with SessionStore(shared.file_url) as store:
        assert len(store.participants(info.id)) == 1, "the phone came back as a new participant"
    shown = [t for t, kind, _ in recorded(page) if kind == "banner" and t >= killed_at]
    assert shown, "the banner was never recorded"
    print(f"banner {shown[0] - killed_at} ms after kill -9")


def test_submit_to_a_killed_kernel_is_never_called_saved(shared, phone):
    """A highlight sent to a killed kernel says "not saved", keeps its text, and is not in the store."""
    info = new_session(shared)
    page = open_phone(phone, shared.current, info.code)
    words = "Tämä ei ehdi tallentua"
    wall_text(page).fill(words)
    old = kernel_id(page)

    killed_at = page.evaluate("() => Date.now()")
    kill_kernel(old)
    wall_form(page).get_by_role("button", name=TR("highlight_post")).click()
    status = wall_form(page).get_by_role("status")
    expect(status).to_contain_text("Ei tallennettu")
    expect(wall_text(page)).to_have_value(words)
    expect(wall_form(page).get_by_role("button", name=TR("highlight_post"))).to_be_enabled()
    shot(page, "resilience-not-saved")

    wait_reloaded(page, old)
    expect(wall_text(page)).to_have_value(words)
    statuses = [text for t, kind, text in recorded(page) if kind == "status" and t >= killed_at]
    assert any(text.startswith("Ei tallennettu") for text in statuses), statuses
    assert not any(SAVED_HIGHLIGHT.search(text) for text in statuses), f"'saved' was shown: {statuses}"
    with SessionStore(shared.file_url) as store:
        texts = [h.text for h in read_wall(store, info.id, WALL)]
    assert words not in texts


def test_draft_survives_a_reload_and_is_dropped_once_saved(shared, phone):
    """Unsent text comes back after a reload; once its save is acknowledged the draft is gone."""
    info = new_session(shared)
    page = open_phone(phone, shared.current, info.code)
    words = "Luonnos, joka kestää"
    wall_text(page).fill(words)
    page.reload(timeout=LOAD_MS)
    wait_joined(page)
    expect(wall_text(page)).to_have_value(words)

    wall_form(page).get_by_role("button", name=TR("highlight_post")).click()
    expect(wall_form(page).get_by_role("status")).to_have_text(SAVED_HIGHLIGHT)
    drafts = page.evaluate("() => Object.keys(localStorage).filter((k) => k.startsWith('vertaiset:draft:'))")
    assert drafts == [], drafts
    with SessionStore(shared.file_url) as store:
        assert [h.text for h in read_wall(store, info.id, WALL)] == [words]
    page.reload(timeout=LOAD_MS)
    wait_joined(page)
    expect(wall_text(page)).to_have_value("")


def test_edit_being_written_survives_a_reload(shared, phone):
    """An edit of one's own highlight, not yet saved, opens again with its text after a reload."""
    info = new_session(shared)
    page = open_phone(phone, shared.current, info.code)
    wall_text(page).fill("Ensimmäinen versio")
    wall_form(page).get_by_role("button", name=TR("highlight_post")).click()
    expect(wall_form(page).get_by_role("status")).to_have_text(SAVED_HIGHLIGHT)
    mine = page.locator(".vt-wall-widget").filter(has_text=TR("my_highlights"))
    mine.get_by_role("button", name=f"{TR('wall_edit')}: Ensimmäinen versio").click()
    mine.get_by_label(TR("wall_edit_label")).fill("Toinen versio, kesken")

    page.reload(timeout=LOAD_MS)
    wait_joined(page)
    mine = page.locator(".vt-wall-widget").filter(has_text=TR("my_highlights"))
    expect(mine.get_by_label(TR("wall_edit_label"))).to_have_value("Toinen versio, kesken")
    mine.get_by_role("button", name=TR("wall_save"), exact=True).click()
    expect(mine.get_by_role("status")).to_have_text(SAVED_AT)
    with SessionStore(shared.file_url) as store:
        assert [h.text for h in read_wall(store, info.id, WALL)] == ["Toinen versio, kesken"]
    drafts = page.evaluate("() => Object.keys(localStorage).filter((k) => k.startsWith('vertaiset:draft:'))")
    assert drafts == [], drafts


# --------------------------------------------------------------------------- 2. a restarted server
def test_restarted_server_brings_back_unsent_text(own, phone):
    """The server stops and starts again on the same port and database: banner, reload, the text back."""
    info = new_session(own)
    page = open_phone(phone, own.current, info.code)
    words = "Kirjoitin tämän kun palvelin kaatui"
    wall_text(page).fill(words)
    old = kernel_id(page)

    stopped_at = page.evaluate("() => Date.now()")
    own.stop()
    expect(banner(page)).to_be_visible()
    expect(banner(page)).to_have_text(BANNER_TEXT)
    shot(page, "resilience-banner-server-down")
    own.start()

    wait_reloaded(page, old)
    expect(wall_text(page)).to_have_value(words)
    with SessionStore(own.file_url) as store:
        assert len(store.participants(info.id)) == 1, "the phone came back as a new participant"
    shown = [t for t, kind, _ in recorded(page) if kind == "banner" and t >= stopped_at]
    assert shown, "the banner was never recorded"
    print(f"banner {shown[0] - stopped_at} ms after the server was told to stop")


# --------------------------------------------------------------------------- 3. a slow store
def test_slow_store_says_not_saved_then_saved_when_the_late_ack_comes(shared, phone):
    """A write held up by a locked database: "not saved" with the text kept, then "saved" when it lands."""
    import sqlite3

    info = new_session(shared)
    page = open_phone(phone, shared.current, info.code)
    words = "Hidas mutta perillä"
    wall_text(page).fill(words)
    lock = sqlite3.connect(str(Path(shared.file_url.removeprefix("sqlite:///"))), timeout=30)
    try:
        lock.isolation_level = None
        lock.execute("BEGIN IMMEDIATE")  # another writer holds the database: the kernel's write waits
        wall_form(page).get_by_role("button", name=TR("highlight_post")).click()
        status = wall_form(page).get_by_role("status")
        expect(status).to_have_text(TR("saving"))
        expect(status).to_have_text(TR("not_saved"))
        expect(wall_text(page)).to_have_value(words)
        expect(wall_form(page).get_by_role("button", name=TR("highlight_post"))).to_be_enabled()
        expect(banner(page)).to_be_hidden()  # a busy kernel is not a lost one
        shot(page, "resilience-not-saved-slow")
    finally:
        lock.execute("ROLLBACK")
        lock.close()
    expect(status).to_have_text(SAVED_HIGHLIGHT)
    expect(wall_text(page)).to_have_value("")
    with SessionStore(shared.file_url) as store:
        assert [h.text for h in read_wall(store, info.id, WALL)] == [words]


def test_widget_code_that_comes_slowly_still_follows_the_room(shared, browser):
    """A screen whose widgets' code takes 3 s to arrive (a slow network, a busy laptop) still shows
    the wall once it is revealed. anywidget drops every message to a model whose code came later
    than 2 s: the page would keep the empty wall it first drew."""
    from vertaiset_widgets.kinds.highlights.wall import post_highlight

    with SessionStore(shared.file_url) as store:
        info, _key = store.create_session("Hidas koodi")
        store.set_activity_state(info.id, WALL, is_open=True)  # the one activity open: the screen shows it
    ctx = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="fi-FI")
    ctx.set_default_timeout(WAIT_MS)
    delayed: list[str] = []

    def slowly(route) -> None:
        delayed.append(route.request.url)
        time.sleep(3)
        route.continue_()

    try:
        ctx.route(re.compile(r"/vertaiset/assets/[0-9a-f]{24}\.js"), slowly)
        page = ctx.new_page()
        page.goto(shared.current.url("04_arviointi.ipynb", session=info.code, role="screen"), timeout=LOAD_MS)
        wall = page.locator(".vt-wall-widget").filter(visible=True)
        expect(wall.get_by_text(TR("wall_empty"))).to_be_visible(timeout=LOAD_MS)
        with SessionStore(shared.file_url) as store:
            author = store.join(info.id, "slow-code-phone-0001")
            post_highlight(store, author, WALL, "Hitaasti tullut koodi", submission_id="slow-1")
            store.set_activity_state(info.id, WALL, is_revealed=True)
        expect(wall.locator(".vt-wall-text")).to_have_text(["Hitaasti tullut koodi"])
        assert delayed, "the widgets' code was not loaded from the server's assets"
        shot(page, "resilience-slow-widget-code")
    finally:
        ctx.close()


def test_a_slow_notebook_shows_every_cell_though_voilas_code_came_first(tmp_path, browser):
    """Voila's own code comes before the first cell, so the browser loads it while the kernel runs
    the notebook. A cell that takes seconds must still be drawn, with every cell after it: Voila
    starts drawing outputs and connecting widgets only once the whole page is there."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Hidas sivu"),
        nbformat.v4.new_code_cell("import time\ntime.sleep(4)"),
        nbformat.v4.new_code_cell("import ipywidgets as W\nb = W.Button(description='Valmis')\n"
                                  "b.on_click(lambda _b: setattr(b, 'description', 'Painettu'))\nb"),
        nbformat.v4.new_markdown_cell("Sivun loppu"),
    ]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, str(tmp_path / "hidas.ipynb"))
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    SessionStore(url).close()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("VERTAISET_HOME", str(tmp_path / "home"))
        server = VoilaServer(url, free_port(), tmp_path / "voila.log", extra=["--root", str(tmp_path)])
    ctx = browser.new_context(viewport={"width": 1280, "height": 800}, locale="fi-FI")
    ctx.set_default_timeout(WAIT_MS)
    seen: dict[str, float] = {}
    try:
        page = ctx.new_page()
        page.on("request", lambda r: seen.setdefault("voila.js", time.monotonic()) if r.url.endswith("/voila.js") else None)
        page.on("requestfinished", lambda r: seen.setdefault("page", time.monotonic()) if "/voila/render/" in r.url else None)
        page.goto(server.url("hidas.ipynb"), timeout=LOAD_MS)
        expect(page.get_by_role("button", name="Valmis")).to_be_visible(timeout=LOAD_MS)
        expect(page.get_by_text("Sivun loppu")).to_be_visible()
        expect(page.get_by_role("heading", name="Hidas sivu")).to_be_visible()
        assert seen["voila.js"] < seen["page"] - 2, f"voila.js was not asked for while the cell slept: {seen}"
        page.get_by_role("button", name="Valmis").click()  # the widget is connected: its kernel answers
        expect(page.get_by_role("button", name="Painettu")).to_be_visible()
        shot(page, "resilience-slow-notebook")
    finally:
        ctx.close()
        server.stop()


# --------------------------------------------------------------------------- 4. a database that cannot be written
@pytest.fixture
def read_only(tmp_path) -> Iterator[Servers]:
    """A server whose kernels open the store read-only (as a full disk or a wrong owner would leave it)."""
    path = tmp_path / "store.sqlite"
    servers = Servers(tmp_path, db_url=f"sqlite:///file:{path}?mode=ro&uri=true")
    yield servers
    servers.stop()


def test_read_only_database_says_so_without_traceback(read_only, phone):
    """A phone joining a store it cannot write to gets a clear message; no traceback or SQL reaches the browser."""
    info = new_session(read_only)
    server = read_only.start()
    frames: list[str] = []
    page = phone.new_page()
    page.on("websocket", lambda ws: ws.on("framereceived", lambda data: frames.append(str(data))))
    page.goto(server.url("osallistu.ipynb", session=info.code), timeout=LOAD_MS)

    message = page.get_by_role("alert").filter(has_text=TR("store_unavailable"))
    expect(message).to_be_visible(timeout=LOAD_MS)
    expect(page.get_by_text(TR("loading"), exact=True)).to_have_count(0)
    shot(page, "resilience-read-only")
    html = page.content()
    for word in ("Traceback", "INSERT INTO", "[SQL", "sqlite3", "OperationalError", str(read_only.tmp)):
        assert word not in html, f"{word!r} is on the page"
        assert not any(word in frame for frame in frames), f"{word!r} reached the browser over the websocket"
    log = read_only.log()
    assert re.search(r"joining failed: the store is not available", log), log[-3000:]
    assert "readonly database" in log

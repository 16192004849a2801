"""Past one machine: two `vertaiset serve` processes behind Debian's nginx (the configuration
of deploy/nginx, over TLS) on one throwaway PostgreSQL. Phones spread over both servers; a
facilitator on one server sees every answer given through the other, and a reveal made there
reaches every phone. Also: whose ``X-Forwarded-For`` a server believes."""
from __future__ import annotations

import json
import os
import shutil
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import BROWSER_MARKS, CHROMIUM, CHROMIUM_ARGS, LOAD_MS, VOILA_GROUP, VoilaServer, _worker_database, free_port
from nginx_proxy import Nginx, find_nginx

from vertaiset_widgets.attempts import forwarded_client, trusted_proxies

ACT = "unelmaverkosto"  # the highlights wall of 04_arviointi
PHONES = 4
WAIT_MS = 90_000


# ---------------------------------------------------------------- whose address a server believes
def test_forwarded_for_is_believed_only_from_a_trusted_proxy():
    trusted = trusted_proxies("127.0.0.1, ::1 10.0.0.0/8")
    # nginx's header, from nginx
    assert forwarded_client("127.0.0.1", "203.0.113.9", trusted) == "203.0.113.9"
    assert forwarded_client("::ffff:127.0.0.1", "203.0.113.9", trusted) == "203.0.113.9"
    # a phone that reaches the server directly cannot choose its address
    assert forwarded_client("198.51.100.7", "203.0.113.9", trusted) == "198.51.100.7"
    # what the client put in front of the proxy's own entry is not believed
    assert forwarded_client("10.1.2.3", "1.1.1.1, 203.0.113.9, 10.0.0.5", trusted) == "203.0.113.9"
    # no header, or no trusted proxy at all: the peer
    assert forwarded_client("127.0.0.1", None, trusted) == "127.0.0.1"
    assert forwarded_client("127.0.0.1", "203.0.113.9", trusted_proxies("")) == "127.0.0.1"
    assert forwarded_client("", None, ()) == "?"


def test_a_bad_trusted_proxy_is_named():
    with pytest.raises(ValueError, match="'proxy.example.org' is not an IP address"):
        trusted_proxies("127.0.0.1 proxy.example.org")


# ---------------------------------------------------------------- the loopback deployment
def _limits(server: VoilaServer) -> dict:
    with urllib.request.urlopen(f"{server.base_url}/vertaiset/api/limits", timeout=10) as response:
        return json.loads(response.read())


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    """A fresh PostgreSQL database, two servers on it that trust loopback's forwarded address,
    and nginx in front of them."""
    nginx = find_nginx()
    if nginx is None:
        pytest.skip("the proxy test needs nginx (Debian: apt-get install nginx; or set VERTAISET_NGINX)")
    if shutil.which("openssl") is None:
        pytest.skip("the proxy test needs openssl for its self-signed certificate (Debian: apt-get install openssl)")
    base = os.environ.get("VERTAISET_TEST_PG_URL")
    if not base:
        pytest.skip("the proxy test needs PostgreSQL: VERTAISET_TEST_PG_URL (tools/with-postgres.sh starts one)")
    from vertaiset_widgets.store import SessionStore

    url = _worker_database(base, "proxy")
    SessionStore(url).close()  # migrate once, before either server
    tmp = tmp_path_factory.mktemp("proxy")
    servers: list[VoilaServer] = []
    proxy = None
    try:
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("VERTAISET_TRUSTED_PROXIES", "127.0.0.1 ::1")
            mp.delenv("QUERY_STRING", raising=False)
            mp.setenv("VERTAISET_HOME", str(tmp / "home"))
            with ThreadPoolExecutor(2) as pool:  # both start at once, as systemd starts them
                started = [pool.submit(VoilaServer, url, free_port(), tmp / f"server-{name}.log") for name in "ab"]
                for future in started:
                    try:
                        servers.append(future.result())
                    except Exception:
                        for other in started:
                            if other is not future and other.exception() is None:
                                other.result().stop()
                        raise
        proxy = Nginx(nginx, tmp / "nginx", [f"127.0.0.1:{s.port}" for s in servers])
        yield url, servers, proxy
    finally:
        if proxy is not None:
            proxy.stop()
        for server in servers:
            server.stop()


def _or_explain(wait, what: str, page, servers, shots: Path) -> None:
    """Run ``wait()``; when it times out, fail with what the page shows and what the servers logged."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        wait()
    except PlaywrightTimeout:
        page.screenshot(path=str(shots / "proxy-facilitator-timeout.png"), full_page=True)
        counts = page.locator("[data-vt-highlights]").evaluate_all("els => els.map(e => e.outerHTML)")
        logs = "\n".join(f"--- server {name} ---\n{server.log()[-4000:]}" for name, server in zip("ab", servers))
        pytest.fail(f"waited in vain for {what}; the page's counts: {counts}; "
                    f"its text: {page.locator('body').inner_text()[:1500]!r}\n{logs}")


@pytest.mark.slow
@pytest.mark.xdist_group(VOILA_GROUP)
@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=BROWSER_MARKS[1].kwargs["reason"])
@pytest.mark.browser
def test_phones_on_two_servers_one_room(deployment):
    """Phones come through nginx over https and land on both servers, each page with its
    websocket on its own server; the facilitator on server A sees the answers of the phones on
    B, and the reveal made on A reaches every phone."""
    pytest.importorskip("playwright.sync_api", reason="browser tests need the playwright package")
    from playwright.sync_api import expect, sync_playwright

    from vertaiset_widgets.store import SessionStore

    url, (a, b), proxy = deployment
    store = SessionStore(url)
    session, key = store.create_session("Kaksi palvelinta")
    store.set_activity_state(session.id, ACT, is_open=True)
    addresses = {f"127.0.0.1:{a.port}": "a", f"127.0.0.1:{b.port}": "b"}
    shots = Path(os.environ.get("VERTAISET_SHOTS") or proxy.folder)

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            expect.set_options(timeout=WAIT_MS)
            # the facilitator straight on server A; the phones through nginx, each a browser of its own
            laptop = browser.new_context(viewport={"width": 1366, "height": 1400}, locale="fi-FI")
            facilitator = laptop.new_page()
            facilitator.set_default_timeout(WAIT_MS)
            facilitator.goto(a.url("04_arviointi.ipynb", session=session.code, key=key), wait_until="commit", timeout=WAIT_MS)
            publish = facilitator.locator(".vt-now-bar").get_by_role("button", name="Julkaise tulokset", exact=True)
            # the console is up before the room scans the code, as in a workshop
            _or_explain(lambda: publish.wait_for(timeout=LOAD_MS), "the facilitator's console on A", facilitator, (a, b), shots)
            phones = []
            for _ in range(PHONES):
                ctx = browser.new_context(viewport={"width": 390, "height": 1600}, locale="fi-FI", ignore_https_errors=True)
                page = ctx.new_page()
                page.set_default_timeout(WAIT_MS)
                page.goto(proxy.url("osallistu.ipynb", session=session.code), wait_until="commit", timeout=WAIT_MS)
                phones.append((ctx, page))
            for _ctx, page in phones:
                expect(page.get_by_role("button", name="Lähetä nosto")).to_be_visible()

            # each phone is pinned to the server that served its page, and both servers have phones
            on = []
            for ctx, _page in phones:
                cookie = {c["name"]: c for c in ctx.cookies()}["vertaiset_server"]
                assert cookie["secure"] and cookie["httpOnly"]
                on.append(addresses[cookie["value"]])
            assert sorted(set(on)) == ["a", "b"], on
            assert _limits(a)["kernels"] >= on.count("a") + 1 and _limits(b)["kernels"] >= on.count("b")

            texts = []
            for i, (_ctx, page) in enumerate(phones):
                text = f"Nosto {i} palvelimelta {on[i]}"
                page.get_by_label("Nosto", exact=True).fill(text)
                page.get_by_role("button", name="Lähetä nosto").click()
                texts.append(text)
            for _ctx, page in phones:
                expect(page.get_by_text("Voit kirjoittaa seuraavan noston")).to_be_visible()

            # server A's facilitator sees every highlight, those posted through server B too
            counted = facilitator.locator(f"[data-vt-highlights='{PHONES}']")
            _or_explain(lambda: counted.wait_for(timeout=WAIT_MS), f"{PHONES} highlights on A's console", facilitator, (a, b), shots)
            wall = facilitator.locator(".vt-wall[data-mode='facilitator']")
            for text in texts:
                expect(wall.locator(".vt-wall-text", has_text=text)).to_have_count(1)

            # the reveal on server A reaches the phones on both servers
            publish.click()
            for _ctx, page in phones:
                shown = page.locator(".vt-wall[data-mode='participant']")
                expect(shown).to_be_visible()
                for text in texts:
                    expect(shown.locator(".vt-wall-text", has_text=text)).to_have_count(1)
            phones[on.index("b")][1].screenshot(path=str(shots / "proxy-phone-b.png"), full_page=True)
            facilitator.screenshot(path=str(shots / "proxy-facilitator-a.png"), full_page=True)
        finally:
            browser.close()
    assert store.activity_state(session.id, ACT).is_revealed
    # every phone's websocket went through nginx (wss, logged once closed): upgraded, on its own server
    channels = [ln for ln in proxy.access_log().splitlines() if "/api/kernels/" in ln and '" 101 ' in ln]
    assert len(channels) >= PHONES, proxy.access_log()[-3000:]
    store.close()
    # nothing went wrong on the way: no blocked websocket origin, no server error
    for server in (a, b):
        assert "Blocking Cross Origin" not in server.log()
        assert "Traceback" not in server.log(), server.log()[-3000:]

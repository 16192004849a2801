"""Preheated kernel pools: `vertaiset serve --room 4` keeps pages ready, and each waits for its request.

One real server on loopback serves the module, with pools for a room of 4 phones and one
kernel per console workbook. Its store starts empty (no demo), so a pool kernel that went
on without its request would show in the store: a console page opened without a session
seeds the demo day.
"""
from __future__ import annotations

import re
import sqlite3
import time
from typing import Iterator

import pytest
from conftest import VOILA_GROUP, VoilaServer
from test_serve_limits import limits, request, shut_down, start_server

from vertaiset_widgets.config import DEMO_CODE
from vertaiset_widgets.content import load_content
from vertaiset_widgets.preheat import (
    console_pool_size,
    pool_kernels_at_most,
    request_query,
    room_margin,
)
from vertaiset_widgets.store import SessionStore

pytestmark = pytest.mark.xdist_group(VOILA_GROUP)

STRINGS = load_content().strings
ROOM, CAP = 4, 3
_KERNEL_ID = re.compile(r'"kernelId":\s*"([0-9a-f-]{36})"')


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[VoilaServer]:
    """`vertaiset serve --room 4 --preheat 1` on an empty store, its pools filled."""
    srv = start_server(tmp_path_factory, "pools", ["--room", str(ROOM), "--preheat", "1", "--max-kernels", str(CAP)])
    deadline = time.time() + 150
    while time.time() < deadline:
        pools = limits(srv)["pools"]
        if pools["osallistu.ipynb"]["ready"] >= ROOM + room_margin(ROOM) and pools["01_tilannekuva.ipynb"]["ready"] >= 1:
            break
        time.sleep(0.5)
    else:
        srv.stop()
        pytest.fail(f"the pools did not fill: {limits(srv)['pools']}\n{srv.log()[-3000:]}")
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def sessions(server) -> dict[str, tuple[str, str]]:
    """Two sessions, created after the pools filled: title -> (code, key)."""
    store = SessionStore(server.db_url)
    made = {}
    for title in ("Aamu Alfa", "Ilta Beeta"):
        info, key = store.create_session(title, network="N")
        made[title] = (info.code, key)
    store.close()
    return made


def _session_titles(server: VoilaServer) -> list[str]:
    with sqlite3.connect(server.db_url.removeprefix("sqlite:///")) as conn:
        return sorted(row[0] for row in conn.execute("select title from sessions"))


def _taken_from_pool(server: VoilaServer, notebook: str) -> int:
    return len(re.findall(rf"Using pre-heated kernel: \S+ for {re.escape(notebook)}", server.log()))


# --------------------------------------------------------------------------- sizes
def test_room_sizes():
    """A room keeps its phones' kernels, a tenth more (at least 2), and two per console (one under 10)."""
    assert [room_margin(n) for n in (0, 4, 20, 60, 200)] == [0, 2, 2, 6, 20]
    assert [console_pool_size(n) for n in (0, 4, 60)] == [0, 1, 2]
    assert pool_kernels_at_most(60, 6) == 60 + 6 + 2 * 6
    assert pool_kernels_at_most(4, 6, preheat=1) == 4 + 2 + 6
    assert pool_kernels_at_most(0, 6, preheat=3) == 3 + 3 * 6


def test_outside_a_pool_nothing_waits(monkeypatch):
    """Papermill and plain Python (no Voila), and a kernel started for its request, never wait."""
    for name in ("VOILA_PREHEAT", "VOILA_KERNEL_ID", "QUERY_STRING"):
        monkeypatch.delenv(name, raising=False)
    assert request_query() is None
    monkeypatch.setenv("VOILA_PREHEAT", "False")
    monkeypatch.setenv("VOILA_KERNEL_ID", "k")
    monkeypatch.setenv("QUERY_STRING", "session=ABC")
    assert request_query() == "session=ABC"
    monkeypatch.setenv("VOILA_PREHEAT", "True")  # a pool kernel whose request came
    assert request_query() == "session=ABC"


# --------------------------------------------------------------------------- the server
def test_the_pools_wait_and_touch_no_session(server):
    """After start the pools hold ready kernels -- the room's and its margin, so that no kernel starts
    during the room's burst -- and none of them opened or seeded a session."""
    pools = limits(server)["pools"]
    assert pools["osallistu.ipynb"]["ready"] == pools["osallistu.ipynb"]["target"] == ROOM + room_margin(ROOM)
    assert pools["01_tilannekuva.ipynb"]["ready"] >= 1
    assert _session_titles(server) in ([], ["Aamu Alfa", "Ilta Beeta"])
    store = SessionStore(server.db_url)
    assert store.find_session(DEMO_CODE) is None
    store.close()
    assert "Traceback" not in server.log()


def test_the_server_wrote_the_packages_bytecode_before_its_kernels_started(server):
    """Every module of the package has an up-to-date ``.pyc``, so no page's kernel compiles it from
    source (``PYTHONDONTWRITEBYTECODE``, set in CI, keeps kernels from writing them)."""
    import importlib.util
    from pathlib import Path

    import vertaiset_widgets

    stale = []
    for source in sorted(Path(vertaiset_widgets.__file__).parent.rglob("*.py")):
        cached = Path(importlib.util.cache_from_source(str(source)))
        st = source.stat()
        header = cached.read_bytes()[:16] if cached.exists() else b""
        if header[8:16] != (int(st.st_mtime) & 0xFFFFFFFF).to_bytes(4, "little") + (st.st_size & 0xFFFFFFFF).to_bytes(4, "little"):
            stale.append(str(source.relative_to(source.parents[1])))
    assert stale == []


@pytest.mark.browser
def test_a_console_from_the_pool_opens_its_own_session(server, sessions, browser):
    """A facilitator's console takes a pool kernel and shows its session with the controls (the key);
    the next console, of another session without a key, shows that one, keyless. Neither seeds the demo."""
    code_a, key_a = sessions["Aamu Alfa"]
    code_b, _ = sessions["Ilta Beeta"]
    before = _taken_from_pool(server, "01_tilannekuva.ipynb")
    seen, kernels = [], []
    for code, key, title in ((code_a, key_a, "Aamu Alfa"), (code_b, "", "Ilta Beeta")):
        ctx = browser.new_context(viewport={"width": 1280, "height": 2000})
        page = ctx.new_page()
        page.goto(server.url("01_tilannekuva.ipynb", session=code, key=key, role="facilitator"), timeout=120_000)
        page.locator(".vt-session-title").first.wait_for(timeout=90_000)
        page.wait_for_timeout(500)
        kernels.append(page.evaluate(
            "() => JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"))
        seen.append((page.locator(".vt-session-title").first.inner_text(),
                     page.get_by_text(STRINGS["no_key"]["fi"]).count() > 0,
                     page.get_by_role("button", name=STRINGS["session_close"]["fi"], exact=True).count() > 0))
        ctx.close()
    assert seen == [("Aamu Alfa", False, True), ("Ilta Beeta", True, False)]
    assert _taken_from_pool(server, "01_tilannekuva.ipynb") >= before + 1
    assert _session_titles(server) == ["Aamu Alfa", "Ilta Beeta"]
    for kernel_id in kernels:
        shut_down(server, kernel_id)


@pytest.mark.browser
def test_two_phones_get_their_own_session_and_language(server, sessions, browser):
    """Two phones served from the pool: each shows its own session, in its own language."""
    before = _taken_from_pool(server, "osallistu.ipynb")
    seen = {}
    kernels = []
    for title, lang, other in (("Aamu Alfa", "sv", "Ilta Beeta"), ("Ilta Beeta", "en", "Aamu Alfa")):
        ctx = browser.new_context(viewport={"width": 390, "height": 1600})
        page = ctx.new_page()
        page.goto(server.url("osallistu.ipynb", session=sessions[title][0], lang=lang), timeout=120_000)
        page.get_by_role("button", name=STRINGS["profile_save"][lang], exact=True).wait_for(timeout=90_000)
        page.get_by_text(title).first.wait_for(timeout=30_000)
        kernels.append(page.evaluate(
            "() => JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"))
        seen[title] = (page.evaluate("document.documentElement.lang"), page.get_by_text(other).count())
        ctx.close()
    assert seen == {"Aamu Alfa": ("sv", 0), "Ilta Beeta": ("en", 0)}
    assert _taken_from_pool(server, "osallistu.ipynb") == before + 2
    assert _session_titles(server) == ["Aamu Alfa", "Ilta Beeta"]
    for kernel_id in kernels:
        shut_down(server, kernel_id)


def test_over_the_cap_a_phone_gets_the_room_full_page(server):
    """Pool kernels do not count as pages; past the cap of pages a phone gets our 503 page, not a 500."""
    opened = []
    try:
        while limits(server)["in_use"] < CAP:
            status, _, body = request(server, "/voila/render/osallistu.ipynb")
            assert status == 200
            opened += _KERNEL_ID.findall(body)[:1]
        status, headers, body = request(server, "/voila/render/osallistu.ipynb?lang=en")
        assert status == 503 and int(headers["Retry-After"]) > 0
        assert STRINGS["room_full_title"]["en"] in body
        assert limits(server)["kernels"] > CAP  # the pools' ready kernels beside the pages
    finally:
        for kernel_id in opened:
            shut_down(server, kernel_id)


def test_a_pool_kernel_that_dies_is_replaced_not_handed_out(server):
    """A ready pool kernel that dies (as one does when another process takes the port it was given)
    leaves the pool, and a new one takes its place: no phone gets a dead page. Last in the module, as
    it waits until the pools are whole again."""
    import os
    import signal

    import psutil

    wanted = {nb: p["target"] for nb, p in limits(server)["pools"].items()}
    waiting = [p for p in psutil.Process(server.proc.pid).children(recursive=True)
               if any("ipykernel_launcher" in a for a in p.cmdline())]
    victim = waiting[0]
    kernel_id = re.search(r"kernel-([0-9a-f-]{36})\.json", " ".join(victim.cmdline())).group(1)
    os.kill(victim.pid, signal.SIGKILL)
    deadline = time.time() + 120
    while time.time() < deadline:
        pools = limits(server)["pools"]
        if f"pool kernel {kernel_id}" in server.log() and all(pools[nb]["ready"] == wanted[nb] for nb in wanted):
            break
        time.sleep(0.5)
    else:
        pytest.fail(f"the pool did not heal: {limits(server)['pools']}\n{server.log()[-3000:]}")
    assert re.search(rf"pool kernel {kernel_id} of \S+ (is gone|stopped waiting|failed)", server.log())

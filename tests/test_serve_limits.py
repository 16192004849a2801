"""Abuse has limits: kernel caps, the room-full page, error pages, CSP, slower guessing.

One real `vertaiset serve` on loopback serves the module, with small caps (3 kernels in
total, 2 per address) so that a few page loads reach them. A second client address is
a second loopback source address (127.0.0.2, 127.0.0.3), which Linux routes to the
server on 127.0.0.1. The guessing and token tests drive the participant page through
ipywidgets' comm path, with two pages sharing one store as two kernels would.
"""
from __future__ import annotations

import http.client
import json
import os
import re
import time
import uuid
from datetime import datetime, timedelta, timezone
from typing import Iterator

import pytest
import zmq
from conftest import CHROMIUM, CHROMIUM_ARGS, VoilaServer, browser_sends, free_port

from vertaiset_widgets.attempts import CLIENT_ENV, FREE_FAILURES, AttemptGuard, wait_seconds
from vertaiset_widgets.config import PageParams
from vertaiset_widgets.content import load_content
from vertaiset_widgets.errors import VertaisetTooManyAttemptsError
from vertaiset_widgets.limits import raise_open_files_limit, raise_zmq_sockets, zmq_sockets_for
from vertaiset_widgets.participant import ParticipantPage
from vertaiset_widgets.store import SessionStore

STRINGS = load_content().strings
PER_ADDRESS, TOTAL = 2, 3
_KERNEL_ID = re.compile(r'"kernelId":\s*"([0-9a-f-]{36})"')


# --------------------------------------------------------------------------- the server
def start_server(tmp_path_factory, name: str, options: list[str]) -> VoilaServer:
    """`vertaiset serve OPTIONS` on an empty store of its own (test_pools.py's server too)."""
    tmp = tmp_path_factory.mktemp(name)
    url = f"sqlite:///{tmp / 'store.sqlite'}"
    SessionStore(url).close()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("VERTAISET_HOME", str(tmp / "home"))
        return VoilaServer(url, free_port(), tmp / "voila.log", extra=options)


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[VoilaServer]:
    """One `vertaiset serve` with small caps for the module."""
    srv = start_server(tmp_path_factory, "limits", ["--max-kernels", str(TOTAL), "--max-kernels-per-address", str(PER_ADDRESS)])
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def code(server) -> str:
    """A session in the server's store."""
    store = SessionStore(server.db_url)
    info, _ = store.create_session("Rajat", network="N")
    store.close()
    return info.code


def request(server: VoilaServer, path: str, *, source: str = "127.0.0.1", method: str = "GET",
            headers: dict[str, str] | None = None) -> tuple[int, http.client.HTTPMessage, str]:
    """One HTTP request to the server from the loopback address ``source``."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, source_address=(source, 0), timeout=180)
    try:
        conn.request(method, path, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, resp.headers, resp.read().decode("utf-8", "replace")
    finally:
        conn.close()


def limits(server: VoilaServer, source: str = "127.0.0.1") -> dict:
    """The server's kernel counts (``/vertaiset/api/limits``)."""
    status, _, body = request(server, "/vertaiset/api/limits", source=source)
    assert status == 200, body
    return json.loads(body)


def shut_down(server: VoilaServer, kernel_id: str) -> None:
    """Stop a page's kernel as Voila's page does when it is closed, and wait until it is gone: the
    server counts one page fewer (a pool refills as it goes, so its count of kernels may not fall)."""
    before = limits(server)
    xsrf = uuid.uuid4().hex
    status, _, body = request(server, f"/voila/api/shutdown/{kernel_id}", method="POST",
                              headers={"Cookie": f"_xsrf={xsrf}", "X-XSRFToken": xsrf})
    if status == 404 and "does not exist" in body:
        return  # already stopped
    assert status == 204, (status, body)
    deadline = time.time() + 30
    while time.time() < deadline:
        now = limits(server)
        if now["in_use"] < before["in_use"] or now["kernels"] < before["kernels"]:
            return
        time.sleep(0.2)
    pytest.fail(f"kernel {kernel_id} was still counted 30 s after its shutdown: {before} -> {limits(server)}")


@pytest.fixture
def pages(server, code) -> Iterator:
    """Open participant pages over HTTP; their kernels are shut down after the test."""
    opened: list[str] = []

    def open_page(source: str = "127.0.0.1", session: str = code) -> tuple[int, http.client.HTTPMessage, str]:
        status, headers, body = request(server, f"/voila/render/osallistu.ipynb?session={session}", source=source)
        opened.extend(_KERNEL_ID.findall(body)[:1])
        return status, headers, body

    yield open_page
    for kernel_id in opened:
        shut_down(server, kernel_id)


# --------------------------------------------------------------------------- caps
def test_over_the_per_address_cap_a_page_is_the_room_full_page(server, pages):
    """Past the per-address cap a page load gets our 503 page (fi, sv, en) and starts no kernel."""
    for _ in range(PER_ADDRESS):
        assert pages()[0] == 200
    kernels = limits(server)["kernels"]
    status, headers, body = pages()
    assert status == 503
    assert int(headers["Retry-After"]) > 0
    for lang in ("fi", "sv", "en"):
        assert STRINGS["room_full_title"][lang] in body
    assert body.index(STRINGS["room_full_title"]["fi"]) < body.index(STRINGS["room_full_title"]["en"])
    assert limits(server)["kernels"] == kernels
    assert "room is full" in server.log()


def test_over_the_total_cap_another_address_gets_the_room_full_page(server, pages):
    """Past the total cap even an address with no page gets 503 and no kernel."""
    assert pages("127.0.0.1")[0] == 200
    assert pages("127.0.0.1")[0] == 200
    assert pages("127.0.0.2")[0] == 200
    status, _, body = pages("127.0.0.3")
    assert status == 503 and STRINGS["room_full_title"]["fi"] in body
    counts = limits(server, "127.0.0.3")
    assert (counts["kernels"], counts["in_use_by_you"]) == (TOTAL, 0)


def test_a_shut_down_kernel_frees_its_slot(server, pages):
    """When a page's kernel stops, the same address may open a page again."""
    first = pages()
    assert first[0] == 200 and pages()[0] == 200
    assert pages()[0] == 503
    shut_down(server, _KERNEL_ID.findall(first[2])[0])
    assert pages()[0] == 200


@pytest.mark.browser
def test_under_the_cap_a_page_works(server, code, chromium):
    """Below the caps a phone's page loads and joins (its profile form is there)."""
    ctx = chromium.new_context()
    page = ctx.new_page()
    page.goto(server.url("osallistu.ipynb", session=code), timeout=180_000)
    kernel_id = page.evaluate("() => JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId")
    page.get_by_role("button", name=STRINGS["profile_save"]["fi"], exact=True).wait_for(timeout=120_000)
    ctx.close()
    shut_down(server, kernel_id)


# --------------------------------------------------------------------------- headers and errors
def test_page_csp_names_no_outside_origin(server, pages):
    """A page's Content-Security-Policy allows only this server (and data:, blob:, inline)."""
    status, headers, _ = pages()
    assert status == 200
    policy = headers["Content-Security-Policy"]
    directives = dict((d.split()[0], d.split()[1:]) for d in policy.split(";") if d.strip())
    assert directives["default-src"] == ["'self'"]
    here = {f"ws://127.0.0.1:{server.port}", f"wss://127.0.0.1:{server.port}"}
    allowed = {"'self'", "'none'", "'unsafe-inline'", "data:", "blob:"} | here
    assert {s for sources in directives.values() for s in sources} <= allowed


@pytest.mark.browser
def test_pages_show_no_csp_violation(server, code, chromium):
    """Under the CSP the page loads with no violation; an outside image is the one blocked."""
    ctx = chromium.new_context()
    page = ctx.new_page()
    seen: list[str] = []
    page.on("console", lambda m: seen.append(m.text) if m.text.startswith("CSP:") else None)
    page.add_init_script("document.addEventListener('securitypolicyviolation',"
                         " e => console.error('CSP: ' + e.violatedDirective + ' ' + e.blockedURI))")
    page.goto(server.url("osallistu.ipynb", session=code), timeout=180_000)
    kernel_id = page.evaluate("() => JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId")
    page.get_by_role("button", name=STRINGS["profile_save"]["fi"], exact=True).wait_for(timeout=120_000)
    page.evaluate("() => { const i = new Image(); i.src = 'http://192.0.2.1/x.png'; document.body.append(i); }")
    page.wait_for_timeout(1000)
    ctx.close()
    shut_down(server, kernel_id)
    assert seen == ["CSP: img-src http://192.0.2.1/x.png"]


def test_voila_templates_folder_is_not_a_500(server):
    """`/voila/templates/` (and a path there without a file) answers 404 with our page."""
    for path in ("/voila/templates/", "/voila/templates/vertaiset"):
        status, _, body = request(server, path)
        assert status == 404, path
        assert STRINGS["not_found_title"]["fi"] in body


def test_the_widgets_code_comes_once_from_the_server(server, pages):
    """Under `vertaiset serve` a page's forms carry a loader; their module and stylesheet are
    files named by their content's hash, served with a year's caching; any other name is a 404."""
    import hashlib

    from vertaiset_widgets.forms import FORMS_CSS, _forms_esm

    status, _, _ = pages()  # its kernel keeps the forms' code as files
    assert status == 200
    for text, suffix in ((_forms_esm(), "js"), (FORMS_CSS.read_text(encoding="utf-8"), "css")):
        name = f"{hashlib.sha256(text.encode('utf-8')).hexdigest()[:24]}.{suffix}"
        status, headers, body = request(server, f"/vertaiset/assets/{name}")
        assert status == 200 and body == text, name
        assert "max-age=31536000" in headers["Cache-Control"]
    for bad in ("../assets.py", "x.js", "0" * 24 + ".py"):
        assert request(server, f"/vertaiset/assets/{bad}")[0] == 404, bad


def test_a_missing_notebook_is_our_404_not_a_500(server):
    """A page for a notebook that does not exist answers our 404 page and starts no kernel."""
    kernels = limits(server)["kernels"]
    status, _, body = request(server, "/voila/render/ei_ole.ipynb?session=X")
    assert status == 404 and STRINGS["not_found_title"]["fi"] in body
    assert limits(server)["kernels"] == kernels


def test_a_raised_zmq_context_opens_more_sockets_than_the_default():
    """A ZeroMQ context raised for the cap opens more sockets than libzmq's default 1,023."""
    if raise_open_files_limit() < 4096:
        pytest.skip("needs an open-files limit of at least 4096")
    ctx = zmq.Context()
    assert raise_zmq_sockets(ctx, zmq_sockets_for(TOTAL + 100))
    sockets = []
    try:
        for _ in range(1100):
            sockets.append(ctx.socket(zmq.PAIR))
    finally:
        for sock in sockets:
            sock.close(linger=0)
        ctx.term()
    assert len(sockets) == 1100


def test_error_page_loads_nothing_from_anywhere(server):
    """Our error page is self-contained: no script, stylesheet, image or font to fetch."""
    status, _, body = request(server, "/no/such/page?lang=en")
    assert status == 404
    assert body.index(STRINGS["not_found_title"]["en"]) < body.index(STRINGS["not_found_title"]["fi"])
    assert not re.search(r"<(script|link|img|iframe)\b|src=|url\(", body, re.I)


# --------------------------------------------------------------------------- guessing
def test_a_served_page_counts_a_wrong_code_for_its_client_address(server, pages):
    """A page opened with a wrong code records one failure under its client's address in the shared store."""
    assert pages("127.0.0.2", session="NOSUCH")[0] == 200
    store = SessionStore(server.db_url)
    since = datetime.now(timezone.utc) - timedelta(minutes=5)
    counts = {a: len(store.attempt_times("join", AttemptGuard(store, "join", a).subject, since))
              for a in ("127.0.0.2", "127.0.0.1", "*")}
    store.close()
    assert counts == {"127.0.0.2": 1, "127.0.0.1": 0, "*": 0}


@pytest.fixture
def room(store, monkeypatch):
    """A session in a fresh store; this process plays a kernel that `vertaiset serve` started for one client."""
    monkeypatch.setenv(CLIENT_ENV, "192.0.2.10")
    return store.create_session("Arvaus", network="N")


def _code_page(store, content) -> ParticipantPage:
    """A participant page opened without a code (it asks for one)."""
    return ParticipantPage(PageParams(session="", lang="fi"), content=content, store=store)


def test_join_code_guessing_is_refused_after_a_few_failures(store, content, room):
    """After the free failures on one page, another page is told to wait, even with the right code."""
    session, _ = room
    guesser = _code_page(store, content)
    for n in range(FREE_FAILURES):
        browser_sends(guesser.code_form, {"type": "submit", "value": {"code": f"WRONG{n}"}})
        assert guesser.code_form.status == STRINGS["unknown_session"]["fi"].format(code=f"WRONG{n}")
    other = _code_page(store, content)
    browser_sends(other.code_form, {"type": "submit", "value": {"code": session.code}})
    assert re.fullmatch(STRINGS["too_many_attempts"]["fi"].replace("{seconds}", r"\d+"), other.code_form.status)
    assert other.session is None


def test_guessing_waits_grow_with_each_failure():
    """Each failure past the free ones doubles the wait, and failures expire after the window."""
    now = datetime(2026, 5, 1, 12, 0, tzinfo=timezone.utc)
    fails = [now - timedelta(seconds=1)] * FREE_FAILURES
    waits = [wait_seconds(fails + [now] * extra, now) for extra in range(4)]
    assert waits == [1, 4, 8, 16]
    assert wait_seconds(fails, now + timedelta(minutes=11)) == 0


def test_facilitator_key_guessing_is_refused_after_a_few_failures(store, room):
    """After a few wrong keys the store refuses to check even the right key for a while."""
    session, key = room
    for _ in range(FREE_FAILURES):
        assert not store.check_key(session.code, key + "x")
    with pytest.raises(VertaisetTooManyAttemptsError):
        store.check_key(session.code, key)


def test_outside_voila_keys_are_never_refused(store, monkeypatch):
    """Papermill and the CLI (no Voila, no client address) check every key, however many were wrong."""
    monkeypatch.delenv(CLIENT_ENV, raising=False)
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    session, key = store.create_session("Raportti", network="N")
    for _ in range(FREE_FAILURES + 3):
        assert not store.check_key(session.code, key + "x")
    assert store.check_key(session.code, key)


def test_a_second_token_on_one_page_makes_no_participant(store, content, room):
    """A page that sends another browser token after joining stays the one participant."""
    session, _ = room
    page = ParticipantPage(PageParams(session=session.code, lang="fi"), content=content, store=store)
    for token in ("browser-token-first", "browser-token-second", "browser-token-third"):
        page.token_widget._handle_msg(  # a browser's model.save_changes()
            {"content": {"data": {"method": "update", "state": {"token": token}, "buffer_paths": []}}, "buffers": []})
    assert len(store.participants(session.id)) == 1
    assert page.participant.id == store.participants(session.id)[0].id


# --------------------------------------------------------------------------- the browser
@pytest.fixture(scope="module")
def chromium():
    """Debian's headless Chromium (skipped where it is not installed)."""
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"browser tests need Chromium at {CHROMIUM} (set VERTAISET_CHROMIUM to another binary)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need the playwright package")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# --------------------------------------------------------------------------- the calendar feed
def test_the_calendar_feed_is_keyless_read_only_and_keeps_its_uids(server, code):
    """A calendar program follows /vertaiset/calendar/CODE/TOKEN.ics: no key, the file export's
    UIDs, the same UIDs on the next fetch; a wrong token or another session's is a 404."""
    from icalendar import Calendar

    from vertaiset_widgets.calendar import feed_path, session_calendar
    from vertaiset_widgets.kinds.year_clock.demo import seed_year

    store = SessionStore(server.db_url)
    content = load_content()
    session = store.get_session(code)
    seed_year(store, [store.join(session.id, "phone-feed-1"), store.join(session.id, "phone-feed-2")],
              content.activity("vuosikello"), prefix="feed")
    other, other_key = store.create_session("Toinen", network="N")
    path = feed_path(store, code)
    assert other_key not in path and "key" not in path

    def uids(text: str) -> list[str]:
        return sorted(str(e["uid"]) for e in Calendar.from_ical(text).walk("VEVENT"))

    status, headers, body = request(server, path)
    assert status == 200, body
    assert headers["Content-Type"].startswith("text/calendar")
    assert len(uids(body)) == 11
    assert "Verkostofoorumi (Puimala)" in body
    assert uids(body) == uids(session_calendar(store, code))  # the CLI's file: the same events
    status, _, again = request(server, path)
    assert status == 200 and uids(again) == uids(body)
    status, _, swedish = request(server, feed_path(store, code, "sv"))
    assert status == 200 and uids(swedish) == uids(body) and "Nätverksmöte" in swedish

    token = path.rsplit("/", 1)[1].removesuffix(".ics")
    wrong = path.replace(token, ("0" if token[0] != "0" else "1") + token[1:])
    crossed = feed_path(store, other.code).replace(other.code, code)
    for bad in (wrong, crossed, path.replace(code, "ZZZZZZ")):
        status, _, body = request(server, bad)
        assert status == 404, bad
        assert "VEVENT" not in body
    status, _, _ = request(server, path, method="POST")
    assert status in (403, 405)  # read-only
    store.close()

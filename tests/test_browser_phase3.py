"""Phase 3 in a real browser: the year clock and the contact list on phones, the day's running
block on the room's screen, and axe-core on the new forms and the 03 console.

Two phones on the run's Voila server: one adds an event to the year clock and the other sees
the wheel gain it without reloading; the first saves its contact entry with consent and, once
the entry is out of date, confirms it with one tap. The screen shows the running block and
counts it down. Screenshots go to ``VERTAISET_SHOTS`` when it is set.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from conftest import BROWSER_MARKS, LOAD_MS, PHONE, WAIT_MS
from test_browser import open_participant, shot, wait_joined

from playwright.sync_api import Page, expect  # noqa: E402

from vertaiset_widgets.content import load_content  # noqa: E402
from vertaiset_widgets.i18n import Translator  # noqa: E402
from vertaiset_widgets.kinds.contacts.entries import entry_id, load_entries  # noqa: E402
from vertaiset_widgets.kinds.year_clock.events import load_events  # noqa: E402
from vertaiset_widgets.store import AnswerInput  # noqa: E402
from vertaiset_widgets.store.agenda import AgendaBlock  # noqa: E402

pytestmark = [*BROWSER_MARKS, pytest.mark.slow, pytest.mark.timeout(900)]

CONTENT = load_content()
TR = Translator.create(CONTENT, "fi")
WORKBOOK = "03_koordinointi.ipynb"
YEAR, CONTACTS = "vuosikello", "yhteystiedot"
OPEN = (YEAR, CONTACTS, "vahvat_heikot", "moniaikaisuus", "yhdessa_eteneminen")
EVENT = "Syysfoorumi <b>ei lihavoi</b>"
BLOCK = "Vuosikello yhdessä"


def _card(page: Page, activity_id: str):
    return page.locator(".vt-slot", has=page.locator(f"[data-vt-now-title='{activity_id}']"))


def _status(card, words: str):
    """The card's status line that says ``words`` (a card has a status line per form)."""
    return card.get_by_role("status").filter(has_text=words)


def _describe(violations: list[dict]) -> str:
    return "\n".join(f"{v['id']} ({v.get('impact')}): {v.get('help')} — "
                     + "; ".join(str(n.get("target")) for n in v.get("nodes", [])[:4]) for v in violations)


@pytest.fixture(scope="module")
def phase3_room(vt_store):
    """A session with the phase 3 tasks open and a day's plan whose second block started 5 minutes ago."""
    info, key = vt_store.create_session("Koordinointi ja fasilitointi", network="N")
    for activity in OPEN:
        vt_store.set_activity_state(info.id, activity, is_open=True)
    vt_store.set_activity_state(info.id, YEAR, is_open=True, is_revealed=True)  # the wheel on the phones too
    vt_store.set_agenda_blocks(info.id, [
        AgendaBlock(position=0, minutes=30, title="Avaus", mode="fasilitointi"),
        AgendaBlock(position=1, minutes=45, title=BLOCK, mode="fasilitointi", workbook=WORKBOOK, activity_id=YEAR),
        AgendaBlock(position=2, minutes=15, title="Tauko", is_break=True),
    ], day_start="9.00")
    vt_store.start_block(info.id, 1, at=datetime.now(timezone.utc) - timedelta(minutes=5))
    return info, key


def test_year_clock_contacts_and_the_running_block(server, vt_store, contexts, phase3_room):
    """An event added on one phone reaches the other phone's wheel live; a contact entry is saved
    with consent and confirmed with one tap; the screen counts down the running block; axe-core
    finds nothing serious or critical on the phone's phase 3 forms or on the 03 console."""
    info, key = phase3_room
    first = open_participant(contexts(PHONE), server, info.code)
    second = open_participant(contexts(PHONE), server, info.code)
    wait_joined(first)
    wait_joined(second)
    clock = _card(first, YEAR)
    expect(clock).to_be_visible(timeout=WAIT_MS)
    wheel = _card(second, YEAR).locator("svg.vt-phone-wheel").first
    expect(wheel).to_have_attribute("data-vt-wheel-events", "0", timeout=WAIT_MS)

    # the first phone adds an event
    clock.get_by_label(TR("yc_title"), exact=True).fill(EVENT)
    clock.get_by_label(TR("yc_start"), exact=True).fill(f"{date.today().year}-10-07")
    clock.get_by_label(TR("yc_owner"), exact=True).fill("Koordinaattori")
    clock.get_by_role("button", name=TR("yc_add"), exact=True).click()
    expect(_status(clock, "on vuosikellossa")).to_be_visible(timeout=WAIT_MS)
    assert [e.title for e in load_events(vt_store, info.id, CONTENT.activity(YEAR))] == [EVENT]
    # the second phone's wheel and list gain it without a reload; the words stay words
    expect(wheel).to_have_attribute("data-vt-wheel-events", "1", timeout=WAIT_MS)
    expect(_card(second, YEAR)).to_contain_text(EVENT, timeout=WAIT_MS)
    assert second.locator(".vt-slot b", has_text="ei lihavoi").count() == 0

    # the contact entry: nothing without consent, then saved with it
    contacts = _card(first, CONTACTS)
    contacts.get_by_label(TR("ct_name"), exact=True).fill("Aino Virtanen")
    contacts.get_by_label(TR("ct_org"), exact=True).fill("Ohjaamo")
    contacts.get_by_label(TR("ct_email"), exact=True).fill("aino@example.org")
    contacts.get_by_role("button", name=TR("ct_save"), exact=True).click()
    expect(_status(contacts, TR("ct_error_consent")[:20])).to_be_visible(timeout=WAIT_MS)
    activity = CONTENT.activity(CONTACTS)
    assert load_entries(vt_store, info.id, activity) == []
    contacts.get_by_label(TR("ct_consent"), exact=True).check()
    contacts.get_by_role("button", name=TR("ct_save"), exact=True).click()
    expect(_status(contacts, TR("ct_saved")[:20])).to_be_visible(timeout=WAIT_MS)
    (entry,) = load_entries(vt_store, info.id, activity)
    assert entry.email == "aino@example.org"

    # months later (the entry last checked in January 2025) the phone opens the page again: the
    # entry is out of date, and one tap confirms it
    person = next(p for p in vt_store.participants(info.id) if entry_id(p) == entry.id)
    vt_store.submit(person, CONTACTS, [AnswerInput(entry.id, "checked", value_text="2025-01-02")], submission_id="stale-test")
    first.reload(timeout=LOAD_MS)
    wait_joined(first)
    contacts = _card(first, CONTACTS)
    confirm = contacts.get_by_role("button", name=TR("ct_confirm"), exact=True)
    expect(contacts).to_contain_text(TR("ct_stale_own").split("{")[0].strip(), timeout=WAIT_MS)
    confirm.click()
    expect(_status(contacts, TR("ct_confirmed")[:15])).to_be_visible(timeout=WAIT_MS)
    (entry,) = load_entries(vt_store, info.id, activity)
    assert entry.checked == date.today()
    shot(first, "phase3-phone")

    # the room's screen: the running block and its countdown
    screen = contexts({"width": 1280, "height": 720}).new_page()
    screen.goto(server.url(WORKBOOK, session=info.code, role="screen"), timeout=LOAD_MS)
    bar = screen.locator(".vt-presenter-block")
    expect(bar).to_contain_text(BLOCK, timeout=LOAD_MS)
    expect(bar).to_be_visible()
    # the activity on the screen starts below the block's line, not over it
    assert screen.evaluate("""() => {
        const bar = document.querySelector('.vt-presenter-block').getBoundingClientRect();
        const now = [...document.querySelectorAll('.vt-activity.vt-screen')].find(e => e.getClientRects().length);
        return now !== undefined && now.getBoundingClientRect().top >= bar.bottom - 1;
    }""")
    timer = bar.locator("[role=timer]")
    expect(timer).to_contain_text(TR("mp_block_left"), timeout=WAIT_MS)
    first_reading = timer.inner_text()
    expect(timer).not_to_have_text(first_reading, timeout=WAIT_MS)  # it counts down on its own
    assert "aino@example.org" not in screen.content()
    shot(screen, "phase3-screen", full_page=False)

    # axe-core on this phone (every phase 3 form open) and on the 03 console with the planner's tools
    _no_serious_violations(server, contexts, info.code, key, phone=first)


def _no_serious_violations(server, contexts, code: str, key: str, *, phone: Page) -> None:
    from axe_playwright_python.sync_playwright import Axe

    for activity in OPEN:
        expect(_card(phone, activity)).to_be_visible(timeout=WAIT_MS)
    console = contexts({"width": 1366, "height": 900}).new_page()
    console.goto(server.url(WORKBOOK, session=code, key=key), timeout=LOAD_MS)
    console.locator(".vt-now-bar .vt-now-name").wait_for(timeout=LOAD_MS)
    for activity in ("kokoussuunnitelma", CONTACTS, YEAR):  # unfolded: their tools and results in view
        fold = console.locator(f"#activity-{activity} .vt-fold-button").first
        if fold.get_attribute("aria-expanded") == "false":
            fold.click()
    console.get_by_role("button", name=TR("mp_start_next"), exact=True).wait_for(timeout=WAIT_MS)
    problems = []
    for name, page in (("phone", phone), ("console", console)):
        violations = Axe().run(page).response.get("violations", [])
        serious = [v for v in violations if v.get("impact") in ("serious", "critical")]
        if serious:
            problems.append(f"{name}:\n{_describe(serious)}")
    shot(console, "phase3-console")
    assert not problems, "\n".join(problems)

"""The phone in a real browser: nothing typed is lost, and "now" comes first.

A phone on the run's Voila server types into every kind's form; the facilitator's side (the
store, as the console's buttons write it) starts and stops timers, reveals another activity,
closes the tasks and opens them again. What was typed stays in view through all of it, is
marked "not sent" while closed, and is sent (once) when the task opens again.

Screenshots go to the folder in ``VERTAISET_SHOTS`` when it is set.
"""
from __future__ import annotations

import re

import pytest

from conftest import BROWSER_MARKS, LOAD_MS, PHONE, WAIT_MS
from test_browser import open_participant, shot, token_of, wait_joined

from playwright.sync_api import Page, expect  # noqa: E402

from vertaiset_widgets.content import load_content  # noqa: E402
from vertaiset_widgets.i18n import Translator  # noqa: E402
from vertaiset_widgets.kinds.highlights.wall import read_wall  # noqa: E402

pytestmark = [*BROWSER_MARKS, pytest.mark.slow, pytest.mark.timeout(900)]

CONTENT = load_content()
TR = Translator.create(CONTENT, "fi")

CHOICE = "verkostotyyppi"
ALLOCATION = "hierarkia_markkina_verkosto"
POSITION = "rinnakkain_yhdessa"
RATING = "tunteminen_luottamus_sitoutuminen"
CANVAS = "tavoitekanvaasi"
WALL = "verkostot_nyt"
TYPED = (CHOICE, ALLOCATION, POSITION, RATING, CANVAS, WALL)
OTHER = "oppimisen_tavat"  # revealed meanwhile
LATER = "kuulumiset"  # opened while the phone is open

CHOICE_OPTION = TR.label(CONTENT.activity(CHOICE).options[1])
POINTS = {"Hierarkia": "50", "Markkina": "20", "Verkosto": "30"}
CANVAS_TEXT = "Yhteinen tilannekuva <b>ei</b> katoa"
WALL_TEXT = "Nosto, jota kirjoitin, kun ajastin käynnistyi"
NOT_SENT = "Ei lähetetty: tehtävä suljettiin"


def _title(activity_id: str) -> str:
    return TR.text(CONTENT.activity(activity_id).title)


def _card(page: Page, activity_id: str):
    """The activity's slot on the phone (its title is the slot's own)."""
    return page.locator(".vt-slot", has=page.locator(f"[data-vt-now-title='{activity_id}']"))


def _type_everything(page: Page) -> None:
    _card(page, CHOICE).get_by_role("group", name="Nyt", exact=True).get_by_label(CHOICE_OPTION).check()
    now = _card(page, ALLOCATION).get_by_role("group", name="Nyt", exact=True)
    for label, value in POINTS.items():
        now.get_by_label(label, exact=True).fill(value)
    _card(page, POSITION).get_by_role("group", name="Nyt", exact=True).get_by_role("radio", name="3", exact=True).check()
    _card(page, RATING).locator("fieldset.vt-item").first.get_by_role("radio", name="4", exact=True).check()
    canvas = _card(page, CANVAS)
    canvas.get_by_label("Ryhmä", exact=True).fill("Tiimi A")
    canvas.get_by_label("Miksi?", exact=True).fill(CANVAS_TEXT)
    _card(page, WALL).get_by_label(TR("highlight_label"), exact=True).fill(WALL_TEXT)


def _expect_everything_kept(page: Page, step: str) -> None:
    """Every form still holds what was typed (``step`` names the facilitator's action)."""
    why = f"after {step} the phone lost what was typed"
    expect(_card(page, CHOICE).get_by_role("group", name="Nyt", exact=True).get_by_label(CHOICE_OPTION),
           why).to_be_checked(timeout=WAIT_MS)
    now = _card(page, ALLOCATION).get_by_role("group", name="Nyt", exact=True)
    for label, value in POINTS.items():
        expect(now.get_by_label(label, exact=True), why).to_have_value(value)
    expect(_card(page, POSITION).get_by_role("group", name="Nyt", exact=True).get_by_role("radio", name="3", exact=True),
           why).to_be_checked()
    expect(_card(page, RATING).locator("fieldset.vt-item").first.get_by_role("radio", name="4", exact=True), why).to_be_checked()
    expect(_card(page, CANVAS).get_by_label("Miksi?", exact=True), why).to_have_value(CANVAS_TEXT)
    expect(_card(page, WALL).get_by_label(TR("highlight_label"), exact=True), why).to_have_value(WALL_TEXT)


def _set_all(store, session_id: int, **state) -> None:
    for activity_id in TYPED:
        store.set_activity_state(session_id, activity_id, **state)


def test_typed_words_survive_every_facilitator_action(server, vt_store, contexts):
    """Timers started and stopped, another activity revealed, another opened, the task closed and
    opened again: what the phone typed stays, is marked "not sent" while closed, and is sent once."""
    info, _key = vt_store.create_session("Mikään ei katoa", network="N")
    _set_all(vt_store, info.id, is_open=True)
    page = open_participant(contexts(PHONE), server, info.code)
    wait_joined(page)
    for activity_id in TYPED:
        expect(page.locator(f".vt-now [data-vt-now-title='{activity_id}']")).to_be_visible(timeout=LOAD_MS)
    _type_everything(page)
    _expect_everything_kept(page, "typing")
    timer = page.locator(".vt-phone-header [role=timer]")

    _set_all(vt_store, info.id, timer_seconds=300)
    expect(timer).to_contain_text(TR("timer_left"), timeout=WAIT_MS)
    _expect_everything_kept(page, "starting the timer")

    _set_all(vt_store, info.id, timer_seconds=0)
    expect(timer).to_be_hidden(timeout=WAIT_MS)
    _expect_everything_kept(page, "stopping the timer")

    vt_store.set_activity_state(info.id, OTHER, is_revealed=True)
    expect(page.locator(".vt-results").get_by_role("button", name=_title(OTHER))).to_be_visible(timeout=WAIT_MS)
    _expect_everything_kept(page, "revealing another activity")

    vt_store.set_activity_state(info.id, LATER, is_open=True)
    newest = page.locator(".vt-now [data-vt-now-title]").first
    expect(newest).to_have_attribute("data-vt-now-title", LATER, timeout=WAIT_MS)
    expect(page.locator("#vt-announcer")).to_have_text(TR("phone_new_task", title=_title(LATER)), timeout=WAIT_MS)
    _expect_everything_kept(page, "opening another task on top")

    _set_all(vt_store, info.id, is_open=False)
    for activity_id in TYPED:
        expect(_card(page, activity_id).locator(".vt-unsent"), activity_id).to_contain_text(NOT_SENT, timeout=WAIT_MS)
    _expect_everything_kept(page, "closing the task")
    expect(_card(page, CANVAS).get_by_label("Miksi?", exact=True)).to_have_attribute("readonly", "")
    shot(page, "phone-closed-not-sent")
    assert vt_store.answers(info.id, CHOICE) == [] and read_wall(vt_store, info.id, WALL) == []

    _set_all(vt_store, info.id, is_open=True)
    for activity_id in TYPED:
        expect(_card(page, activity_id).locator(".vt-unsent"), activity_id).to_be_hidden(timeout=WAIT_MS)
    participant = vt_store.find_participant(info.id, token_of(page, info.code))
    assert participant is not None

    def stored(activity_id: str) -> list:
        return [a for a in vt_store.answers(info.id, activity_id) if a.participant_id == participant.id]

    expect(_card(page, WALL).get_by_role("status").first).to_contain_text("Tallennettu klo", timeout=WAIT_MS)
    for activity_id in (CHOICE, ALLOCATION, POSITION, RATING, CANVAS):
        expect(_card(page, activity_id).get_by_role("status").first, activity_id).to_contain_text(
            re.compile(r"Tallennettu klo"), timeout=WAIT_MS)
    page.wait_for_timeout(1500)  # a second send would land by now
    choice = {(a.layer, a.item): a.value_num for a in stored(CHOICE)}
    option = CONTENT.activity(CHOICE).options[1].id
    assert choice[("nyt", option)] == 1 and sum(choice.values()) == 1 and len(choice) == len(stored(CHOICE))
    allocation = {(a.layer, a.item): a.value_num for a in stored(ALLOCATION)}
    assert allocation == {("nyt", "hierarkia"): 50, ("nyt", "markkina"): 20, ("nyt", "verkosto"): 30}
    assert [(a.layer, a.value_num) for a in stored(POSITION)] == [("nyt", 3)]
    assert [a.value_num for a in stored(RATING)] == [4]
    assert [(a.layer, a.item, a.value_text) for a in stored(CANVAS)] == [("Tiimi A", "miksi", CANVAS_TEXT)]
    assert [h.text for h in read_wall(vt_store, info.id, WALL)] == [WALL_TEXT]


def test_results_fold_below_the_open_task(server, vt_store, contexts):
    """The open task is on top under the sticky header; revealed results are below, the latest
    revealed first, each folded to a title button that opens it."""
    info, _key = vt_store.create_session("Nyt ensin", network="N")
    vt_store.set_activity_state(info.id, POSITION, is_revealed=True)
    vt_store.set_activity_state(info.id, CHOICE, is_revealed=True)
    vt_store.set_activity_state(info.id, ALLOCATION, is_open=True)
    page = open_participant(contexts(PHONE), server, info.code)
    wait_joined(page)
    expect(page.locator(".vt-now [data-vt-now-title]")).to_have_attribute("data-vt-now-title", ALLOCATION, timeout=LOAD_MS)
    buttons = page.locator(".vt-results button.vt-disclosure")
    expect(buttons).to_have_count(2)
    first = buttons.first
    expect(first).to_have_attribute("aria-expanded", "false")
    table = page.locator(".vt-results .vt-table").first
    expect(table).to_be_hidden()
    first.click()
    expect(first).to_have_attribute("aria-expanded", "true")
    expect(page.locator(".vt-results .vt-table:visible").first).to_be_visible()
    vt_store.set_activity_state(info.id, RATING, is_revealed=True)
    expect(buttons.first).to_have_text(_title(RATING), timeout=WAIT_MS)
    header = page.locator(".vt-phone-header")
    assert header.evaluate("e => getComputedStyle(e).position") == "sticky"
    assert page.locator(".vt-now").evaluate(
        "e => e.getBoundingClientRect().top") < page.locator(".vt-results").evaluate("e => e.getBoundingClientRect().top")
    shot(page, "phone-now-first")


def test_typed_code_stays_in_the_address(server, vt_store, contexts):
    """A phone that joined with a typed code has it in its address: a reload comes back to the session."""
    info, _key = vt_store.create_session("Osoitteessa", network="N")
    vt_store.set_activity_state(info.id, CHOICE, is_open=True)
    page = open_participant(contexts(PHONE), server, None)
    code_input = page.get_by_label("Liittymiskoodi")
    expect(code_input).to_be_visible(timeout=LOAD_MS)
    code_input.fill(info.code)
    page.get_by_role("button", name="Liity", exact=True).click()
    wait_joined(page)
    expect(page).to_have_url(re.compile(rf"[?&]session={info.code}\b"), timeout=WAIT_MS)
    page.reload(timeout=LOAD_MS)
    wait_joined(page)
    expect(page.get_by_role("heading", name="Osoitteessa", exact=True)).to_be_visible()
    assert len(vt_store.participants(info.id)) == 1


@pytest.mark.parametrize("size", [{"width": 360, "height": 640}, PHONE], ids=["360x640", "390x844"])
def test_open_task_is_in_the_first_view_and_announced(server, vt_store, contexts, size):
    """On a small and a common phone the open task's title is inside the first view, with results
    revealed before it; the header (with the timer) stays in view when scrolled to the bottom; a
    task opened later comes to the top and is announced to screen readers."""
    info, _key = vt_store.create_session("Ensimmäinen näkymä", network="N")
    for revealed in (CHOICE, POSITION, RATING):
        vt_store.set_activity_state(info.id, revealed, is_revealed=True)
    vt_store.set_activity_state(info.id, ALLOCATION, is_open=True, timer_seconds=300)
    page = open_participant(contexts(size), server, info.code)
    wait_joined(page)
    title = page.locator(f".vt-now [data-vt-now-title='{ALLOCATION}']")
    expect(title).to_be_visible(timeout=LOAD_MS)
    box = title.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= size["height"], box
    shot(page, f"phone-first-view-{size['width']}x{size['height']}")
    page.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight)")
    page.mouse.wheel(0, 20000)
    header = page.locator(".vt-phone-header")
    expect(header).to_contain_text("Ensimmäinen näkymä")
    top = header.bounding_box()
    assert top is not None and -1 <= top["y"] <= size["height"] / 4, top
    vt_store.set_activity_state(info.id, LATER, is_open=True)
    expect(page.locator(".vt-now [data-vt-now-title]").first).to_have_attribute(
        "data-vt-now-title", LATER, timeout=WAIT_MS)
    expect(page.locator("#vt-announcer")).to_contain_text(_title(LATER), timeout=WAIT_MS)

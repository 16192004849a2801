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
from vertaiset_widgets.kinds.highlights.wall import post_highlight, read_wall  # noqa: E402
from vertaiset_widgets.kinds.network_map.network import load_network  # noqa: E402

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
MAP = "verkostokartta"
DOTS = "tyypilliset_tavoitteet"
VOTES = "verkostojen_vahvistaminen"  # open and revealed: +1s count, one's own highlight is edited
MORE = (MAP, DOTS, VOTES)

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


def _result(page: Page, activity_id: str):
    """The activity's slot among the revealed results."""
    return page.locator(".vt-slot", has=page.locator(f"[data-vt-result-title='{activity_id}']"))


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
    # forms drawn again at once (a task opened on top) never share an id: a label would name another form's control
    doubled = page.evaluate("""() => { const seen = new Set(), twice = [];
        for (const el of document.querySelectorAll('[id]')) { if (seen.has(el.id)) twice.push(el.id); seen.add(el.id); }
        return twice; }""")
    assert doubled == [], (step, doubled)
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
    timer = page.locator(".vt-phone-header .vt-task-timer [role=timer]")

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


DOT_OPTIONS = [TR.label(o) for o in CONTENT.activity(DOTS).options[:2]]
TIE_NOTE = "Yhteys, jota kuvasin, kun tehtävä suljettiin"
OTHERS_POST = "Toisen osallistujan nosto"
MY_POST = "Oma nosto"
MY_EDIT = "Oma nosto, jota muokkasin, kun tehtävä suljettiin"


def _unsent_notes(page: Page, activity_id: str):
    return _card(page, activity_id).locator(".vt-unsent:visible")


def _prepare_map_and_wall(page: Page) -> None:
    """Through the phone's own forms: two actors on the map and a highlight of one's own."""
    map_card = _card(page, MAP)
    for name in ("Kunta", "Järjestö"):
        map_card.get_by_label(TR("map_name"), exact=True).fill(name)
        map_card.get_by_role("button", name=TR("map_add_actor"), exact=True).click()
        expect(map_card.get_by_role("status").first).to_contain_text(TR("map_actor_added", name=name), timeout=WAIT_MS)
    expect(map_card.get_by_label(TR("map_remove_item"), exact=True).locator("option")).to_have_count(2, timeout=WAIT_MS)
    wall = _card(page, VOTES)
    wall.get_by_label(TR("highlight_label"), exact=True).fill(MY_POST)
    wall.get_by_role("button", name=TR("highlight_post"), exact=True).click()
    expect(wall.get_by_role("button", name=f"{TR('wall_edit')}: {MY_POST}")).to_be_visible(timeout=WAIT_MS)


def _type_more(page: Page) -> dict[str, str]:
    """A tie chosen and described, an item chosen for taking back, dots placed, a +1 given and
    one's own highlight being edited; returns the chosen values of the map's selects."""
    map_card = _card(page, MAP)
    chosen = {
        "source": map_card.get_by_label(TR("map_from"), exact=True).select_option(label="Kunta")[0],
        "target": map_card.get_by_label(TR("map_to"), exact=True).select_option(label="Järjestö")[0],
    }
    map_card.get_by_label(TR("map_note"), exact=True).fill(TIE_NOTE)
    chosen["remove"] = map_card.get_by_label(TR("map_remove_item"), exact=True).select_option(
        label=f"{TR('map_actor')}: Kunta")[0]
    dots = _card(page, DOTS)
    dots.get_by_label(DOT_OPTIONS[0]).fill("2")
    dots.get_by_label(DOT_OPTIONS[1]).fill("1")
    wall = _card(page, VOTES)
    wall.get_by_role("button", name=f"{TR('wall_vote')}: {OTHERS_POST}", exact=True).click()
    expect(wall.get_by_role("button", name=f"{TR('wall_unvote')}: {OTHERS_POST}", exact=True)).to_have_attribute(
        "aria-pressed", "true", timeout=WAIT_MS)
    wall.get_by_role("button", name=f"{TR('wall_edit')}: {MY_POST}").click()
    wall.get_by_label(TR("wall_edit_label"), exact=True).fill(MY_EDIT)
    return chosen


def _expect_more_kept(page: Page, chosen: dict[str, str], step: str) -> None:
    why = f"after {step} the phone lost what was chosen or typed"
    map_card = _card(page, MAP)
    expect(map_card.get_by_label(TR("map_from"), exact=True), why).to_have_value(chosen["source"], timeout=WAIT_MS)
    expect(map_card.get_by_label(TR("map_to"), exact=True), why).to_have_value(chosen["target"])
    expect(map_card.get_by_label(TR("map_note"), exact=True), why).to_have_value(TIE_NOTE)
    expect(map_card.get_by_label(TR("map_remove_item"), exact=True), why).to_have_value(chosen["remove"])
    dots = _card(page, DOTS)
    expect(dots.get_by_label(DOT_OPTIONS[0]), why).to_have_value("2")
    expect(dots.get_by_label(DOT_OPTIONS[1]), why).to_have_value("1")
    wall = _card(page, VOTES)
    expect(wall.get_by_role("button", name=f"{TR('wall_unvote')}: {OTHERS_POST}", exact=True), why).to_have_attribute(
        "aria-pressed", "true")
    expect(wall.get_by_label(TR("wall_edit_label"), exact=True), why).to_have_value(MY_EDIT)


def test_map_dots_votes_and_own_edit_survive_every_facilitator_action(server, vt_store, contexts):
    """The network map's tie and take-back forms, a dot vote, a +1 and the editor of one's own
    highlight keep what was chosen and typed through timers, another reveal and a close; closed,
    what was typed is read-only and marked "not sent", and it is sent once when the task reopens."""
    info, _key = vt_store.create_session("Kartta ja pisteet", network="N")
    other = vt_store.join(info.id, "token-toinen-osallistuja")
    for activity_id in MORE:
        vt_store.set_activity_state(info.id, activity_id, is_open=True)
    vt_store.set_activity_state(info.id, VOTES, is_revealed=True)
    post_highlight(vt_store, other, VOTES, OTHERS_POST, submission_id="toisen-nosto-1")
    page = open_participant(contexts(PHONE), server, info.code)
    wait_joined(page)
    for activity_id in MORE:
        expect(page.locator(f".vt-now [data-vt-now-title='{activity_id}']")).to_be_visible(timeout=LOAD_MS)
    _prepare_map_and_wall(page)
    chosen = _type_more(page)
    _expect_more_kept(page, chosen, "typing")
    timer = page.locator(".vt-phone-header .vt-task-timer [role=timer]")

    for activity_id in MORE:
        vt_store.set_activity_state(info.id, activity_id, timer_seconds=300)
    expect(timer).to_contain_text(TR("timer_left"), timeout=WAIT_MS)
    _expect_more_kept(page, chosen, "starting the timer")
    for activity_id in MORE:
        vt_store.set_activity_state(info.id, activity_id, timer_seconds=0)
    expect(timer).to_be_hidden(timeout=WAIT_MS)
    _expect_more_kept(page, chosen, "stopping the timer")

    vt_store.set_activity_state(info.id, OTHER, is_revealed=True)
    expect(page.locator(".vt-results").get_by_role("button", name=_title(OTHER))).to_be_visible(timeout=WAIT_MS)
    _expect_more_kept(page, chosen, "revealing another activity")

    for activity_id in MORE:
        vt_store.set_activity_state(info.id, activity_id, is_open=False)
    for activity_id in MORE:
        expect(_unsent_notes(page, activity_id), activity_id).to_contain_text([NOT_SENT], timeout=WAIT_MS)
    _expect_more_kept(page, chosen, "closing the task")
    edit = _card(page, VOTES).get_by_label(TR("wall_edit_label"), exact=True)
    expect(edit).to_have_attribute("readonly", "")
    expect(_card(page, VOTES).get_by_role("button", name=TR("wall_save"), exact=True)).to_be_disabled()
    expect(_card(page, MAP).get_by_label(TR("map_note"), exact=True)).to_have_attribute("readonly", "")
    shot(page, "phone-closed-map-dots-wall")
    net = load_network(vt_store, info.id, CONTENT.activity(MAP))
    assert net.ties == [] and len(net.actors) == 2
    assert [h.text for h in read_wall(vt_store, info.id, VOTES) if h.participant_id != other.id] == [MY_POST]

    for activity_id in MORE:
        vt_store.set_activity_state(info.id, activity_id, is_open=True)
    for activity_id in MORE:
        expect(_unsent_notes(page, activity_id), activity_id).to_have_count(0, timeout=WAIT_MS)
    mine = vt_store.find_participant(info.id, token_of(page, info.code))
    assert mine is not None
    expect(_card(page, VOTES).get_by_role("button", name=f"{TR('wall_edit')}: {MY_EDIT}")).to_be_visible(timeout=WAIT_MS)
    expect(_card(page, DOTS).get_by_role("status").first).to_contain_text("Tallennettu klo", timeout=WAIT_MS)
    expect(_card(page, MAP).get_by_text(TR("map_tie_added"))).to_be_visible(timeout=WAIT_MS)
    page.wait_for_timeout(1500)  # a second send would land by now
    net = load_network(vt_store, info.id, CONTENT.activity(MAP))
    assert [(t.source, t.target, t.note) for t in net.ties] == [(chosen["source"], chosen["target"], TIE_NOTE)]
    assert len(net.actors) == 2  # choosing an item to take back is not taking it back
    dots = {a.item: a.value_num for a in vt_store.answers(info.id, DOTS) if a.participant_id == mine.id and a.value_num}
    options = CONTENT.activity(DOTS).options
    assert dots == {options[0].id: 2, options[1].id: 1}
    wall = read_wall(vt_store, info.id, VOTES)
    assert [h.text for h in wall if h.participant_id == mine.id] == [MY_EDIT]
    assert [h.voters for h in wall if h.participant_id == other.id] == [frozenset({mine.id})]


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
    # the latest revealed first, by when it was revealed (not the order of the content)
    expect(buttons).to_have_text([_title(CHOICE), _title(POSITION)])
    first = buttons.first
    expect(first).to_have_attribute("aria-expanded", "false")
    table = page.locator(".vt-results .vt-table").first
    expect(table).to_be_hidden()
    first.click()
    expect(first).to_have_attribute("aria-expanded", "true")
    expect(page.locator(".vt-results .vt-table:visible").first).to_be_visible()
    vt_store.set_activity_state(info.id, RATING, is_revealed=True)
    expect(buttons).to_have_text([_title(RATING), _title(CHOICE), _title(POSITION)], timeout=WAIT_MS)
    header = page.locator(".vt-phone-header")
    assert header.evaluate("e => getComputedStyle(e).position") == "sticky"
    assert page.locator(".vt-now").evaluate(
        "e => e.getBoundingClientRect().top") < page.locator(".vt-results").evaluate("e => e.getBoundingClientRect().top")
    shot(page, "phone-now-first")
    page.reload(timeout=LOAD_MS)
    wait_joined(page)
    expect(page.locator(".vt-results button.vt-disclosure")).to_have_text(
        [_title(RATING), _title(CHOICE), _title(POSITION)], timeout=LOAD_MS)


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


def test_scroll_hint_shows_only_under_a_table_wider_than_its_box(server, vt_store, contexts):
    """At 360 px the 360 view's wide table scrolls in its box and says so; a narrow table
    that fits says nothing."""
    wide, narrow = "arviointi_360", DOTS
    info, _key = vt_store.create_session("Leveä taulukko", network="N")
    for activity_id in (narrow, wide):
        vt_store.set_activity_state(info.id, activity_id, is_revealed=True)
    page = open_participant(contexts({"width": 360, "height": 640}), server, info.code)
    wait_joined(page)
    boxes = {}
    for activity_id in (wide, narrow):
        button = page.locator(f".vt-results [data-vt-result-title='{activity_id}']")
        expect(button).to_be_visible(timeout=LOAD_MS)
        button.click()
        boxes[activity_id] = _result(page, activity_id).locator(".vt-table-scroll").first
        expect(boxes[activity_id]).to_be_visible()
    hint = TR("phone_table_scroll")
    expect(_result(page, wide).get_by_text(hint)).to_be_visible(timeout=WAIT_MS)
    assert boxes[wide].evaluate("e => e.scrollWidth > e.clientWidth")
    assert not boxes[narrow].evaluate("e => e.scrollWidth > e.clientWidth")
    expect(_result(page, narrow).get_by_text(hint)).to_be_hidden()
    shot(page, "phone-scroll-hint-360")

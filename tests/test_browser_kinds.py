"""The kinds of the phase 1 and 2 workbooks in a real browser: phones on a real Voila server
answer a split of points, build the network map together and follow the agreement board the
facilitator edits on the phase 2 workbook; axe-core checks their forms and consoles.

Screenshots go to the folder in ``VERTAISET_SHOTS`` when it is set.
"""
from __future__ import annotations

import pytest

from conftest import BROWSER_MARKS, LOAD_MS, PHONE, WAIT_MS
from test_browser import LAPTOP, _describe, open_participant, shot, token_of, wait_joined

from playwright.sync_api import Page, expect  # noqa: E402

from vertaiset_widgets.content import load_content  # noqa: E402
from vertaiset_widgets.kinds.network_map.network import load_network  # noqa: E402
from vertaiset_widgets.store import SessionStore  # noqa: E402,F401
from vertaiset_widgets.kinds.agreement_board.board import read_board

pytestmark = [*BROWSER_MARKS, pytest.mark.slow, pytest.mark.timeout(900)]

CONTENT = load_content()


def _card(page: Page, title: str):
    """The activity's card on the participant's page, found by its heading."""
    return page.locator(".vt-card", has=page.get_by_role("heading", name=title, exact=True)).first


def _participant_of(store: SessionStore, session_id: int, page: Page, code: str):
    found = store.find_participant(session_id, token_of(page, code))
    assert found is not None
    return found


def test_allocation_on_a_phone(server, vt_store, contexts):
    """The phone splits 100 points now and wanted: the sum follows typing, a wrong sum is refused
    in words, a right one is stored and comes back after a reload."""
    info, _key = vt_store.create_session("Jako", network="N")
    vt_store.set_activity_state(info.id, "hierarkia_markkina_verkosto", is_open=True)
    page = open_participant(contexts(PHONE), server, info.code)
    wait_joined(page)
    card = _card(page, "Hierarkia – Markkina – Verkosto")
    now = card.get_by_role("group", name="Nyt")
    wanted = card.get_by_role("group", name="Toivottu")
    now.get_by_label("Hierarkia").fill("50")
    now.get_by_label("Markkina").fill("20")
    now.get_by_label("Verkosto").fill("20")
    expect(now.locator(".vt-sum")).to_contain_text("90/100")
    card.get_by_role("button", name="Lähetä vastaukset").click()
    expect(card.get_by_role("status")).to_contain_text("tasan 100", timeout=WAIT_MS)
    assert vt_store.answers(info.id, "hierarkia_markkina_verkosto") == []
    now.get_by_label("Verkosto").fill("30")
    for label, value in (("Hierarkia", "20"), ("Markkina", "10"), ("Verkosto", "70")):
        wanted.get_by_label(label).fill(value)
    card.get_by_role("button", name="Lähetä vastaukset").click()
    expect(card.get_by_role("status")).to_contain_text("Tallennettu", timeout=WAIT_MS)
    stored = {(a.layer, a.item): a.value_num for a in vt_store.answers(info.id, "hierarkia_markkina_verkosto")}
    assert stored == {("nyt", "hierarkia"): 50, ("nyt", "markkina"): 20, ("nyt", "verkosto"): 30,
                      ("toivottu", "hierarkia"): 20, ("toivottu", "markkina"): 10, ("toivottu", "verkosto"): 70}
    shot(page, "phone-allocation")
    page.reload(timeout=LOAD_MS)
    wait_joined(page)
    card = _card(page, "Hierarkia – Markkina – Verkosto")
    expect(card.get_by_role("group", name="Toivottu").get_by_label("Verkosto")).to_have_value("70", timeout=WAIT_MS)


def test_two_phones_build_the_map_together(server, vt_store, contexts):
    """Phone A adds an actor; phone B sees it without reloading, adds its own and a tie between them;
    markup in a name stays text."""
    info, _key = vt_store.create_session("Kartta", network="N")
    vt_store.set_activity_state(info.id, "verkostokartta", is_open=True)
    a = open_participant(contexts(PHONE), server, info.code)
    b = open_participant(contexts(PHONE), server, info.code)
    dialogs: list[str] = []
    for page in (a, b):
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        wait_joined(page)
    name = "Ohjaamo <img src=x onerror=alert(1)>"
    card_a = _card(a, "Verkostokartta")
    card_a.get_by_label("Toimijan nimi").fill(name)
    card_a.get_by_label("Sektori").select_option(label="Julkinen sektori")
    card_a.get_by_role("button", name="Lisää toimija").click()
    expect(card_a.get_by_role("status").first).to_contain_text("on kartalla", timeout=WAIT_MS)
    card_b = _card(b, "Verkostokartta")
    expect(card_b.locator("ul[data-vt-actors='1']")).to_contain_text(name, timeout=WAIT_MS)
    card_b.get_by_label("Toimijan nimi").fill("Kela")
    card_b.get_by_role("button", name="Lisää toimija").click()
    expect(card_b.locator("ul[data-vt-actors='2']")).to_be_visible(timeout=WAIT_MS)
    card_b.get_by_label("Toimija", exact=True).select_option(label=name)
    card_b.get_by_label("Toinen toimija").select_option(label="Kela")
    card_b.get_by_label("Yhteyden laatu").select_option(label=CONTENT.activity("verkostokartta").ties[2].label["fi"])
    card_b.get_by_role("button", name="Lisää yhteys").click()
    expect(card_a.locator("ul[data-vt-ties='1']")).to_be_visible(timeout=WAIT_MS)
    net = load_network(vt_store, info.id, CONTENT.activity("verkostokartta"))
    assert sorted(x.name for x in net.visible_actors) == sorted([name, "Kela"])
    assert [e["type"] for e in net.edges()] == ["puuttuva"]
    assert dialogs == [] and a.locator("img[src='x']").count() == 0
    shot(b, "phone-network-map")


@pytest.fixture(scope="module")
def board_room(browser, server, vt_store):
    """A session with the agreement board and the canvas open, and the phase 2 console opened once."""
    info, key = vt_store.create_session("Sopimukset", network="N")
    for activity in ("toimintatavat", "tavoitekanvaasi", "tyypilliset_tavoitteet"):
        vt_store.set_activity_state(info.id, activity, is_open=True)
    ctx = browser.new_context(viewport=LAPTOP, locale="fi-FI")
    ctx.set_default_timeout(WAIT_MS)
    page = ctx.new_page()
    page.goto(server.url("02_tavoitteet.ipynb", session=info.code, key=key), timeout=LOAD_MS)
    page.locator("form.vt-form", has_text="Miten toimintaa koordinoidaan").first.wait_for(timeout=LOAD_MS)
    yield info, key, page
    ctx.close()


def test_board_edited_live_reaches_the_phone(server, vt_store, contexts, board_room):
    """The facilitator saves an agreed answer on the console; a phone shows it and the progress without reloading."""
    info, _key, console = board_room
    phone = open_participant(contexts(PHONE), server, info.code)
    wait_joined(phone)
    board = _card(phone, "Yhteisesti sovittavia toimintatapoja")
    expect(board).to_contain_text("Sovittu 0 / 15", timeout=WAIT_MS)
    form = console.locator("form.vt-form", has_text="1. Miten toimintaa koordinoidaan ja fasilitoidaan?")
    form.get_by_label("Yhteinen vastaus").fill("Koordinaattori kutsuu, fasilitointi kiertää")
    form.get_by_label("Tilanne").select_option(label="Sovittu")
    form.get_by_label("Vastuussa").fill("Koordinaattori")
    form.get_by_role("button", name="Tallenna kohta").click()
    expect(form.get_by_role("status")).to_contain_text("Tallennettu", timeout=WAIT_MS)
    expect(board).to_contain_text("Sovittu 1 / 15", timeout=WAIT_MS)
    expect(board).to_contain_text("fasilitointi kiertää")
    assert read_board(vt_store, info.id, "toimintatavat")["k01"]["status"] == "sovittu"
    shot(console, "facilitator-board")
    shot(phone, "phone-board")


def test_group_canvas_on_two_phones(server, vt_store, contexts, board_room):
    """Two phones in one group fill one canvas: what one saves appears on the other's form."""
    info, _key, _console = board_room
    a = open_participant(contexts(PHONE), server, info.code)
    b = open_participant(contexts(PHONE), server, info.code)
    for page in (a, b):
        wait_joined(page)
        page.locator(".vt-profile").get_by_label("Ryhmä", exact=True).fill("Järjestöt")
        page.get_by_role("button", name="Tallenna tiedot").click()
        expect(page.locator(".vt-profile").get_by_role("status")).to_contain_text("Tallennettu klo", timeout=WAIT_MS)
    card_a = _card(a, "Miksi? Kuka? Miten? Mitä? Millä resursseilla?")
    card_a.get_by_label("Miksi?").fill("Jotta kukaan ei putoa")
    card_a.get_by_role("button", name="Tallenna").click()
    expect(card_a.get_by_role("status")).to_contain_text("Tallennettu", timeout=WAIT_MS)
    card_b = _card(b, "Miksi? Kuka? Miten? Mitä? Millä resursseilla?")
    expect(card_b.get_by_label("Miksi?")).to_have_value("Jotta kukaan ei putoa", timeout=WAIT_MS)
    answers = vt_store.answers(info.id, "tavoitekanvaasi")
    assert [(x.layer, x.item, x.value_text) for x in answers if x.value_text] == [("Järjestöt", "miksi", "Jotta kukaan ei putoa")]


def test_new_kinds_have_no_serious_accessibility_violations(server, vt_store, contexts, board_room):
    """axe-core on a phone with a choice, an allocation, a position, a canvas and the map open,
    and on the phase 2 console with the board's edit forms."""
    from axe_playwright_python.sync_playwright import Axe

    info, _key, console = board_room
    for activity in ("verkostotyyppi", "hierarkia_markkina_verkosto", "rinnakkain_yhdessa", "verkostokartta", "kuulumiset"):
        vt_store.set_activity_state(info.id, activity, is_open=True)
    phone = open_participant(contexts(PHONE), server, info.code)
    wait_joined(phone)
    expect(_card(phone, "Verkostokartta")).to_be_visible(timeout=WAIT_MS)
    problems = []
    for name, page in (("phone", phone), ("console", console)):
        violations = Axe().run(page).response.get("violations", [])
        serious = [v for v in violations if v.get("impact") in ("serious", "critical")]
        if serious:
            problems.append(f"{name}:\n{_describe(serious)}")
    assert not problems, "\n".join(problems)

"""One whole Puimala in a real browser, on a real `vertaiset serve`: three phones do the
self-paced pre-work before the forum, the forum runs with a note-taker writing live (the
facilitator's console and the room's screen follow), two people who never joined give feedback
through the public link, and the feedback closes at its end time. Screenshots go to
``VERTAISET_SHOTS`` when it is set.
"""
from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest

from conftest import BROWSER_MARKS, LOAD_MS, PHONE, WAIT_MS
from test_browser import open_participant, shot
from test_browser_kinds import _card

from playwright.sync_api import expect  # noqa: E402

from vertaiset_widgets.content import load_content  # noqa: E402
from vertaiset_widgets.i18n import Translator  # noqa: E402
from vertaiset_widgets.kinds.highlights.wall import read_wall  # noqa: E402
from vertaiset_widgets.store.agenda import AgendaBlock  # noqa: E402

pytestmark = [*BROWSER_MARKS, pytest.mark.slow, pytest.mark.timeout(900)]

CONTENT = load_content()
TR = Translator.create(CONTENT, "fi")
QUESTIONS, FORWARD, FORUM_WALL = "puimala_kysymykset", "puimala_eteenpain", "puimala_nostot"
CONSOLE = {"width": 1366, "height": 900}
SCREEN = {"width": 1280, "height": 720}


def _title(activity_id: str) -> str:
    return TR.text(CONTENT.activity(activity_id).title)


def _post(card, text: str) -> None:
    card.get_by_label("Nosto", exact=True).fill(text)
    card.get_by_role("button", name="Lähetä nosto").click()
    expect(card.get_by_text("Voit kirjoittaa seuraavan noston")).to_be_visible(timeout=WAIT_MS)


def _choose(card, option_id: str) -> None:
    option = next(o for o in CONTENT.activity(FORWARD).options if o.id == option_id)
    card.get_by_label(TR.label(option), exact=True).check()
    card.get_by_role("button", name="Lähetä vastaukset").click()
    expect(card.get_by_role("status")).to_contain_text("Tallennettu", timeout=WAIT_MS)


def test_one_whole_puimala(server, vt_store, contexts):
    store = vt_store
    session, key = store.create_session("Testipuimala", network="Puimalaverkosto")
    now = datetime.now(timezone.utc)
    store.add_material(session.id, "story", "Ydinryhmän tarina", body="Kun verkostot kohtasivat ensi kertaa")
    store.add_material(session.id, "link", "Faktapaketti verkossa", url="https://example.org/fakta")
    store.set_puimala(session.id, prework_activities=[QUESTIONS, FORWARD],
                      prework_opens=now - timedelta(minutes=5), prework_closes=now + timedelta(hours=1))
    store.set_agenda_blocks(session.id, [AgendaBlock(position=0, minutes=60, title="Puinti pienryhmissä",
                                                     workbook="puimala.ipynb", activity_id=FORUM_WALL)])
    options = [o.id for o in CONTENT.activity(FORWARD).options]

    # --- ennakkopuinti: three phones, both tasks open at once, done in any order
    phones = [open_participant(contexts(PHONE), server, session.code) for _ in range(3)]
    for n, phone in enumerate(phones):
        material = phone.get_by_text(TR("pf_material_heading")).first
        expect(material).to_be_visible(timeout=WAIT_MS)
        questions, forward = _card(phone, _title(QUESTIONS)), _card(phone, _title(FORWARD))
        expect(questions).to_be_visible(timeout=WAIT_MS)
        expect(forward).to_be_visible(timeout=WAIT_MS)
        if n == 1:  # this one chooses first, then asks
            _choose(forward, options[n])
            _post(questions, f"Ennakkokysymys {n}: miten verkostoissa jaetaan vastuu?")
        else:
            _post(questions, f"Ennakkokysymys {n}: miten verkostoissa jaetaan vastuu?")
            _choose(forward, options[n])
    shot(phones[1], "puimala-prework-phone")
    wall = [h.text for h in read_wall(store, session.id, QUESTIONS)]
    assert sorted(wall) == sorted(f"Ennakkokysymys {n}: miten verkostoissa jaetaan vastuu?" for n in range(3))
    assert len({a.participant_id for a in store.answers(session.id, FORWARD)}) == 3
    for phone in phones:
        phone.context.close()

    # --- puinti: the pre-work closes, the forum opens; the pre-work answers are on the console
    store.set_puimala(session.id, prework_closes=datetime.now(timezone.utc))
    store.start_block(session.id, 0)
    store.set_activity_state(session.id, QUESTIONS, is_revealed=True)
    store.set_activity_state(session.id, FORUM_WALL, is_open=True)
    console = contexts(CONSOLE).new_page()
    console.goto(server.url("puimala.ipynb", session=session.code, key=key), wait_until="commit", timeout=LOAD_MS)
    console.locator(f"#activity-{QUESTIONS} .vt-fold-button").click(timeout=LOAD_MS)  # its entry, folded: made on opening
    expect(console.locator("[data-vt-highlights='3']").first).to_be_visible(timeout=WAIT_MS)

    notes_key = store.new_notes_key(session.id)
    writer = contexts(PHONE).new_page()
    writer.goto(server.url("osallistu.ipynb", session=session.code, view="notes", key=notes_key),
                wait_until="commit", timeout=LOAD_MS)
    box = writer.get_by_label(TR("pf_notes_label", block="Puinti pienryhmissä"))
    expect(box).to_be_visible(timeout=LOAD_MS)
    box.fill("Sovittiin yhteisestä tilannehuoneesta & <b>vastuista</b>")
    writer.get_by_role("button", name=TR("pf_notes_save"), exact=True).click()
    expect(writer.get_by_text("Tallennettu klo")).to_be_visible(timeout=WAIT_MS)
    block_key = store.agenda_blocks(session.id)[0].key
    assert store.notes(session.id)[block_key].body == "Sovittiin yhteisestä tilannehuoneesta & <b>vastuista</b>"
    # the facilitator's console follows the note-taker, and shows the notes on the room's screen
    expect(console.get_by_text("Sovittiin yhteisestä tilannehuoneesta & <b>vastuista</b>").first).to_be_visible(timeout=WAIT_MS)
    console.get_by_label(TR("pm_notes_on_screen"), exact=True).check()
    screen = contexts(SCREEN).new_page()
    screen.goto(server.url("puimala.ipynb", session=session.code, role="screen"), wait_until="commit", timeout=LOAD_MS)
    expect(screen.get_by_text("Sovittiin yhteisestä tilannehuoneesta & <b>vastuista</b>").first).to_be_visible(timeout=LOAD_MS)
    shot(screen, "puimala-screen-notes", full_page=False)
    shot(console, "puimala-console")
    writer.context.close()
    screen.context.close()
    console.context.close()
    store.set_activity_state(session.id, FORUM_WALL, is_open=False, is_revealed=True)

    # --- jälkipuinti: notes published; two outsiders comment through the public link
    store.publish_notes(session.id)
    token = store.feedback_link_token(session.id)
    store.set_puimala(session.id, feedback_opens=datetime.now(timezone.utc) - timedelta(minutes=1),
                      feedback_closes=datetime.now(timezone.utc) + timedelta(hours=1))
    outsiders = [contexts(PHONE).new_page() for _ in range(2)]
    for n, page in enumerate(outsiders):
        page.goto(server.url("osallistu.ipynb", view="feedback", token=token), wait_until="commit", timeout=LOAD_MS)
        expect(page.get_by_text("Sovittiin yhteisestä tilannehuoneesta").first).to_be_visible(timeout=LOAD_MS)
        page.get_by_label(TR("pf_feedback_label"), exact=True).fill(f"Palaute {n}: hyvä puimala, jatketaan!")
        page.get_by_role("button", name=TR("pf_feedback_send"), exact=True).click()
        expect(page.get_by_text(TR("pf_feedback_thanks"))).to_be_visible(timeout=WAIT_MS)
    assert sorted(f.body for f in store.feedback(session.id)) == [f"Palaute {n}: hyvä puimala, jatketaan!" for n in range(2)]
    assert not store.participants(session.id) or all(p.nickname is None for p in store.participants(session.id))
    shot(outsiders[0], "puimala-feedback-open")

    # the period ends a few seconds from now: the open page says so and takes no more comments
    ends = datetime.now(timezone.utc) + timedelta(seconds=4)
    store.set_puimala(session.id, feedback_closes=ends)
    time.sleep(max(0.0, (ends - datetime.now(timezone.utc)).total_seconds()) + 0.5)
    page = outsiders[1]
    field = page.get_by_label(TR("pf_feedback_label"), exact=True)
    if field.is_visible():  # the page had not yet looked at the clock: a late comment is refused
        field.fill("Myöhästynyt palaute")
        page.get_by_role("button", name=TR("pf_feedback_send"), exact=True).click()
    expect(page.get_by_text("Palauteaika").first).to_be_visible(timeout=WAIT_MS)
    expect(page.get_by_label(TR("pf_feedback_label"), exact=True)).to_be_hidden(timeout=WAIT_MS)
    assert len(store.feedback(session.id)) == 2
    shot(page, "puimala-feedback-closed")

"""Rounds in a real browser: a phone rates the wall's steps, the facilitator promotes one on the
04 console, and the next round — made with `vertaiset session new --follows CODE` — starts from it
on its phase 1 console and as a row of its phase 2 agreement board. Screenshots go to
``VERTAISET_SHOTS`` when it is set.
"""
from __future__ import annotations

import json

import pytest

from conftest import BROWSER_MARKS, LOAD_MS, PHONE, WAIT_MS, vertaiset_cli
from test_browser import shot, wait_joined

from playwright.sync_api import Page, expect  # noqa: E402

from vertaiset_widgets.content import load_content  # noqa: E402
from vertaiset_widgets.i18n import Translator  # noqa: E402
from vertaiset_widgets.kinds.highlights.wall import post_highlight  # noqa: E402
from vertaiset_widgets.kinds.step_vote.steps import load_votes  # noqa: E402

pytestmark = [*BROWSER_MARKS, pytest.mark.slow, pytest.mark.timeout(900)]

CONTENT = load_content()
TR = Translator.create(CONTENT, "fi")
VOTE, WALL, START, BOARD = "askelten_arviointi", "unelmaverkosto", "kierroksen_alku", "toimintatavat"
STEPS = ("Yhteinen tilannehuone kerran kuussa", "Nimetään verkostolle koordinaattori")
CONSOLE = {"width": 1366, "height": 900}


def _unfold(page: Page, activity_id: str) -> None:
    fold = page.locator(f"#activity-{activity_id} .vt-fold-button").first
    fold.wait_for(timeout=LOAD_MS)
    if fold.get_attribute("aria-expanded") == "false":
        fold.click()


def test_a_promoted_step_starts_the_next_round(server, vt_store, contexts):
    """A phone rates two steps (agree, disagree); the facilitator promotes the first on the 04
    console; the session made with `vertaiset session new --follows` shows it on its phase 1
    console (what we set out to do) and as a row of its phase 2 board."""
    first, key = vt_store.create_session("Kierros 1", network="Kierrosverkosto")
    author = vt_store.join(first.id, "token-rounds-author", nickname="Aino", group="Kunta")
    vt_store.set_activity_state(first.id, WALL, is_open=True)
    items = [post_highlight(vt_store, author, WALL, text, tag="askel", submission_id=f"rounds-{n}")
             for n, text in enumerate(STEPS)]
    vt_store.set_activity_state(first.id, WALL, is_open=False, is_revealed=True)
    vt_store.set_activity_state(first.id, VOTE, is_open=True)

    phone = contexts(PHONE).new_page()
    console = contexts(CONSOLE).new_page()
    phone.goto(server.url("osallistu.ipynb", session=first.code), wait_until="commit", timeout=LOAD_MS)
    console.goto(server.url("04_arviointi.ipynb", session=first.code, key=key), wait_until="commit", timeout=LOAD_MS)
    wait_joined(phone)

    # the phone: agree on the first step, disagree on the second, one press sends both
    card = phone.locator(".vt-slot", has=phone.locator(f"[data-vt-now-title='{VOTE}']"))
    card.get_by_role("group", name=STEPS[0], exact=True).get_by_label(TR("sv_agree"), exact=True).check()
    card.get_by_role("group", name=STEPS[1], exact=True).get_by_label(TR("sv_disagree"), exact=True).check()
    card.get_by_role("button", name=TR("sv_submit"), exact=True).click()
    expect(card.get_by_role("status").filter(has_text="Arviosi tallennettu")).to_be_visible(timeout=WAIT_MS)
    votes = {v.item: v.choice for v in load_votes(vt_store, first.id, CONTENT.activity(VOTE))}
    assert votes == {items[0]: "agree", items[1]: "disagree"}
    shot(phone, "rounds-phone")

    # the 04 console: the votes counted, and the first step promoted with its own button
    _unfold(console, VOTE)
    row = console.locator(".vt-sv-tool-row", has_text=STEPS[0])
    expect(console.locator(".vt-sv-counts").first).to_contain_text(
        "Samaa mieltä 1", timeout=WAIT_MS)
    row.get_by_role("button", name=TR("sv_promote"), exact=True).click()
    expect(row.get_by_role("button", name=TR("sv_withdraw"), exact=True)).to_be_visible(timeout=WAIT_MS)
    assert [s.text for s in vt_store.promoted_steps(first.id)] == [STEPS[0]]
    shot(console, "rounds-04-console")

    # the next round, made as a facilitator would
    made = json.loads(vertaiset_cli("session", "new", "--title", "Kierros 2", "--follows", first.code, "--json",
                                    env_db=server.db_url).stdout)
    assert made["network"] == "Kierrosverkosto"
    phase1 = contexts(CONSOLE).new_page()
    phase2 = contexts(CONSOLE).new_page()
    phase1.goto(server.url("01_tilannekuva.ipynb", session=made["code"], key=made["facilitator_key"]),
                wait_until="commit", timeout=LOAD_MS)
    phase2.goto(server.url("02_tavoitteet.ipynb", session=made["code"], key=made["facilitator_key"]),
                wait_until="commit", timeout=LOAD_MS)

    _unfold(phase1, START)
    start = phase1.locator(".vt-rs-steps")
    expect(start).to_contain_text(STEPS[0], timeout=WAIT_MS)
    expect(start).not_to_contain_text(STEPS[1])
    expect(phase1.locator(".vt-rs-round")).to_contain_text("2. kierros")
    shot(phase1, "rounds-01-console")

    _unfold(phase2, BOARD)
    n = len(CONTENT.activity(BOARD).questions) + 1
    expect(phase2.get_by_role("heading", name=f"{n}. {STEPS[0]}", exact=True)).to_be_visible(timeout=WAIT_MS)
    expect(phase2.locator("table.vt-board")).to_contain_text(STEPS[0])
    shot(phase2, "rounds-02-console")

"""Askelten arviointi and the next round: phones rate the wall's steps agree / disagree / pass
through the comm path (the latest vote counts); the majority, uncertain and consensus lists; the
facilitator promotes a step on the console; a session that follows the round starts from it
(its phase 1 round start, its phase 2 board's rows, and phase 3's progress reading them)."""
from __future__ import annotations

import html
import json
import random
from datetime import date
from typing import Any, Iterator

import pytest
from conftest import browser_sends
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vertaiset_widgets.config import PageParams
from vertaiset_widgets.content import load_content, templates_dir
from vertaiset_widgets.export import export_session
from vertaiset_widgets.forms import ChoiceForm
from vertaiset_widgets.i18n import Translator
from vertaiset_widgets.kinds.agreement_board.board import read_board
from vertaiset_widgets.kinds.agreement_board.results import BoardResults
from vertaiset_widgets.kinds.highlights.wall import post_highlight
from vertaiset_widgets.kinds.progress.progress import find_source
from vertaiset_widgets.kinds.round_start.results import RoundStartResults
from vertaiset_widgets.kinds.step_vote.demo import seed_demo_round
from vertaiset_widgets.kinds.step_vote.results import StepVoteResults
from vertaiset_widgets.kinds.step_vote.steps import (
    Step, Vote, consensus, load_steps, load_votes, majority, save_votes, tally, uncertain,
)
from vertaiset_widgets.participant import ParticipantPage
from vertaiset_widgets.store import AnswerInput, SessionStore
from vertaiset_widgets.workbook import Workbook

VOTE, WALL, START, BOARD, PROGRESS = "askelten_arviointi", "unelmaverkosto", "kierroksen_alku", "toimintatavat", "yhdessa_eteneminen"
MARKUP = "<b>Tilannehuone</b> kerran kuussa"
STEPS = (MARKUP, "Nimetään koordinaattori", "Yhteinen vuosikello")


@pytest.fixture(scope="module")
def content() -> Any:
    return load_content(templates_dir())


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Iterator[SessionStore]:
    s = SessionStore(f"sqlite:///{tmp_path_factory.mktemp('sv-db') / 'store.sqlite'}")
    yield s
    s.close()


def _room(store: SessionStore, title: str = "Unelmaverkosto", *, follows: str | None = None, network: str = "Askelverkosto",
          people: int = 2) -> tuple[Any, str, list[str], list[Any]]:
    """A session whose wall has the steps (and a dream, and a hidden step that are no steps), the vote open."""
    session, key = store.create_session(title, network=None if follows else network, follows=follows,
                                        held_on=date(2026, 2, 1) if not follows else date(2026, 9, 1))
    folks = [store.join(session.id, f"tok-{session.code}-{n}", nickname=f"P{n}", group=("Kunta", "Järjestö")[n % 2])
             for n in range(people)]
    store.set_activity_state(session.id, WALL, is_open=True)
    items = [post_highlight(store, folks[0], WALL, text, tag="askel", submission_id=f"s{n}") for n, text in enumerate(STEPS)]
    post_highlight(store, folks[0], WALL, "Luottamus kantaa", tag="unelma", submission_id="dream")
    hidden = post_highlight(store, folks[0], WALL, "Piilotettu askel", tag="askel", submission_id="hidden")
    store.moderate(session.id, WALL, hidden, "hide")
    store.set_activity_state(session.id, VOTE, is_open=True)
    return store.get_session(session.code), key, items, folks


def _phone(store: SessionStore, content: Any, code: str, token: str) -> ParticipantPage:
    page = ParticipantPage(PageParams(session=code), content=content, store=store)
    page.join_as(token)
    return page


def _walk(widgets: list[Any]) -> Iterator[Any]:
    for w in widgets:
        yield w
        yield from _walk(list(getattr(w, "children", ())))


def _form(page: ParticipantPage) -> ChoiceForm:
    page.refresh()
    return next(w for w in _walk(page.shown(VOTE)) if isinstance(w, ChoiceForm))


def _blocks(store: SessionStore, content: Any, session: Any, role: str, lang: str = "fi") -> str:
    results = StepVoteResults.load(store, session, content.activity(VOTE), Translator.create(content, lang))
    return "".join(body for _name, body in results.blocks(role))


def test_a_phone_rates_each_step_once_and_its_latest_vote_counts(store, content):
    """The phone's form holds the wall's visible steps (not its dreams or hidden ones), one radio
    group each; a vote sent through the comm path is stored, a changed one replaces it, and the
    step's words stay text on the console, the screen and the report."""
    session, _key, items, _folks = _room(store)
    page = _phone(store, content, session.code, "token-sv-phone")
    form = _form(page)
    assert [layer["label"] for layer in form.layers] == list(STEPS)
    assert [o["id"] for o in form.options] == ["agree", "disagree", "pass"]
    browser_sends(form, {"type": "submit", "sid": "sv-vote-0001", "value": {f"{items[0]}|agree": 1, f"{items[1]}|pass": 1}})
    assert form.status_kind == "ok", form.status
    browser_sends(form, {"type": "submit", "sid": "sv-vote-0002", "value": {f"{items[0]}|disagree": 1}})
    assert form.status_kind == "ok", form.status
    mine = {v.item: v.choice for v in load_votes(store, session.id, content.activity(VOTE))}
    assert mine == {items[0]: "disagree", items[1]: "pass"}
    assert _form(_phone(store, content, session.code, "token-sv-phone")).value == {f"{items[0]}|disagree": 1, f"{items[1]}|pass": 1}
    for role in ("facilitator", "screen", "report"):
        drawn = _blocks(store, content, session, role)
        assert html.escape(MARKUP) in drawn and MARKUP not in drawn
        assert "Piilotettu askel" not in drawn and "Luottamus kantaa" not in drawn
    assert "Samaa mieltä 0 · Eri mieltä 1 · Ohitti 0" in _blocks(store, content, session, "screen")


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2), st.sampled_from(["agree", "disagree", "pass"])),
                min_size=1, max_size=8))
def test_the_tally_counts_each_phone_s_latest_vote_per_step(store, content, sequence):
    """Whatever order three phones vote and change their votes in (the real submit path), each step's
    agree, disagree and pass are the latest vote of each phone that rated it."""
    session, _key, items, folks = _room(store, people=3)
    activity = content.activity(VOTE)
    latest: dict[tuple[int, int], str] = {}
    for n, (who, step, choice) in enumerate(sequence):
        save_votes(store, folks[who], activity, {items[step]: choice}, steps=items, submission_id=f"h-{n}")
        latest[(who, step)] = choice
    tallies = tally(load_steps(store, session.id, activity), load_votes(store, session.id, activity))
    for t, item in zip(tallies, items):
        chosen = [c for (_who, step), c in latest.items() if items[step] == item]
        assert (t.agree, t.disagree, t.passed) == tuple(chosen.count(c) for c in ("agree", "disagree", "pass"))


def test_the_majority_the_uncertain_and_the_consensus_across_sectors():
    """Majority: at least 60 % one way (agree or disagree, said which); uncertain: more than 30 %
    passed; consensus: supported by more than half of every group, scored by the product over
    groups of (agree + 1) / (votes + 2), highest first."""
    a, b, c, d, e = (Step(i, i.upper()) for i in "abcde")
    votes = [
        Vote(1, "a", "agree", "Kunta"), Vote(2, "a", "agree", "Kunta"), Vote(3, "a", "agree", "Järjestö"),
        Vote(1, "b", "disagree", "Kunta"), Vote(2, "b", "disagree", "Kunta"), Vote(3, "b", "agree", "Järjestö"),
        Vote(1, "c", "pass", "Kunta"), Vote(2, "c", "agree", "Kunta"), Vote(3, "c", "agree", "Järjestö"),
        Vote(1, "d", "agree", "Kunta"), Vote(2, "d", "agree", "Kunta"), Vote(3, "d", "pass", "Järjestö"),
        Vote(4, "d", "agree", ""),  # no group: counted in the lists, in no sector
        Vote(1, "e", "agree", "Kunta"), Vote(2, "e", "agree", "Kunta"), Vote(4, "e", "pass", "Kunta"),
        Vote(3, "e", "agree", "Järjestö"),
    ]
    tallies = tally([a, b, c, d, e], votes)
    assert [(t.step.item, way, round(share, 2)) for t, way, share in majority(tallies, 0.6)] == [
        ("a", "agree", 1.0), ("d", "agree", 0.75), ("e", "agree", 0.75), ("b", "disagree", 0.67), ("c", "agree", 0.67)]
    assert [(t.step.item, round(share, 2)) for t, share in uncertain(tallies, 0.3)] == [("c", 0.33)]
    scored = consensus([a, b, c, d, e], votes)
    # b: Kunta disagrees; c: half of Kunta passed; d: Järjestö passed
    assert [s.step.item for s in scored] == ["a", "e"]
    assert scored[0].score == pytest.approx((3 / 4) * (2 / 3))
    assert scored[1].score == pytest.approx((3 / 5) * (2 / 3))
    assert consensus([a], [Vote(1, "a", "agree", "")]) == []


def test_the_facilitator_promotes_a_step_and_can_withdraw_it(store, content, tmp_path):
    """A promote button on the 04 console (the comm path) stores the step for the next round; it is
    marked on the console, the screen and the report, and exported; withdrawn, it is carried no more."""
    session, key, items, folks = _room(store, "Promootio")
    wb = Workbook(PageParams(session=session.code, role="facilitator", key=key), content=content, store=store,
                  notebook="04_arviointi.ipynb")
    console = wb.activity(VOTE)
    button = console.tools.buttons[items[1]]
    assert button.description == "Nosta seuraavalle kierrokselle"
    browser_sends(button, {"event": "click"})
    assert [(s.item, s.text) for s in store.promoted_steps(session.id)] == [(items[1], STEPS[1])]
    assert console.tools.buttons[items[1]].description == "Peru nosto"
    for role in ("facilitator", "screen", "report"):
        drawn = _blocks(store, content, session, role)
        assert drawn.count("data-vt-promoted='true'") == 1, role
    assert "Seuraavalle kierrokselle nostetut askeleet" in _blocks(store, content, session, "report")
    doc = json.loads(export_session(store, session.code, "json", tmp_path / "export.json").read_text(encoding="utf-8"))
    assert doc["session"]["tables"]["step_vote"][VOTE][0]["text"] == STEPS[1]
    browser_sends(console.tools.buttons[items[1]], {"event": "click"})
    assert store.promoted_steps(session.id) == []
    assert "data-vt-promoted" not in _blocks(store, content, session, "screen")


def test_the_next_round_starts_from_the_promoted_steps(store, content):
    """A session that follows a round shows, on its round start, the round's number, the previous
    round's code, its promoted steps and its 360 "now" mean; its board gets the steps as rows after
    the template's questions, saved like the others, and phase 3's progress reads them; the first
    round says it is the first."""
    first, _key, _items, folks = _room(store, "Syksy", network="Kierrosverkosto", people=4)
    assert seed_demo_round(store, first, content, random.Random(3)) == 2
    promoted = [s.text for s in store.promoted_steps(first.id)]
    for n, person in enumerate(folks):
        store.submit(person, "arviointi_360", [AnswerInput("johtaminen", "nyt", value_num=float(n)),
                                               AnswerInput("johtaminen", "ennen", value_num=5.0)],
                     submission_id=f"360-{n}", require_open=False)
    second, key, _items, _folks = _room(store, "Kevät", follows=first.code)
    tr = Translator.create(content, "fi")
    start = RoundStartResults.load(store, second, content.activity(START), tr).blocks("facilitator")[0][1]
    assert "data-vt-round-number='2'" in start and first.code in start and "Mitä päätimme tehdä" in start
    assert all(html.escape(text) in start for text in promoted)
    assert "keskiarvo 1.5 (4 vastaajaa)" in start  # nyt: 0, 1, 2, 3; ennen left out
    assert "ensimmäinen kierros" in RoundStartResults.load(store, first, content.activity(START), tr).blocks("screen")[0][1]
    phone = _phone(store, content, second.code, "token-round-phone")
    store.set_activity_state(second.id, START, is_open=True)
    phone.refresh()
    shown = "".join(w.value for w in _walk(phone.shown(START)) if isinstance(getattr(w, "value", None), str))
    assert "Mitä päätimme tehdä" in shown and all(html.escape(text) in shown for text in promoted)

    wb = Workbook(PageParams(session=second.code, role="facilitator", key=key), content=content, store=store,
                  notebook="02_tavoitteet.ipynb")
    board = wb.activity(BOARD)
    questions = content.activity(BOARD).questions
    carried = list(board.tools.board_forms)[len(questions):]
    assert len(carried) == 2 and all(item.startswith("carried_") for item in carried)
    form = board.tools.board_forms[carried[0]]
    assert form.texts["title"] == f"{len(questions) + 1}. {promoted[0]}"
    browser_sends(form, {"type": "submit", "sid": "board-carried-1",
                         "value": {"answer": "Kokeillaan keväällä", "status": "sovittu", "owner": "Aino", "mode": ""}})
    assert read_board(store, second.id, BOARD)[carried[0]]["answer"] == "Kokeillaan keväällä"
    table = dict(BoardResults.load(store, second, content.activity(BOARD), tr).blocks("report"))["table"]
    assert html.escape(promoted[0]) in table and "edellisen kierroksen askel" in table
    source = find_source(store, second, content.activity(PROGRESS), content)
    assert [(r.item, r.answer) for r in source.rows] == [(carried[0], "Kokeillaan keväällä")]


def test_the_consensus_counts_the_sectors_of_the_check_in(store, content):
    """The sectors of the consensus are those the phones gave in the check-in (the activity's
    `breakdown`), not their groups: a step all sectors support is listed with their labels."""
    from vertaiset_widgets.store import AnswerInput

    session, _key, items, folks = _room(store, "Sektorit", people=3)
    for n, (person, sector) in enumerate(zip(folks, ("julkinen", "kolmas_sektori", "julkinen"))):
        store.submit(person, "kuulumiset", [AnswerInput("sektori", "", value_text=sector)],
                     submission_id=f"checkin-{n}", require_open=False)
        save_votes(store, person, content.activity(VOTE), {items[0]: "agree", items[1]: "agree" if n else "disagree"},
                   steps=items, submission_id=f"sector-vote-{n}")
    report = _blocks(store, content, session, "report")
    consensus = report[report.index("Yhteinen kanta yli sektorien"):]
    assert "Julkinen sektori" in consensus and "Kolmas sektori" in consensus and "Kunta" not in consensus
    listed = consensus[:consensus.index("Sektoreita: 2")]
    assert html.escape(STEPS[0]) in listed and "Julkinen sektori 2/2 · Kolmas sektori 1/1" in listed
    assert html.escape(STEPS[1]) not in listed  # one of the public sector's two phones disagreed

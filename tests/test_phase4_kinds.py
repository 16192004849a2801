"""The phase 4 exercises: vertaisoppiminen 360:ssä (peer_360), kiinnostava vai hyvä käytäntö
(profile_reading), käytännön kypsyys (maturity_ladder) and pirstaloitumisen riskit
(fragmentation_risks). Answers go through the phone's comm path on a real SQLite store; the
results' blocks are drawn in-process."""
from __future__ import annotations

import random
import uuid
from typing import Any, Iterator

import pytest
from conftest import browser_sends, submittable_forms
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vertaiset_widgets.config import PageParams
from vertaiset_widgets.content import load_content, templates_dir
from vertaiset_widgets.i18n import Translator
from vertaiset_widgets.kinds.fragmentation_risks.demo import seed_demo_round as seed_risks
from vertaiset_widgets.kinds.fragmentation_risks.ratings import load_ratings as load_risks
from vertaiset_widgets.kinds.fragmentation_risks.results import FragmentationRisksResults
from vertaiset_widgets.kinds.maturity_ladder.demo import DEMO_PRACTICES
from vertaiset_widgets.kinds.maturity_ladder.demo import seed_demo_round as seed_ladder
from vertaiset_widgets.kinds.maturity_ladder.placements import load_practices, practice_id
from vertaiset_widgets.kinds.maturity_ladder.results import MaturityLadderResults
from vertaiset_widgets.kinds.peer_360.demo import seed_demo_round as seed_peers
from vertaiset_widgets.kinds.peer_360.pairs import load_ratings as load_peers
from vertaiset_widgets.kinds.peer_360.results import Peer360Results
from vertaiset_widgets.kinds.profile_reading.demo import seed_demo_round as seed_reading
from vertaiset_widgets.kinds.profile_reading.reading import Profile, balance, shape_profile
from vertaiset_widgets.kinds.profile_reading.results import ProfileReadingResults
from vertaiset_widgets.participant import ParticipantPage
from vertaiset_widgets.store import AnswerInput, SessionStore

P360, PR, ML, FR = "vertaisoppiminen_360", "kiinnostava_vai_hyva", "kaytannon_kypsyys", "pirstaloitumisen_riskit"


@pytest.fixture(scope="module")
def content() -> Any:
    return load_content(templates_dir())


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Iterator[SessionStore]:
    s = SessionStore(f"sqlite:///{tmp_path_factory.mktemp('phase4-db') / 'store.sqlite'}")
    yield s
    s.close()


def _session(store: SessionStore, *activities: str, network: str = "Neljäs vaihe") -> Any:
    session, _key = store.create_session("Arviointi", network=network)
    for activity in activities:
        store.set_activity_state(session.id, activity, is_open=True)
    return store.get_session(session.code)


def _form(store: SessionStore, content, code: str, activity: str, token: str | None = None) -> Any:
    page = ParticipantPage(PageParams(session=code), content=content, store=store)
    page.join_as(token or f"token-{uuid.uuid4().hex[:12]}")
    page.refresh()
    return submittable_forms(page.shown(activity))[0]


def _send(form: Any, value: dict) -> None:
    browser_sends(form, {"type": "submit", "value": value, "sid": uuid.uuid4().hex})


def _tr(content, lang: str = "fi") -> Translator:
    return Translator.create(content, lang)


def test_every_exercise_rates_the_360_s_own_eight_dimensions(content):
    """The pairs, the profile reading and the risks' ring reuse arviointi_360's dimensions, ids and labels."""
    dims = [(i.id, i.label, i.short) for i in content.activity("arviointi_360").items]
    assert len(dims) == 8
    for items in (content.activity(P360).items, content.activity(PR).items, content.activity(FR).actors):
        assert [(i.id, i.label, i.short) for i in items] == dims
    assert [r.label["fi"] for r in content.activity(FR).risks] == [
        "Epätasapaino", "Amnesia", "Haihtuminen", "Eristyminen", "Unohdus", "Hajoaminen", "Puuttuvat linkit"]


# ---------------------------------------------------------------------- vertaisoppiminen 360:ssä
def _rating(act: Any, pair: str, role: str, points: int, fit: str = "") -> dict[str, str]:
    value = {"pair": pair, "role": role, **{f"p_{i.id}": str(points) for i in act.items}}
    return {**value, **{f"f_{i.id}": fit for i in act.items}}


def test_a_and_b_of_a_pair_show_side_by_side_with_b_s_fit(store, content):
    """A rates 4s, B 2s with a fit; A's fit marks are dropped; a B who turns A leaves no fit behind;
    the results draw two radars, the fit per dimension and the pair."""
    act = content.activity(P360)
    tr = _tr(content)
    session = _session(store, P360)
    a, b, c = (_form(store, content, session.code, P360) for _ in range(3))
    _send(a, _rating(act, "Ohjaamo – Etsivä", "a", 4, fit="sopii"))
    _send(b, _rating(act, " ohjaamo –  etsivä", "b", 2, fit="sopii_muokattuna"))
    _send(c, _rating(act, "Ohjaamo – Etsivä", "b", 1, fit="ei_sovi"))
    _send(c, _rating(act, "Ohjaamo – Etsivä", "a", 4))
    assert (a.status_kind, b.status_kind, c.status_kind) == ("ok", "ok", "ok"), (a.status, b.status, c.status)
    ratings = load_peers(store, session.id, act)
    assert sorted((r.role, bool(r.fit)) for r in ratings) == [("a", False), ("a", False), ("b", True)]
    results = Peer360Results.load(store, session, act, tr)
    assert results.means["a"]["johtaminen"] == (4.0, 2) and results.means["b"]["johtaminen"] == (2.0, 1)
    assert results.fits["johtaminen"] == {"sopii": 0, "sopii_muokattuna": 1, "ei_sovi": 0}
    assert results.pairs == ["Ohjaamo – Etsivä"]
    blocks = dict(results.blocks("facilitator"))
    assert blocks["radars"].count("<img") == 2 and "<img" in blocks["fit"]
    assert tr.label(act.roles[0], short=True) in blocks["radars"] and "-2.0" in blocks["table"]
    assert [name for name, _ in results.blocks("screen")] == ["radar_a", "radar_b", "fit"]


def test_a_rating_without_a_pair_or_role_is_refused_in_the_page_s_words(store, content):
    """No pair, no role and nothing rated are refused with the ui strings; nothing is stored."""
    act = content.activity(P360)
    tr = _tr(content)
    session = _session(store, P360)
    form = _form(store, content, session.code, P360)
    for value, code in ((_rating(act, "  ", "a", 3), "empty"), (_rating(act, "Pari", "", 3), "role"),
                        ({"pair": "Pari", "role": "b"}, "nothing")):
        _send(form, value)
        assert (form.status_kind, form.status) == ("error", tr(f"p360_error_{code}"))
    assert store.answers(session.id, P360) == []


# ---------------------------------------------------------------------- kiinnostava vai hyvä käytäntö
def test_balance_is_one_minus_the_coefficient_of_variation():
    """An even profile is 1, the formula holds, an all-zero profile is 0 and nothing is None."""
    assert balance([3, 3, 3]) == 1.0
    assert balance([1, 3]) == pytest.approx(1 - 1 / 2)
    assert balance([0, 0, 0]) == 0.0 and balance([0, 0, 5]) == 0.0 and balance([]) is None


def test_the_reference_shapes_read_as_themselves(content):
    """The narrow shape is nearest the interesting practice, the wide one the good practice."""
    act = content.activity(PR)
    for shape in act.shapes:
        assert shape_profile(shape).nearest(act) == shape
    narrow, wide = (shape_profile(s) for s in act.shapes)
    assert narrow.balance < 0.5 < wide.balance
    assert [k for k, _ in narrow.gaps(act)][0] == "poliittinen_paatoksenteko"


def test_the_room_s_live_360_is_read_with_its_gaps_and_groups(store, content):
    """The room's 360 "nyt" answers in the session are read: the balance, the nearer shape, the gaps below
    the threshold lowest first, each group's profile; the screen shows the overlay and the reading."""
    act = content.activity(PR)
    tr = _tr(content)
    session = _session(store, "arviointi_360", PR)
    dims = [i.id for i in act.items]
    for n, group in enumerate(("Järjestöt", "Järjestöt", "Kunta")):
        person = store.join(session.id, f"token-pr-{n}-{uuid.uuid4().hex[:6]}", group=group)
        points = {d: 4.0 for d in dims} | {"poliittinen_paatoksenteko": 1.0, "johtaminen": 2.0 + n}
        store.submit(person, "arviointi_360", [AnswerInput(d, "nyt", value_num=v) for d, v in points.items()]
                     + [AnswerInput(d, "ennen", value_num=0.0) for d in dims], submission_id=uuid.uuid4().hex)
    results = ProfileReadingResults.load(store, session, act, tr)
    assert results.room.respondents == 3 and results.room.values["johtaminen"] == 3.0
    assert [k for k, _ in results.room.gaps(act)] == ["poliittinen_paatoksenteko"]
    assert [g.name for g in results.groups] == ["Järjestöt", "Kunta"]
    assert results.room.nearest(act).id == "hyva"
    blocks = dict(results.blocks("facilitator"))
    assert f"data-vt-balance='{results.room.balance:.2f}'" in blocks["reading"]
    assert tr("pr_formula", gap="2.5") in blocks["formula"].replace("&#x27;", "'")
    assert [name for name, _ in results.blocks("screen")] == ["overlay", "reading"]


# ---------------------------------------------------------------------- käytännön kypsyys
def test_a_practice_s_move_since_the_previous_round_is_marked(store, content):
    """Three rounds of one network seeded with step_shift -2, -1, 0: the third round's ladder marks each
    practice up, down, the same or new against the second, and the first round calls every one new."""
    act = content.activity(ML)
    tr = _tr(content)
    rounds = [_session(store, network="Kypsyys") for _ in range(3)]
    for n, session in enumerate(rounds):
        seed_ladder(store, session, content, random.Random(n), step_shift=n - 2)
    results = MaturityLadderResults.load(store, rounds[-1], act, tr)
    moves = {p.name: results.moves()[p.id] for p in results.practices}
    assert moves == {"Ohjaamon yhteinen tilannehuone": "up", "Vuosikello kaikkien nähtäväksi": "up",
                     "Nuorten oma 360-ilta": "up", "Yhteinen asiakastietojärjestelmä": "down",
                     "Etsivän nuorisotyön jalkautuminen kouluihin": "same", "Vertaismentorointi järjestöjen kanssa": "new"}
    assert len(results.practices) == len(DEMO_PRACTICES) and "data-vt-up='3'" in results.counts_html()
    blocks = dict(results.blocks("report"))
    assert "<img" in blocks["ladder"] and "Pieni oppimiskehä" in blocks["circles"]
    first = MaturityLadderResults.load(store, rounds[0], act, tr)
    assert set(first.moves().values()) == {"new"} and tr("ml_first_round") in first.marks_html()


def test_placing_a_practice_again_under_another_spelling_moves_it(store, content):
    """A places a practice on step 1; B types the same name in other case and spacing on step 3: one
    practice, on step 3, placed by two, as B wrote it; an unknown step is refused."""
    act = content.activity(ML)
    tr = _tr(content)
    session = _session(store, ML)
    a, b = (_form(store, content, session.code, ML) for _ in range(2))
    _send(a, {"name": "Nuorten 360-ilta", "step": "kiinnostava", "evidence": "Kokeiltu kerran"})
    _send(b, {"name": " nuorten  360-ILTA", "step": "hyva", "evidence": "Kolme kuntaa käyttää"})
    assert (a.status_kind, b.status_kind) == ("ok", "ok"), (a.status, b.status)
    [practice] = load_practices(store, session.id, act)
    assert (practice.id, practice.name, practice.step, practice.evidence, practice.placements) == (
        practice_id("Nuorten 360-ilta"), "nuorten 360-ILTA", "hyva", "Kolme kuntaa käyttää", 2)
    _send(a, {"name": "Toinen", "step": "ylin"})
    assert (a.status_kind, a.status) == ("error", tr("ml_error_step"))


# ---------------------------------------------------------------------- pirstaloitumisen riskit
@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(points=st.lists(st.sampled_from(["", "0", "3", "5"]), min_size=3, max_size=3),
       marks=st.lists(st.booleans(), min_size=8, max_size=8))
def test_one_risk_rated_through_the_phone_lands_in_both_heatmaps(store, content, points, marks):
    """Whatever a phone sends for one risk (points or none per time, relationships threatened or not)
    lands in the risk × time and risk × relationship frames, or is refused when it says nothing."""
    act = content.activity(FR)
    session = _session(store, FR)
    form = _form(store, content, session.code, FR)
    value = {"risk": "amnesia", **{f"t_{layer.id}": p for layer, p in zip(act.layers, points)},
             **{f"a_{actor.id}": "1" if m else "0" for actor, m in zip(act.actors, marks)}}
    _send(form, value)
    if not any(points) and not any(marks):
        assert (form.status_kind, form.status) == ("error", _tr(content)("fr_error_nothing"))
        return
    assert form.status_kind == "ok", form.status
    results = FragmentationRisksResults.load(store, session, act, _tr(content))
    times = results.time_frame().set_index(["row", "column"])["text"]
    for layer, p in zip(act.layers, points):
        assert times[("Amnesia", layer.label["fi"])] == (f"{int(p)}.0" if p else "–")
    threat = results.actor_frame().set_index(["row", "column"])["text"]
    for actor, m in zip(act.actors, marks):
        assert threat[(actor.short["fi"], "Amnesia")] == ("1/1" if m else "0/1")


def test_rating_a_risk_again_replaces_it_and_the_views_draw(store, content):
    """A second rating of the same risk replaces the first; the summary names the strongest risk now;
    the facilitator has both heatmaps and the tables, the screen both heatmaps."""
    act = content.activity(FR)
    tr = _tr(content)
    session = _session(store, FR)
    form = _form(store, content, session.code, FR)
    _send(form, {"risk": "unohdus", "t_jatkuvuus": "1", "t_nyt": "1", "t_kestavyys": "1", "a_johtaminen": "1"})
    _send(form, {"risk": "unohdus", "t_nyt": "5", "a_tuloksellisuus": "1"})
    [rating] = load_risks(store, session.id, act)
    assert (rating.times, rating.actors) == ({"nyt": 5.0}, frozenset({"tuloksellisuus"}))
    results = FragmentationRisksResults.load(store, session, act, tr)
    blocks = dict(results.blocks("facilitator"))
    assert "Unohdus 5.0" in blocks["summary"] and blocks["time"].startswith("<img") and blocks["actors"].startswith("<img")
    assert [name for name, _ in results.blocks("screen")] == ["time", "actors"]


# ---------------------------------------------------------------------- the demo
def test_the_demo_round_fills_every_exercise(store, content):
    """seed_demo_round fills each activity of a fresh session (the profile reading's 360 too) and reveals it."""
    session = _session(store, network="Demo")
    for n, seed in enumerate((seed_peers, seed_reading, seed_risks)):
        seed(store, session, content, random.Random(n))
    states = store.activity_states(session.id)
    assert all(states[a].is_revealed for a in (P360, PR, FR))
    assert len({r.pair for r in load_peers(store, session.id, content.activity(P360))}) == 3
    assert len(load_risks(store, session.id, content.activity(FR))) >= 12 * 3
    room = ProfileReadingResults.load(store, session, content.activity(PR), _tr(content)).room
    assert isinstance(room, Profile) and room.respondents == 10 and len(room.values) == 8


# ---------------------------------------------------------------------- layout
def test_summaries_are_label_value_rows_and_the_wide_tables_fit(store, content):
    """The reading and the risks' summary are label–value rows (one <div> per pair in the <dl>, which
    wraps the value under its label on a narrow page); the threatened relationships' table has the
    relationships (short names) down the side and the risks across; the profiles' table heads the
    balance with its one word; the kinds' stylesheets keep the sentences' columns wrapping."""
    from vertaiset_widgets import kinds

    session = _session(store, network="Layout")
    for n, seed in enumerate((seed_reading, seed_risks)):
        seed(store, session, content, random.Random(n))
    for lang in ("fi", "sv", "en"):
        tr = _tr(content, lang)
        pr = ProfileReadingResults.load(store, session, content.activity(PR), tr)
        for role in ("facilitator", "screen", "report"):
            reading = dict(pr.blocks(role))["reading"]
            assert reading.count("<div class='vt-pr-pair'><dt>") == 3 and reading.count("</dd></div>") == 3
        table = dict(pr.blocks("facilitator"))["table"]
        assert f"<th scope=\"col\">{tr('pr_balance_head')}</th>" in table or f">{tr('pr_balance_head')}</th>" in table
        act = content.activity(FR)
        fr = FragmentationRisksResults.load(store, session, act, tr)
        blocks = dict(fr.blocks("facilitator"))
        assert blocks["summary"].count("<div class='vt-fr-pair'><dt>") == 2
        actors = blocks["tables"].split("vt-fr-actor-table", 1)[1]
        assert tr("fr_relationship") in actors and actors.count("<tr") == len(act.actors) + 1
        for actor in act.actors:
            assert f">{tr.label(actor, short=True)}<" in actors
    css = kinds.stylesheet()
    assert ".vt-pr-reading > .vt-pr-pair" in css and "flex-wrap: wrap" in css and ".vt-fr-summary > .vt-fr-pair" in css
    assert "#rendered_cells .vt-ml-table td { white-space: normal; }" in css
    assert "grid-template-columns: max-content 1fr" not in css.split("vt-pr-reading", 1)[1].split("vt-pr-formula", 1)[0]

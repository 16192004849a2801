"""Vahvat ja heikot toimintatavat (practice_profile) and moniaikaisuus (multi_time), the phase 3
workbook's activities: marking and updating a partnership, the "combines both" mark, adding and
placing a decision, the matrix's counts, and bad input refused in the page's words; all through
the phone's comm path on a real SQLite store."""
from __future__ import annotations

import html
import json
import uuid
from typing import Any, Iterator

import pytest
from conftest import browser_sends, submittable_forms
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vertaiset_widgets.config import PageParams
from vertaiset_widgets.content import load_content, templates_dir
from vertaiset_widgets.export import export_session
from vertaiset_widgets.i18n import Translator
from vertaiset_widgets.kinds.multi_time.placements import load as load_placements
from vertaiset_widgets.kinds.multi_time.results import MultiTimeResults
from vertaiset_widgets.kinds.practice_profile import demo as pp_demo
from vertaiset_widgets.kinds.practice_profile.profiles import load_profiles
from vertaiset_widgets.kinds.practice_profile.results import PracticeProfileResults
from vertaiset_widgets.participant import ParticipantPage
from vertaiset_widgets.store import SessionStore

PP, MT = "vahvat_heikot", "moniaikaisuus"


@pytest.fixture(scope="module")
def content() -> Any:
    return load_content(templates_dir())


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Iterator[SessionStore]:
    s = SessionStore(f"sqlite:///{tmp_path_factory.mktemp('phase3-db') / 'store.sqlite'}")
    yield s
    s.close()


def _session(store: SessionStore, *activities: str) -> Any:
    session, _key = store.create_session("Koordinointi", network="Kolmas vaihe")
    for activity in activities:
        store.set_activity_state(session.id, activity, is_open=True)
    return store.get_session(session.code)


def _phone(store: SessionStore, content, code: str, token: str) -> ParticipantPage:
    page = ParticipantPage(PageParams(session=code), content=content, store=store)
    page.join_as(token)
    return page


def _forms(page: ParticipantPage, activity: str) -> list[Any]:
    page.refresh()
    return submittable_forms(page.shown(activity))


def _tr(content, lang: str = "fi") -> Translator:
    return Translator.create(content, lang)


def _send(form: Any, value: dict, sid: str | None = None) -> None:
    browser_sends(form, {"type": "submit", "value": value, "sid": sid or uuid.uuid4().hex})


def _marking(activity: Any, name: str, have: set[str]) -> dict[str, str]:
    return {"name": name, **{p.id: "1" if p.id in have else "0" for p in (*activity.weak, *activity.strong)}}


# ---------------------------------------------------------------------- vahvat ja heikot toimintatavat
def test_the_template_carries_the_source_s_practices_word_for_word(content):
    """Five weak and seven strong practices, in the source's words and order."""
    act = content.activity(PP)
    assert [p.label["fi"] for p in act.weak] == [
        "joustavat ja vaihtuvat roolit", "ad hoc -yhteydenpito", "vapaamuotoiset, vapaaehtoiset ja avoimet tapaamiset",
        "viestintätavat vaihtelevat tarpeen mukaan", "yhteyttä otetaan tarpeen mukaan, jos ja kun muistetaan"]
    assert [p.label["fi"] for p in act.strong] == [
        "selkeästi sovitut roolit (koordinointi, fasilitointi, viestintä)", "yhteinen tilannehuone tai säännölliset foorumit",
        "vakiintunut tapa mitata vaikuttavuutta ja tehokkuutta", "vakiintuneet viestintätavat", "yhteiset tietojärjestelmät",
        "sopimuksellisuus", "yhteyttä otetaan sovitusti, muistaminen on varmistettu"]


def test_a_partnership_is_one_profile_that_anyone_updates_and_the_latest_marking_counts(store, content):
    """A marks a partnership (sent twice: stored once); B marks the same name in other case and spacing:
    one profile, B's marks; A marking it again makes A's count."""
    act = content.activity(PP)
    session = _session(store, PP)
    a = _forms(_phone(store, content, session.code, "token-pp-a"), PP)[0]
    b = _forms(_phone(store, content, session.code, "token-pp-b"), PP)[0]
    assert all(f["label"].strip() for f in a.fields), "every control has a label"
    for _ in range(2):
        _send(a, _marking(act, "Ohjaamo – TE-toimisto", {"ad_hoc", "sovitut_roolit"}), "pp-retry-000001")
        assert a.status_kind == "ok", a.status
    assert len(store.answers(session.id, PP, latest=False)) == 1 + 12
    _send(b, _marking(act, "  ohjaamo –   te-TOIMISTO ", {"joustavat_roolit", "tilannehuone", "sopimuksellisuus"}))
    [profile] = load_profiles(store, session.id, act)
    assert (profile.weak, profile.strong, profile.markings) == (("joustavat_roolit",), ("tilannehuone", "sopimuksellisuus"), 2)
    _send(a, _marking(act, "Ohjaamo – TE-toimisto", {"ad_hoc"}))
    [profile] = load_profiles(store, session.id, act)
    assert (profile.name, profile.weak, profile.strong) == ("Ohjaamo – TE-toimisto", ("ad_hoc",), ())


def test_opening_a_partnership_puts_its_current_profile_into_the_form(store, content):
    """The update form lists the marked partnerships; opening one fills the marking form with its marks."""
    act = content.activity(PP)
    session = _session(store, PP)
    _send(_forms(_phone(store, content, session.code, "token-pp-open-a"), PP)[0], _marking(act, "Kunta – järjestöt", {"ad_hoc", "sopimuksellisuus"}))
    main, opener = _forms(_phone(store, content, session.code, "token-pp-open-b"), PP)
    [option] = opener.fields[0]["options"]
    assert option["label"] == "Kunta – järjestöt"
    _send(opener, {"item": option["value"]})
    assert opener.status_kind == "ok", opener.status
    assert main.value == _marking(act, "Kunta – järjestöt", {"ad_hoc", "sopimuksellisuus"})


def test_the_partnerships_that_combine_both_are_marked_beside_the_source_s_point(store, content):
    """Two weak and two strong practices combine both (both_min 2); only strong does not; every view says so."""
    act = content.activity(PP)
    tr = _tr(content)
    session = _session(store, PP)
    form = _forms(_phone(store, content, session.code, "token-pp-both"), PP)[0]
    _send(form, _marking(act, "Kehittämispöytä", {"ad_hoc", "jos_muistetaan", "sovitut_roolit", "tietojarjestelmat"}))
    _send(form, _marking(act, "Sopimuskumppani", {"sovitut_roolit", "sopimuksellisuus", "tilannehuone"}))
    results = PracticeProfileResults.load(store, session, act, tr)
    assert [p.name for p in results.combining] == ["Kehittämispöytä"]
    assert results.frame_for_chart().values.tolist() == [
        ["Kehittämispöytä", tr("pp_weak"), 2, 5], ["Kehittämispöytä", tr("pp_strong"), 2, 7],
        ["Sopimuskumppani", tr("pp_weak"), 0, 5], ["Sopimuskumppani", tr("pp_strong"), 3, 7]]
    blocks = dict(results.blocks("facilitator"))
    assert "data-vt-both='1'" in results.counts_html() and tr("pp_point_title") in blocks["point"]
    assert "counts" not in blocks  # the page draws the counts line above the blocks, once
    rows = blocks["table"].split("<tr>")[2:]
    assert [tr("pp_both_short") in r for r in rows] == [True, False]
    screen = dict(results.blocks("screen"))
    assert "<img" in screen["profiles"] and "alt=" in screen["profiles"] and "point" in screen


def test_a_partnership_without_a_name_or_with_a_bad_mark_is_refused_in_the_page_s_words(store, content):
    """No name, an invisible name and a mark other than yes/no are refused with the ui string; nothing is stored."""
    act = content.activity(PP)
    tr = _tr(content)
    session = _session(store, PP)
    form = _forms(_phone(store, content, session.code, "token-pp-bad"), PP)[0]
    for value, code in ((_marking(act, "   ", set()), "empty"), (_marking(act, "\u200b\u200d", set()), "invisible"),
                        ({**_marking(act, "Kumppanuus", set()), "ad_hoc": "2"}, "invalid")):
        _send(form, value)
        assert (form.status_kind, form.status) == ("error", tr(f"pp_error_{code}"))
    assert store.answers(session.id, PP) == []


# ---------------------------------------------------------------------- moniaikaisuus
def _placing(**placed: tuple[str, str]) -> dict[str, str]:
    value: dict[str, str] = {}
    for decision, (clock, impact) in placed.items():
        value[f"clock|{decision}"], value[f"impact|{decision}"] = clock, impact
    return value


def test_the_template_carries_the_source_s_seven_clocks(content):
    """The clocks are Arnkil's seven, word for word."""
    assert [c.label["fi"] for c in content.activity(MT).clocks] == [
        "Kansalaisen aika", "Kumppanin aika", "Kilpailijan aika", "Hankkeen aika", "Johtajan aika", "Poliitikon aika",
        "Internetin reaaliaika, ”pika-aika”"]


def test_a_decision_added_and_placed_through_the_comm_path_is_placed_by_others_too(store, content):
    """A adds a decision and places it in one submit; B's form gets the decision's two lists; B typing
    it in other case adds no second one; re-placing replaces."""
    act = content.activity(MT)
    session = _session(store, MT)
    a = _forms(_phone(store, content, session.code, "token-mt-a"), MT)[0]
    _send(a, {"new": "Kesätyöpaikkojen jako", **_placing(new=("poliitikko", "kuukaudet"))})
    assert a.status_kind == "ok", a.status
    decisions, placements = load_placements(store, session.id, act)
    added = decisions[-1]
    assert [d.id for d in decisions[:-1]] == [d.id for d in act.decisions] and added.text == "Kesätyöpaikkojen jako"
    assert [(p.decision, p.clock, p.impact) for p in placements] == [(added.id, "poliitikko", "kuukaudet")]
    assert f"clock|{added.id}" in [f["name"] for f in a.fields] and a.value == _placing(**{added.id: ("poliitikko", "kuukaudet")})
    b = _forms(_phone(store, content, session.code, "token-mt-b"), MT)[0]
    assert any("Kesätyöpaikkojen jako" in f["label"] for f in b.fields)
    _send(b, {"new": " KESÄTYÖPAIKKOJEN  jako", **_placing(new=("kansalainen", "viikot"))})
    _send(a, _placing(**{added.id: ("hanke", "vuosi")}))
    decisions, placements = load_placements(store, session.id, act)
    assert len(decisions) == len(act.decisions) + 1
    assert sorted((p.clock, p.impact) for p in placements) == [("hanke", "vuosi"), ("kansalainen", "viikot")]


def test_the_matrix_counts_each_decision_s_clocks_and_times_of_impact(store, content):
    """Three people place the budget decision: the matrix counts per clock, the most common time of
    impact is outlined, and the table gives it with the spread."""
    act = content.activity(MT)
    tr = _tr(content)
    session = _session(store, MT)
    for n, (clock, impact) in enumerate((("poliitikko", "vuosi"), ("poliitikko", "vuodet"), ("johtaja", "vuosi"))):
        form = _forms(_phone(store, content, session.code, f"token-mt-count-{n}"), MT)[0]
        _send(form, _placing(budjetti=(clock, impact)))
        assert form.status_kind == "ok", form.status
    results = MultiTimeResults.load(store, session, act, tr)
    clocks = results.matrix_frame("clock").set_index("column")
    assert clocks["count"].to_dict() == {tr.label(c): {"poliitikko": 2, "johtaja": 1}.get(c.id, 0) for c in act.clocks}
    impacts = results.matrix_frame("impact").set_index("column")
    assert impacts.loc[impacts["mode"]].index.tolist() == [tr.label(i) for i in act.impacts if i.id == "vuosi"]
    blocks = dict(results.blocks("report"))
    budget = next(r for r in blocks["table"].split("<tr>") if "Verkoston yhteisen budjetin jakaminen" in r)
    assert "Poliitikon aika" in budget and "vuodessa 2 · vuosissa 1" in budget and "data-vt-placements='3'" in results.counts_html()
    screen = dict(results.blocks("screen"))
    assert "<img" in screen["matrix"] and "alt=" in screen["matrix"]


@pytest.mark.parametrize(("value", "code"), [
    (_placing(budjetti=("poliitikko", "")), "half"),
    ({}, "nothing"),
    (_placing(budjetti=("keisari", "vuosi")), "invalid"),
    (_placing(new=("poliitikko", "vuosi")), "no_text"),
    ({"new": "\u2800", **_placing(new=("poliitikko", "vuosi"))}, "invisible"),
])
def test_bad_placements_are_refused_in_the_page_s_words(store, content, value, code):
    """Half a placement, nothing, an unknown clock, a placed decision without words: the ui string, nothing stored."""
    session = _session(store, MT)
    form = _forms(_phone(store, content, session.code, f"token-mt-bad-{code}"), MT)[0]
    _send(form, value)
    assert (form.status_kind, form.status) == ("error", _tr(content)(f"mt_error_{code}"))
    assert store.answers(session.id, MT) == []


# ---------------------------------------------------------------------- any Unicode, both kinds
_HYP: dict[str, Any] = {}


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(min_size=1, max_size=90))
def test_any_unicode_partnership_and_decision_goes_through_submit_to_the_views_and_exports(store, content, tmp_path, name):
    """Any Unicode as a partnership's and a decision's name is stored (or refused with a ui string), and
    reaches the results' tables escaped and the session's JSON and CSV exports as stored."""
    if "session" not in _HYP:  # one session for every example: a long list is also a case
        _HYP["session"] = session = _session(store, PP, MT)
        page = _phone(store, content, session.code, "token-phase3-hyp")
        _HYP["forms"] = (_forms(page, PP)[0], _forms(page, MT)[0])
    session, (pp_form, mt_form) = _HYP["session"], _HYP["forms"]
    tr = _tr(content)
    _send(pp_form, pp_demo.answer(pp_form, text=name)["value"])
    _send(mt_form, {"new": name, "clock|new": "internet", "impact|new": "viikot"})
    for form, prefix in ((pp_form, "pp_error_"), (mt_form, "mt_error_")):
        if form.status_kind != "ok":
            assert form.status in {tr(k) for k in tr.content.strings if k.startswith(prefix)}, form.status
    pp = PracticeProfileResults.load(store, session, content.activity(PP), tr)
    mt = MultiTimeResults.load(store, session, content.activity(MT), tr)
    names = [p.name for p in pp.profiles] + [d.text for d in mt.decisions if d.text is not None]
    if form.status_kind == "ok" or pp_form.status_kind == "ok":
        assert names
    shown = dict(pp.blocks("report")).get("table", "") + dict(mt.blocks("report")).get("table", "")
    for text in names:
        assert html.escape(text) in shown
    doc = json.loads(export_session(store, session.code, "json", tmp_path / "s.json").read_text(encoding="utf-8"))
    assert set(names) <= {r["text"] for r in doc["answers"]}
    export_session(store, session.code, "csv", tmp_path / "s.csv")

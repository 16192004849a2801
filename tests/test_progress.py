"""Yhdessä eteneminen (progress together): the phase 2 board's rows carried over (from the same
session, else from the network's previous one), status updates from phones through the comm
path, what is stuck first on the console, the plain word when there is nothing to follow, and any
note as text in every view and export."""
from __future__ import annotations

import html
import json
import uuid
from datetime import date
from typing import Any, Iterator

import pytest
from conftest import browser_sends
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vertaiset_widgets.config import PageParams
from vertaiset_widgets.content import load_content, templates_dir
from vertaiset_widgets.export import export_session
from vertaiset_widgets.forms import FieldsForm
from vertaiset_widgets.i18n import Translator
from vertaiset_widgets.kinds.agreement_board.board import save as save_board
from vertaiset_widgets.kinds.progress import demo
from vertaiset_widgets.kinds.progress.progress import load_updates, owned_by
from vertaiset_widgets.kinds.progress.results import ProgressResults
from vertaiset_widgets.participant import ParticipantPage
from vertaiset_widgets.store import AnswerInput, SessionStore

ACTIVITY = "yhdessa_eteneminen"
BOARD = "toimintatavat"
#: a small phase 2 board: question -> (answer, board status, owner, decision mode)
ROWS = {
    "k01": ("Koordinaattori kutsuu koolle", "sovittu", "Aino Virtanen", "ohjatusti"),
    "k03": ("Tilannehuone kuukausittain", "sovittu", "Eero", "ohjatusti"),
    "k05": ("Yhteinen työtila ja kuukausikirje", "osittain", "Helmi ja Aino", "ohjatusti"),
    "k09": ("Kaksi tuntia kuussa", "sovittu", "Kaikki", "itseohjautuvasti"),
}


@pytest.fixture(scope="module")
def content() -> Any:
    return load_content(templates_dir())


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Iterator[SessionStore]:
    s = SessionStore(f"sqlite:///{tmp_path_factory.mktemp('pg-db') / 'store.sqlite'}")
    yield s
    s.close()


@pytest.fixture(scope="module")
def activity(content):
    return content.activity(ACTIVITY)


def _session(store: SessionStore, title: str, network: str, held_on: date = date(2026, 3, 1), rows: dict | None = None) -> Any:
    session, _key = store.create_session(title, network=network, held_on=held_on)
    for item, (answer, status, owner, mode) in (rows or {}).items():
        save_board(store, session.id, load_content(templates_dir()).activity(BOARD), item,
                   {"answer": answer, "status": status, "owner": owner, "mode": mode})
    store.set_activity_state(session.id, ACTIVITY, is_open=True)
    return store.get_session(session.code)


def _phone(store: SessionStore, content, code: str, token: str, *, checkin: str | None = None, nickname: str | None = None) -> ParticipantPage:
    if checkin:  # the check-in comes first in the day (phase 1)
        person = store.join(store.get_session(code).id, token)
        store.submit(person, "kuulumiset", [AnswerInput("nimi", "", value_text=checkin)],
                     submission_id=f"checkin-{token}", require_open=False)
    page = ParticipantPage(PageParams(session=code), content=content, store=store)
    page.join_as(token)
    if nickname:
        browser_sends(page.profile_form, {"type": "submit", "value": {"nickname": nickname, "group": ""}})
    return page


def _walk(widgets: list[Any]) -> list[Any]:
    out: list[Any] = []
    for w in widgets:
        out.append(w)
        out.extend(_walk(list(getattr(w, "children", ()))))
    return out


def _shown(page: ParticipantPage) -> list[Any]:
    page.refresh()
    return _walk(page.shown(ACTIVITY))


def _forms(page: ParticipantPage) -> list[FieldsForm]:
    return [w for w in _shown(page) if isinstance(w, FieldsForm)]


def _html(page: ParticipantPage) -> str:
    return "".join(w.value for w in _shown(page) if isinstance(getattr(w, "value", None), str))


def _send(form: FieldsForm, sid: str, status: str, note: str = "") -> None:
    browser_sends(form, {"type": "submit", "value": {"status": status, "note": note}, "sid": sid})


def _tr(content, lang: str = "fi") -> Translator:
    return Translator.create(content, lang)


def _blocks(store, content, activity, session, role: str, lang: str = "fi") -> dict[str, str]:
    return dict(ProgressResults.load(store, session, activity, _tr(content, lang)).blocks(role))


# ---------------------------------------------------------------------- where the rows come from
def test_the_same_session_s_board_is_carried_over_and_the_owner_s_rows_come_first(store, content, activity):
    """The phone lists this session's board rows, one form each; those whose owner matches the
    check-in name come first, marked as theirs; the console says the rows are this session's."""
    session = _session(store, "Kevään tapaaminen", "Verkosto A", rows=ROWS)
    page = _phone(store, content, session.code, "token-pg-aino", checkin="Aino", nickname="Ainoliini")
    forms = _forms(page)
    assert len(forms) == len(ROWS)
    titles = [f.texts["title"] for f in forms]
    assert titles[0].startswith("1. ") and titles[1].startswith("5. "), "k01 and k05 name Aino: they come first"
    assert [("vt-pg-mine" in f._dom_classes) for f in forms] == [True, True, False, False]
    assert _tr(content)("pg_yours") in forms[0].texts["help"] and "Koordinaattori kutsuu koolle" in forms[0].texts["help"]
    assert all(f["label"].strip() for form in forms for f in form.fields), "every control has a label"
    assert _tr(content)("pg_mine_title", name="Aino") in _html(page)
    source = _blocks(store, content, activity, session, "facilitator")["source"]
    assert "Kevään tapaaminen" in source and session.code in source and "1.3.2026" in source


def test_without_rows_of_its_own_a_session_follows_the_network_s_previous_session(store, content, activity):
    """A session with an empty board follows the latest earlier session of its network that has
    board rows: not an older one, not a later one, not another network's."""
    _session(store, "Syksyn tapaaminen", "Verkosto B", date(2025, 10, 1), rows={"k14": ("Vanha", "sovittu", "X", "")})
    previous = _session(store, "Talven tapaaminen", "Verkosto B", date(2026, 1, 10), rows=ROWS)
    _session(store, "Ilman taulua", "Verkosto B", date(2026, 2, 1))
    now = _session(store, "Kevään tapaaminen", "Verkosto B", date(2026, 3, 1))
    _session(store, "Kesän tapaaminen", "Verkosto B", date(2026, 6, 1), rows={"k15": ("Myöhempi", "sovittu", "Y", "")})
    _session(store, "Toinen verkosto", "Verkosto C", date(2026, 2, 20), rows={"k13": ("Vieras", "sovittu", "Z", "")})
    forms = _forms(_phone(store, content, now.code, "token-pg-prev"))
    assert sorted(f.texts["title"].split(".")[0] for f in forms) == ["1", "3", "5", "9"]
    blocks = _blocks(store, content, activity, now, "facilitator")
    assert "Talven tapaaminen" in blocks["source"] and previous.code in blocks["source"] and "10.1.2026" in blocks["source"]
    assert _tr(content)("pg_source_earlier", title="", code="", date="", n=4, board="x").split("(")[0] in blocks["source"]
    assert not any(word in blocks["list"] for word in ("Vanha", "Myöhempi", "Vieras"))


# ---------------------------------------------------------------------- updates from phones
def test_a_status_update_from_a_phone_lands_once_and_a_refresh_keeps_it(store, content, activity):
    """Sent twice with one submission id, an update is stored once; a new page shows it; a later
    update by someone else is the one that counts, with who and when kept."""
    session = _session(store, "Päivitys", "Verkosto D", rows=ROWS)
    page = _phone(store, content, session.code, "token-pg-eero", checkin="Eero")
    form = _forms(page)[0]
    assert form.texts["title"].startswith("3. ") and form.value == {"status": "ei_aloitettu", "note": ""}
    for _ in range(2):
        _send(form, "pg-retry-00000001", "jumissa", "Tilaa ei löydy")
        assert form.status_kind == "ok", form.status
    rows = store.answers(session.id, ACTIVITY, latest=False)
    assert sorted((a.item, a.layer, a.value_text) for a in rows) == [("k03", "note", "Tilaa ei löydy"), ("k03", "status", "jumissa")]
    again = _forms(_phone(store, content, session.code, "token-pg-eero", checkin="Eero"))[0]
    assert again.value == {"status": "jumissa", "note": "Tilaa ei löydy"}
    other = _phone(store, content, session.code, "token-pg-other", nickname="Helmi")
    k03 = next(f for f in _forms(other) if f.texts["title"].startswith("3. "))
    _send(k03, "pg-other-0000001", "kaynnissa", "ei tallennu muulla kuin jumissa")
    update = load_updates(store, session.id, activity)["k03"]
    assert (update.status, update.note, update.nickname) == ("kaynnissa", "", "Helmi") and update.at is not None
    _send(k03, "pg-other-0000002", "outo")
    assert k03.status_kind == "error" and k03.status == _tr(content)("pg_error_status")


def test_the_console_lists_what_is_stuck_first_and_the_screen_names_no_one(store, content, activity):
    """Stuck, in progress, not started, done: the console's list in that order with the counts; the
    screen shows the same without the owners' or the updaters' names."""
    session = _session(store, "Järjestys", "Verkosto E", rows=ROWS)
    forms = {f.texts["title"].split(".")[0]: f for f in _forms(_phone(store, content, session.code, "token-pg-order", nickname="Sami"))}
    _send(forms["1"], "pg-order-0000001", "valmis")
    _send(forms["9"], "pg-order-0000002", "jumissa", "Esihenkilöt eivät ole sopineet työajasta")
    _send(forms["5"], "pg-order-0000003", "kaynnissa")
    blocks = _blocks(store, content, activity, session, "facilitator")
    table = blocks["list"]
    order = [table.index(q) for q in ("Kaksi tuntia kuussa", "Yhteinen työtila", "Tilannehuone kuukausittain", "Koordinaattori kutsuu")]
    assert order == sorted(order)
    assert "Esihenkilöt eivät ole sopineet työajasta" in table and "Sami" in table and "Aino Virtanen" in table
    assert "data-vt-done='1'" in blocks["progress"] and "data-vt-stuck='1'" in blocks["progress"]
    screen = _blocks(store, content, activity, session, "screen", "sv")
    assert "Esihenkilöt" in screen["list"] and "Fastnat" in screen["list"]
    assert not any(name in "".join(screen.values()) for name in ("Sami", "Aino Virtanen", "Eero"))
    report = _blocks(store, content, activity, session, "report", "en")
    assert "Stuck" in report["list"] and "Aino Virtanen" in report["list"] and "Sami" not in report["list"]


def test_with_no_board_rows_anywhere_the_phone_and_console_say_so(store, content, activity):
    """No rows in this session or the network's earlier ones: a plain sentence, no form, no table."""
    session = _session(store, "Tyhjä", "Verkosto F")
    page = _phone(store, content, session.code, "token-pg-empty")
    assert _forms(page) == []
    said = _tr(content)("pg_no_board")
    assert html.escape(said) in _html(page)
    blocks = _blocks(store, content, activity, session, "facilitator", "fi")
    assert list(blocks) == ["empty"] and html.escape(said) in blocks["empty"] and "<table" not in blocks["empty"]


def test_owner_names_match_as_whole_words():
    """A name owns a row when it is one of the owners (split at commas and "ja"), word by word."""
    assert owned_by("Aino Virtanen", "aino") and owned_by("Helmi ja Aino", "Aino") and owned_by("Eero, Aino", "Aino Virtanen")
    assert not owned_by("Ainoa", "Aino") and not owned_by("Kaikki", "Aino") and not owned_by("Aino", "")


def test_the_demo_seeds_one_stuck_agreement_with_a_note(store, content, activity):
    """seed_progress updates the demo board's rows: one stuck with its note, two done."""
    from vertaiset_widgets.demo_phases import _BOARD

    session = _session(store, "Demo", "Verkosto G", rows={k: v for k, v in _BOARD.items()})
    people = [store.join(session.id, f"token-pg-demo-{n}", nickname=f"P{n}") for n in range(3)]
    assert demo.seed_progress(store, people, activity) == 2 * len(demo.DEMO_UPDATES)
    assert demo.seed_progress(store, people, activity) == 0
    updates = load_updates(store, session.id, activity)
    assert [k for k, u in updates.items() if u.status == "jumissa"] == ["k07"] and updates["k07"].note
    assert sum(u.status == "valmis" for u in updates.values()) == 2


# ---------------------------------------------------------------------- any note is text everywhere
_HYP: dict[str, Any] = {}


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(note=st.text(min_size=1, max_size=120))
def test_any_unicode_note_goes_through_submit_to_every_view_and_export_as_text(store, content, activity, tmp_path, note):
    """A stuck note of any Unicode sent from a phone is stored (cleaned, or left out when nothing
    of it shows) and reaches the console, the screen, the report and the JSON export as text."""
    if "page" not in _HYP:
        _HYP["session"] = _session(store, "Hypoteesi", "Verkosto H", rows=ROWS)
        _HYP["page"] = _phone(store, content, _HYP["session"].code, "token-pg-hyp")
    session, form = _HYP["session"], _forms(_HYP["page"])[0]
    _send(form, uuid.uuid4().hex, "jumissa", note)
    assert form.status_kind == "ok", form.status
    stored = load_updates(store, session.id, activity)[form_item(form)].note
    for role in ("facilitator", "screen", "report"):
        drawn = "".join(_blocks(store, content, activity, session, role).values())
        assert html.escape(stored) in drawn
    path = export_session(store, session.code, "json", tmp_path / f"{uuid.uuid4().hex}.json")
    doc = json.loads(path.read_text(encoding="utf-8"))
    rows = doc["session"]["tables"]["progress"][ACTIVITY]
    assert next(r for r in rows if r["question"] == form_item(form))["note"] == stored
    if stored:
        assert any(a["text"] == stored and a["layer"] == "note" for a in doc["answers"] if a["counts"])


def form_item(form: FieldsForm) -> str:
    """The board question a row's form updates (its number, as on the board: ``3. …`` is k03)."""
    return f"k{int(form.texts['title'].split('.')[0]):02d}"

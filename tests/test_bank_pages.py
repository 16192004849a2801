"""The practice bank's pages: the console (search, filters, compare, screen, edits), the room's
screen, the phones' read-only bank, feeding the bank from a session, and the notebook in each role."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import papermill
import pytest
from conftest import browser_sends

from vertaiset_widgets.bank_feed import BankAction, bank_action
from vertaiset_widgets.bank_page import BankConsole, BankScreen
from vertaiset_widgets.bank_phone import BankPhonePage
from vertaiset_widgets.config import PageParams
from vertaiset_widgets.content import load_content
from vertaiset_widgets.demo import seed_demo
from vertaiset_widgets.forms import FieldsForm
from vertaiset_widgets.store import AnswerInput, SessionStore
from vertaiset_widgets.workbook import Workbook

WORKBOOKS = Path(__file__).resolve().parent.parent / "workbooks"
WIDGET = "application/vnd.jupyter.widget-view+json"
MARKUP = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def bank(tmp_path_factory):
    """The demo (its session, the 360 answered, its dozen practices) in a SQLite file: (url, store, content, key)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('bank') / 'bank.sqlite'}"
    store, content = SessionStore(url), load_content()
    _session, key = seed_demo(store, content)
    yield url, store, content, key
    store.close()


def _wb(bank, role="facilitator", key=None, lang="fi"):
    url, store, content, demo_key = bank
    params = PageParams(session="DEMO", role=role, key=demo_key if key is None else key, lang=lang, db_url=url)
    return Workbook(params, content=content, store=store, notebook="kaytantopankki.ipynb")


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


def _buttons(widget) -> list[str]:
    """The labels of the buttons shown (those inside a hidden box are not)."""
    if widget.layout.display == "none":
        return []
    own = [widget.description] if type(widget).__name__ == "Button" else []
    return own + [d for child in getattr(widget, "children", ()) for d in _buttons(child)]


def _forms(widget) -> list:
    """The forms that send anything to the store (the labelled native forms)."""
    return [w for w in _walk(widget) if isinstance(w, FieldsForm)]


def _submit(form, value):
    browser_sends(form, {"type": "submit", "sid": "test-submission-0001", "value": value})


# --------------------------------------------------------------------------- console
def test_search_and_filters_narrow_the_list(bank):
    """Words, then a maturity step, then a network narrow the listed practices."""
    console = BankConsole(_wb(bank))
    everything = len(console.results)
    assert everything >= 12
    console.query.value = "tilannehuoneeseen"  # an inflected form of a word in a practice's text
    found = [p.name for p in console.results]
    assert 0 < len(found) < everything and any("tilannehuone" in n for n in found)
    console.query.value = ""
    console.maturity.value = "kestava"
    assert console.results and {p.maturity for p in console.results} == {"kestava"}
    assert len(console.list_box.children) == len(console.results)
    network = console.network.options[1][1]
    console.network.value = network
    assert {p.network for p in console.results} <= {network}
    assert f"data-vt-found='{len(console.results)}'" in console.count.value


def test_compare_draws_two_and_three_radars(bank):
    """Two or three chosen practices are drawn as radars side by side; one is refused with a message."""
    console = BankConsole(_wb(bank))
    uids = [p.uid for p in console.results if p.profile][:3]
    for n in (2, 3):
        console.compare_pick.value = tuple(uids[:n])
        console.compare_button.click()
        assert console.compare_out.value.count("<figure") == n
        assert console.compare_out.value.count("src='data:image/svg+xml;base64,") == n
    console.compare_pick.value = tuple(uids[:1])
    console.compare_button.click()
    assert "role='alert'" in console.compare_out.value


def test_a_practice_shows_its_history_and_a_past_version(bank):
    """An opened practice shows its fields, the maturity's moves and versions; a past version can be read."""
    url, store, _content, _key = bank
    practice = next(p for p in store.practices() if len(store.practice_versions(p.uid)) > 1)
    console = BankConsole(_wb(bank))
    console.open_practice(practice.uid)
    assert "Kypsyyden muutokset" in console.detail.value and "Versiohistoria" in console.detail.value
    assert "src='data:image/svg+xml;base64," in console.detail.value  # the radar
    console.version_pick.value = 1
    assert "Aiempi versio 1" in console.version_out.value


def test_put_on_screen_then_the_screen_shows_it(bank):
    """The console's button puts the practice on the room's screen, which follows; taken off, the join card."""
    console = BankConsole(_wb(bank))
    practice = console.results[0]
    screen = BankScreen(_wb(bank, role="screen", key=""))
    console.open_practice(practice.uid)
    console.screen_on.click()
    screen.refresh()
    assert screen.shown == practice.uid
    assert f"data-vt-practice='{practice.uid}'" in screen.body.value and screen._card.layout.display == "none"
    console.screen_off.click()
    screen.refresh()
    assert screen.shown is None and screen._card.layout.display is None
    screen.close()


def test_an_edit_makes_a_new_version(bank):
    """The maturity form sends a new version with its evidence and author; the move is in the history."""
    url, store, _content, _key = bank
    practice = store.save_practice({"name": "Muokattava käytäntö", "maturity": "kiinnostava"})
    console = BankConsole(_wb(bank), practice=practice.uid)
    _submit(console.editor.maturity_form, {"maturity": "lupaava", "maturity_evidence": "Kokeiltu kahdesti",
                                           "changed_by": "Aino", "note": "pieni oppimiskehä"})
    assert console.editor.maturity_form.status_kind == "ok"
    now = store.practice(practice.uid)
    assert (now.version, now.maturity, now.changed_by, now.note) == (2, "lupaava", "Aino", "pieni oppimiskehä")
    assert [m[1:] for m in store.maturity_moves(practice.uid)][-1] == ("kiinnostava", "lupaava", "Aino")
    _submit(console.editor.story_form, {"title": "Tarina", "text": MARKUP, "changed_by": "Aino"})
    assert store.practice(practice.uid).fields["stories"] == [{"title": "Tarina", "text": MARKUP}]
    assert MARKUP not in console.detail.value and "&lt;img src=x" in console.detail.value


def test_bad_input_is_said_on_the_form(bank):
    """A link that is no web address is refused on its form, naming the field; nothing is saved."""
    url, store, _content, _key = bank
    practice = store.save_practice({"name": "Linkitettävä", "maturity": "hyva"})
    console = BankConsole(_wb(bank), practice=practice.uid)
    _submit(console.editor.link_form, {"title": "x", "url": "javascript:alert(1)", "kind": "bank", "changed_by": ""})
    assert console.editor.link_form.status_kind == "error" and "Osoite" in console.editor.link_form.status
    _submit(console.editor.new_form, {"name": " ", "maturity": "kiinnostava"})
    assert console.editor.new_form.status_kind == "error" and "Nimi" in console.editor.new_form.status
    assert store.practice(practice.uid).version == 1


def test_without_the_key_the_console_is_read_only(bank):
    """A wrong key gives the bank to read: no forms, no screen buttons, and says why."""
    console = BankConsole(_wb(bank, key="wrong-key-123"))
    console.open_practice(console.results[0].uid)
    assert console.editor is None and _forms(console) == []
    assert "Näytä valkokankaalla" not in _buttons(console)


# --------------------------------------------------------------------------- phone
def test_the_phone_shows_a_practice_and_nothing_else(bank):
    """The phone lists and opens a practice with its profile as text; it has no forms or facilitator
    buttons, and a session's answers never appear on it."""
    url, store, content, _key = bank
    session = store.get_session("DEMO")
    person = store.join(session.id, "bank-phone-token-01")
    store.set_activity_state(session.id, "levittaminen", is_open=True)
    store.submit(person, "levittaminen", [AnswerInput("post", "text", value_text="SALAINEN-VASTAUS")], submission_id="bank-phone-01")
    page = BankPhonePage(PageParams(view="bank", lang="sv", db_url=url), content=content, store=store)
    practice = next(p for p in page.results if p.profile)
    page.open_practice(practice.uid)
    shown = page.summary()["text"]
    assert practice.name in shown and "vt-bk-bars" in page.detail.value and "360-graders profil" in shown
    assert _forms(page) == []
    assert set(_buttons(page)) == {"Tillbaka till listan"}
    page.open_practice(None)
    assert set(_buttons(page)) == {"Sök"} | {p.name for p in page.results}
    everything = "".join(str(getattr(w, "value", "")) for w in _walk(page))
    assert "SALAINEN-VASTAUS" not in everything


def test_the_phone_page_loads_neither_pandas_nor_altair(bank):
    """The phones' bank, listed and opened, imports no pandas or altair (a participant's kernel stays light)."""
    url = bank[0]
    code = (f"import sys\nfrom vertaiset_widgets.config import PageParams\nfrom vertaiset_widgets.bank_phone import BankPhonePage\n"
            f"page = BankPhonePage(PageParams(view='bank', db_url={url!r}))\npage.open_practice(page.results[0].uid)\n"
            "print(sorted(m for m in ('pandas', 'altair') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --------------------------------------------------------------------------- feeding the bank
def test_bank_action_creates_a_practice_with_the_room_profile_and_steps(bank):
    """Vie käytäntöpankkiin from the demo session: the room's 360 "nyt" per dimension, its source,
    the promoted steps and the network; then an update of the same practice is its next version."""
    url, store, _content, _key = bank
    wb = _wb(bank)
    action = bank_action(wb)
    assert isinstance(action, BankAction)
    _submit(action.new_form, {"name": "Istunnon tulos", "changed_by": "Ohjaaja"})
    assert action.new_form.status_kind == "ok", action.new_form.status
    practice = action.saved
    answers = [a for a in store.answers(wb.session.id, "arviointi_360") if a.layer == "nyt" and a.value_num is not None]
    mean = sum(a.value_num for a in answers if a.item == "johtaminen") / sum(a.item == "johtaminen" for a in answers)
    assert practice.profile["johtaminen"] == pytest.approx(mean, abs=0.01)
    source = practice.fields["profile_source"]
    assert (source["session"], source["layer"], source["n"]) == ("DEMO", "nyt", len({a.participant_id for a in answers}))
    assert practice.fields["steps"] == [s.text for s in store.promoted_steps(wb.session.id)] != []
    assert practice.network == wb.session.network_name and practice.from_session == "DEMO"
    assert f"practice={practice.uid}" in action.line.value
    # an update of another practice takes the session's outcome and keeps the rest of it
    other = next(p for p in store.practices() if p.summary and p.uid != practice.uid)
    action.find.value = other.name
    action.pick.value = other.uid
    updated = action.update_chosen()
    assert (updated.uid, updated.version) == (other.uid, other.version + 1)
    assert (updated.name, updated.summary, updated.maturity) == (other.name, other.summary, other.maturity)
    assert updated.profile == practice.profile and updated.fields["steps"] == practice.fields["steps"]


def test_bank_action_in_a_report_names_what_the_session_fed(bank):
    """In a report the action is a line naming the practices the session fed; on the screen nothing."""
    url, store, content, _key = bank
    session = store.get_session("DEMO")
    store.save_practice({"name": "Raportin käytäntö <b>", "maturity": "kiinnostava"}, from_session_id=session.id)
    report = bank_action(_wb(bank, role="report"))
    assert "Raportin käytäntö &lt;b&gt;" in report.data
    assert bank_action(_wb(bank, role="screen", key="")) is None


# --------------------------------------------------------------------------- the notebook
def _outputs(runs) -> str:
    return "\n".join(str(o.get("data", {}).get("text/html", "")) for r in runs for o in r.outputs)


@pytest.mark.slow
@pytest.mark.parametrize("role", ["facilitator", "screen"])
def test_the_notebook_builds_the_live_pages(bank, role):
    """papermill runs kaytantopankki.ipynb as the facilitator's console (with the key) and as the
    room's screen: widgets, no error."""
    url, _store, _content, key = bank
    nb = papermill.execute_notebook(str(WORKBOOKS / "kaytantopankki.ipynb"), None,
                                    parameters={"session": "DEMO", "role": role, "key": key if role == "facilitator" else "",
                                                "db_url": url},
                                    kernel_name="python3", progress_bar=False, cwd=str(WORKBOOKS), shutdown_kernel="immediate")
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert any(WIDGET in o.get("data", {}) for o in outputs)
    assert "Traceback" not in json.dumps(outputs)


@pytest.mark.slow
def test_the_notebook_is_a_report_in_a_kernel(bank):
    """papermill runs kaytantopankki.ipynb as the report: the counts by maturity, each practice with
    its radar as SVG and its versions, no widgets."""
    url, store, _content, _key = bank
    nb = papermill.execute_notebook(str(WORKBOOKS / "kaytantopankki.ipynb"), None, parameters={"db_url": url, "lang": "en"},
                                    kernel_name="python3", progress_bar=False, cwd=str(WORKBOOKS), shutdown_kernel="immediate")
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert not any(WIDGET in o.get("data", {}) for o in outputs)
    text = "\n".join(str(o.get("data", {}).get("text/html", "")) for o in outputs)
    assert "Practices by maturity" in text
    practices = store.practices(limit=1000)
    assert text.count("<article class='vt-bk-practice'") == len(practices)
    assert text.count("data:image/svg+xml;base64,") >= sum(1 for p in practices if p.profile)
    assert json.dumps(nb.metadata.get("papermill", {}).get("parameters", {})).count(url) == 1


def test_the_rooms_screen_shows_a_practice_put_on_it_until_the_room_moves(bank):
    """A practice put on the screen from the bank shows on the room's screen of any workbook: it is
    the facilitator's latest move until an activity opens after it, and taking it off gives the room back."""
    _url, store, _content, _key = bank
    session = store.get_session("DEMO")
    store.show_practice(session.id, None)
    wb = Workbook(PageParams(session="DEMO", role="screen", db_url=_url), content=_content, store=store,
                  notebook="04_arviointi.ipynb")
    wb.header()
    wall = wb.activity("unelmaverkosto")
    practice = store.practices(query="tilannehuone")[0]
    store.show_practice(session.id, practice.uid)
    wb.refresh()
    assert wb.presenter.summary() == {"shown": f"practice:{practice.uid}"}
    assert wall.layout.display == "none" and f"data-vt-practice='{practice.uid}'" in wb.presenter._practice.value
    store.set_activity_state(session.id, "unelmaverkosto", is_open=True)  # the room moves on
    wb.refresh()
    assert wb.presenter.summary() == {"shown": "unelmaverkosto"} and wb.presenter._practice.layout.display == "none"
    store.show_practice(session.id, practice.uid)  # put on again: the latest move again
    wb.refresh()
    assert wb.presenter.summary() == {"shown": f"practice:{practice.uid}"}
    store.show_practice(session.id, None)
    wb.refresh()
    assert wb.presenter.summary() == {"shown": "unelmaverkosto"}
    store.set_activity_state(session.id, "unelmaverkosto", is_open=False)

"""Vuosikello (the network's year clock): entries through the phone's comm path, the year wheel,
the iCalendar export with stable UIDs, and a real CalDAV server (Radicale) that takes it."""
from __future__ import annotations

import shutil
import uuid
from datetime import date, timedelta
from typing import Any, Iterator

import icalendar
import pytest
import yaml
from conftest import browser_sends, submittable_forms
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vertaiset_widgets.forms import FieldsForm  # noqa: E402
from vertaiset_widgets.config import PageParams
from vertaiset_widgets.content import load_content, templates_dir
from vertaiset_widgets.errors import VertaisetInputError
from vertaiset_widgets.i18n import Translator
from vertaiset_widgets.kinds.year_clock import demo
from vertaiset_widgets.kinds.year_clock.charts import year_wheel
from vertaiset_widgets.kinds.year_clock.events import add_event, load_events
from vertaiset_widgets.kinds.year_clock.export import event_uid, ics
from vertaiset_widgets.kinds.year_clock.results import YearClockResults, month_names
from vertaiset_widgets.participant import ParticipantPage
from vertaiset_widgets.store import SessionStore

ACTIVITY = demo.EXAMPLE["id"]


@pytest.fixture(scope="module")
def content(tmp_path_factory) -> Iterator[Any]:
    """The shipped templates plus the year clock's EXAMPLE."""
    root = tmp_path_factory.mktemp("yc") / "templates"
    shutil.copytree(templates_dir(), root, ignore=shutil.ignore_patterns("voila", "nbconvert"))
    (root / "activities" / "99_year_clock.yaml").write_text(
        yaml.safe_dump({"activities": [demo.EXAMPLE]}, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("VERTAISET_TEMPLATES", str(root))
        yield load_content(root)


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Iterator[SessionStore]:
    s = SessionStore(f"sqlite:///{tmp_path_factory.mktemp('yc-db') / 'store.sqlite'}")
    yield s
    s.close()


@pytest.fixture(scope="module")
def activity(content):
    return content.activity(ACTIVITY)


def _session(store: SessionStore, title: str = "Vuosikello") -> Any:
    session, _key = store.create_session(title, network="Kello", held_on=date(demo.DEMO_YEAR, 3, 1))
    store.set_activity_state(session.id, ACTIVITY, is_open=True)
    return store.get_session(session.code)


def _phone(store: SessionStore, content, code: str, token: str) -> ParticipantPage:
    page = ParticipantPage(PageParams(session=code), content=content, store=store)
    page.join_as(token)
    return page


def _forms(page: ParticipantPage) -> list[Any]:
    page.refresh()
    return submittable_forms(page.shown(ACTIVITY))


def _send(form: Any, sid: str, **values: str) -> None:
    message = demo.answer(form)
    message["value"].update(values)
    browser_sends(form, {**message, "sid": sid})


def _tr(content, lang: str = "fi") -> Translator:
    return Translator.create(content, lang)


# ---------------------------------------------------------------------- entries through the phone
def test_an_entry_sent_through_the_comm_path_is_stored_once_and_survives_a_refresh(store, content, activity):
    """A date range sent twice with one submission id is one event; a new page (a refresh) lists it."""
    session = _session(store)
    page = _phone(store, content, session.code, "token-yc-one")
    form = _forms(page)[0]
    assert isinstance(form, FieldsForm)
    assert [f["type"] for f in form.fields if f["name"] in ("start", "end")] == ["date", "date"]
    assert all(f["label"].strip() for f in form.fields), "every control has a label"
    for _ in range(2):
        _send(form, "yc-retry-000001", title="Syysfoorumi", start=f"{demo.DEMO_YEAR}-10-07", end=f"{demo.DEMO_YEAR}-10-08")
        assert form.status_kind == "ok", form.status
    events = load_events(store, session.id, activity)
    assert [(e.title, e.start, e.end) for e in events] == [("Syysfoorumi", date(demo.DEMO_YEAR, 10, 7), date(demo.DEMO_YEAR, 10, 8))]
    again = _phone(store, content, session.code, "token-yc-one")
    again.refresh()
    assert "Syysfoorumi" in "".join(getattr(w, "value", "") for w in _walk(again.shown(ACTIVITY)) if isinstance(getattr(w, "value", None), str))


def _walk(widgets: list[Any]) -> list[Any]:
    out: list[Any] = []
    for w in widgets:
        out.append(w)
        out.extend(_walk(list(getattr(w, "children", ()))))
    return out


def test_a_finnish_date_and_a_bad_date_and_an_end_before_the_start(store, content, activity):
    """15.3.2026 is a date; "huomenna" is not, and an end before the start is refused, both said in the form."""
    session = _session(store)
    form = _forms(_phone(store, content, session.code, "token-yc-dates"))[0]
    _send(form, "yc-dates-0000001", start=f"15.3.{demo.DEMO_YEAR}")
    assert form.status_kind == "ok"
    _send(form, "yc-dates-0000002", start="huomenna")
    assert form.status_kind == "error" and form.status == _tr(content)("yc_error_date")
    _send(form, "yc-dates-0000003", start=f"{demo.DEMO_YEAR}-05-02", end=f"{demo.DEMO_YEAR}-05-01")
    assert form.status_kind == "error" and form.status == _tr(content)("yc_error_order")
    assert [e.start for e in load_events(store, session.id, activity)] == [date(demo.DEMO_YEAR, 3, 15)]


def test_a_participant_removes_their_own_entry_and_no_one_else_s(store, content, activity):
    """The remove form lists only one's own entries; taking one back erases its title."""
    session = _session(store)
    mine = _phone(store, content, session.code, "token-yc-mine")
    _send(_forms(mine)[0], "yc-mine-00000001", title="Oma kokous")
    other = _phone(store, content, session.code, "token-yc-other")
    _send(_forms(other)[0], "yc-other-0000001", title="Toisen kokous")
    forms = _forms(mine)
    remove = forms[1]
    options = remove.fields[0]["options"]
    assert len(options) == 1 and "Oma kokous" in options[0]["label"]
    browser_sends(remove, {"type": "submit", "value": {"item": options[0]["value"]}, "sid": "yc-remove-000001"})
    assert remove.status_kind == "ok", remove.status
    assert [e.title for e in load_events(store, session.id, activity)] == ["Toisen kokous"]
    theirs = load_events(store, session.id, activity)[0].id
    browser_sends(remove, {"type": "submit", "value": {"item": theirs}, "sid": "yc-remove-000002"})
    assert remove.status_kind == "error"
    stored = store.answers(session.id, ACTIVITY, latest=False)
    assert not [a for a in stored if a.value_text == "Oma kokous"], "a removed entry's words stay in the store"


# ---------------------------------------------------------------------- the wheel
def _seeded(store: SessionStore, content, activity, title: str = "Vuosikello") -> Any:
    session = _session(store, title)
    people = [store.join(session.id, f"token-yc-seed-{session.code}-{n}", nickname=f"P{n}") for n in range(3)]
    demo.seed_year(store, people, activity)
    return session


def test_the_wheel_draws_twelve_months_one_ring_per_theme_and_today(content, activity):
    """The chart has the 12 month labels of the page's language, the rings' labels and today's spoke."""
    tr = _tr(content, "sv")
    import pandas as pd

    frame = pd.DataFrame([{"start": 0.2, "end": 0.21, "ring": 1, "type": tr.label(activity.types[0]), "title": "<b>x</b>"}])
    chart = year_wheel(frame, months=month_names(tr), rings=[tr.label(r) for r in activity.rings],
                       types=[tr.label(t) for t in activity.types], year_label="2026", today=0.5, today_label=tr("yc_today"))
    spec = chart.to_dict()
    texts = [row["text"] for layer in spec["layer"] if layer["mark"]["type"] == "text"
             for row in spec["datasets"][layer["data"]["name"]]]
    assert [t for t in texts if t in month_names(tr)] == month_names(tr) and "mars" in texts
    assert all(tr.label(r) in texts for r in activity.rings) and tr("yc_today") in texts
    arcs = [layer for layer in spec["layer"] if layer["mark"]["type"] == "arc"]
    assert any(layer["encoding"].get("color", {}).get("field") == "type" for layer in arcs)


@pytest.mark.parametrize("role", ["facilitator", "screen", "report"])
def test_the_console_screen_and_report_draw_the_wheel(store, content, activity, role):
    """Each role gets the wheel as an image with a text alternative; the console and report the events by date."""
    session = _seeded(store, content, activity, f"Pyörä {role}")
    results = YearClockResults.load(store, session, activity, _tr(content))
    blocks = dict(results.blocks(role))
    assert "<img" in blocks["wheel"] and "alt=" in blocks["wheel"]
    if role != "screen":
        table = blocks["events"]
        order = [table.index(t) for t in ("Vuosiraportti rahoittajalle", "Verkostofoorumi (Puimala)", "Talousarvio valtuustoon")]
        assert order == sorted(order)
    assert ("exports" in blocks) == (role == "facilitator")


def test_a_participant_s_markup_stays_text_in_the_table(store, content, activity):
    """A title with markup reaches the table escaped."""
    session = _session(store)
    people = [store.join(session.id, "token-yc-markup")]
    add_event(store, people[0], activity, {**demo.answer(_Fields())["value"], "title": "<script>x</script>"}, submission_id="yc-markup-00001")
    html = YearClockResults.load(store, session, activity, _tr(content)).table_html()
    assert "<script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html


class _Fields:
    """A stand-in for the entry form's fields (demo.answer reads only these)."""

    fields = [{"name": n} for n in ("title", "start", "end", "owner")] + [
        {"name": "type", "type": "select", "options": [{"value": "kokous"}]},
        {"name": "ring", "type": "select", "options": [{"value": "koko_verkosto"}]},
    ]


# ---------------------------------------------------------------------- iCalendar
def _parse(text: str) -> list[Any]:
    return [c for c in icalendar.Calendar.from_ical(text).walk("VEVENT")]


def test_the_ics_parses_back_and_a_second_export_keeps_the_uids(store, content, activity):
    """Every event is a VEVENT with its title and all-day dates; exporting again gives the same UIDs."""
    session = _seeded(store, content, activity, "ICS")
    first = ics(store, session, activity, _tr(content))
    events = _parse(first)
    stored = load_events(store, session.id, activity)
    assert len(events) == len(stored) == len(demo.demo_events(demo.DEMO_YEAR, ["a"], ["b"]))
    by_title = {str(e["SUMMARY"]): e for e in events}
    forum = by_title["Verkostofoorumi (Puimala)"]
    assert forum.decoded("DTSTART") == date(demo.DEMO_YEAR, 10, 7)
    assert forum.decoded("DTEND") == date(demo.DEMO_YEAR, 10, 9)  # exclusive: the day after the last
    assert {str(e["UID"]) for e in events} == {event_uid(session.code, activity.id, e.id) for e in stored}
    second = _parse(ics(store, session, activity, _tr(content, "en")))
    assert sorted(str(e["UID"]) for e in second) == sorted(str(e["UID"]) for e in events)
    other = _seeded(store, content, activity, "ICS toinen")
    assert not {str(e["UID"]) for e in _parse(ics(store, other, activity, _tr(content)))} & {str(e["UID"]) for e in events}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=st.text(min_size=1, max_size=150), owner=st.text(max_size=100))
def test_any_unicode_title_and_owner_go_through_submit_ics_and_back(store, content, activity, title, owner):
    """Any Unicode in the title and owner is stored (or refused with a reason) and the .ics parses back with it."""
    session = _hyp_session(store)
    person = store.join(session.id, f"token-yc-h-{uuid.uuid4().hex}")
    values = {**demo.answer(_Fields())["value"], "title": title, "owner": owner}
    try:
        add_event(store, person, activity, values, submission_id=uuid.uuid4().hex)
    except VertaisetInputError as exc:
        assert exc.code in ("empty", "invisible")
        return
    text = ics(store, session, activity, _tr(content))
    parsed = {str(e["UID"]): e for e in _parse(text)}
    for e in load_events(store, session.id, activity):
        assert str(parsed[event_uid(session.code, activity.id, e.id)]["SUMMARY"]) == e.title


_HYP: dict[str, Any] = {}


def _hyp_session(store: SessionStore) -> Any:
    if "s" not in _HYP:  # one session for every example: a long year clock is also a case
        _HYP["s"] = _session(store, "Hypoteesi")
    return _HYP["s"]


# ---------------------------------------------------------------------- a real calendar server
def test_a_real_caldav_server_takes_the_events_and_an_import_again_updates_them(store, content, activity, radicale):
    """Uploaded to Radicale with the caldav client, the events come back with their titles, dates and
    UIDs; uploading the second export again replaces them (no doubles)."""
    caldav = pytest.importorskip("caldav")
    session = _seeded(store, content, activity, "CalDAV")
    tr = _tr(content)
    with caldav.DAVClient(url=radicale, username="vertaiset", password="x") as client:
        calendar = client.principal().make_calendar(name="Vuosikello", cal_id=f"yc-{session.code.lower()}")

        def upload(text: str) -> None:
            for vevent in _parse(text):
                one = icalendar.Calendar()
                one.add("prodid", "-//Vertaiset//Vuosikello//FI")
                one.add("version", "2.0")
                one.add_component(vevent)
                calendar.save_event(one.to_ical().decode("utf-8"))

        upload(ics(store, session, activity, tr))
        upload(ics(store, session, activity, tr))  # the second export, imported again
        back = [c for obj in calendar.events() for c in icalendar.Calendar.from_ical(obj.data).walk("VEVENT")]
    stored = load_events(store, session.id, activity)
    assert len(back) == len(stored)
    got = {str(e["UID"]): (str(e["SUMMARY"]), e.decoded("DTSTART"), e.decoded("DTEND")) for e in back}
    want = {event_uid(session.code, activity.id, e.id): (e.title, e.start, e.end + timedelta(days=1)) for e in stored}
    assert got == want


# ---------------------------------------------------------------------- the form's own JavaScript
_FAKE_MODEL = """
async ([b64, fields]) => {
  const mod = await import("data:text/javascript;base64," + b64);
  const state = {texts: {title: "Vuosikello", submit: "Lisää vuosikelloon"}, fields, value: {}, disabled: false,
                 draft_key: "", status: "", status_kind: "", status_seq: 0, cleared: 0};
  const listeners = {};
  window.sent = [];
  window.fakeModel = {
    get: (k) => state[k], set: (k, v) => { state[k] = v; }, save_changes() {},
    on: (ev, fn) => { (listeners[ev] = listeners[ev] || []).push(fn); }, off() {},
    send: (m) => window.sent.push(m),
    fire: (ev, v) => { state[ev.split(":")[1]] = v; (listeners[ev] || []).forEach((fn) => fn()); },
  };
  const el = document.createElement("div");
  document.body.append(el);
  mod.default.render({ model: window.fakeModel, el });
}
"""


@pytest.mark.browser
def test_the_entry_form_has_labelled_date_inputs_and_sends_what_was_chosen(browser, store, content, activity):
    """In Chromium the form's controls are named by their labels, the dates are native date inputs, and a
    submit sends the typed title, the dates and the chosen type and ring."""
    import base64

    form = FieldsForm(fields=_panel_fields(store, content, activity), texts={})
    page = browser.new_page()
    try:
        page.goto("about:blank")
        page.evaluate(_FAKE_MODEL, [base64.b64encode(FieldsForm._esm.encode()).decode(), form.fields])
        tr = _tr(content)
        assert page.get_by_label(tr("yc_start")).get_attribute("type") == "date"
        assert page.get_by_label(tr("yc_end")).get_attribute("type") == "date"
        page.get_by_label(tr("yc_title")).fill("Kevään verkostokokous <b>")
        page.get_by_label(tr("yc_start")).fill(f"{demo.DEMO_YEAR}-04-16")
        page.get_by_label(tr("yc_ring")).select_option("kunta")
        page.get_by_role("button", name="Lisää vuosikelloon").click()
        sent = page.evaluate("window.sent")
        assert len(sent) == 1 and sent[0]["type"] == "submit" and sent[0]["sid"]
        assert sent[0]["value"] == {"type": "kokous", "title": "Kevään verkostokokous <b>", "start": f"{demo.DEMO_YEAR}-04-16",
                                        "end": "", "owner": "", "ring": "kunta"}
        page.evaluate("window.fakeModel.fire('change:cleared', 1)")
        assert page.get_by_label(tr("yc_title")).input_value() == ""
        page.evaluate("window.fakeModel.fire('change:disabled', true)")
        assert page.get_by_label(tr("yc_start")).is_disabled()
    finally:
        page.close()


def _panel_fields(store, content, activity) -> list[dict]:
    """The entry form's fields as the participant's panel builds them."""
    from vertaiset_widgets.kinds.year_clock.panel import YearClockPanel

    session = _session(store, "Lomake")
    panel = YearClockPanel(store, store.join(session.id, "token-yc-js"), activity, _tr(content))
    state = store.activity_state(session.id, ACTIVITY)
    assert panel.update(state)
    return panel.forms[state.round].fields


# ---------------------------------------------------------------------- the wheel on the phone
def _wheel_count(page: ParticipantPage) -> tuple[int, str]:
    """The phone's year wheel: how many events it draws, and all the markup the slot shows."""
    import re

    page.refresh()
    markup = "".join(w.value for w in _walk(page.shown(ACTIVITY)) if isinstance(getattr(w, "value", None), str))
    found = re.findall(r"<svg[^>]*class='vt-phone-wheel'[^>]*data-vt-wheel-events='(\d+)'", markup)
    assert len(found) == 1, "one wheel in the slot"
    return int(found[0]), markup


def test_a_second_phone_sees_the_wheel_grow_in_swedish_and_markup_stays_text(store, content, activity):
    """One phone adds an event (its title markup); another phone, in Swedish, sees its wheel draw one
    more event after its update, with Swedish months, and the title only as text, open and revealed."""
    session = _session(store, "Hjul")
    first = _phone(store, content, session.code, "token-yc-wheel-1")
    _send(_forms(first)[0], "yc-wheel-000001", title="Kevät")
    second = ParticipantPage(PageParams(session=session.code, lang="sv"), content=content, store=store)
    second.join_as("token-yc-wheel-2")
    before, markup = _wheel_count(second)
    assert before == 1 and "role='img'" in markup and "<title>" in markup
    assert ">mars<" in markup and ">maalis<" not in markup
    _send(_forms(first)[0], "yc-wheel-000002", title="<script>alert(1)</script>", start=f"{demo.DEMO_YEAR}-09-01",
          end=f"{demo.DEMO_YEAR}-09-03")
    after, markup = _wheel_count(second)
    assert after == before + 1
    assert "<script>" not in markup and "&lt;script&gt;alert(1)&lt;/script&gt;" in markup
    store.set_activity_state(session.id, ACTIVITY, is_open=False, is_revealed=True)
    revealed, markup = _wheel_count(second)
    assert revealed == 2 and "<script>" not in markup and ">okt<" in markup


def test_the_phone_wheel_loads_neither_pandas_nor_altair():
    """The panel and its wheel import light: the participant's page stays without pandas and altair."""
    import subprocess
    import sys

    code = ("import sys; import vertaiset_widgets.participant, vertaiset_widgets.kinds.year_clock.panel; "
            "print(sorted(m for m in ('pandas', 'altair', 'vl_convert') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"

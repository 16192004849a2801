"""Yhteystietolista ja roolit (the contact list with roles): consent before anything is stored,
the details on the facilitator's console only, out-of-date entries and the one-tap confirm,
withdrawal that erases the details from the store and the database file, the CSV, XLSX and
vCard exports, and a real CardDAV server (Radicale) that takes the cards.

Entries go through the phone's comm path into a real SQLite store; the console, the screen and
the report are drawn by the same Workbook pages the facilitator and the room use.
"""
from __future__ import annotations

import csv
import io
import re
import uuid
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Iterator

import ipywidgets as W
import pytest
import vobject
from conftest import browser_sends, ipython_shell
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vertaiset_widgets.config import PageParams
from vertaiset_widgets.content import load_content, templates_dir
from vertaiset_widgets.export import export_activity
from vertaiset_widgets.i18n import Translator
from vertaiset_widgets.kinds.contacts import entries as ct_entries
from vertaiset_widgets.kinds.contacts.contact_form import ContactForm
from vertaiset_widgets.kinds.contacts.export import card_uid, contacts_csv, contacts_xlsx, vcards
from vertaiset_widgets.kinds.contacts.entries import entry_id, load_entries
from vertaiset_widgets.participant import ParticipantPage
from vertaiset_widgets.store import SessionStore
from vertaiset_widgets.workbook import Workbook

ACTIVITY = "yhteystiedot"
ROLES = ("facilitator", "screen", "report")


@pytest.fixture(scope="module")
def content() -> Any:
    """The shipped templates (phase 3 carries the contact list)."""
    return load_content(templates_dir())


@pytest.fixture(scope="module")
def activity(content):
    return content.activity(ACTIVITY)


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Iterator[SessionStore]:
    s = SessionStore(f"sqlite:///{tmp_path_factory.mktemp('ct-db') / 'store.sqlite'}")
    yield s
    s.close()


@pytest.fixture(scope="module")
def shell() -> Iterator[Any]:
    """IPython's shell: the report displays what it draws."""
    with ipython_shell() as sh:
        yield sh


def _session(store: SessionStore, title: str = "Yhteystiedot") -> tuple[Any, str]:
    session, key = store.create_session(title, network="Verkosto")
    store.set_activity_state(session.id, ACTIVITY, is_open=True)
    return store.get_session(session.code), key


def _phone(store: SessionStore, content, code: str, token: str) -> ParticipantPage:
    page = ParticipantPage(PageParams(session=code), content=content, store=store)
    page.join_as(token)
    return page


def _walk(widgets: list[Any]) -> list[Any]:
    out: list[Any] = []
    for w in widgets:
        out.append(w)
        out.extend(_walk(list(getattr(w, "children", ()))))
    return out


def _forms(page: ParticipantPage) -> dict[str, Any]:
    """The panel's forms by their job: ``entry``, and ``confirm``/``withdraw`` once there is an entry."""
    page.refresh()
    forms = [w for w in _walk(page.shown(ACTIVITY)) if callable(getattr(w, "on_submit", None))]
    out = {"entry": next(f for f in forms if isinstance(f, ContactForm))}
    panel = next(w for w in _walk(page.shown(ACTIVITY)) if hasattr(w, "withdraw_form"))
    out.update({k: f for k, f in (("confirm", panel.confirm_form), ("withdraw", panel.withdraw_form)) if f in forms})
    return out


def _phone_text(page: ParticipantPage) -> str:
    page.refresh()
    parts = []
    for w in _walk(page.shown(ACTIVITY)):
        for name in ("value", "fields", "texts"):
            parts.append(str(getattr(w, name, "")))
    return "\n".join(parts)


def _send(form: Any, sid: str, **values: str) -> None:
    value = {"name": "Maija Meikäläinen", "org": "Ohjaamo", "role": "koordinointi", "phone": "040 123 4567",
             "email": "", "consent": "yes", **values}
    browser_sends(form, {"type": "submit", "value": value, "sid": sid})


def _tap(form: Any, sid: str) -> None:
    browser_sends(form, {"type": "submit", "value": {}, "sid": sid})


def _views(store: SessionStore, content, session: Any, key: str, lang: str = "fi") -> dict[str, str]:
    """What the console, the screen and the report send to the browser for the contact list (revealed:
    the screen shows results only then)."""
    from IPython.utils.capture import capture_output

    store.set_activity_state(session.id, ACTIVITY, is_revealed=True)
    out = {}
    for role in ROLES:
        with capture_output() as shown:
            wb = Workbook(PageParams(session=session.code, role=role, key=key, lang=lang), content=content, store=store)
            cell = wb.activity(ACTIVITY)
        parts = [str(d) for o in shown.outputs for d in o.data.values()]
        parts += [w.value for w in _walk([cell] if cell is not None else []) if isinstance(w, (W.HTML, W.HTMLMath))]
        text = "\n".join(parts)
        assert "Traceback" not in text and "vt-error" not in text, text[:2000]
        out[role] = text
    return out


def _tr(content, lang: str = "fi") -> Translator:
    return Translator.create(content, lang)


# ---------------------------------------------------------------------- consent
def test_without_consent_nothing_is_stored_and_the_form_says_why(store, content, activity):
    """An unticked consent box stores nothing, and the form says so in the page's language."""
    session, _key = _session(store)
    page = _phone(store, content, session.code, "token-ct-noconsent")
    form = _forms(page)["entry"]
    assert all(f["label"].strip() for f in form.fields) and form.texts["consent"] and form.texts["consent_text"]
    _send(form, "ct-noconsent-0001", consent="")
    assert form.status_kind == "error" and form.status == _tr(content)("ct_error_consent")
    assert store.answers(session.id, ACTIVITY, latest=False) == []
    _send(form, "ct-noconsent-0002")
    assert form.status_kind == "ok", form.status
    assert [e.name for e in load_entries(store, session.id, activity)] == ["Maija Meikäläinen"]


def test_a_phone_or_an_e_mail_is_needed_and_each_must_look_like_one(store, content, activity):
    """Neither a phone nor an e-mail, a phone of letters, an e-mail without @: refused with the reason."""
    session, _key = _session(store)
    form = _forms(_phone(store, content, session.code, "token-ct-reach"))["entry"]
    tr = _tr(content, "sv")
    for n, (values, code) in enumerate([({"phone": "", "email": ""}, "reach"), ({"phone": "soita minulle"}, "phone"),
                                        ({"phone": "", "email": "maija.example.org"}, "email"), ({"name": "  "}, "empty")]):
        _send(form, f"ct-reach-000{n}", **values)
        assert form.status_kind == "error" and form.status == _tr(content)(f"ct_error_{code}") != tr(f"ct_error_{code}")
    assert store.answers(session.id, ACTIVITY, latest=False) == []


# ---------------------------------------------------------------------- who sees what
def test_the_console_shows_the_details_and_the_screen_and_report_never_do(store, content, activity, shell):
    """Saved through the phone: the console lists name, phone and e-mail; the screen shows the name,
    organisation and role, the report (made without --names) the organisation and role; neither
    shows a phone number or an e-mail address."""
    session, key = _session(store, "Näkyvyys")
    page = _phone(store, content, session.code, "token-ct-views")
    _send(_forms(page)["entry"], "ct-views-000001", name="Ville Viestijä", org="Järjestöverkosto", role="viestinta",
          phone="+358 50 765 4321", email="ville@verkosto.example")
    views = _views(store, content, session, key)
    assert "Ville Viestijä" in views["facilitator"] and "+358 50 765 4321" in views["facilitator"]
    assert "ville@verkosto.example" in views["facilitator"]
    assert "Ville Viestijä" in views["screen"] and "Ville Viestijä" not in views["report"]
    for role in ("screen", "report"):
        assert "Järjestöverkosto" in views[role] and "Viestintä" in views[role]
        assert "765 4321" not in views[role] and "ville@verkosto.example" not in views[role], role
        assert not re.search(r"[\w.+-]+@[\w-]+\.\w+", views[role]), role


# ---------------------------------------------------------------------- ajantasaisuus
def test_an_unchecked_entry_is_marked_out_of_date_and_one_tap_renews_it(store, content, activity, shell, monkeypatch):
    """Saved 200 days ago (over stale_after_days), the entry is out of date on the console and on the
    person's own phone; one tap on "Tiedot ovat ajan tasalla" makes today its last-checked day."""
    assert activity.stale_after_days == 183
    session, key = _session(store, "Ajantasaisuus")
    page = _phone(store, content, session.code, "token-ct-stale")
    with monkeypatch.context() as mp:
        mp.setattr(ct_entries, "today", lambda: date.today() - timedelta(days=200))
        _send(_forms(page)["entry"], "ct-stale-000001")
    page = _phone(store, content, session.code, "token-ct-stale")  # the phone comes back another day
    tr = _tr(content)
    assert "data-vt-stale='1'" in _phone_text(page)
    assert tr("ct_stale_own", days=183) in _phone_text(page)
    console = _views(store, content, session, key)["facilitator"]
    assert tr("ct_stale") in console and tr("ct_counts", n=1, stale=1) in console
    confirm = _forms(page)["confirm"]
    assert confirm.texts["submit"] == "Tiedot ovat ajan tasalla" and confirm.fields == []
    _tap(confirm, "ct-stale-confirm1")
    assert confirm.status_kind == "ok", confirm.status
    assert [e.checked for e in load_entries(store, session.id, activity)] == [date.today()]
    assert "data-vt-stale='0'" in _phone_text(page)
    console = _views(store, content, session, key)["facilitator"]
    assert tr("ct_counts", n=1, stale=0) in console and tr("ct_stale") not in console


# ---------------------------------------------------------------------- withdrawal
GONE = {"name": "Wilhelmiina Poistettava", "org": "Poistuva Osuuskunta", "phone": "+358 44 987 6543",
        "email": "wilhelmiina@poisto.example"}


def _file_bytes(path: Path) -> bytes:
    """The database file and its write-ahead log, as a disk holds them."""
    return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())


def test_withdrawing_consent_erases_the_details_everywhere_and_the_rest_stays(tmp_path, content, activity, shell):
    """After the withdraw button, no name, organisation, phone or e-mail of the entry is in the store's
    rows, on the console, the screen, the report, the phone, the CSV, XLSX and VCF, or in the SQLite
    file's bytes; another person's entry and the session stay."""
    path = tmp_path / "withdraw.sqlite"
    store = SessionStore(f"sqlite:///{path}")
    try:
        session, key = _session(store, "Peruminen")
        page = _phone(store, content, session.code, "token-ct-gone")
        _send(_forms(page)["entry"], "ct-gone-0000001", role="fasilitointi", **GONE)
        _send(_forms(_phone(store, content, session.code, "token-ct-stays"))["entry"], "ct-stays-000001",
              name="Pysyvä Pirkko", org="Kaupunki", email="pirkko@kaupunki.example", phone="")
        words = [w.encode("utf-8") for w in GONE.values()]
        assert all(w in _file_bytes(path) for w in words), "the test must see the details on disk first"

        withdraw = _forms(page)["withdraw"]
        _tap(withdraw, "ct-gone-withdraw")
        assert withdraw.status_kind == "ok", withdraw.status

        def nowhere(text: str, where: str) -> None:
            found = [w for w in GONE.values() if w in text]
            assert not found, f"{found} still in {where}"

        stored = store.answers(session.id, ACTIVITY, latest=False)
        nowhere(" ".join(a.value_text or "" for a in stored), "the store's rows")
        assert [e.name for e in load_entries(store, session.id, activity)] == ["Pysyvä Pirkko"]
        views = _views(store, content, session, key)
        for role, text in views.items():
            nowhere(text, role)
        assert "Pysyvä Pirkko" in views["facilitator"] and "pirkko@kaupunki.example" in views["facilitator"]
        nowhere(_phone_text(page), "the phone")
        tr = _tr(content)
        nowhere(contacts_csv(store, session, activity, tr), "the CSV")
        sheet = __import__("openpyxl").load_workbook(io.BytesIO(contacts_xlsx(store, session, activity, tr))).active
        nowhere(" ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row), "the XLSX")
        nowhere(vcards(store, session, activity, tr), "the VCF")
        data = _file_bytes(path)
        assert not [w for w in words if w in data], "the SQLite file keeps the bytes"
        assert b"Pysyv\xc3\xa4 Pirkko" in data
        assert store.get_session(session.code).code == session.code and len(store.participants(session.id)) == 2
    finally:
        store.close()


# ---------------------------------------------------------------------- exports
def _three(store: SessionStore, content, title: str) -> tuple[Any, str]:
    session, key = _session(store, title)
    people = [("Aino Aaltonen", "koordinointi", "040 111 2222", ""), ("Bertta Berg", "fasilitointi", "", "bertta@ex.example"),
              ("Cecilia Cox", "viestinta", "050 333 4444", "cecilia@ex.example")]
    for n, (name, role, phone, email) in enumerate(people):
        page = _phone(store, content, session.code, f"token-ct-{title}-{n}")
        _send(_forms(page)["entry"], f"ct-{n}-{uuid.uuid4().hex[:12]}", name=name, role=role, phone=phone, email=email,
              org=f"=HYPERLINK(\"x\") {n}")
    return session, key


def _cards(text: str) -> list[Any]:
    return list(vobject.readComponents(text))


def test_the_vcards_parse_back_one_per_person_with_stable_uids(store, content, activity):
    """The .vcf holds one vCard 3.0 per entry with name, organisation, role, phone and e-mail; a second
    export (in another language) keeps the UIDs, another session's cards have others."""
    session, _key = _three(store, content, "VCF")
    cards = _cards(vcards(store, session, activity, _tr(content)))
    assert len(cards) == 3 and {c.version.value for c in cards} == {"3.0"}
    by_name = {c.fn.value: c for c in cards}
    cecilia = by_name["Cecilia Cox"]
    assert cecilia.tel.value == "050 333 4444" and cecilia.email.value == "cecilia@ex.example"
    assert cecilia.role.value == "Viestintä" and cecilia.org.value == ['=HYPERLINK("x") 2']
    assert not hasattr(by_name["Aino Aaltonen"], "email") and not hasattr(by_name["Bertta Berg"], "tel")
    uids = {c.uid.value for c in cards}
    assert uids == {card_uid(session.code, ACTIVITY, e.id) for e in load_entries(store, session.id, activity)}
    assert {c.uid.value for c in _cards(vcards(store, session, activity, _tr(content, "en")))} == uids
    assert {c.role.value for c in _cards(vcards(store, session, activity, _tr(content, "en")))} >= {"Communication"}
    other, _ = _three(store, content, "VCF2")
    assert not uids & {c.uid.value for c in _cards(vcards(store, session=other, activity=activity))}


def test_the_cli_writes_the_csv_xlsx_and_vcf_and_no_cell_is_a_formula(store, content, activity, tmp_path, monkeypatch):
    """``vertaiset export --format vcf|contacts-csv|contacts-xlsx`` write files that read back, and an
    organisation typed as a formula stays words."""
    monkeypatch.setenv("VERTAISET_TEMPLATES", str(templates_dir()))
    session, _key = _three(store, content, "CLI")
    vcf = export_activity(store, session.code, "vcf", tmp_path / "c.vcf", activity_id=ACTIVITY)
    assert len(_cards(vcf.read_text(encoding="utf-8"))) == 3
    rows = list(csv.reader(io.StringIO(export_activity(store, session.code, "contacts-csv", tmp_path / "c.csv",
                                                       activity_id=ACTIVITY).read_text(encoding="utf-8"))))
    assert rows[0][:3] == ["Nimi", "Organisaatio", "Rooli"] and len(rows) == 4
    assert {r[1] for r in rows[1:]} == {f"'=HYPERLINK(\"x\") {n}" for n in range(3)}
    from openpyxl import load_workbook

    sheet = load_workbook(export_activity(store, session.code, "contacts-xlsx", tmp_path / "c.xlsx", activity_id=ACTIVITY,
                                          lang="en")).active
    cells = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert cells[0][:3] == ["Name", "Organisation", "Role"] and len(cells) == 4
    assert all(not str(r[1]).startswith("=") for r in cells[1:])


# ---------------------------------------------------------------------- a real address-book server
_MKCOL = """<?xml version="1.0" encoding="utf-8"?>
<D:mkcol xmlns:D="DAV:" xmlns:CR="urn:ietf:params:xml:ns:carddav"><D:set><D:prop>
<D:resourcetype><D:collection/><CR:addressbook/></D:resourcetype><D:displayname>Yhteystiedot</D:displayname>
</D:prop></D:set></D:mkcol>"""


def test_a_real_carddav_server_takes_the_cards_and_an_upload_again_updates_them(store, content, activity, radicale):
    """The cards PUT into a Radicale address book (with the caldav package's DAV client: it has no
    CardDAV API of its own) come back by PROPFIND and GET with their names and UIDs; uploading the
    second export again replaces them (no doubles)."""
    caldav = pytest.importorskip("caldav")
    session, _key = _three(store, content, "CardDAV")
    book = f"{radicale}vertaiset/ct-{session.code.lower()}/"
    with caldav.DAVClient(url=radicale, username="vertaiset", password="x") as client:
        client.principal()  # Radicale makes the user's own collection when it is first asked for
        assert client.mkcol(book, _MKCOL).status in (200, 201)

        def upload(text: str) -> None:
            for card in _cards(text):
                name = re.sub(r"[^0-9a-z-]", "-", card.uid.value.lower())
                response = client.put(f"{book}{name}.vcf", card.serialize(), {"Content-Type": "text/vcard; charset=utf-8"})
                assert response.status in (201, 204), response.raw

        upload(vcards(store, session, activity, _tr(content)))
        upload(vcards(store, session, activity, _tr(content, "sv")))  # the second export, uploaded again
        listing = ET.fromstring(client.propfind(book, depth=1).raw.encode("utf-8"))
        hrefs = [h.text for h in listing.iter("{DAV:}href") if h.text and h.text.endswith(".vcf")]
        back = [_cards(client.request(f"{radicale.rstrip('/')}{h}").raw)[0] for h in hrefs]
    stored = load_entries(store, session.id, activity)
    assert len(back) == len(stored) == 3
    assert {c.uid.value: c.fn.value for c in back} == {card_uid(session.code, ACTIVITY, e.id): e.name for e in stored}
    assert {c.role.value for c in back} == {"Samordning", "Facilitering", "Kommunikation"}


# ---------------------------------------------------------------------- any Unicode
_HYP: dict[str, Any] = {}


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(min_size=1, max_size=90), org=st.text(max_size=130))
def test_any_unicode_name_and_organisation_go_through_to_the_views_and_exports(store, content, activity, shell, name, org):
    """Any Unicode as the name and organisation is stored (or refused with a reason in the form), and the
    console, the screen, the CSV, XLSX and VCF take it without a traceback, as text."""
    if "s" not in _HYP:
        _HYP["s"] = _session(store, "Hypoteesi")
    session, key = _HYP["s"]
    page = _phone(store, content, session.code, f"token-ct-h-{uuid.uuid4().hex}")
    form = _forms(page)["entry"]
    _send(form, uuid.uuid4().hex, name=name, org=org)
    if form.status_kind == "error":
        assert form.status in (_tr(content)("ct_error_empty"), _tr(content)("ct_error_invisible")), form.status
        return
    assert form.status_kind == "ok", form.status
    mine = next(e for e in load_entries(store, session.id, activity) if e.id == entry_id(page.participant))
    views = _views(store, content, session, key)
    import html as _html

    for role in ("facilitator", "screen"):
        assert _html.escape(mine.name) in views[role] and _html.escape(mine.org) in views[role], role
    tr = _tr(content)
    card = next(c for c in _cards(vcards(store, session, activity, tr)) if c.uid.value == card_uid(session.code, ACTIVITY, mine.id))
    assert card.fn.value == mine.name and (card.org.value == [mine.org] if mine.org else not hasattr(card, "org"))
    assert contacts_csv(store, session, activity, tr) and contacts_xlsx(store, session, activity, tr)

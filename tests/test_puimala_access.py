"""The feedback link and the note-taker's key reach nothing else: neither other sessions' answers
nor the facilitator's controls. And the Puimala's pages on the phone show what they should."""
from __future__ import annotations

import html
import time
import uuid
from datetime import datetime, timedelta, timezone

import ipywidgets as W
import pytest

from vertaiset_widgets.config import PageParams
from vertaiset_widgets.feedback_page import FeedbackPage
from vertaiset_widgets.notes_page import NotesPage
from vertaiset_widgets.participant import ParticipantPage
from vertaiset_widgets.store import AnswerInput
from vertaiset_widgets.store.agenda import AgendaBlock
from vertaiset_widgets.workbook import Workbook

from conftest import browser_sends, submittable_forms


def _widgets(root):
    stack = [root]
    while stack:
        widget = stack.pop()
        yield widget
        stack.extend(getattr(widget, "children", ()))


def _page_text(root) -> str:
    """Everything a page's widgets carry to the browser: every synced trait of every widget."""
    out = []
    for w in _widgets(root):
        for name in w.keys:
            value = getattr(w, name, None)
            if value and not isinstance(value, W.Widget):
                out.append(str(value))
    return html.unescape("\n".join(out))


def _seed(store, content, code, words):
    """A Puimala with participants who answered, notes (published) and comments, one hidden."""
    session, key = store.create_session(f"Puimala {words}", code=code)
    activity = next(a for a in content.activities.values() if a.kind == "highlights")
    store.set_activity_state(session.id, activity.id, is_open=True)
    for i in range(2):
        person = store.join(session.id, uuid.uuid4().hex, nickname=f"{words}-nimimerkki-{i}", group=f"{words}-ryhmä")
        store.submit(person, activity.id, [AnswerInput(item=f"h{i}", value_text=f"{words}-vastaus-{i}")],
                     submission_id=f"sub-{words}-{i}")
    blocks = store.set_agenda_blocks(session.id, [AgendaBlock(position=0, minutes=45, title=f"{words}-lohko")])
    store.write_notes(session.id, blocks[0].key, f"{words}-muistiinpano")
    store.publish_notes(session.id)
    token = store.feedback_link_token(session.id)
    store.add_feedback(session.id, "browser-1", f"{words}-palaute", idem=f"idem-{words}-1", name=f"{words}-kirjoittaja")
    hidden = store.add_feedback(session.id, "browser-2", f"{words}-piilotettu", idem=f"idem-{words}-2")
    store.moderate_feedback(session.id, hidden.id, "hide")
    notes_key = store.new_notes_key(session.id)
    return session, key, token, notes_key


@pytest.fixture
def two(store, content):
    """Two Puimala sessions, each with answers, nicknames, notes, comments and links."""
    return _seed(store, content, "OMA7KX", "oma"), _seed(store, content, "MUU7KX", "muu")


def test_feedback_page_shows_only_its_own_public_words(store, content, sqlite_url, two):
    """The page of one link: its session's published notes and visible comments, nothing of its
    participants' answers or nicknames, nothing of the other session."""
    (session, _key, token, _notes), _other = two
    page = FeedbackPage(PageParams(token=token, db_url=sqlite_url), content=content, store=store)
    text = _page_text(page)
    assert "oma-muistiinpano" in text and "oma-lohko" in text and "oma-palaute" in text and "oma-kirjoittaja" in text
    assert session.title in text
    for secret in ("oma-piilotettu", "oma-nimimerkki", "oma-ryhmä", "oma-vastaus", "muu-", session.code, "MUU7KX"):
        assert secret not in text, secret
    page.close()


def test_feedback_page_has_no_control_but_the_form(store, content, sqlite_url, two):
    """The comment form is the page's one control: no buttons, no other fields, no facilitator tools."""
    (_session, _key, token, _notes), _other = two
    page = FeedbackPage(PageParams(token=token, db_url=sqlite_url), content=content, store=store)
    assert submittable_forms([page]) == [page.form]
    assert [f["name"] for f in page.form.fields] == ["body", "name"]
    controls = [w for w in _widgets(page) if isinstance(w, (W.Button, W.Text, W.Textarea, W.Dropdown, W.Checkbox,
                                                             W.ToggleButtons, W.FileUpload))]
    assert controls == []
    page.close()


def test_unpublished_notes_stay_off_the_feedback_page(store, content, sqlite_url, two):
    """Notes are on the public page only once published."""
    (session, _key, token, _notes), _other = two
    store.publish_notes(session.id, False)
    page = FeedbackPage(PageParams(token=token, db_url=sqlite_url), content=content, store=store)
    assert "oma-muistiinpano" not in _page_text(page) and "oma-palaute" in _page_text(page)
    page.close()


def test_a_wrong_feedback_link_says_so_and_shows_nothing(store, content, sqlite_url, two):
    """An unknown or malformed token: a message, no form, no hint of any session."""
    for token in ("", "nonsense", "<script>alert(1)</script>", "x" * 43):
        page = FeedbackPage(PageParams(token=token, db_url=sqlite_url), content=content, store=store)
        assert "Tällä linkillä ei löydy palautesivua" in page.message
        assert page.form is None and submittable_forms([page]) == []
        text = _page_text(page)
        assert "<script>" not in text and "Puimala" not in text and "oma-" not in text
        page.close()


def test_feedback_token_is_no_key(store, content, sqlite_url, two):
    """The feedback link's token opens neither the facilitator's console nor the note-taker's page."""
    (session, key, token, _notes), (other, _k, other_token, _n) = two
    wb = Workbook.open(session=session.code, key=token, db_url=sqlite_url, notebook="puimala.ipynb")
    assert not wb.has_key and not wb.trusted and wb.problem
    assert Workbook.open(session=session.code, key=key, db_url=sqlite_url).trusted  # the real key does
    assert not store.check_notes_key(session.id, token)
    for code, key_tried in ((session.code, token), (other.code, token), (session.code, other_token)):
        page = NotesPage(PageParams(session=code, key=key_tried, db_url=sqlite_url), content=content, store=store)
        assert "Muistiinpanolinkki ei kelpaa" in page.message and page.forms == {}
        assert submittable_forms([page]) == []
        page.close()


def test_notes_key_is_no_facilitator_key(store, content, sqlite_url, two):
    """The note-taker's key opens its own session's notes page only: not the console, not another session."""
    (session, _key, _token, notes_key), (other, _k, _t, _n) = two
    wb = Workbook.open(session=session.code, key=notes_key, db_url=sqlite_url, notebook="puimala.ipynb")
    assert not wb.has_key and not wb.trusted
    assert store.find_feedback(notes_key) is None
    wrong = NotesPage(PageParams(session=other.code, key=notes_key, db_url=sqlite_url), content=content, store=store)
    assert wrong.forms == {} and "ei kelpaa" in wrong.message
    right = NotesPage(PageParams(session=session.code, key=notes_key, db_url=sqlite_url), content=content, store=store)
    assert right.message == "" and list(right.forms) and right.form.value["body"] == "oma-muistiinpano"
    assert "muu-" not in _page_text(right) and "oma-nimimerkki" not in _page_text(right)
    wrong.close()
    right.close()


# ---------------------------------------------------------------------- the pages at work
def test_feedback_page_sends_and_follows_the_period(store, content, sqlite_url):
    """A comment is thanked and listed; a page left open past the end gets the closed message and loses its form."""
    session, _key = store.create_session("Puimala")
    token = store.feedback_link_token(session.id)
    page = FeedbackPage(PageParams(token=token, db_url=sqlite_url), content=content, store=store)
    browser_sends(page.form, {"type": "submit", "sid": "sid-00000001", "value": {"body": "<b>Hyvä</b> päivä", "name": ""}})
    assert page.form.status == "Kiitos, palautteesi on tallennettu." and page.form.status_kind == "ok"
    assert "&lt;b&gt;Hyvä&lt;/b&gt; päivä" in page._comments.value and "Nimetön" in page._comments.value
    closes = datetime.now(timezone.utc) - timedelta(minutes=1)
    store.set_puimala(session.id, feedback_opens=closes - timedelta(days=1), feedback_closes=closes)
    browser_sends(page.form, {"type": "submit", "sid": "sid-00000002", "value": {"body": "myöhässä"}})
    assert page.form.status.startswith("Palauteaika päättyi") and page.form.status_kind == "error"
    assert page.form.layout.display == "none" and page.form.disabled
    assert [f.body for f in store.feedback(session.id)] == ["<b>Hyvä</b> päivä"]
    page.close()


def test_feedback_page_says_when_it_opens_and_when_too_fast(store, content, sqlite_url):
    """Before the period: when it opens, no form; over the limit: a wait in words."""
    session, _key = store.create_session("Puimala")
    token = store.feedback_link_token(session.id)
    store.set_puimala(session.id, feedback_opens=datetime.now(timezone.utc) + timedelta(days=1))
    page = FeedbackPage(PageParams(token=token, db_url=sqlite_url, lang="en"), content=content, store=store)
    assert "Feedback opens" in page._period.value and page.form.layout.display == "none"
    store.set_puimala(session.id, feedback_opens=datetime.now(timezone.utc) - timedelta(days=1), feedback_per_minute=1)
    page.refresh()
    assert page.form.layout.display is None
    browser_sends(page.form, {"type": "submit", "sid": "sid-00000011", "value": {"body": "one"}})
    browser_sends(page.form, {"type": "submit", "sid": "sid-00000012", "value": {"body": "two"}})
    assert page.form.status.startswith("You have just sent several comments")
    page.close()


def test_notes_page_starts_at_the_running_block_and_saves(store, content, sqlite_url):
    """The running block is chosen first; a save stores the block's notes and says when."""
    session, _key = store.create_session("Puimala")
    blocks = store.set_agenda_blocks(session.id, [AgendaBlock(position=0, minutes=30, title="Alustus"),
                                                  AgendaBlock(position=1, minutes=60, title="Puinti")])
    store.start_block(session.id, 1)
    key = store.new_notes_key(session.id)
    page = NotesPage(PageParams(session=session.code, key=key, db_url=sqlite_url), content=content, store=store)
    assert page.block_picker.value == blocks[1].key and "Puinti (käynnissä)" in page.block_picker.options[1][0]
    assert page.block_picker.options[-1] == ("Yleistä", "")
    assert page.block_picker.description == "Ohjelman kohta" and page.form.fields[0]["label"] == "Muistiinpanot: Puinti (käynnissä)"
    browser_sends(page.form, {"type": "submit", "sid": "sid-00000021", "value": {"body": "Ensimmäinen huomio"}})
    assert store.notes(session.id)[blocks[1].key].body == "Ensimmäinen huomio"
    assert page.form.status.startswith("Tallennettu klo") and page.form.draft_key.endswith(f":notes:{blocks[1].key}")
    page.block_picker.value = ""
    browser_sends(page.form, {"type": "submit", "sid": "sid-00000022", "value": {"body": "Yleinen"}})
    assert store.notes(session.id)[""].body == "Yleinen" and len(page.forms) == 2
    store.new_notes_key(session.id)  # the facilitator gave a new link: this one is done
    browser_sends(page.form, {"type": "submit", "sid": "sid-00000023", "value": {"body": "Myöhässä"}})
    assert "ei kelpaa" in page.form.status and store.notes(session.id)[""].body == "Yleinen"
    page.close()


def _joined(store, content, code, lang="fi"):
    page = ParticipantPage(PageParams(session=code, lang=lang), content=content, store=store)
    page.join_as(uuid.uuid4().hex)
    return page


def test_phone_shows_the_material_once_joined(store, content):
    """A joined phone gets the folded pre-work: stories, texts, real links and files, all as text."""
    session, _key = store.create_session("Puimala", code="PUIM")
    page = _joined(store, content, "PUIM")
    assert page.material is not None and page.material.value == ""  # no material: nothing shown
    store.set_puimala(session.id)
    store.add_material(session.id, "story", "Tarina <1>", body="Rivi 1\nRivi <2>")
    store.add_material(session.id, "link", "Innokylä", url="https://www.innokyla.fi/?a=1&b=2")
    store.add_material(session.id, "file", "Luvut", filename="luvut.txt", content=b"1 2 3")
    page.refresh()
    value = page.material.value
    assert "<details" in value and "Ennakkomateriaali" in value and "Ydinryhmän tarinat" in value
    assert "Tarina &lt;1&gt;" in value and "Rivi 1<br>Rivi &lt;2&gt;" in value
    assert "href='https://www.innokyla.fi/?a=1&amp;b=2'" in value
    assert "href='data:text/plain;base64,MSAyIDM='" in value and "download='luvut.txt'" in value
    assert page.children.index(page.material) == len(page.children) - 2  # above the footer
    page.close()


def test_phone_follows_the_prework_window_by_the_clock(store, content):
    """When the window's start passes, an open phone draws the pre-work task without any write."""
    session, _key = store.create_session("Puimala", code="PREW")
    activity = next(a for a in content.activities.values() if a.kind == "highlights")
    opens = datetime.now(timezone.utc) + timedelta(seconds=0.5)
    store.set_puimala(session.id, prework_activities=[activity.id], prework_opens=opens,
                      prework_closes=opens + timedelta(days=1))
    page = _joined(store, content, "PREW")
    assert page.shown(activity.id) == []
    revision = store.revision(session.id)
    page.material._checked = opens - timedelta(seconds=1)
    time.sleep(max(0.0, (opens - datetime.now(timezone.utc)).total_seconds()) + 0.01)
    page.refresh()
    assert store.revision(session.id) == revision and page.shown(activity.id) != []
    assert page.timer.seconds is None  # a day-long window is no countdown in the header
    page.close()

"""The Puimala's part of the store: settings, pre-work material, notes, open feedback, pre-work windows."""
from __future__ import annotations

import html
import io
import uuid
import zipfile
from datetime import datetime, timedelta, timezone
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vertaiset_widgets import schema as t
from vertaiset_widgets.errors import VertaisetActivityClosedError, VertaisetInputError
from vertaiset_widgets.store import SESSION_KEY, AnswerInput, SessionStore
from vertaiset_widgets.store.agenda import AgendaBlock
from vertaiset_widgets.store.puimala import FEEDBACK_KEY, NOTES_KEY, FeedbackClosed, FeedbackTooFast
from vertaiset_widgets.store.puimala_rows import MAX_FILE_BYTES

from conftest import browser_sends

NOW = datetime(2026, 5, 28, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def any_store(db_url):
    """A store on SQLite, and on PostgreSQL when the suite has one."""
    s = SessionStore(db_url)
    yield s
    s.close()


def _session(store, title="Muutospuimala", code=None):
    session, _key = store.create_session(title, code=code)
    return session


def _with_link(store, session, **fields):
    store.set_puimala(session.id, **fields)
    store.feedback_link_token(session.id)
    return store.puimala(session.id)


# ---------------------------------------------------------------------- settings
def test_settings_round_trip(any_store):
    """Every setting comes back as it was set; the first call makes the row with the defaults."""
    session = _session(any_store)
    assert any_store.puimala(session.id) is None
    fresh = any_store.set_puimala(session.id)
    assert (fresh.mode, fresh.prework_activities, fresh.feedback_per_minute, fresh.feedback_premoderated,
            fresh.peers, fresh.has_notes_key, fresh.feedback_token) == ("live", (), 3, False, (), False, None)
    peers = [{"name": "Kuntaverkosto", "kind": "network", "contact": "a@example.org"},
             {"name": "Pori", "kind": "municipal", "contact": ""}]
    info = any_store.set_puimala(
        session.id, mode="online", prework_activities=["a1", "a2", "a1"], prework_opens=NOW,
        prework_closes=NOW + timedelta(days=7), notes_on_screen=True, feedback_opens=NOW + timedelta(days=8),
        feedback_closes=datetime(2026, 6, 20, 12, 0), feedback_per_minute=5, feedback_premoderated=True, peers=peers)
    again = any_store.puimala(session.id)
    assert again == info
    assert info.mode == "online" and info.prework_activities == ("a1", "a2")
    assert info.prework_opens == NOW and info.prework_closes == NOW + timedelta(days=7)
    assert info.feedback_closes == datetime(2026, 6, 20, 12, 0, tzinfo=timezone.utc)  # naive: UTC
    assert info.notes_on_screen and info.feedback_premoderated and info.feedback_per_minute == 5
    assert [dict(p) for p in info.peers] == peers
    assert info.prework_state(NOW - timedelta(seconds=1)) == "not_yet" and info.prework_state(NOW) == "open"


BAD_SETTINGS = [
    {"mode": "hybrid"},
    {"colour": "red"},
    {"prework_opens": NOW, "prework_closes": NOW - timedelta(hours=1)},
    {"feedback_opens": NOW, "feedback_closes": NOW},
    {"feedback_opens": "not a date"},
    {"feedback_per_minute": 0},
    {"peers": [{"name": "X", "kind": "friend"}]},
    {"peers": [{"name": "  ", "kind": "network"}]},
    {"prework_activities": "a1"},
]


def test_settings_refuse_bad_values(store):
    """A bad setting is refused with a message, and nothing of the call is stored."""
    session = _session(store)
    store.set_puimala(session.id, mode="online")
    for fields in BAD_SETTINGS:
        with pytest.raises(VertaisetInputError):
            store.set_puimala(session.id, **{"mode": "live", **fields})
    assert store.puimala(session.id).mode == "online"


def test_settings_bump_the_session(store):
    """A change of the settings is a change of the session: open pages redraw."""
    session = _session(store)
    before = store.revision(session.id)
    store.set_puimala(session.id, notes_on_screen=True)
    assert SESSION_KEY in store.changes_since(session.id, before)


# ---------------------------------------------------------------------- material
def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return buf.getvalue()


GOOD_FILES = [
    ("tarina.pdf", b"%PDF-1.4\n..."),
    ("kuva.PNG", b"\x89PNG\r\n\x1a\n" + b"\0" * 20),
    ("kuva.jpg", b"\xff\xd8\xff\xe0" + b"\0" * 20),
    ("faktat.md", "# Faktat\nÄäkköset".encode()),
    ("muistio.docx", _zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<x/>"})),
    ("luvut.ods", _zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"})),
]


def test_allowed_files_are_kept(store):
    """A file of an allowed type with matching content is stored as it came (its name without a folder)."""
    session = _session(store)
    for filename, content in GOOD_FILES:
        material = store.add_material(session.id, "file", "Liite", filename=f"../{filename}", content=content)
        assert material.filename == filename and material.size == len(content)
        assert store.material_content(session.id, material.id) == content


BAD_FILES = [
    ("ohjelma.exe", b"MZ\x90\0", "not allowed"),
    ("lasku.pdf", b"MZ\x90\0 pretending", "not a PDF"),
    ("muistio.docx", _zip({"hello.txt": b"x"}), "not a DOCX"),
    ("teksti.txt", b"\xff\xfe\0b\0a\0d", "not a TXT"),
    ("iso.txt", b"a" * (MAX_FILE_BYTES + 1), "at most 5 MB"),
]


def test_refused_files_say_which_rule(store):
    """A file of another type, with content that is not what its name says, or too big: refused, with the rule."""
    session = _session(store)
    for filename, content, words in BAD_FILES:
        with pytest.raises(VertaisetInputError) as raised:
            store.add_material(session.id, "file", "Liite", filename=filename, content=content)
        assert words in str(raised.value) and raised.value.code in ("type", "size"), filename
    assert store.materials(session.id) == []


def test_links_are_http_only(store):
    """A link must be a full http(s) address."""
    session = _session(store)
    for url in ("javascript:alert(1)", "ftp://example.org/x", "www.example.org", "https://", "https://x.fi/'onclick"):
        with pytest.raises(VertaisetInputError):
            store.add_material(session.id, "link", "Linkki", url=url)
    assert store.add_material(session.id, "link", "Linkki", url=" https://x.fi/a?b=1&c=2 ").url == "https://x.fi/a?b=1&c=2"


def test_materials_in_order_and_withdrawn(store):
    """Material comes back in the order added; a withdrawn piece is gone from the list and its content."""
    session = _session(store)
    story = store.add_material(session.id, "story", "Tarina 1", body="Alussa oli...")
    link = store.add_material(session.id, "link", "Innokylä", url="https://www.innokyla.fi/")
    file = store.add_material(session.id, "file", "Luvut", filename="luvut.txt", content=b"1 2 3")
    with pytest.raises(VertaisetInputError):
        store.add_material(session.id, "fact", "Tyhjä", body="   ")
    assert [m.id for m in store.materials(session.id)] == [story.id, link.id, file.id]
    store.withdraw_material(session.id, file.id)
    assert [m.id for m in store.materials(session.id)] == [story.id, link.id]
    with pytest.raises(VertaisetInputError):
        store.material_content(session.id, file.id)


# ---------------------------------------------------------------------- notes
def test_notes_latest_per_block(any_store):
    """The latest save per block is the block's notes; every save stays in its history."""
    session = _session(any_store)
    blocks = any_store.set_agenda_blocks(session.id, [AgendaBlock(position=0, minutes=30, title="Alustus"),
                                                      AgendaBlock(position=1, minutes=60, title="Puinti")])
    first, second = (b.key for b in blocks)
    before = any_store.revision(session.id)
    any_store.write_notes(session.id, first, "eka")
    any_store.write_notes(session.id, second, "toinen")
    any_store.write_notes(session.id, first, "eka, korjattu")
    any_store.write_notes(session.id, "", "yleistä")
    notes = any_store.notes(session.id)
    assert {k: n.body for k, n in notes.items()} == {first: "eka, korjattu", second: "toinen", "": "yleistä"}
    assert [n.body for n in any_store.notes_history(session.id, first)] == ["eka", "eka, korjattu"]
    assert NOTES_KEY in any_store.changes_since(session.id, before)
    with pytest.raises(VertaisetInputError):
        any_store.write_notes(session.id, "nosuchblock", "x")


def test_publishing_notes(store):
    """Publishing stamps the time; taking them back clears it."""
    session = _session(store)
    store.publish_notes(session.id)
    assert store.puimala(session.id).notes_published_at is not None
    store.publish_notes(session.id, False)
    assert store.puimala(session.id).notes_published_at is None


def test_notes_key(store):
    """The note-taker's key is checked; a new one replaces the old."""
    session = _session(store)
    assert not store.check_notes_key(session.id, "anything-at-all")
    old = store.new_notes_key(session.id)
    assert store.check_notes_key(session.id, old) and store.puimala(session.id).has_notes_key
    new = store.new_notes_key(session.id)
    assert store.check_notes_key(session.id, new) and not store.check_notes_key(session.id, old)


# ---------------------------------------------------------------------- feedback
def test_feedback_link_is_made_once(store):
    """The link's token is long, made once, and finds its session only."""
    session, other = _session(store), _session(store, "Toinen")
    token = store.feedback_link_token(session.id)
    assert len(token) >= 40 and store.feedback_link_token(session.id) == token
    found_session, info = store.find_feedback(token)
    assert found_session.id == session.id and info.feedback_token == token
    assert store.find_feedback(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert store.find_feedback("") is None and store.find_feedback("<script>") is None
    assert store.puimala(other.id) is None


def test_feedback_period(store):
    """Before the period and after it, a comment is refused with the period's state."""
    session = _session(store)
    store.set_puimala(session.id, feedback_opens=NOW, feedback_closes=NOW + timedelta(days=14))
    with pytest.raises(FeedbackClosed) as raised:  # no link yet
        store.add_feedback(session.id, "browser-1", "Hyvä", idem="idem-0001", now=NOW)
    assert raised.value.state == "none"
    store.feedback_link_token(session.id)
    with pytest.raises(FeedbackClosed) as raised:
        store.add_feedback(session.id, "browser-1", "Hyvä", idem="idem-0001", now=NOW - timedelta(minutes=1))
    assert raised.value.state == "not_yet"
    store.add_feedback(session.id, "browser-1", "Hyvä", idem="idem-0002", now=NOW)
    with pytest.raises(FeedbackClosed) as raised:
        store.add_feedback(session.id, "browser-1", "Myöhässä", idem="idem-0003", now=NOW + timedelta(days=14))
    assert raised.value.state == "closed" and raised.value.closes == NOW + timedelta(days=14)
    assert [f.body for f in store.feedback(session.id)] == ["Hyvä"]


def test_feedback_per_minute(store):
    """One browser may send feedback_per_minute comments a minute; another browser is not slowed."""
    session = _session(store)
    _with_link(store, session, feedback_per_minute=2)
    for i in range(2):
        store.add_feedback(session.id, "browser-1", f"kommentti {i}", idem=f"idem-a{i:04d}", now=NOW + timedelta(seconds=i))
    with pytest.raises(FeedbackTooFast) as raised:
        store.add_feedback(session.id, "browser-1", "liikaa", idem="idem-a0009", now=NOW + timedelta(seconds=10))
    assert raised.value.seconds == 50
    store.add_feedback(session.id, "browser-2", "toinen selain", idem="idem-b0001", now=NOW + timedelta(seconds=10))
    store.add_feedback(session.id, "browser-1", "minuutin päästä", idem="idem-a0010", now=NOW + timedelta(seconds=61))
    assert len(store.feedback(session.id)) == 4


def test_feedback_per_address(store, monkeypatch):
    """Under Voila the client's address counts too: new browser tokens do not get round the limit."""
    monkeypatch.setenv("HTTP_X_VERTAISET_CLIENT", "203.0.113.7")
    session = _session(store)
    _with_link(store, session, feedback_per_minute=2)
    store.add_feedback(session.id, "browser-1", "yksi", idem="idem-c0001")
    store.add_feedback(session.id, "browser-2", "kaksi", idem="idem-c0002")
    with pytest.raises(FeedbackTooFast):
        store.add_feedback(session.id, "browser-3", "kolme", idem="idem-c0003")


def test_feedback_same_idem_lands_once(any_store):
    """A comment sent again with the same id is stored once (and not counted against the limit)."""
    session = _session(any_store)
    _with_link(any_store, session, feedback_per_minute=1)
    first = any_store.add_feedback(session.id, "browser-1", "Kiitos!", idem="idem-d0001", name="Maija")
    again = any_store.add_feedback(session.id, "browser-1", "Kiitos!", idem="idem-d0001", name="Maija")
    assert again == first and first.name == "Maija"
    assert len(any_store.feedback(session.id)) == 1


def test_feedback_body_is_checked(store):
    """An empty comment and one over 4000 characters are refused."""
    session = _session(store)
    _with_link(store, session)
    for body in ("", "   \u200b ", "x" * 4001):
        with pytest.raises(VertaisetInputError) as raised:
            store.add_feedback(session.id, "browser-1", body, idem="idem-e0001")
        assert raised.value.code in ("empty", "too_long")
    assert store.feedback(session.id) == []


def test_moderation_decides_what_is_public(any_store):
    """Premoderated: public only once approved; a hidden comment is not public until shown again."""
    session = _session(any_store)
    _with_link(any_store, session, feedback_premoderated=True)
    one = any_store.add_feedback(session.id, "browser-1", "yksi", idem="idem-f0001")
    two = any_store.add_feedback(session.id, "browser-2", "kaksi", idem="idem-f0002")
    assert any_store.feedback(session.id, public=True) == [] and len(any_store.feedback(session.id)) == 2
    before = any_store.revision(session.id)
    any_store.moderate_feedback(session.id, one.id, "approve")
    assert FEEDBACK_KEY in any_store.changes_since(session.id, before)
    assert [f.id for f in any_store.feedback(session.id, public=True)] == [one.id]
    any_store.set_puimala(session.id, feedback_premoderated=False)
    assert [f.id for f in any_store.feedback(session.id, public=True)] == [two.id, one.id]  # newest first
    any_store.moderate_feedback(session.id, two.id, "hide")
    assert [f.id for f in any_store.feedback(session.id, public=True)] == [one.id]
    any_store.moderate_feedback(session.id, two.id, "show")
    assert len(any_store.feedback(session.id, public=True)) == 2
    with pytest.raises(VertaisetInputError):
        any_store.moderate_feedback(session.id, two.id, "delete")


# ---------------------------------------------------------------------- pre-work
def test_prework_opens_only_inside_the_window(store):
    """Inside the window the pre-work activities are open (until its end); outside they are not."""
    session = _session(store)
    now = datetime.now(timezone.utc)
    store.set_puimala(session.id, prework_activities=["pre_a", "pre_b"], prework_opens=now + timedelta(hours=1),
                      prework_closes=now + timedelta(days=2))
    assert store.activity_states(session.id) == {}
    store.set_puimala(session.id, prework_opens=now - timedelta(hours=1))
    states = store.activity_states(session.id)
    assert set(states) == {"pre_a", "pre_b"} and all(s.is_open for s in states.values())
    assert states["pre_a"].seconds_left() > 86400
    store.set_activity_state(session.id, "pre_b", is_open=False)  # the facilitator's own state wins
    assert not store.activity_state(session.id, "pre_b").is_open and store.activity_state(session.id, "pre_a").is_open
    store.set_puimala(session.id, prework_opens=now - timedelta(days=3), prework_closes=now - timedelta(days=1))
    assert "pre_a" not in store.activity_states(session.id)


def test_prework_submit_is_refused_outside_the_window(store):
    """A submit inside the window is stored; once it has closed, it is refused as closed."""
    session = _session(store)
    now = datetime.now(timezone.utc)
    store.set_puimala(session.id, prework_activities=["pre_a"], prework_opens=now - timedelta(hours=1),
                      prework_closes=now + timedelta(hours=1))
    person = store.join(session.id, uuid.uuid4().hex)
    answer = [AnswerInput(item="i1", value_num=3)]
    assert store.submit(person, "pre_a", answer, submission_id="sub-0001") == 1
    with pytest.raises(VertaisetActivityClosedError):
        store.submit(person, "not_prework", answer, submission_id="sub-0002")
    store.set_puimala(session.id, prework_closes=now - timedelta(minutes=1), prework_opens=now - timedelta(hours=2))
    with pytest.raises(VertaisetActivityClosedError):
        store.submit(person, "pre_a", answer, submission_id="sub-0003")


# ---------------------------------------------------------------------- purge
def test_purge_removes_the_puimala(store):
    """Purging a session deletes its settings, material, notes and feedback, and nothing of another session."""
    from vertaiset_widgets.privacy import purge_session

    gone, kept = _session(store, code="GONE"), _session(store, "Toinen", code="KEPT")
    for session in (gone, kept):
        _with_link(store, session, notes_on_screen=True)
        store.add_material(session.id, "file", "Luvut", filename="luvut.txt", content=b"1 2 3")
        store.write_notes(session.id, "", "muistiin")
        store.add_feedback(session.id, "browser-1", "hyvä", idem=f"idem-{session.code}")
    purge_session(store, "GONE")
    tables = (t.puimala, t.puimala_materials, t.puimala_notes, t.feedback)
    with store.engine.connect() as conn:
        counts = {tb.name: [conn.execute(sa.select(sa.func.count()).select_from(tb)
                                         .where(tb.c.session_id == s.id)).scalar_one() for s in (gone, kept)]
                  for tb in tables}
    assert counts == {tb.name: [0, 1] for tb in tables}


# ---------------------------------------------------------------------- any text, through the page
class _Text(HTMLParser):
    """The text of the comments list, a <br> as a line break, per list item."""

    def __init__(self):
        super().__init__()
        self.items: list[list[str]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "li":
            self.items.append([])
        elif tag == "p" and self.items:
            self.items[-1].append("")
        elif tag == "br" and self.items:
            self.items[-1][-1] += "\n"

    def handle_data(self, data):
        if self.items and self.items[-1]:
            self.items[-1][-1] += data


@pytest.fixture(scope="module")
def feedback_page(tmp_path_factory):
    """One feedback page over a store of its own (the examples below share it)."""
    from vertaiset_widgets.config import PageParams
    from vertaiset_widgets.feedback_page import FeedbackPage

    url = f"sqlite:///{tmp_path_factory.mktemp('fb') / 'store.sqlite'}"
    store = SessionStore(url)
    session = _session(store)
    token = store.feedback_link_token(session.id)
    store.set_puimala(session.id, feedback_per_minute=60)
    page = FeedbackPage(PageParams(token=token, db_url=url), store=store)
    yield store, session, page
    page.close()
    store.close()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.text(min_size=0, max_size=300), name=st.one_of(st.none(), st.text(max_size=70)))
def test_any_text_is_stored_once_and_shown_as_text(feedback_page, body, name):
    """Whatever is typed reaches the store once through the page's form, and shows as the words typed."""
    store, session, page = feedback_page
    before = len(store.feedback(session.id))
    page.token_widget.token = uuid.uuid4().hex  # a browser of its own: the per-minute limit stays out of the way
    sid = uuid.uuid4().hex
    message = {"type": "submit", "sid": sid, "value": {"body": body, "name": name or ""}}
    browser_sends(page.form, message)
    browser_sends(page.form, message)  # the same submission again (a lost acknowledgement)
    stored = store.feedback(session.id)
    if len(stored) == before:  # nothing visible was typed: said, not stored
        assert page.form.status_kind == "error" and "Kirjoita palaute" in page.form.status
        return
    assert len(stored) == before + 1
    newest = stored[0]
    parser = _Text()
    parser.feed(page._comments.value)
    who, words = parser.items[0]
    assert words == newest.body and who.startswith(newest.name or "Nimetön")
    assert html.escape(newest.body.split("\n")[0]) in page._comments.value

"""The highlights wall (nostot): posting, editing, +1, moderation, limits and the word summary."""
from __future__ import annotations

import pytest
from conftest import browser_sends

from vertaiset_widgets import aggregate
from vertaiset_widgets.config import PageParams
from vertaiset_widgets.errors import VertaisetInputError
from vertaiset_widgets.forms import WallView
from vertaiset_widgets.kinds.highlights.panel import HighlightsPanel
from vertaiset_widgets.participant import ParticipantPage
from vertaiset_widgets.kinds.highlights.console import HighlightsConsole
from vertaiset_widgets.workbook import Workbook
from vertaiset_widgets.kinds.highlights.wall import edit_highlight, post_highlight, read_wall, vote

ACT = "unelmaverkosto"
XSS = "<img src=x onerror=alert(1)><script>alert(2)</script>"


@pytest.fixture
def store(both_stores):
    """The page's store: the SQLAlchemy store, and the phones' light one."""
    return both_stores


@pytest.fixture
def room(store):
    session, key = store.create_session("Paja")
    store.set_activity_state(session.id, ACT, is_open=True)
    return session, key


def _panel(store, content, session, token, lang="fi") -> HighlightsPanel:
    page = ParticipantPage(PageParams(session=session.code, lang=lang), content=content, store=store)
    page.join_as(token)
    return page.kind_panels[ACT]


def test_post_edit_and_withdraw_own(store, content, room):
    """From the browser a participant posts, edits and withdraws their own highlights; the wall follows."""
    session, _ = room
    panel = _panel(store, content, session, "phone-aaaaaaaa")
    browser_sends(panel.post_form, {"type": "submit", "value": {"text": "Yhteinen tilannehuone", "tag": "unelma"}})
    (mine,) = panel.mine.items
    assert (mine["text"], mine["tag"], mine["mine"]) == ("Yhteinen tilannehuone", "unelma", True)
    seq = panel.post_form.status_seq
    browser_sends(panel.post_form, {"type": "submit", "value": {"text": "Toinen", "tag": ""}})
    assert panel.post_form.status_seq == seq + 1  # the same "posted" words are announced again
    browser_sends(panel.mine, {"type": "withdraw", "item": [i for i in panel.mine.items if i["text"] == "Toinen"][0]["id"]})
    browser_sends(panel.mine, {"type": "edit", "item": mine["id"], "text": "Yhteinen tilannehuone joka kuukausi", "tag": "askel"})
    (h,) = [h for h in read_wall(store, session.id, ACT) if not h.withdrawn]
    assert (h.text, h.tag, h.edited) == ("Yhteinen tilannehuone joka kuukausi", "askel", True)
    panel.mine.act({"type": "withdraw", "item": mine["id"]})
    assert panel.mine.items == [] and all(h.withdrawn for h in read_wall(store, session.id, ACT))


def test_several_posts_one_at_a_time(store, content, room):
    """Several highlights from one participant are separate items."""
    session, _ = room
    panel = _panel(store, content, session, "phone-aaaaaaaa")
    for text in ("Yksi", "Kaksi", "Kolme"):
        panel.post_form.submit({"text": text})
    assert sorted(i["text"] for i in panel.mine.items) == ["Kaksi", "Kolme", "Yksi"]


def test_only_the_author_can_edit(store, room):
    """Another participant cannot change someone's highlight."""
    session, _ = room
    a = store.join(session.id, "phone-aaaaaaaa")
    b = store.join(session.id, "phone-bbbbbbbb")
    item = post_highlight(store, a, ACT, "Alkuperäinen", submission_id="s1")
    with pytest.raises(VertaisetInputError) as info:
        edit_highlight(store, b, ACT, item, "Väärennetty", submission_id="s2")
    assert info.value.code == "not_yours"
    assert read_wall(store, session.id, ACT)[0].text == "Alkuperäinen"


@pytest.mark.parametrize("text,code", [("   ", "empty"), ("x" * 281, "too_long")])
def test_bad_text_gets_a_clear_message(store, content, room, text, code):
    """Empty and too long texts are refused with a message in the participant's language."""
    session, _ = room
    panel = _panel(store, content, session, "phone-aaaaaaaa")
    panel.post_form.submit({"text": text})
    assert panel.post_form.status_kind == "error"
    assert panel.post_form.status == panel.tr(f"highlight_{code}", max=280)
    assert read_wall(store, session.id, ACT) == []


def test_too_many_posts_per_minute(store, content, room):
    """More than the activity's per-minute limit is refused, and says why."""
    session, _ = room
    panel = _panel(store, content, session, "phone-aaaaaaaa")
    for i in range(6):
        panel.post_form.submit({"text": f"Nosto {i}"})
    panel.post_form.submit({"text": "Yksi liikaa"})
    assert "Odota hetki" in panel.post_form.status
    assert len(read_wall(store, session.id, ACT)) == 6


def test_votes_once_each_and_never_own(store, content, room):
    """A +1 counts once per participant; one's own highlight cannot be +1'd; a +1 can be taken back."""
    session, _ = room
    a = _panel(store, content, session, "phone-aaaaaaaa")
    b = _panel(store, content, session, "phone-bbbbbbbb")
    a.post_form.submit({"text": "Hyvä ajatus"})
    store.set_activity_state(session.id, ACT, is_revealed=True)
    b._refresh()
    (item,) = b.wall.items
    b.wall.act({"type": "vote", "item": item["id"], "on": True})
    b.wall.act({"type": "vote", "item": item["id"], "on": True})
    assert len(read_wall(store, session.id, ACT)[0].voters) == 1
    assert b.wall.items[0]["voted"] and b.wall.items[0]["votes"] == 1
    a._refresh()
    a.wall.act({"type": "vote", "item": item["id"], "on": True})
    assert a.wall.status_kind == "error" and len(read_wall(store, session.id, ACT)[0].voters) == 1
    b.wall.act({"type": "vote", "item": item["id"], "on": False})
    assert read_wall(store, session.id, ACT)[0].voters == frozenset()


def test_wall_shown_only_when_revealed(store, content, room):
    """Participants see others' highlights only after the facilitator reveals the wall."""
    session, _ = room
    a = _panel(store, content, session, "phone-aaaaaaaa")
    b = _panel(store, content, session, "phone-bbbbbbbb")
    a.post_form.submit({"text": "Näkyykö?"})
    b._refresh()
    assert b.wall not in b.children
    store.set_activity_state(session.id, ACT, is_revealed=True)
    b._refresh()
    assert b.wall in b.children and [i["text"] for i in b.wall.items] == ["Näkyykö?"]


def _console(store, content, session, key) -> HighlightsConsole:
    wb = Workbook(PageParams(session=session.code, role="facilitator", key=key), content=content, store=store)
    return wb.activity(ACT)


def test_hide_keeps_it_in_the_store(store, content, room):
    """A hidden highlight leaves the wall but stays in the store, marked hidden."""
    session, key = room
    p = store.join(session.id, "phone-aaaaaaaa")
    item = post_highlight(store, p, ACT, "Asiaton", submission_id="s1")
    post_highlight(store, p, ACT, "Asiallinen", submission_id="s2")
    console = _console(store, content, session, key)
    console.moderate(item, "hide")
    (h,) = [h for h in read_wall(store, session.id, ACT) if h.item == item]
    assert h.hidden and h.text == "Asiaton"
    store.set_activity_state(session.id, ACT, is_revealed=True)
    viewer = _panel(store, content, session, "phone-bbbbbbbb")
    assert [i["text"] for i in viewer.wall.items] == ["Asiallinen"]
    assert [i["hidden"] for i in console.wall.items if i["id"] == item] == [True]  # the facilitator still sees it


def test_pin_puts_it_first(store, content, room):
    """A pinned highlight comes first on the wall."""
    session, key = room
    p = store.join(session.id, "phone-aaaaaaaa")
    post_highlight(store, p, ACT, "Ensimmäinen", submission_id="s1")
    second = post_highlight(store, p, ACT, "Toinen", submission_id="s2")
    console = _console(store, content, session, key)
    console.moderate(second, "pin")
    assert [i["text"] for i in console.wall.items] == ["Toinen", "Ensimmäinen"]
    assert console.wall.items[0]["pinned"]


def test_merge_pools_votes(store, content, room):
    """Merging a duplicate leaves one highlight carrying both highlights' +1s."""
    session, key = room
    a = store.join(session.id, "phone-aaaaaaaa")
    b = store.join(session.id, "phone-bbbbbbbb")
    c = store.join(session.id, "phone-cccccccc")
    keep = post_highlight(store, a, ACT, "Säännölliset tapaamiset", submission_id="s1")
    dup = post_highlight(store, b, ACT, "Säännöllisiä tapaamisia", submission_id="s2")
    store.set_activity_state(session.id, ACT, is_revealed=True)
    vote(store, c, ACT, keep, submission_id="v1")
    vote(store, a, ACT, dup, submission_id="v2")
    console = _console(store, content, session, key)
    console.moderate(dup, "merge", keep)
    (item,) = console.wall.items
    assert item["id"] == keep and item["votes"] == 2 and item["merged_count"] == 1


def test_text_stays_text(store, content, room):
    """Markup in a highlight reaches the wall widget as plain text, unchanged (the browser sets it as text)."""
    session, key = room
    panel = _panel(store, content, session, "phone-aaaaaaaa")
    panel.post_form.submit({"text": XSS})
    console = _console(store, content, session, key)
    assert console.wall.items[0]["text"] == XSS


def test_wall_drops_actions_on_unknown_items(store, content, room):
    """A message from the browser naming an item that is not on the wall does nothing."""
    session, _ = room
    seen = []
    view = WallView(items=[{"id": "h1", "text": "x"}])
    view.on_action(lambda v, a: seen.append(a))
    browser_sends(view, {"type": "vote", "item": "nope", "on": True})
    browser_sends(view, {"type": "vote", "item": "h1", "on": True})
    assert seen == [{"type": "vote", "item": "h1", "on": True}]


def test_word_summary_uses_base_forms():
    """verkostot, verkostoissa and verkosto count as one word; stop words and case do not count."""
    texts = ["Verkostot toimivat", "Verkostoissa on voimaa", "verkosto ja luottamus", "Luottamusta tarvitaan"]
    stop = {"fi": frozenset({"ja", "on"})}
    words = aggregate.word_counts(texts, "fi", stop).set_index("word")["count"].to_dict()
    assert words["verkosto"] == 3
    assert words["luottamus"] == 2
    assert "ja" not in words and "on" not in words


def test_word_summary_swedish_and_english():
    """Swedish and English texts are taken to base forms in their own language."""
    sv = aggregate.word_counts(["Nätverken växer", "nätverket"], "sv", {}).set_index("word")["count"].to_dict()
    assert sv.get("nätverk") == 2
    en = aggregate.word_counts(["Networks grow", "a network"], "en", {"en": frozenset({"a"})}).set_index("word")["count"].to_dict()
    assert en.get("network") == 2


def test_new_round_starts_an_empty_wall_and_keeps_the_old(store, room):
    """A new round shows an empty wall; the earlier round's highlights stay in the store."""
    session, _ = room
    p = store.join(session.id, "phone-aaaaaaaa")
    post_highlight(store, p, ACT, "Ensimmäinen kierros", submission_id="s1")
    store.set_activity_state(session.id, ACT, new_round=True)
    assert read_wall(store, session.id, ACT) == []
    assert [h.text for h in read_wall(store, session.id, ACT, round=1)] == ["Ensimmäinen kierros"]


def test_timer_reaches_participants(store, content, room):
    """A timer set by the facilitator shows on the participant's page as seconds left."""
    session, key = room
    console = _console(store, content, session, key)
    console.buttons["timer_3"].click()
    page = ParticipantPage(PageParams(session=session.code), content=content, store=store)
    page.join_as("phone-aaaaaaaa")
    assert 170 <= page.timers[ACT].seconds <= 180
    assert 170 <= console.countdown.seconds <= 180
    console.buttons["timer_stop"].click()
    page.refresh()
    assert page.timers[ACT].seconds is None


def test_present_counts_open_pages(store, content, room):
    """Participants whose page is open count as present on the console."""
    session, key = room
    for token in ("phone-aaaaaaaa", "phone-bbbbbbbb"):
        ParticipantPage(PageParams(session=session.code), content=content, store=store).join_as(token)
    console = _console(store, content, session, key)
    assert "data-vt-present='2'" in console._counts.value


def test_word_summary_on_the_console(store, content, room):
    """The facilitator asks for the word summary; it then follows new highlights."""
    session, key = room
    p = store.join(session.id, "phone-aaaaaaaa")
    post_highlight(store, p, ACT, "Verkostot ja luottamus", submission_id="s1")
    console = _console(store, content, session, key)
    assert console._words.value == ""
    console.words_button.click()
    assert "data:image/svg+xml" in console._words.value
    before = console._words.value
    post_highlight(store, p, ACT, "Verkostoissa luottamusta", submission_id="s2")
    console.redraw()
    assert console._words.value != before

"""Groups and walls keep to their members and their moments: a group's canvas is edited only by
its members, a partial save changes only what it sends, and +1s count only on an open,
revealed wall. Driven through ipywidgets' comm path on a real SQLite store."""
from __future__ import annotations

import pytest
from conftest import browser_sends

from vertaiset_widgets.config import PageParams
from vertaiset_widgets.errors import VertaisetActivityClosedError
from vertaiset_widgets.participant import ParticipantPage
from vertaiset_widgets.kinds.highlights.wall import post_highlight, read_wall, vote

CANVAS = "tavoitekanvaasi"
WALL = "unelmaverkosto"


@pytest.fixture
def session(store):
    session, _key = store.create_session("Paja", network="Verkosto")
    return session


def _page(store, content, session, token, group=None):
    page = ParticipantPage(PageParams(session=session.code), content=content, store=store)
    page.join_as(token)
    if group:
        browser_sends(page.profile_form, {"type": "submit", "value": {"nickname": token, "group": group}})
    return page


def _canvas_form(page):
    page.refresh()
    panel = page.kind_panels[CANVAS]
    return panel.forms[panel.state.round]


def _entries(store, session):
    latest = {}
    for a in store.answers(session.id, CANVAS):
        latest[(a.layer, a.item)] = a.value_text
    return latest


def test_canvas_refuses_another_groups_name(store, content, session):
    """A member of one group who types another group's name neither reads nor writes that group's canvas."""
    store.set_activity_state(session.id, CANVAS, is_open=True)
    anna = _page(store, content, session, "token-anna-0001", group="Järjestöt")
    browser_sends(_canvas_form(anna), {"type": "submit", "value": {"_group": "Järjestöt", "miksi": "Nuoret mukaan"}})
    eve = _page(store, content, session, "token-eve-00001", group="Oppilaitokset")
    form = _canvas_form(eve)
    assert "Nuoret mukaan" not in form.value.values()
    browser_sends(form, {"type": "submit", "value": {"_group": "Järjestöt", "miksi": ""}})
    assert form.status_kind == "error" and "Oppilaitokset" in form.status
    assert _entries(store, session) == {("Järjestöt", "miksi"): "Nuoret mukaan"}
    assert store.participants(session.id)[1].group_name == "Oppilaitokset"


def test_partial_canvas_save_keeps_the_other_boxes(store, content, session):
    """A member who changes one box leaves the boxes another member saved meanwhile as they are."""
    store.set_activity_state(session.id, CANVAS, is_open=True)
    anna = _page(store, content, session, "token-anna-0001", group="Järjestöt")
    ben = _page(store, content, session, "token-ben-00001", group="Järjestöt")
    aform, bform = _canvas_form(anna), _canvas_form(ben)  # both see an empty canvas
    browser_sends(aform, {"type": "submit", "value": {"_group": "Järjestöt", "miksi": "Annan syy", "kuka": ""}})
    assert aform.status_kind == "ok"
    # Ben's browser still shows the empty boxes it loaded: he fills in only "kuka"
    browser_sends(bform, {"type": "submit", "value": {"_group": "Järjestöt", "miksi": "", "kuka": "Bena ja Anna"}})
    assert bform.status_kind == "ok"
    assert _entries(store, session) == {("Järjestöt", "miksi"): "Annan syy", ("Järjestöt", "kuka"): "Bena ja Anna"}


def test_canvas_box_can_still_be_emptied_on_purpose(store, content, session):
    """Emptying a box that the member saw filled is a change, and it is saved."""
    store.set_activity_state(session.id, CANVAS, is_open=True)
    anna = _page(store, content, session, "token-anna-0001", group="Järjestöt")
    form = _canvas_form(anna)
    browser_sends(form, {"type": "submit", "value": {"_group": "Järjestöt", "miksi": "Syy", "kuka": "Me"}})
    browser_sends(form, {"type": "submit", "value": {"_group": "Järjestöt", "miksi": "Syy", "kuka": ""}})
    assert form.status_kind == "ok"
    assert _entries(store, session) == {("Järjestöt", "miksi"): "Syy", ("Järjestöt", "kuka"): None}


@pytest.mark.parametrize("is_open,is_revealed", [(True, False), (False, True), (False, False)])
def test_votes_only_on_an_open_revealed_wall(store, session, is_open, is_revealed):
    """A +1 is refused while the wall is hidden or closed, and nothing is stored."""
    author, voter = store.join(session.id, "token-author-01"), store.join(session.id, "token-voter-001")
    store.set_activity_state(session.id, WALL, is_open=True)
    item = post_highlight(store, author, WALL, "Yhteinen kalenteri", submission_id="p1")
    store.set_activity_state(session.id, WALL, is_open=is_open, is_revealed=is_revealed)
    with pytest.raises(VertaisetActivityClosedError):
        vote(store, voter, WALL, item, submission_id="v1")
    assert not read_wall(store, session.id, WALL)[0].voters


def test_vote_counts_on_an_open_revealed_wall(store, session):
    """On an open, revealed wall a +1 counts once."""
    author, voter = store.join(session.id, "token-author-01"), store.join(session.id, "token-voter-001")
    store.set_activity_state(session.id, WALL, is_open=True)
    item = post_highlight(store, author, WALL, "Yhteinen kalenteri", submission_id="p1")
    store.set_activity_state(session.id, WALL, is_revealed=True)
    vote(store, voter, WALL, item, submission_id="v1")
    vote(store, voter, WALL, item, submission_id="v1")
    assert len(read_wall(store, session.id, WALL)[0].voters) == 1


def test_closed_wall_disables_the_phones_vote_buttons(store, content, session):
    """A revealed wall that is closed shows on the phone with its +1 buttons off."""
    author = store.join(session.id, "token-author-01")
    store.set_activity_state(session.id, WALL, is_open=True)
    post_highlight(store, author, WALL, "Yhteinen kalenteri", submission_id="p1")
    store.set_activity_state(session.id, WALL, is_open=False, is_revealed=True)
    page = _page(store, content, session, "token-voter-001")
    page.refresh()
    wall = page.kind_panels[WALL].wall
    assert wall.items and wall.disabled

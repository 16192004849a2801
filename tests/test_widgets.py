"""Widgets driven in plain pytest: set traits, submit, assert on the store and the children."""
from __future__ import annotations

import ipywidgets as W
import pytest
from conftest import browser_sends, ipython_shell

from vertaiset_widgets.config import PageParams
from vertaiset_widgets.forms import RatingForm
from vertaiset_widgets.participant import ParticipantPage
from vertaiset_widgets.consoles import ActivityConsole
from vertaiset_widgets.workbook import Workbook

ACT = "arviointi_360"


@pytest.fixture
def room(store):
    session, key = store.create_session("Paja", network="Verkosto")
    return session, key


def _page(store, content, code, lang="fi"):
    return ParticipantPage(PageParams(session=code, lang=lang), content=content, store=store)


def _shown(page):
    """Every widget the page shows for its activities, the panels' contents included."""
    stack = list(page._activities.children)
    while stack:
        widget = stack.pop(0)
        yield widget
        stack[:0] = getattr(widget, "children", ())


def _forms(page):
    return [c for c in _shown(page) if isinstance(c, RatingForm)]


def test_participant_waits_until_an_activity_opens(store, content, room):
    """Joined but nothing open: the page says to wait; opening shows the form after a poll."""
    session, _ = room
    page = _page(store, content, session.code)
    page.join_as("browser-token-1")
    assert _forms(page) == []
    assert any("Odota hetki" in getattr(c, "value", "") for c in page._activities.children)
    store.set_activity_state(session.id, ACT, is_open=True)
    page.refresh()
    (form,) = _forms(page)
    assert len(form.items) == 8 and [layer["label"] for layer in form.layers] == ["Ennen", "Nyt", "Tulevaisuudessa"]
    assert form.points == [0, 1, 2, 3, 4, 5]


def test_rating_submit_stores_and_acknowledges(store, content, room):
    """Submitting the form from the browser stores every chosen value and says so."""
    session, _ = room
    store.set_activity_state(session.id, ACT, is_open=True)
    page = _page(store, content, session.code)
    page.join_as("browser-token-1")
    (form,) = _forms(page)
    browser_sends(form, {"type": "submit", "value": {"nyt|johtaminen": 4, "ennen|johtaminen": 2}})
    stored = {(a.layer, a.item): a.value_num for a in store.answers(session.id, ACT)}
    assert stored == {("nyt", "johtaminen"): 4.0, ("ennen", "johtaminen"): 2.0}
    assert form.status_kind == "ok" and "2/24" in form.status


def test_answers_come_back_on_a_new_page(store, content, room):
    """A new page (refresh, culled kernel) with the same browser token shows the earlier answers."""
    session, _ = room
    store.set_activity_state(session.id, ACT, is_open=True)
    first = _page(store, content, session.code)
    first.join_as("browser-token-1")
    _forms(first)[0].submit({"nyt|johtaminen": 5})
    again = _page(store, content, session.code)
    again.join_as("browser-token-1")
    (form,) = _forms(again)
    assert form.value == {"nyt|johtaminen": 5}
    assert "Aiemmat vastauksesi" in form.status


def test_rating_form_drops_values_off_the_scale(store, content, room):
    """Values outside the scale or for unknown items never reach the store."""
    session, _ = room
    store.set_activity_state(session.id, ACT, is_open=True)
    page = _page(store, content, session.code)
    page.join_as("browser-token-1")
    (form,) = _forms(page)
    browser_sends(form, {"type": "submit", "value": {"nyt|johtaminen": 9, "nyt|bogus": 3, "ennen|johtaminen": "2"}})
    assert [(a.item, a.layer, a.value_num) for a in store.answers(session.id, ACT)] == [("johtaminen", "ennen", 2.0)]


def test_empty_submit_asks_for_a_value(store, content, room):
    """Submitting nothing stores nothing and says what to do."""
    session, _ = room
    store.set_activity_state(session.id, ACT, is_open=True)
    page = _page(store, content, session.code)
    page.join_as("browser-token-1")
    (form,) = _forms(page)
    form.submit({})
    assert form.status_kind == "error" and store.count_rows(session.id) == 0


def test_closing_disables_the_form_and_refuses_late_answers(store, content, room):
    """After closing, the form is disabled and a late submit is refused with a message."""
    session, _ = room
    store.set_activity_state(session.id, ACT, is_open=True)
    page = _page(store, content, session.code)
    page.join_as("browser-token-1")
    (form,) = _forms(page)
    store.set_activity_state(session.id, ACT, is_open=False)
    form.submit({"nyt|johtaminen": 3})  # sent before the page noticed
    assert form.status_kind == "error" and store.count_rows(session.id) == 0
    page.refresh()
    assert form.disabled


def test_revealed_results_show_room_means(store, content, room):
    """Revealed results show the room's means as a table, with participants' words escaped."""
    session, _ = room
    store.set_activity_state(session.id, ACT, is_open=True)
    page = _page(store, content, session.code)
    page.join_as("browser-token-1")
    _forms(page)[0].submit({"nyt|johtaminen": 4})
    store.set_activity_state(session.id, ACT, is_open=False, is_revealed=True)
    page.refresh()
    html = "".join(getattr(c, "value", "") for c in _shown(page) if isinstance(c, W.HTML))
    assert "<table" in html and "4.0" in html and "Vastaajia: 1" in html


def test_profile_is_saved_and_escaped(store, content, room):
    """Nickname and group are saved; markup in them is shown as text."""
    session, _ = room
    page = _page(store, content, session.code)
    page.join_as("browser-token-1")
    page.profile_form.submit({"nickname": "<b>Aino</b>", "group": "Ryhmä 1"})
    assert store.participants(session.id)[0].nickname == "<b>Aino</b>"
    assert page.profile_form.value == {"nickname": "<b>Aino</b>", "group": "Ryhmä 1"}
    assert page.profile_form.status_kind == "ok"


def test_unknown_code_says_so(store, content):
    """An unknown code shows a friendly message and the join form."""
    page = _page(store, content, "NOSUCH")
    assert "NOSUCH" in page.message and "ei löydy" in page.message
    assert page.code_form is not None


def test_typed_code_joins(store, content, room):
    """Without a code the page asks for one; a typed code (any case) opens the session."""
    session, _ = room
    page = _page(store, content, "")
    page.code_form.submit({"code": session.code.lower()})
    assert page.session is not None and page.session.id == session.id
    page2 = _page(store, content, "")
    page2.code_form.submit({"code": "zzzzzz"})
    assert page2.session is None and page2.code_form.status_kind == "error"


def test_closed_session_says_so(store, content, room):
    """A closed session tells the participant it is closed."""
    session, _ = room
    store.set_session_open(session.id, False)
    page = _page(store, content, session.code)
    assert "suljettu" in page.message


@pytest.mark.parametrize("lang,word", [("fi", "Lähetä vastaukset"), ("sv", "Skicka svaren"), ("en", "Send answers")])
def test_participant_language(store, content, room, lang, word):
    """The form speaks the page's language."""
    session, _ = room
    store.set_activity_state(session.id, ACT, is_open=True)
    page = _page(store, content, session.code, lang)
    page.join_as("browser-token-1")
    assert _forms(page)[0].texts["submit"] == word


def test_facilitator_controls_need_the_key(store, content, room):
    """With the key the console has controls; without it, none and a message."""
    session, key = room
    wb = Workbook(PageParams(session=session.code, role="facilitator", key=key), content=content, store=store)
    console = wb.activity(ACT)
    assert {"open", "close", "reveal", "hide", "reset", "timer_stop"} <= set(console.buttons)
    wb2 = Workbook(PageParams(session=session.code, role="facilitator", key="wrong"), content=content, store=store)
    assert wb2.activity(ACT).buttons == {} and "avain" in wb2.problem


def test_facilitator_opens_and_sees_respondents(store, content, room):
    """Opening from the console lets participants answer; the count follows the store."""
    session, key = room
    wb = Workbook(PageParams(session=session.code, role="facilitator", key=key), content=content, store=store)
    console: ActivityConsole = wb.activity(ACT)
    console.buttons["open"].click()
    assert store.activity_state(session.id, ACT).is_open
    assert console.buttons["open"].disabled and not console.buttons["close"].disabled
    page = _page(store, content, session.code)
    page.join_as("browser-token-1")
    _forms(page)[0].submit({"nyt|johtaminen": 4})
    assert console.respondents == 0
    wb.refresh()
    assert console.respondents == 1
    assert "data:image/svg+xml;base64," in console._radar.value


def test_a_live_console_draws_its_charts_once_the_browser_shows_the_page(store, content, room):
    """On a live page (an event loop runs) the console comes up without its charts and puts an
    invisible "shown" widget on the page; the charts are drawn when the browser says it shows the
    page, not before (the kernel stays free to send the page's widgets)."""
    import asyncio

    from IPython.utils.capture import capture_output

    from vertaiset_widgets.room_widgets import PageShown

    session, key = room
    page = _page(store, content, session.code)
    store.set_activity_state(session.id, ACT, is_open=True)
    page.join_as("browser-token-1")
    _forms(page)[0].submit({"nyt|johtaminen": 4})
    store.set_activity_state(session.id, ACT, is_revealed=True)

    async def live() -> tuple[str, str, list]:
        with ipython_shell(), capture_output() as shown:
            wb = Workbook(PageParams(session=session.code, role="screen"), content=content, store=store)
            console = wb.activity(ACT)
        await asyncio.sleep(0.2)
        before = console._radar.value
        signals = [o for o in shown.outputs if "application/vnd.jupyter.widget-view+json" in o.data]
        signal = wb.charts_when_shown._signal
        assert isinstance(signal, PageShown)
        browser_sends(signal, {"type": "shown"})
        for _ in range(50):
            await asyncio.sleep(0.1)
            if console._radar.value:
                break
        return before, console._radar.value, signals

    before, after, signals = asyncio.run(live())
    assert before == ""
    assert "<img" in after
    assert len(signals) == 1  # one signal on the page, displayed with the first console


def test_screen_shows_results_only_when_revealed(store, content, room):
    """The room's screen shows the radar only after the facilitator reveals it."""
    session, key = room
    store.set_activity_state(session.id, ACT, is_open=True)
    wb = Workbook(PageParams(session=session.code, role="screen"), content=content, store=store)
    console = wb.activity(ACT)
    assert console.buttons == {} and console._radar.value == ""
    store.set_activity_state(session.id, ACT, is_revealed=True)
    wb.refresh()
    assert "<img" in console._radar.value


def test_header_shows_join_code_and_qr(store, content, room):
    """The facilitator's header carries the join code, the participant link and a QR image with alt text."""
    session, key = room
    wb = Workbook(PageParams(session=session.code, role="facilitator", key=key), content=content, store=store)
    header = next(c for c in wb.header().children if "vt-header" in c._dom_classes)
    assert session.code in header.value and "osallistu.ipynb?session=" in header.value
    assert "class='vt-qr' alt='QR-koodi" in header.value
    assert "role=screen" in header.value  # the facilitator gets the screen's link


def test_screen_is_a_presenter_with_a_join_banner(store, content, room):
    """The room's screen is a presenter view: a join banner with the code and QR, the large join card
    while nothing runs, and the activity's title and question in place of any state word."""
    session, _ = room
    wb = Workbook(PageParams(session=session.code, role="screen"), content=content, store=store)
    presenter = wb.header()
    console = wb.activity(ACT)
    assert "vt-presenter" in presenter._dom_classes
    banner, card = presenter._banner.value, presenter._card.value
    assert f"data-vt-code='{session.code}'" in banner and "class='vt-qr'" in banner and "vt-join-banner" in banner
    assert f"data-vt-code='{session.code}'" in card and "vt-join-card" in card
    assert presenter.shown is None and presenter._card.layout.display is None  # nothing runs: the join card
    store.set_activity_state(session.id, ACT, is_open=True)
    wb.refresh()
    assert presenter.shown is console and console.layout.display is None and presenter._card.layout.display == "none"
    words = console.children[0].children[0].value
    assert "vt-presenter-title" in words and "vt-presenter-question" in words
    assert "Vastaa nyt puhelimella" in console._state_line.value
    assert "Tila" not in console._state_line.value and "avoinna" not in console._state_line.value.lower()


def test_unknown_session_in_workbook_is_a_message(store, content):
    """A facilitator link with an unknown code shows a message, not a traceback."""
    wb = Workbook(PageParams(session="NOSUCH", role="facilitator"), content=content, store=store)
    assert "NOSUCH" in wb.problem
    assert wb.activity(ACT) is None


def test_broken_templates_give_a_page_that_says_so(monkeypatch, tmp_path):
    """A broken template file gives the workbook a message naming the file, not a traceback."""
    (tmp_path / "languages.yaml").write_text("languages: [oops", encoding="utf-8")
    monkeypatch.setenv("VERTAISET_TEMPLATES", str(tmp_path))
    wb = Workbook.open(session="X", role="facilitator")
    assert "languages.yaml" in wb.problem and "virhe" in wb.problem
    from vertaiset_widgets.participant import participant_page

    page = participant_page(session="X", lang="sv")
    assert "languages.yaml" in page.value and "fel" in page.value


def test_agenda_shows_now_and_next(store, content, room):
    """The facilitator's header lists the day's plan and marks what runs now and what is next."""
    session, key = room
    store.set_agenda(session.id, [("04_arviointi.ipynb", "arviointi_360", "9.15"), ("04_arviointi.ipynb", "unelmaverkosto", "10.00")])
    wb = Workbook(PageParams(session=session.code, role="facilitator", key=key), content=content, store=store)
    wb.header()
    assert "data-vt-agenda='next'" in wb.agenda_html()  # nothing started: the first is next
    store.set_activity_state(session.id, ACT, is_open=True)
    html = wb.agenda_html()
    assert html.index("data-vt-agenda='now'") < html.index("Unelmiemme verkosto")
    assert "data-vt-agenda='next'>10.00" in html and "href='#activity-unelmaverkosto'" in html  # same workbook: an anchor


def test_facilitator_closes_the_session(store, content, room):
    """Closing the workshop from the console stops participants' answers and tells them."""
    session, key = room
    store.set_activity_state(session.id, ACT, is_open=True)
    page = _page(store, content, session.code)
    page.join_as("browser-token-1")
    wb = Workbook(PageParams(session=session.code, role="facilitator", key=key), content=content, store=store)
    wb.header()
    wb.session_button.click()
    assert store.get_session(session.code).is_open  # it asks first
    wb.session_close.cancel.click()
    assert store.get_session(session.code).is_open
    wb.session_button.click()
    wb.session_close.confirm.click()
    assert not store.get_session(session.code).is_open
    page.refresh()
    assert "suljettu" in page.message and _forms(page) == []
    wb.session_button.click()
    assert store.get_session(session.code).is_open


def test_screen_shows_only_what_runs_now(store, content, room):
    """The room's screen shows the activity that is open or revealed and hides the others."""
    session, _ = room
    wb = Workbook(PageParams(session=session.code, role="screen"), content=content, store=store)
    rating, wall = wb.activity(ACT), wb.activity("unelmaverkosto")
    assert rating.layout.display == "none" and wall.layout.display == "none"  # nothing runs: the join card
    store.set_activity_state(session.id, "unelmaverkosto", is_open=True)
    wb.refresh()
    assert rating.layout.display == "none" and wall.layout.display is None
    wb.presenter.step(-1)  # the screen's own choice: the activity before, the store untouched
    assert rating.layout.display is None and wall.layout.display == "none"
    assert not store.activity_state(session.id, ACT).is_open
    store.set_activity_state(session.id, ACT, is_revealed=True)
    wb.refresh()  # the room changed: the screen follows it again (the open one first)
    assert wall.layout.display is None and rating.layout.display == "none"


def test_agenda_marks_now_only_while_open_and_links_anchors(store, content, room):
    """The agenda says "nyt" only while an activity is open; within the workbook it links to the activity's anchor."""
    session, key = room
    store.set_agenda(session.id, [("04_arviointi.ipynb", ACT, "9.15"), ("01_tilannekuva.ipynb", "kuulumiset", "10.00")])
    wb = Workbook(PageParams(session=session.code, role="facilitator", key=key), content=content, store=store)
    store.set_activity_state(session.id, ACT, is_open=True)
    store.set_activity_state(session.id, ACT, is_open=False)
    html = wb.agenda_html()
    assert "data-vt-agenda='now'" not in html and "data-vt-agenda='next'>10.00" in html
    assert f"href='#activity-{ACT}'" in html and "#activity-kuulumiset'" in html
    assert f"01_tilannekuva.ipynb?session={session.code}&amp;key={key}#activity-kuulumiset" in html


def test_now_bar_follows_the_open_activity_and_acts_on_it(store, content, room):
    """The now bar moves to what opens, its buttons act on that activity, and a jump makes another current."""
    session, key = room
    wb = Workbook(PageParams(session=session.code, role="facilitator", key=key), content=content, store=store)
    wb.header()
    rating, wall = wb.activity(ACT), wb.activity("unelmaverkosto")
    bar = wb.now_bar
    assert bar.current == ACT and "vt-now-bar" in bar._dom_classes
    assert rating.fold.expanded and rating.body.layout.display is None  # the current one is unfolded...
    assert not wall.fold.expanded and wall.body.layout.display == "none"  # ...the others folded to their titles
    # the bar shows the current entry's controls; the others' are not made (a third of a console's widgets)
    assert rating._controls_row is not None and wall._controls_row is None
    store.set_activity_state(session.id, "unelmaverkosto", is_open=True)
    wb.refresh()
    assert bar.current == "unelmaverkosto" and "Avoinna" in bar._title.value
    assert wall._controls_row in bar._controls.children  # made as it became current, in its state:
    assert bar.buttons["open"].disabled and not bar.buttons["close"].disabled and not bar.buttons["reveal"].disabled
    assert wall.fold.badge == "Avoinna" and rating.fold.badge == "Ei vielä avattu"
    bar.buttons["reveal"].click()
    assert store.activity_state(session.id, "unelmaverkosto").is_revealed
    bar.set_current(ACT)
    bar.buttons["open"].click()
    assert store.activity_state(session.id, ACT).is_open
    assert "href='#activity-unelmaverkosto'" in bar._steps.value  # next within the workbook: an anchor



def test_a_live_consoles_folded_entry_makes_its_body_when_first_unfolded(store, content, room):
    """On a live console (an event loop runs) an entry folded to its title has no body yet: its
    method, results, tools and "make current" are made when it is first unfolded, then drawn. Its
    badge follows the room meanwhile. An open activity's entry comes up unfolded, with its body."""
    import asyncio

    from IPython.utils.capture import capture_output

    session, key = room
    store.set_activity_state(session.id, "unelmaverkosto", is_open=True)

    async def live() -> tuple:
        with ipython_shell(), capture_output():
            wb = Workbook(PageParams(session=session.code, role="facilitator", key=key), content=content, store=store)
            wb.header()
            wall, rating = wb.activity("unelmaverkosto"), wb.activity(ACT)
        folded = (len(rating.body.children), rating.make_current, rating.fold.badge, len(wall.body.children) > 0)
        store.set_activity_state(session.id, ACT, is_revealed=True)
        rating.redraw()
        badge = rating.fold.badge
        rating.fold.expanded = True  # the facilitator opens the entry
        made = [type(w).__name__ for w in rating.body.children]
        return folded, badge, made, rating.make_current in rating.body.children, rating._charts_stale

    folded, badge, made, has_make_current, stale = asyncio.run(live())
    assert folded == (0, None, "Ei vielä avattu", True)
    assert badge == "Tulokset näkyvissä"
    assert has_make_current and made.count("HTML") >= 4  # method, state, counts, notice, the radar ...
    assert not stale  # drawn as it was unfolded


def test_a_folded_entry_draws_its_results_when_unfolded(store, content, room, monkeypatch):
    """On a live page a folded entry of the console draws no charts (a console of many activities comes
    up and follows the room without them); unfolded, it draws them at once, and again on each change."""
    session, key = room
    wb = Workbook(PageParams(session=session.code, role="facilitator", key=key), content=content, store=store)
    wb.header()
    wall = wb.activity("unelmaverkosto")
    drawn: list[str] = []
    monkeypatch.setattr(type(wall), "_draw", lambda self, results: drawn.append(self.activity.id))
    wall._lazy = True  # as on a live page (Voila runs the notebook on an event loop)
    wall.fold.expanded = False  # folded to its title
    drawn.clear()
    wall.redraw()
    assert drawn == [] and wall._charts_stale
    wall.fold.expanded = True  # the facilitator opens the entry
    assert drawn == ["unelmaverkosto"] and not wall._charts_stale
    wall.redraw()
    assert drawn == ["unelmaverkosto"] * 2


def test_room_parts_call_back_on_their_own_signal_only():
    """A catalogue entry's fold calls back when the browser says the address names it; the page's
    "shown" calls back when the browser shows the page; neither answers the other's signal."""
    from vertaiset_widgets.room_widgets import Fold, PageShown

    fold, shown, heard = Fold(anchor="activity-x"), PageShown(), []
    fold.on_current(lambda: heard.append("current"))
    shown.on_shown(lambda: heard.append("shown"))
    browser_sends(fold, {"type": "shown"})
    browser_sends(shown, {"type": "current"})
    browser_sends(fold, "not a dict")
    assert heard == []
    browser_sends(fold, {"type": "current"})
    browser_sends(shown, {"type": "shown"})
    assert heard == ["current", "shown"]


@pytest.mark.parametrize("role", ["facilitator", "screen"])
def test_a_console_shares_the_layouts_that_never_change(store, content, room, role):
    """A console's and a screen's widgets share one layout model unless they hide or show
    themselves: per activity at most two keep their own (on the console its folding body, and its
    "make current" button, hidden while it is current; on the screen the activity, shown one at a
    time). Each layout is a model the kernel sends, the server passes on and the browser builds
    before the page works."""
    from ipywidgets.widgets.widget import _instances

    session, key = room
    before = set(_instances)
    wb = Workbook(PageParams(session=session.code, role=role, key=key), content=content, store=store)
    wb.header()
    activities = ["arviointi_360", "historia_360", "unelmaverkosto", "kaytannon_kypsyys", "pirstaloitumisen_riskit"]
    for activity in activities:
        wb.activity(activity)
    made = [w for k, w in _instances.items() if k not in before]
    own = [w for w in made if type(w) is W.Layout]
    assert len(made) > 60
    assert len(own) <= 2 * len(activities) + 4, len(own)  # + the now bar's own, the screen's banner...


def test_a_joined_phone_page_shares_one_layout_and_one_text_style(store, content, room):
    """The phone's widgets whose looks never change share one layout model and one text style
    (shared_models), so a joined page sends and builds about half the models; a shared model
    refuses to change, naming what to do instead."""
    from vertaiset_widgets.shared_models import SharedLayout, shared_layout

    session, _ = room
    store.set_activity_state(session.id, "unelmaverkosto", is_open=True)
    page = _page(store, content, session.code)
    page.join_as("browser-token-1")
    seen, stack = [], [page]
    while stack:
        widget = stack.pop()
        seen.append(widget)
        stack.extend(getattr(widget, "children", ()))
    dom = [w for w in seen if isinstance(w, W.DOMWidget)]
    layouts = {id(w.layout) for w in dom}
    styles = {id(w.style) for w in dom if isinstance(w, W.HTML)}
    assert len(dom) >= 15  # the header, the slot, the highlights' forms and walls...
    assert sum(isinstance(w.layout, SharedLayout) for w in dom) >= len(dom) - 3
    assert len(layouts) <= 2 and len(styles) == 1  # the waiting note hides itself: its own layout
    with pytest.raises(AttributeError, match="shared by several widgets"):
        shared_layout().display = "none"
    page._waiting.layout.display = "none"  # a widget that changes its looks has a layout of its own

"""The kinds of the phase 1 and 2 workbooks at the widget level: a participant's page driven through
ipywidgets' comm path (as a browser would), the facilitator's console and the report's blocks,
all on a real SQLite store."""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest
from conftest import browser_sends

from vertaiset_widgets import kinds
from vertaiset_widgets.config import PageParams
from vertaiset_widgets.errors import VertaisetInputError
from vertaiset_widgets.i18n import Translator
from vertaiset_widgets.kinds.network_map.network import add_actor, add_tie, load_network, to_graphml, to_kumu
from vertaiset_widgets.participant import ParticipantPage
from vertaiset_widgets.results import results_for
from vertaiset_widgets.consoles import BlocksConsole
from vertaiset_widgets.workbook import Workbook
from vertaiset_widgets.kinds.agreement_board.board import read_board, write_board


@pytest.fixture
def room(store):
    session, key = store.create_session("Paja", network="Verkosto")
    return session, key


def _page(store, content, code, token, lang="fi"):
    page = ParticipantPage(PageParams(session=code, lang=lang), content=content, store=store)
    page.join_as(token)
    return page


def _open(store, session, *activities):
    for a in activities:
        store.set_activity_state(session.id, a, is_open=True)


def _panel(page, activity):
    page.refresh()
    panel = page.kind_panels[activity]
    assert panel in page.shown(activity)
    return panel


def _form(page, activity):
    panel = _panel(page, activity)
    return panel.forms[panel.state.round]


def _latest(store, session, activity):
    return {(a.layer, a.item): (a.value_num if a.value_num is not None else a.value_text) for a in store.answers(session.id, activity)}


def _console(store, content, session, key, activity, role="facilitator", lang="fi"):
    wb = Workbook(PageParams(session=session.code, role=role, key=key, lang=lang), content=content, store=store)
    console = wb.activity(activity)
    assert isinstance(console, BlocksConsole)
    return console


def _blocks_text(console) -> str:
    return "".join(w.value for w in console._box.children)


# ---------------------------------------------------------------------- choice
def test_single_choice_now_and_wanted(store, content, room):
    """One option per layer; changing the answer replaces it, and the console counts the latest."""
    session, key = room
    _open(store, session, "verkostotyyppi")
    page = _page(store, content, session.code, "token-aaaa")
    form = _form(page, "verkostotyyppi")
    assert [layer["label"] for layer in form.layers] == ["Nyt", "Toivottu"] and len(form.options) == 4
    browser_sends(form, {"type": "submit", "value": {"nyt|hierarkkisesti_johdettu": 1, "toivottu|yhdessa_johdettu": 1}})
    assert form.status_kind == "ok"
    browser_sends(form, {"type": "submit", "value": {"nyt|kaoottinen": 1, "toivottu|yhdessa_johdettu": 1}})
    stored = _latest(store, session, "verkostotyyppi")
    assert stored[("nyt", "kaoottinen")] == 1 and stored[("nyt", "hierarkkisesti_johdettu")] == 0
    # two options in one layer (a crafted message) keeps neither
    browser_sends(form, {"type": "submit", "value": {"nyt|kaoottinen": 1, "nyt|yhdessa_johdettu": 1}})
    assert _latest(store, session, "verkostotyyppi")[("nyt", "kaoottinen")] == 1
    console = _console(store, content, session, key, "verkostotyyppi")
    counts = results_for(content.activity("verkostotyyppi")).load(store, session, content.activity("verkostotyyppi"), console.wb.tr).counts()
    assert counts.set_index(["option", "layer"])["value"].to_dict()[("kaoottinen", "nyt")] == 1
    assert "Kaoottinen" in _blocks_text(console) and "<table" in _blocks_text(console)


def test_dot_vote_limits_the_dots(store, content, room):
    """A dot vote takes at most the set number of dots, several on one option allowed."""
    session, _ = room
    _open(store, session, "tyypilliset_tavoitteet")
    page = _page(store, content, session.code, "token-aaaa")
    form = _form(page, "tyypilliset_tavoitteet")
    assert form.mode == "dots" and form.dots == 3
    browser_sends(form, {"type": "submit", "value": {"|asiakkaan_palveleminen": 3, "|ilmio": 1}})
    assert form.status_kind == "error" and "3" in form.status
    assert store.answers(session.id, "tyypilliset_tavoitteet") == []
    browser_sends(form, {"type": "submit", "value": {"|asiakkaan_palveleminen": 2, "|ilmio": 1}})
    assert form.status_kind == "ok"
    assert _latest(store, session, "tyypilliset_tavoitteet")[("", "asiakkaan_palveleminen")] == 2


def test_allocation_must_add_up(store, content, room):
    """Points must add up to 100 per layer; the error names the layer, and nothing is stored until they do."""
    session, key = room
    _open(store, session, "hierarkia_markkina_verkosto")
    page = _page(store, content, session.code, "token-aaaa", lang="en")
    form = _form(page, "hierarkia_markkina_verkosto")
    assert form.mode == "allocation" and form.total == 100
    browser_sends(form, {"type": "submit", "value": {"nyt|hierarkia": 50, "nyt|markkina": 20, "nyt|verkosto": 20}})
    assert form.status_kind == "error" and "Now" in form.status and "90" in form.status
    assert store.answers(session.id, "hierarkia_markkina_verkosto") == []
    value = {"nyt|hierarkia": 50, "nyt|markkina": 20, "nyt|verkosto": 30, "toivottu|hierarkia": 20, "toivottu|verkosto": 80}
    browser_sends(form, {"type": "submit", "value": value})
    assert form.status_kind == "ok"
    stored = _latest(store, session, "hierarkia_markkina_verkosto")
    assert stored[("toivottu", "markkina")] == 0 and stored[("nyt", "verkosto")] == 30
    # the page comes back with the same split (refresh, culled kernel)
    again = _page(store, content, session.code, "token-aaaa")
    assert _form(again, "hierarkia_markkina_verkosto").value["toivottu|verkosto"] == 80
    text = _blocks_text(_console(store, content, session, key, "hierarkia_markkina_verkosto"))
    assert "data:image/svg+xml" in text and ">50<" in text


def test_position_between_poles(store, content, room):
    """A position 1–7 per layer, with the poles' words on the form; the console shows the means."""
    session, key = room
    _open(store, session, "rinnakkain_yhdessa")
    page = _page(store, content, session.code, "token-aaaa")
    form = _form(page, "rinnakkain_yhdessa")
    assert form.points == list(range(1, 8)) and form.texts["left"] == "Rinnakkain tekemistä"
    browser_sends(form, {"type": "submit", "value": {"nyt|position": 2, "toivottu|position": 6}})
    other = _form(_page(store, content, session.code, "token-bbbb"), "rinnakkain_yhdessa")
    browser_sends(other, {"type": "submit", "value": {"nyt|position": 4, "toivottu|position": 7}})
    console = _console(store, content, session, key, "rinnakkain_yhdessa")
    means = console._load().means().set_index("layer")["mean"].to_dict()
    assert means == {"nyt": 3.0, "toivottu": 6.5}
    assert "3.0" in _blocks_text(console) and "6.5" in _blocks_text(console)


# ---------------------------------------------------------------------- rating matrix as a heatmap
def test_knowing_trust_commitment_heatmap(store, content, room):
    """The 3 × 4 matrix: the phone groups items under their columns; the console draws a heatmap and column means."""
    session, key = room
    _open(store, session, "tunteminen_luottamus_sitoutuminen")
    page = _page(store, content, session.code, "token-aaaa")
    form = _form(page, "tunteminen_luottamus_sitoutuminen")
    assert [i["group"] for i in form.items].count("Luottamus") == 4 and form.points == [1, 2, 3, 4, 5]
    browser_sends(form, {"type": "submit", "value": {"|luottamus_haavoittuvuus": 2, "|luottamus_johdonmukaisuus": 4, "|tunteminen_nimi": 5}})
    console = _console(store, content, session, key, "tunteminen_luottamus_sitoutuminen")
    means = console._load().column_means().set_index("column")["mean"].to_dict()
    assert means["luottamus"] == 3.0 and means["tunteminen"] == 5.0
    text = _blocks_text(console)
    assert "Osa-alueiden keskiarvot" in text and "3.0" in text and "data:image/svg+xml" in text


# ---------------------------------------------------------------------- canvas
def test_group_canvas_is_shared_within_the_group(store, content, room):
    """Members of one group fill one canvas: the later save of a box wins, the group's page shows it, groups sit side by side."""
    session, key = room
    _open(store, session, "tavoitekanvaasi")
    anna = _page(store, content, session.code, "token-anna")
    form = _form(anna, "tavoitekanvaasi")
    browser_sends(form, {"type": "submit", "value": {"_group": "", "miksi": "Jotta"}})
    assert form.status_kind == "error"  # a group is needed
    browser_sends(form, {"type": "submit", "value": {"_group": "Järjestöt", "miksi": "Jotta nuori ei putoa", "kuka": "Me"}})
    assert form.status_kind == "ok"
    assert store.participants(session.id)[0].group_name == "Järjestöt"
    ben = _page(store, content, session.code, "token-ben")
    browser_sends(ben.profile_form, {"type": "submit", "value": {"nickname": "Ben", "group": "Järjestöt"}})
    bform = _form(ben, "tavoitekanvaasi")
    assert bform.value["_group"] == "Järjestöt" and bform.value["miksi"] == "Jotta nuori ei putoa"
    browser_sends(bform, {"type": "submit", "value": {"_group": "Järjestöt", "kuka": "Me ja seurakunta"}})
    carl = _page(store, content, session.code, "token-carl")
    browser_sends(_form(carl, "tavoitekanvaasi"), {"type": "submit", "value": {"_group": "Oppilaitokset", "miksi": "<b>Opinnot</b>"}})
    console = _console(store, content, session, key, "tavoitekanvaasi")
    entries = console._load().entries()
    assert entries["Järjestöt"] == {"miksi": "Jotta nuori ei putoa", "kuka": "Me ja seurakunta"}
    text = _blocks_text(console)
    assert text.index("Järjestöt") < text.index("Oppilaitokset")
    assert "&lt;b&gt;Opinnot&lt;/b&gt;" in text and "<b>Opinnot" not in text


def test_checkin_room_overview(store, content, room):
    """The check-in: who is here, by organisation and sector, as a room overview."""
    session, key = room
    _open(store, session, "kuulumiset")
    for n, (org, sector) in enumerate([("Kela", "julkinen"), ("Kela", "julkinen"), ("Setlementti", "kolmas_sektori")]):
        form = _form(_page(store, content, session.code, f"token-000{n}"), "kuulumiset")
        browser_sends(form, {"type": "submit", "value": {"nimi": f"Nimi {n}", "organisaatio": org, "sektori": sector, "odotus": "Oppia"}})
        assert form.status_kind == "ok"
    text = _blocks_text(_console(store, content, session, key, "kuulumiset"))
    assert "Kela <span class=vt-muted>×2</span>" in text and "Setlementti" in text
    assert "Nimi 2" in text and "Kolmas sektori" in text and "data:image/svg+xml" in text
    screen = _blocks_text(_console(store, content, session, key, "kuulumiset", role="screen"))
    assert "Oppia" not in screen  # expectations stay off the projector


# ---------------------------------------------------------------------- agreement board
def test_agreement_board_live(store, content, room):
    """The facilitator edits a question; participants see it (escaped) with the progress; a bad status is ignored."""
    session, key = room
    _open(store, session, "toimintatavat")
    console = _console(store, content, session, key, "toimintatavat")
    assert len(console.tools.board_forms) == 15
    form = console.tools.board_forms["k03"]
    browser_sends(form, {"type": "submit", "value": {"answer": "Kerran kuussa <script>x</script>", "status": "sovittu", "owner": "Koordinaattori", "mode": "ohjatusti"}})
    assert form.status_kind == "ok"
    browser_sends(console.tools.board_forms["k06"], {"type": "submit", "value": {"answer": "Kesken", "status": "hyväksytty"}})
    board = read_board(store, session.id, "toimintatavat")
    assert board["k03"] == {"answer": "Kerran kuussa <script>x</script>", "status": "sovittu", "owner": "Koordinaattori", "mode": "ohjatusti"}
    assert "status" not in board["k06"]
    assert "Sovittu 1 / 15" in console._counts.value
    page = _page(store, content, session.code, "token-aaaa")
    text = _panel(page, "toimintatavat")._results.value
    assert "Sovittu 1 / 15" in text and "&lt;script&gt;" in text and "<script>" not in text
    # saving the same values again stores nothing new (append-only, no noise)
    assert write_board(store, session.id, "toimintatavat", "k03", {"status": "sovittu"}) == 0
    browser_sends(console.tools.board_forms["k03"], {"type": "submit", "value": {"status": "osittain"}})
    page.refresh()
    assert "Sovittu 0 / 15" in page.kind_panels["toimintatavat"]._results.value


# ---------------------------------------------------------------------- network map
def test_network_map_together(store, content, room):
    """Two participants add actors and ties; duplicates are refused, a self-tie too; the console merges and hides."""
    session, key = room
    _open(store, session, "verkostokartta")
    a = _page(store, content, session.code, "token-aaaa")
    b = _page(store, content, session.code, "token-bbbb")
    pa, pb = _panel(a, "verkostokartta"), _panel(b, "verkostokartta")
    actor = {"organisation": "Kaupunki", "sector": "julkinen", "side": "sisainen", "role": "pysyvat_kumppanit"}
    browser_sends(pa.actor_form, {"type": "submit", "value": {"name": "Ohjaamo", **actor}})
    assert pa.actor_form.status_kind == "ok"
    browser_sends(pb.actor_form, {"type": "submit", "value": {"name": "  ohjaamo ", **actor}})
    assert pb.actor_form.status_kind == "error" and "jo kartalla" in pb.actor_form.status
    browser_sends(pb.actor_form, {"type": "submit", "value": {"name": "Kela", **actor, "side": "ulkoinen"}})
    browser_sends(pb.actor_form, {"type": "submit", "value": {"name": "Kela-toimisto", **actor}})
    b.refresh()
    ids = {o["label"]: o["value"] for o in pb.tie_form.fields[0]["options"] if o["value"]}
    assert set(ids) == {"Ohjaamo", "Kela", "Kela-toimisto"}
    browser_sends(pb.tie_form, {"type": "submit", "value": {"source": ids["Ohjaamo"], "target": ids["Ohjaamo"], "type": "vahva"}})
    assert pb.tie_form.status_kind == "error"
    browser_sends(pb.tie_form, {"type": "submit", "value": {"source": ids["Ohjaamo"], "target": ids["Kela"], "type": "vahva"}})
    browser_sends(pb.tie_form, {"type": "submit", "value": {"source": ids["Ohjaamo"], "target": ids["Kela-toimisto"], "type": "puuttuva", "note": "Tieto ei kulje"}})
    assert pb.tie_form.status_kind == "ok"
    a.refresh()
    assert "Kartalla nyt 3 toimijaa" in pa._list.value and "Yhteyksiä 2" in pa._list.value
    console = _console(store, content, session, key, "verkostokartta")
    assert "Tieto ei kulje" in _blocks_text(console)
    # the facilitator merges the duplicate: its missing link now joins Ohjaamo and Kela (one tie per type)
    browser_sends(console.tools.map_forms["merge"], {"type": "submit", "value": {"actor": ids["Kela-toimisto"], "into": ids["Kela"]}})
    net = load_network(store, session.id, content.activity("verkostokartta"))
    assert [x.name for x in net.visible_actors] == ["Ohjaamo", "Kela"]
    assert sorted(e["type"] for e in net.edges()) == ["puuttuva", "vahva"]
    assert [net.name_of(e["target"]) for e in net.missing_links()] == ["Kela"]
    assert "data-vt-actors='2'" in console._counts.value
    # hiding a tie takes it off the map; the rows stay in the store
    tie = next(e for e in net.edges() if e["type"] == "vahva")
    browser_sends(console.tools.map_forms["hide"], {"type": "submit", "value": {"item": tie["id"]}})
    assert len(load_network(store, session.id, content.activity("verkostokartta")).edges()) == 1
    # a participant takes back their own actor, not someone else's
    a.refresh()
    own = [o["value"] for o in pa.remove_form.fields[0]["options"]]
    assert own == [ids["Ohjaamo"]]
    with pytest.raises(VertaisetInputError):
        from vertaiset_widgets.kinds.network_map.network import remove_own

        remove_own(store, a.participant, content.activity("verkostokartta"), ids["Kela"], submission_id="x")


def test_network_exports_parse_back(store, content, demo):
    """GraphML opens in networkx (as in Gephi) and Kumu JSON joins connections to elements by label."""
    import networkx as nx

    session, _key = demo
    activity = content.activity("verkostokartta")
    tr = Translator.create(content, "sv")
    net = load_network(store, session.id, activity)
    graphml = to_graphml(net, tr)
    ET.fromstring(graphml.split("\n", 1)[1])
    import io

    graph = nx.read_graphml(io.BytesIO(graphml.encode("utf-8")))
    assert graph.number_of_nodes() == len(net.visible_actors) == 18
    assert graph.number_of_edges() == len(net.edges())
    sectors = {d["sector"] for _n, d in graph.nodes(data=True)}
    assert "Offentliga sektorn" in sectors or any("offentlig" in s.lower() for s in sectors)
    missing = [d for *_e, d in graph.edges(data=True) if d["missing"]]
    assert len(missing) == len(net.missing_links()) == 4
    kumu = json.loads(to_kumu(net, tr))
    labels = [e["label"] for e in kumu["elements"]]
    assert len(labels) == len(set(labels)) == 18
    assert all(c["from"] in labels and c["to"] in labels for c in kumu["connections"])
    assert len(kumu["connections"]) == len(net.edges())


def test_add_actor_rejects_unknown_choices(store, content, room):
    session, _ = room
    _open(store, session, "verkostokartta")
    person = store.join(session.id, "token-xxxx")
    with pytest.raises(VertaisetInputError) as err:
        add_actor(store, person, content.activity("verkostokartta"), {"name": "X", "sector": "avaruus"}, submission_id="s1")
    assert err.value.code == "invalid"
    first = add_actor(store, person, content.activity("verkostokartta"), {"name": "X"}, submission_id="s2")
    # the same submission again (a retry) stores nothing twice
    assert add_actor(store, person, content.activity("verkostokartta"), {"name": "X"}, submission_id="s2") == first
    with pytest.raises(VertaisetInputError) as err:
        add_tie(store, person, content.activity("verkostokartta"), {"source": first, "target": "a-nosuch", "type": "vahva"}, submission_id="t1")
    assert err.value.code == "unknown"


# ---------------------------------------------------------------------- every kind, every role and language
def _blocks_activities(content) -> list:
    """Every shipped activity of the demo day that the generic blocks console draws (the registry says
    which); the Puimala's activities are answered in the demo Puimala (tests/test_puimala_pages.py)."""
    return [a for a in content.activities.values()
            if kinds.for_activity(a).console_class(a) is BlocksConsole and not a.id.startswith("puimala_")]


@pytest.mark.parametrize("lang", ["fi"])  # every kind's views in Swedish and English: the contract test
def test_every_kind_in_every_role(store, content, demo, lang):
    """With the demo's 25 participants every activity of the blocks console draws its results for the
    facilitator, the screen and the report, in the language asked for, and a participant sees revealed results."""
    session, key = demo
    tr = Translator.create(content, lang)
    page = _page(store, content, session.code, "token-demo-viewer", lang=lang)
    page.refresh()
    activities = _blocks_activities(content)
    assert activities
    for activity in activities:
        activity_id = activity.id
        for role in ("facilitator", "screen"):
            console = _console(store, content, session, key, activity_id, role=role, lang=lang)
            text = _blocks_text(console)
            assert text and "Traceback" not in text, (activity_id, role)
            assert tr("no_answers") not in text, (activity_id, role)  # answered: a result is drawn
        report = results_for(activity).load(store, session, activity, tr)
        blocks = "".join(b for _n, b in report.blocks("report"))
        assert "<table" in blocks or "vt-canvas-card" in blocks, activity_id
        if hasattr(activity, "options"):  # translated labels, in the language asked for
            assert tr.label(activity.options[0]) in blocks, activity_id
        for alt in re.findall(r"alt='([^']*)'", blocks):
            assert alt.strip(), activity_id
        assert page.kind_panels[activity_id] in page.shown(activity_id), activity_id


def test_map_shapes_follow_the_template_in_every_language(store, content, demo):
    """Inside/outside keep their shapes whatever the language's alphabetical order (circle: the first side)."""
    session, _key = demo
    activity = content.activity("verkostokartta")
    for lang in ("fi", "en"):
        results = results_for(activity).load(store, session, activity, Translator.create(content, lang))
        nodes, edges, _guides = results.layout()
        from vertaiset_widgets.kinds.network_map.charts import network_chart

        spec = network_chart(
            nodes, edges, sectors=sorted(set(nodes["sector"])), tie_types=sorted(set(edges["type"])),
            tie_styles=["solid"] * len(set(edges["type"])), side_order=[results.tr.label(s) for s in activity.sides],
        ).to_dict()
        shape = next(layer["encoding"]["shape"] for layer in spec["layer"] if "shape" in layer.get("encoding", {}))
        assert shape["scale"]["domain"][0] == results.tr.label(activity.sides[0])
        assert shape["scale"]["range"][0] == "circle"


def test_group_from_the_profile_reaches_the_canvas_at_once(store, content, room):
    """Saving a group in the profile fills the canvas's group box at once (no poll needed),
    and a canvas saved with an empty group box goes to the profile's group."""
    session, _key = room
    _open(store, session, "tavoitekanvaasi")
    page = _page(store, content, session.code, "token-dora")
    form = _form(page, "tavoitekanvaasi")
    assert not form.value.get("_group")
    browser_sends(page.profile_form, {"type": "submit", "value": {"nickname": "Dora", "group": "Työpajat"}})
    assert form.value["_group"] == "Työpajat"  # without page.refresh()
    browser_sends(form, {"type": "submit", "value": {"_group": "", "miksi": "Polut töihin"}})
    assert form.status_kind == "ok"
    assert [(a.layer, a.value_text) for a in store.answers(session.id, "tavoitekanvaasi") if a.value_text] == [("Työpajat", "Polut töihin")]

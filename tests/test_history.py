"""History across rounds: the demo network's three rounds (``YEE1``, ``YEE2``, the demo day) drawn
by the ``history`` kind for the 360, knowing – trust – commitment and the network map in every
language; the map's dynamic GEXF and Kumu JSON per round read back; and a trainer's rename of a
label and removal of an item after the rounds, which leaves the old rounds readable."""
from __future__ import annotations

import html
import io
import json
import re
import shutil
import time
from datetime import date
from typing import Any

import networkx as nx
import pytest
import yaml

from vertaiset_widgets import aggregate, kinds
from vertaiset_widgets.content import load_content, templates_dir, templates_snapshot
from vertaiset_widgets.demo import DEMO_NETWORK, seed_demo
from vertaiset_widgets.demo_rounds import DEMO_ROUNDS, seed_rounds
from vertaiset_widgets.i18n import Translator
from vertaiset_widgets.kinds.history.model import History
from vertaiset_widgets.kinds.history.results import HistoryResults
from vertaiset_widgets.store import AnswerInput, SessionStore

LANGS = ("fi", "sv", "en")


@pytest.fixture(scope="module")
def content():
    return load_content()


@pytest.fixture(scope="module")
def rounds(tmp_path_factory, content) -> dict[str, Any]:
    """A store with the demo day and its network's two earlier rounds; how long the rounds took."""
    store = SessionStore(f"sqlite:///{tmp_path_factory.mktemp('history') / 'store.sqlite'}")
    demo, _key = seed_demo(store, content)
    start = time.process_time()  # the work itself: a busy machine's waits for the disk are not ours
    earlier = seed_rounds(store, content)
    seconds = time.process_time() - start
    yield {"store": store, "demo": store.get_session(demo.code), "earlier": earlier, "seconds": seconds}
    store.close()


def _blocks(rounds: dict, content: Any, activity_id: str, lang: str, role: str, session: Any = None) -> dict[str, str]:
    tr = Translator.create(content, lang)
    results = HistoryResults.load(rounds["store"], session or rounds["demo"], content.activity(activity_id), tr)
    blocks = dict(results.blocks(role))
    for body in blocks.values():  # every chart has a text alternative, nothing failed
        assert "vt-error" not in body and "Traceback" not in body
        for img in re.findall(r"<img\b[^>]*>", body):
            assert re.search(r"alt='[^']+'", img), img[:200]
    return blocks


def _means(store: SessionStore, session: Any, activity: str, layer: str) -> dict[str, float]:
    frame = aggregate.answers_frame(store.answers(session.id, activity))
    frame = frame[frame["layer"] == layer]
    return frame.groupby("item")["value"].mean().to_dict()


def test_the_demo_network_has_three_rounds_seeded_fast_and_once(rounds, content):
    """seed_rounds puts YEE1 and YEE2 before the demo day in its network, each with its templates,
    in well under a second of work; seeding again adds nothing."""
    store, demo = rounds["store"], rounds["demo"]
    assert rounds["seconds"] < 1.0, rounds["seconds"]
    seen = store.rounds(demo)
    assert [(s.code, s.held_on) for s in seen] == [("YEE1", date(2021, 11, 17)), ("YEE2", date(2022, 5, 18)),
                                                   ("DEMO", date(2022, 11, 16))]
    assert {s.network_name for s in seen} == {DEMO_NETWORK}
    assert all(store.session_templates(s) for s in seen)
    assert all(store.activity_state(demo.id, a).is_revealed for a in ("historia_360", "historia_verkostokartta"))
    assert [len(store.participants(s.id)) for s in rounds["earlier"]] == [r.participants for r in DEMO_ROUNDS]
    assert [s.id for s in seed_rounds(store, content)] == [s.id for s in rounds["earlier"]]


def test_the_360_history_shows_the_rounds_and_whether_the_target_was_reached(rounds, content):
    """The 360 across rounds in fi, sv and en: the rounds side by side and overlaid, and round 2's
    target against the demo day's now per dimension, the numbers those of the rounds' answers."""
    store, (yee1, yee2), demo = rounds["store"], rounds["earlier"], rounds["demo"]
    target, now = _means(store, yee2, "arviointi_360", "tulevaisuudessa"), _means(store, demo, "arviointi_360", "nyt")
    first_now = _means(store, yee1, "arviointi_360", "nyt")
    for lang in LANGS:
        tr = Translator.create(content, lang)
        blocks = _blocks(rounds, content, "historia_360", lang, "report")
        assert list(blocks) == ["rounds", "grid", "overlay", "target"]
        assert html.escape(tr.text(content.activity("historia_360").title)) in blocks["rounds"]
        assert blocks["grid"].count("<img") == blocks["overlay"].count("<img") == blocks["target"].count("<img") == 1
        assert tr("hist_round", n=3, date=tr("hist_date", d=16, m=11, y=2022)) in blocks["overlay"]
        # the table per dimension: target (round 2), now (round 3), difference
        item = content.activity("arviointi_360").items[0]
        row = re.search(rf"<th scope='row'>{re.escape(html.escape(tr.label(item)))}</th>(.*?)</tr>", blocks["target"]).group(1)
        cells = re.findall(r"<td>(.*?)</td>", row)
        assert cells[:2] == [f"{target[item.id]:.1f}", f"{now[item.id]:.1f}"]
        assert f"{round(now[item.id] - target[item.id], 1) + 0.0:+.1f}" in cells[2]
        reached = sum(1 for i in target if now[i] - target[i] >= -0.05)
        assert f"data-vt-reached='{reached}' data-vt-of='8'" in blocks["target"]
        assert 0 < reached < 8  # the demo: most of the way, not all of it
        assert f"{first_now[item.id]:.1f}" in blocks["overlay"]  # round 1's now in the overlay's table
        # the table's headers name the rounds once, and the verdict's header is a word, not a question
        head = re.findall(r"<th scope='col'>(.*?)</th>", blocks["target"])
        assert head[1:] == [html.escape(tr("hist_target_col", n=2)), html.escape(tr("hist_now_col", n=3)),
                            html.escape(tr("hist_diff_col")), html.escape(tr("hist_verdict_col"))]
        assert "?" not in tr("hist_verdict_col") and "\u00a02" in tr("hist_target_col", n=2)
        # the rounds' table wraps its titles (its own class) and names the network in its caption
        assert "class='vt-table vt-hist-rounds'" in blocks["rounds"]
        assert html.escape(DEMO_NETWORK) in blocks["rounds"].split("</caption>")[0]
    assert all(now[i] > first_now[i] for i in now)  # now rises from round to round


def test_the_knowing_trust_commitment_history_shows_the_change_from_the_last_round(rounds, content):
    """Knowing – trust – commitment: a heatmap per round and the change from round 2 to the demo
    day per item, in fi, sv and en."""
    store, yee2, demo = rounds["store"], rounds["earlier"][1], rounds["demo"]
    old = _means(store, yee2, "tunteminen_luottamus_sitoutuminen", "")
    new = _means(store, demo, "tunteminen_luottamus_sitoutuminen", "")
    rises = {i for i in new if new[i] - old[i] > 0.05}
    assert rises and len(rises) < len(new)  # some grow, some fall back
    for lang in LANGS:
        tr = Translator.create(content, lang)
        blocks = _blocks(rounds, content, "historia_tunteminen_luottamus_sitoutuminen", lang, "report")
        assert list(blocks) == ["rounds", "heatmaps", "change"]
        assert blocks["heatmaps"].count("<img") == 3 and blocks["change"].count("<img") == 1
        diffs = re.findall(r"data-vt-diff='([^']*)'", blocks["change"])
        assert diffs == [f"{round(new[i.id] - old[i.id], 1) + 0.0:+.1f}" for i in content.activity("tunteminen_luottamus_sitoutuminen").items]
        assert html.escape(tr.label(content.activity("tunteminen_luottamus_sitoutuminen").columns[1])) in blocks["change"]


def test_the_map_history_names_new_and_lost_actors_and_ties_and_closed_missing_links(rounds, content):
    """The map between round 2 and the demo day: three actors new, one lost, ties new, lost and
    strengthened, two missing links closed now (and one closed a round earlier), in fi, sv and en;
    the facilitator gets the dynamic GEXF and a Kumu JSON per round."""
    for lang in LANGS:
        tr = Translator.create(content, lang)
        blocks = _blocks(rounds, content, "historia_verkostokartta", lang, "facilitator")
        assert list(blocks) == ["rounds", "counts", "stats", "actors", "ties", "closed", "downloads"]
        stats = blocks["stats"]
        assert "data-vt-new-actors='3'" in stats and "data-vt-lost-actors='1'" in stats
        assert "data-vt-lost-ties='1'" in stats and "data-vt-closed-now='2'" in stats
        new, lost = blocks["actors"].split(html.escape(tr("hist_lost_actors")))
        assert all(name in new for name in ("Nuorisovaltuusto", "Seurakunta", "Valmennusyritys")) and "Kirjasto" in lost
        assert "Kirjasto</strong> – <strong>Nuorisotyö" in blocks["ties"].split(html.escape(tr("hist_lost_ties")))[1]
        changed = blocks["ties"].split(html.escape(tr("hist_changed_ties")))[1]
        assert "Ohjaamo</strong> – <strong>Sosiaalityö" in changed
        closed = blocks["closed"].split(html.escape(tr("hist_open_links")))[0]
        assert closed.count("<li>") == 3 and "Ohjaamo</strong> – <strong>TE-toimisto" in closed
        # the tile's two are the list "since the last round"; the one closed between rounds 1 and 2 is listed apart
        since, earlier = closed.split(html.escape(tr("hist_closed_earlier")))
        assert html.escape(tr("hist_closed_since", before=tr("hist_round", n=2, date=tr("hist_date", d=18, m=5, y=2022)),
                                now=tr("hist_round", n=3, date=tr("hist_date", d=16, m=11, y=2022)))) in since
        assert since.count("<li>") == 2 and "TE-toimisto</strong> – <strong>Työpajat" not in since
        assert earlier.count("<li>") == 1 and "TE-toimisto</strong> – <strong>Työpajat" in earlier
        assert "data-vt-closed-now='2' data-vt-closed-earlier='1'" in blocks["closed"]
        assert blocks["downloads"].count("download=") == 4  # the GEXF and one Kumu JSON per round
        assert html.escape(tr.label(content.activity("verkostokartta").ties[0])) in blocks["ties"]


def test_the_screen_shows_each_history_in_a_few_pictures(rounds, content):
    """The room's screen: the 360's two radars and the verdict, the matrix's change, the map's
    numbers and the links closed since the last round; no rounds table."""
    shown = {a: _blocks(rounds, content, a, "sv", "screen")
             for a in ("historia_360", "historia_tunteminen_luottamus_sitoutuminen", "historia_verkostokartta")}
    assert list(shown["historia_360"]) == ["overlay", "target"]
    assert shown["historia_360"]["overlay"].count("<img") == shown["historia_360"]["target"].count("<img") == 1
    assert "vt-hist-verdict" in shown["historia_360"]["target"]
    assert list(shown["historia_tunteminen_luottamus_sitoutuminen"]) == ["change"]
    assert list(shown["historia_verkostokartta"]) == ["stats"]
    assert shown["historia_verkostokartta"]["stats"].count("<li>") == 2
    assert "data-vt-closed-now='2'" in shown["historia_verkostokartta"]["stats"]


def test_the_change_heatmap_s_cells_fit_their_labels():
    """A label that wraps to more lines makes the cells taller (the value stays below the words), and
    a label a little longer than a cell widens the cells so that it stays on one line."""
    import pandas as pd

    from vertaiset_widgets.chart_base import wrap_label
    from vertaiset_widgets.kinds.rating_matrix.history import change_heatmap_chart

    def size(labels: list[str]) -> tuple[int, int, int]:
        frame = pd.DataFrame({"column": ["A"] * len(labels), "row": range(1, len(labels) + 1), "label": labels,
                              "change": [0.1] * len(labels)})
        spec = change_heatmap_chart(frame, columns=["A"], cell_width=300, cell_height=80, text_size=22).to_dict()
        rows = next(iter(spec["datasets"].values()))
        return spec["width"]["step"], spec["height"]["step"], max(len(r["lines"]) for r in rows)

    short_w, short_h, short_lines = size(["Välvilja"])
    assert (short_w, short_h, short_lines) == (300, 80, 1)
    swedish_w, swedish_h, swedish_lines = size(["Namn, ansikte, människa", "Behov och förväntningar"])
    assert swedish_lines == 1 and 300 < swedish_w <= 420 and swedish_h == 80
    long_label = "Strukturella faktorer: hinder och möjliggörare i nätverkets vardag"
    long_w, long_h, long_lines = size([long_label])
    assert long_w == 420 and long_lines == len(wrap_label(long_label, int((420 - 16) / (0.6 * 22)))) >= 3
    assert long_h >= 8 + long_lines * 25 + 6 + 33 + 6  # the lines, then the value: no overlap


def test_a_history_of_an_unknown_activity_says_so(rounds, content):
    """A history whose source is nowhere says so in words (no traceback, no empty view)."""
    spec = History(id="historia_x", kind="history", title={"fi": "X", "sv": "X", "en": "X"},
                   prompt={"fi": "X", "sv": "X", "en": "X"}, source="ei_tallaista")
    tr = Translator.create(content, "en")
    results = HistoryResults.load(rounds["store"], rounds["demo"], spec, tr)
    assert results.blocks("report") == [("empty", f"<p class='vt-muted'>{html.escape(tr('hist_no_source', source='ei_tallaista'))}</p>")]


def _by_label(graph: nx.Graph) -> dict[str, dict]:
    return {data["label"]: data for _node, data in graph.nodes(data=True)}


def test_the_dynamic_gexf_reads_back_with_each_actor_s_and_tie_s_time(rounds, content):
    """Every round in one dynamic GEXF: a new actor starts on the demo day, a lost one ends the day
    before it, one that left and came back has two spells; ties likewise."""
    kind = kinds.get("network_map")
    text = kind.file_export("gexf")(rounds["store"], rounds["demo"], content.activity("verkostokartta"),
                                   Translator.create(content, "fi"))
    graph = nx.read_gexf(io.BytesIO(text.encode("utf-8")))
    assert graph.graph["mode"] == "dynamic"
    nodes = _by_label(graph)
    assert (nodes["Nuorisovaltuusto"]["start"], nodes["Nuorisovaltuusto"]["end"]) == ("2022-11-16", "2022-11-16")
    assert (nodes["Kirjasto"]["start"], nodes["Kirjasto"]["end"]) == ("2021-11-17", "2022-11-15")
    assert (nodes["Sosiaalityö"]["start"], nodes["Sosiaalityö"]["end"]) == ("2021-11-17", "2022-11-16")
    assert nodes["Seurakunta"]["spells"] == [("2021-11-17", "2022-05-17"), ("2022-11-16", "2022-11-16")]
    assert nodes["Lastensuojelu"]["end"] == "2022-05-17" and nodes["Ohjaamo"]["start"] == "2022-05-18"
    ids = {data["label"]: node for node, data in graph.nodes(data=True)}

    def edge(a: str, b: str, kind_: str) -> dict:
        return next(d for _k, d in graph.get_edge_data(ids[a], ids[b]).items() if d["tie"] == kind_)

    lost = edge("Kirjasto", "Nuorisotyö", "heikko")
    assert (lost["start"], lost["end"]) == ("2021-11-17", "2022-11-15")
    new = edge("Nuorisovaltuusto", "Nuorisotyö", "heikko")
    assert (new["start"], new["end"]) == ("2022-11-16", "2022-11-16")
    closed = edge("TE-toimisto", "Työpajat", "puuttuva")
    assert closed["missing"] is True and closed["end"] == "2022-05-17"


def test_kumu_json_per_round_parses(rounds, content):
    """The map of every round as Kumu JSON: one map per round, with its own actors and ties."""
    text = kinds.get("network_map").file_export("kumu-rounds")(
        rounds["store"], rounds["demo"], content.activity("verkostokartta"), Translator.create(content, "en"))
    doc = json.loads(text)
    assert [r["code"] for r in doc["rounds"]] == ["YEE1", "YEE2", "DEMO"]
    first = doc["rounds"][0]
    assert len(first["elements"]) == len(DEMO_ROUNDS[0].actors)
    assert len(first["connections"]) == len(DEMO_ROUNDS[0].ties)
    assert {"Kirjasto", "Lastensuojelu"} <= {e["label"] for e in first["elements"]}
    assert "Kirjasto" not in {e["label"] for e in doc["rounds"][2]["elements"]}


def test_a_trainer_s_rename_leaves_the_old_rounds_readable(rounds, content, tmp_path):
    """A trainer renames a 360 dimension and removes another after three rounds; a fourth round runs
    with the new templates. The history reads every round with its own templates: the renamed
    dimension under its new name (the newest round's), the removed one under its old name with the
    old rounds' numbers, matched by id."""
    copy = tmp_path / "templates"
    shutil.copytree(templates_dir(), copy, ignore=shutil.ignore_patterns("voila", "nbconvert"))
    path = copy / "activities" / "04_arviointi.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    entry = next(a for a in doc["activities"] if a["id"] == "arviointi_360")
    leading = next(i for i in entry["items"] if i["id"] == "johtaminen")
    leading["label"] = {"fi": "Johtaminen ja tuki (uusi)", "sv": "Ledning och stöd (ny)", "en": "Leadership and support (new)"}
    removed = next(i for i in entry["items"] if i["id"] == "tilapaiset_kumppanit")
    entry["items"].remove(removed)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    renamed = load_content(copy)

    store = rounds["store"]
    fourth, _ = store.create_session("YEE-verkoston neljäs kierros", network=DEMO_NETWORK, held_on=date(2023, 5, 17), code="YEE4")
    store.record_templates(fourth.id, templates_snapshot(renamed))
    for n in range(3):
        person = store.join(fourth.id, f"rename-test-person-{n:02d}")
        store.submit(person, "arviointi_360", [AnswerInput(i.id, layer, value_num=4.0)
                                               for i in renamed.activity("arviointi_360").items for layer in ("nyt", "tulevaisuudessa")],
                     submission_id=f"rename-{n}", require_open=False)
    first = _means(store, rounds["earlier"][0], "arviointi_360", "nyt")
    blocks = _blocks(rounds, renamed, "historia_360", "fi", "report", session=store.get_session("YEE4"))
    overlay = blocks["overlay"]
    assert "Johtaminen ja tuki (uusi)" in overlay and "Hankkeen johtaminen ja johdon tuki" not in overlay
    old_name = html.escape(removed["label"]["fi"])
    row = re.search(rf"<th scope='row'>{re.escape(old_name)}</th>(.*?)</tr>", overlay).group(1)
    assert re.findall(r"<td>(.*?)</td>", row) == [f"{first['tilapaiset_kumppanit']:.1f}", *[
        f"{m:.1f}" for m in (_means(store, s, "arviointi_360", "nyt")["tilapaiset_kumppanit"] for s in (rounds["earlier"][1], rounds["demo"]))
    ], "–"]
    assert "data-vt-of='7'" in blocks["target"]  # round 3's target against round 4: the seven dimensions both have

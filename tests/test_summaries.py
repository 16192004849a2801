"""Each kind's one line for the report's summary (``kinds.summary_line``), on the demo day.

Every activity of the day's four phases says its key result in one line; the lines for the
choice, the allocation, the 360, the walls, the map, the board and the step vote carry the
numbers the kind's own results compute; and no line names a participant.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml

from vertaiset_widgets import kinds
from vertaiset_widgets.content import load_content, templates_dir
from vertaiset_widgets.demo import seed_demo
from vertaiset_widgets.i18n import Translator
from vertaiset_widgets.kinds.agreement_board.results import BoardResults
from vertaiset_widgets.kinds.allocation.results import AllocationResults
from vertaiset_widgets.kinds.choice.results import ChoiceResults
from vertaiset_widgets.kinds.highlights.wall import read_wall, wall_items
from vertaiset_widgets.kinds.network_map.results import NetworkResults
from vertaiset_widgets.kinds.rating_matrix.results import RatingResults
from vertaiset_widgets.kinds.step_vote.results import StepVoteResults
from vertaiset_widgets.kinds.step_vote.views import percent
from vertaiset_widgets.results import _Results, clip
from vertaiset_widgets.store import SessionStore

CONTENT = load_content(templates_dir())
LANGS = ("fi", "sv", "en")
TR = {lang: Translator.create(CONTENT, lang) for lang in LANGS}


def _day_ids() -> list[str]:
    """The activities of the day's four phases (``templates/activities/0[1-4]_*.yaml``), in order."""
    out = []
    for path in sorted(Path(templates_dir(), "activities").glob("0[1-4]_*.yaml")):
        out += [a["id"] for a in yaml.safe_load(path.read_text(encoding="utf-8"))["activities"]]
    return out


DAY = _day_ids()


def _of_kind(kind: str) -> list[Any]:
    return [CONTENT.activity(i) for i in DAY if CONTENT.activity(i).kind == kind]


@pytest.fixture(scope="module")
def day(tmp_path_factory) -> Iterator[tuple[SessionStore, Any]]:
    """The demo day (``vertaiset demo``'s data) in a store of its own."""
    store = SessionStore(f"sqlite:///{tmp_path_factory.mktemp('summaries') / 'store.sqlite'}")
    session, _key = seed_demo(store, CONTENT)
    yield store, session
    store.close()


@pytest.fixture(scope="module")
def lines(day) -> dict[tuple[str, str], str | None]:
    """``(activity id, lang) -> line``: every activity of the day in Finnish, one of each kind also in Swedish and English."""
    store, session = day
    out = {}
    first_of_kind = {}
    for activity_id in DAY:
        activity = CONTENT.activity(activity_id)
        first_of_kind.setdefault(activity.kind, activity)
        out[(activity_id, "fi")] = kinds.summary_line(store, session, activity, TR["fi"])
    for activity in first_of_kind.values():
        for lang in ("sv", "en"):
            out[(activity.id, lang)] = kinds.summary_line(store, session, activity, TR[lang])
    return out


def _load(cls: Any, day: Any, activity: Any, lang: str = "fi") -> Any:
    store, session = day
    return cls.load(store, session, activity, TR[lang])


# ---------------------------------------------------------------------- every activity, one plain line
def test_every_activity_of_the_day_has_one_plain_line(lines):
    """Each of the day's activities has a line in Finnish; one of each kind in Swedish and English too."""
    assert len(DAY) > 30 and {lang for _a, lang in lines} == set(LANGS)
    for (activity_id, lang), line in lines.items():
        assert isinstance(line, str) and line.strip(), (activity_id, lang, line)
        assert "\n" not in line and "<" not in line and len(line) <= 320, (activity_id, lang, line)


def test_the_languages_differ(lines):
    """A line in Swedish and English is in its language, not the Finnish one."""
    translated = [(a, lines[(a, "fi")], lines[(a, "sv")], lines[(a, "en")]) for a, lang in lines if lang == "en"]
    differ = [a for a, fi, sv, en in translated if len({fi, sv, en}) == 3]
    assert len(differ) >= len(translated) - 2, translated  # a line of a name and numbers may read the same


def test_no_line_names_a_participant(day, lines):
    """No demo participant's nickname appears in any line, in any language."""
    store, session = day
    nicknames = {p.nickname for p in store.participants(session.id) if p.nickname}
    assert len(nicknames) > 20
    pattern = re.compile(r"\b(" + "|".join(re.escape(n) for n in sorted(nicknames)) + r")\b")
    named = {key: line for key, line in lines.items() if line and pattern.search(line)}
    assert named == {}


# ---------------------------------------------------------------------- the facts of each kind
def test_choice_names_the_top_option_and_its_share(day, lines):
    """Per layer the most chosen option with its share of that layer's respondents, as the table counts them."""
    checked = 0
    for activity in _of_kind("choice"):
        results = _load(ChoiceResults, day, activity)
        counts, base = results.counts(), results.layer_respondents()
        line = lines[(activity.id, "fi")]
        for layer in activity.layer_ids:
            mine = counts[counts["layer"] == layer]
            top = mine.loc[mine["value"].idxmax()]
            if not top["value"]:
                continue
            label = TR["fi"].label(next(o for o in activity.options if o.id == top["option"]), short=True)
            amount = f"{top['value']:.0f} pistettä" if activity.mode == "dots" else f"{100 * top['value'] / base[layer]:.0f} %"
            assert f"{label} {amount}" in line or f"/ {label}" in line or f"{label} /" in line, (line, label, amount)
            checked += 1
    assert checked >= 3


def test_allocation_gives_the_mean_split(day, lines):
    """The mean points of every option, as the allocation's table computes them."""
    for activity in _of_kind("allocation"):
        stats = _load(AllocationResults, day, activity).stats()
        line = lines[(activity.id, "fi")]
        assert line.startswith("Keskimäärin ")
        for r in stats[stats["n"] > 0].itertuples():
            label = TR["fi"].label(next(o for o in activity.options if o.id == r.item), short=True)
            assert f"{label} {r.mean:.0f}" in line, (line, label)


def test_the_360_names_its_biggest_gap_between_now_and_the_future(day, lines):
    """The dimension whose mean moves most from "nyt" to "tulevaisuudessa", with both means."""
    activity = CONTENT.activity("arviointi_360")
    means = _load(RatingResults, day, activity).summary.set_index(["item", "layer"])["mean"]
    gaps = {i.id: means[(i.id, "tulevaisuudessa")] - means[(i.id, "nyt")] for i in activity.items}
    item = max(gaps, key=lambda k: abs(gaps[k]))
    label = TR["fi"].label(next(i for i in activity.items if i.id == item), short=True)
    line = lines[(activity.id, "fi")]
    expected = f"{label} {means[(item, 'nyt')]:.1f} → {means[(item, 'tulevaisuudessa')]:.1f}"
    assert line.startswith("Suurin ero (") and line.endswith(expected), (line, expected)
    store, session = day
    assert kinds.summary_line(store, session, activity, TR["en"]).startswith("Biggest gap (Now → ")


def test_a_wall_names_its_top_three_by_plus_one(day, lines):
    """The three highlights with the most +1s, their words shortened, each with its count; else the count."""
    store, session = day
    named = 0
    for activity in _of_kind("highlights"):
        items = wall_items(read_wall(store, session.id, activity.id), activity, TR["fi"])
        line = lines[(activity.id, "fi")]
        voted = sorted((i for i in items if i["votes"]), key=lambda i: (-i["votes"], i["seq"]))[:3]
        if not voted or not activity.votes:
            assert line == f"Nostoja {len(items)}"
            continue
        expected = "; ".join(f"”{clip(i['text'])}” +{i['votes']}" for i in voted)
        assert line == f"Eniten +1-ääniä: {expected}"
        named += 1
    assert named >= 1


def test_the_map_counts_and_names_its_missing_links(day, lines):
    """Actors, ties and missing links as the map counts them, the first missing link by its actors' names."""
    activity = _of_kind("network_map")[0]
    results = _load(NetworkResults, day, activity)
    missing = results.network.missing_links()
    line = lines[(activity.id, "fi")]
    assert line.startswith(f"Toimijoita {len(results.network.visible_actors)}, yhteyksiä {len(results.network.edges())}, "
                           f"puuttuvia linkkejä {len(missing)}")
    assert missing, "the demo map has missing links"
    first = missing[0]
    assert f"{results.network.name_of(first['source'])} – {results.network.name_of(first['target'])}" in line


def test_the_board_counts_its_agreements(day, lines):
    """The questions with the agreed status, out of all."""
    for activity in _of_kind("agreement_board"):
        results = _load(BoardResults, day, activity)
        assert lines[(activity.id, "fi")] == f"Sovittu {results.agreed()}/{len(results.questions)} kysymyksestä"


def test_the_step_vote_names_the_steps_chosen(day, lines):
    """The steps a majority agreed on: how many, and the most agreed one with its share."""
    activity = _of_kind("step_vote")[0]
    results = _load(StepVoteResults, day, activity)
    agreed = [t for t in results.tallies() if t.votes and t.agree / t.votes >= activity.majority]
    assert agreed, "the demo vote chose steps"
    best = max(agreed, key=lambda t: (t.agree / t.votes, t.votes))
    line = lines[(activity.id, "fi")]
    assert line.startswith(f"Valittuja askelia {len(agreed)}/{len(results.steps)}; ")
    assert f"”{clip(best.step.text)}” ({percent(TR['fi'], best.agree / best.votes)} samaa mieltä)" in line


# ---------------------------------------------------------------------- the parts
def test_the_default_line_counts_who_answered(day):
    """The base results say how many answered, and nothing before anyone has."""
    activity = _of_kind("choice")[0]
    results = _load(ChoiceResults, day, activity, "en")
    assert _Results.summary(results) == f"{results.respondents} answered" and results.respondents
    store, _session = day
    empty, _key = store.create_session("Tyhjä", network="Tyhjä verkosto")
    assert _Results.summary(_load(ChoiceResults, (store, empty), activity)) is None
    assert kinds.summary_line(store, empty, activity, TR["fi"]) is None


def test_clip_keeps_one_short_line():
    """Whitespace folds into single spaces; a long text is cut at a word with an ellipsis."""
    assert clip("  Yhteinen\n tilannehuone ") == "Yhteinen tilannehuone"
    long = "Sovitaan yhteinen tilannehuone, joka kokoontuu kerran kuussa kaupungintalolla ja verkossa"
    short = clip(long)
    assert len(short) <= 60 and short.endswith("…") and long.startswith(short[:-1]) and " " not in short[-2:]

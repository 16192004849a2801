"""Aggregation: stored answers -> frames -> numbers."""
from __future__ import annotations

import math

from vertaiset_widgets import aggregate
from vertaiset_widgets.store import AnswerInput

ACT = "arviointi_360"


def _session_with(store, profiles):
    session, _ = store.create_session("Paja")
    store.set_activity_state(session.id, ACT, is_open=True)
    for n, (group, values) in enumerate(profiles):
        p = store.join(session.id, f"token-{n:08d}", group=group)
        store.submit(p, ACT, [AnswerInput(i, l, v) for (i, l), v in values.items()], submission_id=f"s{n}")
    return session


def test_summary_means_spread_and_counts(store):
    """Mean, min, max and n per item and layer come from the latest answers."""
    session = _session_with(
        store,
        [("A", {("x", "nyt"): 1.0, ("y", "nyt"): 4.0}), ("B", {("x", "nyt"): 3.0}), (None, {("x", "nyt"): 5.0})],
    )
    frame = aggregate.answers_frame(store.answers(session.id, ACT))
    summary = aggregate.rating_summary(frame, ["x", "y"], ["nyt"]).set_index(["item", "layer"])
    assert summary.loc[("x", "nyt"), "mean"] == 3.0
    assert summary.loc[("x", "nyt"), "n"] == 3
    assert (summary.loc[("x", "nyt"), "min"], summary.loc[("x", "nyt"), "max"]) == (1.0, 5.0)
    assert summary.loc[("y", "nyt"), "n"] == 1
    assert aggregate.respondent_count(frame) == 3


def test_summary_keeps_unanswered_items_in_template_order(store):
    """Items nobody answered appear with n=0, in the template's order."""
    session = _session_with(store, [("A", {("b", "nyt"): 2.0})])
    frame = aggregate.answers_frame(store.answers(session.id, ACT))
    summary = aggregate.rating_summary(frame, ["c", "b", "a"], ["ennen", "nyt"])
    assert list(summary["item"]) == ["c", "c", "b", "b", "a", "a"]
    row = summary[(summary["item"] == "c") & (summary["layer"] == "ennen")].iloc[0]
    assert row["n"] == 0 and math.isnan(row["mean"])


def test_group_profiles_leave_out_the_groupless(store):
    """Group means per item; participants without a group count only in the room's numbers."""
    session = _session_with(
        store,
        [("A", {("x", "nyt"): 1.0}), ("A", {("x", "nyt"): 3.0}), ("B", {("x", "nyt"): 5.0}), (None, {("x", "nyt"): 0.0})],
    )
    frame = aggregate.answers_frame(store.answers(session.id, ACT))
    groups = aggregate.group_profiles(frame, ["x"], ["nyt"])
    assert groups.set_index("group")["mean"].to_dict() == {"A": 2.0, "B": 5.0}


def test_changed_answer_is_counted_once(store):
    """A participant who changed an answer counts once, with the new value."""
    session = _session_with(store, [("A", {("x", "nyt"): 1.0})])
    p = store.participants(session.id)[0]
    store.submit(p, ACT, [AnswerInput("x", "nyt", 5.0)], submission_id="again")
    frame = aggregate.answers_frame(store.answers(session.id, ACT))
    assert list(frame["value"]) == [5.0]

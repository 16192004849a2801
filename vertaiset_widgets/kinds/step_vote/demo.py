"""Askelten arviointi's examples for the contract test (``tests/test_kinds_contract.py``) and the
demo's round for ``vertaiset demo``.

``EXAMPLE`` is a minimal valid template entry (rating the steps of the phase 4 wall
``unelmaverkosto``), ``BROKEN`` a ``(field, value)`` that makes it invalid, and :func:`answer`
what a phone sends to the form: agree on the first step. Without steps on the wall the phone
shows no form and :func:`answer` is None. :func:`seed_demo_round` votes on the demo wall's
steps and promotes two of them for the next round.
"""
from __future__ import annotations

import random
from typing import Any

__all__ = ["BROKEN", "EXAMPLE", "answer", "seed_demo_round"]

EXAMPLE: dict[str, Any] = {
    "id": "esimerkki_askeleet",
    "kind": "step_vote",
    "title": {"fi": "Arvioikaa askeleet", "sv": "Bedöm stegen", "en": "Rate the steps"},
    "prompt": {
        "fi": "Oletko samaa mieltä askeleesta?",
        "sv": "Håller du med om steget?",
        "en": "Do you agree with the step?",
    },
    "source": "unelmaverkosto",
    "tag": "askel",
}

#: A majority of 40 %: less than half of the voters is no majority.
BROKEN = ("majority", 0.4)

#: How the demo room leans on its steps, in the wall's order: (agree, disagree, pass) chances.
_LEANINGS = ((0.85, 0.05, 0.10), (0.45, 0.15, 0.40), (0.30, 0.60, 0.10), (0.75, 0.15, 0.10), (0.40, 0.20, 0.40))


def answer(form: Any) -> dict[str, Any] | None:
    """Agree on the first step; None when the phone shows no form (no steps on the wall)."""
    if form is None or not form.layers:
        return None
    return {"type": "submit", "value": {f"{form.layers[0]['id']}|agree": 1}}


def seed_demo_round(store: Any, session: Any, content: Any, rng: random.Random, *, reveal: bool = True) -> int:
    """Vote on the steps of the session's wall as its participants would from their phones, and
    promote the two most agreed steps for the next round; the vote is closed (and revealed unless
    ``reveal`` is False). Seeding twice stores nothing twice (the submission ids repeat; a step
    already promoted stays so). Returns how many steps were promoted."""
    from .steps import CHOICES, load_steps, promoted_items, save_votes, tally, votes_from

    activity = next((a for a in content.activities.values() if a.kind == "step_vote"), None)
    if activity is None:
        return 0
    steps = load_steps(store, session.id, activity)
    if not steps:
        return 0
    items = [s.item for s in steps]
    for person in store.participants(session.id):
        choices = {}
        for n, step in enumerate(steps):
            if rng.random() < 0.1:  # now and then a phone leaves a step unrated
                continue
            choices[step.item] = rng.choices(CHOICES, weights=_LEANINGS[n % len(_LEANINGS)])[0]
        if choices:
            save_votes(store, person, activity, choices, steps=items, submission_id=f"demo-sv-{person.id}",
                       require_open=False)
    state = store.activity_state(session.id, activity.id)
    store.set_activity_state(session.id, activity.id, is_open=False, is_revealed=reveal)
    tallies = tally(steps, votes_from(store.answers(session.id, activity.id, round=state.round)))
    best = sorted(tallies, key=lambda t: (-t.share("agree"), -t.votes))[:2]
    already = promoted_items(store, session.id, activity)
    for t in best:
        if t.step.item not in already:
            store.promote_step(session.id, activity.id, t.step.item, t.step.text)
    return len(best)

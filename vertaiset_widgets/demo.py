"""A realistic demo session: the YEE training day (16.11.2022) with 25 participants.

Notebooks run against it by default, so a plain ``voila`` launch, ``papermill`` without
parameters and nbval all have something real to show.
"""
from __future__ import annotations

import random
from datetime import date
from typing import TYPE_CHECKING, Any

from .config import DEMO_CODE
from .content import Content, load_content
from .kinds.highlights.wall import post_highlight, vote
from .store import AnswerInput, SessionInfo

if TYPE_CHECKING:
    from .store import SessionStore

__all__ = ["seed_demo", "DEMO_TITLE", "DEMO_NETWORK"]

DEMO_TITLE = "Yhdessä aikuisuuteen – Elämässä Eteenpäin (YEE): verkostoivan työn menetelmäosaaminen"
DEMO_NETWORK = "YEE-verkosto"
DEMO_DATE = date(2022, 11, 16)

_NICKNAMES = [
    "Aino", "Eero", "Helmi", "Ilkka", "Johanna", "Kalle", "Leena", "Mikko", "Noora", "Oskari",
    "Paula", "Riikka", "Sami", "Tiina", "Ulla", "Ville", "Anu", "Jari", "Katja", "Lasse",
    "Minna", "Petri", "Sanna", "Tuomas", "",  # one stays anonymous
]
_GROUPS = ["Sosiaalityö", "Nuorisopalvelut", "Järjestöt", "Oppilaitokset", "TE-palvelut"]

# Typical shape of a project's 360 (0–5): strong inside, weak towards politics.
_BASE = {
    "ennen": [2.4, 1.6, 1.8, 2.2, 1.0, 1.7, 1.9, 2.6],
    "nyt": [3.4, 2.6, 2.7, 3.0, 1.6, 2.6, 2.9, 3.6],
    "tulevaisuudessa": [4.3, 3.6, 4.1, 3.9, 3.1, 4.0, 3.8, 4.4],
}
_GROUP_TILT = [0.3, -0.2, 0.4, 0.0, -0.4]


def seed_demo(store: SessionStore, content: Content | None = None, *, participants: int = 25) -> tuple[SessionInfo, str]:
    """Create the demo session (once) and give it a fresh facilitator key.

    Returns
    -------
    (SessionInfo, str)
        The session and its new facilitator key (old demo links stop working).
    """
    content = content or load_content()
    existing = store.find_session(DEMO_CODE)
    if existing is not None:
        _seed_phases(store, existing, content)  # a demo made by an earlier version gains the phases it lacks
        _seed_beside(store, content)
        return store.get_session(DEMO_CODE), store.set_key(DEMO_CODE)
    session, key = store.create_session(DEMO_TITLE, network=DEMO_NETWORK, held_on=DEMO_DATE, code=DEMO_CODE)
    rng = random.Random(20221116)
    activity = content.activity("arviointi_360")
    items = [i.id for i in activity.items]
    for n in range(participants):
        nickname = _NICKNAMES[n % len(_NICKNAMES)] or None
        group_index = n % len(_GROUPS)
        person = store.join(session.id, f"demo-participant-{n:03d}", nickname=nickname, group=_GROUPS[group_index])
        answers = []
        mood = rng.gauss(0, 0.35)
        for layer, base in _BASE.items():
            for item, centre in zip(items, base):
                if rng.random() < 0.04:  # now and then someone skips a dimension
                    continue
                value = round(centre + _GROUP_TILT[group_index] + mood + rng.gauss(0, 0.6))
                answers.append(AnswerInput(item=item, layer=layer, value_num=float(min(5, max(0, value)))))
        store.submit(person, activity.id, answers, submission_id=f"demo-{n:03d}", require_open=False)
    store.set_activity_state(session.id, activity.id, is_open=False, is_revealed=True)
    _seed_highlights(store, session, rng)
    _seed_phases(store, session, content)
    from .kinds.meeting_planner.demo import seed_plan

    seed_plan(store, session, content)  # the day's blocks, 9.00–16.00, with the lunch and the break
    _seed_beside(store, content)
    return store.get_session(DEMO_CODE), key


def _seed_beside(store: SessionStore, content: Content) -> None:
    """What the demo holds beside its day, each seeded once: the practice bank and a Puimala."""
    from .demo_bank import seed_bank
    from .demo_puimala import seed_puimala

    seed_bank(store)
    seed_puimala(store, content)


# What small groups posted on "the network of our dreams" (group, tag, text).
_HIGHLIGHTS = [
    (0, "unelma", "Verkosto, jossa nuori ei putoa palveluiden väliin"),
    (0, "askel", "Yhteinen tilannehuone kerran kuukaudessa"),
    (1, "unelma", "Tunnemme toistemme työn ja ihmiset tittelien takana"),
    (1, "askel", "Nimetään verkostolle koordinaattori ja varahenkilö"),
    (2, "unelma", "Järjestöt mukana suunnittelussa alusta asti, eivät vain toteuttajina"),
    (2, "askel", "Sovitaan yhteiset pelisäännöt tiedonvaihtoon"),
    (3, "askel", "Yhteinen vuosikello verkostotapaamisille"),
    (3, "unelma", "Verkostoissa luottamus kantaa myös vaikeissa tilanteissa"),
    (4, "askel", "Kootaan yhteystietolista rooleineen ja pidetään se ajan tasalla"),
    (4, "unelma", "Asiakkaan ääni kuuluu verkostojen työssä"),
    (0, "askel", "Yhteinen tilannehuone joka kuukausi"),  # a duplicate, merged below
]


# Who should learn of this (levittäminen): (group, tag, text).
_SPREAD = [
    (0, "vertaiset", "Naapurikuntien nuorten palveluverkostot: yhteinen verkostopäivä keväällä"),
    (1, "muut_verkostot", "Ohjaamojen valtakunnallinen verkosto: tilannehuoneen malli"),
    (2, "kuntavertaiset", "Kuntien sosiaalijohto: tulokset kaupunginvaltuuston lautakunnille"),
    (3, "muut_verkostot", "Oppilaitosten opinto-ohjaajien verkosto"),
    (4, "kuntavertaiset", "Hyvinvointialueen nuorten palvelujen kehittäjät"),
]


def _seed_spread(store: SessionStore, session: SessionInfo) -> None:
    """The room's list of who should learn of the day (levittäminen), revealed."""
    people = store.participants(session.id)
    by_group = {p.group_name: p for p in people}
    store.set_activity_state(session.id, "levittaminen", is_open=True)
    for n, (group, tag, text) in enumerate(_SPREAD):
        post_highlight(store, by_group[_GROUPS[group]], "levittaminen", text, tag=tag, submission_id=f"demo-l{n}", per_minute=60)
    store.set_activity_state(session.id, "levittaminen", is_open=False, is_revealed=True)


def _seed_highlights(store: SessionStore, session: SessionInfo, rng: random.Random) -> None:
    people = store.participants(session.id)
    by_group: dict[str, list] = {}
    for p in people:
        by_group.setdefault(p.group_name or "", []).append(p)
    store.set_activity_state(session.id, "unelmaverkosto", is_open=True)
    items = []
    authors: dict[str, int] = {}
    for n, (group, tag, text) in enumerate(_HIGHLIGHTS):
        author = by_group[_GROUPS[group]][n % 2]
        items.append(post_highlight(store, author, "unelmaverkosto", text, tag=tag, submission_id=f"demo-h{n}", per_minute=60))
        authors[items[-1]] = author.id
    store.set_activity_state(session.id, "unelmaverkosto", is_revealed=True)  # +1s count only on a revealed wall
    for voter in people:
        for item in rng.sample(items[:-1], 3):
            if voter.id != authors[item]:  # one's own highlight: no vote
                vote(store, voter, "unelmaverkosto", item, submission_id=f"demo-v{voter.id}-{item}")
    store.moderate(session.id, "unelmaverkosto", items[-1], "merge", items[1])
    store.moderate(session.id, "unelmaverkosto", items[1], "pin")
    store.set_activity_state(session.id, "unelmaverkosto", is_open=False, is_revealed=True)


def _seed_phases(store: SessionStore, session: SessionInfo, content: Content) -> None:
    """Phases 1, 2 and 3 of the day, each once (a phase already seeded is left as it is)."""
    from .demo_phase3 import seed_phase3
    from .demo_phases import seed_phase1, seed_phase2

    states = store.activity_states(session.id)
    if "kuulumiset" not in states and "kuulumiset" in content.activities:
        seed_phase1(store, session, content, random.Random(1611))
    if "toimintatavat" not in states and "toimintatavat" in content.activities:
        seed_phase2(store, session, content, random.Random(1612))
    if "vuosikello" not in states and "vuosikello" in content.activities:
        seed_phase3(store, session, content, random.Random(1613))
    if "levittaminen" not in states and "levittaminen" in content.activities:
        _seed_spread(store, session)
    _seed_rounds(store, session, content)


def _round_seeds(content: Content) -> list[tuple[str, Any]]:
    """The activities whose kind seeds a demo round (``seed_demo_round`` in its ``demo.py``), with the seed."""
    from . import kinds

    out = []
    for kind in kinds.all_kinds():
        seed = getattr(kind.demo_module(), "seed_demo_round", None)
        if seed is not None:
            out.extend((a.id, seed) for a in content.activities.values() if a.kind == kind.name)
    return out


def _seed_rounds(store: SessionStore, session: SessionInfo, content: Content) -> None:
    """The network's two earlier rounds, and phase 4 and the round's start on the demo day (each once).

    A kind whose round seed takes ``step_shift`` changes between rounds (a practice climbs the
    maturity ladder): it is seeded in the earlier rounds too, ``-2`` and ``-1`` rounds back.
    """
    import inspect

    from .demo_rounds import seed_rounds

    seeds = _round_seeds(content)
    earlier = seed_rounds(store, content)
    for shift, past in zip(range(-len(earlier), 0), earlier):
        states = store.activity_states(past.id)
        for activity_id, seed in seeds:
            if activity_id not in states and "step_shift" in inspect.signature(seed).parameters:
                seed(store, past, content, random.Random(1614 + shift), step_shift=shift)
    states = store.activity_states(session.id)
    done: set[Any] = set()
    for activity_id, seed in seeds:
        if activity_id not in states and seed not in done:
            seed(store, session, content, random.Random(1614))
            done.add(seed)
    if done and "arviointi_360" in states:  # the room's screen shows the day's 360 again, last revealed
        store.set_activity_state(session.id, "arviointi_360", is_revealed=False)
        store.set_activity_state(session.id, "arviointi_360", is_revealed=True)

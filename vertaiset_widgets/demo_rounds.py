"""The demo network's earlier rounds: the YEE network ran the continuum twice before the demo day.

``YEE1`` (17.11.2021) and ``YEE2`` (18.5.2022) come before the demo session ``DEMO``
(16.11.2022, round 3) in the network ``YEE-verkosto``. Each has its 360, its knowing – trust
– commitment matrix and its network map, with plausible change between them: the 360's *now*
rises towards the last round's *future*, not all the way; trust and commitment grow, one
item falls back; actors join and leave (one leaves and comes back), missing links close.
Seeded through the store's own calls (the map's actors and ties stored as the map stores them, a
few people's at once: it runs in test fixtures), with each round's templates recorded.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import random
from dataclasses import dataclass
from datetime import date

from .config import DEMO_CODE
from .content import Content, templates_snapshot
from .demo import DEMO_NETWORK
from .kinds.network_map.network import ACTOR_FIELDS, TIE_FIELDS, _item_id
from .store import AnswerInput, SessionInfo

if TYPE_CHECKING:
    from .store import SessionStore

__all__ = ["DEMO_ROUNDS", "seed_round", "seed_rounds"]

_ITEMS_360 = ("pysyvat_kumppanit", "tilapaiset_kumppanit", "asiakkaat_kansalaiset", "johtaminen",
              "poliittinen_paatoksenteko", "tuloksellisuus", "kaytantojen_hyodyntaminen", "sisainen_yhteistyo")
_KTC_ITEMS = ("tunteminen_nimi", "tunteminen_osaaminen", "tunteminen_tarpeet", "tunteminen_historia",
              "luottamus_hyvantahtoisuus", "luottamus_osaaminen", "luottamus_haavoittuvuus", "luottamus_johdonmukaisuus",
              "sitoutuminen_halu", "sitoutuminen_osaaminen", "sitoutuminen_rakenteet", "sitoutuminen_lupausten_pitaminen")
_NICKNAMES = ["Aino", "Eero", "Helmi", "Ilkka", "Johanna", "Kalle", "Leena", "Mikko", "Noora", "Oskari",
              "Paula", "Riikka", "Sami", "Tiina", "Ulla"]
#: the demo day's views of the rounds, revealed once the rounds are there
#: the vote whose promoted steps the next round starts from
_STEP_VOTE = "askelten_arviointi"
_HISTORIES = ("historia_360", "historia_tunteminen_luottamus_sitoutuminen", "historia_verkostokartta")
_GROUPS = ["Sosiaalityö", "Nuorisopalvelut", "Järjestöt", "Oppilaitokset", "TE-palvelut"]

# actors: name -> (organisation, sector, side, role); the demo day's map (round 3) uses the same names
_ACTORS = {
    "Sosiaalityö": ("Kaupungin sosiaalipalvelut", "julkinen", "sisainen", "pysyvat_kumppanit"),
    "Nuorisotyö": ("Nuorisopalvelut", "julkinen", "sisainen", "pysyvat_kumppanit"),
    "Etsivä nuorisotyö": ("Nuorisopalvelut", "julkinen", "sisainen", "pysyvat_kumppanit"),
    "Ammattiopisto": ("Ammattiopisto Taitaja", "julkinen", "sisainen", "pysyvat_kumppanit"),
    "TE-toimisto": ("TE-palvelut", "julkinen", "ulkoinen", "pysyvat_kumppanit"),
    "Kela": ("Kansaneläkelaitos", "julkinen", "ulkoinen", "tilapaiset_kumppanit"),
    "Ohjaamo": ("Ohjaamo", "julkinen", "sisainen", "pysyvat_kumppanit"),
    "Nuorten Ystävät": ("Nuorten Ystävät ry", "kolmas_sektori", "ulkoinen", "tilapaiset_kumppanit"),
    "Setlementti": ("Setlementti Tammela", "kolmas_sektori", "ulkoinen", "tilapaiset_kumppanit"),
    "Seurakunta": ("Seurakuntayhtymä", "kolmas_sektori", "ulkoinen", "tilapaiset_kumppanit"),
    "Nuoret ja perheet": ("Asiakkaat", "kolmas_sektori", "ulkoinen", "asiakkaat_kansalaiset"),
    "Johtoryhmä": ("Kaupunki", "julkinen", "sisainen", "johtaminen"),
    "Hankkeen ohjausryhmä": ("YEE-hanke", "julkinen", "sisainen", "johtaminen"),
    "Kaupunginvaltuusto": ("Kaupunki", "julkinen", "ulkoinen", "poliittinen_paatoksenteko"),
    "Mielenterveyspalvelut": ("Hyvinvointialue", "julkinen", "ulkoinen", "pysyvat_kumppanit"),
    "Työpajat": ("Nuorten työpaja", "julkinen", "sisainen", "pysyvat_kumppanit"),
    "Lastensuojelu": ("Kaupungin sosiaalipalvelut", "julkinen", "sisainen", "pysyvat_kumppanit"),
    "Kirjasto": ("Kaupunginkirjasto", "julkinen", "ulkoinen", "tilapaiset_kumppanit"),
}


@dataclass(frozen=True)
class DemoRound:
    """One earlier round of the demo network: its session and what the room gave."""

    code: str
    held_on: date
    title: str
    participants: int
    profile: dict[str, tuple[float, ...]]  # the 360's time layer -> the room's centre per dimension
    ktc: tuple[float, ...]  # knowing – trust – commitment, the room's centre per item
    actors: tuple[str, ...]
    ties: tuple[tuple[str, str, str, str], ...]  # (actor, actor, type, note)
    #: the concrete steps the round posted on its wall and promoted for the next round
    steps: tuple[str, ...] = ()


DEMO_ROUNDS: tuple[DemoRound, ...] = (
    DemoRound(
        code="YEE1", held_on=date(2021, 11, 17), participants=13,
        title="YEE-verkoston ensimmäinen kierros: verkosto näkyväksi",
        profile={
            "ennen": (2.1, 1.4, 1.5, 1.9, 0.8, 1.4, 1.6, 2.3),
            "nyt": (2.6, 1.8, 1.9, 2.3, 1.0, 1.7, 2.0, 2.8),
            "tulevaisuudessa": (3.8, 3.0, 3.3, 3.2, 2.3, 3.1, 3.2, 4.0),
        },
        ktc=(3.0, 2.5, 2.1, 3.0, 3.6, 3.1, 1.8, 2.6, 3.0, 2.6, 2.0, 2.3),
        actors=("Sosiaalityö", "Nuorisotyö", "Etsivä nuorisotyö", "Ammattiopisto", "TE-toimisto", "Kela",
                "Nuorten Ystävät", "Seurakunta", "Nuoret ja perheet", "Johtoryhmä", "Kaupunginvaltuusto", "Työpajat",
                "Lastensuojelu", "Kirjasto"),
        ties=(
            ("Sosiaalityö", "Nuorisotyö", "vahva", ""),
            ("Nuorisotyö", "Etsivä nuorisotyö", "vahva", ""),
            ("Ammattiopisto", "Työpajat", "heikko", ""),
            ("Sosiaalityö", "Lastensuojelu", "vahva", ""),
            ("Nuorisotyö", "Nuorten Ystävät", "heikko", ""),
            ("Nuorten Ystävät", "Seurakunta", "heikko", ""),
            ("Etsivä nuorisotyö", "Nuoret ja perheet", "heikko", ""),
            ("Johtoryhmä", "Sosiaalityö", "heikko", ""),
            ("Kirjasto", "Nuorisotyö", "heikko", ""),
            ("Johtoryhmä", "Kaupunginvaltuusto", "puuttuva", "Hankkeen tulokset eivät kulje päätöksentekoon"),
            ("Ammattiopisto", "Kela", "puuttuva", "Opintojen keskeytyessä tieto ei kulje"),
            ("Työpajat", "TE-toimisto", "puuttuva", "Työpajajaksot eivät näy TE-palveluille"),
        ),
        steps=("Sovitaan yhteiset tavoitteet ja kirjataan ne", "Kutsutaan Ohjaamo ja mielenterveyspalvelut mukaan"),
    ),
    DemoRound(
        code="YEE2", held_on=date(2022, 5, 18), participants=12,
        title="YEE-verkoston toinen kierros: tavoitteet ja toimintatavat",
        profile={
            "ennen": (2.5, 1.7, 1.8, 2.2, 1.0, 1.6, 1.9, 2.7),
            "nyt": (3.0, 2.2, 2.3, 2.7, 1.3, 2.1, 2.4, 3.2),
            "tulevaisuudessa": (4.0, 3.3, 3.5, 2.9, 2.5, 3.4, 3.5, 3.3),
        },
        ktc=(3.5, 2.9, 2.4, 3.2, 3.7, 3.3, 1.9, 3.4, 3.3, 2.9, 2.1, 2.6),
        actors=("Sosiaalityö", "Nuorisotyö", "Etsivä nuorisotyö", "Ammattiopisto", "TE-toimisto", "Kela", "Ohjaamo",
                "Nuorten Ystävät", "Setlementti", "Nuoret ja perheet", "Johtoryhmä", "Hankkeen ohjausryhmä",
                "Kaupunginvaltuusto", "Mielenterveyspalvelut", "Työpajat", "Kirjasto"),
        ties=(
            ("Sosiaalityö", "Nuorisotyö", "vahva", ""),
            ("Sosiaalityö", "Ohjaamo", "heikko", ""),
            ("Nuorisotyö", "Etsivä nuorisotyö", "vahva", ""),
            ("Etsivä nuorisotyö", "Ohjaamo", "heikko", ""),
            ("Ammattiopisto", "Työpajat", "heikko", ""),
            ("Työpajat", "TE-toimisto", "heikko", ""),
            ("Ohjaamo", "Kela", "heikko", ""),
            ("Nuorisotyö", "Nuorten Ystävät", "heikko", ""),
            ("Nuorten Ystävät", "Setlementti", "heikko", ""),
            ("Etsivä nuorisotyö", "Nuoret ja perheet", "vahva", ""),
            ("Sosiaalityö", "Mielenterveyspalvelut", "heikko", ""),
            ("Hankkeen ohjausryhmä", "Johtoryhmä", "vahva", ""),
            ("Kirjasto", "Nuorisotyö", "heikko", ""),
            ("Johtoryhmä", "Kaupunginvaltuusto", "puuttuva", "Vuoropuhelukatkos: tulokset eivät kulje päätöksentekoon"),
            ("Ammattiopisto", "Kela", "puuttuva", "Opintojen keskeytyessä tieto ei kulje"),
            ("Mielenterveyspalvelut", "Ohjaamo", "puuttuva", "Nuoret putoavat palveluiden väliin"),
            ("Hankkeen ohjausryhmä", "Sosiaalityö", "puuttuva", "Ohjausryhmä ei kuule kentän ääntä"),
            ("Ohjaamo", "TE-toimisto", "puuttuva", "Ohjaamon nuoret eivät löydä TE-palveluihin"),
        ),
        steps=("Nimetään verkostolle koordinaattori ja varahenkilö", "Kootaan yhteystietolista rooleineen",
               "Tehdään verkostolle yhteinen vuosikello"),
    ),
)


def seed_rounds(store: SessionStore, content: Content) -> list[SessionInfo]:
    """Create the demo network's two earlier rounds (each once) before the demo session.

    Returns the rounds' sessions, oldest first. A round already in the store is left as it is.
    """
    snapshot = templates_snapshot(content)
    out = []
    for number, spec in enumerate(DEMO_ROUNDS, start=1):
        session = store.find_session(spec.code)
        if session is None:
            session, _key = store.create_session(spec.title, network=DEMO_NETWORK, held_on=spec.held_on, code=spec.code)
            store.record_templates(session.id, snapshot)  # old rounds keep their own labels
            seed_round(store, session, content, spec, random.Random(20211117 + number))
            session = store.get_session(spec.code)
        out.append(session)
    demo = store.find_session(DEMO_CODE)  # round 3, when it is there already: its templates, its histories shown
    if demo is not None:
        if demo.template_version_id is None:
            store.record_templates(demo.id, snapshot)
        states = store.activity_states(demo.id)
        for activity_id in _HISTORIES:
            if activity_id in content.activities and activity_id not in states:
                store.set_activity_state(demo.id, activity_id, is_revealed=True)
    return out


def seed_round(store: SessionStore, session: SessionInfo, content: Content, spec: DemoRound, rng: random.Random) -> None:
    """One round's 360, knowing – trust – commitment and network map, as the room gave them."""
    people = []
    for n in range(spec.participants):
        group = _GROUPS[n % len(_GROUPS)]
        people.append(store.join(session.id, f"demo-{spec.code.lower()}-participant-{n:03d}",
                                 nickname=_NICKNAMES[n % len(_NICKNAMES)], group=group))
    layers = {layer.id for layer in content.activity("arviointi_360").layers}
    for n, person in enumerate(people):
        mood = rng.gauss(0, 0.3)
        answers = [
            AnswerInput(item, layer, value_num=float(min(5, max(0, round(centre + mood + rng.gauss(0, 0.55))))))
            for layer, centres in spec.profile.items() if layer in layers
            for item, centre in zip(_ITEMS_360, centres)
        ]
        store.submit(person, "arviointi_360", answers, submission_id=f"demo-{spec.code}-360-{n}", require_open=False)
        store.submit(person, "tunteminen_luottamus_sitoutuminen",
                     [AnswerInput(item, "", value_num=float(min(5, max(1, round(m + rng.gauss(0, 0.7))))))
                      for item, m in zip(_KTC_ITEMS, spec.ktc)],
                     submission_id=f"demo-{spec.code}-ktc-{n}", require_open=False)
    # the map, built by a few people: each one's actors, then each one's ties, in one submission (as
    # add_actor and add_tie store them: an actor is an item a… with its fields, a tie an item t…)
    builders = people[:4]
    ids = {name: _item_id("a", builders[n % len(builders)], f"demo-{spec.code}-actor-{n}") for n, name in enumerate(spec.actors)}
    for k, person in enumerate(builders):
        answers = []
        for name in spec.actors[k::len(builders)]:
            answers += [AnswerInput(ids[name], key, value_text=value)
                        for key, value in zip(ACTOR_FIELDS, (name, *_ACTORS[name]))]
        store.submit(person, "verkostokartta", answers, submission_id=f"demo-{spec.code}-actors-{k}", require_open=False)
    for k, person in enumerate(builders):
        answers = []
        for n, (a, b, kind, note) in list(enumerate(spec.ties))[k::len(builders)]:
            item = _item_id("t", person, f"demo-{spec.code}-tie-{n}")
            answers += [AnswerInput(item, key, value_text=value or None)
                        for key, value in zip(TIE_FIELDS, (ids[a], ids[b], kind, note))]
        store.submit(person, "verkostokartta", answers, submission_id=f"demo-{spec.code}-ties-{k}", require_open=False)
    for activity_id in ("arviointi_360", "tunteminen_luottamus_sitoutuminen", "verkostokartta"):
        store.set_activity_state(session.id, activity_id, is_open=False, is_revealed=True)
    _seed_steps(store, session, content, spec, people)
    store.set_session_open(session.id, False)  # a workshop held months ago


def _seed_steps(store: SessionStore, session: SessionInfo, content: Content, spec: DemoRound, people: list) -> None:
    """The round's steps on its wall, promoted for the next round (what the next round sets out to do)."""
    vote = content.activities.get(_STEP_VOTE)
    if not spec.steps or vote is None or vote.source not in content.activities:
        return
    from .kinds.highlights.wall import post_highlight

    store.set_activity_state(session.id, vote.source, is_open=True)
    for n, text in enumerate(spec.steps):
        item = post_highlight(store, people[n % len(people)], vote.source, text, tag=vote.tag,
                              submission_id=f"demo-{spec.code}-step-{n}", per_minute=60)
        store.promote_step(session.id, vote.id, item, text)
    store.set_activity_state(session.id, vote.source, is_open=False, is_revealed=True)

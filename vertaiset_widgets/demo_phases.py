"""Demo data for phases 1 and 2 of the YEE day: what 25 participants and five small groups
gave in *tilannekuva* and *tavoitteet ja toimintatavat*. Seeded through the same store calls
the pages use (so the demo exercises the real paths)."""
from __future__ import annotations

from typing import TYPE_CHECKING

import random

from .content import Content
from .kinds.highlights.wall import post_highlight, vote
from .kinds.agreement_board.board import save as save_board
from .kinds.network_map.network import add_actor, add_tie, load_network
from .store import AnswerInput, Participant, SessionInfo

if TYPE_CHECKING:
    from .store import SessionStore

__all__ = ["seed_phase1", "seed_phase2"]

_ORGS = [
    ("Kaupungin sosiaalipalvelut", "julkinen"),
    ("Nuorisopalvelut", "julkinen"),
    ("Nuorten Ystävät ry", "kolmas_sektori"),
    ("Ammattiopisto Taitaja", "julkinen"),
    ("TE-toimisto", "julkinen"),
]
_EXTRA_ORGS = [("Setlementti Tammela", "kolmas_sektori"), ("Valmennus Oy", "yksityinen"), ("Ohjaamo", "julkinen")]
_EXPECTATIONS = [
    "Uusia keinoja verkostotapaamisiin",
    "Tutustua muihin toimijoihin",
    "Selkeyttä siihen, kuka koordinoi",
    "Vinkkejä luottamuksen rakentamiseen",
    "Yhteinen kuva nuorten palveluista",
    "Konkreettisia työkaluja arkeen",
]


def _people(store: SessionStore, session: SessionInfo) -> list[Participant]:
    return sorted(store.participants(session.id), key=lambda p: p.id)


def _submit(store: SessionStore, person: Participant, activity: str, answers: list[AnswerInput], sid: str) -> None:
    store.submit(person, activity, answers, submission_id=sid, require_open=False)


def _split(rng: random.Random, centre: list[float], total: int = 100) -> list[int]:
    raw = [max(0.0, c + rng.gauss(0, 9)) for c in centre]
    scale = total / (sum(raw) or 1)
    parts = [int(round(r * scale / 5) * 5) for r in raw]
    parts[-1] = total - sum(parts[:-1])
    if parts[-1] < 0:
        parts = [int(c) for c in centre]
    return parts


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _choices(store: SessionStore, people: list[Participant], activity: str, options: list[str],
             layers: dict[str, dict[str, float]], rng: random.Random) -> None:
    for person in people:
        answers = []
        for layer, weights in layers.items():
            chosen = _pick(rng, weights)
            answers += [AnswerInput(o, layer, value_num=1.0 if o == chosen else 0.0) for o in options]
        _submit(store, person, activity, answers, f"demo-{activity}-{person.id}")


def _highlights(store: SessionStore, people: list[Participant], activity: str, posts: list[tuple[int, str, str]],
                rng: random.Random, votes: int = 2) -> list[str]:
    by_group: dict[str, list[Participant]] = {}
    for p in people:
        by_group.setdefault(p.group_name or "", []).append(p)
    groups = sorted(by_group)
    store.set_activity_state(people[0].session_id, activity, is_open=True)
    items = []
    authors: dict[str, int] = {}
    for n, (group, tag, text) in enumerate(posts):
        author = by_group[groups[group % len(groups)]][n % 2]
        items.append(post_highlight(store, author, activity, text, tag=tag or None, submission_id=f"demo-{activity}-{n}", per_minute=60))
        authors[items[-1]] = author.id
    revealed = store.activity_state(people[0].session_id, activity).is_revealed
    store.set_activity_state(people[0].session_id, activity, is_revealed=True)  # +1s count only on a revealed wall
    for voter in people:
        for item in rng.sample(items, min(votes, len(items))):
            if voter.id == authors[item]:  # one's own highlight: no vote
                continue
            vote(store, voter, activity, item, submission_id=f"demo-{activity}-v{voter.id}-{item}")
    store.set_activity_state(people[0].session_id, activity, is_revealed=revealed)
    return items


def _reveal(store: SessionStore, session: SessionInfo, *activities: str) -> None:
    for activity in activities:
        store.set_activity_state(session.id, activity, is_open=False, is_revealed=True)


# ---------------------------------------------------------------------- phase 1
_ACTORS = [
    # name, organisation, sector, side, role
    ("Sosiaalityö", "Kaupungin sosiaalipalvelut", "julkinen", "sisainen", "pysyvat_kumppanit"),
    ("Nuorisotyö", "Nuorisopalvelut", "julkinen", "sisainen", "pysyvat_kumppanit"),
    ("Etsivä nuorisotyö", "Nuorisopalvelut", "julkinen", "sisainen", "pysyvat_kumppanit"),
    ("Ammattiopisto", "Ammattiopisto Taitaja", "julkinen", "sisainen", "pysyvat_kumppanit"),
    ("TE-toimisto", "TE-palvelut", "julkinen", "ulkoinen", "pysyvat_kumppanit"),
    ("Kela", "Kansaneläkelaitos", "julkinen", "ulkoinen", "tilapaiset_kumppanit"),
    ("Ohjaamo", "Ohjaamo", "julkinen", "sisainen", "pysyvat_kumppanit"),
    ("Nuorten Ystävät", "Nuorten Ystävät ry", "kolmas_sektori", "ulkoinen", "tilapaiset_kumppanit"),
    ("Setlementti", "Setlementti Tammela", "kolmas_sektori", "ulkoinen", "tilapaiset_kumppanit"),
    ("Seurakunta", "Seurakuntayhtymä", "kolmas_sektori", "ulkoinen", "tilapaiset_kumppanit"),
    ("Valmennusyritys", "Valmennus Oy", "yksityinen", "ulkoinen", "kilpailijat"),
    ("Nuoret ja perheet", "Asiakkaat", "kolmas_sektori", "ulkoinen", "asiakkaat_kansalaiset"),
    ("Nuorisovaltuusto", "Kaupunki", "julkinen", "ulkoinen", "asiakkaat_kansalaiset"),
    ("Johtoryhmä", "Kaupunki", "julkinen", "sisainen", "johtaminen"),
    ("Hankkeen ohjausryhmä", "YEE-hanke", "julkinen", "sisainen", "johtaminen"),
    ("Kaupunginvaltuusto", "Kaupunki", "julkinen", "ulkoinen", "poliittinen_paatoksenteko"),
    ("Mielenterveyspalvelut", "Hyvinvointialue", "julkinen", "ulkoinen", "pysyvat_kumppanit"),
    ("Työpajat", "Nuorten työpaja", "julkinen", "sisainen", "pysyvat_kumppanit"),
    ("Ohjaamo-keskus", "Ohjaamo", "julkinen", "sisainen", "pysyvat_kumppanit"),  # a duplicate, merged below
]
_TIES = [
    ("Sosiaalityö", "Nuorisotyö", "vahva", ""),
    ("Sosiaalityö", "Ohjaamo", "vahva", ""),
    ("Nuorisotyö", "Etsivä nuorisotyö", "vahva", ""),
    ("Etsivä nuorisotyö", "Ohjaamo", "vahva", ""),
    ("Ohjaamo", "TE-toimisto", "vahva", ""),
    ("Ohjaamo", "Kela", "heikko", ""),
    ("Ammattiopisto", "Ohjaamo", "heikko", ""),
    ("Ammattiopisto", "Työpajat", "vahva", ""),
    ("Työpajat", "TE-toimisto", "heikko", ""),
    ("Nuorisotyö", "Nuorten Ystävät", "heikko", ""),
    ("Nuorten Ystävät", "Setlementti", "heikko", ""),
    ("Setlementti", "Seurakunta", "heikko", ""),
    ("Etsivä nuorisotyö", "Nuoret ja perheet", "vahva", ""),
    ("Nuorisotyö", "Nuorisovaltuusto", "heikko", ""),
    ("Sosiaalityö", "Mielenterveyspalvelut", "heikko", ""),
    ("Hankkeen ohjausryhmä", "Johtoryhmä", "vahva", ""),
    ("Hankkeen ohjausryhmä", "Sosiaalityö", "vahva", ""),
    ("Valmennusyritys", "TE-toimisto", "heikko", ""),
    ("Ohjaamo-keskus", "Työpajat", "heikko", ""),
    ("Johtoryhmä", "Kaupunginvaltuusto", "puuttuva", "Vuoropuhelukatkos: hankkeen tulokset eivät kulje päätöksentekoon"),
    ("Mielenterveyspalvelut", "Ohjaamo", "puuttuva", "Nuoret putoavat palveluiden väliin"),
    ("Ammattiopisto", "Kela", "puuttuva", "Opintojen keskeytyessä tieto ei kulje"),
    ("Nuorisovaltuusto", "Hankkeen ohjausryhmä", "puuttuva", "Nuorten ääni puuttuu ohjauksesta"),
]
_NETWORKS_NOW = [
    (0, "toimii_hyvin", "Sosiaalityön ja Ohjaamon yhteistyö on sujuvaa ja nopeaa"),
    (0, "parannettavaa", "Tieto ei kulje, kun nuori siirtyy palvelusta toiseen"),
    (1, "toimii_hyvin", "Etsivä nuorisotyö tavoittaa nuoret, joita muut eivät tavoita"),
    (1, "parannettavaa", "Verkostotapaamisia on paljon, mutta niiden tavoite on epäselvä"),
    (2, "toimii_hyvin", "Järjestöjen vertaistoiminta tuo nuorille turvallisia aikuisia"),
    (2, "parannettavaa", "Järjestöt kutsutaan mukaan vasta toteutukseen"),
    (3, "parannettavaa", "Oppilaitoksen ja TE-palveluiden yhteys on heikko"),
    (3, "toimii_hyvin", "Työpajat ja oppilaitos sopivat yhdessä nuoren polusta"),
    (4, "parannettavaa", "Kukaan ei koordinoi kokonaisuutta"),
    (4, "toimii_hyvin", "Ohjaamossa eri alojen ammattilaiset samassa paikassa"),
]
_STRENGTHEN = [
    (0, "jo_toimii", "Tunnemme toisemme nimeltä, joten on helppo soittaa"),
    (1, "ei_viela_toimi", "Lupauksia tehdään, mutta seuranta puuttuu"),
    (1, "vahvistetaan", "Sovitaan jokaiselle tapaamiselle vetäjä ja muistio"),
    (2, "vahvistetaan", "Avoin foorumi kahdesti vuodessa uusille toimijoille"),
    (3, "ei_viela_toimi", "Haavoittuvuutta ei uskalleta näyttää muiden edessä"),
    (3, "jo_toimii", "Yhteinen historia kantaa, moni on tehnyt töitä yhdessä vuosia"),
    (4, "vahvistetaan", "Yhteiset tilat ja työaika verkostotyölle"),
    (4, "ei_viela_toimi", "Rakenteet estävät: tietojärjestelmät eivät keskustele"),
]
# knowing – trust – commitment, the room's typical means (1–5) per item
_KTC = {
    "tunteminen_nimi": 3.9, "tunteminen_osaaminen": 3.2, "tunteminen_tarpeet": 2.6, "tunteminen_historia": 3.4,
    "luottamus_hyvantahtoisuus": 4.1, "luottamus_osaaminen": 3.7, "luottamus_haavoittuvuus": 2.3, "luottamus_johdonmukaisuus": 3.0,
    "sitoutuminen_halu": 3.6, "sitoutuminen_osaaminen": 3.1, "sitoutuminen_rakenteet": 2.2, "sitoutuminen_lupausten_pitaminen": 2.8,
}


def seed_phase1(store: SessionStore, session: SessionInfo, content: Content, rng: random.Random) -> None:
    """Check-in, hierarchy–market–network, network type and levels, the map, discussions, knowing–trust–commitment."""
    people = _people(store, session)
    for n, person in enumerate(people):
        org, sector = _ORGS[n % len(_ORGS)] if n % 7 else _EXTRA_ORGS[(n // 7) % len(_EXTRA_ORGS)]
        _submit(store, person, "kuulumiset", [
            AnswerInput("nimi", "", value_text=person.nickname),
            AnswerInput("organisaatio", "", value_text=org),
            AnswerInput("sektori", "", value_text=sector),
            AnswerInput("odotus", "", value_text=_EXPECTATIONS[n % len(_EXPECTATIONS)]),
        ], f"demo-kuulumiset-{person.id}")
        now = _split(rng, [45, 22, 33])
        wanted = _split(rng, [25, 10, 65])
        answers = [AnswerInput(o, "nyt", value_num=float(v)) for o, v in zip(("hierarkia", "markkina", "verkosto"), now)]
        answers += [AnswerInput(o, "toivottu", value_num=float(v)) for o, v in zip(("hierarkia", "markkina", "verkosto"), wanted)]
        _submit(store, person, "hierarkia_markkina_verkosto", answers, f"demo-hmv-{person.id}")
        levels = ["maailman_ymmartaminen", "vaikuttamistyo", "strategian_kehittaminen", "palvelupolku", "asiakasrajapinta"]
        inside = [0.2, 0.15, 0.45, 0.7, 0.85]
        outside = [0.35, 0.3, 0.3, 0.5, 0.6]
        _submit(store, person, "verkostotyon_tasot",
                [AnswerInput(lv, "sisainen", value_num=float(rng.random() < p)) for lv, p in zip(levels, inside)]
                + [AnswerInput(lv, "ulkoinen", value_num=float(rng.random() < p)) for lv, p in zip(levels, outside)],
                f"demo-tasot-{person.id}")
        _submit(store, person, "tunteminen_luottamus_sitoutuminen",
                [AnswerInput(item, "", value_num=float(min(5, max(1, round(m + rng.gauss(0, 0.8)))))) for item, m in _KTC.items()],
                f"demo-ktc-{person.id}")
    _choices(store, people, "verkostotyyppi",
             ["hierarkkisesti_johdettu", "yhdessa_johdettu", "vapaasti_kehittyva", "kaoottinen"],
             {"nyt": {"hierarkkisesti_johdettu": 8, "yhdessa_johdettu": 4, "vapaasti_kehittyva": 9, "kaoottinen": 4},
              "toivottu": {"hierarkkisesti_johdettu": 2, "yhdessa_johdettu": 19, "vapaasti_kehittyva": 4, "kaoottinen": 0.1}}, rng)
    # the map, built together: actors and ties from different people
    activity = content.activity("verkostokartta")
    store.set_activity_state(session.id, activity.id, is_open=True)
    ids: dict[str, str] = {}
    for n, (name, org, sector, side, role) in enumerate(_ACTORS):
        ids[name] = add_actor(store, people[n % len(people)], activity,
                              {"name": name, "organisation": org, "sector": sector, "side": side, "role": role},
                              submission_id=f"demo-actor-{n}")
    for n, (a, b, kind, note) in enumerate(_TIES):
        add_tie(store, people[(n * 3) % len(people)], activity, {"source": ids[a], "target": ids[b], "type": kind, "note": note},
                submission_id=f"demo-tie-{n}")
    store.moderate(session.id, activity.id, ids["Ohjaamo-keskus"], "merge", ids["Ohjaamo"])
    assert load_network(store, session.id, activity).find("Ohjaamo") is not None
    _highlights(store, people, "verkostot_nyt", _NETWORKS_NOW, rng)
    _highlights(store, people, "verkostojen_vahvistaminen", _STRENGTHEN, rng)
    _reveal(store, session, "kuulumiset", "hierarkia_markkina_verkosto", "verkostotyyppi", "verkostotyon_tasot", "verkostokartta",
            "verkostot_nyt", "tunteminen_luottamus_sitoutuminen", "verkostojen_vahvistaminen")


# ---------------------------------------------------------------------- phase 2
_CANVAS = {
    "miksi": ["Jotta yksikään nuori ei putoa palveluiden väliin", "Nuorten polut työhön ja opintoihin sujuviksi",
              "Yhdessä saamme enemmän aikaan kuin erikseen", "Vähennetään päällekkäistä työtä", "Nuoren ääni kuuluviin"],
    "kuka": ["Sosiaalityö, nuorisotyö, Ohjaamo ja järjestöt", "Oppilaitokset, työpajat ja TE-palvelut",
             "Järjestöt ja seurakunta mukaan alusta asti", "Koordinaattori ja jokaisesta organisaatiosta yhdyshenkilö",
             "Nuoret itse nuorisovaltuuston kautta"],
    "miten": ["Kuukausittainen tilannehuone ja yhteinen chat", "Nuoren polku piirretään yhdessä",
              "Vuorotellen fasilitoidut verkostotapaamiset", "Yhteinen vuosikello ja sovitut roolit",
              "Kokeillaan pieniä asioita ja arvioidaan yhdessä"],
    "mita": ["Yhteinen palvelukartta nuorille", "Siirtymiin yhteiset käytännöt", "Kaksi avointa foorumia vuodessa",
             "Yhteystietolista rooleineen", "Nuorten palautekanava"],
    "resurssit": ["Koordinaattorin työaika 50 %", "Jokaiselta 2 h kuussa verkostotyöhön", "Hankerahoitus kahdeksi vuodeksi",
                  "Tilat Ohjaamosta", "Yhteinen Teams-työtila"],
}
_OWN_GOALS = [
    (0, "", "Nuori saa tarvitsemansa tuen yhdeltä luukulta viikon sisällä"),
    (1, "", "Jokaisella nuorella on nimetty aikuinen siirtymävaiheessa"),
    (2, "", "Järjestöt ovat tasavertaisia kumppaneita suunnittelusta alkaen"),
    (3, "", "Keskeyttämiset puolittuvat kahdessa vuodessa yhteistyöllä"),
    (4, "", "Verkosto oppii yhdessä ja uudistaa toimintaansa vuosittain"),
]
_BOARD = {
    "k01": ("Koordinaattori kutsuu koolle, fasilitointi kiertää organisaatiolta toiselle", "sovittu", "Koordinaattori", "ohjatusti"),
    "k02": ("Jokainen tapaaminen alkaa kuulumisilla; uudet esittäytyvät", "sovittu", "Kaikki", "itseohjautuvasti"),
    "k03": ("Tilannehuone kuukausittain, laaja verkostotapaaminen kahdesti vuodessa", "sovittu", "Koordinaattori", "ohjatusti"),
    "k04": ("Tiedonvälitystä ja tavoitteellista yhdessä oppimista", "osittain", "Ohjausryhmä", "ohjatusti"),
    "k05": ("Yhteinen työtila ja kuukausikirje", "sovittu", "Viestintävastaava", "ohjatusti"),
    "k06": ("Yhteisistä asioista päätetään tilannehuoneessa, rahoituksesta ohjausryhmässä", "osittain", "Ohjausryhmä", "ylhaalta_alas"),
    "k07": ("Avoin foorumi uusille toimijoille", "osittain", "Koordinaattori", "ohjatusti"),
    "k09": ("Kaksi tuntia kuussa ja sovittujen lupausten pitäminen", "sovittu", "Kaikki", "itseohjautuvasti"),
    "k10": ("", "auki", "Ohjausryhmä", ""),
    "k12": ("Yhdyshenkilöt raportoivat omiin organisaatioihinsa neljännesvuosittain", "osittain", "Yhdyshenkilöt", "itseohjautuvasti"),
    "k14": ("360-arvio kerran vuodessa", "sovittu", "Koordinaattori", "ohjatusti"),
}


def seed_phase2(store: SessionStore, session: SessionInfo, content: Content, rng: random.Random) -> None:
    """The why/who/how canvas per group, typical goals, our own goal, side by side ↔ together,
    the agreement board, learning modes, leadership positions and schools of development."""
    people = _people(store, session)
    by_group: dict[str, list[Participant]] = {}
    for p in people:
        by_group.setdefault(p.group_name or "", []).append(p)
    for g, (group, members) in enumerate(sorted(by_group.items())):
        # two members fill the group's canvas in turn; the later save of a box wins
        for m, member in enumerate(members[:2]):
            fields = list(_CANVAS)[m::2]
            _submit(store, member, "tavoitekanvaasi",
                    [AnswerInput(f, group, value_text=_CANVAS[f][(g + m) % 5]) for f in fields], f"demo-canvas-{member.id}")
    goals = ["asiakkaan_palveleminen", "tyonteon_sujuvuus", "ilmio", "paamaarat"]
    for person in people:
        dots = dict.fromkeys(goals, 0)
        for _ in range(3):
            dots[_pick(rng, {"asiakkaan_palveleminen": 6, "tyonteon_sujuvuus": 4, "ilmio": 2, "paamaarat": 3})] += 1
        _submit(store, person, "tyypilliset_tavoitteet", [AnswerInput(k, "", value_num=float(v)) for k, v in dots.items()],
                f"demo-dots-{person.id}")
        now = min(7, max(1, round(rng.gauss(3.0, 1.1))))
        wanted = min(7, max(1, round(rng.gauss(5.6, 0.9))))
        _submit(store, person, "rinnakkain_yhdessa",
                [AnswerInput("position", "nyt", value_num=float(now)), AnswerInput("position", "toivottu", value_num=float(wanted))],
                f"demo-pos-{person.id}")
    _highlights(store, people, "oma_tavoite", _OWN_GOALS, rng, votes=2)
    board = content.activity("toimintatavat")
    for item, (answer, status, owner, mode) in _BOARD.items():
        save_board(store, session.id, board, item, {"answer": answer, "status": status, "owner": owner, "mode": mode})
    _choices(store, people, "oppimisen_tavat", ["opettaminen", "fasilitointi", "emannointi"],
             {"nyt": {"opettaminen": 14, "fasilitointi": 8, "emannointi": 3},
              "toivottu": {"opettaminen": 3, "fasilitointi": 14, "emannointi": 8}}, rng)
    _choices(store, people, "johtamisen_asemat", ["toisten_puolesta", "yhteisen_ymmarryksen_ohjaaminen", "alustan_rakentaminen"],
             {"nyt": {"toisten_puolesta": 12, "yhteisen_ymmarryksen_ohjaaminen": 10, "alustan_rakentaminen": 3},
              "toivottu": {"toisten_puolesta": 2, "yhteisen_ymmarryksen_ohjaaminen": 13, "alustan_rakentaminen": 10}}, rng)
    _choices(store, people, "kehittamisen_koulukunnat", ["rationaalinen_valinta", "oppiva_organisaatio", "arjen_toimintakyky"],
             {"nyt": {"rationaalinen_valinta": 15, "oppiva_organisaatio": 8, "arjen_toimintakyky": 2},
              "toivottu": {"rationaalinen_valinta": 3, "oppiva_organisaatio": 12, "arjen_toimintakyky": 10}}, rng)
    _reveal(store, session, "tavoitekanvaasi", "tyypilliset_tavoitteet", "oma_tavoite", "rinnakkain_yhdessa", "toimintatavat",
            "oppimisen_tavat", "johtamisen_asemat", "kehittamisen_koulukunnat")

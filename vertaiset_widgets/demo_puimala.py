"""The demo's Puimala: the source's own example, the Muutospuimala of 28.5.2008.

All three stages are there: the core group's stories and a fact pack (two texts, a link and a
small text file), twelve registered participants who answered the pre-work, the forum day's
plan with answers, wall posts and notes for every block (published), open feedback from
participants and outsiders in a period that has closed (28.5.–11.6.2008; one comment hidden),
and the peers the notes go to: two of the association's networks and three municipal peers.
"""
from __future__ import annotations

import random
from datetime import date, datetime, timezone
from typing import Any

from .kinds.highlights.wall import post_highlight, vote
from .store import AnswerInput
from .config import DEMO_PUIMALA_CODE
from .store.agenda import AgendaBlock

__all__ = ["PUIMALA_CODE", "PUIMALA_DATE", "PUIMALA_NETWORK", "PUIMALA_TITLE", "puimala_links", "seed_puimala"]

PUIMALA_CODE = DEMO_PUIMALA_CODE
PUIMALA_TITLE = "Muutospuimala"
PUIMALA_NETWORK = "Vertaiset – kuntien muutosverkosto"
PUIMALA_DATE = date(2008, 5, 28)
PUIMALA_WORKBOOK = "puimala.ipynb"

_PEOPLE = ["Anneli", "Hannu", "Irma", "Juha", "Kaisa", "Markku", "Outi", "Pekka", "Raija", "Seppo", "Tarja", "Ville"]
_GROUPS = ["Sosiaalitoimi", "Terveystoimi", "Järjestöt", "Kunnan johto"]

_STORIES = [
    ("Kun kaksi kuntaa yhdisti perhepalvelunsa",
     "Yhdistymisen ensimmäinen vuosi meni rakenteisiin. Vasta kun perhetyöntekijät alkoivat tavata "
     "toistensa asiakkaita yhteisissä verkostopalavereissa, syntyi yhteinen käsitys siitä, mitä muutos tarkoittaa."),
    ("Vanhuspalvelujen kotihoito uusiksi",
     "Kotihoito ja kotisairaanhoito yhdistettiin. Työntekijät kertovat, miten tiimit löysivät yhteisen "
     "työtavan – ja miten asiakkaat huomasivat muutoksen ennen johtoa."),
    ("Järjestö kumppanina, ei vain palveluntuottajana",
     "Paikallinen mielenterveysyhdistys kutsuttiin suunnittelemaan palveluja alusta asti. Tarina kertoo, "
     "mitä kumppanuus vaati kunnalta ja mitä yhdistykseltä."),
]
_FACTS = [
    ("Muutoksen aikataulu", "Palvelurakenneuudistuksen päätökset tehdään syksyllä 2008, ja uusi organisaatio "
     "aloittaa 1.1.2009. Valmisteluryhmät raportoivat ohjausryhmälle kuukausittain."),
    ("Luvut lyhyesti", "Yhteistoiminta-alueella on 48 000 asukasta ja kolme kuntaa. Sosiaali- ja terveyspalveluissa "
     "työskentelee noin 900 henkilöä."),
]
_LINK = ("Paras-hankkeen tietopankki", "https://www.vm.fi/paras")
_FILE = ("ohjausryhman_muistio.txt", "Ohjausryhmän muistio 14.5.2008\n\n1. Puimalan valmistelu\n2. Tiedottaminen "
         "henkilöstölle\n3. Seuraava kokous 4.6.2008\n")

#: The forum day: (title, minutes, is_break, activity id), 9.00–14.00.
_DAY: list[tuple[str, int, bool, str | None]] = [
    ("Avaus: miksi puimme tätä muutosta?", 20, False, None),
    ("Tapaustarinat ja ennakkokysymykset", 40, False, "puimala_360"),
    ("Puinti pienryhmissä", 60, False, "puimala_nostot"),
    ("Lounas", 45, True, None),
    ("Yhteinen puinti", 55, False, None),
    ("Mitä viemme eteenpäin?", 30, False, "puimala_eteenpain"),
    ("Jälkipuinnin sopiminen", 20, False, None),
]
_NOTES = [
    "Muutoksen tavoite on selkeä johdolle, mutta työntekijöille se näyttää vielä rakenneuudistukselta. "
    "Toive: kerrotaan, mitä muutos tarkoittaa asiakkaan arjessa.",
    "Tarinoista nousi esiin kolme asiaa: yhteiset asiakastapaamiset, työntekijöiden tutustuminen toisiinsa "
    "ja järjestöjen mukaan ottaminen alusta asti. 360-profiilissa yhteydet poliittiseen päätöksentekoon ovat heikoimmat.",
    "Ryhmät: (1) tiedonkulku yksiköiden välillä katkeaa; (2) asiakkaan polku pitää kuvata yhdessä; "
    "(3) järjestöille oma paikka valmisteluryhmissä; (4) pelko siitä, että resurssit siirtyvät hallintoon.",
    "",
    "Yhteisessä puinnissa sovittiin, että asiakkaan polku kuvataan kolmessa pilotissa ja järjestöt kutsutaan "
    "valmisteluryhmiin. Luottamushenkilöille järjestetään oma puimala syksyllä.",
    "Eniten kannatusta sai muistiinpanojen vieminen päättäjille ja tarinoiden vieminen käytäntöpankkiin.",
    "Palaute kerätään verkossa kahden viikon ajan. Muistiinpanot lähetetään vertaisverkostoille ja kuntavertaisille.",
]
_QUESTIONS = [
    ("kulku", "Miten työntekijät pääsevät vaikuttamaan uuteen organisaatioon?"),
    ("vaikutukset", "Mitä muutos tarkoittaa asiakkaalle, joka asioi monessa palvelussa?"),
    ("kulku", "Kuka vastaa siitä, että tieto kulkee kuntien välillä?"),
    ("vaikutukset", "Siirtyvätkö resurssit lähityöstä hallintoon?"),
    ("kulku", "Miten järjestöt otetaan mukaan valmisteluun?"),
]
_HIGHLIGHTS = [
    ("oivallus", "Asiakkaan polku yhdessä kuvattuna näyttää, missä palvelut katkeavat"),
    ("huoli", "Tiedonkulku katkeaa, kun yksiköt muuttavat eri aikaan"),
    ("ehdotus", "Järjestöille oma paikka valmisteluryhmissä"),
    ("ehdotus", "Luottamushenkilöille oma puimala syksyllä"),
    ("oivallus", "Työntekijöiden tutustuminen toisiinsa on muutoksen edellytys, ei sivutuote"),
]
_FEEDBACK: list[tuple[str | None, str, int, int]] = [
    # (name or None, comment, day of June/May offset from the forum, hour)
    ("Irma", "Hyvä päivä! Tarinat toivat muutoksen lähelle omaa työtä.", 0, 16),
    (None, "Muistiinpanoista puuttuu kotihoidon näkökulma – toivottavasti se tulee pilotteihin.", 1, 10),
    ("Seppo", "Järjestöjen mukaan ottaminen on tärkein tulos. Kiitos!", 1, 14),
    (None, "Olin mukana verkossa: ääni katkeili, mutta muistiinpanot auttoivat pysymään kärryillä.", 2, 9),
    ("Naapurikunnan perhetyö", "Voisimmeko tulla mukaan seuraavaan puimalaan? Meillä on sama muutos edessä.", 4, 13),
    (None, "Milloin asiakkaan polun pilotit alkavat?", 6, 11),
    (None, "Mainos: halpoja lentoja www.example.com", 7, 3),
    ("Kaisa", "Luottamushenkilöiden puimala on hyvä ajatus, kunhan se pidetään ennen budjettia.", 9, 15),
    (None, "Kiitos avoimuudesta. Tällaista keskustelua toivoisi enemmän.", 12, 20),
]
_PEERS = [
    {"name": "Vertaiset-oppimisverkosto", "kind": "network", "contact": "vertaiset@example.org"},
    {"name": "Sosiaalialan osaamiskeskuksen kehittäjäverkosto", "kind": "network", "contact": "kehittajat@example.org"},
    {"name": "Naapurikunta: perhepalvelut", "kind": "municipal", "contact": "perhepalvelut@naapurikunta.example"},
    {"name": "Seutukunnan vanhuspalvelut", "kind": "municipal", "contact": "vanhuspalvelut@seutu.example"},
    {"name": "Kaupungin sosiaali- ja terveyslautakunta", "kind": "municipal", "contact": ""},
]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=timezone.utc)


def seed_puimala(store: Any, content: Any) -> None:
    """Seed the demo Puimala once (a store that has it is left as it is)."""
    if store.find_session(PUIMALA_CODE) is not None:
        return
    session, _key = store.create_session(PUIMALA_TITLE, network=PUIMALA_NETWORK, held_on=PUIMALA_DATE, code=PUIMALA_CODE)
    sid = session.id
    rng = random.Random(20080528)
    store.set_puimala(
        sid, mode="live", prework_activities=["puimala_360", "puimala_kysymykset"],
        prework_opens=_at(date(2008, 5, 5), 6), prework_closes=_at(date(2008, 5, 27), 13),
        feedback_opens=_at(PUIMALA_DATE, 0), feedback_closes=_at(date(2008, 6, 11), 20, 59),
        feedback_per_minute=3, feedback_premoderated=False, peers=_PEERS)
    store.feedback_link_token(sid)
    # ennakkopuinti: the stories, the fact pack, the registered participants and their pre-work
    for title, body in _STORIES:
        store.add_material(sid, "story", title, body=body)
    for title, body in _FACTS:
        store.add_material(sid, "fact", title, body=body)
    store.add_material(sid, "link", _LINK[0], url=_LINK[1])
    store.add_material(sid, "file", "Ohjausryhmän muistio 14.5.2008", filename=_FILE[0], content=_FILE[1].encode("utf-8"))
    people = [store.join(sid, f"puimala-demo-{n:02d}", nickname=name, group=_GROUPS[n % len(_GROUPS)])
              for n, name in enumerate(_PEOPLE)]
    _seed_360(store, sid, content, people, rng)
    _seed_wall(store, sid, "puimala_kysymykset", people, _QUESTIONS, rng)
    # puinti: the day's plan, the walls and choices, the notes of every block
    blocks = store.set_agenda_blocks(sid, [
        AgendaBlock(position=i, minutes=minutes, title=title, is_break=is_break,
                    workbook=PUIMALA_WORKBOOK if activity else None, activity_id=activity)
        for i, (title, minutes, is_break, activity) in enumerate(_DAY)], day_start="9.00")
    _seed_wall(store, sid, "puimala_nostot", people, _HIGHLIGHTS, rng)
    _seed_choice(store, sid, content, people, rng)
    for block, text in zip(blocks, _NOTES):
        if text:
            store.write_notes(sid, block.key, text)
    store.publish_notes(sid)
    # jälkipuinti: feedback from participants and from anyone, one comment hidden
    for n, (name, body, days, hour) in enumerate(_FEEDBACK):
        day = date.fromordinal(PUIMALA_DATE.toordinal() + days)
        item = store.add_feedback(sid, f"puimala-demo-browser-{n:02d}", body, idem=f"puimala-demo-feedback-{n:02d}",
                                  name=name, now=_at(day, hour))
        if "example.com" in body:
            store.moderate_feedback(sid, item.id, "hide")


def puimala_links(store: Any, base_url: str = "") -> dict[str, str] | None:
    """The demo Puimala's facilitator, screen, note-taker and feedback links, with fresh keys (the
    earlier demo links stop working); None when the store has no demo Puimala."""
    from .links import SessionLinks
    from .puimala_views import feedback_url, notes_url

    session = store.find_session(PUIMALA_CODE)
    if session is None:
        return None
    key = store.set_key(PUIMALA_CODE)
    links = SessionLinks(session.code, key=key, base_url=base_url, workbook=PUIMALA_WORKBOOK, lang=session.lang)
    return {
        "code": session.code,
        "facilitator_key": key,
        "facilitator_url": links.facilitator,
        "screen_url": links.screen,
        "notes_url": notes_url(session.code, store.new_notes_key(session.id), session.lang, base_url),
        "feedback_url": feedback_url(store.feedback_link_token(session.id), session.lang, base_url),
    }


def _seed_360(store: Any, sid: int, content: Any, people: list, rng: random.Random) -> None:
    """The pre-work 360: strong inside, weak towards politics; the future higher."""
    activity = content.activity("puimala_360")
    base = {"nyt": [3.2, 2.2, 2.4, 2.8, 1.4, 2.3, 2.6, 3.3], "tulevaisuudessa": [4.2, 3.4, 4.0, 3.8, 3.0, 3.9, 3.7, 4.3]}
    for n, person in enumerate(people[:10]):  # two registered but did not answer
        answers = [AnswerInput(item=item.id, layer=layer, value_num=float(min(5, max(0, round(centre + rng.gauss(0, 0.6))))))
                   for layer, centres in base.items() for item, centre in zip(activity.items, centres)]
        store.submit(person, activity.id, answers, submission_id=f"puimala-demo-360-{n:02d}", require_open=False)
    store.set_activity_state(sid, activity.id, is_open=False, is_revealed=True)


def _seed_wall(store: Any, sid: int, activity_id: str, people: list, posts: list, rng: random.Random) -> None:
    store.set_activity_state(sid, activity_id, is_open=True)
    authors = {post_highlight(store, people[(3 * n) % len(people)], activity_id, text, tag=tag,
                              submission_id=f"puimala-demo-{activity_id}-{n}", per_minute=60): people[(3 * n) % len(people)].id
               for n, (tag, text) in enumerate(posts)}
    store.set_activity_state(sid, activity_id, is_revealed=True)  # +1s count only on a revealed wall
    for voter in people:
        for item in rng.sample(sorted(authors), 2):
            if voter.id != authors[item]:  # one's own post: no vote
                vote(store, voter, activity_id, item, submission_id=f"puimala-demo-v-{activity_id}-{voter.id}-{item}")
    store.set_activity_state(sid, activity_id, is_open=False, is_revealed=True)


def _seed_choice(store: Any, sid: int, content: Any, people: list, rng: random.Random) -> None:
    activity = content.activity("puimala_eteenpain")
    weights = [0.9, 0.75, 0.5, 0.45, 0.35]
    for n, person in enumerate(people):
        chosen = [o.id for o, w in zip(activity.options, weights) if rng.random() < w] or [activity.options[0].id]
        answers = [AnswerInput(item=o.id, value_num=1.0 if o.id in chosen else 0.0) for o in activity.options]
        store.submit(person, activity.id, answers, submission_id=f"puimala-demo-choice-{n:02d}", require_open=False)
    store.set_activity_state(sid, activity.id, is_open=False, is_revealed=True)

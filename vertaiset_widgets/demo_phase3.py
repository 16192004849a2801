"""The demo day's phase 3 (koordinointi ja fasilitointi), for ``vertaiset demo``.

Each kind's own ``demo.py`` knows how to fill an activity of its kind; this module says what the
YEE network's day put into the phase 3 workbook: the year, the contact list, the day's plan,
the partnerships' strong and weak practices, progress on what phase 2 agreed, whose clock drives
the network's decisions, and the phase's discussion wall.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import random

from .content import Content
from .demo_phases import _highlights, _people, _pick, _reveal
from .store import AnswerInput, SessionInfo

if TYPE_CHECKING:
    from .store import SessionStore

__all__ = ["seed_phase3"]

# The phase's discussion (group, tag, text).
_DISCUSSION = [
    (0, "", "Vuosikello näkyviin kaikille: nyt kokousajat ovat vain koordinaattorin kalenterissa"),
    (1, "", "Yhteystietolista vanhenee nopeasti – tarkistetaan se joka syksy yhdessä"),
    (2, "", "Järjestöjen määräajat puuttuvat kaupungin vuosikellosta"),
    (3, "", "Kokouksissa liikaa tiedottamista, liian vähän yhteistä ajattelua"),
    (4, "", "Fasilitointivastuu kiertämään organisaatiolta toiselle"),
    (0, "", "Sovitaan, kuka päivittää vuosikellon ja milloin"),
]


# The contact list: (name, organisation, role id, phone, e-mail); the last one was checked long ago.
_CONTACTS = [
    ("Aino Virtanen", "Kaupungin nuorisopalvelut", "koordinointi", "040 123 4001", "aino.virtanen@example.org"),
    ("Eero Laine", "Ohjaamo", "fasilitointi", "", "eero.laine@example.org"),
    ("Helmi Nieminen", "Järjestöjen verkosto", "viestinta", "050 123 4002", ""),
    ("Ilkka Mäkelä", "TE-palvelut", "fasilitointi", "044 123 4003", "ilkka.makela@example.org"),
    ("Johanna Koskinen", "Ammattiopisto", "viestinta", "", "johanna.koskinen@example.org"),
]
_STALE_DAY = "2021-09-01"

# Partnerships and the practices each has: (name, weak ids, strong ids).
_PARTNERSHIPS = [
    ("Ohjaamo – TE-palvelut", ["ad_hoc", "jos_muistetaan"], ["sovitut_roolit", "tilannehuone", "vakiintunut_viestinta"]),
    ("Sosiaalityö – nuorisotyö", ["joustavat_roolit", "vapaat_tapaamiset", "vaihtuva_viestinta"],
     ["sovitut_roolit", "muistaminen_varmistettu"]),
    ("Oppilaitokset – järjestöt", ["joustavat_roolit", "ad_hoc", "vapaat_tapaamiset", "jos_muistetaan"], []),
    ("Kaupunki – rahoittaja", [], ["sovitut_roolit", "vaikuttavuuden_mittaus", "tietojarjestelmat", "sopimuksellisuus"]),
]

# Whose clock drives each decision, and when its impact shows: weights per decision.
_CLOCKS = {
    "budjetti": ({"poliitikko": 8, "johtaja": 4, "hanke": 1}, {"vuosi": 6, "vuodet": 3}),
    "uusi_palvelu": ({"kansalainen": 6, "kumppani": 3, "internet": 2, "hanke": 2}, {"kuukaudet": 5, "vuosi": 3}),
    "jatkorahoitus": ({"hanke": 7, "poliitikko": 3, "kilpailija": 2}, {"kuukaudet": 3, "vuosi": 5}),
    "tapaamisrytmi": ({"kumppani": 7, "hanke": 3, "johtaja": 2}, {"viikot": 6, "kuukaudet": 3}),
}


def seed_phase3(store: SessionStore, session: SessionInfo, content: Content, rng: random.Random) -> None:
    """Fill the phase 3 workbook's activities that the content has (each kind's demo helper)."""
    people = _people(store, session)
    shown: list[str] = []
    has = content.activities.__contains__
    if has("vuosikello"):
        from .kinds.year_clock.demo import seed_year

        seed_year(store, people, content.activity("vuosikello"), year=session.held_on.year, prefix="demo-yc")
        shown.append("vuosikello")
    if has("yhteystiedot"):
        _contacts(store, people, content.activity("yhteystiedot"))
        shown.append("yhteystiedot")
    if has("vahvat_heikot"):
        from .kinds.practice_profile.profiles import mark_partnership

        activity = content.activity("vahvat_heikot")
        practices = [p.id for p in (*activity.weak, *activity.strong)]
        for n, (name, weak, strong) in enumerate(_PARTNERSHIPS):
            marks = {p: "1" if p in weak or p in strong else "0" for p in practices}
            mark_partnership(store, people[3 * n], activity, {"name": name, **marks},
                             submission_id=f"demo-pp-{n}", require_open=False)
        shown.append("vahvat_heikot")
    if has("yhdessa_eteneminen"):
        from .kinds.progress.demo import seed_progress

        seed_progress(store, people, content.activity("yhdessa_eteneminen"))
        shown.append("yhdessa_eteneminen")
    if has("moniaikaisuus"):
        _placements(store, people, content.activity("moniaikaisuus"), rng)
        shown.append("moniaikaisuus")
    if has("kokoussuunnitelma"):  # the day's plan (seeded with the demo) in view of the room
        shown.append("kokoussuunnitelma")
    if has("koordinointi_keskustelu"):
        _highlights(store, people, "koordinointi_keskustelu", _DISCUSSION, rng, votes=2)
        shown.append("koordinointi_keskustelu")
    _reveal(store, session, *shown)


def _contacts(store: SessionStore, people: list, activity) -> None:
    from .kinds.contacts.entries import entry_id, save_entry

    roles = [r.id for r in activity.roles]
    for n, (name, org, role, phone, email) in enumerate(_CONTACTS):
        person = people[n]
        save_entry(store, person, activity, {"name": name, "org": org, "role": role if role in roles else roles[0],
                                             "phone": phone, "email": email, "consent": "yes"},
                   submission_id=f"demo-ct-{n}", require_open=False)
    # the last one has not been checked since the autumn before: out of date on the console
    store.submit(people[len(_CONTACTS) - 1], activity.id,
                 [AnswerInput(entry_id(people[len(_CONTACTS) - 1]), "checked", value_text=_STALE_DAY)],
                 submission_id="demo-ct-stale", require_open=False)


def _placements(store: SessionStore, people: list, activity, rng: random.Random) -> None:
    from .kinds.multi_time.placements import place

    decisions = [d.id for d in activity.decisions if d.id in _CLOCKS]
    for person in people[:18]:
        values: dict[str, str] = {}
        for d in decisions:
            clocks, impacts = _CLOCKS[d]
            values[f"clock|{d}"] = _pick(rng, clocks)
            values[f"impact|{d}"] = _pick(rng, impacts)
        place(store, person, activity, values, submission_id=f"demo-mt-{person.id}", require_open=False)

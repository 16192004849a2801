"""The year clock's examples for the contract test (``tests/test_kinds_contract.py``) and the
demo year for ``vertaiset demo``.

``EXAMPLE`` is a minimal valid template entry, ``BROKEN`` a ``(field, value)`` that makes it
invalid, and :func:`answer` what a phone sends to the clock's entry form (type, title, start,
end, owner, ring). :func:`seed_year` fills a year clock with the source's kind of year:
network meetings, a forum, reporting and budget deadlines.
"""
from __future__ import annotations

from datetime import date
from typing import Any, Sequence

from ..examples import labelled_items as _items

__all__ = ["BROKEN", "DEMO_YEAR", "EXAMPLE", "answer", "demo_events", "seed_year"]


#: The entry types issue 11 names, as a template lists them.
TYPES = _items(
    ("kokous", "Verkostokokous", "Nätverksmöte", "Network meeting"),
    ("foorumi", "Foorumi", "Forum", "Forum"),
    ("raportointi", "Raportoinnin määräaika", "Rapporteringsfrist", "Reporting deadline"),
    ("budjetti", "Talousarvion määräaika", "Budgetfrist", "Budget deadline"),
    ("muu", "Muu tapahtuma", "Annat evenemang", "Other event"),
)

EXAMPLE: dict[str, Any] = {
    "id": "esimerkki_vuosikello",
    "kind": "year_clock",
    "title": {"fi": "Verkoston vuosikello", "sv": "Nätverkets årshjul", "en": "The network's year clock"},
    "prompt": {
        "fi": "Lisätkää vuoden kokoukset, foorumit ja määräajat.",
        "sv": "Lägg till årets möten, forum och tidsfrister.",
        "en": "Add the year's meetings, forums and deadlines.",
    },
    "types": TYPES,
    "rings": _items(
        ("koko_verkosto", "Koko verkosto", "Hela nätverket", "The whole network"),
        ("kunta", "Kaupunki", "Staden", "The city"),
        ("jarjestot", "Järjestöt", "Organisationerna", "The NGOs"),
    ),
}

#: A wheel needs at least one ring.
BROKEN = ("rings", [])

#: The demo's year (the seeded session's date decides the wheel's year when the template names none).
DEMO_YEAR = 2026


def answer(form: Any, text: str = "Verkostokokous") -> dict[str, Any]:
    """A valid submit for the entry form: ``text`` as the title, a date in spring, the first choice of every select."""
    value: dict[str, str] = {}
    for field in form.fields:
        name = field["name"]
        if field.get("type") == "select":
            value[name] = next(o["value"] for o in field["options"] if o["value"])
        elif name == "title":
            value[name] = text
        elif name == "start":
            value[name] = f"{DEMO_YEAR}-03-16"
        elif name == "end":
            value[name] = ""
        else:
            value[name] = "Koordinaattori"
    return {"type": "submit", "value": value}


def demo_events(year: int, types: Sequence[str], rings: Sequence[str]) -> list[dict[str, str]]:
    """The source's kind of year: network meetings four times a year, a forum in autumn, the
    reporting and budget deadlines; ``types`` and ``rings`` are the template's ids (their order
    as in :data:`EXAMPLE`: meeting, forum, reporting, budget, other)."""
    t = dict(zip(("kokous", "foorumi", "raportointi", "budjetti", "muu"), list(types) + [types[-1]] * 5))
    r = list(rings) + [rings[-1]] * 3

    def ev(kind: str, title: str, start: date, end: date | None, owner: str, ring: int) -> dict[str, str]:
        return {"type": t[kind], "title": title, "start": start.isoformat(), "end": end.isoformat() if end else "",
                "owner": owner, "ring": r[ring]}

    return [
        ev("kokous", "Verkostokokous: vuoden suunnittelu", date(year, 1, 22), None, "Koordinaattori", 0),
        ev("raportointi", "Vuosiraportti rahoittajalle", date(year, 2, 27), None, "Hankepäällikkö", 0),
        ev("kokous", "Verkostokokous: tilannekuva", date(year, 4, 16), None, "Koordinaattori", 0),
        ev("budjetti", "Kaupungin talousarvioesitykset", date(year, 5, 15), None, "Talousjohtaja", 1),
        ev("muu", "Nuorisotakuun teemaviikko", date(year, 5, 18), date(year, 5, 22), "Ohjaamo", 2),
        ev("raportointi", "Väliraportti", date(year, 8, 31), None, "Hankepäällikkö", 0),
        ev("kokous", "Verkostokokous: syksyn tavoitteet", date(year, 9, 10), None, "Koordinaattori", 0),
        ev("foorumi", "Verkostofoorumi (Puimala)", date(year, 10, 7), date(year, 10, 8), "Fasilitaattori", 0),
        ev("budjetti", "Järjestöavustusten haku päättyy", date(year, 10, 30), None, "Järjestöjen yhteyshenkilö", 2),
        ev("budjetti", "Talousarvio valtuustoon", date(year, 11, 16), None, "Kaupunginhallitus", 1),
        ev("kokous", "Verkostokokous: arviointi ja reflektio", date(year, 12, 3), None, "Koordinaattori", 0),
    ]


def seed_year(store: Any, people: Sequence[Any], activity: Any, *, year: int = DEMO_YEAR, prefix: str = "demo-yc") -> list[str]:
    """Enter the demo year into ``activity`` (a year clock), shared out among ``people``; the
    activity need not be open. Seeding twice stores nothing twice (the submission ids repeat)."""
    from .events import add_event

    events = demo_events(year, [x.id for x in activity.types], [x.id for x in activity.rings])
    return [
        add_event(store, people[n % len(people)], activity, values, submission_id=f"{prefix}-{n}", require_open=False)
        for n, values in enumerate(events)
    ]

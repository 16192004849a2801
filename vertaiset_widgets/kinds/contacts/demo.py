"""The contact list's examples for the contract test (``tests/test_kinds_contract.py``) and demo
entries for ``vertaiset demo``.

``EXAMPLE`` is a minimal valid template entry, ``BROKEN`` a ``(field, value)`` that makes it
invalid, and :func:`answer` what a phone sends to the contact form (name, organisation, the
first role, a phone number, and the consent box ticked). :func:`seed_contacts` fills a contact
list with made-up people.
"""
from __future__ import annotations

from typing import Any, Sequence

from ..examples import labelled_items as _items

__all__ = ["BROKEN", "EXAMPLE", "ROLES", "answer", "demo_people", "seed_contacts"]


#: The roles the source names for strong partnerships (selkeästi sovitut roolit).
ROLES = _items(
    ("koordinointi", "Koordinointi", "Samordning", "Coordination"),
    ("fasilitointi", "Fasilitointi", "Facilitering", "Facilitation"),
    ("viestinta", "Viestintä", "Kommunikation", "Communication"),
)

EXAMPLE: dict[str, Any] = {
    "id": "esimerkki_yhteystiedot",
    "kind": "contacts",
    "title": {"fi": "Yhteystietolista", "sv": "Kontaktlista", "en": "Contact list"},
    "prompt": {
        "fi": "Kirjaa nimesi, organisaatiosi, roolisi ja yhteystietosi.",
        "sv": "Skriv ditt namn, din organisation, din roll och dina kontaktuppgifter.",
        "en": "Give your name, organisation, role and contact details.",
    },
    "roles": ROLES,
    "consent": {
        "fi": "Tietosi tallennetaan verkoston yhteystietolistaan. Puhelinnumeron ja sähköpostin näkee vain ohjaaja.",
        "sv": "Dina uppgifter sparas i nätverkets kontaktlista. Telefonnumret och e-posten ser bara handledaren.",
        "en": "Your details are kept in the network's contact list. Only the facilitator sees the phone and e-mail.",
    },
}

#: A contact list needs at least one role.
BROKEN = ("roles", [])


def answer(form: Any, text: str = "Maija Meikäläinen") -> dict[str, Any]:
    """A valid submit for the contact form: ``text`` as the name, the first role, a phone number, consent given."""
    value: dict[str, str] = {}
    for field in form.fields:
        name = field["name"]
        if field.get("type") == "select":
            value[name] = next(o["value"] for o in field["options"] if o["value"])
        elif name == "name":
            value[name] = text
        elif name == "phone":
            value[name] = "040 123 4567"
        elif name == "email":
            value[name] = ""
        else:
            value[name] = "Ohjaamo"
    value["consent"] = "yes"
    return {"type": "submit", "value": value}


def demo_people(roles: Sequence[str]) -> list[dict[str, str]]:
    """Made-up people for the demo list; ``roles`` are the template's role ids (coordination first)."""
    r = list(roles) + [roles[-1]] * 3
    return [
        {"name": "Aino Koordinaattori", "org": "Kaupungin nuorisopalvelut", "role": r[0], "phone": "040 1234 001", "email": ""},
        {"name": "Ville Fasilitaattori", "org": "Ohjaamo", "role": r[1], "phone": "", "email": "ville@example.org"},
        {"name": "Saara Viestijä", "org": "Järjestöjen verkosto", "role": r[2], "phone": "050 1234 002",
         "email": "saara@example.org"},
    ]


def seed_contacts(store: Any, people: Sequence[Any], activity: Any, *, prefix: str = "demo-ct") -> list[str]:
    """Give one demo entry for each of ``people`` (with consent); the activity need not be open.
    Seeding twice stores nothing twice (the submission ids repeat)."""
    from .entries import save_entry

    entries = demo_people([r.id for r in activity.roles])
    return [
        save_entry(store, person, activity, {**entries[n % len(entries)], "consent": "yes"},
                   submission_id=f"{prefix}-{n}", require_open=False)
        for n, person in enumerate(people)
    ]

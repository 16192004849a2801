"""Yhteystietolista ja roolit (the network's contact list with roles): the template model."""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from ...records import ActivityBase, Text, UniqueItems

__all__ = ["Contacts"]


class Contacts(ActivityBase):
    """One entry per person: name, organisation, role (``roles``: koordinointi, fasilitointi,
    viestintä), a phone number or an e-mail address, and when the entry was last checked.

    Nothing is stored without the participant's consent (``consent``: what is kept and who sees
    it); an entry not checked within ``stale_after_days`` is marked out of date (*ajantasaisuus*).
    """

    kind: Literal["contacts"]
    #: the roles an entry can have, e.g. koordinointi, fasilitointi, viestintä
    roles: Annotated[UniqueItems, Field(min_length=1, max_length=12)]
    #: the consent the participant ticks: what is kept, who sees it, how to take it back
    consent: Text
    #: an entry not checked (saved or confirmed) within this many days is out of date
    stale_after_days: Annotated[int, Field(ge=1, le=3650)] = 183
    max_entries: Annotated[int, Field(ge=5, le=2000)] = 300

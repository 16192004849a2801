"""The session store: the only code that speaks SQL.

Two ways in, one database:

* :class:`SessionStore` (:mod:`.core`): SQLAlchemy Core over SQLite (one file, WAL, busy
  timeout, ``BEGIN IMMEDIATE`` for writes so that many Voila kernels can write at once) or
  PostgreSQL (when several servers share one database). Consoles, screens, the CLI and
  reports use it.
* :class:`LightStore` (:mod:`.light`): what a phone's page reads and writes, in plain SQL over
  the standard library's ``sqlite3`` or over ``psycopg``, without loading SQLAlchemy (about
  12 MiB less in every phone's kernel). Whatever else a phone's page asks of it, it hands to a
  :class:`SessionStore` that it opens on first need. Both pass the same store tests.

Answers are append-only: every answer is a new row with an idempotency key, and the
latest row per participant, activity, round, item and layer is the one that counts.
The one exception is erasure (:mod:`vertaiset_widgets.privacy`): a withdrawn highlight's
texts and a forgotten participant's texts are blanked in place, and purged sessions deleted.

This package imports neither SQLAlchemy nor a database driver until a store is made.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..revisions import PEOPLE_KEY, SESSION_KEY
from .rows import ActivityState, Answer, AnswerInput, MODERATION, Participant, SessionInfo, hash_token, new_join_code

if TYPE_CHECKING:
    from .core import SessionStore
    from .light import LightStore
    from .rounds import CarriedStep, NetworkInfo

__all__ = [
    "PEOPLE_KEY",
    "SESSION_KEY",
    "ActivityState",
    "Answer",
    "AnswerInput",
    "CarriedStep",
    "LightStore",
    "MODERATION",
    "NetworkInfo",
    "Participant",
    "SessionInfo",
    "SessionStore",
    "hash_token",
    "new_join_code",
    "phone_store",
]

#: name -> the module that defines it, loaded when first asked for
_LAZY = {"SessionStore": ".core", "LightStore": ".light", "CarriedStep": ".rounds", "NetworkInfo": ".rounds"}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def phone_store(db_url: str | None = None) -> Any:
    """The store a phone's page opens: :class:`LightStore` where it can open the database itself
    (a SQLite file, PostgreSQL), else :class:`SessionStore`."""
    from ..config import resolve_db_url
    from .light import LightStore, light_url

    url = resolve_db_url(db_url)
    if light_url(url):
        return LightStore(url)
    from .core import SessionStore

    return SessionStore(url)

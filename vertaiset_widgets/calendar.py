"""The session's calendar: every activity that exports iCalendar, as one file and as a feed.

A kind offers iCalendar by naming a format with the suffix ``ics`` in its ``files`` (the year
clock's events, the meeting planner's blocks). :func:`session_calendar` joins them into one
VCALENDAR; each event keeps the UID its kind gave it, so a calendar that imports the file again,
or follows the feed, updates its events instead of doubling them.

The feed is a read-only address a calendar program subscribes to:
``/vertaiset/calendar/<CODE>/<token>.ics``. It carries no facilitator key. Its token is an HMAC
of the join code under the session's stored key hash, which never leaves the server: a
participant who knows the code cannot make the token, and giving the session a new facilitator
key (as ``vertaiset demo`` does) also ends the old feed address.
"""
from __future__ import annotations

import hashlib
import hmac
import re
from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from . import kinds

__all__ = ["FEED_PATH", "feed_path", "feed_token", "feed_url", "new_calendar", "session_calendar", "token_matches", "write_session_calendar"]

#: The feed's route on the server (tornado's pattern): the join code, then the token.
FEED_PATH = r"/vertaiset/calendar/([A-Za-z0-9-]{1,40})/([A-Za-z0-9_-]{16,64})\.ics"
_TOKEN_CHARS = 32


def _key_hash(store: Any, code: str) -> str | None:
    from . import schema as t

    with store.engine.connect() as conn:
        return conn.execute(sa.select(t.sessions.c.key_hash).where(t.sessions.c.code == code)).scalar()


def feed_token(store: Any, code: str) -> str:
    """The feed token of the session ``code`` (raises the store's unknown-session error)."""
    session = store.get_session(code)
    secret = _key_hash(store, session.code) or ""
    return hmac.new(secret.encode(), f"calendar-feed\x1f{session.code}".encode(), hashlib.sha256).hexdigest()[:_TOKEN_CHARS]


def token_matches(store: Any, code: str, token: str) -> bool:
    """Whether ``token`` is the feed token of ``code`` (False for an unknown code)."""
    secret = _key_hash(store, code)
    if secret is None or not re.fullmatch(r"[0-9a-f]+", token or ""):
        return False
    wanted = hmac.new(secret.encode(), f"calendar-feed\x1f{code}".encode(), hashlib.sha256).hexdigest()[:_TOKEN_CHARS]
    return hmac.compare_digest(wanted, token)


def feed_path(store: Any, code: str, lang: str = "fi") -> str:
    """The feed's path on the server (``?lang=`` for Swedish or English texts)."""
    session = store.get_session(code)
    suffix = f"?lang={lang}" if lang and lang != "fi" else ""
    return f"/vertaiset/calendar/{session.code}/{feed_token(store, session.code)}.ics{suffix}"


def feed_url(store: Any, code: str, lang: str = "fi", base_url: str = "") -> str:
    """The feed's full address, under ``base_url`` (default: the address phones use)."""
    from .links import public_base_url

    return f"{(base_url or public_base_url()).rstrip('/')}{feed_path(store, code, lang)}"


def _calendar_formats(kind: Any) -> list[str]:
    return [fmt for fmt, (_path, suffix) in kind.files.items() if suffix == "ics"]


def new_calendar(prodid: str, name: str = "") -> Any:
    """An empty VCALENDAR (RFC 5545) with its product id and, when given, the name a calendar
    program shows for it (``X-WR-CALNAME``)."""
    from icalendar import Calendar

    from .text import clean

    cal = Calendar()
    cal.add("prodid", prodid)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if name:
        cal.add("x-wr-calname", clean(name))
    return cal


def session_calendar(store: Any, code: str, lang: str = "fi", content: Any = None) -> str:
    """Every iCalendar export of the session's activities, joined into one VCALENDAR."""
    from icalendar import Calendar

    from .content import load_content
    from .i18n import Translator

    content = content or load_content()
    tr = Translator.create(content, lang)
    session = store.get_session(code)
    cal = new_calendar("-//Vertaiset//Kalenteri//FI", session.title or session.code)
    cal.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})  # RFC 7986
    cal.add("x-published-ttl", "PT1H")
    seen: set[str] = set()
    for activity in content.activities.values():
        kind = kinds.for_activity(activity)
        for fmt in _calendar_formats(kind):
            part = Calendar.from_ical(kind.file_export(fmt)(store, session, activity, tr))
            for component in part.walk("VEVENT"):
                uid = str(component.get("uid"))
                if uid not in seen:
                    seen.add(uid)
                    cal.add_component(component)
    return cal.to_ical().decode("utf-8")


def write_session_calendar(store: Any, code: str, out: Any, lang: str = "fi") -> Any:
    """Write :func:`session_calendar` to the file ``out`` and return its path."""
    from pathlib import Path

    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(session_calendar(store, code, lang), encoding="utf-8")
    return path

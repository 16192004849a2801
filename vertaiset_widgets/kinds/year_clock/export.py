"""The year clock as iCalendar (RFC 5545), written with the ``icalendar`` package.

Every event's UID is derived from the session and the entry, so a second export carries the
same UIDs and a calendar that imports it again updates its events instead of doubling them.
"""
from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone
from typing import Any

from ...text import clean
from .events import Event, load_events

__all__ = ["event_uid", "ics", "to_ics"]

PRODID = "-//Vertaiset//Vuosikello//FI"


def event_uid(session_code: str, activity_id: str, event_id: str) -> str:
    """The stable UID of one entry of one session's year clock."""
    digest = hashlib.sha256(f"{session_code}\x1f{activity_id}\x1f{event_id}".encode()).hexdigest()[:32]
    return f"{digest}@vertaiset"


def to_ics(events: list[Event], *, session_code: str, activity: Any, tr: Any, calendar_name: str = "") -> str:
    """The events as one VCALENDAR of all-day VEVENTs (a range ends the day after its last day, as RFC 5545 says)."""
    from icalendar import Event as VEvent

    from ...calendar import new_calendar

    types = {t.id: tr.label(t) for t in activity.types}
    rings = {r.id: tr.label(r) for r in activity.rings}
    cal = new_calendar(PRODID, calendar_name)
    for e in events:
        stamp = (e.created_at or datetime(2000, 1, 1)).replace(microsecond=0)
        stamp = stamp.astimezone(timezone.utc) if stamp.tzinfo else stamp.replace(tzinfo=timezone.utc)
        ev = VEvent()
        ev.add("uid", event_uid(session_code, activity.id, e.id))
        ev.add("dtstamp", stamp)
        ev.add("dtstart", e.start)
        ev.add("dtend", e.end + timedelta(days=1))
        ev.add("summary", clean(e.title))
        lines = [f"{tr('yc_type')}: {types.get(e.type, e.type)}", f"{tr('yc_ring')}: {rings.get(e.ring, e.ring)}"]
        if e.owner:
            lines.append(f"{tr('yc_owner')}: {clean(e.owner)}")
        ev.add("description", "\n".join(lines))
        ev.add("categories", [c for c in (types.get(e.type), rings.get(e.ring)) if c])
        ev.add("transp", "TRANSPARENT")
        cal.add_component(ev)
    return cal.to_ical().decode("utf-8")


def ics(store: Any, session: Any, activity: Any, tr: Any) -> str:
    """The year clock of ``session`` as iCalendar text."""
    name = f"{tr.text(activity.title)} – {session.title}" if getattr(session, "title", "") else tr.text(activity.title)
    return to_ics(load_events(store, session.id, activity), session_code=session.code, activity=activity, tr=tr,
                  calendar_name=name)

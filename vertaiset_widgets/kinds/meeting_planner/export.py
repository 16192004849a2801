"""The day's plan as iCalendar (RFC 5545), written with the ``icalendar`` package: one event per
block on the session's date, at the block's start time (floating local time, as a programme is
printed).

Every event's UID is derived from the session's code and the block's own key, which the store
gives a block when it is added and keeps when it moves, so a second export carries the same
UIDs and a calendar that imports it again updates its events (a moved block moves there too).
"""
from __future__ import annotations

import hashlib
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Sequence

from ...store.agenda import AgendaBlock
from ...text import clean
from .plan import activity_name, block_name, mode_labels

__all__ = ["agenda_ics", "block_uid", "ics", "plan_rows", "to_ics"]

PRODID = "-//Vertaiset//Kokoussuunnittelija//FI"


def block_uid(session_code: str, key: str) -> str:
    """The stable UID of one block of one session's plan (``key``: the block's own, kept when it moves)."""
    digest = hashlib.sha256(f"{session_code}\x1fagenda\x1f{key}".encode()).hexdigest()[:32]
    return f"{digest}@vertaiset"


def to_ics(blocks: Sequence[AgendaBlock], *, session_code: str, day: date, tr: Any, modes: dict[str, str],
           calendar_name: str = "") -> str:
    """The blocks as one VCALENDAR of VEVENTs on ``day``."""
    from icalendar import Event

    from ...calendar import new_calendar

    cal = new_calendar(PRODID, calendar_name)
    stamp = datetime.combine(day, time(0, 0), tzinfo=timezone.utc)  # the plan's day: the same on every export
    for b in blocks:
        name = clean(block_name(b, tr))
        start = datetime.combine(day, time(0, 0)) + timedelta(minutes=b.start)
        ev = Event()
        ev.add("uid", block_uid(session_code, b.key or f"p{b.position}"))
        ev.add("dtstamp", stamp)
        ev.add("dtstart", start)
        ev.add("dtend", start + timedelta(minutes=b.minutes))
        ev.add("summary", name)
        lines = []
        if b.is_break:
            lines.append(tr("mp_break"))
        if b.mode in modes:
            lines.append(f"{tr('mp_mode')}: {modes[b.mode]}")
        if b.activity_id:
            lines.append(f"{tr('mp_activity')}: {clean(activity_name(b, tr))}")
        if lines:
            ev.add("description", "\n".join(lines))
        ev.add("transp", "TRANSPARENT" if b.is_break else "OPAQUE")
        cal.add_component(ev)
    return cal.to_ical().decode("utf-8")


def ics(store: Any, session: Any, activity: Any, tr: Any) -> str:
    """The plan of ``session`` as iCalendar text (the planner activity's export format)."""
    name = f"{tr.text(activity.title)} – {session.title}" if activity is not None else session.title
    return to_ics(store.agenda_blocks(session.id), session_code=session.code, day=session.held_on, tr=tr,
                  modes=mode_labels(activity, tr), calendar_name=name)


def agenda_ics(store: Any, session: Any, lang: str) -> str:
    """The plan of ``session`` as iCalendar text in ``lang`` (for the command line): the modes'
    names come from the first meeting planner in the templates."""
    from ...content import load_content
    from ...i18n import Translator

    content = load_content()
    tr = Translator.create(content, lang)
    planner = next((a for a in content.activities.values() if a.kind == "meeting_planner"), None)
    return ics(store, session, planner, tr)


def plan_rows(store: Any, session_id: int, activity: Any) -> list[dict]:
    """The day's plan for the session's JSON and XLSX export: one row per block, in order."""
    return [
        {"position": b.position, "start": b.starts_at, "minutes": b.minutes, "title": b.title or "",
         "mode": b.mode or "", "break": b.is_break, "workbook": b.workbook or "", "activity": b.activity_id or "",
         "started_at": b.started_at.isoformat() if b.started_at else ""}
        for b in store.agenda_blocks(session_id)
    ]

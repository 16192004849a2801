"""The contact list as CSV, XLSX and vCard: consented entries only (a withdrawn entry is gone).

The vCards (version 3.0, RFC 2426) are written with the ``vobject`` package, one card per person;
every card's UID is derived from the session, the activity and the entry, so a second export
carries the same UIDs and an address book that imports it again updates its cards instead of
doubling them. Spreadsheet cells go through :func:`text.spreadsheet_safe` (a name beginning
with ``=`` stays words).
"""
from __future__ import annotations

import csv
import io
import uuid
from datetime import datetime, time, timezone
from typing import Any

from ...text import clean, spreadsheet_safe
from .entries import Entry, load_entries, today
from .panel import day_text

__all__ = ["card_uid", "contacts_csv", "contacts_xlsx", "csv_rows_text", "rows", "vcards", "vcards_text", "xlsx_bytes"]

PRODID = "-//Vertaiset//Yhteystietolista//FI"
_COLUMNS = ("ct_name", "ct_org", "ct_role", "ct_phone", "ct_email", "ct_checked", "ct_status")


def card_uid(session_code: str, activity_id: str, entry_id: str) -> str:
    """The stable UID of one person's card in one session's contact list."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'vertaiset:{session_code}:{activity_id}:{entry_id}')}"


def rows(entries: list[Entry], activity: Any, tr: Any) -> list[list[Any]]:
    """The header (in the page's language) and one row per entry."""
    roles = {r.id: tr.label(r) for r in activity.roles}
    on = today()
    body = [
        [e.name, e.org, roles.get(e.role, e.role), e.phone, e.email, e.checked.isoformat() if e.checked else "",
         tr("ct_stale") if e.is_stale(activity.stale_after_days, on) else tr("ct_fresh")]
        for e in entries
    ]
    return [[tr(c) for c in _COLUMNS], *body]


def csv_rows_text(entries: list[Entry], activity: Any, tr: Any) -> str:
    """The entries as CSV text (no formula ever: see :func:`text.spreadsheet_safe`)."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows(entries, activity, tr):
        writer.writerow([spreadsheet_safe(c) for c in row])
    return out.getvalue()


def xlsx_bytes(entries: list[Entry], activity: Any, tr: Any) -> bytes:
    """The entries as an XLSX workbook (one sheet, the header frozen)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = clean(tr("ct_sheet"))[:31] or "contacts"
    for row in rows(entries, activity, tr):
        sheet.append([spreadsheet_safe(c) for c in row])
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def vcards_text(entries: list[Entry], activity: Any, tr: Any, *, session_code: str) -> str:
    """One vCard 3.0 per entry: FN, N, ORG, ROLE, TEL, EMAIL, REV (the day it was last checked), UID."""
    import vobject

    roles = {r.id: tr.label(r) for r in activity.roles}
    cards = []
    for e in entries:
        card = vobject.vCard()
        card.add("prodid").value = PRODID
        card.add("uid").value = card_uid(session_code, activity.id, e.id)
        card.add("fn").value = clean(e.name)
        card.add("n").value = vobject.vcard.Name(given=clean(e.name))
        if e.org:
            card.add("org").value = [clean(e.org)]
        if e.role in roles:
            card.add("role").value = clean(roles[e.role])
        if e.phone:
            tel = card.add("tel")
            tel.value = e.phone
            tel.type_param = "VOICE"
        if e.email:
            mail = card.add("email")
            mail.value = e.email
            mail.type_param = "INTERNET"
        if e.checked:
            stamp = datetime.combine(e.checked, time(12, 0), tzinfo=timezone.utc)
            card.add("rev").value = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
        card.add("note").value = clean(f"{tr('ct_checked')}: {day_text(e.checked)}")
        cards.append(card.serialize())
    return "".join(cards)


def _tr_for(session: Any, tr: Any) -> Any:
    if tr is not None:
        return tr
    from ...content import load_content
    from ...i18n import Translator

    return Translator.create(load_content(), getattr(session, "lang", None))


def vcards(store: Any, session: Any, activity: Any, tr: Any = None) -> str:
    """The contact list of ``session`` as vCards (the role in ``tr``'s language, else the session's)."""
    return vcards_text(load_entries(store, session.id, activity), activity, _tr_for(session, tr), session_code=session.code)


def contacts_csv(store: Any, session: Any, activity: Any, tr: Any = None) -> str:
    """The contact list of ``session`` as CSV text."""
    return csv_rows_text(load_entries(store, session.id, activity), activity, _tr_for(session, tr))


def contacts_xlsx(store: Any, session: Any, activity: Any, tr: Any = None) -> bytes:
    """The contact list of ``session`` as XLSX (bytes: the CLI writes them as they are)."""
    return xlsx_bytes(load_entries(store, session.id, activity), activity, _tr_for(session, tr))

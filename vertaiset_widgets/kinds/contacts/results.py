"""The contact list's results: for the facilitator every consented entry with its details, when
it was last checked and whether it is out of date, and the downloads (CSV, XLSX, vCard); for the
room's screen and the report only names, organisations, roles and counts — never a phone number
or an e-mail address (the screen is in view of everyone, a report is sent on)."""
from __future__ import annotations

from typing import TYPE_CHECKING

import base64
from collections import Counter
from datetime import date

from ...html_blocks import esc
from ...results import _Results, _table
from ...store import ActivityState, SessionInfo
from .entries import Entry, load_entries, today
from .export import csv_rows_text, vcards_text, xlsx_bytes
from .model import Contacts
from .panel import day_text

if TYPE_CHECKING:
    from ...store import SessionStore

__all__ = ["ContactsResults"]


class ContactsResults(_Results):
    """Counts by role, the list (details on the console only), the out-of-date entries marked."""

    activity: Contacts

    def _more(self, store: SessionStore, session: SessionInfo, state: ActivityState) -> None:
        self.session = session
        self.entries: list[Entry] = load_entries(store, session.id, self.activity, round=state.round)
        self.today: date = today()
        self.extra["entries"] = [(e.id, e.checked.isoformat() if e.checked else "") for e in self.entries]
        self.extra["today"] = self.today.isoformat()

    def _has_content(self) -> bool:
        return bool(self.entries)

    def stale(self) -> list[Entry]:
        """The entries not checked within the template's ``stale_after_days``."""
        return [e for e in self.entries if e.is_stale(self.activity.stale_after_days, self.today)]

    def summary(self) -> str | None:
        """How many contacts and how many are out of date: counts only, never a name or a detail."""
        return self.tr("ct_counts", n=len(self.entries), stale=len(self.stale())) if self.entries else None

    def counts_html(self) -> str:
        n_stale = len(self.stale())
        return (f"<p class='vt-stat' data-vt-entries='{len(self.entries)}' data-vt-stale='{n_stale}'>"
                f"{esc(self.tr('ct_counts', n=len(self.entries), stale=n_stale))}</p>")

    def roles_html(self) -> str:
        """How many entries each role has (every role of the template, none left out)."""
        counts = Counter(e.role for e in self.entries)
        rows = [[esc(self.tr.label(r)), str(counts.get(r.id, 0))] for r in self.activity.roles]
        return _table(self.tr("ct_by_role"), [esc(self.tr("ct_role")), esc(self.tr("ct_count"))], rows)

    def _status(self, e: Entry) -> str:
        if e.is_stale(self.activity.stale_after_days, self.today):
            return f"<span class='vt-contact-stale' data-vt-stale='1'>{esc(self.tr('ct_stale'))}</span>"
        return f"<span class='vt-contact-fresh'>{esc(self.tr('ct_fresh'))}</span>"

    def table_html(self, *, details: bool, names: bool = True) -> str:
        """The list; ``details`` adds the phone and e-mail columns (the facilitator's console only);
        without ``names`` (a report made without ``--names``) the names column goes too."""
        roles = {r.id: self.tr.label(r) for r in self.activity.roles}
        head = (["ct_name"] if names else []) + ["ct_org", "ct_role"] + (["ct_phone", "ct_email"] if details else []) + ["ct_checked", "ct_status"]
        rows = []
        for e in self.entries:
            row = ([esc(e.name)] if names else []) + [esc(e.org), esc(roles.get(e.role, self.tr("unknown")))]
            if details:
                # a number stays on one line; an address may break anywhere, so that the long ones
                # do not push the status column out of view
                row += [f"<span class='vt-contact-phone'>{esc(e.phone)}</span>" if e.phone else "",
                        f"<span class='vt-contact-email'>{esc(e.email)}</span>" if e.email else ""]
            rows.append(row + [esc(day_text(e.checked)), self._status(e)])
        return _table(self.tr("ct_list", n=len(self.entries)), [esc(self.tr(k)) for k in head], rows,
                      css="vt-table vt-contact-table")

    def screen_html(self) -> str:
        """Names, organisations and roles in large type, grouped by role."""
        parts = []
        for role in self.activity.roles:
            people = [e for e in self.entries if e.role == role.id]
            items = "".join(f"<li>{esc(e.name)}{' – ' + esc(e.org) if e.org else ''}</li>" for e in people)
            parts.append(f"<section class='vt-contact-role'><h4>{esc(self.tr.label(role))} ({len(people)})</h4>"
                         f"<ul class='vt-list'>{items}</ul></section>")
        return f"<div class='vt-contact-roles'>{''.join(parts)}</div>"

    def exports_html(self) -> str:
        """Download links for the facilitator: CSV, XLSX and vCard (consented entries only)."""
        name = esc(self.activity.id, quote=True)
        files = [
            ("csv", "text/csv;charset=utf-8", csv_rows_text(self.entries, self.activity, self.tr).encode("utf-8-sig"), "ct_export_csv"),
            ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             xlsx_bytes(self.entries, self.activity, self.tr), "ct_export_xlsx"),
            ("vcf", "text/vcard;charset=utf-8",
             vcards_text(self.entries, self.activity, self.tr, session_code=self.session.code).encode("utf-8"), "ct_export_vcf"),
        ]
        links = " ".join(
            f"<a class='vt-download' download='{name}.{suffix}' href='data:{mime};base64,{base64.b64encode(data).decode('ascii')}'>"
            f"{esc(self.tr(label))}</a>"
            for suffix, mime, data, label in files
        )
        return f"<p class='vt-exports'>{links}</p>"

    def _blocks(self, role: str) -> list[tuple[str, str]]:
        # no counts block: the console, the screen and the report put counts_html() above the
        # blocks themselves, and a second copy showed the same headline twice
        if role == "screen":
            return [("roles", self.screen_html())]
        if role == "facilitator":
            return [("roles", self.roles_html()), ("entries", self.table_html(details=True)),
                    ("exports", self.exports_html())]
        return [("roles", self.roles_html()), ("entries", self.table_html(details=False, names=self.names))]

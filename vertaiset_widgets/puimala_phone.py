"""A Puimala's pre-work material on the participant's phone, and the times its pages say.

Once a participant has joined a session that has material, the page shows a folded
"Ennakkomateriaali" section: the core group's stories, the fact pack's texts, its links and
its files. A file is a download link whose address carries the file itself (a ``data:`` URI):
no other address serves the material, and a file is at most
:data:`~vertaiset_widgets.store.puimala_rows.MAX_FILE_BYTES`. Light: no pandas, no altair.
"""
from __future__ import annotations

import base64
import html
from datetime import date, datetime, timezone
from typing import Any, Iterable

import ipywidgets as W

from .i18n import Translator
from .shared_models import shared_layout, shared_style
from .store.puimala_rows import MATERIALS_KEY, Material, PuimalaInfo
from .revisions import SESSION_KEY

__all__ = ["PhoneMaterial", "date_text", "lines_html", "when_text"]


def date_text(day: date) -> str:
    """A date as people in Finland write it: 28.5.2008."""
    return f"{day.day}.{day.month}.{day.year}"


def when_text(tr: Translator, when: datetime | None) -> str:
    """A moment in the server's time zone, in the page's language ("28.5.2008 klo 9.00")."""
    if when is None:
        return ""
    local = (when if when.tzinfo else when.replace(tzinfo=timezone.utc)).astimezone()
    clock = f"{local.hour}:{local.minute:02d}" if tr.lang == "en" else f"{local.hour}.{local.minute:02d}"
    return tr("pf_when", date=date_text(local.date()), time=clock)


def lines_html(text: str | None) -> str:
    """Several lines of someone's words as escaped HTML, the line breaks kept."""
    return "<br>".join(html.escape(line) for line in (text or "").split("\n"))


def _size(n: int | None) -> str:
    n = n or 0
    return f"{n / 1048576:.1f} MB" if n >= 1048576 else f"{max(1, round(n / 1024))} kB"


class PhoneMaterial(W.HTML):
    """The folded pre-work section of one session, redrawn when its material or settings change.

    Parameters
    ----------
    store : SessionStore
    session_id : int
    tr : Translator
        The page's language.
    """

    def __init__(self, store: Any, session_id: int, tr: Translator):
        super().__init__(layout=shared_layout(), style=shared_style())
        self.add_class("vt-material")
        self.store, self.session_id, self.tr = store, session_id, tr
        self.info: PuimalaInfo | None = None
        self._checked = datetime.now(timezone.utc)
        self.update()

    @classmethod
    def attach(cls, page: Any) -> "PhoneMaterial":
        """Put the section on a participant's page, above its footer."""
        section = cls(page.store, page.session.id, page.tr)
        children = list(page.children)
        page.children = [*children[:-1], section, *children[-1:]]
        return section

    def follow(self, changed: Iterable[str] | None) -> None:
        """Redraw when the material or the session's settings changed (None: anything may have)."""
        keys = None if changed is None else {k.partition("#")[0] for k in changed}
        if keys is None or MATERIALS_KEY in keys or SESSION_KEY in keys:
            self.update()

    def boundary_passed(self, now: datetime | None = None) -> bool:
        """True once after a pre-work or feedback window opened or closed by the clock."""
        now = now or datetime.now(timezone.utc)
        before, self._checked = self._checked, now
        return self.info is not None and any(before < moment <= now for moment in self.info.boundaries())

    def update(self) -> None:
        """Read the material and draw the section ("" when there is none)."""
        self.info = self.store.puimala(self.session_id)
        materials = self.store.materials(self.session_id) if self.info is not None else []
        value = self._html(materials) if materials else ""
        if value != self.value:
            self.value = value

    def _html(self, materials: list[Material]) -> str:
        tr = self.tr
        parts = [f"<p class='vt-help'>{html.escape(tr('pf_material_help'))}</p>"]
        info = self.info
        state = info.prework_state() if info is not None else "none"
        if state == "open" and info is not None and info.prework_closes is not None:
            parts.append(f"<p class='vt-muted'>{html.escape(tr('pf_prework_open_until', when=when_text(tr, info.prework_closes)))}</p>")
        elif state == "not_yet" and info is not None:
            parts.append(f"<p class='vt-muted'>{html.escape(tr('pf_prework_not_yet', when=when_text(tr, info.prework_opens)))}</p>")
        stories = [m for m in materials if m.kind == "story"]
        facts = [m for m in materials if m.kind != "story"]
        for heading, group in ((tr("pf_material_stories"), stories), (tr("pf_material_facts"), facts)):
            if not group:
                continue
            parts.append(f"<h3>{html.escape(heading)}</h3>")
            parts.extend(self._item(m) for m in group)
        return (
            "<details class='vt-card vt-material-section'>"
            f"<summary class='vt-material-summary'><strong>{html.escape(tr('pf_material_heading'))}</strong></summary>"
            f"{''.join(parts)}</details>"
        )

    def _item(self, material: Material) -> str:
        title = html.escape(material.title)
        body = f"<p>{lines_html(material.body)}</p>" if material.body else ""
        if material.kind == "link" and material.url:
            link = (f"<a href='{html.escape(material.url, quote=True)}' target='_blank' rel='noopener noreferrer'>"
                    f"{title}</a>")
            return f"<div class='vt-material-item'><p>{link}</p>{body}</div>"
        if material.kind == "file":
            data = base64.b64encode(self.store.material_content(self.session_id, material.id)).decode("ascii")
            name = material.filename or "file"
            label = self.tr("pf_material_download", name=name, size=_size(material.size))
            href = f"data:{material.media_type or 'application/octet-stream'};base64,{data}"
            link = f"<a href='{href}' download='{html.escape(name, quote=True)}'>{html.escape(label)}</a>"
            return f"<div class='vt-material-item'><h4>{title}</h4><p>{link}</p>{body}</div>"
        return f"<div class='vt-material-item'><h4>{title}</h4>{body}</div>"

"""A Puimala's views as HTML: the process's eight steps with their status, the pre-work material,
the forum's notes per agenda block, the open feedback and the peers the notes go to.

Pure builders: the store's records and a translator in, HTML out (every participant's, note-taker's
and commenter's word escaped). The console (:mod:`.puimala_console`) and the report
(:mod:`.puimala_report`) share them.
"""
from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from typing import Any, Sequence
from urllib.parse import quote, urlencode

from .links import public_base_url
from .store.agenda import block_name

__all__ = ["STAGES", "Step", "feedback_counts", "feedback_html", "feedback_url", "local", "local_date", "local_datetime",
           "mailto", "materials_html", "notes_html", "notes_url", "peers_html", "process_html", "process_steps",
           "screen_notes_html"]

#: The process's three stages and their steps, as the source numbers them.
STAGES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ennakkopuinti", ("1a", "1b", "2", "3")),
    ("puinti", ("4",)),
    ("jalkipuinti", ("5", "6", "7", "8")),
)


@dataclass(frozen=True)
class Step:
    """One step of the process: its number (``1a``), title and status in words, and whether it is done."""

    number: str
    title: str
    status: str
    done: bool


# ---------------------------------------------------------------------- times
def local(at: datetime | None) -> datetime | None:
    """A stored (UTC) time in the server's local time."""
    if at is None:
        return None
    return (at if at.tzinfo else at.replace(tzinfo=timezone.utc)).astimezone()


def local_date(at: datetime | date | None) -> str:
    """``28.5.2008`` ("" for None)."""
    if at is None:
        return ""
    day = local(at) if isinstance(at, datetime) else at
    return f"{day.day}.{day.month}.{day.year}"


def local_datetime(at: datetime | None) -> str:
    """``28.5.2008 9.00`` ("" for None)."""
    when = local(at)
    return "" if when is None else f"{when.day}.{when.month}.{when.year} {when.hour}.{when.minute:02d}"


def at_local(day: date, clock: time) -> datetime:
    """A local day and time as an aware datetime (the store keeps it in UTC)."""
    return datetime.combine(day, clock).astimezone()


# ---------------------------------------------------------------------- links
def feedback_url(token: str, lang: str = "fi", base_url: str = "") -> str:
    """The public feedback page of a Puimala (anyone with the link may comment)."""
    query = {"view": "feedback", "token": token, **({"lang": lang} if lang != "fi" else {})}
    return f"{(base_url or public_base_url()).rstrip('/')}/voila/render/osallistu.ipynb?{urlencode(query)}"


def notes_url(code: str, key: str, lang: str = "fi", base_url: str = "") -> str:
    """The note-taker's page (its own key, not the facilitator's)."""
    query = {"session": code, "view": "notes", "key": key, **({"lang": lang} if lang != "fi" else {})}
    return f"{(base_url or public_base_url()).rstrip('/')}/voila/render/osallistu.ipynb?{urlencode(query)}"


def mailto(peers: Sequence[dict], subject: str) -> str:
    """A ``mailto:`` link to the peers whose contact is an e-mail address ("" when none is)."""
    addresses = [p["contact"] for p in peers if "@" in (p.get("contact") or "") and " " not in p["contact"]]
    if not addresses:
        return ""
    return f"mailto:{','.join(quote(a, safe='@.+-_') for a in addresses)}?subject={quote(subject)}"


# ---------------------------------------------------------------------- the process
def process_steps(store: Any, session: Any, info: Any, tr: Any, *, now: datetime | None = None) -> list[Step]:
    """The source's eight steps with each one's status read from the store."""
    now = now or datetime.now(timezone.utc)
    materials = store.materials(session.id)
    kinds = [m.kind for m in materials]
    stories = kinds.count("story")
    texts, links, files = kinds.count("fact"), kinds.count("link"), kinds.count("file")
    joined = len(store.participants(session.id))
    notes = {k: n for k, n in store.notes(session.id).items() if n.body.strip()} if info is not None else {}
    comments = store.feedback(session.id) if info is not None else []
    peers = list(info.peers) if info is not None else []
    networks = sum(1 for p in peers if p.get("kind") == "network")
    municipal = sum(1 for p in peers if p.get("kind") == "municipal")
    prework = info.prework_state(now) if info is not None else "none"
    window = ""
    if prework == "open":
        window = tr("pm_st_prework_open", date=local_date(info.prework_closes))
    elif prework == "not_yet":
        window = tr("pm_st_prework_not_yet", date=local_date(info.prework_opens))
    elif prework == "closed":
        window = tr("pm_st_prework_closed", date=local_date(info.prework_closes))
    registered = tr("pm_st_registered", n=joined) + (f" · {window}" if window else "")
    today = (local(now) or now).date()
    held = session.held_on
    forum = (tr("pm_st_forum_held", date=local_date(held)) if held < today
             else tr("pm_st_forum_today") if held == today else tr("pm_st_forum_planned", date=local_date(held)))
    if info is not None:
        forum += f" · {tr('pm_mode_' + info.mode)}"
    if notes:
        published = info.notes_published_at if info is not None else None
        notes_status = tr("pm_st_notes", n=len(notes)) + ", " + (
            tr("pm_st_notes_published", date=local_date(published)) if published else tr("pm_st_notes_unpublished"))
    else:
        notes_status = tr("pm_st_notes_none")
    state = info.feedback_state(now) if info is not None else "none"
    if state == "none":
        feedback = tr("pm_st_feedback_none")
    else:
        when = {"not_yet": info.feedback_opens, "open": info.feedback_closes, "closed": info.feedback_closes}[state]
        feedback = tr(f"pm_st_feedback_{state}", date=local_date(when), n=len(comments))
    values = {
        "1a": (tr("pm_st_stories", n=stories) if stories else tr("pm_st_stories_none"), stories > 0),
        "1b": (tr("pm_st_facts", texts=texts, links=links, files=files) if texts + links + files else tr("pm_st_facts_none"),
               texts + links + files > 0),
        "2": (tr("pm_st_invite"), True),
        "3": (registered, joined > 0),
        "4": (forum, held < today),
        "5": (notes_status, bool(notes) and bool(info and info.notes_published_at)),
        "6": (feedback, state == "closed"),
        "7": (tr("pm_st_networks", n=networks) if networks else tr("pm_st_peers_none"), networks > 0),
        "8": (tr("pm_st_municipal", n=municipal) if municipal else tr("pm_st_peers_none"), municipal > 0),
    }
    return [Step(number, tr(f"pm_step_{number}"), *values[number]) for _stage, numbers in STAGES for number in numbers]


def process_html(steps: Sequence[Step], tr: Any) -> str:
    """The process as three stages of numbered steps, each with its status."""
    by_number = {s.number: s for s in steps}
    parts = [f"<div class='vt-pm-process'><h2>{html.escape(tr('pm_process_title'))}</h2>"]
    for stage, numbers in STAGES:
        rows = []
        for number in numbers:
            step = by_number[number]
            mark = "✓ " if step.done else ""
            rows.append(f"<li data-vt-step='{html.escape(number)}' data-vt-done='{int(step.done)}'>"
                        f"<strong>{html.escape(number)}</strong> {html.escape(step.title)}: "
                        f"<span class='vt-pm-status'>{mark}{html.escape(step.status)}</span></li>")
        parts.append(f"<h3>{html.escape(tr('pm_stage_' + stage))}</h3><ul class='vt-pm-steps'>{''.join(rows)}</ul>")
    parts.append("</div>")
    return "".join(parts)


# ---------------------------------------------------------------------- material
def _size(size: int | None) -> str:
    size = size or 0
    return f"{size / 1024 / 1024:.1f} Mt" if size >= 1024 * 1024 else f"{max(1, round(size / 1024))} kt"


def materials_html(materials: Sequence[Any], tr: Any, *, bodies: bool = True) -> str:
    """The stories and the fact pack: titles, texts (escaped), links (http(s) only, as the store
    keeps them) and files by name and size."""
    if not materials:
        return f"<p class='vt-muted'>{html.escape(tr('pm_no_material'))}</p>"
    parts = []
    for group, kinds in (("pm_stories", ("story",)), ("pm_fact_pack", ("fact", "link", "file"))):
        items = [m for m in materials if m.kind in kinds]
        if not items:
            continue
        rows = []
        for m in items:
            title = html.escape(m.title)
            if m.kind == "link" and m.url:
                href = html.escape(m.url, quote=True)
                line = f"<a href='{href}' target='_blank' rel='noopener noreferrer'>{title}</a>"
            elif m.kind == "file":
                line = f"{title} <span class='vt-muted'>({html.escape(m.filename or '')}, {_size(m.size)})</span>"
            else:
                line = f"<strong>{title}</strong>"
            text = f"<p class='vt-pm-text'>{html.escape(m.body)}</p>" if bodies and m.body else ""
            rows.append(f"<li data-vt-material='{m.id}' data-vt-kind='{m.kind}'>"
                        f"<span class='vt-muted'>{html.escape(tr('pm_kind_' + m.kind))}:</span> {line}{text}</li>")
        parts.append(f"<h4>{html.escape(tr(group))}</h4><ul class='vt-pm-materials'>{''.join(rows)}</ul>")
    return "".join(parts)


# ---------------------------------------------------------------------- notes
def notes_html(blocks: Sequence[Any], notes: dict[str, Any], tr: Any, *, empty_blocks: bool = True) -> str:
    """The forum's notes per agenda block, in the plan's order (notes outside the plan last)."""
    rows = []
    keys = [b.key for b in blocks]
    for block in blocks:
        note = notes.get(block.key)
        if block.is_break and note is None:
            continue
        body = note.body.strip() if note is not None else ""
        if not body and not empty_blocks:
            continue
        text = (f"<p class='vt-pm-note'>{html.escape(body)}</p>" if body
                else f"<p class='vt-muted'>{html.escape(tr('pm_notes_block_empty'))}</p>")
        rows.append(f"<section data-vt-block='{html.escape(block.key or '')}'>"
                    f"<h4>{html.escape(block.starts_at or '')}–{html.escape(block.ends_at)} "
                    f"{html.escape(block_name(block, tr))}</h4>{text}</section>")
    for key, note in notes.items():
        if key not in keys and note.body.strip():
            rows.append(f"<section data-vt-block='{html.escape(key)}'><h4>{html.escape(tr('pm_notes_outside'))}</h4>"
                        f"<p class='vt-pm-note'>{html.escape(note.body.strip())}</p></section>")
    if not rows:
        return f"<p class='vt-muted'>{html.escape(tr('pm_notes_none'))}</p>"
    return f"<div class='vt-pm-notes'>{''.join(rows)}</div>"


#: The screen's notes: large type over the room's presenter view (the page's stylesheet places
#: the presenter's parts; this block is the Puimala's own, so it carries its rules with it).
_SCREEN_STYLE = (
    "<style>"
    "html[data-vt-role='screen'] #rendered_cells .vt-pm-screen-notes{position:fixed;left:0;right:0;bottom:0;"
    "top:calc(var(--vt-p-banner) + var(--vt-p-block));z-index:12;background:#fff;color:#1a1a1a;"
    "padding:2vh var(--vt-p-pad);box-sizing:border-box;overflow:hidden;font-size:max(28px,4.2vh);line-height:1.35;"
    "align-items:flex-start}"
    "html[data-vt-role='screen'] #rendered_cells .vt-pm-screen-notes .widget-html-content{align-self:flex-start;"
    "height:auto;font-size:inherit;line-height:inherit}"
    ".vt-pm-screen-notes h2{margin:0 0 1vh;font-size:1.2em}"
    ".vt-pm-screen-notes .vt-pm-note{white-space:pre-wrap;margin:0}"
    "</style>"
)


def screen_notes_html(block: Any, note: Any, tr: Any) -> str:
    """The running block's notes on the room's screen, in large type."""
    return (f"{_SCREEN_STYLE}<section class='vt-pm-screen-notes-body' aria-live='polite'>"
            f"<h2>{html.escape(tr('pm_screen_notes', block=block_name(block, tr)))}</h2>"
            f"<p class='vt-pm-note'>{html.escape(note.body.strip())}</p></section>")


# ---------------------------------------------------------------------- feedback
def feedback_counts(items: Sequence[Any], premoderated: bool) -> dict[str, int]:
    """How many comments: all, visible to others, hidden, and waiting for approval."""
    hidden = sum(1 for f in items if f.hidden_at is not None)
    waiting = sum(1 for f in items if premoderated and f.hidden_at is None and f.approved_at is None)
    return {"total": len(items), "visible": sum(1 for f in items if f.visible(premoderated)), "hidden": hidden,
            "waiting": waiting}


def feedback_html(items: Sequence[Any], tr: Any, *, names: bool = False) -> str:
    """Comments as a list, newest first, each with its date (names only when asked: not in the report)."""
    if not items:
        return f"<p class='vt-muted'>{html.escape(tr('pm_feedback_none'))}</p>"
    rows = []
    for f in items:
        who = f" · {html.escape(f.name)}" if names and f.name else ""
        rows.append(f"<li data-vt-feedback='{f.id}'><p class='vt-pm-text'>{html.escape(f.body)}</p>"
                    f"<p class='vt-muted'>{html.escape(local_date(f.created_at))}{who}</p></li>")
    return f"<ul class='vt-pm-feedback'>{''.join(rows)}</ul>"


# ---------------------------------------------------------------------- peers
def peers_html(peers: Sequence[dict], tr: Any, *, subject: str = "") -> str:
    """The association's peer networks and the municipal peers, and a mail link to those with an address."""
    if not peers:
        return f"<p class='vt-muted'>{html.escape(tr('pm_peers_none'))}</p>"
    parts = []
    for kind in ("network", "municipal"):
        rows = [f"<li>{html.escape(p['name'])}" + (f" <span class='vt-muted'>({html.escape(p['contact'])})</span>"
                                                   if p.get("contact") else "") + "</li>"
                for p in peers if p.get("kind") == kind]
        if rows:
            parts.append(f"<h4>{html.escape(tr('pm_peer_' + kind + 's'))}</h4><ul class='vt-pm-peers'>{''.join(rows)}</ul>")
    link = mailto(peers, subject) if subject else ""
    if link:
        parts.append(f"<p><a href='{html.escape(link, quote=True)}'>{html.escape(tr('pm_peers_mail'))}</a></p>")
    return "".join(parts)

"""What the Puimala's part of the store hands out (frozen records) and takes in: the settings'
checks, the pre-work window, and the rules a pre-work file and link must pass."""
from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .. import text as _text
from .rows import _clean_key, _now
from ..errors import VertaisetInputError

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

__all__ = [
    "FEEDBACK_KEY",
    "MATERIALS_KEY",
    "NOTES_KEY",
    "ALLOWED_FILES",
    "MATERIAL_KINDS",
    "MAX_FILE_BYTES",
    "MODES",
    "PEER_KINDS",
    "Feedback",
    "FeedbackClosed",
    "FeedbackTooFast",
    "Material",
    "Note",
    "PuimalaInfo",
    "check_file",
    "check_url",
    "default_row",
    "prework_open",
    "prework_window",
    "settings_row",
    "to_info",
]

#: The change key of the forum's notes (written, published): the console and the screen follow it.
NOTES_KEY = "@notes"
#: The change key of the open feedback (a new comment, a moderation).
FEEDBACK_KEY = "@feedback"
#: The change key of the pre-work material (added, withdrawn): phones follow it.
MATERIALS_KEY = "@materials"

MATERIAL_KINDS = ("story", "fact", "link", "file")
#: The largest pre-work file.
MAX_FILE_BYTES = 5 * 1024 * 1024
#: The file types pre-work may hold: extension -> media type. A file must have one of these
#: extensions and content that is what the extension says.
ALLOWED_FILES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "txt": "text/plain",
    "md": "text/markdown",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}
# what an Office Open XML package holds for each extension
_OOXML = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}
MODES = ("live", "online")
PEER_KINDS = ("network", "municipal")
_FIELDS = ("mode", "prework_activities", "prework_opens", "prework_closes", "notes_on_screen", "feedback_opens",
           "feedback_closes", "feedback_per_minute", "feedback_premoderated", "peers")


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)


def _window(opens: datetime | None, closes: datetime | None, now: datetime | None) -> str:
    now = _utc(now) or datetime.now(timezone.utc)
    if opens is not None and now < opens:
        return "not_yet"
    if closes is not None and now >= closes:
        return "closed"
    return "open"


@dataclass(frozen=True)
class PuimalaInfo:
    """A session run as a Puimala: its settings (``peers``: ``{"name", "kind", "contact"}``)."""

    session_id: int
    mode: str
    prework_activities: tuple[str, ...]
    prework_opens: datetime | None
    prework_closes: datetime | None
    has_notes_key: bool
    notes_on_screen: bool
    notes_published_at: datetime | None
    feedback_token: str | None
    feedback_opens: datetime | None
    feedback_closes: datetime | None
    feedback_per_minute: int
    feedback_premoderated: bool
    peers: tuple[dict, ...]

    def prework_state(self, now: datetime | None = None) -> str:
        """``none`` (no activities or no dates), ``not_yet``, ``open`` or ``closed``."""
        if not self.prework_activities or (self.prework_opens is None and self.prework_closes is None):
            return "none"
        return _window(self.prework_opens, self.prework_closes, now)

    def feedback_state(self, now: datetime | None = None) -> str:
        """``none`` (no link), ``not_yet``, ``open`` or ``closed``."""
        if not self.feedback_token:
            return "none"
        return _window(self.feedback_opens, self.feedback_closes, now)

    def boundaries(self) -> tuple[datetime, ...]:
        """The times a window opens or closes by the clock, in order (pages redraw as one passes)."""
        times = (self.prework_opens, self.prework_closes, self.feedback_opens, self.feedback_closes)
        return tuple(sorted(x for x in times if x is not None))


def to_info(row: Any) -> PuimalaInfo:
    """A ``puimala`` row as a :class:`PuimalaInfo`."""
    return PuimalaInfo(
        session_id=row["session_id"], mode=row["mode"],
        prework_activities=tuple(json.loads(row["prework_activities"] or "[]")),
        prework_opens=_utc(row["prework_opens"]), prework_closes=_utc(row["prework_closes"]),
        has_notes_key=bool(row["notes_key_hash"]), notes_on_screen=bool(row["notes_on_screen"]),
        notes_published_at=_utc(row["notes_published_at"]), feedback_token=row["feedback_token"],
        feedback_opens=_utc(row["feedback_opens"]), feedback_closes=_utc(row["feedback_closes"]),
        feedback_per_minute=int(row["feedback_per_minute"]), feedback_premoderated=bool(row["feedback_premoderated"]),
        peers=tuple(json.loads(row["peers"] or "[]")),
    )


@dataclass(frozen=True)
class Material:
    """One piece of pre-work material: a ``story``, a fact pack text (``fact``), a ``link`` or a ``file``."""

    id: int
    kind: str
    title: str
    body: str | None
    url: str | None
    filename: str | None
    media_type: str | None
    size: int | None
    created_at: datetime


@dataclass(frozen=True)
class Note:
    """The notes of one agenda block (``block``: its key; "" outside the plan) as saved at ``created_at``."""

    block: str
    body: str
    created_at: datetime


@dataclass(frozen=True)
class Feedback:
    """One comment sent through the public feedback link."""

    id: int
    name: str | None
    body: str
    created_at: datetime
    approved_at: datetime | None
    hidden_at: datetime | None

    def visible(self, premoderated: bool) -> bool:
        """True when anyone may see it: not hidden, and approved when comments are premoderated."""
        return self.hidden_at is None and (self.approved_at is not None or not premoderated)


class FeedbackClosed(VertaisetInputError):
    """The feedback period has not begun (``state`` ``not_yet``) or has ended (``closed``, or ``none``)."""

    def __init__(self, state: str, opens: datetime | None = None, closes: datetime | None = None):
        self.state, self.opens, self.closes = state, opens, closes
        super().__init__(f"feedback is not open ({state})", code="closed")


class FeedbackTooFast(VertaisetInputError):
    """Too many comments from one browser or address within a minute: wait ``seconds``."""

    def __init__(self, seconds: int):
        self.seconds = seconds
        super().__init__(f"too many comments in a minute: wait {seconds} s", code="too_many")


def prework_open(conn: Connection, session_id: int, now: datetime | None = None) -> tuple[tuple[str, ...], datetime | None]:
    """The activities the session's pre-work window opens now, and when it closes (() when none).

    One rule for the activity states a page reads and for the check of a submit: an activity
    counts as open by the window only when the facilitator has set no state of its own for it.
    """
    import sqlalchemy as sa

    from .. import schema as t

    row = conn.execute(sa.select(t.puimala).where(t.puimala.c.session_id == session_id)).mappings().first()
    return prework_window(row, now)


def prework_window(row: Any, now: datetime | None = None) -> tuple[tuple[str, ...], datetime | None]:
    """:func:`prework_open` of a session's ``puimala`` row (None: the session has none)."""
    if row is None:
        return (), None
    info = to_info(row)
    if info.prework_state(now) != "open":
        return (), None
    return info.prework_activities, info.prework_closes


def _when(name: str, value: Any) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise VertaisetInputError(f"{name}: {value!r} is not a date and time") from None
    if not isinstance(value, datetime):
        raise VertaisetInputError(f"{name}: {value!r} is not a date and time")
    return _utc(value)


def _peers(value: Any) -> list[dict[str, str]]:
    if not isinstance(value, (list, tuple)):
        raise VertaisetInputError("peers: a list of {name, kind, contact}")
    out = []
    for i, peer in enumerate(value):
        if not isinstance(peer, dict):
            raise VertaisetInputError(f"peers[{i}]: a mapping with name, kind and contact")
        name = _text.clean_line(peer.get("name"), 200)
        kind = str(peer.get("kind") or "")
        if not name:
            raise VertaisetInputError(f"peers[{i}]: the name is missing", code="empty")
        if kind not in PEER_KINDS:
            raise VertaisetInputError(f"peers[{i}]: kind must be one of {', '.join(PEER_KINDS)}, not {kind!r}")
        out.append({"name": name, "kind": kind, "contact": _text.clean_line(peer.get("contact"), 300) or ""})
    return out


def settings_row(current: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
    """The ``puimala`` row's new values: ``fields`` checked and merged into ``current``."""
    unknown = set(fields) - set(_FIELDS)
    if unknown:
        raise VertaisetInputError(f"unknown Puimala settings: {', '.join(sorted(unknown))}")
    row = dict(current)
    for name, value in fields.items():
        if name == "mode":
            if value not in MODES:
                raise VertaisetInputError(f"mode must be one of {', '.join(MODES)}, not {value!r}")
            row[name] = value
        elif name == "prework_activities":
            if isinstance(value, str) or not isinstance(value, (list, tuple)):
                raise VertaisetInputError("prework_activities: a list of activity ids")
            ids = [_clean_key(v) for v in value if _clean_key(v)]
            row[name] = json.dumps(list(dict.fromkeys(ids)))
        elif name in ("prework_opens", "prework_closes", "feedback_opens", "feedback_closes"):
            row[name] = _when(name, value)
        elif name in ("notes_on_screen", "feedback_premoderated"):
            row[name] = bool(value)
        elif name == "feedback_per_minute":
            try:
                number = int(value)
            except (TypeError, ValueError):
                raise VertaisetInputError(f"feedback_per_minute: {value!r} is not a whole number") from None
            if not 1 <= number <= 60:
                raise VertaisetInputError("feedback_per_minute must be between 1 and 60")
            row[name] = number
        else:
            row[name] = json.dumps(_peers(value), ensure_ascii=False)
    for start, end in (("prework_opens", "prework_closes"), ("feedback_opens", "feedback_closes")):
        if row.get(start) and row.get(end) and _utc(row[end]) <= _utc(row[start]):
            raise VertaisetInputError(f"{end} must come after {start}")
    return row


def default_row(session_id: int) -> dict[str, Any]:
    """A new ``puimala`` row: live, no pre-work, no link, three comments a minute, not premoderated, no peers."""
    return dict(session_id=session_id, mode="live", prework_activities="[]", prework_opens=None, prework_closes=None,
                notes_key_hash=None, notes_on_screen=False, notes_published_at=None, feedback_token=None,
                feedback_opens=None, feedback_closes=None, feedback_per_minute=3, feedback_premoderated=False,
                peers="[]", updated_at=_now())


def check_url(url: str | None) -> str:
    """A link as stored: an absolute http(s) address, or a clear refusal."""
    value = (_text.clean_line(url, 2000) or "").strip()
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(c in value for c in " <>\"'"):
        raise VertaisetInputError("a link must be a full web address that begins with http:// or https://")
    return value


def _sniffed(ext: str, data: bytes) -> bool:
    """True when ``data`` is what ``ext`` says it is."""
    if ext == "pdf":
        return data.startswith(b"%PDF-")
    if ext == "png":
        return data.startswith(b"\x89PNG\r\n\x1a\n")
    if ext in ("jpg", "jpeg"):
        return data.startswith(b"\xff\xd8\xff")
    if ext in ("txt", "md"):
        try:
            return "\x00" not in data.decode("utf-8")
        except UnicodeDecodeError:
            return False
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = package.namelist()
            if ext in _OOXML:
                return "[Content_Types].xml" in names and any(n.startswith(_OOXML[ext]) for n in names)
            if not names or names[0] != "mimetype":
                return False
            return package.read("mimetype").decode("ascii", "replace").strip() == ALLOWED_FILES[ext]
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return False


def check_file(filename: str | None, content: bytes | None) -> tuple[str, str, bytes]:
    """A pre-work file as stored: ``(name, media type, bytes)``, or a refusal that names the rule."""
    data = bytes(content or b"")
    raw = str(filename or "")
    name = _text.clean_line(PureWindowsPath(PurePosixPath(raw).name).name, 255) or ""
    if not name or not data:
        raise VertaisetInputError("the file is missing or empty", code="empty")
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    allowed = ", ".join(sorted({e for e in ALLOWED_FILES if e != "jpeg"}))
    if ext not in ALLOWED_FILES:
        raise VertaisetInputError(f"{name}: this type of file is not allowed (allowed: {allowed})", code="type")
    if len(data) > MAX_FILE_BYTES:
        raise VertaisetInputError(
            f"{name}: the file is too big ({len(data) / 1048576:.1f} MB; at most {MAX_FILE_BYTES // 1048576} MB)",
            code="size")
    if not _sniffed(ext, data):
        raise VertaisetInputError(f"{name}: the content is not a {ext.upper()} file (allowed: {allowed})", code="type")
    return name, ALLOWED_FILES[ext], data

"""A Puimala's settings, pre-work material, forum notes and open feedback (the store's part).

The contract (the pages build on it):

- ``puimala(session_id) -> PuimalaInfo | None``; ``set_puimala(session_id, **fields) -> PuimalaInfo``
  (creates the row on first use; fields: mode, prework_activities, prework_opens, prework_closes,
  notes_on_screen, feedback_opens, feedback_closes, feedback_per_minute, feedback_premoderated, peers)
- ``new_notes_key(session_id) -> str``; ``check_notes_key(session_id, key) -> bool``
- ``feedback_link_token(session_id) -> str`` (made once, then the same); ``find_feedback(token) -> (SessionInfo, PuimalaInfo) | None``
- ``add_material(session_id, kind, title, *, body=None, url=None, filename=None, content=None) -> Material``
  (a file outside the allowed types or over the size limit raises ``VertaisetInputError`` with a clear message);
  ``materials(session_id) -> list[Material]``; ``material_content(session_id, material_id) -> bytes``;
  ``withdraw_material(session_id, material_id)``
- ``write_notes(session_id, block, body) -> Note``; ``notes(session_id) -> dict[str, Note]`` (latest per block);
  ``notes_history(session_id, block) -> list[Note]``; ``publish_notes(session_id, published=True)``
- ``add_feedback(session_id, client_token, body, *, idem, name=None, now=None) -> Feedback`` (refuses a
  closed period and too many per minute with :class:`FeedbackClosed` / :class:`FeedbackTooFast`);
  ``feedback(session_id, *, public=False) -> list[Feedback]``; ``moderate_feedback(session_id, feedback_id, action)``

Times: a naive ``datetime`` given is taken as UTC (as the store keeps it); what comes back is aware.
"""
from __future__ import annotations

import hmac
import re
import secrets
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from .. import schema as t
from .. import text as _text
from ..errors import VertaisetInputError
from ..revisions import SESSION_KEY
from .puimala_rows import (
    FEEDBACK_KEY,
    MATERIALS_KEY,
    NOTES_KEY,
    ALLOWED_FILES,
    MATERIAL_KINDS,
    MAX_FILE_BYTES,
    MODES,
    PEER_KINDS,
    Feedback,
    FeedbackClosed,
    FeedbackTooFast,
    Material,
    Note,
    PuimalaInfo,
    _utc,
    check_file,
    default_row,
    settings_row,
    check_url,
    prework_open,
    to_info,
)
from .rows import SessionInfo, _clean_key, _hash_key, _now, hash_token

__all__ = [
    "ALLOWED_FILES",
    "FEEDBACK_KEY",
    "MATERIALS_KEY",
    "MATERIAL_KINDS",
    "MAX_FEEDBACK",
    "MAX_FILE_BYTES",
    "MAX_NOTES",
    "MODES",
    "NOTES_KEY",
    "Feedback",
    "FeedbackClosed",
    "FeedbackTooFast",
    "Material",
    "Note",
    "PEER_KINDS",
    "PuimalaInfo",
    "PuimalaMixin",
    "prework_open",
]


#: The longest comment, note and material text.
MAX_FEEDBACK = 4000
MAX_NOTES = 20000
MAX_MATERIAL_TEXT = 20000
_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")


def _to_feedback(row: Any) -> Feedback:
    return Feedback(row["id"], row["name"], row["body"], _utc(row["created_at"]), _utc(row["approved_at"]),
                    _utc(row["hidden_at"]))


def _to_material(row: Any) -> Material:
    return Material(row["id"], row["kind"], row["title"], row["body"], row["url"], row["filename"], row["media_type"],
                    row["size"], _utc(row["created_at"]))


class PuimalaMixin:
    """The store's Puimala tables (:class:`~vertaiset_widgets.store.SessionStore`)."""

    # ------------------------------------------------------------------ settings
    def puimala(self, session_id: int) -> PuimalaInfo | None:
        """The session's Puimala settings, or None when the session is no Puimala."""
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(t.puimala).where(t.puimala.c.session_id == session_id)).mappings().first()
        return to_info(row) if row is not None else None

    def _update_puimala(self, session_id: int, change: Any, *keys: str) -> Any:
        """Run ``change(conn, row) -> (values, result)`` on the session's row (made with the defaults
        when missing) in one write; store the values and bump ``keys`` (default the session's)."""
        p = t.puimala

        def run(conn: Connection) -> Any:
            self._bump(conn, session_id, *(keys or (SESSION_KEY,)))  # locks the session first
            row = conn.execute(sa.select(p).where(p.c.session_id == session_id)).mappings().first()
            current = dict(row) if row is not None else default_row(session_id)
            values, result = change(conn, current)
            values = {**values, "updated_at": _now()}
            if row is None:
                conn.execute(sa.insert(p).values(**{**current, **values}))
            else:
                conn.execute(sa.update(p).where(p.c.session_id == session_id).values(**values))
            return result

        self.session_by_id(session_id)  # an unknown session is said as such
        return self._write(run)

    def set_puimala(self, session_id: int, **fields: Any) -> PuimalaInfo:
        """Make the session a Puimala (first call) and change its settings.

        Raises
        ------
        VertaisetInputError
            An unknown field, mode or peer kind, a date that is none, or dates out of order.
        """
        self._update_puimala(session_id, lambda _conn, current: (settings_row(current, fields), None))
        info = self.puimala(session_id)
        assert info is not None
        return info

    def new_notes_key(self, session_id: int) -> str:
        """Give the note-taker a new key (the old link stops working) and return it: shown once."""
        key = secrets.token_urlsafe(12)
        self._update_puimala(session_id, lambda _c, _r: ({"notes_key_hash": _hash_key(key)}, None))
        return key

    def check_notes_key(self, session_id: int, key: str | None) -> bool:
        """True when ``key`` is the note-taker's key; wrong keys slow down like facilitator keys."""
        if not key:
            return False
        from ..attempts import AttemptGuard, client_address

        client = client_address()
        guard = AttemptGuard(self, "notes", f"{session_id}|{client}" if client else "")
        guard.check()
        with self.engine.connect() as conn:
            stored = conn.execute(sa.select(t.puimala.c.notes_key_hash).where(t.puimala.c.session_id == session_id)).scalar()
        ok = stored is not None and hmac.compare_digest(stored, _hash_key(key))
        if not ok:
            guard.failed()
        return ok

    def feedback_link_token(self, session_id: int) -> str:
        """The public feedback link's token: made on the first call, the same after that."""

        def change(_conn: Connection, current: dict) -> tuple[dict, str]:
            token = current.get("feedback_token") or secrets.token_urlsafe(32)
            return {"feedback_token": token}, token

        info = self.puimala(session_id)
        if info is not None and info.feedback_token:
            return info.feedback_token
        return self._update_puimala(session_id, change)

    def find_feedback(self, token: str | None) -> tuple[SessionInfo, PuimalaInfo] | None:
        """The session and settings a feedback link's token belongs to; None for any other string."""
        token = (token or "").strip()
        if not _TOKEN.fullmatch(token):
            return None
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(t.puimala).where(t.puimala.c.feedback_token == token)).mappings().first()
        if row is None or not hmac.compare_digest(row["feedback_token"], token):
            return None
        return self.session_by_id(row["session_id"]), to_info(row)

    # ------------------------------------------------------------------ material
    def add_material(self, session_id: int, kind: str, title: str, *, body: str | None = None, url: str | None = None,
                     filename: str | None = None, content: bytes | None = None) -> Material:
        """Add a story, a fact pack text, a link or a file to the pre-work material.

        Raises
        ------
        VertaisetInputError
            No title; a story or text without text; a link that is not http(s); a file of a type
            not allowed (by its name or its content) or over :data:`MAX_FILE_BYTES`.
        """
        if kind not in MATERIAL_KINDS:
            raise VertaisetInputError(f"kind must be one of {', '.join(MATERIAL_KINDS)}, not {kind!r}")
        clean_title = _text.clean_line(title, 300)
        if not clean_title:
            raise VertaisetInputError("the material needs a title", code="empty")
        values: dict[str, Any] = dict(session_id=session_id, kind=kind, title=clean_title,
                                      body=_text.clean_text(body, MAX_MATERIAL_TEXT), created_at=_now())
        if kind in ("story", "fact") and not values["body"]:
            raise VertaisetInputError("a story or a fact pack text needs its text", code="empty")
        if kind == "link":
            values["url"] = check_url(url)
        if kind == "file":
            name, media_type, data = check_file(filename, content)
            values.update(filename=name, media_type=media_type, size=len(data), content=data)
        self.session_by_id(session_id)
        m = t.puimala_materials

        def run(conn: Connection) -> int:
            new_id = conn.execute(sa.insert(m).values(**values).returning(m.c.id)).scalar_one()
            self._bump(conn, session_id, MATERIALS_KEY)
            return new_id

        new_id = self._write(run)
        return next(x for x in self.materials(session_id) if x.id == new_id)

    def materials(self, session_id: int) -> list[Material]:
        """The pre-work material not withdrawn, in the order it was added."""
        m = t.puimala_materials
        columns = [c for c in m.c if c.name != "content"]
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(*columns).where(m.c.session_id == session_id, m.c.withdrawn_at.is_(None))
                                .order_by(m.c.id)).mappings().all()
        return [_to_material(r) for r in rows]

    def material_content(self, session_id: int, material_id: int) -> bytes:
        """A file's bytes (b"" for material that is no file).

        Raises
        ------
        VertaisetInputError
            No such material in this session, or it was withdrawn (code ``unknown``).
        """
        m = t.puimala_materials
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(m.c.content).where(m.c.session_id == session_id, m.c.id == material_id,
                                                            m.c.withdrawn_at.is_(None))).first()
        if row is None:
            raise VertaisetInputError(f"no material {material_id} in this session", code="unknown")
        return bytes(row[0] or b"")

    def withdraw_material(self, session_id: int, material_id: int) -> None:
        """Take material out of the pre-work (kept in the store until the session is purged)."""
        m = t.puimala_materials

        def run(conn: Connection) -> int:
            done = conn.execute(sa.update(m).where(m.c.session_id == session_id, m.c.id == material_id,
                                                   m.c.withdrawn_at.is_(None)).values(withdrawn_at=_now())).rowcount
            if done:
                self._bump(conn, session_id, MATERIALS_KEY)
            return done

        if not self._write(run):
            raise VertaisetInputError(f"no material {material_id} in this session", code="unknown")

    # ------------------------------------------------------------------ notes
    def write_notes(self, session_id: int, block: str, body: str) -> Note:
        """Save the notes of an agenda block (its ``key``; "" for notes outside the plan).

        Raises
        ------
        VertaisetInputError
            No block of the session's plan has this key (code ``unknown``).
        """
        block = _clean_key(block or "", 32)
        if block and block not in {b.key for b in self.agenda_blocks(session_id)}:
            raise VertaisetInputError(f"no agenda block {block!r} in this session", code="unknown")
        text = _text.clean_text(body, None) or ""
        if len(text) > MAX_NOTES:
            raise VertaisetInputError(f"notes are at most {MAX_NOTES} characters", code="too_long")
        now = _now()

        def run(conn: Connection) -> None:
            conn.execute(sa.insert(t.puimala_notes).values(session_id=session_id, block=block, body=text, created_at=now))
            self._bump(conn, session_id, NOTES_KEY)

        self._write(run)
        return Note(block, text, now)

    def notes(self, session_id: int) -> dict[str, Note]:
        """The notes of each block that has any: the latest saved."""
        n = t.puimala_notes
        newest = sa.select(sa.func.max(n.c.id)).where(n.c.session_id == session_id).group_by(n.c.block)
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(n).where(n.c.id.in_(newest)).order_by(n.c.id)).mappings().all()
        return {r["block"]: Note(r["block"], r["body"], _utc(r["created_at"])) for r in rows}

    def notes_history(self, session_id: int, block: str) -> list[Note]:
        """Every save of one block's notes, oldest first."""
        n = t.puimala_notes
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(n).where(n.c.session_id == session_id, n.c.block == block)
                                .order_by(n.c.id)).mappings().all()
        return [Note(r["block"], r["body"], _utc(r["created_at"])) for r in rows]

    def publish_notes(self, session_id: int, published: bool = True) -> None:
        """Publish the notes (on the feedback link, to the peers) or take them back."""
        self._update_puimala(session_id, lambda _c, _r: ({"notes_published_at": _now() if published else None}, None),
                             SESSION_KEY, NOTES_KEY)

    # ------------------------------------------------------------------ feedback
    def add_feedback(self, session_id: int, client_token: str, body: str, *, idem: str, name: str | None = None,
                     now: datetime | None = None) -> Feedback:
        """Store a comment sent through the feedback link; the same ``idem`` again stores nothing new.

        Raises
        ------
        FeedbackClosed
            The feedback period has not begun, or has ended (or the session has no link).
        FeedbackTooFast
            This browser (or address) has sent ``feedback_per_minute`` comments within a minute.
        VertaisetInputError
            An empty comment, one over :data:`MAX_FEEDBACK` characters, or a missing id.
        """
        text = _text.clean_text(body, None)
        if not text:
            raise VertaisetInputError("the comment is empty", code="empty")
        if len(text) > MAX_FEEDBACK:
            raise VertaisetInputError(f"a comment is at most {MAX_FEEDBACK} characters", code="too_long")
        idem = str(idem or "").strip()
        if not 8 <= len(idem) <= 64 or len((client_token or "").strip()) < 8:
            raise VertaisetInputError("the comment's id or the browser's token is missing")
        now = _utc(now) if now is not None else _now()
        client = hash_token(client_token.strip()[:64])
        clean_name = _text.clean_line(name, 60)
        f, p = t.feedback, t.puimala
        from ..attempts import AttemptGuard, client_address

        address = client_address()
        by_address = AttemptGuard(self, "feedback", f"{session_id}|{address}") if address and address != "*" else None

        def run(conn: Connection) -> tuple[Any, bool]:
            # the settings row, locked (PostgreSQL): one session's comments are counted one at a time
            row = conn.execute(sa.select(p).where(p.c.session_id == session_id).with_for_update()).mappings().first()
            found = conn.execute(sa.select(f).where(f.c.session_id == session_id, f.c.idem == idem)).mappings().first()
            if found is not None:
                return found, False
            info = to_info(row) if row is not None else None
            state = info.feedback_state(now) if info is not None else "none"
            if state != "open":
                raise FeedbackClosed(state, info.feedback_opens if info else None, info.feedback_closes if info else None)
            since = now - timedelta(seconds=60)
            recent = conn.execute(sa.select(f.c.created_at).where(
                f.c.session_id == session_id, f.c.client == client, f.c.created_at >= since)).scalars().all()
            if by_address is not None:
                recent = [*recent, *self.attempt_times("feedback", by_address.subject, since)]
            if len(recent) >= info.feedback_per_minute:
                oldest = min(_utc(r) for r in recent)
                raise FeedbackTooFast(max(1, int((oldest + timedelta(seconds=60) - now).total_seconds() + 0.999)))
            new_id = conn.execute(sa.insert(f).values(
                session_id=session_id, client=client, name=clean_name, body=text, idem=idem, created_at=now,
            ).returning(f.c.id)).scalar_one()
            self._bump(conn, session_id, FEEDBACK_KEY)
            return conn.execute(sa.select(f).where(f.c.id == new_id)).mappings().one(), True

        row, fresh = self._write(run)
        if fresh and by_address is not None:
            by_address.failed()  # counted like a failed attempt: the address's comments in the last minute
        return _to_feedback(row)

    def feedback(self, session_id: int, *, public: bool = False) -> list[Feedback]:
        """The comments, newest first; ``public``: only those anyone may see."""
        f = t.feedback
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(f).where(f.c.session_id == session_id)
                                .order_by(f.c.created_at.desc(), f.c.id.desc())).mappings().all()
        out = [_to_feedback(r) for r in rows]
        if public:
            info = self.puimala(session_id)
            premoderated = bool(info and info.feedback_premoderated)
            out = [x for x in out if x.visible(premoderated)]
        return out

    def moderate_feedback(self, session_id: int, feedback_id: int, action: str) -> None:
        """``approve`` a comment (shown when comments are premoderated), ``hide`` it or ``show`` it again."""
        f = t.feedback
        values = {"approve": {"approved_at": _now()}, "hide": {"hidden_at": _now()}, "show": {"hidden_at": None}}
        if action not in values:
            raise VertaisetInputError(f"unknown moderation action {action!r}")

        def run(conn: Connection) -> int:
            done = conn.execute(sa.update(f).where(f.c.session_id == session_id, f.c.id == feedback_id)
                                .values(**values[action])).rowcount
            if done:
                self._bump(conn, session_id, FEEDBACK_KEY)
            return done

        if not self._write(run):
            raise VertaisetInputError(f"no comment {feedback_id} in this session", code="unknown")

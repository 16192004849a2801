"""What the store hands out and takes in (frozen records), and the small helpers that make them."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any

from .. import text as _text
from ..errors import VertaisetInputError

#: The newest migration (``migrations/versions``): a database at another one is migrated on open.
SCHEMA_REVISION = "0012_bank"

_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
_MAX_TEXT = 2000
_MAX_NAME = 60


def _now() -> datetime:
    return datetime.now(timezone.utc)


def new_join_code(length: int = 6) -> str:
    """A random join code that is easy to read aloud and type."""
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(length))


def _hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def hash_token(token: str) -> str:
    """What the store keeps of a participant's browser token: its SHA-256, in hex.

    The token is 128 random bits, so a plain hash cannot be reversed by guessing; a copy of
    the database (a backup, an export of the table) does not let anyone act as a participant.
    """
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class SessionInfo:
    """One workshop session."""

    id: int
    code: str
    title: str
    held_on: date
    lang: str
    network_id: int
    network_name: str
    is_open: bool
    revision: int
    #: the id of the round this one follows, when it was started with ``--follows``
    follows_id: int | None = None
    #: the id of the templates it ran with (None: not recorded)
    template_version_id: int | None = None


@dataclass(frozen=True)
class Participant:
    """A participant of one session: anonymous unless they gave a nickname.

    ``token`` is the stored hash of the browser's token (:func:`hash_token`), never the token.
    ``forgotten`` is True for the tombstone of an erased participant.
    """

    id: int
    session_id: int
    token: str
    nickname: str | None
    group_name: str | None
    forgotten: bool = False


@dataclass(frozen=True)
class ActivityState:
    """Whether an activity takes answers, shows its results, and which round it is in."""

    activity_id: str
    is_open: bool = False
    is_revealed: bool = False
    round: int = 1
    timer_ends_at: datetime | None = None
    #: when the results were revealed (None while hidden, and for reveals older than the column)
    revealed_at: datetime | None = None
    #: when the facilitator last changed it (not compared: the same state written again is the same)
    updated_at: datetime | None = field(default=None, compare=False)

    def seconds_left(self, now: datetime | None = None) -> int | None:
        """Whole seconds until the timer ends (0 once it has), or None without a timer."""
        if self.timer_ends_at is None:
            return None
        now = now or _now()
        ends = self.timer_ends_at if self.timer_ends_at.tzinfo else self.timer_ends_at.replace(tzinfo=timezone.utc)
        return max(0, int((ends - now).total_seconds() + 0.999))

    @property
    def name(self) -> str:
        """``open``, ``revealed`` or ``closed``."""
        if self.is_open:
            return "open"
        return "revealed" if self.is_revealed else "closed"


@dataclass(frozen=True)
class AnswerInput:
    """One answer as a participant gives it: an item (and layer) with a number or a text."""

    item: str
    layer: str = ""
    value_num: float | None = None
    value_text: str | None = None


@dataclass(frozen=True)
class Answer:
    """One stored answer, with who gave it."""

    id: int
    participant_id: int
    nickname: str | None
    group_name: str | None
    activity_id: str
    round: int
    item: str
    layer: str
    value_num: float | None
    value_text: str | None
    created_at: datetime


#: The moderation actions (of highlights, and of a network map's actors and ties) and the kind of state each sets.
MODERATION = {"hide": "hidden", "show": "hidden", "pin": "pinned", "unpin": "pinned", "merge": "merged", "unmerge": "merged"}


def _to_participant(row: Any) -> Participant:
    return Participant(
        row["id"], row["session_id"], row["token"], row["nickname"], row["group_name"], row["forgotten_at"] is not None
    )


def _state(row: Any) -> ActivityState:
    return ActivityState(
        row["activity_id"], bool(row["is_open"]), bool(row["is_revealed"]), row["round"], row["timer_ends_at"],
        row["revealed_at"], row["updated_at"],
    )


def _idempotency_key(participant_id: int, submission_id: str, item: str, layer: str) -> str:
    """One key per participant, submission, item and layer (hashed: ids may be long)."""
    raw = "\x1f".join((str(participant_id), submission_id, item, layer))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _clean_line(value: str | None, limit: int) -> str | None:
    # NFC, no characters that crash the chart renderer or the exports; None when nothing shows
    return _text.clean_line(value, limit)


def _clean_text(value: str | None) -> str | None:
    return _text.clean_text(value, _MAX_TEXT)


def _clean_key(value: str, limit: int = 80) -> str:
    """An id or a key (item, layer, target): cleaned like text, its spacing kept, never None."""
    return _text.clean(str(value))[:limit]


def _checked_submission(answers: Any, submission_id: str) -> list[AnswerInput]:
    """A submission's answers, refused (:class:`VertaisetInputError`) without a 1–80 character id
    or with an item and layer given twice: one rule for both stores."""
    if not submission_id or len(submission_id) > 80:
        raise VertaisetInputError("submission id must be 1–80 characters")
    rows: list[AnswerInput] = []
    seen: set[tuple[str, str]] = set()
    for answer in answers:
        key = (answer.item, answer.layer)
        if key in seen:
            raise VertaisetInputError(f"item {answer.item!r} layer {answer.layer!r} given twice")
        seen.add(key)
        rows.append(answer)
    return rows


def _checked_token(token: str | None) -> str:
    """A participant's browser token as stored (stripped, at most 64 characters); refused when
    shorter than 8 (:class:`VertaisetInputError`)."""
    token = (token or "").strip()[:64]
    if len(token) < 8:
        raise VertaisetInputError("participant token is missing")
    return token


def _up_to(rounds: list[SessionInfo], session: SessionInfo) -> list[SessionInfo]:
    """A network's rounds (oldest first) up to and including ``session``."""
    out: list[SessionInfo] = []
    for other in rounds:
        out.append(other)
        if other.id == session.id:
            break
    return out

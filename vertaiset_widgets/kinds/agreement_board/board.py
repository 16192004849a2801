"""The agreement board's read and write model: the facilitator's entries, one question at a time.

The entries live in a table of their own (``board_entries``: they are not participants'
answers), append-only like everything else; the rest of the package reaches them only
through this module. Light: the participant's page reads the board too.

The board's rows are its template's questions, then the steps the network's previous round
promoted for this one (:func:`questions`): a carried step is a row like the others, stored
under ``carried_<item>``.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ... import schema as t
from ...errors import VertaisetInputError
from ...store.rows import _clean_key, _clean_text, _now

if TYPE_CHECKING:
    from ...records import Item
    from .model import AgreementBoard
    from ...store import SessionStore

__all__ = ["CARRIED", "FIELDS", "carried_questions", "entries", "questions", "read_board", "save", "write_board"]

#: The prefix of a carried step's row id (``carried_<item>``).
CARRIED = "carried_"

#: What the facilitator keeps per question (any other field is refused).
FIELDS = ("answer", "status", "owner", "mode")


def read_board(store: "SessionStore", session_id: int, activity_id: str, *,
               round: int | None = None) -> dict[str, dict[str, str | None]]:
    """The board as it stands: question id -> {field: latest value} (questions never edited are absent)."""
    b = t.board_entries
    out: dict[str, dict[str, str | None]] = {}
    for row in store.round_log(b, (b.c.item, b.c.field, b.c.value), session_id, activity_id, round):
        out.setdefault(row.item, {})[row.field] = row.value
    return out


def write_board(store: "SessionStore", session_id: int, activity_id: str, item: str, values: dict[str, str | None]) -> int:
    """The facilitator writes one question's fields; return how many changed.

    Only fields whose value differs from what the board shows are stored (append-only).
    """
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise VertaisetInputError(f"unknown board fields: {', '.join(sorted(unknown))}")
    item = _clean_key(item)
    state = store.activity_state(session_id, activity_id)
    current = read_board(store, session_id, activity_id, round=state.round).get(item, {})
    changed = {k: _clean_text(v) for k, v in values.items() if _clean_text(v) != current.get(k)}
    if not changed:
        return 0

    def run(conn: Connection) -> None:
        now = _now()
        conn.execute(
            sa.insert(t.board_entries),
            [
                dict(session_id=session_id, activity_id=activity_id, round=state.round, item=item[:80],
                     field=field, value=value, created_at=now)
                for field, value in changed.items()
            ],
        )
        store._bump(conn, session_id, activity_id)

    store._write(run)
    return len(changed)


def carried_questions(store: "SessionStore", session_id: int) -> list[Item]:
    """The steps the previous round promoted for this session, as board rows (the step's words
    in every language: they are the participants' own)."""
    from ...content_kept import load_plain_content
    from ...plain import plain_item

    _previous, steps = store.carried_steps(store.session_by_id(session_id))
    languages = load_plain_content().languages
    out: dict[str, Item] = {}
    for step in steps:
        item = CARRIED + re.sub(r"[^a-z0-9_]", "_", step.item.lower())[: 80 - len(CARRIED)]
        out.setdefault(item, plain_item(id=item, label={lang: step.text for lang in languages}))
    return list(out.values())


def questions(store: "SessionStore", session_id: int, activity: AgreementBoard) -> list[Item]:
    """The board's rows: the template's questions, then the carried steps."""
    return [*activity.questions, *carried_questions(store, session_id)]


def entries(store: "SessionStore", session_id: int, activity: AgreementBoard, *,
            round: int | None = None) -> dict[str, dict[str, str | None]]:
    """The board of ``activity`` as it stands."""
    return read_board(store, session_id, activity.id, round=round)


def save(store: "SessionStore", session_id: int, activity: AgreementBoard, item: str, value: dict) -> int:
    """Store one question's fields from ``value``; return how many changed.

    Fields other than :data:`FIELDS` are left out, and a status or mode that the template
    does not know is ignored (a crafted message), so the board only ever shows its own words.
    """
    clean = {k: value.get(k) for k in FIELDS if k in value}
    if clean.get("status") and clean["status"] not in {s.id for s in activity.statuses}:
        clean.pop("status")
    if clean.get("mode") and clean["mode"] not in {m.id for m in activity.modes}:
        clean.pop("mode")
    return write_board(store, session_id, activity.id, item, clean)

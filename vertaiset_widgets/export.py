"""A session's data as CSV, XLSX or JSON: every answer, superseded ones marked."""
from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import TYPE_CHECKING

from . import kinds
from .text import clean_tree, spreadsheet_safe

if TYPE_CHECKING:  # the CLI's parser lists the formats without the store's import
    from .store import SessionStore

__all__ = ["EXPORT_FORMATS", "activity_formats", "export_activity", "export_session"]

EXPORT_FORMATS = ("csv", "xlsx", "json")
_COLUMNS = [
    "answer_id", "participant", "nickname", "group", "activity", "round",
    "item", "layer", "value", "text", "counts", "created_at",
]


def _rows(store: SessionStore, code: str) -> tuple[dict, list[dict]]:
    session = store.get_session(code)
    counting = {a.id for a in store.answers(session.id, latest=True)}
    rows = [
        {
            "answer_id": a.id,
            "participant": a.participant_id,
            "nickname": a.nickname or "",
            "group": a.group_name or "",
            "activity": a.activity_id,
            "round": a.round,
            "item": a.item,
            "layer": a.layer,
            "value": a.value_num,
            "text": a.value_text or "",
            # superseded answers stay in the store (append-only); only the latest counts
            "counts": a.id in counting,
            "created_at": a.created_at.isoformat(),
        }
        for a in store.answers(session.id, latest=False)
    ]
    meta = {
        "code": session.code,
        "title": session.title,
        "network": session.network_name,
        "held_on": session.held_on.isoformat(),
        "participants": len(store.participants(session.id)),
    }
    tables = _tables(store, session.id)
    if tables:
        meta["tables"] = tables
    return meta, rows


def _tables(store: SessionStore, session_id: int) -> dict[str, dict[str, list[dict]]]:
    """Rows the kinds keep outside the answers (an agreement board as it stands), per kind and activity."""
    from .content import load_content

    out: dict[str, dict[str, list[dict]]] = {}
    for activity in load_content().activities.values():
        rows = kinds.for_activity(activity).table_rows(store, session_id, activity)
        if rows:
            out.setdefault(activity.kind, {})[activity.id] = rows
    return out


def activity_formats() -> dict[str, str]:
    """Formats that export one activity (a network map's GraphML …), with their file suffixes."""
    return {fmt: suffix for kind in kinds.all_kinds() for fmt, (_path, suffix) in kind.files.items()}


def export_session(store: SessionStore, code: str, fmt: str, out: str | Path) -> Path:
    """Write the session's answers to ``out`` in ``fmt`` and return the path."""
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
    meta, rows = _rows(store, code)
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        with path.open("w", newline="", encoding="utf-8-sig") as fh:  # BOM: Excel reads ä and ö right
            writer = csv.DictWriter(fh, fieldnames=_COLUMNS)
            writer.writeheader()
            # a text starting with = would be a formula in a spreadsheet: keep participants' words as words
            writer.writerows({c: spreadsheet_safe(v) for c, v in row.items()} for row in rows)
    elif fmt == "json":
        # cleaned: a lone surrogate from a row stored before the store cleaned its input cannot be written as UTF-8
        doc = clean_tree({"session": meta, "answers": rows})
        path.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    else:
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.title = "answers"
        sheet.append(_COLUMNS)
        for row in rows:
            # a text starting with = would be a formula in Excel: keep participants' words as words;
            # and openpyxl refuses control characters that old rows may still hold
            sheet.append([spreadsheet_safe(row[c]) for c in _COLUMNS])
        info = book.create_sheet("session")
        tables = meta.pop("tables", {})
        for key, value in meta.items():
            info.append([key, spreadsheet_safe(value)])
        for kind, by_activity in tables.items():  # one sheet per kind, one row per entry
            sheet = book.create_sheet(kind[:31])
            columns = list(dict.fromkeys(c for rows in by_activity.values() for row in rows for c in row))
            sheet.append(["activity", *columns])
            for activity_id, rows in by_activity.items():
                for row in rows:
                    sheet.append([spreadsheet_safe(c) for c in [activity_id, *(row.get(c, "") for c in columns)]])
        book.save(path)
    return path


def export_activity(store: SessionStore, code: str, fmt: str, out: str | Path, *, activity_id: str | None = None,
                    lang: str = "fi") -> Path:
    """Write one activity in a format its kind offers (a network map as GraphML or Kumu JSON).

    ``activity_id`` defaults to the first activity whose kind offers ``fmt``.
    """
    from .content import load_content
    from .i18n import Translator

    content = load_content()
    offering = [a for a in content.activities.values() if fmt in kinds.for_activity(a).files]
    if activity_id is None and offering:
        activity_id = offering[0].id
    activity = content.activity(activity_id or "")
    kind = kinds.for_activity(activity)
    if fmt not in kind.files:
        raise ValueError(f"{activity_id!r} cannot be exported as {fmt}")
    session = store.get_session(code)
    text = kind.file_export(fmt)(store, session, activity, Translator.create(content, lang))
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):  # a binary format (a spreadsheet)
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path

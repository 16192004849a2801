"""A session's data as CSV, XLSX or JSON: every answer, superseded ones marked."""
from __future__ import annotations

import csv
import json
from pathlib import Path

from .store import SessionStore

__all__ = ["EXPORT_FORMATS", "export_session"]

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
    return meta, rows


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
            writer.writerows(rows)
    elif fmt == "json":
        path.write_text(json.dumps({"session": meta, "answers": rows}, ensure_ascii=False, indent=1), encoding="utf-8")
    else:
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.title = "answers"
        sheet.append(_COLUMNS)
        for row in rows:
            # a text starting with = would be a formula in Excel: keep participants' words as words
            sheet.append([_xlsx_safe(row[c]) for c in _COLUMNS])
        info = book.create_sheet("session")
        for key, value in meta.items():
            info.append([key, _xlsx_safe(value)])
        book.save(path)
    return path


def _xlsx_safe(value: object) -> object:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value

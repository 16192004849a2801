"""A session's data as CSV, XLSX or JSON: every answer, superseded ones marked."""
from __future__ import annotations

import csv
import json
from pathlib import Path

from .store import SessionStore
from .text import clean_tree, spreadsheet_safe

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
    boards = _boards(store, session.id)
    if boards:
        meta["boards"] = boards
    return meta, rows


def _boards(store: SessionStore, session_id: int) -> dict[str, dict]:
    """The agreement boards as they stand (the facilitator's entries are not answers)."""
    from .content import AgreementBoard, load_content

    out = {}
    for activity in load_content().activities.values():
        if isinstance(activity, AgreementBoard):
            board = store.board(session_id, activity.id)
            if board:
                out[activity.id] = board
    return out


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
        boards = meta.pop("boards", {})
        for key, value in meta.items():
            info.append([key, spreadsheet_safe(value)])
        if boards:  # one row per question: the agreement board as it stands
            sheet = book.create_sheet("boards")
            sheet.append(["activity", "question", "answer", "status", "owner", "mode"])
            for activity, board in boards.items():
                for question, entry in board.items():
                    cells = [activity, question] + [entry.get(k) or "" for k in ("answer", "status", "owner", "mode")]
                    sheet.append([spreadsheet_safe(c) for c in cells])
        book.save(path)
    return path


def export_map(store: SessionStore, code: str, fmt: str, out: str | Path, *, activity_id: str = "verkostokartta",
               lang: str = "fi") -> Path:
    """Write a session's network map as GraphML (Gephi, yEd) or Kumu JSON and return the path."""
    from .content import NetworkMap, load_content
    from .i18n import Translator
    from .network import load_network, to_graphml, to_kumu

    content = load_content()
    activity = content.activity(activity_id)
    if not isinstance(activity, NetworkMap):
        raise ValueError(f"{activity_id!r} is not a network map")
    session = store.get_session(code)
    tr = Translator.create(content, lang)
    net = load_network(store, session.id, activity)
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(to_graphml(net, tr) if fmt == "graphml" else to_kumu(net, tr), encoding="utf-8")
    return path

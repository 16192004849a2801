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
        boards = meta.pop("boards", {})
        for key, value in meta.items():
            info.append([key, _xlsx_safe(value)])
        if boards:  # one row per question: the agreement board as it stands
            sheet = book.create_sheet("boards")
            sheet.append(["activity", "question", "answer", "status", "owner", "mode"])
            for activity, board in boards.items():
                for question, entry in board.items():
                    sheet.append([activity, question] + [_xlsx_safe(entry.get(k) or "") for k in ("answer", "status", "owner", "mode")])
        book.save(path)
    return path


def _xlsx_safe(value: object) -> object:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


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

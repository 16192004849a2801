"""The practice bank's files: exports (CSV, JSON with the full history, Innokylä-shaped JSON,
XLSX) and the import of the JSON formats.

An import checks every practice and version before it writes anything, and writes in one
transaction: a malformed file is refused with the practice (counted from 1), the version and
the field named, and the bank stays as it was. Versions the bank has already are skipped, so
importing the same file twice changes nothing.
"""
from __future__ import annotations

import csv
import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from .errors import VertaisetInputError
from .text import spreadsheet_safe

__all__ = ["BANK_FORMATS", "export_bank", "from_innokyla", "import_bank", "to_innokyla"]

BANK_FORMATS = ("csv", "json", "innokyla", "xlsx")
FORMAT = "vertaiset-bank"
FORMAT_VERSION = 1
_JOIN = " | "
_ALL = 10**9

# The bank's field names and their Innokylä-shaped counterparts (one level at a time).
_TOP = {
    "name": "nimi", "summary": "lyhyt_kuvaus", "perustiedot": "perustiedot", "perusidea": "ratkaisun_perusidea",
    "toimintaymparisto": "toimintaymparisto", "ehdot": "toimivuuden_ja_kayttoonoton_ehdot",
    "maturity": "kehitysvaihe", "maturity_evidence": "kehitysvaiheen_perustelu", "stories": "tapaustarinat",
    "validation": "validointi", "links": "linkit", "steps": "askeleet", "network": "verkosto",
    "sector": "toimiala", "area": "alue", "keywords": "asiasanat",
}
_STORY = {"title": "otsikko", "text": "teksti"}
_LINK = {"title": "otsikko", "url": "osoite", "kind": "tyyppi"}
_VALIDATION = {"by": "validoija", "at": "pvm", "note": "huomiot"}
_SOURCE = {"session": "istunto", "activity": "tehtava", "layer": "kerros", "date": "pvm", "n": "vastaajia"}
#: what an Innokylä-shaped export has beside the practice's fields (read back as the practice's id)
_INNOKYLA_EXTRA = {"tunniste", "versio", "muokattu", "muokkaaja", "kehitysvaiheen_historia", "arviointi"}
_NESTED = {"stories": _STORY, "links": _LINK, "validation": _VALIDATION, "profile_source": _SOURCE}


def _bm():
    """The practice's models (pydantic), imported when a bank is read or written: the CLI's
    parser lists :data:`BANK_FORMATS` without them or the store."""
    from . import bank_model

    return bank_model


def _tr(lang: str) -> Callable[..., str]:
    from .content import load_content
    from .i18n import Translator

    return Translator.create(load_content(), lang)


# ---------------------------------------------------------------------- Innokylä shape
def _rename(value: Any, names: dict[str, str]) -> Any:
    if isinstance(value, dict):
        return {names.get(k, k): v for k, v in value.items()}
    if isinstance(value, list):
        return [_rename(v, names) for v in value]
    return value


def to_innokyla(practice: Any, moves: list | None = None) -> dict[str, Any]:
    """One practice (a :class:`~vertaiset_widgets.store.bank.Practice`) with Innokylä-shaped keys."""
    f = practice.fields
    out: dict[str, Any] = {"tunniste": practice.uid, "versio": practice.version}
    for key, name in _TOP.items():
        value = f.get(key)
        for nested, names in _NESTED.items():
            if key == nested:
                value = _rename(value, names)
        out[name] = value
    out["arviointi"] = {"360_profiili": f.get("profile"), "lahde": _rename(f.get("profile_source"), _SOURCE)}
    out["kehitysvaiheen_historia"] = [
        {"pvm": when.isoformat(), "mista": old, "mihin": new, "kuka": by} for when, old, new, by in (moves or [])
    ]
    out["muokattu"] = practice.created_at.isoformat()
    out["muokkaaja"] = practice.changed_by
    return out


def from_innokyla(item: dict[str, Any]) -> tuple[str | None, dict[str, Any]]:
    """An Innokylä-shaped practice back to the bank's fields: (its id if it has one, the fields).

    Raises
    ------
    PracticeInvalid
        An unknown key, named as the file names it.
    """
    back = {v: k for k, v in _TOP.items()}
    fields: dict[str, Any] = {}
    for key, value in item.items():
        if key in back:
            name = back[key]
            names = _NESTED.get(name)
            fields[name] = _rename(value, {v: k for k, v in names.items()}) if names else value
        elif key not in _INNOKYLA_EXTRA:
            raise _bm().PracticeInvalid(str(key)[:80], "unknown_field", "unknown field")
    review = item.get("arviointi")
    if review is not None:
        if not isinstance(review, dict) or set(review) - {"360_profiili", "lahde"}:
            raise _bm().PracticeInvalid("arviointi", "mapping", "360_profiili and lahde")
        fields["profile"] = review.get("360_profiili")
        fields["profile_source"] = _rename(review.get("lahde"), {v: k for k, v in _SOURCE.items()})
    uid = item.get("tunniste")
    return (uid if isinstance(uid, str) else None), fields


def _innokyla_path(field: str) -> str:
    """A bank field path (``stories[2].title``) as the Innokylä-shaped file names it."""
    head, _, rest = field.partition(".")
    name, bracket, index = head.partition("[")
    names = _NESTED.get(name, {})
    if name == "profile":
        return "arviointi.360_profiili" + (f".{rest}" if rest else "")
    if name == "profile_source":
        return "arviointi.lahde" + (f".{_SOURCE.get(rest, rest)}" if rest else "")
    out = _TOP.get(name, name) + (bracket + index)
    return out + (f".{names.get(rest, rest)}" if rest else "")


# ---------------------------------------------------------------------- export
def _all_practices(store: Any) -> list:
    return store.practices(limit=_ALL)


def _flat_rows(store: Any, tr: Callable[..., str] | None) -> tuple[list[str], list[str], list[list[Any]]]:
    """(column keys, headers, rows): one row per practice, its latest version, lists joined."""
    maturity = (lambda m: tr(f"bank_maturity_{m}")) if tr else (lambda m: m)
    keys = [
        "uid", "version", "name", "summary", "toteuttaja", "yhteyshenkilo", "kohderyhma", "kesto", "alkamisvuosi",
        "perusidea", "toimintaymparisto", "ehdot", "maturity", "maturity_evidence", "maturity_history", "steps",
        "stories", "validation", "links", "network", "sector", "area", "keywords",
        *[f"profile_{d}" for d in _bm().PROFILE_DIMENSIONS], "profile_source", "from_session", "changed_by", "note", "changed",
    ]
    if tr is None:
        headers = keys
    else:
        from .content import load_content

        items = {i.id: i for i in load_content().activity("arviointi_360").items}
        headers = [
            tr("bank_col_profile", dimension=tr.label(items[k[8:]], short=True)) if k.startswith("profile_")
            and k[8:] in items else tr(f"bank_col_{k}") for k in keys
        ]
    rows = []
    for p in _all_practices(store):
        f = p.fields
        basics = f.get("perustiedot") or {}
        validation = f.get("validation") or {}
        source = f.get("profile_source") or {}
        profile = f.get("profile") or {}
        moves = store.maturity_moves(p.uid)
        kinds = {"bank": tr("bank_link_bank"), "community": tr("bank_link_community")} if tr else {}
        row = [
            p.uid, p.version, p.name, f.get("summary"), *[basics.get(k) for k in
                                                          ("toteuttaja", "yhteyshenkilo", "kohderyhma", "kesto", "alkamisvuosi")],
            f.get("perusidea"), f.get("toimintaymparisto"), f.get("ehdot"), maturity(p.maturity), f.get("maturity_evidence"),
            _JOIN.join(f"{when:%Y-%m-%d}: {maturity(new)}" + (f" ({by})" if by else "") for when, _old, new, by in moves),
            _JOIN.join(f.get("steps") or []),
            _JOIN.join(f"{s['title']}: {s.get('text') or ''}".rstrip(": ") for s in f.get("stories") or []),
            " · ".join(str(v) for v in (validation.get("by"), validation.get("at"), validation.get("note")) if v) or None,
            _JOIN.join(f"{x['title']} <{x['url']}> ({kinds.get(x['kind'], x['kind'])})" for x in f.get("links") or []),
            p.network, p.sector, p.area, _JOIN.join(f.get("keywords") or []),
            *[profile.get(d) for d in _bm().PROFILE_DIMENSIONS],
            " · ".join(str(source[k]) for k in ("session", "activity", "layer", "date", "n") if source.get(k) is not None) or None,
            p.from_session, p.changed_by, p.note, p.created_at.isoformat(timespec="seconds"),
        ]
        rows.append([spreadsheet_safe(v) if v not in ("", None) else None for v in row])
    return keys, headers, rows


def _bank_json(store: Any) -> dict[str, Any]:
    practices = []
    for p in sorted(_all_practices(store), key=lambda p: p.uid):
        practices.append({"uid": p.uid, "versions": [
            {"version": v.version, "fields": v.fields, "changed_by": v.changed_by, "note": v.note,
             "created_at": v.created_at.isoformat(), "from_session": v.from_session}
            for v in store.practice_versions(p.uid)
        ]})
    return {"format": FORMAT, "version": FORMAT_VERSION, "practices": practices}


def export_bank(store: Any, fmt: str, path: str | Path, *, lang: str = "fi") -> Path:
    """Write the bank to ``path`` and return the path.

    ``csv``: one row per practice (its latest version), lists joined with " | ", the 360
    profile one column per direction, plain UTF-8 with field ids as headers. ``json``: every
    version of every practice (an import gives the same bank). ``innokyla``: a JSON list of
    the latest versions with Innokylä-shaped keys. ``xlsx``: the same columns as CSV on one
    sheet, the headers and maturity steps in ``lang``.
    """
    path = Path(path)
    if fmt not in BANK_FORMATS:
        raise VertaisetInputError(f"unknown format {fmt!r}: one of {', '.join(BANK_FORMATS)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "json":
        path.write_text(json.dumps(_bank_json(store), ensure_ascii=False, indent=1), encoding="utf-8")
    elif fmt == "innokyla":
        items = [to_innokyla(p, store.maturity_moves(p.uid)) for p in _all_practices(store)]
        path.write_text(json.dumps(items, ensure_ascii=False, indent=1), encoding="utf-8")
    elif fmt == "csv":
        keys, _, rows = _flat_rows(store, None)
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(keys)
            writer.writerows(rows)
    else:
        from openpyxl import Workbook
        from openpyxl.styles import Font

        tr = _tr(lang)
        _, headers, rows = _flat_rows(store, tr)
        book = Workbook()
        sheet = book.active
        sheet.title = tr("bank_sheet")[:31]
        sheet.append(headers)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(row)
        sheet.freeze_panes = "A2"
        book.save(path)
    return path


# ---------------------------------------------------------------------- import
class _Refusal(Exception):
    def __init__(self, practice: int, version: int | None, field: str, problem: str, **values: Any):
        self.practice, self.version, self.field, self.problem, self.values = practice, version, field, problem, values


def _when(value: Any, practice: int, version: int) -> datetime:
    if isinstance(value, str):
        try:
            when = datetime.fromisoformat(value)
        except ValueError:
            pass
        else:
            return when.replace(tzinfo=timezone.utc) if when.tzinfo is None else when
    raise _Refusal(practice, version, "created_at", "time")


def _optional_text(value: Any, practice: int, version: int, field: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise _Refusal(practice, version, field, "not_text")
    return value


def _checked(fields: Any, practice: int, version: int | None, rename: Callable[[str], str] = str) -> Any:
    try:
        return _bm().validate_practice(fields)
    except _bm().PracticeInvalid as exc:
        raise _Refusal(practice, version, rename(exc.field), exc.problem, max=exc.limit, detail=exc.detail) from None


def _read_bank(data: dict[str, Any]) -> list:
    from .store.bank import VersionIn, _check_uid

    if data.get("version") != FORMAT_VERSION or not isinstance(data.get("practices"), list):
        raise _Refusal(0, None, "format", "format")
    items = []
    for n, entry in enumerate(data["practices"], start=1):
        if not isinstance(entry, dict):
            raise _Refusal(n, None, "-", "mapping")
        if set(entry) - {"uid", "versions"}:
            raise _Refusal(n, None, sorted(set(entry) - {"uid", "versions"})[0][:80], "unknown_field")
        try:
            uid = _check_uid(entry.get("uid"))
        except VertaisetInputError:
            raise _Refusal(n, None, "uid", "uid") from None
        versions = entry.get("versions")
        if not isinstance(versions, list):
            raise _Refusal(n, None, "versions", "list")
        if not versions:
            raise _Refusal(n, None, "versions", "empty")
        out = []
        for m, v in enumerate(versions, start=1):
            if not isinstance(v, dict):
                raise _Refusal(n, m, "-", "mapping")
            extra = set(v) - {"version", "fields", "changed_by", "note", "created_at", "from_session"}
            if extra:
                raise _Refusal(n, m, sorted(extra)[0][:80], "unknown_field")
            out.append(VersionIn(
                _checked(v.get("fields"), n, m), _optional_text(v.get("changed_by"), n, m, "changed_by"),
                _optional_text(v.get("note"), n, m, "note"), _when(v.get("created_at"), n, m),
                _optional_text(v.get("from_session"), n, m, "from_session"),
            ))
        items.append((uid, out))
    return items


def _read_innokyla(data: list) -> list:
    import hashlib

    from .store.bank import VersionIn, _check_uid

    items = []
    for n, entry in enumerate(data, start=1):
        if not isinstance(entry, dict):
            raise _Refusal(n, None, "-", "mapping")
        try:
            uid, fields = from_innokyla(entry)
        except _bm().PracticeInvalid as exc:
            raise _Refusal(n, None, exc.field, exc.problem) from None
        checked = _checked(fields, n, None, _innokyla_path)
        if uid is None:  # the same practice from the same file finds itself again
            uid = "ik-" + hashlib.sha256(checked.name.casefold().encode("utf-8")).hexdigest()[:20]
        try:
            _check_uid(uid)
        except VertaisetInputError:
            raise _Refusal(n, None, "tunniste", "uid") from None
        changed_by = entry.get("muokkaaja") if isinstance(entry.get("muokkaaja"), str) else None
        items.append((uid, [VersionIn(checked, changed_by=changed_by)]))
    return items


def _problem(tr: Callable[..., str], refusal: _Refusal) -> str:
    choices = {"maturity": ", ".join(_bm().MATURITY), "dimension": ", ".join(_bm().PROFILE_DIMENSIONS)}
    values = refusal.values
    if refusal.problem == "too_long" and values.get("max"):
        return tr("bank_problem_too_long", max=values["max"])
    if refusal.problem in choices:
        return tr(f"bank_problem_{refusal.problem}", choices=choices[refusal.problem])
    try:
        return tr(f"bank_problem_{refusal.problem}")
    except KeyError:
        return tr("bank_problem_other", detail=str(values.get("detail") or refusal.problem)[:200])


def import_bank(store: Any, path: str | Path, *, lang: str = "fi") -> tuple[int, int]:
    """Import a ``json`` export (every version) or an ``innokyla`` list (new versions).

    Returns (new practices, new versions).

    Raises
    ------
    VertaisetInputError
        The file is not one of the formats, or a practice is malformed: the message (in
        ``lang``) names the practice, the version and the field; nothing was written.
    """
    tr = _tr(lang)
    raw = Path(path).read_bytes()
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise VertaisetInputError(tr("bank_import_not_json", detail=str(exc)[:200])) from None
    try:
        if isinstance(data, dict) and data.get("format") == FORMAT:
            items = _read_bank(data)
        elif isinstance(data, list):
            items = _read_innokyla(data)
        else:
            raise _Refusal(0, None, "format", "format")
    except _Refusal as refusal:
        if refusal.problem == "format":
            raise VertaisetInputError(tr("bank_import_unknown_format")) from None
        problem = _problem(tr, refusal)
        if refusal.version is None:
            message = tr("bank_import_refused_practice", practice=refusal.practice, field=refusal.field, problem=problem)
        else:
            message = tr("bank_import_refused", practice=refusal.practice, version=refusal.version,
                         field=refusal.field, problem=problem)
        raise VertaisetInputError(message) from None
    return store.import_practices(items)

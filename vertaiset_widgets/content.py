"""Activity content: YAML templates -> validated, frozen records.

Trainers edit the files under ``templates/``; this module is the only place that
reads them. Every problem is reported as one :class:`VertaisetTemplateError` that
names the file, the activity and the field, so a trainer can fix it without
reading Python.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Union

from pydantic import BaseModel, Field, ValidationError

from .errors import VertaisetTemplateError
from .record_parts import ContentParts
from .records import Item, Record, Scale, Text

__all__ = [
    "Agenda",
    "AgendaItem",
    "Content",
    "Item",
    "Scale",
    "Text",
    "activity_adapter",
    "activity_file_schema",
    "known_kinds",
    "load_agenda",
    "load_content",
    "templates_dir",
]

def templates_dir() -> Path:
    """Return the folder of trainer-editable templates.

    ``VERTAISET_TEMPLATES``, else the root's (``--root``, ``VERTAISET_ROOT``), else the
    checkout's or the installed package's: see :mod:`vertaiset_widgets.roots`.
    """
    from .roots import templates_dir as _templates_dir

    return _templates_dir()


def kind_models() -> tuple[type, ...]:
    """The template model of every registered activity kind."""
    from . import kinds

    return tuple(k.model_class() for k in kinds.all_kinds())


def known_kinds() -> tuple[str, ...]:
    """The ``kind:`` names a template may use (a template naming any other is refused)."""
    from . import kinds

    return tuple(k.name for k in kinds.all_kinds())


def activity_adapter() -> Any:
    """A pydantic adapter for one activity entry: the registered kinds' models, told apart by ``kind``."""
    from pydantic import TypeAdapter

    return TypeAdapter(Annotated[Union[kind_models()], Field(discriminator="kind")])


def activity_file_schema() -> dict[str, Any]:
    """The JSON Schema of one activity file (``templates/activities/*.yaml``).

    Generated from the registered kinds' models; ``vertaiset schema`` writes it, and
    trainers' editors check the files against it as they type.
    """
    from pydantic import TypeAdapter, create_model

    entry = Annotated[Union[kind_models()], Field(discriminator="kind")]
    model = create_model(
        "ActivityFile",
        __base__=_ActivityFile,
        __doc__="One file of activities for the Vertaiset workbooks: `phase` and a list of `activities`.",
        activities=(list[entry], ...),
    )
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **TypeAdapter(model).json_schema()}


_Record = Record


class _ActivityFile(_Record):
    phase: int | None = None
    activities: list[dict[str, Any]]


class Content(ContentParts, _Record):
    """Everything loaded from ``templates/``: languages, UI strings and activities."""

    languages: dict[str, str]
    default_language: str
    strings: dict[str, Text]
    activities: dict[str, Any]
    sources: dict[str, str]
    stopwords: dict[str, frozenset[str]] = Field(default_factory=dict)


def _read_yaml(path: Path) -> Any:
    import yaml  # not loaded where the checked templates are kept (content_kept)

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader is ~10x faster
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.load(fh, Loader=loader)
    except FileNotFoundError:
        raise VertaisetTemplateError(path, None, None, "file not found") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise VertaisetTemplateError(path, None, where, f"invalid YAML: {problem}") from None


def _loc_to_field(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _pydantic_error(path: Path, activity: str | None, exc: ValidationError, strip: int = 0) -> VertaisetTemplateError:
    err = exc.errors()[0]
    loc = tuple(err["loc"])[strip:]
    # the discriminated union adds the tag name to the location; it is noise for a trainer
    known = known_kinds()
    loc = tuple(p for p in loc if p not in known)
    msg = err["msg"]
    if err["type"] == "union_tag_invalid":
        tag = err.get("input", {}).get("kind") if isinstance(err.get("input"), dict) else None
        loc = ("kind",)
        msg = f"unknown kind {tag!r}; known kinds: {', '.join(known)}"
    elif err["type"] == "union_tag_not_found":
        loc = ("kind",)
        msg = f"missing; known kinds: {', '.join(known)}"
    elif msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    return VertaisetTemplateError(path, activity, _loc_to_field(loc) or None, msg)


def _check_translations(node: Any, languages: list[str], where: str, problems: list[tuple[str, str]]) -> None:
    """Collect every text dict that lacks a configured language."""
    if isinstance(node, BaseModel):
        for name in type(node).model_fields:
            value = getattr(node, name)
            annotation = type(node).model_fields[name].annotation
            sub = f"{where}.{name}" if where else name
            if annotation in (Text, Text | None) and isinstance(value, dict):
                _check_text(value, languages, sub, problems)
            elif name == "anchors" and isinstance(value, dict):
                for point, text in value.items():
                    _check_text(text, languages, f"{sub}.{point}", problems)
            else:
                _check_translations(value, languages, sub, problems)
    elif isinstance(node, list):
        for i, child in enumerate(node):
            _check_translations(child, languages, f"{where}[{i}]", problems)


def _check_text(text: dict[str, str], languages: list[str], where: str, problems: list[tuple[str, str]]) -> None:
    for lang in languages:
        value = text.get(lang)
        if not isinstance(value, str) or not value.strip():
            problems.append((where, f"missing translation {lang!r}"))


def _load_strings(path: Path, languages: list[str]) -> dict[str, Text]:
    raw = _read_yaml(path)
    if not isinstance(raw, dict) or not isinstance(raw.get("strings"), dict):
        raise VertaisetTemplateError(path, None, "strings", "expected a mapping of string keys to texts")
    strings: dict[str, Text] = {}
    for key, text in raw["strings"].items():
        if not isinstance(text, dict):
            raise VertaisetTemplateError(path, None, f"strings.{key}", "expected a text per language (fi:, sv:, en:)")
        problems: list[tuple[str, str]] = []
        _check_text(text, languages, f"strings.{key}", problems)
        if problems:
            raise VertaisetTemplateError(path, None, problems[0][0], problems[0][1])
        strings[str(key)] = {k: str(v) for k, v in text.items()}
    return strings


def load_activity_file(path: Path, languages: list[str]) -> list[Any]:
    """Validate one activity file and return its activities.

    Raises
    ------
    VertaisetTemplateError
        Naming the file, the activity and the field of the first problem found.
    """
    raw = _read_yaml(path)
    try:
        doc = _ActivityFile.model_validate(raw if raw is not None else {})
    except ValidationError as exc:
        raise _pydantic_error(path, None, exc) from None
    adapter = activity_adapter()
    out = []
    for i, entry in enumerate(doc.activities):
        activity_id = entry.get("id") if isinstance(entry.get("id"), str) else f"#{i + 1}"
        if "phase" not in entry and doc.phase is not None:
            entry = {**entry, "phase": doc.phase}
        try:
            activity = adapter.validate_python(entry)
        except ValidationError as exc:
            raise _pydantic_error(path, activity_id, exc) from None
        problems: list[tuple[str, str]] = []
        _check_translations(activity, languages, "", problems)
        if problems:
            raise VertaisetTemplateError(path, activity_id, problems[0][0], problems[0][1])
        out.append(activity)
    return out


@lru_cache(maxsize=8)
def _load_content_cached(root: str) -> Content:
    from . import content_kept

    base = Path(root)
    key = content_kept.content_key(base, content_kept.content_files(base))
    content = content_kept.kept(key)
    if isinstance(content, Content):
        return content
    content = _read_content(base)
    content_kept.keep(key, content)
    return content


def _read_content(base: Path) -> Content:
    lang_path = base / "languages.yaml"
    raw = _read_yaml(lang_path)
    if not isinstance(raw, dict) or not isinstance(raw.get("languages"), dict) or not raw["languages"]:
        raise VertaisetTemplateError(lang_path, None, "languages", "expected a mapping such as `fi: Suomi`")
    languages = {str(k): str(v) for k, v in raw["languages"].items()}
    default = str(raw.get("default") or next(iter(languages)))
    if default not in languages:
        raise VertaisetTemplateError(lang_path, None, "default", f"{default!r} is not one of the languages")
    codes = list(languages)
    strings = _load_strings(base / "ui.yaml", codes)
    activities: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for path in sorted((base / "activities").glob("*.yaml")):
        for activity in load_activity_file(path, codes):
            if activity.id in activities:
                raise VertaisetTemplateError(
                    path, activity.id, "id", f"the same id is already used in {sources[activity.id]}"
                )
            activities[activity.id] = activity
            sources[activity.id] = str(path)
    for activity in activities.values():  # a breakdown must name a select field of a canvas
        breakdown = getattr(activity, "breakdown", None)
        if breakdown is None:
            continue
        target = activities.get(breakdown.activity)
        fields = {f.id: f for f in getattr(target, "fields", [])}
        if breakdown.field not in fields or fields[breakdown.field].type != "select":
            raise VertaisetTemplateError(
                sources[activity.id], activity.id, "breakdown",
                f"{breakdown.activity}.{breakdown.field} is not a select field of a canvas",
            )
    for activity in activities.values():  # what an activity reads must exist (a history, a reading, votes)
        for field_name, ref in (("source", getattr(activity, "source", None)),
                                ("before_from", getattr(getattr(activity, "before_from", None), "activity", None))):
            if isinstance(ref, str) and ref not in activities:
                raise VertaisetTemplateError(
                    sources[activity.id], activity.id, field_name, f"no activity {ref!r} in the templates"
                )
    return Content(
        languages=languages,
        default_language=default,
        strings=strings,
        activities=activities,
        sources=sources,
        stopwords=_load_stopwords(base / "stopwords.yaml"),
    )


def _load_stopwords(path: Path) -> dict[str, frozenset[str]]:
    """Words the word summary of a wall leaves out, per language (optional file)."""
    if not path.exists():
        return {}
    raw = _read_yaml(path)
    if not isinstance(raw, dict) or not all(isinstance(v, str) for v in raw.values()):
        raise VertaisetTemplateError(path, None, None, "expected `xx: words separated by spaces` per language")
    return {lang: frozenset(w.casefold() for w in words.split()) for lang, words in raw.items()}


class AgendaItem(_Record):
    """One step of a day's plan."""

    time: Annotated[str, Field(pattern=r"^[0-2]?[0-9][.:][0-5][0-9]$")] | None = None
    workbook: Annotated[str, Field(pattern=r"^[A-Za-z0-9_\-]+\.ipynb$")]
    activity: str


class Agenda(_Record):
    """A day's plan: activities across the phase workbooks, in order."""

    title: Text
    items: Annotated[list[AgendaItem], Field(min_length=1)]


def load_agenda(name_or_path: str, content: "Content | None" = None) -> Agenda:
    """Read ``templates/agendas/NAME.yaml`` (or a path) and check its activities exist.

    Raises
    ------
    VertaisetTemplateError
        Naming the file and the item that is wrong.
    """
    content = content or load_content()
    path = Path(name_or_path)
    if not path.suffix:
        path = templates_dir() / "agendas" / f"{name_or_path}.yaml"
    raw = _read_yaml(path)
    try:
        agenda = Agenda.model_validate(raw)
    except ValidationError as exc:
        raise _pydantic_error(path, None, exc) from None
    problems: list[tuple[str, str]] = []
    _check_text(agenda.title, list(content.languages), "title", problems)
    if problems:
        raise VertaisetTemplateError(path, None, problems[0][0], problems[0][1])
    for i, item in enumerate(agenda.items):
        if item.activity not in content.activities:
            raise VertaisetTemplateError(path, None, f"items[{i}].activity", f"no activity {item.activity!r} in templates")
    return agenda


def load_content(root: str | os.PathLike[str] | None = None) -> Content:
    """Load and validate every template under ``root`` (default: :func:`templates_dir`).

    The result is cached per folder for the life of the process.
    """
    return _load_content_cached(str(Path(root) if root else templates_dir()))


def templates_snapshot(content: "Content") -> dict[str, Any]:
    """The activity templates as data (activity id -> entry), to record with a session.

    An old round reads with its own snapshot (:func:`activities_from_snapshot`), so a trainer's
    later change of a label leaves its history readable.
    """
    return {aid: a.model_dump(mode="json", exclude_none=True) for aid, a in content.activities.items()}


def activities_from_snapshot(body: dict[str, Any]) -> dict[str, Any]:
    """The activities of a recorded snapshot; entries of kinds no longer known are left out."""
    adapter = activity_adapter()
    known = set(known_kinds())
    out: dict[str, Any] = {}
    for aid, entry in (body or {}).items():
        if isinstance(entry, dict) and entry.get("kind") in known:
            try:
                out[aid] = adapter.validate_python(entry)
            except Exception:  # a snapshot the models of today refuse: read with today's templates
                continue
    return out

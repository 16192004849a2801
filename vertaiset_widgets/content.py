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
from typing import Annotated, Any, Literal, Union

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator

from .errors import VertaisetTemplateError

__all__ = [
    "Activity",
    "Agenda",
    "AgendaItem",
    "AgreementBoard",
    "Allocation",
    "Canvas",
    "CanvasField",
    "Choice",
    "Content",
    "Item",
    "Highlights",
    "NetworkMap",
    "Position",
    "RatingMatrix",
    "TieType",
    "Scale",
    "load_agenda",
    "load_content",
    "templates_dir",
]

try:  # the C loader is ~10x faster; fall back where libyaml is missing
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the build of PyYAML
    _Loader = yaml.SafeLoader

#: Activity kinds that this version can run. A template naming any other kind is refused.
KNOWN_KINDS = (
    "rating_matrix",
    "highlights",
    "choice",
    "allocation",
    "position",
    "canvas",
    "agreement_board",
    "network_map",
)


def templates_dir() -> Path:
    """Return the folder of trainer-editable templates.

    ``VERTAISET_TEMPLATES`` overrides it; otherwise it is ``templates/`` beside the package.
    """
    env = os.environ.get("VERTAISET_TEMPLATES")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent / "templates"


Text = dict[str, str]
"""A text in every configured language, e.g. ``{"fi": "Nyt", "sv": "Nu", "en": "Now"}``."""


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Item(_Record):
    """One row, column or option of an activity (a 360 dimension, a time layer ...)."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    label: Text
    hint: Text | None = None
    short: Text | None = None

    column: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")] | None = None

    def text(self, lang: str) -> str:
        """The label in ``lang``."""
        return self.label[lang]

    def short_text(self, lang: str) -> str:
        """The short label in ``lang`` (for chart axes), or the label."""
        return (self.short or self.label)[lang]


def _unique_ids(value: list[Any]) -> list[Any]:
    ids = [item.id for item in value]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ValueError(f"ids must be unique, repeated: {', '.join(dupes)}")
    return value


#: A list of items whose ids must differ (two items with one id would mix their answers).
UniqueItems = Annotated[list[Item], AfterValidator(_unique_ids)]


class Scale(_Record):
    """A numeric rating scale, e.g. 0–5, with optional words at some points."""

    min: int = 0
    max: int = 5
    anchors: dict[int, Text] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _validate_range(self) -> "Scale":
        if not (0 <= self.min < self.max <= 10):
            raise ValueError(f"scale must satisfy 0 <= min < max <= 10, got min={self.min}, max={self.max}")
        for point in self.anchors:
            if not self.min <= point <= self.max:
                raise ValueError(f"anchor {point} is outside the scale {self.min}–{self.max}")
        return self

    @property
    def points(self) -> list[int]:
        """Every point of the scale, lowest first."""
        return list(range(self.min, self.max + 1))


class _ActivityBase(_Record):
    id: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    title: Text
    prompt: Text
    phase: int | None = None


class _Layered(_ActivityBase):
    """An activity answered in time layers (e.g. *nyt* / *toivottu*), or in one unnamed layer."""

    layers: UniqueItems = Field(default_factory=list)

    @property
    def layer_ids(self) -> list[str]:
        """Layer ids, or ``[""]`` when there is a single, unnamed layer."""
        return [layer.id for layer in self.layers] or [""]


class RatingMatrix(_Layered):
    """Items rated on a scale, optionally in several time layers (the 360, knowing/trust/commitment).

    With ``columns`` the items form a table: each item names its ``column``, and
    ``chart: heatmap`` draws the room's means as a heatmap with column means.
    """

    kind: Literal["rating_matrix"]
    scale: Scale = Field(default_factory=Scale)
    items: Annotated[UniqueItems, Field(min_length=1)]
    columns: UniqueItems = Field(default_factory=list)
    chart: Literal["radar", "heatmap"] = "radar"


    @model_validator(mode="after")
    def _validate_columns(self) -> "RatingMatrix":
        known = {c.id for c in self.columns}
        for i, item in enumerate(self.items):
            if self.columns and item.column not in known:
                raise ValueError(
                    f"items[{i}] ({item.id}): column must be one of {', '.join(sorted(known))}, got {item.column!r}"
                )
        if self.chart == "heatmap" and not self.columns:
            raise ValueError("chart: heatmap needs columns")
        return self

    def column_items(self) -> list[tuple[Item | None, list[Item]]]:
        """The items under each column (one unnamed column when there are none)."""
        if not self.columns:
            return [(None, list(self.items))]
        return [(c, [i for i in self.items if i.column == c.id]) for c in self.columns]


class Highlights(_ActivityBase):
    """Short texts posted one at a time (*nostot*), optionally tagged, +1'd and moderated: the Menti wall."""

    kind: Literal["highlights"]
    tags: UniqueItems = Field(default_factory=list)
    max_length: Annotated[int, Field(ge=20, le=1000)] = 280
    per_minute: Annotated[int, Field(ge=1, le=60)] = 6
    votes: bool = True



class Breakdown(_Record):
    """Split an activity's results by what participants chose in a field of a check-in canvas
    (e.g. the levels of network work by sector)."""

    activity: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    field: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]


class Choice(_Layered):
    """Options to choose from, per layer (e.g. network type now and wanted).

    ``mode``: ``single`` (one option per layer), ``multi`` (any number), or ``dots``
    (a dot vote: each participant spreads ``dots`` dots, several on one option allowed).
    """

    kind: Literal["choice"]
    mode: Literal["single", "multi", "dots"] = "single"
    dots: Annotated[int, Field(ge=1, le=20)] = 3
    options: Annotated[UniqueItems, Field(min_length=2)]
    breakdown: Breakdown | None = None



class Allocation(_Layered):
    """Split ``total`` points among the options, per layer (hierarchy – market – network)."""

    kind: Literal["allocation"]
    total: Annotated[int, Field(ge=2, le=1000)] = 100
    options: Annotated[UniqueItems, Field(min_length=2)]



class Position(_Layered):
    """A place between two poles on ``points`` steps, per layer (side by side ↔ together)."""

    kind: Literal["position"]
    left: Text
    right: Text
    points: Annotated[int, Field(ge=3, le=11)] = 7



class CanvasField(_Record):
    """One box of a canvas: free text, or a choice among ``options``."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    label: Text
    hint: Text | None = None
    type: Literal["text", "textarea", "select"] = "textarea"
    options: UniqueItems = Field(default_factory=list)
    max_length: Annotated[int, Field(ge=10, le=2000)] = 500

    @model_validator(mode="after")
    def _validate_options(self) -> "CanvasField":
        if self.type == "select" and len(self.options) < 2:
            raise ValueError(f"field {self.id}: a select needs at least two options")
        if self.type != "select" and self.options:
            raise ValueError(f"field {self.id}: options are only for type: select")
        return self


class Canvas(_ActivityBase):
    """Structured text: one filled canvas per group (why/who/how/what/resources), or per participant (check-in)."""

    kind: Literal["canvas"]
    per: Literal["group", "participant"] = "group"
    fields: Annotated[list[CanvasField], AfterValidator(_unique_ids), Field(min_length=1)]



class AgreementBoard(_ActivityBase):
    """Questions to agree on; for each the agreed answer, its status, owner and decision mode.

    The facilitator edits the board live; participants see it. ``agreed`` names the
    status that counts as agreed in the progress (default: the first status).
    """

    kind: Literal["agreement_board"]
    questions: Annotated[UniqueItems, Field(min_length=1)]
    statuses: Annotated[UniqueItems, Field(min_length=2)]
    modes: UniqueItems = Field(default_factory=list)
    agreed: str | None = None


    @model_validator(mode="after")
    def _validate_agreed(self) -> "AgreementBoard":
        if self.agreed is not None and self.agreed not in {s.id for s in self.statuses}:
            raise ValueError(f"agreed must be one of the statuses, got {self.agreed!r}")
        return self

    @property
    def agreed_status(self) -> str:
        """The id of the status that counts as agreed."""
        return self.agreed or self.statuses[0].id


class TieType(Item):
    """A kind of tie on a network map, and how it is drawn."""

    style: Literal["solid", "dashed", "dotted"] = "solid"
    missing: bool = False


class NetworkMap(_ActivityBase):
    """Actors and the ties between them, added together; ties marked strong, weak or missing."""

    kind: Literal["network_map"]
    sectors: Annotated[UniqueItems, Field(min_length=1)]
    sides: Annotated[UniqueItems, Field(min_length=1)]
    roles: Annotated[UniqueItems, Field(min_length=1)]
    ties: Annotated[list[TieType], AfterValidator(_unique_ids), Field(min_length=1)]
    max_actors: Annotated[int, Field(ge=5, le=2000)] = 300



AnyActivity = RatingMatrix | Highlights | Choice | Allocation | Position | Canvas | AgreementBoard | NetworkMap
Activity = Annotated[
    Union[RatingMatrix, Highlights, Choice, Allocation, Position, Canvas, AgreementBoard, NetworkMap],
    Field(discriminator="kind"),
]


class _ActivityFile(_Record):
    phase: int | None = None
    activities: list[dict[str, Any]]


class Content(_Record):
    """Everything loaded from ``templates/``: languages, UI strings and activities."""

    languages: dict[str, str]
    default_language: str
    strings: dict[str, Text]
    activities: dict[str, AnyActivity]
    sources: dict[str, str]
    stopwords: dict[str, frozenset[str]] = Field(default_factory=dict)

    def activity(self, activity_id: str) -> AnyActivity:
        """The activity with this id; :class:`KeyError` with the known ids otherwise."""
        try:
            return self.activities[activity_id]
        except KeyError:
            known = ", ".join(sorted(self.activities))
            raise KeyError(f"no activity {activity_id!r} in templates (known: {known})") from None

    def lang(self, lang: str | None) -> str:
        """``lang`` if it is configured, else the default language."""
        return lang if lang in self.languages else self.default_language


def _read_yaml(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.load(fh, Loader=_Loader)
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
    loc = tuple(p for p in loc if p not in KNOWN_KINDS)
    msg = err["msg"]
    if err["type"] == "union_tag_invalid":
        tag = err.get("input", {}).get("kind") if isinstance(err.get("input"), dict) else None
        loc = ("kind",)
        msg = f"unknown kind {tag!r}; known kinds: {', '.join(KNOWN_KINDS)}"
    elif err["type"] == "union_tag_not_found":
        loc = ("kind",)
        msg = f"missing; known kinds: {', '.join(KNOWN_KINDS)}"
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


def load_activity_file(path: Path, languages: list[str]) -> list[AnyActivity]:
    """Validate one activity file and return its activities.

    Raises
    ------
    VertaisetTemplateError
        Naming the file, the activity and the field of the first problem found.
    """
    from pydantic import TypeAdapter

    raw = _read_yaml(path)
    try:
        doc = _ActivityFile.model_validate(raw if raw is not None else {})
    except ValidationError as exc:
        raise _pydantic_error(path, None, exc) from None
    adapter = TypeAdapter(Activity)
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
    base = Path(root)
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
    activities: dict[str, AnyActivity] = {}
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
        if not isinstance(target, Canvas) or breakdown.field not in fields or fields[breakdown.field].type != "select":
            raise VertaisetTemplateError(
                sources[activity.id], activity.id, "breakdown",
                f"{breakdown.activity}.{breakdown.field} is not a select field of a canvas",
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

"""What a practice in the active practice bank (aktiivinen käytäntöpankki) holds.

The fields follow an Innokylä practice description (nimi, lyhyt kuvaus, perustiedot, ratkaisun
perusidea, toimintaympäristö, toimivuuden ja käyttöönoton ehdot), plus the bank's own: the
maturity step and its evidence, the 360 profile, the steps a session chose, case stories
(tapaustarinat), validation and links to other banks and practice communities.

Light: pydantic and the text cleaning only (the participant's kernel imports it).
"""
from __future__ import annotations

import json
import math
import datetime as _dt
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from . import text as _text
from .errors import VertaisetInputError

__all__ = [
    "DEFAULTS",
    "MATURITY",
    "PROFILE_DIMENSIONS",
    "Link",
    "PracticeFields",
    "PracticeInvalid",
    "Story",
    "base_forms",
    "canonical_json",
    "search_text",
    "validate_practice",
]

#: The maturity steps, lowest first (kiinnostava, lupaava, hyvä, kestävä hyvä käytäntö).
from .store.bank import MATURITY  # noqa: E402  (one list of the steps, the store's)
#: The eight directions of the 360 (the item ids of ``arviointi_360`` in 04_arviointi.yaml).
PROFILE_DIMENSIONS = (
    "pysyvat_kumppanit",
    "tilapaiset_kumppanit",
    "asiakkaat_kansalaiset",
    "johtaminen",
    "poliittinen_paatoksenteko",
    "tuloksellisuus",
    "kaytantojen_hyodyntaminen",
    "sisainen_yhteistyo",
)

_LINE = 200
_TEXT = 10_000
_MANY = 50


def _cleaner(limit: int, *, multiline: bool) -> Any:
    def clean(value: Any) -> Any:
        if value is None:
            return None
        if not isinstance(value, str):
            raise PydanticCustomError("not_text", "should be text")
        out = _text.clean_text(value) if multiline else _text.clean_line(value)
        if out is not None and len(out) > limit:
            raise PydanticCustomError("too_long", "at most {max} characters", {"max": limit})
        return out

    return BeforeValidator(clean)


def _required(value: Any) -> Any:
    # after the cleaning: a text of spaces alone is as good as none
    if value is None:
        raise PydanticCustomError("required", "required")
    return value


Line = Annotated[str | None, _cleaner(_LINE, multiline=False)]
Title = Annotated[str | None, _cleaner(300, multiline=False)]
LongText = Annotated[str | None, _cleaner(_TEXT, multiline=True)]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Perustiedot(_Model):
    """Basic details: short texts (the contact is a role, never a person's private data)."""

    toteuttaja: Line = None
    yhteyshenkilo: Line = None
    kohderyhma: Line = None
    kesto: Line = None
    alkamisvuosi: Line = None


class ProfileSource(_Model):
    """Where a 360 profile came from: the session, the activity and layer, the day and how many answered."""

    session: Line = None
    activity: Line = None
    layer: Line = None
    date: _dt.date | None = None
    n: Annotated[int, Field(ge=0, le=100_000, strict=True)] | None = None


class Story(_Model):
    """A case story (tapaustarina)."""

    title: Annotated[Title, AfterValidator(_required)]
    text: LongText = None


class Validation(_Model):
    """Who validated the practice, when, and what they noted."""

    by: Line = None
    at: _dt.date | None = None
    note: LongText = None


def _http_url(value: Any) -> Any:
    if not isinstance(value, str):
        raise PydanticCustomError("not_text", "should be text")
    url = _text.clean_line(value) or ""
    head, sep, rest = url.partition("://")
    if head.lower() not in ("http", "https") or not sep or not rest or any(ch.isspace() for ch in url):
        raise PydanticCustomError("url", "an http or https address")
    if len(url) > 2000:
        raise PydanticCustomError("too_long", "at most {max} characters", {"max": 2000})
    return url


class Link(_Model):
    """A link to another bank (Innokylä) or a practice community."""

    title: Annotated[Title, AfterValidator(_required)]
    url: Annotated[str, BeforeValidator(_http_url)]
    kind: Literal["bank", "community"] = "bank"


Step = Annotated[str | None, _cleaner(500, multiline=True)]
Keyword = Annotated[str | None, _cleaner(80, multiline=False)]


def _drop_blank(value: Any) -> Any:
    if isinstance(value, list):
        return [v for v in value if not (isinstance(v, str) and _text.is_blank(v))]
    if value is None:
        return []
    return value


def _no_nulls(values: list[Any]) -> list[Any]:
    return [v for v in values if v is not None]


class PracticeFields(_Model):
    """One version of a practice: every field the bank keeps (see the module's docstring)."""

    name: Annotated[Title, AfterValidator(_required)]
    summary: LongText = None
    perustiedot: Perustiedot = Field(default_factory=Perustiedot)
    perusidea: LongText = None
    toimintaymparisto: LongText = None
    ehdot: LongText = None
    maturity: Literal["kiinnostava", "lupaava", "hyva", "kestava"] = "kiinnostava"
    maturity_evidence: LongText = None
    profile: dict[str, float] | None = None
    profile_source: ProfileSource | None = None
    steps: Annotated[list[Step], BeforeValidator(_drop_blank), Field(max_length=_MANY)] = Field(default_factory=list)
    stories: Annotated[list[Story], Field(max_length=_MANY)] = Field(default_factory=list)
    validation: Validation | None = None
    links: Annotated[list[Link], Field(max_length=_MANY)] = Field(default_factory=list)
    network: Line = None
    sector: Line = None
    area: Line = None
    keywords: Annotated[list[Keyword], BeforeValidator(_drop_blank), Field(max_length=_MANY)] = Field(default_factory=list)

    @field_validator("steps", "keywords")
    @classmethod
    def _validate_lists(cls, value: list[str | None]) -> list[str]:
        return _no_nulls(value)

    @field_validator("profile", mode="before")
    @classmethod
    def _validate_profile(cls, value: Any) -> Any:
        if value is None or value == {}:
            return None
        if not isinstance(value, dict):
            raise PydanticCustomError("profile", "a mapping of the 360's directions to numbers 0–5")
        out = {}
        for key, number in value.items():
            if key not in PROFILE_DIMENSIONS:
                raise PydanticCustomError("dimension", "unknown direction {key}", {"key": str(key)[:80]})
            if isinstance(number, bool) or not isinstance(number, (int, float)) or not math.isfinite(number) \
                    or not 0 <= number <= 5:
                raise PydanticCustomError("scale", "{key}: a number 0–5", {"key": key})
            out[key] = float(number)
        return {k: out[k] for k in PROFILE_DIMENSIONS if k in out}


class PracticeInvalid(VertaisetInputError):
    """A practice's field is not valid: ``field`` names it (``stories[2].title``), ``problem``
    is the reason's code (``required``, ``too_long``, ``url``, ``maturity``, ``scale`` …) and
    ``limit`` the limit that was passed, if any."""

    def __init__(self, field: str, problem: str, detail: str, limit: int | None = None):
        self.field = field
        self.problem = problem
        self.detail = detail
        self.limit = limit
        super().__init__(f"field {field}: {detail}", code="invalid")


_PROBLEMS = {
    "missing": "required", "literal_error": "choice", "extra_forbidden": "unknown_field",
    "too_long": "too_long", "list_type": "list", "dict_type": "mapping", "model_type": "mapping",
    "date_from_datetime_parsing": "date", "date_parsing": "date", "date_type": "date",
    "int_type": "number", "greater_than_equal": "number", "less_than_equal": "number",
}


def _field_path(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        elif str(part).startswith(("function-", "literal[")):
            continue
        else:
            out += f".{part}" if out else str(part)
    return out or "?"


def validate_practice(data: Any) -> PracticeFields:
    """The practice's fields, cleaned and checked.

    Raises
    ------
    PracticeInvalid
        Naming the first field that is wrong (list positions counted from 1).
    """
    if isinstance(data, PracticeFields):
        return data
    if not isinstance(data, dict):
        raise PracticeInvalid("-", "mapping", "a practice is a mapping of fields")
    try:
        return PracticeFields.model_validate(data)
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        kind = error["type"]
        problem = _PROBLEMS.get(kind, kind)
        field = _field_path(tuple(error["loc"]))
        if field == "maturity" and kind == "literal_error":
            problem = "maturity"
        limit = (error.get("ctx") or {}).get("max") or (error.get("ctx") or {}).get("max_length")
        raise PracticeInvalid(field, problem, error["msg"], limit) from None


def canonical_json(fields: PracticeFields) -> str:
    """The stored body: the fields as JSON, keys sorted (equal practices give equal text)."""
    return json.dumps(fields.model_dump(mode="json"), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def search_text(fields: PracticeFields) -> str:
    """The words the bank searches: the name, the texts, the stories, steps, keywords and places."""
    parts: list[str | None] = [
        fields.name, fields.summary, fields.perusidea, fields.toimintaymparisto, fields.ehdot,
        fields.perustiedot.kohderyhma, fields.perustiedot.toteuttaja,
    ]
    for story in fields.stories:
        parts += [story.title, story.text]
    parts += [*fields.steps, *fields.keywords, fields.network, fields.sector, fields.area]
    return "\n".join(p for p in parts if p)


#: Every field's default, for bodies stored before a field existed.
DEFAULTS: dict[str, Any] = PracticeFields(name="-").model_dump(mode="json")
DEFAULTS.pop("name")


def base_forms(text: str | None) -> list[str]:
    """The words of ``text`` in their base forms, case-folded, each once, in order
    (``verkostoissa`` → ``verkosto``; Finnish first, then Swedish, then English)."""
    from .lemmas import base_forms as _looked_up, tokens

    words = [w for w in tokens(text or "") if any(ch.isalnum() for ch in w)]
    bases = _looked_up(words, ("fi", "sv", "en"))
    out: dict[str, None] = {}
    for word in words:
        for part in bases[word].split():  # a base form never spans two terms
            out.setdefault(part, None)
    return list(out)

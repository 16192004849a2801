"""What the shared records do besides holding their fields, without pydantic: the models in
:mod:`vertaiset_widgets.records` and :mod:`vertaiset_widgets.content` inherit these, and so do
their plain copies that a phone's page reads (:mod:`vertaiset_widgets.plain`).
"""
from __future__ import annotations

from typing import Any

from .plain import Parts

__all__ = ["ActivityParts", "ContentParts", "ItemParts", "LayeredParts", "ScaleParts"]


class ItemParts(Parts):
    """A labelled record's texts (an item, a learning circle, a reference shape)."""

    __slots__ = ()

    def text(self, lang: str) -> str:
        """The label in ``lang``."""
        return self.label[lang]

    def short_text(self, lang: str) -> str:
        """The short label in ``lang`` (for chart axes), or the label."""
        return (getattr(self, "short", None) or self.label)[lang]


class ScaleParts(Parts):
    """A rating scale's points."""

    __slots__ = ()

    @property
    def points(self) -> list[int]:
        """Every point of the scale, lowest first."""
        return list(range(self.min, self.max + 1))

    def point(self, raw: Any) -> float | None:
        """A point a form sent (a number or its text), None for no answer.

        Raises
        ------
        VertaisetInputError
            ``code="invalid"``: not a whole number, or outside the scale.
        """
        from .errors import VertaisetInputError

        text = str(raw if raw is not None else "").strip()
        if text == "":
            return None
        try:
            point = int(text)
        except ValueError:
            raise VertaisetInputError(f"{text!r} is not a point on the scale", code="invalid") from None
        if point not in self.points:
            raise VertaisetInputError(f"{point} is outside the scale", code="invalid")
        return float(point)


class ActivityParts(Parts):
    """What every activity answers."""

    __slots__ = ()

    @property
    def layers_are_names(self) -> bool:
        """True when an answer's layer is a name people gave (a group's), so erasure blanks it too."""
        return False


class LayeredParts(Parts):
    """An activity answered in time layers."""

    __slots__ = ()

    @property
    def layer_ids(self) -> list[str]:
        """Layer ids, or ``[""]`` when there is a single, unnamed layer."""
        return [layer.id for layer in self.layers] or [""]


class ContentParts(Parts):
    """The loaded templates' lookups."""

    __slots__ = ()

    def activity(self, activity_id: str) -> Any:
        """The activity with this id; :class:`KeyError` with the known ids otherwise."""
        try:
            return self.activities[activity_id]
        except KeyError:
            known = ", ".join(sorted(self.activities))
            raise KeyError(f"no activity {activity_id!r} in templates (known: {known})") from None

    def lang(self, lang: str | None) -> str:
        """``lang`` if it is configured, else the default language."""
        return lang if lang in self.languages else self.default_language

"""User-visible strings in the chosen language, from ``templates/ui.yaml``."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # a phone's page reads plain copies of these (vertaiset_widgets.plain)
    from .content import Content, Item

__all__ = ["Translator"]


@dataclass(frozen=True)
class Translator:
    """Look up UI strings and template texts in one language.

    Parameters
    ----------
    content : Content
        The loaded templates.
    lang : str
        Wanted language; an unknown one falls back to the default (Finnish).
    """

    content: Content
    lang: str

    @classmethod
    def create(cls, content: Content, lang: str | None) -> "Translator":
        """A translator for ``lang``, or for the default language when ``lang`` is not configured."""
        return cls(content, content.lang(lang))

    def __call__(self, key: str, **values: object) -> str:
        """The string ``key``, formatted with ``values``."""
        try:
            text = self.content.strings[key][self.lang]
        except KeyError:
            raise KeyError(f"templates/ui.yaml has no string {key!r}") from None
        return text.format(**values) if values else text

    def text(self, text: dict[str, str] | None) -> str:
        """A template text (``{fi: ..., sv: ..., en: ...}``) in this language."""
        return (text or {}).get(self.lang, "")

    def label(self, item: Item, *, short: bool = False) -> str:
        """An item's label (or its short label) in this language."""
        return item.short_text(self.lang) if short else item.text(self.lang)

"""Plain records: the checked templates without pydantic, for a phone's page.

The templates are checked with the kinds' pydantic models (:mod:`vertaiset_widgets.content`).
A phone's page only reads them, and pydantic with the models' classes cost its kernel 5 MiB
of its own (46.2 against 41.1 MiB USS, ``bench/RESULTS.md``): 1 GiB for a room of 200. So the
phone reads a plain copy: every record becomes an instance of a :class:`Plain` class with the
same fields, frozen, and with the same methods, which live in pydantic-free classes
(:class:`Parts`, e.g. :class:`record_parts.ItemParts`) that the pydantic model inherits too.
:func:`to_plain` makes the copy from checked records; :mod:`vertaiset_widgets.content_kept`
keeps it on disk beside the checked records, and
:func:`vertaiset_widgets.content_kept.load_plain_content` reads it.

A method a panel calls on a record therefore has to be in the record's parts, not in its
pydantic class; the phone's tests run on plain records, so one that is not fails there.
"""
from __future__ import annotations

import importlib
from typing import Any

__all__ = ["Parts", "Plain", "as_plain", "import_path", "mirror", "plain_item", "to_plain"]


class Parts:
    """A record's methods and properties without its fields: a pydantic model and its plain
    copy both inherit them (a subclass names its fields nowhere but in the model)."""

    __slots__ = ()


class Plain:
    """A frozen record read from the checked templates: its fields are attributes."""

    #: ``"module:Class"`` of the pydantic model this is a copy of
    _model = ""
    #: ``"module:Class"`` of each of its :class:`Parts`, in the model's order
    _parts: tuple[str, ...] = ()

    def __init__(self, fields: dict[str, Any]) -> None:
        object.__setattr__(self, "__dict__", dict(fields))

    def __setattr__(self, name: str, value: Any) -> None:
        raise TypeError(f"{type(self).__name__} is frozen")

    def __delattr__(self, name: str) -> None:
        raise TypeError(f"{type(self).__name__} is frozen")

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.__dict__ == self.__dict__

    __hash__ = None  # type: ignore[assignment]  # like the models: their texts are dicts

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v!r}" for k, v in self.__dict__.items())
        return f"{type(self).__name__}({fields})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (_made, (self._model, self._parts, self.__dict__))


_CLASSES: dict[tuple[str, tuple[str, ...]], type] = {}


def import_path(path: str) -> Any:
    """The object at ``"package.module:Name"`` (or ``:Outer.Inner``), its module imported now."""
    module, _, name = path.partition(":")
    target: Any = importlib.import_module(module)
    for part in name.split("."):
        target = getattr(target, part)
    return target


def mirror(model: str, parts: tuple[str, ...]) -> type:
    """The plain class of the pydantic model at ``model`` (``"module:Class"``), with ``parts``
    (each ``"module:Class"`` of a :class:`Parts`); the same class for the same arguments."""
    key = (model, parts)
    cls = _CLASSES.get(key)
    if cls is None:
        bases = [import_path(p) for p in parts]
        bases = [b for b in bases if not any(o is not b and issubclass(o, b) for o in bases)]
        name = model.rpartition(":")[2].rpartition(".")[2]
        cls = type(name, (*bases, Plain), {"__slots__": (), "_model": model, "_parts": parts,
                                            "__module__": __name__, "__qualname__": name})
        _CLASSES[key] = cls
    return cls


def plain_item(**fields: Any) -> Plain:
    """A plain item (:class:`vertaiset_widgets.records.Item`'s fields) made by the code, not read
    from a template: a board's row carried from the last round. Fields left out are None."""
    every = {"id": "", "label": {}, "hint": None, "short": None, "column": None}
    return mirror("vertaiset_widgets.records:Item", ("vertaiset_widgets.record_parts:ItemParts",))({**every, **fields})


def _made(model: str, parts: tuple[str, ...], fields: dict[str, Any]) -> Plain:
    return mirror(model, parts)(fields)


def _path(cls: type) -> str:
    return f"{cls.__module__}:{cls.__qualname__}"


def to_plain(value: Any) -> Any:
    """A plain copy of ``value``: pydantic records become :class:`Plain` ones (recursively,
    through lists, tuples and dicts); anything else is kept as it is."""
    fields = getattr(type(value), "model_fields", None)
    if isinstance(fields, dict) and hasattr(value, "__pydantic_fields_set__"):
        cls = type(value)
        parts = tuple(_path(c) for c in cls.__mro__ if issubclass(c, Parts) and not hasattr(c, "model_fields"))
        return mirror(_path(cls), parts)({name: to_plain(getattr(value, name)) for name in fields})
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_plain(v) for v in value]
    if isinstance(value, tuple):
        return tuple(to_plain(v) for v in value)
    return value


_COPIES: dict[int, tuple[Any, Any]] = {}


def as_plain(content: Any) -> Any:
    """``content`` as plain records: itself when it is plain already, else its copy (made once
    per content object, and kept while the process keeps a few)."""
    if isinstance(content, Plain):
        return content
    known = _COPIES.get(id(content))
    if known is not None and known[0] is content:
        return known[1]
    copy = to_plain(content)
    if len(_COPIES) >= 16:
        _COPIES.pop(next(iter(_COPIES)))
    _COPIES[id(content)] = (content, copy)
    return copy

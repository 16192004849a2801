"""One layout model and one text style model for every widget of a page whose looks never change.

ipywidgets gives each widget a ``Layout`` of its own, and each ``HTML`` an ``HTMLStyle``, even
when nothing ever sets them: on a phone that has joined, 35 of the page's 61 models were such
empty layouts and styles, each sent by the kernel, passed on by the server and built by the
browser. A widget made with ``layout=shared_layout()`` (or :func:`plain_html`) shares this
kernel's one model instead.

A shared model refuses to change (:class:`SharedLayout` raises ``AttributeError``): a widget that
is hidden or resized later (``w.layout.display = "none"``) must keep a layout of its own, and
the error says so where the change is made, rather than hiding every widget that shares it.
"""
from __future__ import annotations

from typing import Any

import ipywidgets as W
from ipywidgets.widgets.widget_string import HTMLStyle

__all__ = ["SharedHTMLStyle", "SharedLayout", "plain_box", "plain_html", "shared_layout", "shared_style"]


class _Unchanging:
    """Refuses to set a synced trait once made (it is shared by several widgets)."""

    _made = False

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        object.__setattr__(self, "_synced", frozenset(self.keys))
        object.__setattr__(self, "_made", True)

    def __setattr__(self, name: str, value: Any) -> None:
        if self._made and name in self._synced:
            raise AttributeError(f"this {type(self).__mro__[2].__name__} is shared by several widgets and never "
                                 f"changes: give the widget whose {name!r} changes a model of its own")
        super().__setattr__(name, value)


class SharedLayout(_Unchanging, W.Layout):
    """The layout shared by the widgets that never change theirs."""


class SharedHTMLStyle(_Unchanging, HTMLStyle):
    """The text style shared by the HTML widgets that never change theirs."""


_SHARED: dict[type, W.Widget] = {}


def _shared(model: type) -> W.Widget:
    made = _SHARED.get(model)
    if made is None or made.comm is None:  # none yet, or closed
        made = _SHARED[model] = model()
    return made


def shared_layout() -> SharedLayout:
    """This kernel's one unchanging layout."""
    return _shared(SharedLayout)


def shared_style() -> SharedHTMLStyle:
    """This kernel's one unchanging ``HTML`` style."""
    return _shared(SharedHTMLStyle)


def plain_html(value: str = "", *classes: str) -> W.HTML:
    """An HTML widget for text whose own layout and style never change (its value does), with
    ``classes`` from the start (each ``add_class`` afterwards is one more message to the page)."""
    return W.HTML(value, layout=shared_layout(), style=shared_style(), _dom_classes=classes)


def plain_box(children: Any = (), *classes: str, box_type: type[W.Box] = W.HBox) -> W.Box:
    """A box (a row unless ``box_type`` says otherwise) that never hides or resizes itself (its children
    may change), with ``classes`` from the start, like :func:`plain_html`."""
    return box_type(list(children), layout=shared_layout(), _dom_classes=classes)

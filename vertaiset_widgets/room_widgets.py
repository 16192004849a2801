"""The room's small browser-side widgets (anywidget, ``static/room.js``): the projector's keys,
a catalogue entry's fold on the console (and what it opens), the now bar's height keeper, and the
page's "shown".
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import anywidget
import ipywidgets as W
import traitlets

from .assets import esm
from .live import running_live
from .shared_models import shared_layout

__all__ = ["BarHeight", "Fold", "FoldBody", "PageShown", "RoomKeys"]

_ROOM_JS = Path(__file__).resolve().parent / "static" / "room.js"


class _RoomPart(anywidget.AnyWidget):
    _esm = esm(_ROOM_JS)
    part = traitlets.Unicode("").tag(sync=True)

    def _on_signal(self, name: str, callback: Callable[[], None]) -> None:
        """Call ``callback()`` whenever the browser sends ``{"type": name}``."""
        if not hasattr(self, "_signals"):
            self._signals: dict[str, list[Callable[[], None]]] = {}
            self.on_msg(self._signal_message)
        self._signals.setdefault(name, []).append(callback)

    def _signal_message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if isinstance(content, dict):
            for handler in self._signals.get(content.get("type"), ()):
                handler()


class RoomKeys(_RoomPart):
    """The projector's keyboard and pages: ← / → (PageUp / PageDown) turn the results' pages where
    they are longer than the screen, else step the view; F toggles full screen.

    ``on_step(callback)`` gets -1 or +1 for each step the browser asks for; ``on_show(callback)``
    gets the activity id the page's address names (``#activity-<id>``); :meth:`go` opens another
    address (another workbook's screen). ``page_label`` is the page indicator's text, with
    ``{page}`` and ``{pages}`` in it.
    """

    hint = traitlets.Unicode("").tag(sync=True)
    page_label = traitlets.Unicode("{page}/{pages}").tag(sync=True)

    def __init__(self, **kwargs: Any):
        super().__init__(part="keys", **kwargs)
        self._step_handlers: list[Callable[[int], None]] = []
        self._show_handlers: list[Callable[[str], None]] = []
        self.on_msg(self._on_message)

    def on_step(self, callback: Callable[[int], None]) -> None:
        """Call ``callback(by)`` when the browser asks for the previous (-1) or next (+1) view."""
        self._step_handlers.append(callback)

    def on_show(self, callback: Callable[[str], None]) -> None:
        """Call ``callback(activity_id)`` when the page's address names an activity."""
        self._show_handlers.append(callback)

    def go(self, href: str) -> None:
        """Ask the browser to open ``href`` (relative to the page)."""
        self.send({"type": "go", "href": href})

    def _on_message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if not isinstance(content, dict):
            return
        if content.get("type") == "step" and content.get("by") in (-1, 1):
            for handler in self._step_handlers:
                handler(content["by"])
        elif content.get("type") == "show" and isinstance(content.get("activity"), str):
            for handler in self._show_handlers:
                handler(content["activity"])


class Fold(_RoomPart):
    """A catalogue entry's heading: a disclosure button with the title and a status badge.

    ``expanded`` is the disclosure's state (the browser sets it); the anchor (``activity-<id>``) is
    the element's id, and an address naming it opens the fold and calls ``on_current``'s callback.
    """

    anchor = traitlets.Unicode("").tag(sync=True)
    controls = traitlets.Unicode("").tag(sync=True)
    title = traitlets.Unicode("").tag(sync=True)
    badge = traitlets.Unicode("").tag(sync=True)
    state = traitlets.Unicode("").tag(sync=True)
    expanded = traitlets.Bool(False).tag(sync=True)

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("layout", shared_layout())  # never hidden nor resized itself
        super().__init__(part="fold", **kwargs)

    def on_current(self, callback: Callable[[], None]) -> None:
        """Call ``callback()`` when the page's address jumps to this entry."""
        self._on_signal("current", callback)


class FoldBody(W.VBox):
    """What a :class:`Fold` opens, shown while the fold is expanded. Its widgets are made by
    ``make()`` when it is first opened: a console's folded parts are most of its widgets, and every
    widget is messages from the kernel through the server to the browser before the page works.
    Where no event loop runs (papermill, the CLI, plain Python) they are made at once: such a page
    is made whole."""

    def __init__(self, fold: Fold, make: Callable[[], list[W.Widget]], **kwargs: Any):
        super().__init__(layout=W.Layout(display=None if fold.expanded else "none"), **kwargs)
        self._make: Callable[[], list[W.Widget]] | None = make
        fold.observe(self._on_fold, names="expanded")
        if fold.expanded or not running_live():
            self.make()

    @property
    def made(self) -> bool:
        """True once its widgets are made."""
        return self._make is None

    def make(self) -> None:
        """Make its widgets now (once)."""
        if self._make is not None:
            make, self._make = self._make, None
            self.children = make()

    def _on_fold(self, change: dict) -> None:
        if change["new"]:
            self.make()
        self.layout.display = None if change["new"] else "none"


class BarHeight(_RoomPart):
    """Invisible: keeps the page's ``--vt-now-h`` at the now bar's height."""

    def __init__(self, **kwargs: Any):
        super().__init__(part="bar", **kwargs)


class PageShown(_RoomPart):
    """Invisible: calls ``on_shown``'s callbacks once the browser has the page's widgets on screen."""

    def __init__(self, **kwargs: Any):
        super().__init__(part="shown", **kwargs)

    def on_shown(self, callback: Callable[[], None]) -> None:
        """Call ``callback()`` when the browser says the page is shown (each time a view renders)."""
        self._on_signal("shown", callback)

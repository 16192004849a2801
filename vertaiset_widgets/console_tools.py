"""The base of a kind's own tools for the facilitator (``tools=`` in its registration).

The console builds the tools as ``Class(console)``, shows :meth:`ConsoleTools.widgets` below
the results on a facilitator's page with the key, and calls :meth:`ConsoleTools.update` with
the results on every draw.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import ipywidgets as W

    from .forms import FieldsForm

__all__ = ["ConsoleTools"]


class ConsoleTools:
    """The facilitator's own tools for one activity, on that activity's console.

    Parameters
    ----------
    console : BlocksConsole
        The console the tools sit on: its workbook gives the store, the session and the
        translator, and it is redrawn after a change.
    """

    def __init__(self, console: Any):
        self.console = console
        self.wb = console.wb
        self.activity = console.activity

    def widgets(self) -> list[W.Widget]:
        """The tools' widgets, shown below the results."""
        return []

    def update(self, results: Any) -> None:
        """Fill the tools from the results just drawn."""

    def _status(self, form: FieldsForm | None, text: str, kind: str = "ok") -> None:
        """Show ``text`` on the form the facilitator used (None when called without one)."""
        if form is not None:
            form.show_status(text, kind)

    def _changed(self, form: FieldsForm | None, text: str) -> None:
        """After a change: say so on the form and redraw the console."""
        self._status(form, text)
        self.console.redraw()

"""Small accessible form widgets (anywidget): native labelled inputs for participants.

Stock ipywidgets give sliders no accessible name and leave radio-group labels untied
to their group; these widgets render plain HTML forms instead. Their JavaScript lives
in ``static/*.js`` and sets participants' words only as text.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import anywidget
import traitlets

__all__ = ["BrowserToken", "FieldsForm", "RatingForm"]

_STATIC = Path(__file__).resolve().parent / "static"


class BrowserToken(anywidget.AnyWidget):
    """Invisible widget that reads (or creates) this browser's participant token.

    The token lives in the browser's ``localStorage`` under ``scope`` (the session code),
    so a refreshed page, or a page whose kernel was culled, finds the same participant.
    """

    _esm = _STATIC / "token.js"
    scope = traitlets.Unicode("").tag(sync=True)
    token = traitlets.Unicode("").tag(sync=True)


class _SubmittingForm(anywidget.AnyWidget):
    """A form that sends its values to Python on submit and shows a status line."""

    _esm = _STATIC / "forms.js"
    _css = _STATIC / "forms.css"
    form = traitlets.Unicode("fields").tag(sync=True)
    texts = traitlets.Dict().tag(sync=True)
    disabled = traitlets.Bool(False).tag(sync=True)
    status = traitlets.Unicode("").tag(sync=True)
    status_kind = traitlets.Unicode("").tag(sync=True)

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self._submit_callbacks: list[Callable[[Any, dict], None]] = []
        self.on_msg(self._handle_msg)

    def on_submit(self, callback: Callable[[Any, dict], None], remove: bool = False) -> None:
        """Call ``callback(form, value)`` when the participant submits."""
        if remove:
            self._submit_callbacks.remove(callback)
        else:
            self._submit_callbacks.append(callback)

    def submit(self, value: dict | None = None) -> None:
        """Submit as the browser would (``value`` defaults to the current value)."""
        value = dict(self.value if value is None else value)
        for callback in list(self._submit_callbacks):
            callback(self, value)

    def show_status(self, text: str, kind: str = "ok") -> None:
        """Show ``text`` in the form's status line (read out by screen readers)."""
        with self.hold_sync():
            self.status = text
            self.status_kind = kind

    def _handle_msg(self, _widget: Any, content: dict, _buffers: Any) -> None:
        if isinstance(content, dict) and content.get("type") == "submit" and not self.disabled:
            value = content.get("value")
            self.submit(self._coerce(value if isinstance(value, dict) else {}))

    def _coerce(self, value: dict) -> dict:
        return value


class FieldsForm(_SubmittingForm):
    """A few labelled text fields and a submit button.

    ``fields`` is a list of ``{"name", "label", "hint"?, "maxlength"?, "autocomplete"?}``;
    ``texts`` carries ``title``, ``help`` and ``submit`` (the button's label).
    """

    form = traitlets.Unicode("fields").tag(sync=True)
    fields = traitlets.List().tag(sync=True)
    value = traitlets.Dict().tag(sync=True)

    def _coerce(self, value: dict) -> dict:
        names = {f["name"]: f.get("maxlength", 60) for f in self.fields}
        return {k: str(v)[: names[k]] for k, v in value.items() if k in names and isinstance(v, (str, int, float))}


class RatingForm(_SubmittingForm):
    """Items rated on a scale, one radio group per item and time layer.

    ``value`` maps ``"layer|item"`` to the chosen point. ``items`` and ``layers`` are
    lists of ``{"id", "label", "hint"?}``; ``points`` the scale; ``texts`` carries
    ``title``, ``prompt``, ``scale`` (the words at the scale's ends) and ``submit``.
    """

    form = traitlets.Unicode("rating").tag(sync=True)
    items = traitlets.List().tag(sync=True)
    layers = traitlets.List().tag(sync=True)
    points = traitlets.List(traitlets.Int()).tag(sync=True)
    value = traitlets.Dict().tag(sync=True)

    @traitlets.validate("value")
    def _validate_value(self, proposal: Any) -> dict:
        return self._coerce(proposal["value"])

    def _coerce(self, value: dict) -> dict:
        keys = {f"{layer['id']}|{item['id']}" for item in self.items for layer in (self.layers or [{"id": ""}])}
        points = set(self.points)
        out = {}
        for key, point in value.items():
            try:
                point = int(point)
            except (TypeError, ValueError):
                continue
            if key in keys and point in points:
                out[key] = point
        return out

"""What a browser sends a widget, through ipywidgets' own comm path: for the tests (``conftest``
re-exports these) and for a test's fresh process that must import nothing more, as a phone's
kernel would (``test_phone_plain.py``)."""
from __future__ import annotations


def submittable_forms(widgets, *, enabled_only: bool = False) -> list:
    """The forms a participant can submit among ``widgets`` (and inside them), in page order
    (``enabled_only``: not those turned off because their task closed)."""
    found: list = []

    def walk(widget) -> None:
        if callable(getattr(widget, "on_submit", None)) and not (enabled_only and widget.disabled):
            found.append(widget)
        for child in getattr(widget, "children", ()):
            walk(child)

    for widget in widgets:
        walk(widget)
    return found


def browser_sends(widget, content: dict) -> None:
    """Deliver a custom message to a widget through ipywidgets' own comm path, as a browser's would."""
    widget._handle_msg({"content": {"data": {"method": "custom", "content": content}}, "buffers": []})

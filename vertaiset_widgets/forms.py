"""Small accessible form widgets (anywidget): native labelled inputs for participants.

Stock ipywidgets give sliders no accessible name and leave radio-group labels untied
to their group; these widgets render plain HTML forms instead. Their JavaScript lives
in ``static/*.js`` and sets participants' words only as text.
"""
from __future__ import annotations

import json
import logging
import re
import uuid
from pathlib import Path
from typing import Any, Callable

import anywidget
import traitlets

from .assets import esm, widget_code

__all__ = ["BrowserToken", "ChoiceForm", "ConnectionGuard", "Countdown", "FieldsForm", "RatingForm", "WallView"]

_STATIC = Path(__file__).resolve().parent / "static"
#: the stylesheet of the forms, the countdown and the connection line
FORMS_CSS = _STATIC / "forms.css"
log = logging.getLogger("vertaiset")

#: What a browser may name its submission with (it becomes the store's idempotency key).
_SID = re.compile(r"[0-9A-Za-z_-]{8,64}")


#: one ES module, as anywidget loads a single module per widget class: dom.js (building
#: elements, ids), saving.js (acknowledgements, drafts, the status line), the answer forms,
#: the highlights wall
_FORMS_JS = ("dom.js", "saving.js", "forms.js", "wall.js")


def _forms_esm() -> str:
    return "\n".join((_STATIC / name).read_text(encoding="utf-8") for name in _FORMS_JS)


class BrowserToken(anywidget.AnyWidget):
    """Invisible widget that reads (or creates) this browser's participant token.

    The token lives in the browser's ``localStorage`` under ``scope`` (the session code),
    so a refreshed page, or a page whose kernel was culled, finds the same participant.
    """

    _esm = esm(_STATIC / "token.js")
    scope = traitlets.Unicode("").tag(sync=True)
    token = traitlets.Unicode("").tag(sync=True)


class ConnectionGuard(anywidget.AnyWidget):
    """Invisible widget that lets the page notice a lost kernel or server.

    The browser pings it every second; a kernel that was killed, culled or restarted
    answers no more, and the page then shows ``texts["connection_lost"]`` and reloads
    itself once the server answers again. ``texts`` also carries the words the forms
    use while saving (``saving``, ``not_saved``, ``not_saved_offline``, ``draft_restored``).
    """

    _esm, _css = widget_code(_STATIC / "connection.js", FORMS_CSS)
    texts = traitlets.Dict().tag(sync=True)
    #: read out to screen readers (a polite live region) each time ``announce_seq`` grows
    announcement = traitlets.Unicode("").tag(sync=True)
    announce_seq = traitlets.Int(0).tag(sync=True)
    #: the joined session's code: the browser puts it in the page's address (a reload comes back)
    session_code = traitlets.Unicode("").tag(sync=True)

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self.on_msg(self._on_ping)

    def announce(self, text: str) -> None:
        """Have screen readers read ``text`` out, without moving the focus."""
        with self.hold_sync():
            self.announcement = text
            self.announce_seq += 1

    def _on_ping(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if isinstance(content, dict) and content.get("type") == "ping" and isinstance(content.get("n"), int):
            self.send({"type": "pong", "n": content["n"]})


class _MessagingWidget(anywidget.AnyWidget):
    """A widget whose browser side sends actions to Python and shows a status line.

    Every action the browser sends carries a submission id (``sid``). Once the action's
    handlers have returned (so whatever they wrote to the store is committed), the
    widget answers ``{"type": "ack", "sid", "status", "kind", "seq"}`` with the status
    they showed; the browser says "saving" until then, and "not saved" (keeping the
    participant's text) when no acknowledgement comes.
    """

    _esm, _css = widget_code(_forms_esm(), FORMS_CSS)
    form = traitlets.Unicode("fields").tag(sync=True)
    texts = traitlets.Dict().tag(sync=True)
    disabled = traitlets.Bool(False).tag(sync=True)
    status = traitlets.Unicode("").tag(sync=True)
    status_kind = traitlets.Unicode("").tag(sync=True)
    # bumped with every status, so the same words twice ("saved", "saved") are shown and announced twice
    status_seq = traitlets.Int(0).tag(sync=True)
    #: where the browser keeps unsent text of this form ("": not kept), e.g. "CODE:activity:post"
    draft_key = traitlets.Unicode("").tag(sync=True)

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self._callbacks: list[Callable[[Any, dict], None]] = []
        self._sid: str | None = None
        self._outcome: tuple[str, str] | None = None
        self.on_msg(self._on_custom_msg)

    @property
    def submission_id(self) -> str:
        """The browser's id of the action being handled, else a fresh one: the store's
        idempotency key, so an action the browser sends again is stored once."""
        return self._sid or uuid.uuid4().hex

    def _acknowledged(self, content: dict, action: Callable[[], None]) -> None:
        """Run ``action`` (the handlers), then acknowledge ``content["sid"]`` with its outcome."""
        sid = content.get("sid")
        sid = sid if isinstance(sid, str) and _SID.fullmatch(sid) else None
        self._sid, self._outcome = sid, None
        failed = False
        try:
            action()
        except Exception:  # logged on the server; the browser hears only "not saved"
            log.exception("handling a %s from the browser failed", content.get("type"))
            failed = True
        finally:
            outcome, self._sid, self._outcome = self._outcome, None, None
        if sid is not None:
            text, kind = ("", "failed") if failed else outcome or ("", "none")
            self.send({"type": "ack", "sid": sid, "status": text, "kind": kind, "seq": self.status_seq})

    def _register(self, callback: Callable[[Any, dict], None], remove: bool) -> None:
        if remove:
            self._callbacks.remove(callback)
        else:
            self._callbacks.append(callback)

    def _emit(self, payload: dict) -> None:
        for callback in list(self._callbacks):
            callback(self, payload)

    def show_status(self, text: str, kind: str = "ok") -> None:
        """Show ``text`` in the status line (read out by screen readers)."""
        with self.hold_sync():
            self.status = text
            self.status_kind = kind
            self.status_seq += 1
        self._outcome = (text, kind)

    def _on_custom_msg(self, _widget: Any, content: dict, _buffers: Any) -> None:
        raise NotImplementedError


class _SubmittingForm(_MessagingWidget):
    """A form that sends its values to Python on submit."""

    def on_submit(self, callback: Callable[[Any, dict], None], remove: bool = False) -> None:
        """Call ``callback(form, value)`` when the participant submits."""
        self._register(callback, remove)

    def submit(self, value: dict | None = None) -> None:
        """Submit as the browser would (``value`` defaults to the current value)."""
        self._emit(dict(self.value if value is None else value))

    def _on_custom_msg(self, _widget: Any, content: dict, _buffers: Any) -> None:
        if isinstance(content, dict) and content.get("type") == "submit":
            value = content.get("value")

            def run() -> None:
                if not self.disabled:
                    self.submit(self._coerce(value if isinstance(value, dict) else {}))

            self._acknowledged(content, run)

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
    cleared = traitlets.Int(0).tag(sync=True)

    def clear(self) -> None:
        """Empty the text fields in the browser (after a post), keeping choices."""
        self.cleared += 1

    def _coerce(self, value: dict) -> dict:
        names = {f["name"]: f.get("maxlength", 280 if f.get("type") == "textarea" else 60) for f in self.fields}
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


class ChoiceForm(_SubmittingForm):
    """Options per layer: ``mode`` single (radios), multi (checkboxes), dots (a dot vote) or
    allocation (points that add up to ``total``).

    ``value`` maps ``"layer|option"`` to a number (1 for a chosen option, dots or points).
    ``options`` and ``layers`` are lists of ``{"id", "label", "hint"?}``; ``texts`` carries
    ``title``, ``prompt``, ``submit`` and ``sum`` (``{used}``, ``{total}``, ``{left}``).
    """

    form = traitlets.Unicode("choice").tag(sync=True)
    mode = traitlets.Enum(["single", "multi", "dots", "allocation"], "single").tag(sync=True)
    options = traitlets.List().tag(sync=True)
    layers = traitlets.List().tag(sync=True)
    dots = traitlets.Int(3).tag(sync=True)
    total = traitlets.Int(100).tag(sync=True)
    value = traitlets.Dict().tag(sync=True)

    @property
    def budget(self) -> int:
        """What one layer may add up to (dots or points); 0 for single and multi choice."""
        return {"dots": self.dots, "allocation": self.total}.get(self.mode, 0)

    def _coerce(self, value: dict) -> dict:
        layers = [layer["id"] for layer in self.layers] or [""]
        options = [o["id"] for o in self.options]
        keys = {f"{layer}|{option}" for layer in layers for option in options}
        top = self.budget or 1
        out: dict[str, int] = {}
        for key, number in value.items():
            try:
                number = int(number)
            except (TypeError, ValueError):
                continue
            if key in keys and 0 <= number <= top:
                out[key] = number
        if self.mode == "single":  # one per layer: a crafted message with two keeps neither
            for layer in layers:
                chosen = [k for k in out if k.startswith(f"{layer}|") and out[k]]
                if len(chosen) > 1:
                    for k in chosen:
                        del out[k]
        return out


def _wall_wire(items: list[dict], widget: Any = None) -> str:
    """A wall's items as the browser gets them: in the order they were posted (``seq``), without
    their +1s, which go apart in ``votes`` and ``voted``: a +1 then sends only the counts.

    One JSON text rather than a list of objects: ipywidgets walks every value of a state it sends
    (looking for binary buffers), which for a wall of hundreds of highlights cost each phone's
    kernel more than the wall's own reading at a reveal. The text just compared for sending
    (:meth:`WallView._should_send_property`) is the one sent."""
    if widget is not None and getattr(widget, "_items_sent_for", None) is items:
        return widget._items_sent
    order = sorted(range(len(items)), key=lambda i: items[i].get("seq", i))
    return json.dumps([{k: v for k, v in items[i].items() if k not in ("votes", "voted", "seq")} for i in order],
                      ensure_ascii=False, separators=(",", ":"))


class WallView(_MessagingWidget):
    """The highlights wall: a list whose buttons depend on ``mode``.

    ``items`` is a list of ``{"id", "text", "tag", "tag_label", "votes", "voted", "mine",
    "pinned", "hidden", "author", "merged_count", "seq"}`` (``seq``: the order they were posted
    in). The browser gets the items without their +1s and in the order posted; ``votes`` and
    ``voted`` carry the +1s, and the browser sorts (pinned first, then by +1s, then oldest first).
    So a +1 sends the counts, not the wall again. Actions from the browser reach the callbacks
    given to :meth:`on_action` as ``(view, {"type": ..., "item": ..., ...})``.
    """

    form = traitlets.Unicode("wall").tag(sync=True)
    mode = traitlets.Enum(["participant", "mine", "facilitator", "screen"], "participant").tag(sync=True)
    items = traitlets.List().tag(sync=True, to_json=_wall_wire)
    #: item id -> its +1s (items without any are left out), kept in step with ``items``
    votes = traitlets.Dict().tag(sync=True)
    #: the ids of the items this viewer has +1'd, kept in step with ``items``
    voted = traitlets.List().tag(sync=True)
    tags = traitlets.List().tag(sync=True)
    max_length = traitlets.Int(280).tag(sync=True)
    votes_shown = traitlets.Bool(True).tag(sync=True)

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self._items_sent = _wall_wire(self.items)
        self._items_sent_for = self.items

    @traitlets.observe("items")
    def _split_votes(self, change: dict) -> None:
        items = change["new"]
        with self.hold_sync():  # one message for both
            self.votes = {i["id"]: int(i["votes"]) for i in items if i.get("votes")}
            self.voted = [i["id"] for i in items if i.get("voted")]

    def _should_send_property(self, key: str, value: Any) -> bool:
        # items that differ only in their +1s (or order) are the same on the wire: not sent again
        if key == "items":
            wire = _wall_wire(value)
            if wire == getattr(self, "_items_sent", None):
                return False
            self._items_sent, self._items_sent_for = wire, value
        return super()._should_send_property(key, value)

    def on_action(self, callback: Callable[[Any, dict], None], remove: bool = False) -> None:
        """Call ``callback(view, action)`` for each vote, edit, withdrawal or moderation."""
        self._register(callback, remove)

    def act(self, action: dict) -> None:
        """Act as the browser would (tests use this)."""
        self._emit(action)

    def _on_custom_msg(self, _widget: Any, content: dict, _buffers: Any) -> None:
        if not isinstance(content, dict):
            return
        known = {item["id"] for item in self.items}

        def run() -> None:
            if content.get("item") in known and content.get("type") in ("vote", "edit", "withdraw", "moderate"):
                self.act({k: content[k] for k in ("type", "item", "on", "text", "tag", "action", "target") if k in content})

        self._acknowledged(content, run)


class Countdown(anywidget.AnyWidget):
    """The facilitator's timer, counting down in the browser from ``seconds`` (None: hidden)."""

    _esm, _css = widget_code(_STATIC / "countdown.js", FORMS_CSS)
    seconds = traitlets.Int(None, allow_none=True).tag(sync=True)
    stamp = traitlets.Int(0).tag(sync=True)
    label = traitlets.Unicode("").tag(sync=True)
    done_label = traitlets.Unicode("").tag(sync=True)

    def set_seconds(self, seconds: int | None) -> None:
        """Restart the countdown at ``seconds`` left (None hides it)."""
        with self.hold_sync():
            self.seconds = seconds
            self.stamp += 1

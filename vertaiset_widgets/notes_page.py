"""The note-taker's page of a Puimala (``osallistu.ipynb?session=CODE&view=notes&key=K``).

The note-taker writes the forum's notes per agenda block (the running block chosen first),
and outside the plan under "Yleistä". A block's notes save a few seconds after typing stops
and with the button; what is typed and not yet saved is kept in the browser, so a reload
or a new kernel gives it back. The key is the note-taker's own (``store.new_notes_key``):
it opens this page and nothing else. Light: no pandas, no altair.
"""
from __future__ import annotations

import html
import logging

import ipywidgets as W
import traitlets

from .attempts import AttemptGuard
from .config import PageParams
from .content import Content, load_content
from .errors import VertaisetInputError, VertaisetTooManyAttemptsError
from .assets import widget_code
from .forms import FORMS_CSS, ConnectionGuard, FieldsForm, _forms_esm
from .i18n import Translator
from .live import ChangeFeed, Poller
from .revisions import SESSION_KEY
from .store import SessionInfo, SessionStore
from .store.agenda import block_name, running_block
from .store.puimala import MAX_NOTES, NOTES_KEY

__all__ = ["NotesForm", "NotesPage"]

log = logging.getLogger("vertaiset")

# The labelled fields form (forms.js) with one thing more: a submit of its own a moment after
# typing stops. What is typed is kept in the browser's drafts until its save is acknowledged.
_AUTOSAVE_JS = """
export default {
  render(ctx) {
    const done = vtFieldsView.render(ctx);
    const form = ctx.el.querySelector("form");
    let timer = null;
    const later = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => {
        timer = null;
        if (form && form.isConnected && !ctx.model.get("disabled")) form.requestSubmit();
      }, ctx.model.get("autosave_ms") || 3000);
    };
    if (form) form.addEventListener("input", later);
    return () => { window.clearTimeout(timer); if (typeof done === "function") done(); };
  },
};
"""


class NotesForm(FieldsForm):
    """A :class:`~vertaiset_widgets.forms.FieldsForm` that also submits ``autosave_ms`` after typing stops."""

    _esm, _css = widget_code(_forms_esm().replace("export default {", "const vtFieldsView = {", 1) + _AUTOSAVE_JS, FORMS_CSS)
    autosave_ms = traitlets.Int(3000).tag(sync=True)


class NotesPage(W.VBox):
    """Write the forum's notes, block by block.

    Parameters
    ----------
    params : PageParams
        ``session`` (join code), ``key`` (the note-taker's), ``lang``, ``db_url``.
    content : Content, optional
        Loaded templates (default: :func:`load_content`).
    store : SessionStore, optional
        Default: a store on ``params.db_url``.
    poll_interval : float
        Seconds between looks for changes to the plan and the notes.
    """

    def __init__(self, params: PageParams, *, content: Content | None = None, store: SessionStore | None = None,
                 poll_interval: float = 2.0):
        super().__init__()
        self.add_class("vt-page")
        self.add_class("vt-notes-page")
        self.params = params
        self.content = content or load_content()
        self.tr = Translator.create(self.content, params.lang)
        self.store = store or SessionStore(params.db_url or None)
        self.session: SessionInfo | None = None
        self.forms: dict[str, NotesForm] = {}
        self._drawing = False
        self.guard = ConnectionGuard(texts={k: self.tr(k) for k in (
            "connection_lost", "saving", "not_saved", "not_saved_offline", "draft_restored", "not_sent_closed")})
        self._header = W.HTML(f"<h1>{html.escape(self.tr('pf_notes_title'))}</h1>")
        self._message = W.HTML()
        self.children = [self.guard, self._header, self._message]
        self.session = self._open(params)
        if self.session is None:
            return
        self._header.value = (f"<h1>{html.escape(self.tr('pf_notes_title'))}: {html.escape(self.session.title)}</h1>"
                              f"<p class='vt-help'>{html.escape(self.tr('pf_notes_help'))}</p>")
        self.block_picker = W.Dropdown(description=self.tr("pf_notes_block_label"), style={"description_width": "initial"},
                                       layout=W.Layout(width="auto"))  # a phone's width: the list narrows to fit
        self.block_picker.observe(self._on_block_change, "value")
        self._forms_box = W.VBox()
        self._changes = ChangeFeed(self.store, self.session.id)
        self._poller = Poller(lambda: self.store.revision(self.session.id), self._refresh, interval=poll_interval)
        self.children = [self.guard, self._header, self._message, self.block_picker, self._forms_box]
        self._poller.check()
        self._poller.start()

    def _open(self, params: PageParams) -> SessionInfo | None:
        """The session, when the code and the note-taker's key are right; else a message."""
        guard = AttemptGuard(self.store, "join")  # a code in the address is a guess like a typed one
        try:
            wait = guard.wait()
            if wait:
                raise VertaisetTooManyAttemptsError(wait)
            session = self.store.find_session(params.session) if params.session else None
            if session is None:
                guard.failed()
            elif self.store.check_notes_key(session.id, params.key):
                return session
        except VertaisetTooManyAttemptsError as exc:
            self._show_message(self.tr("too_many_attempts", seconds=exc.seconds))
            return None
        self._show_message(self.tr("pf_notes_wrong_key"))
        return None

    # ------------------------------------------------------------------ drawing
    def _refresh(self) -> None:
        assert self.session is not None
        with self._changes.changes() as keys:
            if keys is None or SESSION_KEY in keys:
                self._draw_blocks()
            if keys is None or NOTES_KEY in keys:
                notes = self.store.notes(self.session.id)
                for block, form in self.forms.items():  # another note-taker's save; typing in the browser stays
                    note = notes.get(block)
                    if note is not None and form.value.get("body") != note.body:
                        form.value = {"body": note.body}

    def _draw_blocks(self) -> None:
        """The plan's blocks (the running one marked and, the first time, chosen) and "Yleistä"."""
        assert self.session is not None
        blocks = self.store.agenda_blocks(self.session.id)
        running = running_block(blocks)
        options = []
        for block in blocks:
            name = block_name(block, self.tr)
            if running is not None and block.key == running.key:
                name = self.tr("pf_notes_running", name=name)
            options.append((name, block.key))
        options.append((self.tr("pf_general_block"), ""))
        current = self.block_picker.value if self.block_picker.options else None
        keys = [key for _, key in options]
        if current not in keys:
            current = running.key if running is not None else keys[0]
        self._drawing = True  # the picker's value moves while its options change: no form for that
        try:
            self.block_picker.options = options
            self.block_picker.value = current
        finally:
            self._drawing = False
        self._show_block(current)
        names = {key: name for name, key in options}
        for key, form in self.forms.items():  # a renamed block: its field's label follows
            label = self.tr("pf_notes_label", block=names.get(key, self.tr("pf_other_block")))
            if form.fields[0]["label"] != label:
                form.fields = [{**form.fields[0], "label": label}]

    def _on_block_change(self, change: dict) -> None:
        if change["new"] is not None and not self._drawing:
            self._show_block(change["new"])

    def _show_block(self, key: str) -> None:
        """Show the form of the block ``key`` (made the first time); the others stay, hidden,
        with what was typed in them."""
        assert self.session is not None
        form = self.forms.get(key)
        if form is None:
            name = dict((k, n) for n, k in self.block_picker.options).get(key, self.tr("pf_general_block"))
            note = self.store.notes(self.session.id).get(key)
            form = NotesForm(
                fields=[{"name": "body", "label": self.tr("pf_notes_label", block=name), "type": "textarea",
                         "rows": 14, "maxlength": MAX_NOTES}],
                texts={"submit": self.tr("pf_notes_save")},
                value={"body": note.body if note else ""},
                draft_key=f"{self.session.code}:notes:{key or '-'}",
            )
            form.add_class("vt-card")
            form.on_submit(lambda f, value, block=key: self._on_save(block, f, value))
            self.forms[key] = form
            self._forms_box.children = (*self._forms_box.children, form)
        for k, other in self.forms.items():
            other.layout.display = None if k == key else "none"

    @property
    def form(self) -> NotesForm:
        """The form of the block chosen now."""
        return self.forms[self.block_picker.value]

    # ------------------------------------------------------------------ saving
    def _on_save(self, block: str, form: NotesForm, value: dict) -> None:
        assert self.session is not None
        tr = self.tr
        body = str(value.get("body", ""))
        try:
            if not self.store.check_notes_key(self.session.id, self.params.key):  # a new key: this link is done
                form.show_status(tr("pf_notes_wrong_key"), "error")
                self._show_message(tr("pf_notes_wrong_key"))
                for each in self.forms.values():
                    each.disabled = True
                return
            note = self.store.write_notes(self.session.id, block, body)
        except VertaisetTooManyAttemptsError as exc:
            form.show_status(tr("too_many_attempts", seconds=exc.seconds), "error")
            return
        except VertaisetInputError as exc:
            key = "pf_notes_too_long" if exc.code == "too_long" else "pf_notes_block_gone"
            form.show_status(tr(key, limit=MAX_NOTES), "error")
            return
        except Exception:  # a busy or unreachable database: said in words, logged on the server
            log.exception("saving notes failed")
            form.show_status(tr("save_failed"), "error")
            return
        form.value = {"body": note.body}
        local = note.created_at.astimezone()
        form.show_status(tr("saved_at", time=f"{local.hour}.{local.minute:02d}" if tr.lang != "en"
                            else f"{local.hour}:{local.minute:02d}"), "ok")

    def _show_message(self, text: str) -> None:
        self._message.value = f"<p class='vt-error' role='alert'>{html.escape(text)}</p>" if text else ""

    @property
    def message(self) -> str:
        """The message above the page's content (plain text)."""
        import re

        return html.unescape(re.sub(r"<[^>]+>", "", self._message.value))

    def refresh(self) -> None:
        """Look at the store now instead of waiting for the next poll."""
        if self.session is not None:
            self._poller.check()

    def close(self) -> None:
        """Stop polling and close the widgets."""
        if self.session is not None:
            self._poller.stop()
        super().close()


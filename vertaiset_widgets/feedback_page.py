"""The public feedback page of a Puimala (``osallistu.ipynb?view=feedback&token=T``).

Anyone with the link may read the published notes and the comments others may see, and add
their own while the feedback period is open. The page finds its session by the link's token
alone and reaches nothing else: no other session, no answers, no participants, no controls
but the comment form. Light: no pandas, no altair.

The per-minute limit counts by a token kept in the browser (``localStorage``, the same widget
that keeps a participant's token, under the scope ``feedback``); until the browser has sent it,
a random token of this page's kernel stands in.
"""
from __future__ import annotations

import hashlib
import html
import logging
import secrets
from typing import Any

import ipywidgets as W

from .config import PageParams
from .content import Content, load_content
from .errors import VertaisetInputError
from .forms import BrowserToken, ConnectionGuard, FieldsForm
from .i18n import Translator
from .live import Poller
from .puimala_phone import date_text, lines_html, when_text
from .store import SessionInfo, SessionStore
from .store.agenda import block_name
from .store.puimala import MAX_FEEDBACK, FeedbackClosed, FeedbackTooFast, PuimalaInfo

__all__ = ["FeedbackPage", "notes_html"]

log = logging.getLogger("vertaiset")


def notes_html(store: SessionStore, session_id: int, tr: Translator, heading: str = "h3") -> str:
    """The forum's notes per agenda block (in the plan's order, "Yleistä" last) as escaped HTML."""
    notes = store.notes(session_id)
    blocks = store.agenda_blocks(session_id)
    order = [(b.key, block_name(b, tr)) for b in blocks] + [("", tr("pf_general_block"))]
    known = {key for key, _ in order}
    order += [(key, tr("pf_other_block")) for key in notes if key not in known]
    parts = []
    for key, name in order:
        note = notes.get(key)
        if note is None or not note.body:
            continue
        parts.append(f"<section class='vt-notes-block'><{heading}>{html.escape(name)}</{heading}>"
                     f"<p>{lines_html(note.body)}</p></section>")
    return "".join(parts)


class FeedbackPage(W.VBox):
    """Read a Puimala's published notes and others' comments; comment while the period is open.

    Parameters
    ----------
    params : PageParams
        ``token`` (the link's), ``lang``, ``db_url``.
    content : Content, optional
        Loaded templates (default: :func:`load_content`).
    store : SessionStore, optional
        Default: a store on ``params.db_url``.
    poll_interval : float
        Seconds between looks for new comments.
    """

    def __init__(self, params: PageParams, *, content: Content | None = None, store: SessionStore | None = None,
                 poll_interval: float = 3.0):
        super().__init__()
        self.add_class("vt-page")
        self.add_class("vt-feedback")
        self.params = params
        self.content = content or load_content()
        self.tr = Translator.create(self.content, params.lang)
        self.store = store or SessionStore(params.db_url or None)
        self.session: SessionInfo | None = None
        self.info: PuimalaInfo | None = None
        self.guard = ConnectionGuard(texts={k: self.tr(k) for k in (
            "connection_lost", "saving", "not_saved", "not_saved_offline", "draft_restored", "not_sent_closed")})
        self._header = W.HTML(f"<h1>{html.escape(self.tr('pf_feedback_heading'))}</h1>")
        self._message = W.HTML()
        self._notes = W.HTML()
        self._period = W.HTML()
        self._comments = W.HTML()
        self.form: FieldsForm | None = None
        self._kernel_token = secrets.token_hex(16)
        self.token_widget = BrowserToken(scope="feedback")
        self._poller = Poller(self._read_revision, self._refresh, interval=poll_interval)
        found = self.store.find_feedback(params.token)
        if found is None:
            self._show_message(self.tr("pf_unknown_link"), "error")
            self.children = [self.guard, self._header, self._message]
            return
        self.session, self.info = found
        self.form = FieldsForm(
            fields=[
                {"name": "body", "label": self.tr("pf_feedback_label"), "type": "textarea", "rows": 5,
                 "maxlength": MAX_FEEDBACK},
                {"name": "name", "label": self.tr("pf_name_label"), "maxlength": 60, "autocomplete": "name"},
            ],
            texts={"title": self.tr("pf_feedback_heading"), "help": self.tr("pf_feedback_intro"),
                   "submit": self.tr("pf_feedback_send")},
            # unsent words kept per link (never the join code: the link must not lead to the session)
            draft_key=f"feedback:{hashlib.sha256(params.token.encode()).hexdigest()[:16]}",
        )
        self.form.add_class("vt-card")
        self.form.on_submit(self._on_submit)
        self.children = [self.guard, self.token_widget, self._header, self._message, self._notes, self._period,
                         self.form, self._comments]
        self._poller.check()
        self._poller.start()

    @property
    def client_token(self) -> str:
        """The browser's token (for the per-minute limit), or this kernel's until it arrives."""
        return self.token_widget.token or self._kernel_token

    # ------------------------------------------------------------------ drawing
    def _read_revision(self) -> Any:
        assert self.session is not None and self.info is not None
        # the period opens and closes by the clock too: a page left open follows it
        return self.store.revision(self.session.id), self.info.feedback_state()

    def _refresh(self) -> None:
        assert self.session is not None
        info = self.store.puimala(self.session.id)
        if info is None or not info.feedback_token:  # the link was taken away (or the session purged)
            self._show_message(self.tr("pf_unknown_link"), "error")
            self.children = [self.guard, self._header, self._message]
            self._poller.stop()
            return
        self.session, self.info = self.store.session_by_id(self.session.id), info
        tr = self.tr
        self._header.value = (
            f"<h1>{html.escape(self.session.title)}</h1>"
            f"<p class='vt-muted'>{html.escape(tr('pf_held_on', date=date_text(self.session.held_on)))}</p>"
        )
        notes = notes_html(self.store, self.session.id, tr) if info.notes_published_at is not None else ""
        self._notes.value = (f"<section class='vt-card vt-notes'><h2>{html.escape(tr('pf_notes_published'))}</h2>"
                             f"{notes}</section>") if notes else ""
        state = info.feedback_state()
        self._period.value = f"<p class='vt-muted vt-period' role='status'>{html.escape(self._period_text(state))}</p>"
        assert self.form is not None
        self.form.layout.display = None if state == "open" else "none"
        self.form.disabled = state != "open"
        self._draw_comments()

    def _period_text(self, state: str) -> str:
        assert self.info is not None
        tr, info = self.tr, self.info
        if state == "not_yet":
            return tr("pf_feedback_not_yet", when=when_text(tr, info.feedback_opens))
        if state == "closed":
            return tr("pf_feedback_closed", when=when_text(tr, info.feedback_closes)) if info.feedback_closes \
                else tr("pf_feedback_closed_now")
        return tr("pf_feedback_open_until", when=when_text(tr, info.feedback_closes)) if info.feedback_closes else ""

    def _draw_comments(self) -> None:
        assert self.session is not None
        tr = self.tr
        items = []
        for comment in self.store.feedback(self.session.id, public=True):
            who = html.escape(comment.name or tr("pf_anonymous"))
            items.append(f"<li class='vt-feedback-item'><p class='vt-muted'>{who} · "
                         f"{html.escape(when_text(tr, comment.created_at))}</p><p>{lines_html(comment.body)}</p></li>")
        body = f"<ul class='vt-feedback-list'>{''.join(items)}</ul>" if items else \
            f"<p class='vt-muted'>{html.escape(tr('pf_no_comments'))}</p>"
        value = f"<section class='vt-card vt-comments'><h2>{html.escape(tr('pf_comments_heading'))}</h2>{body}</section>"
        if value != self._comments.value:
            self._comments.value = value

    def _show_message(self, text: str, kind: str = "") -> None:
        css = "vt-error" if kind == "error" else "vt-muted"
        self._message.value = f"<p class='{css}' role='alert'>{html.escape(text)}</p>" if text else ""

    # ------------------------------------------------------------------ sending
    def _on_submit(self, form: FieldsForm, value: dict) -> None:
        assert self.session is not None
        tr = self.tr
        try:
            self.store.add_feedback(self.session.id, self.client_token, value.get("body", ""),
                                    idem=form.submission_id, name=value.get("name") or None)
        except FeedbackClosed as exc:  # a page left open past the end (or before the start)
            when = when_text(tr, exc.opens if exc.state == "not_yet" else exc.closes)
            text = tr("pf_feedback_not_yet", when=when) if exc.state == "not_yet" else \
                tr("pf_feedback_closed", when=when) if when else tr("pf_feedback_closed_now")
            form.show_status(text, "error")
            self._show_message(text, "error")
            self.refresh()
            return
        except FeedbackTooFast as exc:
            form.show_status(tr("pf_feedback_too_fast", seconds=exc.seconds), "error")
            return
        except VertaisetInputError as exc:
            key = "pf_feedback_too_long" if exc.code == "too_long" else "pf_feedback_empty"
            form.show_status(tr(key, limit=MAX_FEEDBACK), "error")
            return
        except Exception:  # a busy or unreachable database: said in words, logged on the server
            log.exception("saving feedback failed")
            form.show_status(tr("save_failed"), "error")
            return
        assert self.info is not None
        form.clear()
        form.show_status(tr("pf_feedback_thanks_moderated" if self.info.feedback_premoderated else "pf_feedback_thanks"),
                         "ok")
        self._draw_comments()

    @property
    def message(self) -> str:
        """The message above the page's content (plain text)."""
        import re

        return html.unescape(re.sub(r"<[^>]+>", "", self._message.value))

    def refresh(self) -> None:
        """Look at the store now instead of waiting for the next poll."""
        self._poller.revision = None
        self._poller.check()

    def close(self) -> None:
        """Stop polling and close the widgets."""
        self._poller.stop()
        super().close()


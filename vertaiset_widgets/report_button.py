"""The console's "Lataa raportti": the session's report made during the event, from the answers so
far, and offered for download on the same page.

While the workshop is open the report is an interim one (it says "väliraportti" and when it was
made, also in its file name); once the workshop is closed it is the final report. It is made as
``vertaiset report`` makes it (papermill, in a kernel of its own, in a background thread so the
console stays live), without names, and offered as a ``data:`` link: nothing is left on the
server.
"""
from __future__ import annotations

import base64
import html
import logging
import tempfile
import threading
from datetime import datetime
from typing import TYPE_CHECKING, Any

import ipywidgets as W

from .shared_models import plain_box, plain_html, shared_layout

if TYPE_CHECKING:  # pragma: no cover
    from .workbook import Workbook

__all__ = ["ReportDownload"]

log = logging.getLogger("vertaiset")


class ReportDownload(W.VBox):
    """A button that makes the report, and the link that downloads it.

    Attributes
    ----------
    button : ipywidgets.Button
        "Lataa raportti"; disabled while a report is being made.
    status : ipywidgets.HTML
        What is happening (``role=status``), then the download link.
    """

    def __init__(self, workbook: "Workbook"):
        super().__init__(_dom_classes=("vt-report-download",), layout=shared_layout())
        self.wb = workbook
        tr = workbook.tr
        self.button = W.Button(description=tr("rp_download"), tooltip=tr("rp_download_hint"), icon="download",
                               layout=shared_layout())
        self.button.on_click(lambda _b: self.start())
        self.status = plain_html(self._status(""))  # what the button does is its tooltip; this says what happens
        row = plain_box([self.button, self.status], "vt-toolbar")
        self.children = [row]
        self._thread: threading.Thread | None = None

    @staticmethod
    def _status(text: str, *, busy: bool = False) -> str:
        return (f"<p class='vt-muted' role='status' aria-live='polite' data-vt-report-busy='{int(busy)}'>"
                f"{html.escape(text)}</p>")

    def start(self) -> threading.Thread | None:
        """Make the report in the background (one at a time); return the thread doing it."""
        if self._thread is not None and self._thread.is_alive():
            return self._thread
        self.button.disabled = True
        self.status.value = self._status(self.wb.tr("rp_download_busy"), busy=True)
        self._thread = threading.Thread(target=self._make, name="vertaiset-report", daemon=True)
        self._thread.start()
        return self._thread

    def _make(self) -> None:
        from .report import build_report

        wb, tr = self.wb, self.wb.tr
        try:
            session = wb.store.find_session(wb.session.code) if wb.session is not None else None
            if session is None:
                raise LookupError("no session")
            interim = datetime.now() if session.is_open else None
            with tempfile.TemporaryDirectory(prefix="vertaiset-report-") as folder:
                path = build_report(session.code, folder, lang=tr.lang, db_url=wb.store.url, interim=interim)
                data = base64.b64encode(path.read_bytes()).decode("ascii")
                name = path.name
            label = tr("rp_download_ready_interim", t=interim.strftime("%H.%M")) if interim else tr("rp_download_ready")
            self.status.value = (
                f"<p role='status' aria-live='polite' data-vt-report-busy='0'>"
                f"<a class='vt-download' download='{html.escape(name, quote=True)}' "
                f"href='data:text/html;base64,{data}'>{html.escape(label)}</a></p>"
            )
        except Exception:  # the facilitator gets words; the log gets the traceback
            log.exception("making the report on the console failed")
            self.status.value = self._status(tr("rp_download_failed"))
        finally:
            self.button.disabled = False

    def wait(self, timeout: float | None = None) -> Any:
        """Wait for the report being made (tests)."""
        if self._thread is not None:
            self._thread.join(timeout)
        return self.status.value

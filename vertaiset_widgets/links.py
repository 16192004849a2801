"""Links to a session's pages, and their QR codes."""
from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import urlencode

__all__ = ["SessionLinks", "public_base_url", "qr_svg", "qr_svg_data_uri", "qr_terminal"]

DEFAULT_PORT = 8866


def public_base_url() -> str:
    """The address phones in the room use: ``VERTAISET_PUBLIC_URL`` (set by ``vertaiset serve``)."""
    return os.environ.get("VERTAISET_PUBLIC_URL", f"http://127.0.0.1:{DEFAULT_PORT}").rstrip("/")


@dataclass(frozen=True)
class SessionLinks:
    """The participant's, facilitator's and screen's links for one session.

    Parameters
    ----------
    code : str
        The join code.
    key : str, optional
        The facilitator key (only the facilitator's link carries it).
    base_url : str, optional
        Default :func:`public_base_url`.
    workbook : str
        The phase workbook the facilitator and the screen open.
    lang : str
        Page language (``fi`` is the default and is left out of the links).
    """

    code: str
    key: str = ""
    base_url: str = ""
    workbook: str = "04_arviointi.ipynb"
    lang: str = "fi"

    def _url(self, notebook: str, **query: str) -> str:
        base = self.base_url.rstrip("/") if self.base_url else public_base_url()
        if self.lang and self.lang != "fi":
            query["lang"] = self.lang
        return f"{base}/voila/render/{notebook}?{urlencode(query)}"

    @property
    def participant(self) -> str:
        """``osallistu.ipynb?session=CODE``: one link for the whole day."""
        return self._url("osallistu.ipynb", session=self.code)

    @property
    def facilitator(self) -> str:
        """The phase workbook with the facilitator key."""
        return self._url(self.workbook, session=self.code, key=self.key)

    @property
    def screen(self) -> str:
        """The room's projector view (no controls)."""
        return self._url(self.workbook, session=self.code, role="screen")

    def as_dict(self) -> dict[str, str]:
        """The three links by name."""
        return {"participant_url": self.participant, "facilitator_url": self.facilitator, "screen_url": self.screen}


def qr_svg_data_uri(url: str, *, scale: int = 8) -> str:
    """A QR code of ``url`` as an SVG ``data:`` URI (no network, no image library)."""
    import segno

    return segno.make(url, error="m").svg_data_uri(scale=scale, dark="#000000", light="#ffffff", border=2)


def qr_svg(url: str, *, scale: int = 8) -> str:
    """A QR code of ``url`` as SVG text."""
    import io

    import segno

    buf = io.BytesIO()
    segno.make(url, error="m").save(buf, kind="svg", scale=scale, dark="#000000", light="#ffffff", border=2)
    return buf.getvalue().decode("utf-8")


def qr_terminal(url: str) -> str:
    """A QR code of ``url`` drawn with text blocks for a terminal."""
    import io

    import segno

    buf = io.StringIO()
    segno.make(url, error="m").terminal(out=buf, compact=True, border=2)
    return buf.getvalue()

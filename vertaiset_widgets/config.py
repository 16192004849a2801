"""Where things live, and the parameters a page runs with.

The database URL is resolved the same way by Voila kernels, papermill runs and the CLI:

1. the ``db_url`` parameter (notebook parameter or ``--db-url``), if not empty;
2. else the environment variable ``VERTAISET_DB_URL``;
3. else the SQLite file ``$VERTAISET_HOME/vertaiset.sqlite``, where ``VERTAISET_HOME``
   defaults to ``$XDG_DATA_HOME/vertaiset`` (usually ``~/.local/share/vertaiset``).
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import parse_qs

__all__ = ["PageParams", "cache_home", "default_db_url", "data_home", "remove_unused", "resolve_db_url", "ROLES", "DEMO_CODE"]

ROLES = ("participant", "facilitator", "screen", "report")
#: The pages ``osallistu.ipynb`` serves besides answering (see :attr:`PageParams.view`).
VIEWS = ("", "feedback", "notes", "bank")
#: The join code of the demo session that `vertaiset demo` seeds and that notebooks use by default.
DEMO_CODE = "DEMO"
#: The demo Puimala, seeded beside the demo day (``demo_puimala``).
DEMO_PUIMALA_CODE = "PUIMALA"

_CODE_RE = re.compile(r"^[A-Za-z0-9]{2,16}$")
_LANG_RE = re.compile(r"^[a-z]{2,3}$")


def remove_unused(folder: Path, pattern: str, days: float) -> None:
    """Remove a cache folder's files matching ``pattern`` not used (modified) for ``days`` days."""
    import time

    cutoff = time.time() - days * 86400
    for path in folder.glob(pattern):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            pass


def data_home() -> Path:
    """The folder of the default database (created on first use)."""
    env = os.environ.get("VERTAISET_HOME")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(xdg) / "vertaiset"


def cache_home() -> Path:
    """The machine's folder of derived, rebuildable files (``VERTAISET_CACHE``, else
    ``$XDG_CACHE_HOME/vertaiset``, usually ``~/.cache/vertaiset``): nothing of any session."""
    env = os.environ.get("VERTAISET_CACHE")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(xdg) / "vertaiset"


def default_db_url() -> str:
    """``VERTAISET_DB_URL``, or the SQLite file in :func:`data_home`."""
    env = os.environ.get("VERTAISET_DB_URL")
    if env:
        return env
    home = data_home()
    home.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{home / 'vertaiset.sqlite'}"


def resolve_db_url(db_url: str | None) -> str:
    """The explicit URL if given, else :func:`default_db_url`."""
    return db_url or default_db_url()


def normalize_code(code: str | None) -> str:
    """Join codes are case-insensitive: strip spaces and upper-case them."""
    return re.sub(r"[\s-]", "", code or "").upper()


def _served_by_voila() -> bool:
    """True in a kernel Voila started: it marks every one, preheated or not, with ``VOILA_PREHEAT``."""
    return "VOILA_PREHEAT" in os.environ


@dataclass(frozen=True)
class PageParams:
    """The parameters one page or report runs with.

    Built from the notebook's ``parameters`` cell, then overridden by the URL query when
    the notebook runs under Voila (Voila puts the query in ``QUERY_STRING``; papermill
    does not set it; a preheated kernel first waits here for its request, see
    :mod:`vertaiset_widgets.preheat`). ``from_query`` is True for every page Voila serves, even one whose
    URL has no query: such a page never gets the notebook's own ``role="report"``.
    """

    session: str = ""
    role: str = "facilitator"
    lang: str = "fi"
    key: str = ""
    db_url: str = ""
    from_query: bool = False
    #: which page ``osallistu.ipynb`` is: "" (answering), "feedback" (the public feedback link,
    #: with ``token``), "notes" (the note-taker, with ``session`` and its own ``key``) or "bank"
    #: (the practice bank, read-only)
    view: str = ""
    token: str = ""

    @classmethod
    def from_notebook(cls, *, query: str | None = None, **params: str) -> "PageParams":
        """Merge notebook parameters with the Voila query string (which wins).

        Parameters
        ----------
        query : str, optional
            The query string; defaults to ``os.environ["QUERY_STRING"]``.
        **params
            The notebook's parameters (``session``, ``role``, ``lang``, ``key``, ``db_url``).
        """
        known = {k: str(v) for k, v in params.items() if k in cls.__dataclass_fields__ and v is not None}
        base = cls(**known)
        if query is None:
            from .preheat import request_query

            query = request_query()  # a preheated kernel waits here for its request
        if query is None and _served_by_voila():
            query = ""  # a page Voila serves, though its query never came: still a served page
        if query is None:  # papermill or the CLI
            return base.cleaned()
        values = {k: v[-1] for k, v in parse_qs(query.lstrip("?")).items() if v}
        over: dict[str, object] = {"from_query": True}
        for name in ("session", "role", "lang", "key", "view", "token"):
            if name in values:
                over[name] = values[name]
        if "role" not in values:
            # A page opened by URL without a role is the facilitator's view (controls need the key).
            over["role"] = "facilitator" if base.role in ("report",) else base.role
        return replace(base, **over).cleaned()

    def cleaned(self) -> "PageParams":
        """Drop values that cannot be right (they would only reach a user as an error)."""
        lang = self.lang.lower() if _LANG_RE.match(self.lang.lower() or "") else "fi"
        role = self.role if self.role in ROLES else "facilitator"
        session = self.session.strip()
        session = normalize_code(session) if session and _CODE_RE.match(normalize_code(session)) else session
        view = self.view if self.view in VIEWS else ""
        return replace(self, lang=lang, role=role, session=session, view=view, token=self.token.strip()[:100])

    @property
    def code_is_wellformed(self) -> bool:
        """True when ``session`` looks like a join code."""
        return bool(_CODE_RE.match(self.session))

"""The Voila server that ``vertaiset serve`` runs: Voila with limits a room can rely on.

What it adds to Voila 0.5 (``python -m vertaiset_widgets.server`` takes Voila's options):

* **Kernel caps.** A page request takes a slot before Voila starts (or, with
  ``--preheat``, takes) a kernel for it; over the cap in total or for the client's address
  the request gets our own "the room is full" page (HTTP 503 with ``Retry-After``, in
  Finnish, Swedish and English from ``templates/ui.yaml``) and no kernel starts. The
  slot is freed when the kernel stops (its page closed, or culled when idle).
* **Limits that fit the caps.** The soft limit of open files is raised to the hard
  limit and the kernel manager's ZeroMQ context may open enough sockets for every kernel
  (libzmq's default of 1,023 sockets ran out at ~167 phones).
* **No bare 500.** Error pages come from our template's ``error.html`` (no outside
  request); a kernel that cannot start for want of resources gives the "room is full"
  page; ``/voila/templates/`` answers 404.
* **Content-Security-Policy** on every page: the server itself, inline scripts and
  styles (Voila's page needs them), ``data:``/``blob:`` images (QR codes) and modules
  (anywidget), and the websocket back to the same host. No outside origin.
* Page templates are compiled once per server, and the widgets' browser code is served once
  per browser (:mod:`server_assets`).
* The client address reaches the kernel as ``HTTP_X_VERTAISET_CLIENT`` (Voila's
  ``http_header_envs``), for :mod:`vertaiset_widgets.attempts`; behind a reverse proxy named
  in ``VERTAISET_TRUSTED_PROXIES``, the address the proxy forwards.
"""
from __future__ import annotations

import errno
import html
import json
import logging
import re
from functools import lru_cache
from typing import Any, Callable

import tornado.web
import zmq
from jupyter_core.utils import ensure_async
from jupyter_server.base.handlers import JupyterHandler
from traitlets import Integer
from voila.app import Voila
from voila.static_file_handler import TemplateStaticFileHandler
from voila.tornado.handler import TornadoVoilaHandler

from .preheat import REFILL_DELAY, RoomPools, pool_kernels_at_most, room_margin
from .server_assets import ASSETS_URL, AssetHandler, compile_modules, serve_widget_code, share_compiled_templates
from .limits import (
    DEFAULT_MAX_PER_ADDRESS,
    KernelLimiter,
    default_max_kernels,
    fit_to_open_files,
    raise_open_files_limit,
    raise_zmq_sockets,
    zmq_sockets_for,
)

__all__ = ["CLIENT_HEADER", "VertaisetVoila", "content_security_policy", "error_texts", "main"]

log = logging.getLogger("vertaiset")

#: The request header (set by the server, never taken from the client) that carries the
#: client's address into the kernel's environment as ``HTTP_X_VERTAISET_CLIENT``.
CLIENT_HEADER = "X-Vertaiset-Client"

_HOST_RE = re.compile(r"^[A-Za-z0-9.\-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$")


def content_security_policy(host: str | None = None) -> str:
    """The Content-Security-Policy of our pages: nothing outside this server.

    Parameters
    ----------
    host : str, optional
        The ``Host`` the page was asked from; its ``ws://`` and ``wss://`` addresses are
        named too (older Safari does not count websockets as ``'self'``).
    """
    connect = "'self'"
    if host and _HOST_RE.match(host):
        connect += f" ws://{host} wss://{host}"
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self' 'unsafe-inline' blob:",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            f"connect-src {connect}",
            "worker-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'self'",
        ]
    )


# ---------------------------------------------------------------------- error pages
_KIND_KEYS = {
    "room_full": ("room_full_title", "room_full_text"),
    "not_found": ("not_found_title", "not_found_text"),
    "error": ("error_page_title", "error_page_text"),
}
# Only when templates/ui.yaml cannot be read (the server checks it before it starts).
_FALLBACK_TEXTS = {"fi": ("Virhe", "Lataa sivu hetken päästä uudelleen."),
                   "sv": ("Fel", "Ladda om sidan om en stund."),
                   "en": ("Error", "Please reload the page in a moment.")}


@lru_cache(maxsize=1)
def _ui() -> tuple[tuple[str, ...], dict[str, dict[str, str]]]:
    from .content import load_content

    content = load_content()
    return tuple(content.languages), content.strings


def error_texts(status_code: int, kind: str | None = None, lang: str | None = None,
                seconds: int | None = None) -> list[dict[str, str]]:
    """Title and text of an error page in every language, ``lang`` (then Finnish) first.

    Parameters
    ----------
    status_code : int
        The HTTP status; 404 reads "not found", 503 "the room is full", others "error".
    kind : str, optional
        ``room_full``, ``not_found`` or ``error``, overriding what the status implies.
    lang : str, optional
        The language the page asked for (``?lang=``).
    seconds : int, optional
        When to try again (the room-full text names it).
    """
    kind = kind or {404: "not_found", 503: "room_full"}.get(status_code, "error")
    title_key, text_key = _KIND_KEYS.get(kind, _KIND_KEYS["error"])
    try:
        languages, strings = _ui()
        rows = [(lg, strings[title_key][lg], strings[text_key][lg]) for lg in languages]
    except Exception:  # noqa: BLE001 - an error page must render whatever is broken
        log.exception("templates/ui.yaml could not be read for an error page")
        rows = [(lg, t, x) for lg, (t, x) in _FALLBACK_TEXTS.items()]
    rows.sort(key=lambda r: r[0] != lang)  # stable: the asked language first, then ui.yaml's order
    values = {"seconds": seconds if seconds is not None else 30}
    return [{"lang": lg, "title": t, "text": x.format(**values) if "{" in x else x} for lg, t, x in rows]


def render_error_page(settings: dict[str, Any], status_code: int, *, kind: str | None = None,
                      lang: str | None = None, retry: int | None = None, status_message: str = "") -> str:
    """Our ``error.html`` rendered for ``status_code``; plain HTML if even that fails."""
    texts = error_texts(status_code, kind, lang, retry)
    try:
        template = settings["voila_jinja2_env"].get_template("error.html")
        return template.render(status_code=status_code, status_message=status_message, vt_texts=texts,
                               vt_retry=retry, base_url=settings.get("base_url", "/"))
    except Exception:  # noqa: BLE001
        log.exception("error.html could not be rendered")
        body = "".join(f"<h1 lang='{t['lang']}'>{html.escape(t['title'])}</h1><p lang='{t['lang']}'>"
                       f"{html.escape(t['text'])}</p>" for t in texts)
        return f"<!DOCTYPE html><html lang='{texts[0]['lang']}'><meta charset='utf-8'><body>{body}</body></html>"


class _OurErrorPages:
    """Mixin: HTML errors render our ``error.html`` in the page's language, under our CSP."""

    def set_default_headers(self) -> None:
        super().set_default_headers()  # type: ignore[misc]
        if not isinstance(self, JupyterHandler):  # Jupyter's handlers set it from settings["headers"]
            self.set_header("Content-Security-Policy", content_security_policy())  # type: ignore[attr-defined]

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        self.set_header("Content-Type", "text/html; charset=UTF-8")  # type: ignore[attr-defined]
        lang = self.get_argument("lang", None)  # type: ignore[attr-defined]
        self.finish(render_error_page(self.settings, status_code, lang=lang,  # type: ignore[attr-defined]
                                      status_message=self._reason))  # type: ignore[attr-defined]


# ---------------------------------------------------------------------- handlers
class _ClaimingKernelManager:
    """The kernel manager as one page request sees it: the kernel it starts or takes
    from a preheated pool is reported to ``claim`` (everything else passes through)."""

    def __init__(self, manager: Any, claim: Callable[[str], None], pools: RoomPools | None = None):
        self._manager = manager
        self._claim = claim
        self._pools = pools

    def __getattr__(self, name: str) -> Any:
        return getattr(self._manager, name)

    async def start_kernel(self, *args: Any, **kwargs: Any) -> str:
        kernel_id = await ensure_async(self._manager.start_kernel(*args, **kwargs))
        self._claim(kernel_id)
        return kernel_id

    async def get_rendered_notebook(self, *args: Any, **kwargs: Any) -> Any:
        if self._pools is not None and kwargs.get("notebook_name"):
            self._pools.before_take(kwargs["notebook_name"])  # Voila refills the pool as it takes a kernel
        result = await self._manager.get_rendered_notebook(*args, **kwargs)
        self._claim(result[2])  # (render_task, rendered_cache, kernel_id)
        return result


def _client_address(handler: tornado.web.RequestHandler) -> str:
    """The client's address: the TCP peer's, or behind a proxy named in ``$VERTAISET_TRUSTED_PROXIES``
    the one it puts in ``X-Forwarded-For`` (anyone else's header is ignored)."""
    from .attempts import forwarded_client

    request = handler.request
    return forwarded_client(request.remote_ip, request.headers.get("X-Forwarded-For"),
                            handler.settings.get("vertaiset_trusted_proxies", ()))


def _out_of_resources(exc: BaseException) -> bool:
    if isinstance(exc, zmq.ZMQError):
        return True
    return isinstance(exc, OSError) and exc.errno in (errno.EMFILE, errno.ENFILE, errno.ENOMEM, errno.EAGAIN)


class LimitedVoilaHandler(_OurErrorPages, TornadoVoilaHandler):
    """Voila's page handler, behind the kernel caps, with our CSP and error pages."""

    _ticket: int | None = None

    @property
    def limiter(self) -> KernelLimiter:
        return self.settings["vertaiset_limiter"]

    @property
    def client_address(self) -> str:
        return _client_address(self)

    @property
    def content_security_policy(self) -> str:
        return content_security_policy(self.request.host)

    @property
    def kernel_manager(self) -> Any:
        manager = self.settings["kernel_manager"]
        if self._ticket is None:
            return manager
        ticket = self._ticket
        return _ClaimingKernelManager(manager, lambda kernel_id: self.limiter.claim(ticket, kernel_id),
                                      self.settings.get("vertaiset_pools"))

    @tornado.web.authenticated
    async def get(self, path: str | None = None) -> None:
        address = self.client_address
        ticket = self.limiter.admit(address)
        if ticket is None:
            log.warning("room is full: no new kernel for %s (%d in use, cap %d total, %d per address)",
                        address, self.limiter.in_use(), self.limiter.max_total, self.limiter.max_per_address)
            self._room_full()
            return
        self._ticket = ticket
        # the kernel's environment learns the client's address; a client-sent value is replaced
        self.request.headers[CLIENT_HEADER] = address
        try:
            await super().get(path)
        except Exception as exc:
            if not _out_of_resources(exc) or self._headers_written:
                raise
            log.error("a kernel could not start for %s: %s", address, exc)
            self.clear()
            self._room_full()
        finally:
            self.limiter.release(ticket)

    def _room_full(self) -> None:
        retry = self.settings["vertaiset_retry_after"]
        self.set_status(503)
        self.set_header("Retry-After", str(retry))
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(render_error_page(self.settings, 503, kind="room_full", lang=self.get_argument("lang", None),
                                      retry=retry))


class SafeTemplateStaticFileHandler(_OurErrorPages, TemplateStaticFileHandler):
    """Voila's template static files; a path that is not ``TEMPLATE/static/FILE`` is a 404
    (Voila's own handler fails on it with a 500)."""

    def parse_url_path(self, path: str) -> str:
        parts = path.split("/", 2)
        if len(parts) < 3 or parts[1] != "static" or not parts[0] or not parts[2]:
            raise tornado.web.HTTPError(404)
        return super().parse_url_path(path)


class NotFoundHandler(_OurErrorPages, tornado.web.RequestHandler):
    """Every address no other handler serves: our 404 page."""

    def prepare(self) -> None:
        raise tornado.web.HTTPError(404)


class LimitsHandler(JupyterHandler):
    """``GET /vertaiset/api/limits``: kernels in use and the caps, as JSON (no addresses)."""

    @tornado.web.authenticated
    def get(self) -> None:
        limiter: KernelLimiter = self.settings["vertaiset_limiter"]
        address = _client_address(self)
        self.set_header("Content-Type", "application/json")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps({
            "kernels": len(list(self.settings["kernel_manager"].list_kernel_ids())),
            "in_use": limiter.in_use(),
            "in_use_by_you": limiter.in_use(address),
            "max_kernels": limiter.max_total,
            "max_kernels_per_address": limiter.max_per_address,
            "pools": pools.sizes() if (pools := self.settings.get("vertaiset_pools")) else {},
        }))


class CalendarFeedHandler(_OurErrorPages, tornado.web.RequestHandler):
    """``GET /vertaiset/calendar/<CODE>/<token>.ics``: the session's calendar, read-only, for a
    calendar program to follow (no key; a wrong code or token is the same 404)."""

    async def get(self, code: str, token: str) -> None:
        from tornado.ioloop import IOLoop

        from .calendar import session_calendar, token_matches
        from .config import normalize_code

        lang = self.get_argument("lang", "fi")
        if lang not in ("fi", "sv", "en"):
            lang = "fi"
        store = self.settings.get("vertaiset_store")
        if store is None:
            from .config import resolve_db_url
            from .store import SessionStore

            store = self.settings["vertaiset_store"] = SessionStore(resolve_db_url(None))
        code = normalize_code(code)

        def read() -> str | None:
            return session_calendar(store, code, lang) if token_matches(store, code, token) else None

        text = await IOLoop.current().run_in_executor(None, read)
        if text is None:
            raise tornado.web.HTTPError(404)
        self.set_header("Content-Type", "text/calendar; charset=utf-8")
        self.set_header("Content-Disposition", f'inline; filename="vertaiset-{code}.ics"')
        self.set_header("Cache-Control", "private, max-age=300")
        self.finish(text)


# ---------------------------------------------------------------------- the app
class VertaisetVoila(Voila):
    """Voila with kernel caps, raised process limits, our error pages and a CSP."""

    max_kernels = Integer(
        0,
        config=True,
        help="Kernels (open pages) the whole server runs at once; over it a page gets "
        "'the room is full' (HTTP 503). 0: sized from the available memory (~90 MiB per "
        "participant page, at most 250), and lowered to what the open-files limit allows.",
    )
    max_kernels_per_address = Integer(
        DEFAULT_MAX_PER_ADDRESS,
        config=True,
        help="Kernels one client address may hold at once (a facilitator opens several "
        "tabs). Phones behind one NAT address, or every page behind a reverse proxy, share "
        "one address: raise it or set 0 (no per-address cap) then.",
    )
    room_full_retry = Integer(20, config=True, help="Seconds in the room-full page's Retry-After (and its reload).")
    room = Integer(
        0,
        config=True,
        help="Phones the room holds: with --preheat_kernel=True, osallistu.ipynb keeps this many kernels "
        "and a tenth more ready before the room arrives, and past the room refills to keep that tenth "
        "(see vertaiset_widgets.preheat).",
    )
    preheat = Integer(
        0,
        config=True,
        help="With --preheat_kernel=True: ready kernels per console notebook (and per notebook without "
        "a room); 0: --pool_size, or the room's default (2, 1 under 10 phones).",
    )

    def initialize(self, argv: Any = None) -> None:
        super().initialize(argv)
        compile_modules()
        share_compiled_templates()
        self.asset_folder = serve_widget_code()
        envs = list(self.voila_configuration.http_header_envs)
        if CLIENT_HEADER not in envs:
            self.voila_configuration.http_header_envs = envs + [CLIENT_HEADER]
        open_files = self.open_files = raise_open_files_limit()
        pooled = self._preheated()
        # the room's own ready kernels become its pages; the margin and the consoles' pools come on top
        reserve = pooled - self.room if self.room else pooled
        wanted = self.max_kernels or max(4, default_max_kernels() - reserve)
        self.kernel_cap = max(1, fit_to_open_files(wanted + pooled, open_files) - pooled)
        if self.kernel_cap < wanted:
            self.log.warning("open files limit %d allows only %d kernels (asked %d, and %d in the pools)",
                             open_files, self.kernel_cap, wanted, pooled)
        if self.room > self.kernel_cap:
            self.log.warning("a room of %d is more than the %d pages the server runs at once", self.room, self.kernel_cap)
        self.zmq_sockets = zmq_sockets_for(self.kernel_cap + pooled)
        raise_zmq_sockets(zmq.Context.instance(), self.zmq_sockets)

    def _pool_notebooks(self) -> list[str]:
        from pathlib import Path

        if not self.root_dir:
            return []
        root = Path(self.root_dir)
        return sorted(str(p.relative_to(root)) for p in root.rglob("*.ipynb") if ".ipynb_checkpoints" not in str(p))

    def _preheated(self) -> int:
        """Kernels the pools hold ready at most, beside the pages in use (for the caps)."""
        if not self.voila_configuration.preheat_kernel:
            return 0
        notebooks = self._pool_notebooks()
        consoles = max(0, len(notebooks) - (1 if "osallistu.ipynb" in notebooks else 0)) if notebooks else 1
        preheat = self.preheat or self.voila_configuration.default_pool_size
        return pool_kernels_at_most(self.room, consoles, preheat)

    def _make_pools(self) -> RoomPools | None:
        if not self.voila_configuration.preheat_kernel or not hasattr(self.kernel_manager, "_pools"):
            return None
        from voila.request_info_handler import RequestInfoSocketHandler

        self.kernel_manager.fill_delay = REFILL_DELAY
        pools = RoomPools(self.kernel_manager, self._pool_notebooks(), room=max(0, self.room),
                          preheat=max(0, self.preheat or self.voila_configuration.default_pool_size),
                          ready=lambda kernel_id: kernel_id in RequestInfoSocketHandler._waiters)
        pools.tick()
        self.log.info("Vertaiset pools: %s", ", ".join(f"{nb} {pools.target(nb)}" for nb in pools.notebooks)
                      + (f" (a room of {self.room}, margin {room_margin(self.room)})" if self.room else ""))
        return pools

    def init_settings(self) -> dict[str, Any]:
        settings = super().init_settings()
        # the kernel manager's own context (not zmq.Context.instance()) holds every kernel's sockets
        raise_zmq_sockets(self.kernel_manager.context, self.zmq_sockets)
        settings["voila_jinja2_env"].globals["vt_error_texts"] = error_texts
        manager = self.kernel_manager
        settings["vertaiset_limiter"] = KernelLimiter(self.kernel_cap, max(0, self.max_kernels_per_address),
                                                      lambda: manager.list_kernel_ids())
        settings["vertaiset_retry_after"] = max(1, self.room_full_retry)
        self.pools = settings["vertaiset_pools"] = self._make_pools()  # Voila made its kernel manager just now
        if self.pools is not None:
            from tornado.ioloop import PeriodicCallback

            self._pool_ticker = PeriodicCallback(self.pools.tick, 500)
            self._pool_ticker.start()
        from .attempts import trusted_proxies

        try:
            settings["vertaiset_trusted_proxies"] = trusted_proxies()
        except ValueError as exc:  # a bad value stops the server here, named
            self.log.critical("%s", exc)
            self.exit(2)
        if settings["vertaiset_trusted_proxies"]:
            self.log.info("Vertaiset: X-Forwarded-For believed from %s", ", ".join(map(str, settings["vertaiset_trusted_proxies"])))
        settings["headers"] = {**settings.get("headers", {}), "Content-Security-Policy": content_security_policy()}
        settings["default_handler_class"] = NotFoundHandler
        self.log.info("Vertaiset limits: %d kernels in total, %s per address, %d ZeroMQ sockets, %d open files",
                      self.kernel_cap, self.max_kernels_per_address or "no cap", self.zmq_sockets, self.open_files)
        return settings

    def init_handlers(self) -> list:
        swap = {TornadoVoilaHandler: LimitedVoilaHandler, TemplateStaticFileHandler: SafeTemplateStaticFileHandler}
        handlers = []
        for spec in super().init_handlers():
            spec = list(spec)
            spec[1] = swap.get(spec[1], spec[1])
            handlers.append(tuple(spec))
        from jupyter_server.utils import url_path_join

        handlers.insert(0, (url_path_join(self.server_url, r"/vertaiset/api/limits"), LimitsHandler))
        from .calendar import FEED_PATH

        handlers.insert(0, (url_path_join(self.server_url, FEED_PATH), CalendarFeedHandler))
        if self.asset_folder:
            handlers.insert(0, (url_path_join(self.server_url, ASSETS_URL, "(.*)"), AssetHandler, {"path": self.asset_folder}))
        return handlers


def main(argv: list[str] | None = None) -> None:
    """Run the server (Voila's command line, plus ``--VertaisetVoila.*`` options)."""
    VertaisetVoila.launch_instance(argv)


if __name__ == "__main__":  # pragma: no cover
    main()

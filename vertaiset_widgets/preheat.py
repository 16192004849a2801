"""Preheated kernel pools: a page's kernel that starts before its request arrives.

``vertaiset serve --room N`` (or ``--preheat N``) turns on Voila's kernel pools. A pool
kernel runs its notebook as far as it can without a request: the import line of
``osallistu.ipynb`` and of every workbook loads the page's modules. Then
:meth:`PageParams.from_notebook <vertaiset_widgets.config.PageParams.from_notebook>` calls
:func:`request_query`, which blocks until Voila hands the kernel to a page request, and
reads that request's query (``voila.utils.wait_for_request``: Voila sends each request's
``QUERY_STRING`` and headers to the one kernel that serves it, over its
``/voila/query/<kernel id>`` websocket). Nothing opens the store, a session or the demo
before that. In a kernel started for its request, under papermill and in plain Python
nothing waits.

The server side (:class:`RoomPools`) decides how many kernels each notebook keeps ready:

* **the participant page** (``osallistu.ipynb``) of a room of N: N + margin ready before the
  room arrives (margin: a tenth of the room, at least 2), so the QR burst takes them without
  a single kernel starting beside it; once more than N phones have taken one, the pool
  refills so that the margin stays ready for latecomers and reloads. (A refill during the
  burst costs a whole kernel start, 1–1.5 CPU-seconds, while the room's pages are being
  served: at 200 phones in 30 s on 2 cores, 20 such refills were half of the kernels' CPU.)
* **every other notebook** (a console and its screen): a small pool of its own
  (:func:`console_pool_size`);
* at most :func:`warming_at_once` kernels start at once, so that a big pool fills before
  the room arrives without a kernel missing its start-up timeout.
"""
from __future__ import annotations

import logging
import math
import os
import sys
import time
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "PARTICIPANT_NOTEBOOK",
    "REFILL_DELAY",
    "RoomPools",
    "console_pool_size",
    "in_pool_kernel",
    "pool_kernels_at_most",
    "request_query",
    "room_margin",
    "warming_at_once",
]

log = logging.getLogger("vertaiset")

#: The phones' page; every other notebook is a console (and its screen).
PARTICIPANT_NOTEBOOK = "osallistu.ipynb"
#: Seconds a pool waits before it starts the kernel that replaces one a page took (Voila's
#: ``fill_delay``, 1 s by default): the page that took it gets the CPU first. A console's
#: replacement spends 1.3–1.9 CPU-seconds on its imports, which on two cores slowed the console
#: it replaced while that console was still being built and drawn (about 3 s).
REFILL_DELAY = 6.0
#: Seconds after which a kernel still starting counts as started (a failed start must not
#: hold the other pools back).
WARMING_GIVE_UP = 90.0


# ---------------------------------------------------------------------- the kernel side
def in_pool_kernel() -> bool:
    """True in a preheated kernel whose request has not arrived yet.

    Voila sets ``VOILA_PREHEAT=True`` in pool kernels (``False`` in a kernel started for its
    request) and ``VOILA_KERNEL_ID`` in every kernel it runs a notebook in; the request brings
    ``QUERY_STRING``.
    """
    return (os.environ.get("VOILA_PREHEAT") == "True" and bool(os.environ.get("VOILA_KERNEL_ID"))
            and "QUERY_STRING" not in os.environ)


def request_query() -> str | None:
    """The page request's query string; in a pool kernel, first wait for the request.

    Returns None outside Voila (papermill, the CLI). Voila's helper gives up quietly when it
    cannot reach the server (not listening yet while the pools fill at start-up, a busy
    moment): this tries again until the request has arrived, so a pool kernel never goes on
    without one.
    """
    if not in_pool_kernel():
        return os.environ.get("QUERY_STRING")
    _warm()

    pause, warned = 0.1, time.monotonic() + 30
    while "QUERY_STRING" not in os.environ:
        wait_for_request()
        if "QUERY_STRING" in os.environ:
            break
        if time.monotonic() > warned:
            print("vertaiset: a preheated kernel cannot reach the server for its request; trying again",
                  file=sys.stderr, flush=True)
            warned = time.monotonic() + 300
        time.sleep(pause)
        pause = min(2.0, pause * 2)
    return os.environ.get("QUERY_STRING")


def _request_url() -> str:
    """Where Voila hands this kernel its request: ``/voila/query/<kernel id>`` on the server (the
    environment variables ``voila.utils.wait_for_request`` reads)."""
    protocol = os.environ.get("VOILA_WS_PROTOCOL", "ws")
    host = os.environ.get("VOILA_APP_IP", "127.0.0.1")
    port = os.environ.get("VOILA_APP_PORT", "8866")
    base = os.environ.get("VOILA_WS_BASE_URL", os.environ.get("VOILA_SERVER_URL", "/"))
    return f"{protocol}://{host}:{port}{base}voila/query/{os.environ.get('VOILA_KERNEL_ID', '')}"


def _read_exactly(sock: Any, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise ConnectionError("the server closed the connection")
        data += chunk
    return data


def _receive_one_message(url: str, connect_timeout: float = 5.0) -> str | None:
    """One text message from a websocket (RFC 6455, client side): what Voila sends a pool kernel.

    Voila's own helper (``voila.utils.wait_for_request``) does the same with the ``websockets``
    package, but importing ``voila.utils`` loads Voila's server stack into the kernel (about 56 MiB
    more in every phone's kernel); this needs only the standard library. None when the server
    cannot be reached or closes first.
    """
    import base64
    import socket
    import struct
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "wss" else 80)
    try:
        sock = socket.create_connection((parts.hostname, port), timeout=connect_timeout)
        if parts.scheme == "wss":
            import ssl

            sock = ssl.create_default_context().wrap_socket(sock, server_hostname=parts.hostname)
        key = base64.b64encode(os.urandom(16)).decode("ascii")
        sock.sendall((f"GET {parts.path or '/'} HTTP/1.1\r\nHost: {parts.hostname}:{port}\r\nUpgrade: websocket\r\n"
                      f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode("ascii"))
        head = b""
        while b"\r\n\r\n" not in head:
            head += _read_exactly(sock, 1)
        if not head.startswith(b"HTTP/1.1 101"):
            sock.close()
            return None
        sock.settimeout(None)  # the request may be hours away: the room arrives when it arrives
        message = b""
        with sock:
            while True:
                first, second = _read_exactly(sock, 2)
                opcode, length = first & 0x0F, second & 0x7F
                if length == 126:
                    length = struct.unpack("!H", _read_exactly(sock, 2))[0]
                elif length == 127:
                    length = struct.unpack("!Q", _read_exactly(sock, 8))[0]
                payload = _read_exactly(sock, length) if length else b""
                if opcode == 0x8:  # close
                    return None
                if opcode == 0x9:  # ping: a pong with the same payload, masked as a client must
                    mask = os.urandom(4)
                    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload[:125]))
                    sock.sendall(bytes([0x8A, 0x80 | len(masked)]) + mask + masked)
                    continue
                if opcode in (0x0, 0x1, 0x2):
                    message += payload
                    if first & 0x80:  # the message's last frame
                        return message.decode("utf-8")
    except (OSError, ValueError, UnicodeDecodeError):
        return None


def wait_for_request() -> None:
    """Wait for the page request this pool kernel serves, and put its query string and headers
    into the environment (as ``voila.utils.wait_for_request`` does)."""
    import json

    message = _receive_one_message(_request_url())
    if message is None:
        return
    try:
        info = json.loads(message)
    except ValueError:
        return
    if isinstance(info, dict):
        for name, value in info.items():
            if isinstance(name, str) and isinstance(value, str):
                os.environ[name] = value


def _warm() -> None:
    """Do now what every request of this page would do first: read the templates (the same for
    every request; a broken one is said on the page later), and in a console's or screen's kernel
    (one that imported the workbook) load every kind's console and results and start the chart
    renderer, whose first picture costs more than half a second. A phone's kernel reads the
    templates' plain copy (no pydantic: :mod:`vertaiset_widgets.plain`), loads its
    light store (and on PostgreSQL its driver), nothing more than its page needs, and gives back
    the memory its imports freed."""
    console = "vertaiset_widgets.workbook" in sys.modules
    try:
        if console:
            from .content import load_content

            load_content()
        else:  # a phone's page reads the templates' plain copy, without pydantic
            from .content_kept import load_plain_content

            load_plain_content()
    except Exception:  # noqa: BLE001 - the page reports it when it opens
        return
    if not console:
        __import__(f"{__package__}.store.light")  # the store every phone's page opens: loaded before its request
        if os.environ.get("VERTAISET_DB_URL", "").startswith("postgresql"):
            try:
                __import__("psycopg")  # its driver too (the connection waits for the request)
            except ImportError:  # the page says what is missing when it opens
                pass
        _give_back_memory()
        return
    try:
        from . import chart_render, kinds
        from .content import templates_snapshot

        # the templates' models build their serializers when first used (``defer_build``): a console
        # records a new session's templates, so build them here rather than in its request
        templates_snapshot(load_content())
        for kind in kinds.all_kinds():
            for part in (kind.console, kind.results, kind.report, kind.tools):
                if part and ":" in part:
                    __import__(part.partition(":")[0])
        chart_render.register_theme()
        chart_render.warm_up()
    except Exception:  # noqa: BLE001 - a page draws (or says what is wrong) when its request comes
        pass


def _give_back_memory() -> None:
    """Return to the system the heap the imports freed (glibc keeps it by default), so that a phone's
    kernel does not hold it for the rest of its life. Elsewhere than glibc nothing happens."""
    import ctypes
    import gc

    gc.collect()
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        pass


# ---------------------------------------------------------------------- sizes
def room_margin(room: int) -> int:
    """Participant kernels kept ready beyond the room's own: a tenth of the room, at least 2."""
    return max(2, math.ceil(room / 10)) if room > 0 else 0


def console_pool_size(room: int) -> int:
    """Ready kernels per console notebook: 2 (a facilitator opens a workbook's console and its
    screen together); 1 for a room under 10 (memory of a small machine)."""
    if room <= 0:
        return 0
    return 1 if room < 10 else 2


def warming_at_once(cpus: int | None = None) -> int:
    """Kernels that may be starting at once: the CPU count, at least 2."""
    return max(2, cpus or os.cpu_count() or 2)


def pool_kernels_at_most(room: int, consoles: int, preheat: int = 0) -> int:
    """Kernels the pools hold ready at most (beside the pages in use): the room's own, its margin,
    and each console notebook's pool (``preheat`` overrides the console pools' size and is the
    participant pool's without a room)."""
    per_console = preheat or console_pool_size(room)
    participant = room + room_margin(room) if room else preheat
    return participant + per_console * consoles


# ---------------------------------------------------------------------- the server side
@dataclass
class RoomPools:
    """How many kernels each notebook's pool keeps, applied to Voila's kernel manager.

    Voila refills a pool (after a request took a kernel) up to
    ``kernel_pools_config[notebook]["pool_size"]``; :meth:`tick` sets those sizes, a few
    kernels at a time, towards :meth:`target`.

    Parameters
    ----------
    manager
        Voila's ``VoilaKernelManager`` (preheating on).
    notebooks : list of str
        The notebooks (relative to the server's root) that get a pool.
    room : int
        Phones the room holds (0: no room; ``preheat`` sizes every pool).
    preheat : int
        Ready kernels per console notebook (and per notebook without a room); 0: the room's default.
    ready : callable
        ``ready(kernel_id)``: True once a pool kernel waits for its request.
    """

    manager: Any
    notebooks: list[str]
    room: int = 0
    preheat: int = 0
    ready: Any = None
    warming_limit: int = field(default_factory=warming_at_once)
    _started: dict[str, float] = field(default_factory=dict)
    #: pool kernels that have waited for their request (one that stops waiting in the pool died)
    _waited: set[str] = field(default_factory=set)

    def target(self, notebook: str) -> int:
        """Ready kernels ``notebook`` should have now."""
        if notebook != PARTICIPANT_NOTEBOOK or not self.room:
            return self.preheat or console_pool_size(self.room)
        return max(room_margin(self.room), self.room + room_margin(self.room) - self.taken(notebook))

    def before_take(self, notebook: str) -> None:
        """A request is about to take a kernel of ``notebook``: lower the size Voila refills the pool
        to, if the room's pages and its margin are there once this one is taken."""
        if notebook != PARTICIPANT_NOTEBOOK or not self.room:
            return
        margin = room_margin(self.room)
        after = max(margin, self.room + margin - self.taken(notebook) - 1)
        current = self.manager.kernel_pools_config.get(notebook, {})
        if current.get("pool_size", 0) > after:
            self.manager.kernel_pools_config = {**self.manager.kernel_pools_config,
                                                notebook: {**current, "pool_size": after}}

    def taken(self, notebook: str) -> int:
        """Kernels from ``notebook``'s pool that serve a page now."""
        data = self.manager.notebook_data.get(notebook, {})
        alive = set(self.manager.list_kernel_ids())
        started = [k for k in data.get("kernel_ids", ()) if k in alive]
        return max(0, len(started) - len(self._pool_ids(notebook)))

    def _pool_ids(self, notebook: str) -> list[str]:
        ids = []
        for task in self.manager._pools.get(notebook, ()):
            if task.done() and not task.cancelled() and task.exception() is None:
                ids.append(task.result()["kernel_id"])
        return ids

    def warming(self) -> int:
        """Pool kernels still starting (not yet waiting for a request, nor finished)."""
        now = time.monotonic()
        count = 0
        for pool in self.manager._pools.values():
            for task in pool:
                key = str(id(task))
                self._started.setdefault(key, now)
                if now - self._started[key] > WARMING_GIVE_UP:
                    continue
                if not task.done():
                    count += 1
                    continue
                if task.cancelled() or task.exception() is not None:
                    continue
                content = task.result()
                if not (content["task"].done() or (self.ready and self.ready(content["kernel_id"]))):
                    count += 1
        live = {str(id(t)) for pool in self.manager._pools.values() for t in pool}
        self._started = {k: v for k, v in self._started.items() if k in live}
        return count

    def drop_failed(self) -> list[str]:
        """Take out of the pools the kernels a phone must never get, and stop them; return their ids.

        When many kernels start at once, one may die before its first reply: another process took
        a port it was given (jupyter_client picks free ports before the kernel binds them). Its
        slot would stay in the pool, and the request that took it would get a dead page. So would
        one whose kernel died while it waited (its wait for the request ends without one, or the
        server restarted it empty). :meth:`tick` refills the pool after them.
        """
        alive = set(self.manager.list_kernel_ids())
        dropped: list[str] = []
        for notebook, pool in self.manager._pools.items():
            for task in list(pool):
                if not task.done():
                    continue
                kernel_id, why = "", ""
                if task.cancelled() or task.exception() is not None:
                    why = f"did not start ({task.exception() if not task.cancelled() else 'cancelled'})"
                else:
                    content = task.result()
                    kernel_id, render = content["kernel_id"], content["task"]
                    waiting = bool(self.ready and self.ready(kernel_id))
                    if waiting:
                        self._waited.add(kernel_id)
                    if kernel_id not in alive:
                        why = "is gone"
                    elif render.done() and (render.cancelled() or render.exception() is not None):
                        why = f"failed ({render.exception() if not render.cancelled() else 'cancelled'})"
                    elif kernel_id in self._waited and not waiting:
                        why = "stopped waiting for its request"
                if not why:
                    continue
                pool.remove(task)
                self._waited.discard(kernel_id)
                dropped.append(kernel_id)
                log.warning("pool kernel %s of %s %s: taken out of the pool, a new one starts",
                            kernel_id or "(none)", notebook, why)
                if kernel_id in alive:
                    self._stop(kernel_id)
        self._waited &= {i for notebook in self.manager._pools for i in self._pool_ids(notebook)}
        return dropped

    def _stop(self, kernel_id: str) -> None:
        import asyncio

        async def stop() -> None:
            try:
                await self.manager.shutdown_kernel(kernel_id, now=True)
            except Exception:  # noqa: BLE001 - already gone
                log.debug("stopping the failed pool kernel %s", kernel_id, exc_info=True)

        asyncio.ensure_future(stop())

    def tick(self) -> None:
        """Take failed kernels out of the pools (:meth:`drop_failed`), then grow the pools towards
        their targets, at most ``warming_limit`` kernels starting at once; a pool above its target
        is left to shrink as requests take its kernels."""
        self.drop_failed()
        room_left = self.warming_limit - self.warming()
        config = dict(self.manager.kernel_pools_config)
        order = sorted(self.notebooks, key=lambda nb: nb != PARTICIPANT_NOTEBOOK)  # the phones first
        for notebook in order:
            have = len(self.manager._pools.get(notebook, ()))
            want = self.target(notebook)
            size = min(want, have + max(0, room_left))
            config[notebook] = {**config.get(notebook, {}), "pool_size": max(size, 0)}
            if size > have:
                room_left -= size - have
        self.manager.kernel_pools_config = config
        for notebook in order:
            if len(self.manager._pools.get(notebook, ())) < config[notebook]["pool_size"]:
                self.manager.fill_if_needed(delay=0, notebook_name=notebook)

    def sizes(self) -> dict[str, dict[str, int]]:
        """Per notebook: ready (waiting), in the pool, the target, taken (for the limits API)."""
        out = {}
        for notebook in self.notebooks:
            ids = self._pool_ids(notebook)
            out[notebook] = {
                "ready": sum(1 for k in ids if self.ready and self.ready(k)),
                "pool": len(self.manager._pools.get(notebook, ())),
                "target": self.target(notebook),
                "taken": self.taken(notebook),
            }
        return out

"""How many kernels one server runs, and the process limits that must fit them.

Every page Voila serves is a kernel (a process of its own, ~90 MiB for a participant's
page), so ``vertaiset serve`` caps them: in total, and per client address. This module
holds the pure parts — the bookkeeping of which address holds which kernel, the defaults
sized from the machine — and raises the two limits that ran out in a 200-phone run: the
process's open files (``RLIMIT_NOFILE``) and the ZeroMQ context's socket count
(``zmq.MAX_SOCKETS``, 1,023 by default, whatever the OS allows).

The Tornado and Voila glue lives in :mod:`vertaiset_widgets.server`.
"""
from __future__ import annotations

import itertools
import logging
from dataclasses import dataclass, field
from typing import Callable, Iterable

__all__ = [
    "DEFAULT_MAX_KERNELS",
    "DEFAULT_MAX_PER_ADDRESS",
    "KERNEL_MIB",
    "KernelLimiter",
    "available_memory_mib",
    "default_max_kernels",
    "fit_to_open_files",
    "raise_open_files_limit",
    "raise_zmq_sockets",
    "zmq_sockets_for",
]

log = logging.getLogger("vertaiset")

#: Memory of one participant page's kernel (measured: 53 MiB bare, ~90 MiB with our widgets).
KERNEL_MIB = 90
#: The total cap when the machine's memory would allow more (a big room, with margin).
DEFAULT_MAX_KERNELS = 250
#: Pages one client address may hold open at once: enough for a room of phones that reach the
#: server through one NAT address (a server on the internet), while one client still cannot
#: take the whole server.
DEFAULT_MAX_PER_ADDRESS = 60
#: ZeroMQ sockets the server process holds per kernel: the kernel manager's activity
#: watcher, the page's websocket channels (shell, iopub, stdin, control) and margin for a
#: reconnecting page.
SOCKETS_PER_KERNEL = 12
#: Open files per kernel in the server process (each ZeroMQ socket takes a descriptor for
#: its connection and one for its mailbox; measured 19 with the page's websocket open).
FILES_PER_KERNEL = 24
#: Files and sockets the server needs whatever the number of kernels.
_BASE_FILES = 256
_BASE_SOCKETS = 256


def available_memory_mib(meminfo: str = "/proc/meminfo") -> int | None:
    """The memory available for new processes (``MemAvailable``), in MiB; None when unknown."""
    try:
        with open(meminfo, encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) // 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def default_max_kernels(memory_mib: int | None = None) -> int:
    """The total cap: available memory / :data:`KERNEL_MIB`, at most :data:`DEFAULT_MAX_KERNELS`.

    Parameters
    ----------
    memory_mib : int, optional
        Available memory in MiB (default: read from ``/proc/meminfo``; when that cannot
        be read, :data:`DEFAULT_MAX_KERNELS`).
    """
    if memory_mib is None:
        memory_mib = available_memory_mib()
    if memory_mib is None:
        return DEFAULT_MAX_KERNELS
    return max(4, min(DEFAULT_MAX_KERNELS, memory_mib // KERNEL_MIB))


def zmq_sockets_for(max_kernels: int) -> int:
    """The ZeroMQ socket count that ``max_kernels`` kernels (plus preheated ones) need."""
    return max(1024, _BASE_SOCKETS + SOCKETS_PER_KERNEL * max_kernels)


def fit_to_open_files(max_kernels: int, open_files: int) -> int:
    """The largest cap not above ``max_kernels`` whose kernels fit in ``open_files`` descriptors."""
    fits = max(1, (open_files - _BASE_FILES) // FILES_PER_KERNEL)
    return max(1, min(max_kernels, fits))


def raise_open_files_limit() -> int:
    """Raise this process's soft limit of open files to its hard limit; return the soft limit."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = hard if hard != resource.RLIM_INFINITY else max(soft, 1 << 20)
    if soft == resource.RLIM_INFINITY or soft >= wanted:
        return soft if soft != resource.RLIM_INFINITY else 1 << 20
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    except (ValueError, OSError) as exc:  # a container may refuse
        log.warning("could not raise the open files limit from %s to %s: %s", soft, wanted, exc)
        return soft
    return wanted


def raise_zmq_sockets(context: object, sockets: int) -> bool:
    """Let ``context`` (a ``zmq.Context``) open ``sockets`` sockets.

    libzmq reads ``MAX_SOCKETS`` when the context opens its first socket, so this must
    run before any kernel starts. Returns False when the context already has sockets
    (the setting would then be ignored silently).
    """
    import zmq

    if getattr(context, "_sockets", None):
        log.warning("ZeroMQ context already has sockets: MAX_SOCKETS=%s comes too late", sockets)
        return False
    context.set(zmq.MAX_SOCKETS, sockets)  # type: ignore[attr-defined]
    return True


@dataclass
class KernelLimiter:
    """Which client address holds which kernel, and whether another page may start.

    A request first takes a ticket with :meth:`admit` (refused over a cap), then
    :meth:`claim` ties the kernel it took or started to its address, and :meth:`release`
    drops the ticket when the request ends. Kernels that are no longer alive (shut down
    by their page, culled when idle) free their slot at the next count.

    Parameters
    ----------
    max_total : int
        Kernels of pages in the whole server.
    max_per_address : int
        Kernels one client address may hold; 0: no per-address cap.
    live_kernels : callable
        Returns the ids of the kernels alive now (the kernel manager's ``list_kernel_ids``).
    """

    max_total: int
    max_per_address: int
    live_kernels: Callable[[], Iterable[str]]
    _owners: dict[str, str] = field(default_factory=dict)
    _pending: dict[int, str] = field(default_factory=dict)
    _tickets: "itertools.count[int]" = field(default_factory=itertools.count)

    def _prune(self) -> None:
        live = set(self.live_kernels())
        self._owners = {k: a for k, a in self._owners.items() if k in live}

    def in_use(self, address: str | None = None) -> int:
        """Kernels held (and requests starting one), by everyone or by ``address``."""
        self._prune()
        held = list(self._owners.values()) + list(self._pending.values())
        return len(held) if address is None else sum(1 for a in held if a == address)

    def admit(self, address: str) -> int | None:
        """A ticket for a request from ``address`` that may start a kernel, or None when full."""
        if self.in_use() >= self.max_total:
            return None
        if self.max_per_address and self.in_use(address) >= self.max_per_address:
            return None
        ticket = next(self._tickets)
        self._pending[ticket] = address
        return ticket

    def claim(self, ticket: int, kernel_id: str) -> None:
        """The request with ``ticket`` now holds ``kernel_id``."""
        address = self._pending.pop(ticket, None)
        if address is not None:
            self._owners[kernel_id] = address

    def release(self, ticket: int) -> None:
        """The request with ``ticket`` has ended (its kernel, if any, stays counted)."""
        self._pending.pop(ticket, None)

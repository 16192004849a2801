"""Keeping an open page in step with the store.

Every open page (participant, facilitator, screen) polls the session's revision number
— one indexed read — and redraws only when it has changed. The poll runs as a task on
the kernel's asyncio loop, so it goes on while the kernel waits for the browser.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Callable

__all__ = ["Poller"]

log = logging.getLogger("vertaiset")


class Poller:
    """Call ``on_change()`` whenever ``read_revision()`` returns a new value.

    Parameters
    ----------
    read_revision : callable
        Returns the current revision (cheap).
    on_change : callable
        Redraws; exceptions are logged, never shown to a participant, and polling goes on.
    interval : float
        Seconds between polls.
    """

    def __init__(self, read_revision: Callable[[], int], on_change: Callable[[], None], interval: float = 1.0):
        self._read = read_revision
        self._on_change = on_change
        self.interval = interval
        self.revision: int | None = None
        self._task: asyncio.Task | None = None

    def check(self) -> bool:
        """Poll once; return True when something changed (and ``on_change`` ran)."""
        try:
            revision = self._read()
        except Exception:  # a busy or restarting database: try again next time
            log.exception("reading the session revision failed")
            return False
        if revision == self.revision:
            return False
        self.revision = revision
        try:
            self._on_change()
        except Exception:
            log.exception("redrawing after a change failed")
        return True

    def start(self) -> None:
        """Start polling on the running event loop (a no-op where there is none, e.g. papermill)."""
        if self._task is not None:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        self._task = loop.create_task(self._run())

    def stop(self) -> None:
        """Stop polling."""
        if self._task is not None:
            self._task.cancel()
            self._task = None

    @property
    def running(self) -> bool:
        """True while the polling task is alive."""
        return self._task is not None and not self._task.done()

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            self.check()

"""Keeping an open page in step with the store.

Every open page (participant, facilitator, screen) polls the session's revision number
— one indexed read — and only when it has moved asks which activities changed
(:class:`ChangeFeed`: one more indexed read), to redraw just those. The poll runs as a task
on the kernel's asyncio loop, so it goes on while the kernel waits for the browser.
"""
from __future__ import annotations

import asyncio
import logging
import time
from contextlib import contextmanager
from typing import TYPE_CHECKING, Callable, Iterator

if TYPE_CHECKING:
    from .store import SessionStore

__all__ = ["ChangeFeed", "CountsLater", "Poller", "running_live"]

log = logging.getLogger("vertaiset")


def running_live() -> bool:
    """True while an event loop runs (a live page's kernel): a page that keeps following the room.
    Under papermill, in the CLI and in plain Python there is none, and a page is made whole."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


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
        before, self.revision = self.revision, revision
        try:
            self._on_change()
        except Exception:
            log.exception("redrawing after a change failed")
            self.revision = before  # try again at the next poll
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


class ChangeFeed:
    """Which activities of a session changed since a page last looked.

    Every write sets its activity's revision (or ``@session``, ``@people``) to the session's
    new revision in its own transaction, and the session's revisions are handed out one
    writer at a time, so the keys above the newest revision seen are exactly what changed.

    Parameters
    ----------
    store : SessionStore
    session_id : int
    """

    def __init__(self, store: "SessionStore", session_id: int):
        self.store = store
        self.session_id = session_id
        #: the newest revision whose changes the page has drawn (None: nothing drawn yet)
        self.seen: int | None = None

    @contextmanager
    def changes(self) -> Iterator[set[str] | None]:
        """The keys changed since the last look; None the first time (draw everything).

        Read them before reading what to draw: the first look notes the session's revision
        before the page draws, so a write that lands meanwhile comes again at the next look
        (drawn twice, never missed). When the block raises (a busy database), the same
        changes come again at the next look.
        """
        before = self.seen
        if self.seen is None:
            self.seen = self.store.revision(self.session_id)
            changed = None
        else:
            found = self.store.changes_since(self.session_id, self.seen)
            if found:
                self.seen = max(found.values())
            changed = set(found)
        try:
            yield changed
        except BaseException:
            self.seen = before
            raise

    def start(self) -> None:
        """Note the session's revision now: the page draws everything itself from here on."""
        self.seen = self.store.revision(self.session_id)

    def forget(self) -> None:
        """Draw everything at the next look."""
        self.seen = None


class CountsLater:
    """In a big room, counts on a phone (a wall's +1s) follow at a calmer pace than one poll.

    Each +1 changes the wall's ``votes`` part, and every phone that shows the wall re-reads its
    counts and sends them to its browser. With 200 phones and 40 +1s a second that is 200 walls
    sent every second, and the kernels that answer a phone's own tap wait behind them. So in
    a room of more than :attr:`CALM_FROM` people a part-only change waits until
    ``(people - CALM_FROM) / CALM_FROM`` seconds (at most :attr:`MOST`) have passed since the
    page's last counts; what opens, closes or is revealed, and a phone's own acknowledgement,
    never wait.

    Parameters
    ----------
    people : callable
        How many people the session has now (asked at most every :attr:`RECOUNT` seconds).
    """

    CALM_FROM = 40
    MOST = 5.0
    RECOUNT = 30.0

    def __init__(self, people: Callable[[], int]):
        self._people = people
        self._counted: tuple[float, int] | None = None
        self._last = 0.0
        #: activity -> parts waiting for their turn
        self.due: dict[str, set[str]] = {}

    def gap(self) -> float:
        """Seconds between one page's counts in this room (0: no waiting)."""
        now = time.monotonic()
        if self._counted is None or now - self._counted[0] > self.RECOUNT:
            try:
                self._counted = (now, int(self._people()))
            except Exception:  # a busy database: the room's size as last seen
                log.debug("counting the room failed", exc_info=True)
                self._counted = (now, self._counted[1] if self._counted else 0)
        people = self._counted[1]
        return 0.0 if people <= self.CALM_FROM else min(self.MOST, (people - self.CALM_FROM) / self.CALM_FROM)

    def waiting(self) -> bool:
        """True while this page's counts wait for their turn (the gap since the last has not passed)."""
        return time.monotonic() - self._last < self.gap()

    def keep(self, activity_id: str, parts: set[str]) -> None:
        """``activity_id``'s part-only change waits for the page's next turn."""
        self.due.setdefault(activity_id, set()).update(parts)

    def drawn(self) -> None:
        """Counts were drawn now: the next wait for the gap starts."""
        self._last = time.monotonic()

    def drop(self, activity_id: str) -> None:
        """``activity_id`` is drawn whole: its waiting parts are in that drawing."""
        self.due.pop(activity_id, None)

    def take(self) -> dict[str, set[str]]:
        """The waiting parts whose turn has come (and forget them); empty while they wait."""
        if not self.due or self.waiting():
            return {}
        due, self.due = self.due, {}
        return due

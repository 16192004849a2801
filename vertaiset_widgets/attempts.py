"""Guessing join codes and facilitator keys gets slower after a few failures.

Every page is its own kernel process, so the count of failures lives in the store (table
``attempts``), shared by every kernel of every server on that database. Failures are
counted per *subject*: the client's address, which ``vertaiset serve`` hands every kernel
as ``HTTP_X_VERTAISET_CLIENT`` (see :mod:`vertaiset_widgets.server`), and for keys also the
session. A page Voila serves without the address (a preheated kernel before its request
arrives, plain ``voila``) shares one subject ``*`` with every such page: a global limit.
Code that Voila does not serve (papermill, the CLI, a notebook) is not limited: it runs
for someone who can open the database anyway.

The rule: :data:`FREE_FAILURES` failures within :data:`WINDOW_SECONDS` cost nothing; after
that each attempt must wait :data:`FIRST_DELAY` seconds after the latest failure, doubling
with every further failure up to :data:`MAX_DELAY`. An attempt made too early is refused
with the seconds left (it is not checked, so a right guess during the wait is no use). At
most ~25 guesses per address fit in ten minutes, against a code space of 31^6.

The trade-off: phones behind one NAT address share a budget, so many honest typos in a
room whose phones share an address can make one of them wait a little (ten typos cost
nothing, and no wait is longer than a minute). Phones that
join by the QR code's link do not type a code at all.

Behind a reverse proxy every request comes from the proxy's address. ``vertaiset serve``
believes the proxy's ``X-Forwarded-For`` only when the request comes from an address in
:data:`TRUSTED_PROXIES_ENV` (:func:`forwarded_client`); a header from anyone else is ignored,
so a phone cannot pick its own address to dodge the limits.
"""
from __future__ import annotations

import hashlib
import ipaddress
import math
import os
from datetime import datetime, timedelta, timezone
from typing import Iterable, Protocol

from .errors import VertaisetTooManyAttemptsError

__all__ = [
    "CLIENT_ENV",
    "FREE_FAILURES",
    "WINDOW_SECONDS",
    "TRUSTED_PROXIES_ENV",
    "AttemptGuard",
    "client_address",
    "forwarded_client",
    "trusted_proxies",
    "wait_seconds",
]

#: The kernel's environment variable with the client's address (Voila's ``http_header_envs``).
CLIENT_ENV = "HTTP_X_VERTAISET_CLIENT"
#: The environment variable of ``vertaiset serve`` naming the reverse proxies whose
#: ``X-Forwarded-For`` it believes: addresses or networks, separated by commas or spaces.
TRUSTED_PROXIES_ENV = "VERTAISET_TRUSTED_PROXIES"
#: Failures within the window that cost nothing.
FREE_FAILURES = 10
#: How long a failure counts.
WINDOW_SECONDS = 600
#: The wait after the first failure beyond the free ones, doubling with each further one.
FIRST_DELAY = 2.0
#: The longest wait.
MAX_DELAY = 60.0


class _AttemptStore(Protocol):
    def record_attempt(self, scope: str, subject: str) -> None: ...

    def attempt_times(self, scope: str, subject: str, since: datetime) -> list[datetime]: ...


def client_address() -> str | None:
    """The address of the client this kernel serves; ``*`` in a page Voila serves without
    it; None outside Voila (papermill, the CLI), where nothing is limited."""
    address = (os.environ.get(CLIENT_ENV) or "").strip()[:100]
    if address:
        return address
    return "*" if "VOILA_PREHEAT" in os.environ else None  # Voila marks every kernel it starts


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def trusted_proxies(value: str | None = None) -> tuple[Network, ...]:
    """The proxies named in ``value`` (default: :data:`TRUSTED_PROXIES_ENV`), as networks.

    Raises
    ------
    ValueError
        An entry is not an address or a network (the message names it).
    """
    text = os.environ.get(TRUSTED_PROXIES_ENV, "") if value is None else value
    networks = []
    for item in text.replace(",", " ").split():
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ValueError(f"{TRUSTED_PROXIES_ENV}: {item!r} is not an IP address or network") from None
    return tuple(networks)


def _is_trusted(address: str, trusted: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip().strip("[]"))
    except ValueError:
        return False
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return any(ip in net for net in trusted)


def forwarded_client(peer: str | None, forwarded_for: str | None, trusted: tuple[Network, ...]) -> str:
    """The client's address as a server behind trusted proxies sees it.

    Parameters
    ----------
    peer : str
        The address the request came from (the TCP peer).
    forwarded_for : str, optional
        The request's ``X-Forwarded-For``: addresses, the client's first, each proxy
        appending the address it was reached from.
    trusted : tuple
        The proxies whose header is believed (:func:`trusted_proxies`).

    Returns the peer when it is not a trusted proxy; otherwise the nearest address in
    ``X-Forwarded-For`` that is not a trusted proxy (the rightmost: the ones left of it
    could be made up by the client), or the peer when the header is missing.
    """
    address = (peer or "").strip() or "?"
    if not trusted or not _is_trusted(address, trusted):
        return address
    hops = [h.strip() for h in (forwarded_for or "").split(",") if h.strip()]
    while hops:
        hop = hops.pop()
        if not _is_trusted(hop, trusted):
            return hop[:100]
        address = hop
    return address


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)


def wait_seconds(failures: Iterable[datetime], now: datetime) -> int:
    """Seconds to wait before the next attempt, given the times of earlier failures.

    Parameters
    ----------
    failures : iterable of datetime
        When attempts failed (naive values are taken as UTC).
    now : datetime
        The time of the attempt.
    """
    now = _utc(now)
    recent = sorted(t for t in map(_utc, failures) if (now - t).total_seconds() < WINDOW_SECONDS)
    if len(recent) < FREE_FAILURES:
        return 0
    delay = min(FIRST_DELAY * 2 ** (len(recent) - FREE_FAILURES), MAX_DELAY)
    left = (recent[-1] + timedelta(seconds=delay) - now).total_seconds()
    return max(0, math.ceil(left))


class AttemptGuard:
    """The failures of one kind of attempt (``scope``) by one client.

    Parameters
    ----------
    store : SessionStore
        Where failures are kept (shared by every kernel).
    scope : str
        ``join`` (join codes) or ``key`` (facilitator keys).
    subject : str, optional
        Whose attempts these are, stored only as a hash; default :func:`client_address`.
        Empty: nothing is limited (outside Voila).
    """

    def __init__(self, store: _AttemptStore, scope: str, subject: str | None = None):
        self.store = store
        self.scope = scope
        raw = subject if subject is not None else client_address()
        self.subject = hashlib.sha256(f"vertaiset-attempt|{scope}|{raw}".encode()).hexdigest()[:64] if raw else ""

    def wait(self, now: datetime | None = None) -> int:
        """Seconds before the next attempt may be checked (0: now)."""
        if not self.subject:
            return 0
        now = now or datetime.now(timezone.utc)
        since = now - timedelta(seconds=WINDOW_SECONDS)
        return wait_seconds(self.store.attempt_times(self.scope, self.subject, since), now)

    def check(self) -> None:
        """Raise :class:`VertaisetTooManyAttemptsError` when the client must wait."""
        seconds = self.wait()
        if seconds:
            raise VertaisetTooManyAttemptsError(seconds)

    def failed(self) -> None:
        """Count a failed attempt."""
        if self.subject:
            self.store.record_attempt(self.scope, self.subject)

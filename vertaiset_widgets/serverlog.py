"""In a kernel that Voila started, the package's log goes to the server's log.

Without a handler, Python writes a logged error to ``sys.stderr``, which in a kernel
is sent to the browser: a traceback with SQL, bound parameters and paths would reach
the participant's page. ``sys.__stderr__`` is the kernel process's own stderr, which
the Voila server shares, so the facilitator's terminal (Voila's log) shows it instead.
"""
from __future__ import annotations

import logging
import sys

__all__ = ["log_to_server"]


def log_to_server(name: str = "vertaiset") -> None:
    """Send the ``name`` logger's records to the process's real stderr, never to the page (once)."""
    logger = logging.getLogger(name)
    if any(getattr(handler, "vertaiset_server", False) for handler in logger.handlers):
        return
    stream = sys.__stderr__
    if stream is None:
        return
    handler = logging.StreamHandler(stream)
    handler.vertaiset_server = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter("[vertaiset kernel %(process)d] %(levelname)s | %(message)s"))
    logger.addHandler(handler)
    logger.propagate = False

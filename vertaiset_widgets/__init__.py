"""Vertaiset workbooks: live Jupyter workbooks for network collaboration workshops.

The participant's page imports only the light modules (``config``, ``content``,
``store``, ``participant``); pandas and altair load only for facilitator, screen and
report views.
"""
import os as _os

__version__ = "0.1.0"
__all__ = ["__version__"]

if "VOILA_PREHEAT" in _os.environ:  # a kernel Voila started: errors go to the server's log, never to the page
    from .serverlog import log_to_server as _log_to_server

    _log_to_server()

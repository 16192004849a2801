"""Vertaiset workbooks: live Jupyter workbooks for network collaboration workshops.

The participant's page imports only the light modules (``config``, ``content``,
``store``, ``participant``); pandas and altair load only for facilitator, screen and
report views.
"""
import os as _os
import sys as _sys

__version__ = "0.1.0"

# jsonschema (under Altair, nbformat and jupyter_server) builds an IRI grammar when it is imported
# (rfc3987-syntax with lark: about 1.3 s of every kernel's and report's start) only for the "iri"
# format checks, which none of our specs, notebooks or templates has.
_sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
__all__ = ["__version__"]

if "VOILA_PREHEAT" in _os.environ:  # a kernel Voila started: errors go to the server's log, never to the page
    from .serverlog import log_to_server as _log_to_server

    _log_to_server()

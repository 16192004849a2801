"""Vertaiset workbooks: live Jupyter workbooks for network collaboration workshops.

The participant's page imports only the light modules (``config``, ``content``,
``store``, ``participant``); pandas and altair load only for facilitator, screen and
report views.
"""
__version__ = "0.1.0"
__all__ = ["__version__"]

"""The active practice bank (the store's part): practices kept across networks and sessions,
each an append-only list of versions, searched in Finnish base forms.
"""
from __future__ import annotations


class BankMixin:
    """The store's practice bank (:class:`~vertaiset_widgets.store.SessionStore`)."""

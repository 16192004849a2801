"""A Puimala's settings, pre-work material, forum notes and open feedback (the store's part).

The contract (implemented here; the pages build on it):

- ``puimala(session_id) -> PuimalaInfo | None``; ``set_puimala(session_id, **fields) -> PuimalaInfo``
  (creates the row on first use; fields: mode, prework_activities, prework_opens, prework_closes,
  notes_on_screen, feedback_opens, feedback_closes, feedback_per_minute, feedback_premoderated, peers)
- ``new_notes_key(session_id) -> str``; ``check_notes_key(session_id, key) -> bool``
- ``feedback_link_token(session_id) -> str`` (made once, then the same); ``find_feedback(token) -> (SessionInfo, PuimalaInfo) | None``
- ``add_material(session_id, kind, title, *, body=None, url=None, filename=None, content=None) -> Material``
  (a file outside the allowed types or over the size limit raises ``VertaisetInputError`` with a clear message);
  ``materials(session_id) -> list[Material]``; ``material_content(session_id, material_id) -> bytes``;
  ``withdraw_material(session_id, material_id)``
- ``write_notes(session_id, block, body) -> Note``; ``notes(session_id) -> dict[str, Note]`` (latest per block);
  ``publish_notes(session_id, published=True)``
- ``add_feedback(session_id, client_token, body, *, idem, name=None, address="") -> Feedback`` (refuses a
  closed period and too many per minute with ``VertaisetInputError`` subclasses);
  ``feedback(session_id, *, public=False) -> list[Feedback]``; ``moderate_feedback(session_id, feedback_id, action)``
"""
from __future__ import annotations


class PuimalaMixin:
    """The store's Puimala tables (:class:`~vertaiset_widgets.store.SessionStore`)."""

"""Networks and their rounds: the sessions of one network in date order, the templates each
session ran with, and the steps one round promotes for the next.

The continuum is a cycle: phase 4 of one round is where the next one starts. A session
started with ``follows`` names its previous round; any other session's previous round is the
one before it in its network by date.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from .. import schema as t
from ..errors import VertaisetInputError
from .rows import SessionInfo, _clean_key, _clean_text, _now, _up_to

__all__ = ["CarriedStep", "NetworkInfo", "RoundsMixin", "templates_digest"]


@dataclass(frozen=True)
class NetworkInfo:
    """A network and its sessions (its rounds), oldest first."""

    id: int
    name: str
    created_at: datetime
    sessions: tuple[SessionInfo, ...]


@dataclass(frozen=True)
class CarriedStep:
    """A step a round promoted for the next one (from an activity's statements)."""

    session_id: int
    activity_id: str
    item: str
    text: str
    promoted_at: datetime


def templates_digest(body: dict[str, Any]) -> tuple[str, str]:
    """The canonical JSON of a templates snapshot and its SHA-256 digest."""
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return text, hashlib.sha256(text.encode("utf-8")).hexdigest()


class RoundsMixin:
    """The store's networks and rounds (:class:`~vertaiset_widgets.store.SessionStore`)."""

    # ------------------------------------------------------------------ networks
    def networks(self) -> list[NetworkInfo]:
        """Every network with its sessions in round order, by name."""
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(t.networks).order_by(t.networks.c.name, t.networks.c.id)).mappings().all()
        return [NetworkInfo(r["id"], r["name"], r["created_at"], tuple(self.network_sessions(r["id"]))) for r in rows]

    def network(self, name: str) -> NetworkInfo:
        """The network with this name (:class:`VertaisetInputError` with the known names otherwise)."""
        known = self.networks()
        for net in known:
            if net.name == name:
                return net
        names = ", ".join(n.name for n in known) or "none"
        raise VertaisetInputError(f"no network named {name!r} (known: {names})")

    # ------------------------------------------------------------------ rounds
    def rounds(self, session: SessionInfo) -> list[SessionInfo]:
        """The rounds of ``session``'s network up to and including it, oldest first."""
        return _up_to(self.network_sessions(session.network_id), session)

    def round_number(self, session: SessionInfo) -> int:
        """Which round of its network ``session`` is (1 for the first)."""
        return len(self.rounds(session))

    def previous_round(self, session: SessionInfo) -> SessionInfo | None:
        """The round ``session`` follows: the one named by ``--follows``, else the one before it."""
        if session.follows_id is not None:
            return self.session_by_id(session.follows_id)
        rounds = self.rounds(session)
        return rounds[-2] if len(rounds) > 1 else None

    # ------------------------------------------------------------------ templates
    def record_templates(self, session_id: int, body: dict[str, Any], *, replace: bool = False) -> int:
        """Record the templates ``session_id`` runs with (each distinct set stored once).

        A session keeps the first version recorded for it unless ``replace``. Returns the
        version's id.
        """
        text, digest = templates_digest(body)

        def run(conn: Connection) -> int:
            version = conn.execute(
                sa.select(t.template_versions.c.id).where(t.template_versions.c.digest == digest)
            ).scalar()
            if version is None:
                version = conn.execute(
                    sa.insert(t.template_versions).values(digest=digest, body=text, created_at=_now())
                    .returning(t.template_versions.c.id)
                ).scalar_one()
            current = conn.execute(
                sa.select(t.sessions.c.template_version_id).where(t.sessions.c.id == session_id)
            ).scalar()
            if current is None or (replace and current != version):
                conn.execute(sa.update(t.sessions).where(t.sessions.c.id == session_id).values(template_version_id=version))
                return version
            return current

        return self._write(run)

    def session_templates(self, session: SessionInfo) -> dict[str, Any] | None:
        """The templates ``session`` ran with (activity id -> entry), or None when not recorded."""
        if session.template_version_id is None:
            with self.engine.connect() as conn:
                version = conn.execute(
                    sa.select(t.sessions.c.template_version_id).where(t.sessions.c.id == session.id)
                ).scalar()
        else:
            version = session.template_version_id
        if version is None:
            return None
        with self.engine.connect() as conn:
            body = conn.execute(sa.select(t.template_versions.c.body).where(t.template_versions.c.id == version)).scalar()
        return json.loads(body) if body else None

    # ------------------------------------------------------------------ carried steps
    def promote_step(self, session_id: int, activity_id: str, item: str, text: str | None, *,
                     promoted: bool = True) -> None:
        """Promote a step (or withdraw its promotion) for the next round; append-only."""
        item = _clean_key(item)
        words = _clean_text(text) or ""
        if promoted and not words.strip():
            raise VertaisetInputError("a promoted step needs its text")

        def run(conn: Connection) -> None:
            conn.execute(sa.insert(t.carried_steps).values(
                session_id=session_id, activity_id=_clean_key(activity_id)[:80], item=item[:80],
                text=words if promoted else None, action="promote" if promoted else "withdraw", created_at=_now(),
            ))
            self._bump(conn, session_id, activity_id)

        self._write(run)

    def promoted_steps(self, session_id: int) -> list[CarriedStep]:
        """The steps ``session_id`` promoted and did not withdraw, in the order they were promoted."""
        c = t.carried_steps
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(c.c.activity_id, c.c.item, c.c.text, c.c.action, c.c.created_at)
                .where(c.c.session_id == session_id).order_by(c.c.id)
            ).all()
        current: dict[tuple[str, str], CarriedStep | None] = {}
        for row in rows:
            key = (row.activity_id, row.item)
            if row.action == "promote":
                kept = current.get(key)
                at = kept.promoted_at if kept else row.created_at
                current.pop(key, None)  # re-promoting keeps the first time, but a new text
                current[key] = CarriedStep(session_id, row.activity_id, row.item, row.text or "", at)
            else:
                current.pop(key, None)
        return [s for s in current.values() if s is not None]

    def carried_steps(self, session: SessionInfo) -> tuple[SessionInfo | None, list[CarriedStep]]:
        """What the previous round left for ``session``: that round, and the steps it promoted."""
        previous = self.previous_round(session)
        return previous, (self.promoted_steps(previous.id) if previous else [])

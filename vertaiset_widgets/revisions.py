"""What changed in a session, per activity: the revisions open pages follow.

Every write bumps the session's revision (``sessions.revision``, the one number every open
page polls) and, in the same transaction, sets the revision of what it changed to that new
number (``activity_revisions``): an activity's id, or :data:`SESSION_KEY` / :data:`PEOPLE_KEY`,
or a part of an activity (:func:`part_key`: ``wall#votes``, when a write changes only that and
a page may re-read just it). A page that saw revision *r* asks :func:`changes_since` for the
keys above *r* and redraws just those (:class:`vertaiset_widgets.live.ChangeFeed`;
:func:`by_activity` groups them).

This module's constants load no database code: the phone's light store
(:mod:`vertaiset_widgets.store.light`) writes the same revisions in plain SQL.

Writers of one session take its revisions one at a time (the ``sessions`` row stays locked
until the transaction ends; SQLite writes one transaction at a time), so the revisions commit
in order: once a page has seen *r*, every write at or below *r* is visible to it.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Sequence

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

__all__ = ["PART", "PEOPLE_KEY", "SESSION_KEY", "bump", "by_activity", "changes_since", "part_key"]

#: The change key of the session itself (open or closed, its agenda): no activity id has an "@".
SESSION_KEY = "@session"
#: The change key of who has joined, and of their nicknames and groups.
PEOPLE_KEY = "@people"
#: Between an activity's id and the part of it a write changed: no activity id has a "#".
PART = "#"


def part_key(activity_id: str, part: str = "") -> str:
    """The change key of a part of an activity ("" : the whole activity)."""
    return f"{activity_id}{PART}{part}" if part else activity_id


def by_activity(changed: Iterable[str]) -> dict[str, set[str]]:
    """Changed keys by activity (or session/people key): the parts that changed, "" for all of it."""
    out: dict[str, set[str]] = {}
    for key in changed:
        activity, _, part = key.partition(PART)
        out.setdefault(activity, set()).add(part)
    return out


def bump(conn: Connection, session_id: int, changed: Sequence[str]) -> None:
    """In the caller's transaction: raise the session's revision by one, and give each key in
    ``changed`` that revision."""
    import sqlalchemy as sa

    from . import schema as t

    s, r = t.sessions, t.activity_revisions
    raise_it = sa.update(s).where(s.c.id == session_id).values(revision=s.c.revision + 1)
    if conn.dialect.update_returning:
        revision = conn.execute(raise_it.returning(s.c.revision)).scalar()
    else:  # the row is ours until the transaction ends: the read sees our own update
        conn.execute(raise_it)
        revision = conn.execute(sa.select(s.c.revision).where(s.c.id == session_id)).scalar()
    keys = sorted({str(k)[:80] for k in changed})
    if revision is None or not keys:
        return
    rows = [dict(session_id=session_id, activity_id=k, revision=revision) for k in keys]
    dialect = conn.dialect.name
    if dialect in ("sqlite", "postgresql"):
        if dialect == "sqlite":
            from sqlalchemy.dialects.sqlite import insert
        else:
            from sqlalchemy.dialects.postgresql import insert
        stmt = insert(r)
        conn.execute(
            stmt.on_conflict_do_update(index_elements=[r.c.session_id, r.c.activity_id],
                                       set_={"revision": stmt.excluded.revision}),
            rows,
        )
        return
    for row in rows:
        done = conn.execute(
            sa.update(r).where(r.c.session_id == session_id, r.c.activity_id == row["activity_id"]).values(revision=revision)
        )
        if not done.rowcount:
            conn.execute(sa.insert(r).values(**row))


def changes_since(conn: Connection, session_id: int, revision: int) -> dict[str, int]:
    """The keys written after ``revision``, each with the session's revision at its latest write."""
    import sqlalchemy as sa

    from . import schema as t

    r = t.activity_revisions
    rows = conn.execute(
        sa.select(r.c.activity_id, r.c.revision).where(r.c.session_id == session_id, r.c.revision > revision)
    ).all()
    return {row.activity_id: int(row.revision) for row in rows}

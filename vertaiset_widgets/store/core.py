"""The session store on SQLAlchemy: the whole store, for consoles, screens, the CLI and reports.

SQLAlchemy Core over SQLite (one file, WAL, busy timeout, ``BEGIN IMMEDIATE`` for
writes so that many Voila kernels can write at once) or any other SQLAlchemy URL
(PostgreSQL when several servers share one database).

Answers are append-only: every answer is a new row with an idempotency key, and the
latest row per participant, activity, round, item and layer is the one that counts.
The one exception is erasure (:mod:`vertaiset_widgets.privacy`): a withdrawn highlight's
texts and a forgotten participant's texts are blanked in place, and purged sessions deleted.
"""
from __future__ import annotations

import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError

from .. import revisions
from .. import schema as t
from ..config import resolve_db_url
from .answers import AnswersMixin
from .bank import BankMixin
from .engine import _is_locked, _make_engine
from .puimala import PuimalaMixin
from .rounds import RoundsMixin
from .sessions import SessionsMixin

__all__ = ["SessionStore"]


class SessionStore(SessionsMixin, RoundsMixin, AnswersMixin, PuimalaMixin, BankMixin):
    """Read and write sessions, participants, activity states and answers.

    Parameters
    ----------
    db_url : str, optional
        Any SQLAlchemy URL; default :func:`vertaiset_widgets.config.default_db_url`.
    migrate : bool
        Bring the schema up to date on open (default True).
    """

    def __init__(self, db_url: str | None = None, *, migrate: bool = True):
        self.url = resolve_db_url(db_url)
        self.engine = _make_engine(self.url)
        if migrate:
            self.migrate()

    # ------------------------------------------------------------------ plumbing
    def close(self) -> None:
        """Release the connections."""
        self.engine.dispose()

    def __enter__(self) -> "SessionStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def is_sqlite(self) -> bool:
        """True for a SQLite store."""
        return self.engine.dialect.name == "sqlite"

    def schema_revision(self) -> str | None:
        """The migration the database is at, or None for an empty database."""
        with self.engine.connect() as conn:
            if not sa.inspect(conn).has_table("alembic_version"):
                return None
            return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()

    def migrate(self) -> None:
        """Run the Alembic migrations up to the newest, if the database is behind.

        Several processes may open a new database at once: the migration runs under a
        lock (a lock file beside a SQLite database, an advisory lock on PostgreSQL).
        """
        try:
            if self.schema_revision() == t.SCHEMA_REVISION:
                return
        except OperationalError:
            pass
        with self._migration_lock():
            if self.schema_revision() == t.SCHEMA_REVISION:
                return
            from alembic import command
            from alembic.config import Config

            cfg = Config()
            cfg.set_main_option("script_location", str(Path(__file__).resolve().parent.parent / "migrations"))
            with self.engine.begin() as conn:
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")

    @contextmanager
    def _migration_lock(self) -> Iterator[None]:
        if self.is_sqlite and self.engine.url.database not in (None, "", ":memory:"):
            import fcntl

            lock_path = f"{self.engine.url.database}.migrate.lock"
            with open(lock_path, "w") as fh:
                fcntl.flock(fh, fcntl.LOCK_EX)
                try:
                    yield
                finally:
                    fcntl.flock(fh, fcntl.LOCK_UN)
        elif self.engine.dialect.name == "postgresql":
            with self.engine.connect() as conn:
                conn.exec_driver_sql("SELECT pg_advisory_lock(724101)")
                conn.commit()
                try:
                    yield
                finally:
                    conn.exec_driver_sql("SELECT pg_advisory_unlock(724101)")
                    conn.commit()
        else:
            yield

    def _write(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        """Run ``fn(conn, ...)`` in one write transaction, retrying while the database is busy."""
        delay = 0.05
        for attempt in range(12):
            try:
                with self.engine.connect() as conn:
                    conn.execution_options(vertaiset_write=True)
                    with conn.begin():
                        return fn(conn, *args, **kwargs)
            except OperationalError as exc:
                if not _is_locked(exc) or attempt == 11:
                    raise
                time.sleep(delay)
                delay = min(delay * 2, 1.0)
        raise AssertionError("unreachable")  # pragma: no cover

    @staticmethod
    def _bump(conn: Connection, session_id: int, *changed: str) -> None:
        """Count a write in the caller's transaction: the session's revision grows by one and
        each of ``changed`` (activity ids, or :data:`SESSION_KEY` / :data:`PEOPLE_KEY`) takes it."""
        revisions.bump(conn, session_id, changed)

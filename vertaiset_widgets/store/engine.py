"""The database connection: SQLite tuned for many writing kernels, or any other SQLAlchemy URL."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError

def _is_locked(exc: OperationalError) -> bool:
    text = str(exc.orig).lower() if exc.orig is not None else str(exc).lower()
    return "locked" in text or "busy" in text


def _insert_ignoring_duplicates(conn: Connection, table: sa.Table, values: list[dict[str, Any]], key: str) -> int:
    dialect = conn.dialect.name
    if dialect in ("sqlite", "postgresql"):
        if dialect == "sqlite":
            from sqlalchemy.dialects.sqlite import insert
        else:
            from sqlalchemy.dialects.postgresql import insert
        result = conn.execute(insert(table).on_conflict_do_nothing(index_elements=[key]).returning(table.c.id), values)
        return len(result.all())
    existing = set(
        conn.execute(sa.select(table.c[key]).where(table.c[key].in_([v[key] for v in values]))).scalars()
    )
    fresh = [v for v in values if v[key] not in existing]
    if fresh:
        conn.execute(sa.insert(table), fresh)
    return len(fresh)


def _make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
        database = engine.url.database
        # a "file:...?mode=ro&uri=true" URL names an existing file: no folder to make
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).parent.mkdir(parents=True, exist_ok=True)

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            # take transaction control from the sqlite3 module, so that writes can BEGIN IMMEDIATE
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA busy_timeout = 30000")
            cur.execute("PRAGMA foreign_keys = ON")
            # erased and overwritten text is zeroed in the file, not left in free space (GDPR erasure)
            cur.execute("PRAGMA secure_delete = ON")
            if database and database != ":memory:":
                mode = cur.execute("PRAGMA journal_mode").fetchone()[0]
                if str(mode).lower() != "wal":
                    cur.execute("PRAGMA journal_mode = WAL")
                cur.execute("PRAGMA synchronous = FULL")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Connection) -> None:
            # A deferred transaction that reads and then writes can fail at once with
            # SQLITE_BUSY when another process wrote in between; IMMEDIATE waits instead.
            if conn.get_execution_options().get("vertaiset_write"):
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            else:
                conn.exec_driver_sql("BEGIN")

        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return sa.create_engine(url, pool_pre_ping=True)

"""Shared fixtures: a temporary SQLite store, the PostgreSQL store when one is given,
and a real Voila server for the browser tests."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from vertaiset_widgets.report import CHROMIUM_FLAGS

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("VERTAISET_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = CHROMIUM_FLAGS


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    """No test touches the user's own database or QR folder."""
    home = tmp_path_factory.mktemp("vertaiset-home")
    monkeypatch.setenv("VERTAISET_HOME", str(home))
    monkeypatch.delenv("VERTAISET_DB_URL", raising=False)
    monkeypatch.delenv("QUERY_STRING", raising=False)


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    """A fresh SQLite file."""
    return f"sqlite:///{tmp_path / 'store.sqlite'}"


def _reset_postgres(url: str) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA public CASCADE")
        conn.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, sqlite_url) -> str:
    """The store URL: SQLite and, when VERTAISET_TEST_PG_URL is set, PostgreSQL (store tests use this)."""
    if request.param == "sqlite":
        return sqlite_url
    url = os.environ.get("VERTAISET_TEST_PG_URL")
    if not url:
        pytest.skip("PostgreSQL tests need VERTAISET_TEST_PG_URL (make test starts a throwaway server where PostgreSQL is installed)")
    _reset_postgres(url)
    return url


@pytest.fixture
def store(sqlite_url):
    """An empty, migrated store on a SQLite file (test_store.py runs on PostgreSQL too)."""
    from vertaiset_widgets.store import SessionStore

    s = SessionStore(sqlite_url)
    yield s
    s.close()


@pytest.fixture
def content():
    """The real templates."""
    from vertaiset_widgets.content import load_content

    return load_content()


@pytest.fixture
def demo(store, content):
    """The demo session (25 participants, the 360 answered) and its facilitator key."""
    from vertaiset_widgets.demo import seed_demo

    return seed_demo(store, content)


def browser_sends(widget, content: dict) -> None:
    """Deliver a custom message to a widget through ipywidgets' own comm path, as a browser's would."""
    widget._handle_msg({"content": {"data": {"method": "custom", "content": content}}, "buffers": []})


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class VoilaServer:
    """A real `vertaiset serve` (Voila) on loopback, stopped at the end."""

    def __init__(self, db_url: str, port: int, log_path: Path, extra: list[str] | None = None):
        self.db_url = db_url
        self.port = port
        self.base_url = f"http://127.0.0.1:{port}"
        env = dict(os.environ, VERTAISET_DB_URL=db_url, PYTHONUNBUFFERED="1")
        self.log_path = log_path
        self._log = open(log_path, "w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "vertaiset_widgets.cli", "serve", "--port", str(port), *(extra or [])],
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            cwd=str(ROOT),
            start_new_session=True,
        )
        self._wait()

    def _wait(self, timeout: float = 60) -> None:
        import urllib.request

        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"voila exited: {self.log_path.read_text()[-2000:]}")
            try:
                urllib.request.urlopen(f"{self.base_url}/voila/static/voila.js", timeout=2)
                return
            except Exception:
                time.sleep(0.3)
        raise RuntimeError(f"voila did not start: {self.log_path.read_text()[-2000:]}")

    def url(self, notebook: str, **query: str) -> str:
        from urllib.parse import urlencode

        return f"{self.base_url}/voila/render/{notebook}?{urlencode(query)}"

    def log(self) -> str:
        return self.log_path.read_text()

    def stop(self) -> None:
        import signal

        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
        self._log.close()

"""Shared fixtures: a temporary SQLite store, the PostgreSQL store when one is given,
notebooks run in this process, the demo's report, and for the browser tests their marks,
timeouts, Voila server, store, Chromium and browser contexts.

The suite runs on several workers (`make test`: pytest-xdist, ``--dist loadgroup``). Each
test has its own VERTAISET_HOME and SQLite file, servers take free ports, and each worker
gets its own PostgreSQL database. The tests that drive a Voila server run on one worker,
one after another (the group ``voila`` below), while the other workers take the rest."""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest

from comm_path import browser_sends, submittable_forms

from vertaiset_widgets.report import CHROMIUM_FLAGS

#: what the tests import from here that lives elsewhere
REEXPORTED = (browser_sends, submittable_forms)

ROOT = Path(__file__).resolve().parent.parent
#: Fixtures of their own module: ``radicale`` (a throwaway CalDAV and CardDAV server).
pytest_plugins = ["radicale_server"]
CHROMIUM = os.environ.get("VERTAISET_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = CHROMIUM_FLAGS

#: The marks of a module of browser tests (``pytestmark``): ``browser``, and a skip without Chromium.
BROWSER_MARKS = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM),
        reason=f"browser tests need Chromium at {CHROMIUM} (set VERTAISET_CHROMIUM to another binary)",
    ),
]
#: Waits for something on an open page (an acknowledgement, a live update).
WAIT_MS = 60_000
#: Waits for a page to load: Voila starts a kernel and runs the notebook first. On a busy
#: 2-core machine a facilitator page can take well over a minute.
LOAD_MS = 120_000
PHONE = {"width": 390, "height": 844}


# --------------------------------------------------------------------------- several workers (pytest-xdist)
#: The group of the tests that drive a Voila server or Chromium: one worker runs them one after another
#: (they wait on kernels more than they compute, and share the run's server and the demo's report).
VOILA_GROUP = "voila"
#: Modules whose tests share a costly module fixture (rendered pages, a built wheel and venv): each runs
#: on one worker, its browser test too, so that the fixture is made once.
ONE_WORKER_MODULES = ("test_access.py", "test_install.py")
_GROUPS_DIR = pytest.StashKey[Path]()


def _worker_database(url: str, worker: str) -> str:
    """A database of its own for this xdist worker on the PostgreSQL server of ``url``, made empty."""
    import sqlalchemy as sa

    base = sa.engine.make_url(url)
    name = f"{base.database or 'postgres'}_{worker}"
    engine = sa.create_engine(base.set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def pytest_configure(config):
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    url = os.environ.get("VERTAISET_TEST_PG_URL")
    if worker and url:  # the tests empty their database: workers must not share one
        os.environ["VERTAISET_TEST_PG_URL"] = _worker_database(url, worker)


def pytest_unconfigure(config):
    if _GROUPS_DIR in config.stash:
        shutil.rmtree(config.stash[_GROUPS_DIR], ignore_errors=True)


def _groups_dir(config) -> Path:
    """Where the workers write each test's group for the controller's scheduler."""
    if _GROUPS_DIR not in config.stash:
        config.stash[_GROUPS_DIR] = Path(tempfile.mkdtemp(prefix="vertaiset-xdist-groups-"))
    return config.stash[_GROUPS_DIR]


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Mark the groups (see the module's docstring): a module with a browser test runs wholly in the
    Voila group, as its server serves its other tests too. On an xdist worker, write them down for
    the scheduler below."""
    with_browser = {item.path for item in items if item.get_closest_marker("browser")}
    for item in items:
        if item.get_closest_marker("xdist_group"):
            continue
        if item.path.name in ONE_WORKER_MODULES:
            item.add_marker(pytest.mark.xdist_group(item.path.stem))
        elif item.path in with_browser:
            item.add_marker(pytest.mark.xdist_group(VOILA_GROUP))
    workerinput = getattr(config, "workerinput", None)
    if workerinput and "vertaiset_groups" in workerinput:
        groups = {item.nodeid: str(item.get_closest_marker("xdist_group").args[0])
                  for item in items if item.get_closest_marker("xdist_group")}
        folder = Path(workerinput["vertaiset_groups"])
        (folder / f"{workerinput['workerid']}.json").write_text(json.dumps(groups), encoding="utf-8")


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node):
    node.workerinput["vertaiset_groups"] = str(_groups_dir(node.config))


@pytest.hookimpl(optionalhook=True, tryfirst=True)
def pytest_xdist_make_scheduler(config, log):
    """``--dist loadgroup`` with the groups the workers wrote down. xdist's own loadgroup reads them from
    a suffix it appends to each node id, which pytest 9.2 no longer lets it change (pytest-xdist issue
    1386): the groups were silently ignored."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    folder = _groups_dir(config)

    class GroupScheduling(LoadScopeScheduling):
        """A group is one unit of work, sent to one worker; every other test is a unit of its own."""

        groups: dict[str, str] | None = None

        def _split_scope(self, nodeid: str) -> str:
            if nodeid.rfind("@") > nodeid.rfind("]"):  # xdist's own suffix, should it work again
                return nodeid.split("@")[-1]
            if self.groups is None:  # every worker has finished collecting by now
                self.groups = {}
                for path in sorted(folder.glob("*.json")):
                    self.groups.update(json.loads(path.read_text(encoding="utf-8")))
            group = self.groups.get(nodeid)
            return f"group:{group}" if group else nodeid

    return GroupScheduling(config, log)


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


@pytest.fixture(params=["sqlalchemy", "light"])
def both_stores(request, sqlite_url):
    """An empty, migrated SQLite store: the SQLAlchemy store, and the phones' light one (a test
    file whose ``store`` is this runs on both)."""
    from vertaiset_widgets.store import LightStore, SessionStore

    s = SessionStore(sqlite_url) if request.param == "sqlalchemy" else LightStore(sqlite_url)
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


# --------------------------------------------------------------------------- notebooks in this process
@dataclass
class CellRun:
    """One code cell run in the test's own IPython shell: what it displayed and its value."""

    source: str
    tags: list[str]
    displayed: list  # IPython's captured rich outputs, in the order displayed
    value: object  # the value of the cell's last expression (what the kernel's display hook shows)
    outputs: list[dict]  # both as a kernel sends them: display_data outputs with their mimebundles
    stdout: str


@contextmanager
def ipython_shell():
    """IPython's shell in this process, emptied, with pytest's own ``__main__`` put back afterwards
    (the shell installs its own there; multiprocessing's spawn in later tests needs the real one)."""
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    with pytest.MonkeyPatch.context() as mp:
        mp.setitem(sys.modules, "__main__", sys.modules["__main__"])
        config = Config()
        config.HistoryManager.enabled = False
        shell = InteractiveShell.instance(config=config)
        shell.reset(new_session=False)
        yield shell


def run_notebook_here(notebook: Path, parameters: dict | None = None, *, env: dict[str, str] | None = None,
                      shell=None) -> tuple[list[CellRun], dict]:
    """Run a notebook's code cells in this process's IPython shell, as a kernel runs them: the
    ``parameters`` replace the parameters cell's values, as papermill's injected cell does, and
    ``env`` is set meanwhile (``QUERY_STRING`` makes it a Voila page). Any error fails the test.
    Returns the code cells' runs (the parameters cell included) and the shell's namespace.

    Running here skips the kernel's start-up and imports (seconds each): the language and role
    matrix runs this way, and papermill runs each workbook in a real kernel once per role."""
    from IPython.utils.capture import capture_output

    nb = json.loads(Path(notebook).read_text(encoding="utf-8"))
    runs: list[CellRun] = []
    with contextlib.ExitStack() as stack:
        shell = shell or stack.enter_context(ipython_shell())
        mp = stack.enter_context(pytest.MonkeyPatch.context())
        for name, value in (env or {}).items():
            mp.setenv(name, value)
        for cell in nb["cells"]:
            if cell["cell_type"] != "code":
                continue
            source = "".join(cell["source"])
            tags = list(cell.get("metadata", {}).get("tags", []))
            with capture_output() as captured:
                result = shell.run_cell(source, store_history=False)
                if "parameters" in tags and parameters:
                    shell.user_ns.update(parameters)
            error = result.error_before_exec or result.error_in_exec
            if error is not None:
                raise AssertionError(f"{Path(notebook).name}: the cell {source!r} failed") from error
            value = result.result
            outputs = [{"output_type": "display_data", "data": dict(o.data)} for o in captured.outputs]
            if value is not None:
                data, _metadata = shell.display_formatter.format(value)
                outputs.append({"output_type": "execute_result", "data": data})
            runs.append(CellRun(source, tags, list(captured.outputs), value, outputs, captured.stdout + captured.stderr))
        return runs, shell.user_ns


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def open_showing(page, url: str, text: str, server: "VoilaServer", timeout: int = 0) -> None:
    """Open ``url`` and wait until ``text`` shows.

    A page whose widgets never appear is reloaded once, as a person would, with a warning that
    carries what it showed, its console and the server's log (pytest lists warnings at the end);
    if the second load fails as well, the test fails with the same account."""
    seen: list[str] = []
    page.on("console", lambda m: seen.append(f"{m.type}: {m.text}"[:300]) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda exc: seen.append(f"pageerror: {exc}"[:300]))
    timeout = timeout or LOAD_MS
    for attempt in (1, 2):
        page.goto(url, timeout=timeout)
        try:
            page.get_by_text(text).first.wait_for(timeout=timeout // 2 if attempt == 1 else timeout)
            return
        except Exception:  # playwright's TimeoutError
            account = (f"{url} did not show {text!r} (load {attempt}).\nThe page said:\n"
                       f"{page.locator('body').inner_text()[:1200]}\nIts console:\n" + "\n".join(seen[-30:])
                       + f"\nThe server's log, last lines:\n{server.log()[-2500:]}")
            if attempt == 2:
                raise AssertionError(account) from None
            import warnings

            warnings.warn(account, stacklevel=2)


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


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for the module (Debian's; Playwright's own is never downloaded)."""
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        expect.set_options(timeout=WAIT_MS)
        yield chromium
        chromium.close()


@pytest.fixture
def contexts(browser) -> Iterator:
    """Make browser contexts (one per phone / laptop); all are closed after the test."""
    made = []

    def make(viewport: dict | None = None, **kwargs):
        ctx = browser.new_context(viewport=viewport or PHONE, locale="fi-FI", **kwargs)
        ctx.set_default_timeout(WAIT_MS)
        made.append(ctx)
        return ctx

    yield make
    for ctx in made:
        ctx.close()


@pytest.fixture(scope="session")
def voila_server(tmp_path_factory) -> Iterator[VoilaServer]:
    """The browser tests' common `vertaiset serve`, one for the whole run, on one SQLite file:
    each test makes its own session in it. Kernels of closed pages are culled after a minute, as
    in production (only sooner), so a long run does not pile up idle kernels on two cores."""
    from vertaiset_widgets.store import SessionStore

    tmp = tmp_path_factory.mktemp("voila")
    url = f"sqlite:///{tmp / 'store.sqlite'}"
    SessionStore(url).close()  # migrate before the server and its kernels open it
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("VERTAISET_HOME", str(tmp / "home"))
        mp.delenv("QUERY_STRING", raising=False)
        server = VoilaServer(url, free_port(), tmp / "voila.log", extra=["--cull-idle-timeout", "60", "--cull-interval", "15"])
    yield server
    server.stop()


@pytest.fixture(scope="module")
def server(voila_server) -> VoilaServer:
    """The shared Voila server of a module of browser tests: the run's one (``voila_server``)."""
    return voila_server


@pytest.fixture(scope="module")
def vt_store(server) -> Iterator:
    """The store the shared server's kernels use."""
    from vertaiset_widgets.store import SessionStore

    store = SessionStore(server.db_url)
    yield store
    store.close()


def vertaiset_cli(*args: str, env_db: str | None = None, check: bool = True, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """The `vertaiset` command as a real subprocess (``env_db``: its VERTAISET_DB_URL)."""
    env = dict(os.environ)
    if env_db:
        env["VERTAISET_DB_URL"] = env_db
    proc = subprocess.run(
        [sys.executable, "-m", "vertaiset_widgets.cli", *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=300
    )
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


@pytest.fixture(scope="session")
def cli_demo(tmp_path_factory) -> str:
    """A SQLite file that `vertaiset demo` seeded, for the tests that only read it (exports, reports)."""
    folder = tmp_path_factory.mktemp("cli-demo")
    url = f"sqlite:///{folder / 'demo.sqlite'}"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("VERTAISET_HOME", str(folder / "home"))
        assert vertaiset_cli("demo", env_db=url).stdout.strip() == "DEMO"
    return url


@dataclass
class DemoReport:
    """The demo session's Finnish report as `vertaiset report DEMO --out FOLDER` wrote it."""

    folder: Path
    printed: str  # what the command printed: the HTML file's path
    html: Path
    pdf: Path | None  # with --pdf, where Chromium is there to print it


@pytest.fixture(scope="session")
def demo_report(cli_demo, tmp_path_factory) -> DemoReport:
    """The demo's report, made once for the run by the real command (papermill runs the phase
    workbooks): test_cli.py reads its HTML, test_report_browser.py opens it and its PDF in Chromium."""
    folder = tmp_path_factory.mktemp("report")
    pdf = os.path.exists(CHROMIUM)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("VERTAISET_HOME", str(folder / "home"))
        printed = vertaiset_cli("report", "DEMO", "--out", str(folder), *(["--pdf"] if pdf else []), env_db=cli_demo).stdout.strip()
    html = Path(printed.splitlines()[0]) if printed else folder / "missing.html"
    return DemoReport(folder, printed, html, html.with_suffix(".pdf") if pdf else None)

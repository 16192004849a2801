"""What the benchmark scripts share: a free port, the server's kernel processes, and one
``vertaiset serve`` run in its own process group that can always be stopped."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import psutil

HOST = "127.0.0.1"


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def kernel_processes(server: psutil.Process) -> list[psutil.Process]:
    """The server's ``ipykernel_launcher`` descendants that are alive."""
    found = []
    try:
        children = server.children(recursive=True)
    except psutil.Error:
        return []
    for proc in children:
        try:
            if proc.status() == psutil.STATUS_ZOMBIE:
                continue
            if any("ipykernel_launcher" in part for part in proc.cmdline()):
                found.append(proc)
        except psutil.Error:
            continue
    return found


class ServeProcess:
    """One ``vertaiset serve`` on loopback in its own process group; :meth:`stop` may be called twice."""

    def __init__(self, root: Path, db_url: str, port: int, log_path: Path, env: dict[str, str],
                 extra_args: list[str] | None = None):
        self.port = port
        self.base_url = f"http://{HOST}:{port}"
        self.log_path = log_path
        self._log = open(log_path, "w")
        self.cmd = [
            sys.executable, "-m", "vertaiset_widgets.cli", "serve",
            "--root", str(root), "--port", str(port), "--ip", HOST, "--db-url", db_url, *(extra_args or []),
        ]
        self.proc = subprocess.Popen(
            self.cmd, env=env, cwd=str(root), stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.ps = psutil.Process(self.proc.pid)
        self._stopped = False
        self._seen_kernels: dict[int, psutil.Process] = {}

    def wait_ready(self, timeout: float = 120) -> float:
        """Seconds until the server answers; raises with the log's tail when it exits or never does."""
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited:\n{self.log_tail()}")
            try:
                urllib.request.urlopen(f"{self.base_url}/voila/static/voila.js", timeout=2).read(1)
                return time.monotonic() - start
            except Exception:
                time.sleep(0.3)
        raise RuntimeError(f"the server did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def url(self, notebook: str, query: dict[str, str]) -> str:
        q = f"?{urlencode(query)}" if query else ""
        return f"{self.base_url}/voila/render/{notebook}{q}"

    def kernels(self) -> list[psutil.Process]:
        """The kernels alive now (each is remembered, so :meth:`stop` can stop it)."""
        found = kernel_processes(self.ps)
        for k in found:
            self._seen_kernels[k.pid] = k
        return found

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def log_tail(self, chars: int = 3000) -> str:
        return self.log_text()[-chars:]

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        try:
            self.kernels()
        except Exception:
            pass
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                try:
                    self.proc.wait(10)
                except subprocess.TimeoutExpired:
                    pass
        # kernels run in their own session: stop the ones this server started, by pid
        for k in self._seen_kernels.values():
            try:
                if k.is_running() and k.status() != psutil.STATUS_ZOMBIE:
                    k.kill()
            except psutil.Error:
                pass
        for k in self._seen_kernels.values():
            try:
                k.wait(5)
            except (psutil.Error, psutil.TimeoutExpired):
                pass
        try:
            self._log.close()
        except Exception:
            pass


# --------------------------------------------------------------------------- preheated pools
def server_limits(base_url: str, timeout: float = 10) -> dict:
    """``GET /vertaiset/api/limits`` of one server: kernels in use, caps, and ``pools``."""
    import json

    with urllib.request.urlopen(f"{base_url}/vertaiset/api/limits", timeout=timeout) as response:
        return json.loads(response.read())


def pools_full(limits: dict, waits_for_request: bool = True) -> bool:
    """True when every notebook's pool holds its target; with ``waits_for_request`` its kernels must
    also be waiting for their request (``ready``; a notebook that never waits, such as the bare
    slider, only counts ``pool``)."""
    pools = limits.get("pools") or {}
    if not pools:
        return False
    key = "ready" if waits_for_request else "pool"
    return all(p.get(key, 0) >= p.get("target", 0) for p in pools.values())


def pools_text(limits: dict) -> str:
    """``nb ready/pool/target`` for each pool, for a log line or a report."""
    return ", ".join(f"{nb} {p.get('ready')}/{p.get('pool')}/{p.get('target')}"
                     for nb, p in sorted((limits.get("pools") or {}).items())) or "no pools"


def preheated_takes(log_text: str) -> dict[str, int]:
    """How many pages each notebook got from its pool: Voila logs "Using pre-heated kernel: ID for NB"."""
    import re
    from collections import Counter

    return dict(Counter(m.group(1).strip() for m in re.finditer(r"Using pre-heated kernel: \S+ for (\S+)", log_text)))


# --------------------------------------------------------------------------- the QR burst
def burst_arrivals(n: int, seconds: float, seed: int) -> list[float]:
    """When each of ``n`` phones arrives in a burst of ``seconds``: uniform random offsets
    (seeded), sorted, the first at 0 -- a room that scans the code on the screen within the window."""
    import random

    if n <= 0:
        return []
    rng = random.Random(seed)
    xs = sorted(rng.uniform(0, seconds) for _ in range(n))
    return [x - xs[0] for x in xs]


#: The room's targets (issue 15): key, measure, target for a room up to 60 phones, up to 200.
ROOM_TARGETS = [
    ("join_all_s", "every phone joined, from the first arrival, s", 30.0, 90.0),
    ("join_p95_s", "join p95, from each phone's arrival, s", 5.0, 10.0),
    ("post_ack_p95_s", "post → acknowledgement p95, s", 0.3, 0.5),
    ("post_fac_p95_s", "post → facilitator p95, s", 1.0, 1.5),
    ("vote_ack_p95_s", "+1 → acknowledgement p95, s", 0.5, 1.0),
    ("reveal_all_s", "reveal → every phone shows it, s", 2.0, 3.0),
    ("lost_doubled", "lost / doubled", 0, 0),
]


def room_target_column(n: int) -> int:
    """Which target applies to a room of ``n``: the 60-phone one (index 2) up to 60, else the 200-phone one."""
    return 2 if n <= 60 else 3


def verdict(value: Any, target: float) -> str:
    """"met" when a figure is at or under its target; a missing figure (None) is "not met"."""
    if value is None:
        return "not met"
    if isinstance(value, tuple):  # lost / doubled
        return "met" if all(v <= target for v in value) else "not met"
    return "met" if value <= target else "not met"


def ratio_verdict(value: float | None, limit: float) -> str:
    return "not met" if value is None else ("met" if value <= limit else "not met")


# --------------------------------------------------------------------------- PostgreSQL
class ThrowawayPostgres:
    """A PostgreSQL cluster in a temporary folder on loopback (as tools/with-postgres.sh starts
    one for the tests), stopped by :meth:`stop`; its URL is :attr:`url`."""

    def __init__(self):
        import glob
        import tempfile

        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: [int(x) for x in Path(p).parent.name.split(".") if x.isdigit()])
        bindir = Path(bins[-1]) if bins else None
        if bindir is None:
            import shutil

            found = shutil.which("pg_ctl")
            bindir = Path(found).parent if found else None
        if bindir is None or not (bindir / "initdb").exists():
            raise RuntimeError("PostgreSQL server not found (Debian: apt-get install postgresql), or give --db-url")
        self.pg_ctl = bindir / "pg_ctl"
        # a folder of its own (the server's user must reach it), removed by stop()
        self.folder = folder = Path(tempfile.mkdtemp(prefix="vertaiset-bench-pg-"))
        self.as_pg: list[str] = []
        if os.geteuid() == 0:  # the server refuses to run as root
            subprocess.run(["chown", "postgres", str(folder)], check=True)
            self.as_pg = ["runuser", "-u", "postgres", "--"]
        port = free_port()
        data = folder / "data"
        self._run([*self.as_pg, str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"])
        # more connections than the default 100: every kernel holds its own pool
        opts = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c max_connections=1000"
        self._run([*self.as_pg, str(self.pg_ctl), "-D", str(data), "-l", str(folder / "server.log"), "-o", opts, "-w", "start"])
        self.data = data
        self.url = f"postgresql://postgres@127.0.0.1:{port}/postgres"
        self.settings = "initdb defaults (fsync on), max_connections=1000"

    @staticmethod
    def _run(cmd: list[str]) -> None:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed:\n{proc.stdout[-1500:]}{proc.stderr[-1500:]}")

    def stop(self) -> None:
        import shutil

        if getattr(self, "_stopped", False):
            return
        self._stopped = True
        subprocess.run([*self.as_pg, str(self.pg_ctl), "-D", str(self.data), "-m", "immediate", "stop"],
                       capture_output=True, timeout=60)
        shutil.rmtree(self.folder, ignore_errors=True)


def section_head(title: str, date: str, script: str, command: str, *, scope: str = "that one invocation",
                 code: str = "") -> list[str]:
    """A results section's opening lines: its title, when and by which script, and the command."""
    return [title, "", f"Measured {date} by `bench/{script}`; every number below is from {scope}.{(' ' + code) if code else ''}",
            "", "Command:", "", "```", command, "```", ""]

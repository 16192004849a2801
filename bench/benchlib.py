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

"""A throwaway Radicale (CalDAV and CardDAV) on loopback, for the tests of the calendar and
address-book exports: ``conftest.py`` loads it as a plugin, so any test module can ask for the
``radicale`` fixture (its base URL)."""
from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Iterator

import pytest
from conftest import free_port

__all__ = ["radicale"]


@pytest.fixture(scope="module")
def radicale(tmp_path_factory) -> Iterator[str]:
    """A throwaway Radicale (CalDAV, CardDAV) on loopback with a temporary storage folder and no authentication."""
    pytest.importorskip("radicale")
    folder: Path = tmp_path_factory.mktemp("radicale")
    port = free_port()
    log = open(folder / "radicale.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "radicale", "--server-hosts", f"127.0.0.1:{port}", "--auth-type", "none",
         "--storage-filesystem-folder", str(folder / "collections"), "--logging-level", "warning"],
        stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                urllib.request.urlopen(url, timeout=1)
                break
            except OSError as exc:
                if getattr(exc, "code", None):  # an HTTP answer: the server is up
                    break
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"Radicale did not start: {(folder / 'radicale.log').read_text()}") from exc
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(10)
        log.close()

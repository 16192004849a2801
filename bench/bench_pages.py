#!/usr/bin/env python
"""Time to interactive and kernel memory of the Vertaiset pages, against a bare ipywidgets page.

Run::

    .venv/bin/python bench/bench_pages.py [--runs N] [--out bench/RESULTS.md]

In one run this script

1. copies ``workbooks/*.ipynb`` and ``bench/bare_slider.ipynb`` into a temporary folder and
   makes a temporary SQLite database with one session whose activity ``arviointi_360`` is
   open (for the participant page) and the demo session (25 participants) with a fresh
   facilitator key (for the facilitator page);
2. starts ONE ``python -m vertaiset_widgets.cli serve --root TMP --port P --db-url URL``
   (default culling settings);
3. loads each page -- bare slider, participant, facilitator -- ``--runs`` times,
   interleaved (bare, participant, facilitator, bare, ...), each in a fresh browser context
   of one headless Chromium, after ``--warmup`` discarded rounds. For each load it takes
   the time from the start of ``page.goto`` until the page's main control is visible and
   enabled, then (1 s later) the RSS and USS of the kernel that load started (the newest
   ``ipykernel_launcher`` child of the server), then closes the page and shuts that kernel
   down;
4. prints (and with ``--out`` writes) a markdown report: median, min and max per page, the
   ratios to the bare page, and every single run;
5. measures, in plain ``python`` subprocesses (``QUERY_STRING`` unset), which top-level
   modules the participant notebook's code imports beyond a bare ``import ipywidgets``,
   with their import time (``python -X importtime``) and memory.

Every wait has a deadline and the server's process group is stopped even on failure.
"""
from __future__ import annotations

import argparse
import atexit
import json
import os
import platform
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
BARE_NOTEBOOK = BENCH / "bare_slider.ipynb"
CHROMIUM = os.environ.get("VERTAISET_CHROMIUM", "/usr/bin/chromium")
from vertaiset_widgets.report import CHROMIUM_FLAGS as CHROMIUM_ARGS  # noqa: E402  (the tests' flags too)

sys.path.insert(0, str(BENCH))
from benchlib import ServeProcess, free_port, kernel_processes, ratio_verdict, section_head, server_limits  # noqa: E402

MIB = 1024 * 1024
AIM = 1.2  # participant page within 1.2x the bare notebook, in time and in memory
SERVER_START_TIMEOUT = 90.0
KERNEL_STOP_TIMEOUT = 20.0
XSRF = "vertaiset-bench"  # tornado accepts any _xsrf cookie that equals the X-XSRFToken header

# A control is "interactive" when it has a box, is not hidden and is not disabled (itself,
# by an aria-disabled ancestor or by a disabled fieldset). Evaluated in the page every 20 ms.
READY_JS = """
([kind, arg]) => {
  let found;
  if (kind === "css") {
    found = Array.from(document.querySelectorAll(arg));
  } else {
    found = Array.from(document.querySelectorAll("button")).filter((b) => b.textContent.trim() === arg);
  }
  for (const el of found) {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (box.width <= 0 || box.height <= 0 || style.visibility !== "visible") continue;
    if (el.disabled || el.closest('[aria-disabled="true"]') || el.closest("fieldset:disabled")) continue;
    return true;
  }
  return false;
}
"""


# --------------------------------------------------------------------------- data
@dataclass
class Page:
    key: str
    title: str
    notebook: str
    query: dict[str, str]
    control: tuple[str, str]  # ("css", selector) or ("button", exact text)
    control_label: str
    runs: list["Run"] = field(default_factory=list)
    #: a page the browser is on first (loaded until interactive, not timed): the switch from one console to another
    via: "Page | None" = None
    kind: str = ""  # "participant", "console", "screen", "switch" or "" (bare and others): which aim applies

    def counted(self) -> list["Run"]:
        """The runs that count (warm-up rounds left out)."""
        return [r for r in self.runs if not r.warmup]

    def ok_runs(self) -> list["Run"]:
        """The counted runs that succeeded."""
        return [r for r in self.counted() if r.ok]


@dataclass
class Run:
    page: str
    index: int  # 0-based over all rounds, warm-up rounds included
    warmup: bool
    ok: bool = False
    seconds: float | None = None
    commit_seconds: float | None = None
    rss_mib: float | None = None
    uss_mib: float | None = None
    kernel_pid: int | None = None
    kernel_stopped: str = ""
    error: str = ""
    load1: float | None = None  # 1-minute load average when the load started
    kernel_id: str = ""
    pools_before: str = ""  # the pools when the load started (ready/pool/target)
    pooled: bool | None = None  # with pools: the server log says this page's kernel came from its pool


# --------------------------------------------------------------------------- helpers
def median_min_max(values: list[float]) -> tuple[float, float, float] | None:
    if not values:
        return None
    return statistics.median(values), min(values), max(values)


def fmt_mmm(values: list[float], digits: int) -> str:
    m = median_min_max(values)
    if m is None:
        return "–"
    return f"{m[0]:.{digits}f} ({m[1]:.{digits}f}–{m[2]:.{digits}f})"


def ratio(a: list[float], b: list[float]) -> float | None:
    if not a or not b:
        return None
    return statistics.median(a) / statistics.median(b)


def fmt_ratio(r: float | None) -> str:
    return "–" if r is None else f"{r:.2f}×"


def version_of(dist: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return "not installed"


def kernel_id(proc: psutil.Process) -> str | None:
    try:
        cmd = " ".join(proc.cmdline())
    except psutil.Error:
        return None
    match = re.search(r"kernel-([0-9a-f-]{36})\.json", cmd)
    return match.group(1) if match else None


# --------------------------------------------------------------------------- server
class Server(ServeProcess):
    """The benchmark's server (default culling), which can also shut one kernel down cleanly."""

    def __init__(self, root: Path, db_url: str, port: int, log_path: Path, env: dict[str, str],
                 extra_args: list[str] | None = None):
        super().__init__(root, db_url, port, log_path, env, extra_args)
        self.pools = bool(extra_args)

    def wait_ready(self, timeout: float = SERVER_START_TIMEOUT) -> float:
        return super().wait_ready(timeout)

    def shutdown_kernel(self, proc: psutil.Process) -> str:
        """Stop one kernel: the server's kernel API first, so that its restarter does not bring
        the kernel back (a bare ``kill`` makes jupyter_client restart it), then SIGKILL if alive."""
        kid = kernel_id(proc)
        how = []
        if kid:
            req = urllib.request.Request(
                f"{self.base_url}/api/kernels/{kid}",
                method="DELETE",
                headers={"Cookie": f"_xsrf={XSRF}", "X-XSRFToken": XSRF},
            )
            try:
                with urllib.request.urlopen(req, timeout=KERNEL_STOP_TIMEOUT) as resp:
                    how.append(f"api {resp.status}")
            except Exception as exc:  # fall through to the kill below
                how.append(f"api failed ({exc})")
        try:
            proc.wait(timeout=KERNEL_STOP_TIMEOUT)
        except psutil.TimeoutExpired:
            proc.kill()
            how.append("killed")
            try:
                proc.wait(timeout=5)
            except psutil.TimeoutExpired:
                how.append("still alive")
        except psutil.NoSuchProcess:
            pass
        return ", ".join(how) or "gone"


# --------------------------------------------------------------------------- setup
def prepare(tmp: Path) -> tuple[str, str, str, str]:
    """Notebooks and database in ``tmp``; returns (db_url, participant code, demo code, demo key)."""
    for nb in sorted((ROOT / "workbooks").glob("*.ipynb")):
        shutil.copy2(nb, tmp / nb.name)
    shutil.copy2(BARE_NOTEBOOK, tmp / BARE_NOTEBOOK.name)
    db_url = f"sqlite:///{tmp / 'bench.sqlite'}"
    from vertaiset_widgets.demo import seed_demo
    from vertaiset_widgets.store import SessionStore

    store = SessionStore(db_url)
    try:
        session, _key = store.create_session("Benchmark", network="Benchmark")
        store.set_activity_state(session.id, "arviointi_360", is_open=True)
        demo, demo_key = seed_demo(store)
    finally:
        store.close()
    return db_url, session.code, demo.code, demo_key


# --------------------------------------------------------------------------- one load

def _failed(run, exc: Exception, page) -> None:
    """Note why a load failed, and what the page showed instead."""
    run.error = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''}"
    if page is not None:
        try:
            shown = " ".join(page.inner_text("body", timeout=3000).split())[:80]
            run.error += f"; the page showed: {shown!r}"
        except Exception:
            pass


def _close(run, page, context) -> None:
    """Close the load's page and browser context."""
    try:
        if page is not None:
            page.close()
        context.close()
    except Exception as exc:  # pragma: no cover
        run.error = run.error or f"closing the page failed: {exc}"

def measure_once(browser, server: Server, page_def: Page, run: Run, timeout_s: float, settle_s: float) -> None:
    before = {p.pid for p in kernel_processes(server.ps)}
    run.load1 = os.getloadavg()[0]
    context = browser.new_context()
    page = None
    kernel: psutil.Process | None = None
    try:
        page = context.new_page()
        url = server.url(page_def.notebook, page_def.query)
        t0 = time.perf_counter()
        page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
        run.commit_seconds = time.perf_counter() - t0
        remaining = max(1.0, timeout_s - run.commit_seconds)
        page.wait_for_function(READY_JS, arg=list(page_def.control), polling=20, timeout=remaining * 1000)
        run.seconds = time.perf_counter() - t0
        # sanity check with Playwright's own notion of visible and enabled
        kind, arg = page_def.control
        loc = page.locator(arg) if kind == "css" else page.get_by_role("button", name=arg, exact=True)
        if not (loc.first.is_visible() and loc.first.is_enabled()):
            raise RuntimeError("control found by the page script but Playwright says not visible/enabled")
        time.sleep(settle_s)
        kernels = kernel_processes(server.ps)
        if not kernels:
            raise RuntimeError("no ipykernel_launcher child of the server")
        kernel = max(kernels, key=lambda p: p.create_time())
        if kernel.pid in before:
            raise RuntimeError(f"the newest kernel (pid {kernel.pid}) existed before this load")
        mem = kernel.memory_full_info()
        run.kernel_pid = kernel.pid
        run.rss_mib = mem.rss / MIB
        run.uss_mib = mem.uss / MIB
        run.ok = True
    except Exception as exc:
        _failed(run, exc, page)
    finally:
        _close(run, page, context)
        # shut down every kernel this load started (normally exactly one)
        new = [p for p in kernel_processes(server.ps) if p.pid not in before]
        if kernel is not None and kernel not in new:
            new.append(kernel)
        how = [f"{p.pid}: {server.shutdown_kernel(p)}" for p in new]
        # a kernel the restarter brought back would show up as a new child: one more pass
        time.sleep(0.5)
        again = [p for p in kernel_processes(server.ps) if p.pid not in before]
        how += [f"{p.pid} (again): {server.shutdown_kernel(p)}" for p in again]
        run.kernel_stopped = "; ".join(how) or "no kernel"


# --------------------------------------------------------------------------- one load from a pool
KERNEL_ID_JS = """() => { const el = document.getElementById("jupyter-config-data");
  return el ? JSON.parse(el.textContent).kernelId : null; }"""


def kernels_cpu(server: Server) -> float:
    total = 0.0
    for proc in kernel_processes(server.ps):
        try:
            t = proc.cpu_times()
            total += t.user + t.system
        except psutil.Error:
            pass
    return total


def wait_pools(server: Server, timeout: float = 600.0) -> str:
    """Until every pool (``/vertaiset/api/limits``) holds its target -- the workbooks' kernels waiting
    for their request, the bare slider's having run -- and the kernels are quiet (under 20 % of one
    CPU for a second): each load then finds what a page finds on a server that has been up a while."""
    deadline = time.monotonic() + timeout
    pools: dict = {}
    while True:
        try:
            pools = server_limits(server.base_url).get("pools") or {}
        except Exception:  # noqa: BLE001 - busy starting kernels
            pools = {}
        if pools and all(p["pool"] >= p["target"] and (nb == BARE_NOTEBOOK.name or p["ready"] >= p["target"])
                         for nb, p in pools.items()):
            break
        if time.monotonic() > deadline:
            return "pools NOT full after %.0f s: %s" % (timeout, pools)
        time.sleep(0.5)
    while time.monotonic() < deadline:
        before = kernels_cpu(server)
        time.sleep(1.0)
        if kernels_cpu(server) - before < 0.2:
            break
    return ", ".join(f"{nb} {p['ready']}/{p['pool']}/{p['target']}" for nb, p in sorted(pools.items()))


def measure_pooled(browser, server: Server, page_def: Page, run: Run, timeout_s: float, settle_s: float) -> None:
    """One load with pools on: the page's kernel is named by the page (``jupyter-config-data``), must
    have come from its pool (server log), and is the only one shut down afterwards (with the console
    the browser was on first, for a switch); the pools refill by themselves."""
    run.load1 = os.getloadavg()[0]
    context = browser.new_context()
    page = None
    ids: list[str] = []
    try:
        page = context.new_page()
        if page_def.via is not None:  # the console the facilitator is on before switching
            via = page_def.via
            page.goto(server.url(via.notebook, via.query), wait_until="commit", timeout=timeout_s * 1000)
            page.wait_for_function(READY_JS, arg=list(via.control), polling=20, timeout=timeout_s * 1000)
            ids.append(page.evaluate(KERNEL_ID_JS) or "")
            wait_pools(server)  # its own pool refills meanwhile; the facilitator has been on it a while
        t0 = time.perf_counter()
        page.goto(server.url(page_def.notebook, page_def.query), wait_until="commit", timeout=timeout_s * 1000)
        run.commit_seconds = time.perf_counter() - t0
        remaining = max(1.0, timeout_s - run.commit_seconds)
        page.wait_for_function(READY_JS, arg=list(page_def.control), polling=20, timeout=remaining * 1000)
        run.seconds = time.perf_counter() - t0
        kind, arg = page_def.control
        loc = page.locator(arg) if kind == "css" else page.get_by_role("button", name=arg, exact=True)
        if not (loc.first.is_visible() and loc.first.is_enabled()):
            raise RuntimeError("control found by the page script but Playwright says not visible/enabled")
        run.kernel_id = page.evaluate(KERNEL_ID_JS) or ""
        ids.append(run.kernel_id)
        time.sleep(settle_s)
        proc = next((p for p in kernel_processes(server.ps) if kernel_id(p) == run.kernel_id), None)
        if proc is None:
            raise RuntimeError(f"no kernel process for the page's kernel {run.kernel_id!r}")
        mem = proc.memory_full_info()
        run.kernel_pid, run.rss_mib, run.uss_mib = proc.pid, mem.rss / MIB, mem.uss / MIB
        run.pooled = run.kernel_id in preheated_kernel_ids(server)
        run.ok = True
    except Exception as exc:
        _failed(run, exc, page)
    finally:
        _close(run, page, context)
        how = [f"{p.pid}: {server.shutdown_kernel(p)}" for p in kernel_processes(server.ps) if kernel_id(p) in ids]
        run.kernel_stopped = "; ".join(how) or "no kernel"


def preheated_kernel_ids(server: Server) -> set[str]:
    """Kernels the server handed to a page from a pool (its log: "Using pre-heated kernel: ID for NB")."""
    return set(re.findall(r"Using pre-heated kernel: (\S+) for", server.log_text()))


# --------------------------------------------------------------------------- imports
# this process's RSS and USS in MiB, read from /proc (both probes start with it)
PROBE_MEM = r'''
import sys, json, time
def _mem():
    rss = uss = 0.0
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1]) / 1024
    with open("/proc/self/smaps_rollup") as fh:
        for line in fh:
            if line.startswith(("Private_Clean:", "Private_Dirty:")):
                uss += int(line.split()[1]) / 1024
    return rss, uss
'''

PROBE = PROBE_MEM + r'''import ast
import ipywidgets
_base = set(sys.modules)
_m0 = _mem()
_t0 = time.perf_counter()
_ns = {"__name__": "__main__"}
_steps = []
for _stmt in ast.parse(CODE).body:  # statement by statement, so imports and calls are told apart
    _before, _ms, _ts = len(sys.modules), _mem(), time.perf_counter()
    exec(compile(ast.Module(body=[_stmt], type_ignores=[]), "<participant notebook>", "exec"), _ns)
    _te, _me = time.perf_counter(), _mem()
    _steps.append({"code": ast.get_source_segment(CODE, _stmt), "seconds": _te - _ts,
                   "rss": _me[0] - _ms[0], "uss": _me[1] - _ms[1], "modules": len(sys.modules) - _before})
_t1 = time.perf_counter()
_m1 = _mem()
print("@@BENCH@@" + json.dumps({
    "seconds": _t1 - _t0, "rss0": _m0[0], "uss0": _m0[1], "rss1": _m1[0], "uss1": _m1[1],
    "new": sorted(set(sys.modules) - _base), "steps": _steps,
}))
'''

PROBE_ONE = PROBE_MEM + r'''import ipywidgets
import importlib
_m0 = _mem()
_t0 = time.perf_counter()
importlib.import_module(NAME)
_t1 = time.perf_counter()
_m1 = _mem()
print("@@BENCH@@" + json.dumps({"seconds": _t1 - _t0, "rss": _m1[0] - _m0[0], "uss": _m1[1] - _m0[1]}))
'''

KERNEL_BASELINE = r'''
import sys, json
import ipykernel.kernelapp, ipykernel.ipkernel, ipykernel.zmqshell
import ipywidgets
print("@@BENCH@@" + json.dumps(sorted(sys.modules)))
'''


def notebook_code(path: Path) -> str:
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = []
    for cell in nb["cells"]:
        if cell.get("cell_type") != "code":
            continue
        src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if any(line.lstrip().startswith(("%", "!")) for line in src.splitlines()):
            raise RuntimeError(f"{path.name} has IPython magics; this probe runs plain Python")
        cells.append(src)
    return "\n".join(cells)


def run_probe(source: str, env: dict[str, str], cwd: Path, importtime: bool = False, timeout: float = 120) -> tuple[dict, str]:
    cmd = [sys.executable] + (["-X", "importtime"] if importtime else []) + ["-c", source]
    out = subprocess.run(cmd, env=env, cwd=str(cwd), capture_output=True, text=True, timeout=timeout)
    if out.returncode != 0:
        raise RuntimeError(f"probe failed ({out.returncode}):\n{out.stderr[-2000:]}")
    line = next(line for line in out.stdout.splitlines() if line.startswith("@@BENCH@@"))
    return json.loads(line[len("@@BENCH@@"):]), out.stderr


def parse_importtime(stderr: str, after: str = "ipywidgets") -> list[tuple[str, int, int, int]]:
    """``(module, depth, self_us, cumulative_us)`` of the imports after top-level ``after``."""
    rows = []
    seen_marker = False
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "imported package" in line:
            continue
        parts = line[len("import time:"):].split("|")
        if len(parts) != 3:
            continue
        raw = parts[2]
        name = raw.strip()
        depth = (len(raw) - len(raw.lstrip(" ")) - 1) // 2
        if not seen_marker:
            if name == after and depth == 0:
                seen_marker = True
            continue
        rows.append((name, depth, int(parts[0]), int(parts[1])))
    if not seen_marker:
        raise RuntimeError(f"no top-level import of {after} in the -X importtime output")
    return rows


def import_analysis(tmp: Path, db_url: str, repeats: int, top: int) -> dict:
    code = notebook_code(tmp / "osallistu.ipynb")
    env = {k: v for k, v in os.environ.items() if k != "QUERY_STRING"}
    env.update(VERTAISET_DB_URL=db_url, VERTAISET_HOME=str(tmp / "home"))
    probe = f"CODE = {code!r}\n" + PROBE

    plain = [run_probe(probe, env, tmp)[0] for _ in range(repeats)]
    timed = [run_probe(probe, env, tmp, importtime=True) for _ in range(repeats)]
    kernel_mods = set(run_probe(KERNEL_BASELINE, env, tmp)[0])

    new = plain[0]["new"]
    per_run: list[dict[str, dict]] = []
    for _info, stderr in timed:
        rows = parse_importtime(stderr)
        stats: dict[str, dict] = {}
        for i, (name, depth, self_us, cum_us) in enumerate(rows):
            top_name = name.split(".")[0]
            s = stats.setdefault(top_name, {"own_us": 0, "cum_us": None, "by": ""})
            s["own_us"] += self_us
            if name == top_name and s["cum_us"] is None:
                s["cum_us"] = cum_us
                # who imported it: the nearest enclosing import of another package
                level = depth
                for later_name, later_depth, _s, _c in rows[i + 1:]:
                    if later_depth < level:
                        if later_name.split(".")[0] != top_name:
                            s["by"] = later_name
                            break
                        level = later_depth
        per_run.append(stats)

    own_self: dict[str, list[int]] = {}
    own_cum: dict[str, list[int]] = {}
    for _info, stderr in timed:
        for name, _depth, self_us, cum_us in parse_importtime(stderr):
            if name.split(".")[0] == "vertaiset_widgets":
                own_self.setdefault(name, []).append(self_us)
                own_cum.setdefault(name, []).append(cum_us)
    ours_modules = sorted(
        ({"name": n, "self_ms": statistics.median(v) / 1000, "cum_ms": statistics.median(own_cum[n]) / 1000}
         for n, v in own_self.items()),
        key=lambda m: m["self_ms"], reverse=True,
    )
    steps = []
    for i, step in enumerate(plain[0]["steps"]):
        steps.append({
            "code": step["code"],
            "ms": statistics.median(p["steps"][i]["seconds"] for p in plain) * 1000,
            "rss": statistics.median(p["steps"][i]["rss"] for p in plain),
            "uss": statistics.median(p["steps"][i]["uss"] for p in plain),
            "modules": statistics.median(p["steps"][i]["modules"] for p in plain),
        })

    # our modules on this path: is there bytecode to load, and what does compiling them cost?
    ours_files = []
    for name in new:
        if name.split(".")[0] == "vertaiset_widgets":
            rel = name.split(".", 1)[1].replace(".", "/") if "." in name else "__init__"
            path = ROOT / "vertaiset_widgets" / f"{rel}.py"
            if path.is_file():
                ours_files.append(path)
    sources = [(str(f), f.read_text(encoding="utf-8")) for f in ours_files]
    compile_ms = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for fname, src in sources:
            compile(src, fname, "exec")
        compile_ms.append((time.perf_counter() - t0) * 1000)
    import importlib.util

    have_pyc = sum(1 for f in ours_files if Path(importlib.util.cache_from_source(str(f))).is_file())

    tops = sorted({m.split(".")[0] for m in new})
    summary = []
    for name in tops:
        cums = [r[name]["cum_us"] for r in per_run if name in r and r[name]["cum_us"] is not None]
        owns = [r[name]["own_us"] for r in per_run if name in r]
        mods = [m for m in new if m.split(".")[0] == name]
        in_kernel = sum(1 for m in mods if m in kernel_mods)
        summary.append({
            "name": name,
            "modules": len(mods),
            "kernel": "yes" if in_kernel == len(mods) else ("partly" if in_kernel else "no"),
            "cum_ms": statistics.median(cums) / 1000 if cums else None,
            "own_ms": statistics.median(owns) / 1000 if owns else None,
            "by": next((r[name]["by"] for r in per_run if name in r and r[name]["by"]), "")
            or "(at run time, not inside another import)",
        })
    ranked = sorted(
        (s for s in summary if s["cum_ms"] is not None and s["name"] != "vertaiset_widgets"),
        key=lambda s: s["cum_ms"],
        reverse=True,
    )[:top]
    for s in ranked:  # memory of that package alone, imported after ipywidgets, in a fresh process
        one = [run_probe(f"NAME = {s['name']!r}\n" + PROBE_ONE, env, tmp)[0] for _ in range(repeats)]
        s["alone_rss"] = statistics.median(o["rss"] for o in one)
        s["alone_uss"] = statistics.median(o["uss"] for o in one)
        s["alone_ms"] = statistics.median(o["seconds"] for o in one) * 1000
    ours = next((s for s in summary if s["name"] == "vertaiset_widgets"), None)
    return {
        "code": code,
        "repeats": repeats,
        "seconds": statistics.median(p["seconds"] for p in plain),
        "rss": statistics.median(p["rss1"] - p["rss0"] for p in plain),
        "uss": statistics.median(p["uss1"] - p["uss0"] for p in plain),
        "rss_base": statistics.median(p["rss0"] for p in plain),
        "uss_base": statistics.median(p["uss0"] for p in plain),
        "new_modules": len(new),
        "tops": tops,
        "ours": ours,
        "ours_modules": ours_modules,
        "ours_files": len(ours_files),
        "ours_pyc": have_pyc,
        "compile_ms": statistics.median(compile_ms) if compile_ms else None,
        "dont_write_bytecode": os.environ.get("PYTHONDONTWRITEBYTECODE", ""),
        "steps": steps,
        "summary": summary,
        "ranked": ranked,
    }


# --------------------------------------------------------------------------- report
def code_fingerprint() -> tuple[str, str]:
    """A hash of the code under test (package, templates, workbooks) and the newest change time."""
    import hashlib

    files = sorted(
        f for pattern in ("vertaiset_widgets/**/*.py", "vertaiset_widgets/static/*", "templates/**/*", "workbooks/*.ipynb")
        for f in ROOT.glob(pattern) if f.is_file() and "__pycache__" not in f.parts
    )
    digest = hashlib.sha256()
    newest = 0.0
    for f in files:
        try:
            digest.update(str(f.relative_to(ROOT)).encode() + b"\0" + f.read_bytes())
            newest = max(newest, f.stat().st_mtime)
        except OSError:
            continue
    when = datetime.fromtimestamp(newest, timezone.utc).strftime("%H:%M:%S UTC") if newest else "?"
    return digest.hexdigest()[:12], when


def git_state() -> str:
    """HEAD and whether the code under test differs from it (empty when git is unavailable)."""
    try:
        head = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%h %cI"], capture_output=True,
                              text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--", "vertaiset_widgets",
                                "templates", "workbooks"], capture_output=True, text=True, timeout=10).stdout.strip()
    except Exception:
        return ""
    if not head:
        return ""
    return f"git HEAD {head}; " + ("code under test has uncommitted changes" if dirty else "code under test = HEAD")


def machine_info(browser_version: str) -> list[str]:
    cpu = ""
    try:
        cpu = next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
    except Exception:
        pass
    return [
        f"- CPUs: nproc {len(os.sched_getaffinity(0))} ({cpu or platform.machine()})",
        f"- Memory: {psutil.virtual_memory().total / 1024**3:.1f} GiB total",
        f"- OS: {platform.platform()}",
        f"- Python {platform.python_version()}, voila {version_of('voila')}, ipywidgets {version_of('ipywidgets')}, "
        f"ipykernel {version_of('ipykernel')}, jupyter_server {version_of('jupyter_server')}, "
        f"anywidget {version_of('anywidget')}, playwright {version_of('playwright')}",
        f"- Browser: Chromium {browser_version} (headless, {CHROMIUM})",
    ]


def results_table(pages: list[Page]) -> list[str]:
    bare = pages[0]
    bt = [r.seconds for r in bare.ok_runs()]
    br = [r.rss_mib for r in bare.ok_runs()]
    bu = [r.uss_mib for r in bare.ok_runs()]
    lines = [
        "| page | control waited for | runs ok | time to interactive, s: median (min–max) | kernel RSS, MiB: median (min–max) "
        "| kernel USS, MiB: median (min–max) | time ÷ bare | RSS ÷ bare | USS ÷ bare |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for p in pages:
        ok = p.ok_runs()
        t = [r.seconds for r in ok]
        rss = [r.rss_mib for r in ok]
        uss = [r.uss_mib for r in ok]
        lines.append(
            f"| {p.title} | {p.control_label} | {len(ok)}/{len(p.counted())} "
            f"| {fmt_mmm(t, 2)} | {fmt_mmm(rss, 1)} | {fmt_mmm(uss, 1)} "
            f"| {fmt_ratio(ratio(t, bt))} | {fmt_ratio(ratio(rss, br))} | {fmt_ratio(ratio(uss, bu))} |"
        )
    return lines


#: The aims with pools on (issue 15): page kind -> (time ÷ bare, USS ÷ bare or None).
POOL_AIMS = {"participant": (1.2, 1.2), "console": (1.5, None), "screen": (1.5, None), "switch": (1.5, None)}


def pools_table(pages: list[Page]) -> list[str]:
    """Each page against the bare one with pools on, the aim beside it and "met"/"not met" computed."""
    bare = pages[0]
    bt = [r.seconds for r in bare.ok_runs()]
    bu = [r.uss_mib for r in bare.ok_runs()]

    def from_pool(p: Page) -> str:
        ok = p.ok_runs()
        return f"{sum(1 for r in ok if r.pooled)}/{len(ok)}"

    lines = [
        f"Bare slider: {from_pool(bare)} loads from its pool. A page's aim counts as met only when every "
        "counted load succeeded and came from the pool.",
        "",
        "| page | time ÷ bare | aim | met? | USS ÷ bare | aim | met? | loads from the pool |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for p in pages[1:]:
        if p.kind not in POOL_AIMS:
            continue
        ok = p.ok_runs()
        complete = bool(ok) and len(ok) == len(p.counted()) and all(r.pooled for r in ok) and all(r.pooled for r in bare.ok_runs())
        t_aim, u_aim = POOL_AIMS[p.kind]
        t = ratio([r.seconds for r in ok], bt)
        u = ratio([r.uss_mib for r in ok], bu)
        t_met = ratio_verdict(t, t_aim) if complete else "not met"
        u_cells = (f"{fmt_ratio(u)} | ≤ {u_aim}× | {ratio_verdict(u, u_aim) if complete else 'not met'}"
                   if u_aim else f"{fmt_ratio(u)} | – | –")
        lines.append(f"| {p.title} | {fmt_ratio(t)} | ≤ {t_aim}× | {t_met} | {u_cells} | {from_pool(p)} |")
    return lines


def runs_table(pages: list[Page]) -> list[str]:
    all_runs = sorted((r for p in pages for r in p.runs), key=lambda r: r.index)
    lines = [
        "| # | page | counted | goto committed, s | interactive, s | RSS, MiB | USS, MiB | from the pool | kernel stop | error |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    f = lambda v, d: "–" if v is None else f"{v:.{d}f}"  # noqa: E731
    for r in all_runs:
        lines.append(
            f"| {r.index + 1} | {r.page} | {'no (warm-up)' if r.warmup else 'yes'} | {f(r.commit_seconds, 2)} "
            f"| {f(r.seconds, 2)} | {f(r.rss_mib, 1)} | {f(r.uss_mib, 1)} "
            f"| {'–' if r.pooled is None else 'yes' if r.pooled else 'no'} | {r.kernel_stopped} | {r.error} |"
        )
    return lines


def imports_section(imp: dict) -> list[str]:
    f = lambda v, d=1: "–" if v is None else f"{v:.{d}f}"  # noqa: E731
    ours = imp["ours"] or {}
    lines = [
        "## Where the participant page's start-up goes",
        "",
        "The code cells of `osallistu.ipynb` run in a plain `python -c` subprocess (`QUERY_STRING` unset, so "
        "`session` is empty and the page builds its join-code form; the database is the benchmark's SQLite "
        "file, already migrated) right after `import ipywidgets`; what is listed is what that adds to "
        f"`sys.modules`. Medians of {imp['repeats']} processes each.",
        "",
        f"- Running the notebook code after `import ipywidgets`: {imp['seconds'] * 1000:.0f} ms, "
        f"+{imp['rss']:.1f} MiB RSS, +{imp['uss']:.1f} MiB USS "
        f"(the process after `import ipywidgets` alone: {imp['rss_base']:.1f} MiB RSS, {imp['uss_base']:.1f} MiB USS).",
        f"- It adds {imp['new_modules']} modules under {len(imp['tops'])} top-level names: "
        + ", ".join(f"`{t}`" for t in imp["tops"]) + ".",
        f"- `vertaiset_widgets` itself (own code only, `-X importtime` self time): {f(ours.get('own_ms'))} ms; "
        "by module (self / cumulative, ms): "
        + ", ".join(f"`{m['name']}` {m['self_ms']:.1f} / {m['cum_ms']:.1f}" for m in imp["ours_modules"][:6]) + ".",
        f"- Bytecode: {imp['ours_pyc']} of the {imp['ours_files']} `vertaiset_widgets` source files on this path have a "
        f"`__pycache__` file (`PYTHONDONTWRITEBYTECODE={imp['dont_write_bytecode'] or '(unset)'}` in this environment)"
        + (
            f"; without one, Python compiles them at every kernel start: compiling these {imp['ours_files']} files "
            f"takes {imp['compile_ms']:.1f} ms here, part of the self times above."
            if imp["ours_pyc"] < imp["ours_files"] and imp["compile_ms"] is not None
            else "."
        ),
        "",
        "Statement by statement (plain run, no `-X importtime`):",
        "",
        "| statement | time, ms | +RSS, MiB | +USS, MiB | modules added |",
        "|---|---|---|---|---|",
        *[
            f"| `{' '.join(st['code'].split())[:90]}` | {st['ms']:.1f} | {st['rss']:.1f} | {st['uss']:.1f} | {st['modules']:.0f} |"
            for st in imp["steps"]
        ],
        "",
        f"Top {len(imp['ranked'])} by import time. *cumulative* is `-X importtime`'s cumulative time of the package's "
        "first import (it includes the modules that import pulled in first, stdlib ones too); *own* is the sum of the "
        "self time of the package's own modules. *alone* is a fresh process that imports only `ipywidgets` and then "
        "this package (the memory it adds there; packages share dependencies, so these do not add up). *in a bare "
        "kernel* says whether an ipykernel kernel has these modules loaded already (`ipykernel.kernelapp`, "
        "`ipykernel.ipkernel`, `ipykernel.zmqshell` and `ipywidgets` imported), in which case they cost the page nothing.",
        "",
        "| # | top-level module | imported first by | modules | cumulative, ms | own, ms | alone: time, ms "
        "| alone: +RSS, MiB | alone: +USS, MiB | in a bare kernel |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for i, s in enumerate(imp["ranked"], 1):
        lines.append(
            f"| {i} | `{s['name']}` | {s['by'] if s['by'].startswith('(') else '`' + s['by'] + '`'} | {s['modules']} | {f(s['cum_ms'])} | {f(s['own_ms'])} "
            f"| {f(s.get('alone_ms'))} | {f(s.get('alone_rss'))} | {f(s.get('alone_uss'))} | {s['kernel']} |"
        )
    return lines


def reading(pages: list[Page], imp: dict | None) -> list[str]:
    bare, part, fac = pages[:3]
    bt, pt, ft = ([r.seconds for r in p.ok_runs()] for p in pages[:3])
    bu, pu, fu = ([r.uss_mib for r in p.ok_runs()] for p in pages[:3])
    br, pr, fr = ([r.rss_mib for r in p.ok_runs()] for p in pages[:3])
    out = []
    rt, rr, ru = ratio(pt, bt), ratio(pr, br), ratio(pu, bu)
    if None not in (rt, rr, ru):
        verdict = lambda r: "within" if r <= AIM else "over"  # noqa: E731
        out.append(
            f"- Participant page vs. bare slider: {rt:.2f}× the time to interactive ({verdict(rt)} the {AIM}× aim), "
            f"{rr:.2f}× the kernel RSS ({verdict(rr)}) and {ru:.2f}× the kernel USS ({verdict(ru)}). "
            f"In absolute terms the participant page took {statistics.median(pt) - statistics.median(bt):+.2f} s "
            f"and its kernel {statistics.median(pu) - statistics.median(bu):+.1f} MiB USS "
            f"({statistics.median(pr) - statistics.median(br):+.1f} MiB RSS) more than the bare page (medians)."
        )
    ft_r, fu_r = ratio(ft, bt), ratio(fu, bu)
    if None not in (ft_r, fu_r):
        out.append(
            f"- Facilitator page (pandas + altair + vl-convert): "
            f"{ft_r:.2f}× the bare time and {fu_r:.2f}× the bare kernel USS."
        )
    for phase in pages[3:]:  # the phase 1 and 2 consoles against the 360's
        ptimes, puss = [r.seconds for r in phase.ok_runs()], [r.uss_mib for r in phase.ok_runs()]
        if ptimes and ft and fu:
            out.append(
                f"- {phase.title.capitalize()} (`{phase.notebook}`, {_activities(phase.notebook)} activities): median "
                f"{statistics.median(ptimes):.2f} s and {statistics.median(puss):.1f} MiB USS, {ratio(ptimes, ft):.2f}× the "
                f"time and {ratio(puss, fu):.2f}× the kernel USS of the 360's facilitator page "
                f"(`04_arviointi.ipynb`, {_activities('04_arviointi.ipynb')} activities)."
            )
    pairs = [
        (p_run.seconds / b_run.seconds, p_run.uss_mib / b_run.uss_mib)
        for b_run, p_run in zip(bare.counted(), part.counted())
        if b_run.ok and p_run.ok
    ]
    if len(pairs) > 1:
        tr = [a for a, _ in pairs]
        out.append(
            f"- Paired by round (each participant load against the bare load just before it): participant ÷ bare "
            f"time {statistics.median(tr):.2f}× median ({min(tr):.2f}–{max(tr):.2f}×); the participant page was "
            f"slower than the bare one in {sum(1 for a in tr if a > 1)} of {len(tr)} rounds."
        )
    loads = [r.load1 for p in pages for r in p.counted() if r.load1 is not None]
    ncpu = len(os.sched_getaffinity(0))
    if loads:
        uss_spread = "; ".join(
            f"{p.title} {max(u) - min(u):.1f} MiB"
            for p in pages
            if (u := [r.uss_mib for r in p.ok_runs()])
        )
        busy = max(loads) > ncpu
        overlap = bool(bt and pt) and max(bt) >= min(pt)
        firm = all(max(u) - min(u) < 1.0 for u in (bu, pu) if u)
        out.append(
            f"- The 1-minute load average at the start of the counted loads was {min(loads):.1f}–{max(loads):.1f} "
            f"on {ncpu} CPUs" + (" (other jobs were running on the machine)" if busy else "") + "; "
            + ("the bare and participant time ranges overlap. " if overlap else "the bare and participant time ranges do not overlap. ")
            + f"Kernel USS max − min between runs: {uss_spread}"
            + ("; so the participant/bare memory ratio is a firmer number than the time ratio." if firm and busy else ".")
        )
    spread = []
    for p in pages:
        t = [r.seconds for r in p.ok_runs()]
        if len(t) > 1:
            spread.append(f"{p.title} {min(t):.2f}–{max(t):.2f} s")
    if spread:
        out.append("- Run-to-run range of the time: " + "; ".join(spread) + ".")
    for p in pages:
        skipped = [r for r in p.counted() if r.error.startswith("skipped")]
        failed = [r for r in p.counted() if not r.ok and r not in skipped]
        if failed or skipped:
            out.append(
                f"- {p.title}: {len(failed)} counted load(s) failed"
                + (f" (first: {failed[0].error})" if failed else "")
                + (f" and {len(skipped)} were skipped after failures in a row" if skipped else "")
                + ("; no numbers for this page from this run." if not p.ok_runs() else "; see the runs table.")
            )
    if imp and imp["ranked"]:
        top3 = imp["ranked"][:3]
        extra_uss = statistics.median(pu) - statistics.median(bu) if pu and bu else None
        first = imp["ranked"][0]
        if extra_uss and first.get("alone_uss") is not None:
            out.append(
                f"- `{first['name']}` alone (imported after ipywidgets in a fresh process) adds "
                f"{first['alone_uss']:.1f} MiB USS and took {first['alone_ms']:.0f} ms there; the participant kernel "
                f"holds {extra_uss:.1f} MiB USS more than the bare one."
            )
        out.append(
            "- On the participant path the largest imports are "
            + ", ".join(f"`{s['name']}` ({s['cum_ms']:.0f} ms, +{s.get('alone_uss', 0):.1f} MiB USS alone)" for s in top3)
            + f"; the whole notebook code adds {imp['seconds'] * 1000:.0f} ms and {imp['uss']:.1f} MiB USS to a "
            "process that has imported ipywidgets."
        )
    return out


def write_report(args, pages, imp, meta) -> str:
    lines = [
        *section_head("# Page benchmark: participant and facilitator pages vs. a bare ipywidgets notebook", meta["date"],
                      "bench_pages.py", meta["command"], scope="that one run"),
        "## Code measured",
        "",
        f"- Working tree of the checkout (`vertaiset_widgets/`, `templates/`, `workbooks/`), sha256 of the files "
        f"{meta['code_start'][0]} at the start (newest file changed {meta['code_start'][1]}) and "
        f"{meta['code_end'][0]} at the end (newest {meta['code_end'][1]})"
        + (": unchanged during the run." if meta["code_start"][0] == meta["code_end"][0]
           else ": **the code changed during the run** (others were editing), so later loads may have run newer code.")
        + (f" At the start: {meta['git']}." if meta.get("git") else ""),
        "",
        "## Machine",
        "",
        *meta["machine"],
        f"- Load average (1, 5, 15 min) at start {meta['load_start']}, at end {meta['load_end']}; "
        "other jobs were free to run on the machine at the same time.",
        "",
        "## Method",
        "",
        f"- One `python -m vertaiset_widgets.cli serve --root TMP --port P --db-url sqlite:///TMP/bench.sqlite` "
        f"(default culling: 600 s idle, checked every 60 s); it answered after {meta['server_start']:.1f} s.",
        "- Pages: bare slider `bare_slider.ipynb` (one `ipywidgets.IntSlider`), participant "
        "`osallistu.ipynb?session=CODE` (a session whose `arviointi_360` is open), facilitator "
        "`04_arviointi.ipynb?session=DEMO&key=KEY` (the demo session: 25 participants, the 360 answered)"
        + ("" if args.only_360 else "; and the phase 1 and 2 facilitator pages `01_tilannekuva.ipynb` and "
           "`02_tavoitteet.ipynb` on the same demo session (all answered)") + ".",
        f"- {args.runs} counted loads per page after {args.warmup} warm-up round(s) that are not counted, interleaved "
        "bare → participant → facilitator, each in a fresh browser context of one headless Chromium.",
        "- Time to interactive: from the start of `page.goto` until the page's main control has a box, is visible "
        "and is not disabled (checked in the page every 20 ms, then confirmed with Playwright's "
        "`is_visible()`/`is_enabled()`). Controls: bare `.widget-slider`; participant the button "
        "\"Lähetä vastaukset\" (it appears after the browser token round trip, the join and the first poll); "
        "facilitator the first button \"Avaa vastattavaksi\" (the 360 console's; whether its charts are drawn by "
        "then depends on the code: a live page may draw them after the console shows).",
        (f"- Kernel memory: {args.settle:g} s after that, RSS and USS (psutil `memory_full_info`) of the page's "
         "kernel (the `ipykernel_launcher` child of the server whose connection file has the id in the page's "
         "`jupyter-config-data`). Then the page and context are closed and that kernel is shut down through the "
         "server's kernel API (`DELETE /api/kernels/ID`), with SIGKILL if it outlives 20 s; the pools' idle "
         "kernels stay (waiting, they use no CPU)." if "pools" in meta else
         f"- Kernel memory: {args.settle:g} s after that, RSS and USS (psutil `memory_full_info`) of the newest "
         "`ipykernel_launcher` child of the server, checked to be new for this load. Then the page and context are "
         "closed and that kernel is shut down through the server's kernel API (`DELETE /api/kernels/ID`, which "
         "stops the process; a plain kill makes jupyter_client's restarter start it again), with SIGKILL if it "
         "outlives 20 s. So each load runs with no other kernel of this server alive."),
        "- Ratios are median ÷ median. RSS counts shared library pages too; USS is what this kernel alone holds, "
        "i.e. what one more phone costs.",
        "",
        *([] if "pools" not in meta else [
            f"- Pools on: `serve --room {args.room} --preheat {args.preheat}` (in the same root: the participant page "
            f"keeps {args.room} kernels ready, every other notebook -- each console, which also serves its screen, and "
            f"the bare slider -- keeps {args.preheat}). Filled {meta['pools_fill']:.0f} s after the server answered "
            f"(ready/pool/target: {meta['pools']}). Before each load the bench waits until every pool is full again "
            "and the kernels are quiet; the page's kernel is the one its `jupyter-config-data` names, it must be one "
            "the server log says it handed out from a pool (\"Using pre-heated kernel\"), and only it is shut down "
            "afterwards. Screens: `role=screen`, waited for until the join banner's QR code shows. Switch: the "
            "browser is on 01's console (interactive, then the pools settle), then goes to 02's console in the same "
            "tab; timed from that `page.goto` until 02's first \"Avaa vastattavaksi\" is usable.",
        ]),
        "",
        "## Results",
        "",
        *results_table(pages),
        "",
        *(["### With pools: the aims", "", *pools_table(pages), ""] if "pools" in meta else
          [f"Aim: participant page within {AIM}× the bare notebook in time and memory.", ""]),
        "",
        *(["## Reading", "", *reading(pages, imp), ""] if len(pages) >= 3 else []),  # --pages: bare + one
    ]
    if imp:
        lines += [*imports_section(imp), ""]
    lines += ["## Every load", "", *runs_table(pages), ""]
    return "\n".join(lines)


# --------------------------------------------------------------------------- main
def kept_sections(path: Path) -> str:
    """The other benchmarks' sections of ``path`` (bench_room.py's, bench_report.py's), kept when this
    report replaces the file."""
    if not path.exists():
        return ""
    keep, out = False, []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            keep = line.startswith(("## A full room", "## QR burst", "## Session report"))
        if keep:
            out.append(line)
    return ("\n" + "\n".join(out) + "\n") if out else ""


def _shown_python() -> str:
    """The interpreter as the command line in RESULTS.md shows it: relative to the repository, else `python`."""
    exe = Path(sys.executable)
    try:
        return str(exe.relative_to(ROOT))
    except ValueError:
        return "python"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5, help="counted loads per page (default 5)")
    ap.add_argument("--warmup", type=int, default=1, help="uncounted rounds first (default 1)")
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds one load may take (default 120)")
    ap.add_argument("--settle", type=float, default=1.0, help="seconds after interactive before reading memory (default 1)")
    ap.add_argument("--pause", type=float, default=1.0, help="seconds between loads (default 1)")
    ap.add_argument("--give-up-after", type=int, default=2,
                    help="skip a page's remaining loads after this many failures in a row (default 2)")
    ap.add_argument("--import-runs", type=int, default=3, help="processes per import measurement (default 3)")
    ap.add_argument("--top", type=int, default=10, help="imports to list (default 10)")
    ap.add_argument("--skip-imports", action="store_true", help="do not measure the participant page's imports")
    ap.add_argument("--out", help="write the report here (e.g. bench/RESULTS.md)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder (server log, database)")
    ap.add_argument("--only-360", action="store_true", help="leave out the phase 1 and 2 facilitator pages")
    ap.add_argument("--no-pools", action="store_true",
                    help="serve without preheated pools (each load starts its kernel, as before --room existed)")
    ap.add_argument("--room", type=int, default=2, help="with pools: serve --room N (the participant pool; default 2)")
    ap.add_argument("--preheat", type=int, default=1,
                    help="with pools: serve --preheat K, the pool of every other notebook, the bare one's too (default 1)")
    ap.add_argument("--pages", default="", help="only these pages (keys, comma-separated; bare is always in)")
    args = ap.parse_args(argv)
    if args.runs < 1 or args.warmup < 0:
        ap.error("--runs must be >= 1 and --warmup >= 0")

    command = " ".join(shlex.quote(a) for a in [_shown_python(), *sys.argv])
    meta = {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "command": command,
        "load_start": ", ".join(f"{x:.2f}" for x in os.getloadavg()),
        "code_start": code_fingerprint(),
        "git": git_state(),
    }
    tmp = Path(tempfile.mkdtemp(prefix="vertaiset-bench-"))
    os.environ["VERTAISET_HOME"] = str(tmp / "home")  # nothing touches the user's own database
    os.environ.pop("VERTAISET_DB_URL", None)
    server: Server | None = None

    def _on_signal(signum, _frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGHUP, _on_signal)

    try:
        db_url, code, demo_code, demo_key = prepare(tmp)
        print(f"temporary folder {tmp}; participant session {code}; demo session {demo_code}", flush=True)
        pages = [
            Page("bare", "bare slider", BARE_NOTEBOOK.name, {}, ("css", ".widget-slider"), "`.widget-slider`"),
            Page("participant", "participant", "osallistu.ipynb", {"session": code},
                 ("button", "Lähetä vastaukset"), "button \"Lähetä vastaukset\""),
            Page("facilitator", "facilitator", "04_arviointi.ipynb", {"session": demo_code, "key": demo_key},
                 ("button", "Avaa vastattavaksi"), "button \"Avaa vastattavaksi\""),
        ]
        if not args.only_360:  # the phase 1 and 2 consoles: eight activities each, every kind's charts
            from vertaiset_widgets.store import SessionStore

            with SessionStore(db_url) as store:  # the demo Puimala's key (seeded beside the demo day)
                puimala_key = store.set_key("PUIMALA")
            pages += [
                Page("bank_phone", "practice bank, phone", "osallistu.ipynb", {"view": "bank"},
                     ("button", "Hae"), "button \"Hae\""),
                Page("bank", "practice bank, facilitator", "kaytantopankki.ipynb", {"session": demo_code, "key": demo_key},
                     ("button", "Hae"), "button \"Hae\""),
                Page("puimala", "Puimala, facilitator", "puimala.ipynb", {"session": "PUIMALA", "key": puimala_key},
                     ("button", "Avaa vastattavaksi"), "button \"Avaa vastattavaksi\""),
                Page("tilannekuva", "facilitator, phase 1", "01_tilannekuva.ipynb", {"session": demo_code, "key": demo_key},
                     ("button", "Avaa vastattavaksi"), "button \"Avaa vastattavaksi\""),
                Page("tavoitteet", "facilitator, phase 2", "02_tavoitteet.ipynb", {"session": demo_code, "key": demo_key},
                     ("button", "Avaa vastattavaksi"), "button \"Avaa vastattavaksi\""),
            ]
        if not args.no_pools and not args.only_360:
            open_btn = ("button", "Avaa vastattavaksi")
            pages.insert(-1, Page("koordinointi", "facilitator, phase 3", "03_koordinointi.ipynb",
                                  {"session": demo_code, "key": demo_key}, open_btn, "button \"Avaa vastattavaksi\""))
            screen = ("css", ".vt-presenter .vt-qr")
            for nb, title, session in (("01_tilannekuva.ipynb", "phase 1", demo_code), ("02_tavoitteet.ipynb", "phase 2", demo_code),
                                       ("03_koordinointi.ipynb", "phase 3", demo_code), ("04_arviointi.ipynb", "phase 4 (360)", demo_code),
                                       ("puimala.ipynb", "Puimala", "PUIMALA"), ("kaytantopankki.ipynb", "practice bank", demo_code)):
                pages.append(Page(f"screen_{nb.split('.')[0]}", f"screen, {title}", nb, {"session": session, "role": "screen"},
                                  screen, "the join banner's QR code (`.vt-presenter .vt-qr`)", kind="screen"))
            tilannekuva = next(p for p in pages if p.key == "tilannekuva")
            pages.append(Page("switch", "switch 01 → 02 console", "02_tavoitteet.ipynb", {"session": demo_code, "key": demo_key},
                              open_btn, "button \"Avaa vastattavaksi\" of 02, from 01's console", via=tilannekuva, kind="switch"))
        for p in pages:
            if not p.kind:
                p.kind = {"participant": "participant", "bare": "", "bank_phone": ""}.get(p.key, "console")
        if args.pages:
            keep = {"bare", *args.pages.split(",")}
            unknown = keep - {p.key for p in pages}
            if unknown:
                ap.error(f"unknown page(s) {', '.join(sorted(unknown))}; pages: {', '.join(p.key for p in pages)}")
            pages = [p for p in pages if p.key in keep]
        env = {k: v for k, v in os.environ.items() if k != "QUERY_STRING"}
        env["PYTHONUNBUFFERED"] = "1"
        pool_args = [] if args.no_pools else ["--room", str(args.room), "--preheat", str(args.preheat)]
        server = Server(tmp, db_url, free_port(), tmp / "server.log", env, pool_args)
        atexit.register(server.stop)
        meta["server_start"] = server.wait_ready()
        print(f"server up on {server.base_url} after {meta['server_start']:.1f} s", flush=True)
        measure = measure_once
        if server.pools:
            measure = measure_pooled
            t = time.monotonic()
            meta["pools"] = wait_pools(server)
            meta["pools_fill"] = time.monotonic() - t
            print(f"pools full after {meta['pools_fill']:.0f} s: {meta['pools']}", flush=True)

        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            try:
                meta["machine"] = machine_info(browser.version)
                index = 0
                for round_no in range(args.warmup + args.runs):
                    warm = round_no < args.warmup
                    for p in pages:
                        run = Run(page=p.key, index=index, warmup=warm)
                        index += 1
                        streak = 0
                        for earlier in reversed(p.runs):
                            if earlier.ok:
                                break
                            streak += 1
                        if args.give_up_after and streak >= args.give_up_after:
                            run.error = f"skipped: the previous {streak} loads of this page failed"
                            p.runs.append(run)
                            print(f"[{'warm-up' if warm else f'run {round_no - args.warmup + 1}'}] {p.key:<12} SKIPPED", flush=True)
                            continue
                        if server.pools:
                            run.pools_before = wait_pools(server)
                        measure(browser, server, p, run, args.timeout, args.settle)
                        p.runs.append(run)
                        status = (
                            f"{run.seconds:6.2f} s  RSS {run.rss_mib:6.1f} MiB  USS {run.uss_mib:6.1f} MiB"
                            if run.ok else f"FAILED {run.error}"
                        )
                        print(f"[{'warm-up' if warm else f'run {round_no - args.warmup + 1}'}] {p.key:<12} {status}  "
                              + ("" if run.pooled is None else "from the pool  " if run.pooled else "NOT from the pool  ")
                              + f"(kernel stop: {run.kernel_stopped})", flush=True)
                        time.sleep(args.pause)
            finally:
                browser.close()
        left = kernel_processes(server.ps)
        if left and not server.pools:
            print(f"warning: {len(left)} kernel(s) of the server still alive at the end", flush=True)
        elif left:
            print(f"{len(left)} pool kernel(s) alive at the end (stopped with the server)", flush=True)

        imp = None
        if not args.skip_imports:
            print("measuring the participant page's imports ...", flush=True)
            imp = import_analysis(tmp, db_url, args.import_runs, args.top)
        meta["load_end"] = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        meta["code_end"] = code_fingerprint()
        report = write_report(args, pages, imp, meta)
        print()
        print(report)
        if args.out:
            out = Path(args.out)
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(report + kept_sections(out), encoding="utf-8")
            print(f"wrote {out}")
        return 0 if all(r.ok for p in pages for r in p.runs if not r.warmup) else 1
    finally:
        if server is not None:
            server.stop()
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def _activities(notebook: str) -> int:
    """How many activities a workbook runs (its ``wb.activity(...)`` cells)."""
    nb = json.loads((ROOT / "workbooks" / notebook).read_text(encoding="utf-8"))
    return sum("wb.activity(" in "".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python
"""The session report's time: ``vertaiset report DEMO`` against papermill on as many trivial notebooks.

Run::

    .venv/bin/python bench/bench_report.py [--runs 5] [--out bench/RESULTS.md]

Each round, interleaved:

1. **cold**: a fresh ``VERTAISET_HOME`` (temporary folder), ``vertaiset demo`` seeds the demo session
   (not timed), then ``vertaiset report CODE --quiet --out DIR`` runs as a subprocess, timed end to end;
2. **warm**: the same command again, on the same home;
3. **papermill**: one ``python -c`` subprocess that runs, with the ``papermill`` API, as many trivial
   notebooks as the report runs workbooks (one parameter cell, one ``print`` cell each), one after
   the other, timed end to end the same way;
4. **papermill, immediate shutdown**: the same with ``shutdown_kernel="immediate"``, as the report's
   own runs shut their kernels down. Papermill's default, graceful shutdown now and then stalls
   for seconds, which makes the plain baseline slower and the ratio look better than it is.

Reported: the medians, the min–max, and the ratios of the medians (report ÷ papermill). The aim is
judged against the faster of the two baselines.
"""
from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from bench_room import git_state, machine_lines, replace_section  # noqa: E402
from benchlib import ratio_verdict, section_head  # noqa: E402

VERTAISET = [sys.executable, "-m", "vertaiset_widgets.cli"]

#: Run the trivial notebooks in one process with papermill's API (argv: output folder, notebooks...).
PAPERMILL_RUN = r"""
import sys
import papermill as pm
out, shutdown = sys.argv[1], sys.argv[2]
for i, nb in enumerate(sys.argv[3:]):
    extra = {"shutdown_kernel": shutdown} if shutdown != "default" else {}
    pm.execute_notebook(nb, f"{out}/out-{i}.ipynb", parameters={"n": i}, kernel_name="python3", progress_bar=False,
                        **extra)
"""

#: The baselines: papermill as it comes, and with the report's immediate kernel shutdown.
BASELINES = {"papermill": "default", "papermill_now": "immediate"}


def trivial_notebook(path: Path) -> None:
    """One parameter cell and one ``print`` cell (nbformat 4)."""
    cells = [
        {"cell_type": "code", "metadata": {"tags": ["parameters"]}, "source": "n = 0", "outputs": [], "execution_count": None},
        {"cell_type": "code", "metadata": {}, "source": "print(n)", "outputs": [], "execution_count": None},
    ]
    nb = {"cells": cells, "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
          "nbformat": 4, "nbformat_minor": 5}
    for i, cell in enumerate(cells):
        cell["id"] = f"c{i}"
    path.write_text(json.dumps(nb), encoding="utf-8")


def clean_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("VERTAISET_DB_URL", "QUERY_STRING", "VERTAISET_ROOT")}
    env["VERTAISET_HOME"] = str(home)
    return env


def timed(cmd: list[str], env: dict[str, str], cwd: Path, timeout: float) -> float:
    """Seconds the command took, end to end; raises with its output when it fails."""
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, cwd=str(cwd), capture_output=True, text=True, timeout=timeout)
    took = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{shlex.join(cmd)} exited {proc.returncode}:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    return took


def workbook_count() -> int:
    from vertaiset_widgets.report import DEFAULT_WORKBOOKS

    return len(DEFAULT_WORKBOOKS)


def one_round(tmp: Path, i: int, notebooks: list[Path], timeout: float) -> dict[str, float]:
    home = tmp / f"home-{i}"
    home.mkdir()
    env = clean_env(home)
    proc = subprocess.run([*VERTAISET, "demo", "--json"], env=env, cwd=str(tmp), capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"vertaiset demo failed:\n{proc.stderr[-2000:]}")
    code = json.loads(proc.stdout)["code"]
    report = [*VERTAISET, "report", code, "--quiet", "--out", str(tmp / f"reports-{i}")]
    out = {"cold": timed(report, env, tmp, timeout), "warm": timed(report, env, tmp, timeout)}
    for key, shutdown in BASELINES.items():
        pm_out = tmp / f"{key}-{i}"
        pm_out.mkdir()
        out[key] = timed([sys.executable, "-c", PAPERMILL_RUN, str(pm_out), shutdown, *map(str, notebooks)],
                         clean_env(home), tmp, timeout)
    return out


def mmm(xs: list[float]) -> str:
    return f"{statistics.median(xs):.2f} ({min(xs):.2f}–{max(xs):.2f})"


def write_section(args, rounds: list[dict[str, float]], meta: dict) -> str:
    med = {k: statistics.median(r[k] for r in rounds) for k in ("cold", "warm", *BASELINES)}
    base = min(BASELINES, key=lambda k: med[k])  # the stricter baseline judges the aim
    n = meta["notebooks"]

    def row(label: str, key: str) -> str:
        return (f"| {label} | {mmm([r[key] for r in rounds])} | {med[key] / med['papermill']:.2f}× | "
                f"{med[key] / med['papermill_now']:.2f}× |")

    L = [
        *section_head("## Session report vs. papermill", meta["date"], "bench_report.py", meta["command"],
                      code=f"Code: git {meta['git']}."),
        "### Machine",
        "",
        *machine_lines(),
        f"- Load average (1, 5, 15 min) at start {', '.join(f'{x:.2f}' for x in meta['load_start'])}, "
        f"at end {', '.join(f'{x:.2f}' for x in meta['load_end'])}.",
        "",
        "### Method",
        "",
        f"- {len(rounds)} round(s), interleaved: cold report, warm report, papermill, papermill with immediate shutdown.",
        "- Cold: a fresh `VERTAISET_HOME`, the demo seeded by `vertaiset demo` (not timed), then "
        "`python -m vertaiset_widgets.cli report CODE --quiet --out DIR` as a subprocess, timed from its start to "
        "its exit (HTML, the default format and kernels). Warm: the same command again on the same home.",
        f"- Papermill: one `python -c` subprocess that runs {n} trivial notebooks (one parameter cell, one "
        "`print` cell) one after the other with `papermill.execute_notebook` (kernel `python3`), timed the same "
        f"way; {n} = the workbooks the report runs (`report.DEFAULT_WORKBOOKS`). Then the same with "
        "`shutdown_kernel=\"immediate\"`, as the report shuts its own kernels down: papermill's default, graceful "
        "shutdown now and then stalls for seconds. The aim is judged against the faster baseline's median.",
        "",
        "### Results",
        "",
        "| run | median (min–max), s | ÷ papermill | ÷ papermill, immediate shutdown |",
        "|---|---|---|---|",
        row("report, cold", "cold"),
        row("report, warm", "warm"),
        row(f"papermill, {n} trivial notebooks", "papermill"),
        row(f"papermill, {n} trivial notebooks, immediate shutdown", "papermill_now"),
        "",
    ]
    if args.aim:
        L += [f"Aim: the report within {args.aim:g}× papermill (the faster baseline: "
              f"{'immediate shutdown' if base == 'papermill_now' else 'default shutdown'}): cold "
              f"{ratio_verdict(med['cold'] / med[base], args.aim)}, warm "
              f"{ratio_verdict(med['warm'] / med[base], args.aim)}.", ""]
    L += ["Every round (s): " + "; ".join(
        f"#{i + 1} cold {r['cold']:.2f}, warm {r['warm']:.2f}, papermill {r['papermill']:.2f}, "
        f"immediate {r['papermill_now']:.2f}" for i, r in enumerate(rounds)), ""]
    return "\n".join(L)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5, help="rounds (cold, warm and both papermill runs each; default 5)")
    ap.add_argument("--timeout", type=float, default=900.0, help="seconds one command may take (default 900)")
    ap.add_argument("--aim", type=float, default=2.0,
                    help="met/not met for report ÷ papermill ≤ this (default 2, the session report's aim; 0: none)")
    ap.add_argument("--out", help="replace (or add) the section '## Session report vs. papermill' in this file")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = ap.parse_args(argv)
    from bench_pages import _shown_python

    meta = {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "command": shlex.join([_shown_python(), *sys.argv]), "load_start": os.getloadavg(), "git": git_state()}
    tmp = Path(tempfile.mkdtemp(prefix="vertaiset-bench-report-"))
    try:
        notebooks = []
        meta["notebooks"] = workbook_count()
        for i in range(meta["notebooks"]):
            notebooks.append(tmp / f"trivial-{i}.ipynb")
            trivial_notebook(notebooks[-1])
        rounds = []
        for i in range(args.runs):
            rounds.append(one_round(tmp, i, notebooks, args.timeout))
            r = rounds[-1]
            print(f"round {i + 1}: cold {r['cold']:.2f} s, warm {r['warm']:.2f} s, papermill {r['papermill']:.2f} s, "
                  f"immediate {r['papermill_now']:.2f} s", flush=True)
        meta["load_end"] = os.getloadavg()
        section = write_section(args, rounds, meta)
        print()
        print(section)
        if args.out:
            replace_section(Path(args.out), section)
            print(f"wrote the section into {args.out}")
        return 0
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

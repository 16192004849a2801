"""Running the report's workbooks: papermill in this process, few kernels, no kernel chatter.

Starting papermill and a kernel and importing the package cost seconds; running a workbook does
not. So workbooks run as one notebook in one kernel (:func:`combine`), and with ``kernels=2`` the
report's workbooks are shared between two such runs that go side by side, one per core (the
phases' charts are the work), weighed by what each took in the last report on this machine
(:func:`groups`). An activity an earlier workbook already runs (the check-in) is not run again.
The executed notebooks come back one per workbook, in the report's order (:func:`split`).

The kernels are started before their notebooks are ready, and do their imports while they wait
(:mod:`report_kernels`), with their log at the critical level: ipykernel warns on every start that
its loopback TCP is unencrypted and logs papermill's interrupt at shutdown as an error, neither of
which a facilitator making a report can act on (a failing cell still raises, with its traceback,
from papermill).
"""
from __future__ import annotations

import itertools
import json
import re
from pathlib import Path
from typing import Any, Sequence

import nbformat

from .report_kernels import KERNEL_QUIET, StartedKernel, stop_kernels

__all__ = ["ACTIVITY_CALL", "code_text", "combine", "execute_workbooks", "groups", "split"]

#: A workbook's cell that draws an activity, and the activity's id (the report's one pattern for it).
ACTIVITY_CALL = re.compile(r"""wb\.activity\(\s*["']([a-z0-9_]+)["']""")


def code_text(path: Path) -> str:
    """A notebook's code cells' source, one after another (as the kernel runs it)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    return "\n".join("".join(c.get("source", "")) for c in nb.get("cells", []) if c.get("cell_type") == "code")


def _shown_before(paths: Sequence[Path]) -> dict[Path, set[str]]:
    """For each workbook, the activities an earlier workbook of the report already runs (the
    check-in opens several phases): the report shows each once, so they need not run again."""
    seen: set[str] = set()
    out: dict[Path, set[str]] = {}
    for path in paths:
        ids = ACTIVITY_CALL.findall(code_text(path))
        out[path] = {i for i in ids if i in seen}
        seen.update(ids)
    return out


def combine(paths: Sequence[Path], skip: dict[Path, set[str]] | None = None) -> nbformat.NotebookNode:
    """The workbooks as one notebook: the first one's parameters cell, then every workbook's
    cells (each marked with its workbook, see :func:`split`). A cell of an activity in
    ``skip[path]`` becomes a comment that still names it (``report._drop_repeats`` leaves it and
    its method text out), so it costs nothing to run."""
    combined: nbformat.NotebookNode | None = None
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        cells = nb.cells
        for cell in cells:
            match = ACTIVITY_CALL.search("".join(cell.get("source", ""))) if cell.cell_type == "code" else None
            if match and match.group(1) in (skip or {}).get(path, ()):
                cell["source"] = f'# shown earlier in this report: wb.activity("{match.group(1)}")'
        cells = nb.cells
        if combined is None:
            combined = nb
            combined.cells = []
        else:  # the first workbook's parameters serve them all
            cells = [c for c in cells if "parameters" not in c.get("metadata", {}).get("tags", [])]
        for cell in cells:
            cell.setdefault("metadata", {})["vertaiset_workbook"] = path.name
            cell["id"] = f"{path.stem}-{len(combined.cells)}"[:64]
            combined.cells.append(cell)
    if combined is None:
        raise ValueError("no workbooks to combine")
    return combined


def split(nb: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    """The executed combined notebook back as one notebook per workbook, in order."""
    parts: list[nbformat.NotebookNode] = []
    current = None
    for cell in nb.cells:
        name = cell.get("metadata", {}).get("vertaiset_workbook", current)
        if name != current or not parts:
            parts.append(nbformat.from_dict({**nb, "cells": []}))
            current = name
        parts[-1].cells.append(cell)
    return parts


def _weight(path: Path) -> float:
    """A workbook's work, roughly: its activities, each by its kind's ``report_weight`` (an
    activity the templates do not know counts 1)."""
    from . import kinds
    from .content import load_content

    ids = ACTIVITY_CALL.findall(code_text(path))
    try:
        content = load_content()
    except Exception:  # a broken template is reported when the workbook runs, by name
        return float(max(1, len(ids)))
    total = 0.0
    for activity_id in ids:
        try:
            total += kinds.for_activity(content.activity(activity_id)).report_weight
        except Exception:
            total += 1.0
    return max(1.0, total)


def _times_path() -> Path:
    from .config import data_home

    return data_home() / "cache" / "report-times.json"


def _last_times() -> dict[str, float]:
    """Seconds each workbook's cells took in the last report on this machine (none: unknown)."""
    try:
        data = json.loads(_times_path().read_text(encoding="utf-8"))
        return {str(k): float(v) for k, v in data.items()} if isinstance(data, dict) else {}
    except (OSError, ValueError, TypeError):
        return {}


def _remember_times(done: list[nbformat.NotebookNode]) -> None:
    """Keep what each workbook's cells took (papermill's durations), for the next report's split."""
    times = _last_times()
    fresh: dict[str, float] = {}
    for nb in done:
        for cell in nb.cells:
            name = cell.get("metadata", {}).get("vertaiset_workbook")
            took = cell.get("metadata", {}).get("papermill", {}).get("duration")
            opening = "Workbook.open" in "".join(cell.get("source", ""))  # its imports: whichever kernel runs it first
            if name and isinstance(took, (int, float)) and not opening:
                fresh[name] = fresh.get(name, 0.0) + float(took)
    times.update(fresh)
    try:
        path = _times_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(times, sort_keys=True), encoding="utf-8")
    except OSError:
        pass


def groups(paths: Sequence[Path], kernels: int, times: dict[str, float] | None = None) -> list[list[Path]]:
    """``paths`` shared among at most ``kernels`` runs, the heaviest run as light as it can be.

    A workbook weighs what its cells took in the last report (``times``), else its activities
    count (each reads the store and draws its results); each run keeps the report's order."""
    kernels = max(1, min(kernels, len(paths)))
    if kernels == 1:
        return [list(paths)]
    known = times or {}
    weights = [known.get(p.name) or float(_weight(p)) for p in paths]
    if any(p.name not in known for p in paths):
        weights = [float(_weight(p)) for p in paths]  # one scale for all: counts unless every time is known
    best: tuple[float, list[list[Path]]] | None = None
    for assignment in itertools.product(range(kernels), repeat=len(paths)):
        if assignment[0] != 0 or len(set(assignment)) != kernels:
            continue  # the same split with the runs renamed, or a kernel with nothing
        loads = [sum(w for w, k in zip(weights, assignment) if k == run) for run in range(kernels)]
        if best is None or max(loads) < best[0]:
            best = (max(loads), [[p for p, k in zip(paths, assignment) if k == run] for run in range(kernels)])
    assert best is not None
    return best[1]


def _execute(nb: nbformat.NotebookNode, parameters: dict[str, Any], progress: bool, label: str,
             position: int, km: Any = None) -> nbformat.NotebookNode:
    """Run ``nb`` with papermill: in the started kernel ``km``, else in a kernel of papermill's own."""
    import papermill

    from .report import workbooks_dir

    bar: bool | dict[str, Any] = {"desc": label, "unit": "cell", "position": position} if progress else False
    own = {} if km is None else {"km": km}  # a kernel we started is ours to shut down (report_kernels)
    return papermill.execute_notebook(
        nb,
        None,
        parameters=parameters,
        kernel_name="python3",
        progress_bar=bar,
        cwd=str(workbooks_dir()),
        extra_arguments=KERNEL_QUIET,
        shutdown_kernel="immediate",  # its work is done and read back: no need to wait for it to end
        **own,
    )


def execute_workbooks(paths: Sequence[Path], *, parameters: dict[str, Any], kernels: Sequence[StartedKernel],
                      progress: bool = False) -> list[nbformat.NotebookNode]:
    """Run the workbooks with ``parameters`` in at most as many runs side by side as ``kernels``
    (started by :func:`report_kernels.start_kernels`; those the workbooks do not need are shut
    down); return them executed, one notebook per workbook, in the order given.

    ``progress`` draws a progress bar of each run's cells on standard error (tqdm, as papermill does).
    """
    paths = list(paths)
    skip = _shown_before(paths)
    runs = groups(paths, len(kernels), _last_times())
    labels = ["+".join(p.stem.split("_", 1)[0] for p in run) for run in runs]
    stop_kernels(kernels[len(runs):], wait=None)
    futures = []
    for i, (run, label, kernel) in enumerate(zip(runs, labels, kernels)):
        nb = combine(run, skip)
        futures.append(kernel.run(lambda km, nb=nb, label=label, i=i:
                                  _execute(nb, parameters, progress, f"vertaiset report {label}", i, km)))
    done = [f.result() for f in futures]
    _remember_times(done)
    parts = {part.cells[0].get("metadata", {}).get("vertaiset_workbook"): part for nb in done for part in split(nb) if part.cells}
    return [parts[p.name] for p in paths if p.name in parts]

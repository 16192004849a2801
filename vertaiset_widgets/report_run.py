"""Running the report's workbooks: papermill in this process, few kernels, no kernel chatter.

Starting papermill and a kernel and importing the package cost seconds; running a workbook does
not. So consecutive workbooks run as one notebook in one kernel (:func:`combine`), and with
``kernels=2`` the report's workbooks are cut into two such runs that go side by side, one per
core (the phases' charts and word summaries are the work). The executed notebooks come back one
per workbook, in order (:func:`split`).

The kernels are started with their log at the critical level: ipykernel warns on every start that
its loopback TCP is unencrypted and logs papermill's interrupt at shutdown as an error, neither of
which a facilitator making a report can act on (a failing cell still raises, with its traceback,
from papermill).
"""
from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Sequence

import nbformat

__all__ = ["KERNEL_QUIET", "combine", "execute_workbooks", "groups", "split"]

#: The kernel's own options for a report run: its log only for what is critical.
KERNEL_QUIET = ["--IPKernelApp.log_level=CRITICAL"]

_ACTIVITY_CALL = re.compile(r"""wb\.activity\(""")


def combine(paths: Sequence[Path]) -> nbformat.NotebookNode:
    """The workbooks as one notebook: the first one's parameters cell, then every workbook's
    cells (each marked with its workbook, see :func:`split`)."""
    combined: nbformat.NotebookNode | None = None
    for path in paths:
        nb = nbformat.read(path, as_version=4)
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


def _weight(path: Path) -> int:
    """A workbook's work, roughly: its activities (each reads the store and draws its results)."""
    return max(1, len(_ACTIVITY_CALL.findall(path.read_text(encoding="utf-8"))))


def groups(paths: Sequence[Path], kernels: int) -> list[list[Path]]:
    """``paths`` cut into at most ``kernels`` runs of consecutive workbooks, the heaviest run as
    light as it can be."""
    kernels = max(1, min(kernels, len(paths)))
    if kernels == 1:
        return [list(paths)]
    weights = [_weight(p) for p in paths]
    best: tuple[int, list[list[Path]]] | None = None

    def cuts(start: int, left: int) -> Any:
        if left == 1:
            yield [list(range(start, len(paths)))]
            return
        for end in range(start + 1, len(paths) - left + 2):
            for rest in cuts(end, left - 1):
                yield [list(range(start, end)), *rest]

    for option in cuts(0, kernels):
        heaviest = max(sum(weights[i] for i in run) for run in option)
        if best is None or heaviest < best[0]:
            best = (heaviest, [[paths[i] for i in run] for run in option])
    assert best is not None
    return best[1]


def _execute(nb: nbformat.NotebookNode, parameters: dict[str, Any], progress: bool, label: str,
             position: int) -> nbformat.NotebookNode:
    import papermill

    from .report import workbooks_dir

    bar: bool | dict[str, Any] = {"desc": label, "unit": "cell", "position": position} if progress else False
    return papermill.execute_notebook(
        nb,
        None,
        parameters=parameters,
        kernel_name="python3",
        progress_bar=bar,
        cwd=str(workbooks_dir()),
        extra_arguments=KERNEL_QUIET,
    )


def execute_workbooks(paths: Sequence[Path], *, parameters: dict[str, Any], kernels: int = 1,
                      progress: bool = False) -> list[nbformat.NotebookNode]:
    """Run the workbooks with ``parameters`` in at most ``kernels`` kernels side by side; return
    them executed, one notebook per workbook, in the order given.

    ``progress`` draws a progress bar of each run's cells on standard error (tqdm, as papermill does).
    """
    runs = groups(list(paths), kernels)
    labels = ["+".join(p.stem.split("_", 1)[0] for p in run) for run in runs]
    if len(runs) == 1:
        done = [_execute(combine(runs[0]), parameters, progress, f"vertaiset report {labels[0]}", 0)]
    else:
        with ThreadPoolExecutor(max_workers=len(runs), thread_name_prefix="vertaiset-report") as pool:
            futures = [pool.submit(_execute, combine(run), parameters, progress, f"vertaiset report {label}", i)
                       for i, (run, label) in enumerate(zip(runs, labels))]
            done = [f.result() for f in futures]
    return [part for nb in done for part in split(nb)]

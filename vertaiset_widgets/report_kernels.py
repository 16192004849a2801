"""A report's kernels, started before their notebooks are ready.

A report kernel spends about two seconds before its first activity: the kernel starts, imports
the package, and in a session's first report vl-convert draws its first picture (0.4 s, each later
one about 30 ms; a later report finds most of its pictures kept, see chart_cache). The
report's own process spends about a second meanwhile finding the session, reading the templates
and importing nbconvert. :func:`start_kernels` starts the kernels first, so both go side by side:
``vertaiset report`` calls it before anything else, and :func:`report.build_report` at its start
when it is given a number of kernels.

Each kernel lives on a thread of its own, which starts it, waits for its notebook, runs it with
papermill and shuts it down. A kernel belongs to one asyncio loop (jupyter_client's), so it is
started and used on the same thread. A kernel that cannot start leaves the run to papermill, which
starts its own and reports the error as it always does.

Only this module, which needs no more than jupyter_client, is imported before the kernels start.
"""
from __future__ import annotations

import atexit
import logging
import queue
import threading
from concurrent.futures import Future
from typing import Any, Callable, Sequence

__all__ = ["KERNEL_QUIET", "KERNEL_WARM", "StartedKernel", "start_kernels", "stop_kernels", "warm_kernel"]

log = logging.getLogger("vertaiset")

#: The kernel's own options for a report run: its log only for what is critical (ipykernel warns
#: on every start that its loopback TCP is unencrypted, which a facilitator cannot act on).
KERNEL_QUIET = ["--IPKernelApp.log_level=CRITICAL"]

#: What a report kernel does while it waits for its notebook (:func:`warm_kernel`). If this
#: fails, the workbook's own first cell fails with its traceback.
KERNEL_WARM = [
    "--IPKernelApp.exec_lines=from vertaiset_widgets.report_kernels import warm_kernel; warm_kernel()",
]


def warm_kernel() -> None:
    """In a report kernel, before its notebook: import the package and, for a session's first
    report (no pictures kept on disk yet), draw vl-convert's first picture.

    The imports run without the cyclic garbage collector, which would scan every object they
    create several times over (0.15–0.2 s of a kernel's start) to find no garbage, and what
    they leave is then frozen (:func:`gc.freeze`): the notebook's collections skip it. A report
    kernel lives for one report."""
    import gc
    import importlib

    gc.disable()
    try:
        importlib.import_module("vertaiset_widgets.workbook")
        from vertaiset_widgets import chart_render
    finally:
        gc.enable()
    gc.freeze()
    chart_render.warm_up(unless_kept=True)


_STOP = object()
_live: "set[StartedKernel]" = set()
_live_lock = threading.Lock()


class StartedKernel:
    """A kernel starting now on its own thread; :meth:`run` gives it its work, :meth:`close` ends it."""

    def __init__(self, cwd: str, name: str = "vertaiset-report-kernel") -> None:
        self._jobs: queue.Queue = queue.Queue(maxsize=1)
        self._taken = False
        self.cwd = cwd
        self._thread = threading.Thread(target=self._serve, name=name, daemon=True)
        with _live_lock:
            _live.add(self)
        self._thread.start()

    def _start(self) -> Any:
        """The kernel manager of a started kernel, or None when it could not start."""
        try:
            from jupyter_client import AsyncKernelManager
            from jupyter_core.utils import run_sync

            km = AsyncKernelManager(kernel_name="python3")
            run_sync(km.start_kernel)(extra_arguments=[*KERNEL_QUIET, *KERNEL_WARM], cwd=self.cwd)
            return km
        except Exception as exc:  # papermill starts its own, and says what is wrong
            log.info("a report kernel did not start ahead: %s", exc)
            return None

    def _serve(self) -> None:
        km = self._start()
        job, done = self._jobs.get()
        try:
            if job is not _STOP:
                try:
                    done.set_result(job(km))
                except BaseException as exc:  # noqa: BLE001 - handed to the waiting caller
                    done.set_exception(exc)
        finally:
            if km is not None:
                try:
                    from jupyter_core.utils import run_sync

                    run_sync(km.shutdown_kernel)(now=True)
                except Exception as exc:  # pragma: no cover - the process is gone already
                    log.info("a report kernel did not shut down cleanly: %s", exc)
            with _live_lock:
                _live.discard(self)

    def run(self, job: Callable[[Any], Any]) -> "Future[Any]":
        """Run ``job(km)`` on this kernel's thread once it has started (``km`` is None if it could
        not); the kernel is shut down after it. A kernel runs one job."""
        if self._taken:
            raise RuntimeError("this kernel has run its job")
        self._taken = True
        done: Future = Future()
        self._jobs.put((job, done))
        return done

    def close(self, wait: float | None = None) -> None:
        """Shut the kernel down without a job (nothing if it has one); ``wait`` seconds for it."""
        if not self._taken:
            self._taken = True
            self._jobs.put((_STOP, None))
        if wait:
            self.join(wait)

    def join(self, timeout: float | None = None) -> None:
        """Wait up to ``timeout`` seconds until the kernel is shut down (after its job, if any)."""
        self._thread.join(timeout)


def start_kernels(count: int, cwd: str | None = None) -> list[StartedKernel]:
    """Start ``count`` report kernels now, in the workbooks' folder (or ``cwd``)."""
    if cwd is None:
        from .roots import workbooks_dir

        cwd = str(workbooks_dir())
    return [StartedKernel(cwd, f"vertaiset-report-kernel-{i}") for i in range(max(1, count))]


def stop_kernels(kernels: Sequence[StartedKernel], wait: float | None = 10.0) -> None:
    """Shut down those of ``kernels`` that have no job (a report that stopped before its run)."""
    for kernel in kernels:
        kernel.close()
    if wait:
        for kernel in kernels:
            kernel.join(wait)


@atexit.register
def _stop_all() -> None:
    """No kernel outlives the process that started it (an error before a kernel got its job)."""
    with _live_lock:
        left = list(_live)
    stop_kernels(left, wait=5.0)

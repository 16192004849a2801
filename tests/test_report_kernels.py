"""A report's kernels start before their notebooks are ready, import while they wait, and never
outlive a report that stopped early (report_kernels)."""
from __future__ import annotations

import time

import nbformat
import psutil
import pytest

from vertaiset_widgets.errors import VertaisetUnknownSessionError
from vertaiset_widgets.report import build_report
from vertaiset_widgets.report_kernels import start_kernels
from vertaiset_widgets.report_run import _execute


def _kernels() -> set[int]:
    """This process's kernel processes."""
    out = set()
    for child in psutil.Process().children(recursive=True):
        try:
            if "ipykernel_launcher" in " ".join(child.cmdline()):
                out.add(child.pid)
        except psutil.Error:
            pass
    return out


def _until(check, seconds: float = 30.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        got = check()
        if got:
            return got
        time.sleep(0.1)
    return check()


@pytest.mark.parametrize("kept", [False, True], ids=["first report", "pictures kept"])
def test_a_started_kernel_has_imported_the_package_before_its_notebook(tmp_path, monkeypatch, kept):
    """It imports the package while it waits; vl-convert starts too, unless pictures are kept on
    disk from an earlier report (which then draws few or none)."""
    monkeypatch.setenv("VERTAISET_HOME", str(tmp_path / "home"))
    if kept:
        (tmp_path / "home" / "cache" / "charts").mkdir(parents=True)
        (tmp_path / "home" / "cache" / "charts" / "0.svg").write_text("<svg/>", encoding="utf-8")
    (kernel,) = start_kernels(1, cwd=str(tmp_path))
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("import sys\nprint(sorted(m for m in ('vertaiset_widgets.workbook', "
                                  "'vertaiset_widgets.chart_render', 'vl_convert') if m in sys.modules))"),
    ])
    done = kernel.run(lambda km: (km is not None, _execute(nb, {}, False, "test", 0, km)))
    started_ahead, executed = done.result(timeout=120)
    assert started_ahead
    out = executed.cells[0].outputs[0]["text"]
    expected = ["vertaiset_widgets.chart_render", "vertaiset_widgets.workbook"] + ([] if kept else ["vl_convert"])
    assert out.strip() == repr(expected)
    assert _until(lambda: not _kernels() or None), f"still running after its job: {_kernels()}"


def test_kernels_of_a_report_that_stops_early_are_shut_down(sqlite_url, tmp_path):
    before = _kernels()
    started = start_kernels(2, cwd=str(tmp_path))
    assert len(_until(lambda: _kernels() - before or None) or ()) >= 1  # they do start
    with pytest.raises(VertaisetUnknownSessionError):
        build_report("NOSUCH", tmp_path / "out", db_url=sqlite_url, kernels=started)
    left = _until(lambda: not (_kernels() - before) or None)
    assert left, f"kernel processes still running: {_kernels() - before}"

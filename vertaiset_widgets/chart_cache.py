"""Charts drawn once: an SVG kept by what it was drawn from.

:func:`chart_render.to_svg` asks here before it runs vl-convert. The key is the chart's whole
Vega-Lite spec (its data included) with the text scale and the versions that draw it, so the
same data draws the same picture and any change draws anew.

* In every kernel the last :data:`MEMORY` pictures stay in memory: a console redraws a chart
  whose answers did not change (another activity's did) without drawing it again.
* A report's kernels also keep them on disk, beside the store
  (``$VERTAISET_HOME/cache/charts/``), so the next report of the session (an interim one during
  the event, then the final one) draws only what changed. Files not used for
  :data:`DISK_DAYS` days are removed when a report starts.

The cache is a cache only: when its folder cannot be written, charts are drawn as before.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
from collections import OrderedDict
from pathlib import Path
from typing import Any, Callable

__all__ = ["DISK_DAYS", "MEMORY", "cached_svg", "disk_cache", "kept_any"]

log = logging.getLogger("vertaiset")

#: Pictures kept in a kernel's memory.
MEMORY = 128
#: Days a picture on disk is kept without being used.
DISK_DAYS = 30

_memory: "OrderedDict[str, str]" = OrderedDict()
_disk: dict[str, Path | None] = {"dir": None}


def disk_cache(on: bool = True) -> Path | None:
    """Keep this kernel's pictures on disk too (a report's kernel); return the folder, or None."""
    if not on:
        _disk["dir"] = None
        return None
    try:
        from .config import data_home, remove_unused

        folder = data_home() / "cache" / "charts"
        folder.mkdir(parents=True, exist_ok=True)
        remove_unused(folder, "*.svg", DISK_DAYS)
    except OSError as exc:
        log.info("chart cache not available: %s", exc)
        folder = None
    _disk["dir"] = folder
    return folder


def kept_any() -> bool:
    """Whether any picture is kept on disk (a report has been made on this home before)."""
    try:
        from .config import data_home

        return next((data_home() / "cache" / "charts").glob("*.svg"), None) is not None
    except OSError:
        return False


def _key(spec: dict, extra: tuple[Any, ...]) -> str:
    text = json.dumps([spec, *extra], sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def cached_svg(spec: dict, extra: tuple[Any, ...], draw: Callable[[], str]) -> str:
    """The picture of ``spec`` (with ``extra``: scale, versions), drawn by ``draw`` only when no
    earlier one is kept."""
    key = _key(spec, extra)
    svg = _memory.get(key)
    if svg is not None:
        _memory.move_to_end(key)
        return svg
    folder = _disk["dir"]
    path = folder / f"{key}.svg" if folder is not None else None
    if path is not None:
        try:
            svg = path.read_text(encoding="utf-8")
            os.utime(path)
        except OSError:
            svg = None
    if svg is None:
        svg = draw()
        if path is not None:
            try:
                tmp = path.with_suffix(f".{os.getpid()}.tmp")
                tmp.write_text(svg, encoding="utf-8")
                os.replace(tmp, path)  # whole or not at all, with two kernels drawing at once
            except OSError as exc:
                log.info("chart not kept on disk: %s", exc)
    _memory[key] = svg
    while len(_memory) > MEMORY:
        _memory.popitem(last=False)
    return svg

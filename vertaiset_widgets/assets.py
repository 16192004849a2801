"""The browser code of our widgets, sent once per browser instead of once per widget.

anywidget sends a widget's ES module (``_esm``) and stylesheet (``_css``) in the state of every
widget it makes. A console has 18 answer forms: each carried the forms' 38 KB module and 11 KB
stylesheet, 1.25 MB of the console's 1.5 MB of widget state, which the kernel serialised, the
server decoded twice and the browser parsed and compiled once per form.

Under ``vertaiset serve`` (which sets :data:`ASSETS_ENV` for its kernels), :func:`esm` keeps each
module and stylesheet as a file named by its content's hash, in ``assets/`` of the machine's cache
folder (:func:`vertaiset_widgets.config.cache_home`), and gives the widget a few lines in its place:
they load the stylesheet and import the module from the server (``<base>vertaiset/assets/HASH``,
served by :class:`vertaiset_widgets.server.AssetHandler` and kept by the browser), so every form
of the page shares one copy. Anywhere else (JupyterLab, tests, a plain ``voila``), and whenever
the file cannot be written, the widget carries its code itself, as before.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import tempfile
from pathlib import Path

__all__ = ["ASSETS_ENV", "ASSET_NAME", "CARRIED_UP_TO", "asset_dir", "esm", "widget_code"]

log = logging.getLogger("vertaiset")

#: Set by ``vertaiset serve`` for its kernels: the assets' path under the server's base URL.
ASSETS_ENV = "VERTAISET_ASSETS_PATH"
#: What an asset's file is called: the first 24 hex digits of its content's SHA-256.
ASSET_NAME = re.compile(r"^[0-9a-f]{24}\.(?:js|css)$")


def asset_dir() -> Path:
    from .config import cache_home

    return cache_home() / "assets"


def _text(source: str | Path) -> str:
    return source.read_text(encoding="utf-8") if isinstance(source, Path) else source


def _keep(text: str, suffix: str) -> str | None:
    """The asset's file name, written if it is not there yet; None when it cannot be."""
    name = f"{hashlib.sha256(text.encode('utf-8')).hexdigest()[:24]}.{suffix}"
    try:
        folder = asset_dir()
        path = folder / name
        if not path.exists():
            folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=f".{suffix}")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            os.replace(tmp, path)  # whole or not at all, for a browser that asks at once
        return name
    except OSError as exc:
        log.info("widget code not kept as a file (sent with each widget): %s", exc)
        return None


#: Characters up to which a module without a stylesheet is carried by its widget (the loader is about 770).
CARRIED_UP_TO = 1500

_LOADER = """\
const vtAt = (name) => {
  let base = "/";
  try { base = JSON.parse(document.getElementById("jupyter-config-data").textContent).baseUrl || "/"; } catch (e) {}
  return new URL(base.replace(/\\/*$/, "/") + __VT_PATH__ + name, window.location.href).href;
};
const vtAssets = (window.vtAssets = window.vtAssets || {});
const vtSheet = __VT_CSS__;
if (vtSheet && !vtAssets[vtSheet]) {
  vtAssets[vtSheet] = new Promise((done) => {
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = vtAt(vtSheet);
    link.onload = link.onerror = done;
    document.head.append(link);
  });
}
if (vtSheet) await vtAssets[vtSheet];
export default (await import(vtAt(__VT_MODULE__))).default;
"""


def _served() -> str | None:
    path = os.environ.get(ASSETS_ENV)
    return path.strip("/") + "/" if path and re.fullmatch(r"[A-Za-z0-9_./-]+", path) else None


def esm(module: str | Path) -> str:
    """A widget class's ``_esm`` for ``module`` (one default export, anywidget's
    ``export default {...}``): under ``vertaiset serve`` its loader, else the module itself."""
    return widget_code(module)[0]


def widget_code(module: str | Path, stylesheet: str | Path | None = None) -> tuple[str, str]:
    """A widget class's ``_esm`` and ``_css``: under ``vertaiset serve`` the loader of ``module``
    and of ``stylesheet``, and no stylesheet of its own; else the module and the stylesheet.

    A module without a stylesheet that is not much longer than the loader (:data:`CARRIED_UP_TO`,
    such as the participant token's) is carried as it is: a file would cost the page one more request
    to the server before the widget works, and save nothing."""
    text = _text(module)
    sheet = _text(stylesheet) if stylesheet is not None else ""
    path = _served()
    if path is None or (not sheet and len(text) <= CARRIED_UP_TO):
        return text, sheet
    module_name = _keep(text, "js")
    sheet_name = _keep(sheet, "css") if sheet else ""
    if module_name is None or sheet_name is None:
        return text, sheet
    loader = (_LOADER.replace("__VT_PATH__", json.dumps(path)).replace("__VT_MODULE__", json.dumps(module_name))
              .replace("__VT_CSS__", json.dumps(sheet_name)))
    return loader, ""

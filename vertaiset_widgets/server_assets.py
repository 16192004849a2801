"""What the server prepares once instead of once per page: its page templates, compiled, and
our widgets' browser code, served as files.

**Templates.** Voila makes a new nbconvert exporter, and with it a new Jinja environment, for every page it
renders: each console, screen and phone page compiled the same templates again (the page's
own and the stock ones it extends, ``display_priority.j2`` and the rest). A pool kernel's page
is rendered up to its wait for the request; the templates its outputs need were then compiled
after the request arrived, about a third of a second of the server's time on every page load.

:func:`share_compiled_templates` gives every such environment one Jinja bytecode cache, kept
in the server's memory. Jinja keys a template's code by its name and a checksum of its source,
so a template a trainer edits while the server runs is compiled anew, as before.

**Widget code.** :func:`serve_widget_code` has the kernels give each widget class a loader in
place of its code (:mod:`vertaiset_widgets.assets`), and :class:`AssetHandler` serves the code
from ``<base>vertaiset/assets/``: files named by their content's hash, which browsers keep.
"""
from __future__ import annotations

import os
import threading

import tornado.web
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket

from .assets import ASSET_NAME, ASSETS_ENV, asset_dir

__all__ = ["ASSETS_URL", "AssetHandler", "SharedBytecodes", "serve_widget_code", "share_compiled_templates"]

#: Where the widgets' code is served, under the server's base URL.
ASSETS_URL = "vertaiset/assets/"


class SharedBytecodes(BytecodeCache):
    """Compiled templates kept in memory, shared by every environment of the process."""

    def __init__(self) -> None:
        self._codes: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def load_bytecode(self, bucket: Bucket) -> None:
        with self._lock:
            code = self._codes.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)  # a stale checksum leaves the bucket empty: compiled again

    def dump_bytecode(self, bucket: Bucket) -> None:
        code = bucket.bytecode_to_string()
        with self._lock:
            self._codes[bucket.key] = code


#: The server's one cache.
SHARED = SharedBytecodes()


def share_compiled_templates() -> SharedBytecodes:
    """Make every page's exporter (Voila's ``VoilaExporter``) compile through :data:`SHARED`;
    calling it again changes nothing. Returns the cache."""
    from voila.exporter import VoilaExporter

    if not getattr(VoilaExporter, "_vertaiset_shared_bytecodes", False):
        create = VoilaExporter._create_environment

        def _create_environment(self):
            environment = create(self)
            environment.bytecode_cache = SHARED
            return environment

        VoilaExporter._create_environment = _create_environment
        VoilaExporter._vertaiset_shared_bytecodes = True
    return SHARED


def compile_modules() -> int:
    """Write the package's bytecode (``__pycache__``) before any kernel starts; returns the files written.

    Every page's kernel imports the package. ``make install`` writes the bytecode once, but code
    changed after that (a ``git pull`` on the server, a developer's edit) has none, and where
    ``PYTHONDONTWRITEBYTECODE`` is set no kernel writes it: each kernel then compiles those
    modules from source, CPU at every kernel start and about 1.5 MiB more memory that stays with
    each phone's kernel (measured in a process importing a phone's page with none of the package's
    bytecode). A folder that cannot be written is left as it is.
    """
    import compileall
    import io
    from contextlib import redirect_stdout
    from pathlib import Path

    package = Path(__file__).resolve().parent
    before = {p: p.stat().st_mtime_ns for p in package.rglob("__pycache__/*.pyc")}
    try:
        with redirect_stdout(io.StringIO()):
            compileall.compile_dir(package, quiet=2, workers=1)
    except Exception:  # noqa: BLE001 - bytecode is an optimisation only
        return 0
    return sum(1 for p in package.rglob("__pycache__/*.pyc") if before.get(p) != p.stat().st_mtime_ns)


class AssetHandler(tornado.web.StaticFileHandler):
    """``GET <base>vertaiset/assets/HASH.js|css``: a widget's code as :mod:`vertaiset_widgets.assets`
    keeps it. A name is its content's hash, so a browser keeps it for a year; any other name is a 404."""

    def parse_url_path(self, url_path: str) -> str:
        if not ASSET_NAME.match(url_path):
            raise tornado.web.HTTPError(404)
        return url_path

    @classmethod
    def get_cache_time(cls, path: str, modified: object, mime_type: str) -> int:
        return 365 * 24 * 3600


def serve_widget_code() -> str | None:
    """Have this server's kernels (they inherit its environment) load the widgets' code from
    :data:`ASSETS_URL`; returns the folder to serve, or None (the folder cannot be made: each
    widget then carries its code, as anywhere else)."""
    try:
        folder = asset_dir()
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        os.environ.pop(ASSETS_ENV, None)
        return None
    os.environ[ASSETS_ENV] = ASSETS_URL
    return str(folder)

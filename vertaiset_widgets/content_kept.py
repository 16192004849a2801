"""Checked templates kept on disk, so that a page's kernel reads them without checking them again.

Two forms are kept: the checked records, and their plain copy (:mod:`vertaiset_widgets.plain`)
that a phone's page reads with :func:`load_plain_content`, without pydantic at all.

:func:`vertaiset_widgets.content.load_content` reads the YAML files and checks every field with
the kinds' pydantic models. A kernel that finds the same files already checked reads the result
from ``$VERTAISET_CACHE/content/<key>.pickle`` instead: it loads neither PyYAML nor pydantic's
validators (the models are defined with ``defer_build``, so a class builds them only when
something validates with it). A phone's kernel holds about 4 MiB less (``bench/RESULTS.md``),
and each kernel starts about a tenth of a second sooner.

The key is a hash of the templates' folder, of every file the loader reads there (their names and
bytes), and of the package's
code (each module's size and modification time) and the pydantic version: any edit to a
template, and any new version of the code, is checked again from the files. A broken template
is never kept, so its error is raised as before. The folder is a cache only: when it cannot be
read or written, the files are read and checked as before. A kept file is read only when it and
its folder belong to the user the server runs as and nobody else may write them (the folder is
made ``0700`` and each file ``0600``): Python's pickle runs what the file says.
"""
from __future__ import annotations

import hashlib
import logging
import os
import pickle
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

from .config import cache_home, remove_unused

__all__ = ["KEEP_DAYS", "content_files", "content_key", "keep", "kept", "load_plain_content"]

log = logging.getLogger("vertaiset")

#: Days a kept file not used is left on disk (a trainer's every edit makes a new one).
KEEP_DAYS = 7

_PACKAGE = Path(__file__).resolve().parent


def _code_stamp() -> bytes:
    parts = []
    for folder, dirs, files in os.walk(_PACKAGE):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith(".py"):
                st = os.stat(os.path.join(folder, name))
                parts.append(f"{os.path.relpath(os.path.join(folder, name), _PACKAGE)}:{st.st_size}:{st.st_mtime_ns}")
    return "\n".join(parts).encode()


def _pydantic_stamp() -> str:
    """pydantic's installed version, read without importing it (a phone's page never does)."""
    from importlib.util import find_spec

    spec = find_spec("pydantic")
    if spec is None or not spec.origin:
        return "-"
    try:
        st = os.stat(Path(spec.origin).with_name("version.py"))
    except OSError:
        return spec.origin
    return f"{spec.origin}:{st.st_size}:{st.st_mtime_ns}"


def content_files(base: Path) -> list[Path]:
    """Every file the templates are read from under ``base``."""
    return [base / "languages.yaml", base / "ui.yaml", base / "stopwords.yaml",
            *sorted((base / "activities").glob("*.yaml"))]


def content_key(base: Path, files: list[Path]) -> str:
    """The key of the templates under ``base`` read from ``files``, with this code's."""
    digest = hashlib.sha256()
    digest.update(f"{sys.version}\n{_pydantic_stamp()}\n{base.resolve()}\n".encode())  # sources name the folder
    digest.update(_code_stamp())
    for path in files:
        digest.update(b"\0" + str(path.relative_to(base)).encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"-missing-")
    return digest.hexdigest()[:40]


def _folder() -> Path:
    return cache_home() / "content"


def _ours(path: Path) -> bool:
    """True when ``path`` belongs to this user and nobody else may write it: a kept file is code
    to Python's pickle, so one another user could have written is never read."""
    st = path.stat()
    return st.st_uid == os.getuid() and not st.st_mode & 0o022


def kept(key: str) -> Any | None:
    """The content kept under ``key``, or None (none kept, not readable, or not safely ours)."""
    path = _folder() / f"{key}.pickle"
    try:
        if not (_ours(path.parent) and _ours(path)):
            log.warning("checked templates %s: folder or file writable by others, not read", path)
            return None
        with path.open("rb") as fh:
            content = pickle.load(fh)
    except FileNotFoundError:
        return None
    except Exception as exc:  # an unreadable file is checked again from the templates
        log.info("checked templates %s not readable (%s): reading the templates", path, exc)
        return None
    try:
        os.utime(path)
    except OSError:
        pass
    return content


def keep(key: str, content: Any) -> None:
    """Keep ``content`` under ``key`` (atomically; old unused files go)."""
    folder = _folder()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        tmp = folder / f".{key}.{os.getpid()}.tmp"
        with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as fh:
            pickle.dump(content, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, folder / f"{key}.pickle")
    except Exception as exc:  # a cache only
        log.info("could not keep the checked templates in %s: %s", folder, exc)
        return
    remove_unused(folder, "*.pickle", KEEP_DAYS)


@lru_cache(maxsize=8)
def _plain_cached(root: str) -> Any:
    from .plain import Plain

    base = Path(root)
    key = content_key(base, content_files(base)) + "-plain"
    content = kept(key)
    if isinstance(content, Plain):
        return content
    from .content import load_content  # checks the files (or reads the checked records kept)
    from .plain import to_plain

    content = to_plain(load_content(root))
    keep(key, content)
    return content


def load_plain_content(root: str | os.PathLike[str] | None = None) -> Any:
    """The templates under ``root`` (default: the templates folder) as plain records, for a
    page that only reads them: what :func:`vertaiset_widgets.content.load_content` returns,
    with the same fields and methods, without pydantic (:mod:`vertaiset_widgets.plain`).

    Read from the plain copy kept on disk when the same files were checked before; otherwise
    checked (a broken template raises the same error) and kept. Cached per folder.
    """
    from .roots import templates_dir

    return _plain_cached(str(Path(root) if root else templates_dir()))

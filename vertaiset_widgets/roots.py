"""Where the workbooks and the templates are, and a copy of them for a trainer to adapt.

The two folders a trainer adapts, ``workbooks/`` (the notebooks) and ``templates/`` (the
activities, ``ui.yaml``, the Voila and the report templates), are found in this order:

1. an explicit root: ``--root DIR`` of the command, or the environment variable
   ``VERTAISET_ROOT`` (the command sets it, so Voila's kernels and papermill's find it too).
   A root holds ``workbooks/`` and ``templates/``, as ``vertaiset init`` makes it; a root
   without ``templates/`` uses the package's templates, and a root without ``workbooks/``
   is itself the folder of notebooks;
2. else, run from a checkout of the project, its own ``workbooks/`` and ``templates/``;
3. else the copies the installed package carries (``vertaiset_widgets/_shipped/``).

``VERTAISET_TEMPLATES`` still names a templates folder on its own, before all of these.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from .errors import VertaisetError

__all__ = ["ROOT_ENV", "copy_root", "default_dir", "explicit_root", "next_steps", "templates_dir", "use_root", "workbooks_dir"]

#: The environment variable naming a root (``--root`` sets it for everything the command starts).
ROOT_ENV = "VERTAISET_ROOT"
_PACKAGE = Path(__file__).resolve().parent
#: Left out of a copy: caches and editors' leftovers, never a trainer's work.
_NOT_COPIED = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints")


def explicit_root() -> Path | None:
    """The root named by ``VERTAISET_ROOT``, or None.

    Raises
    ------
    VertaisetError
        When the variable names no folder.
    """
    value = os.environ.get(ROOT_ENV)
    if not value:
        return None
    root = Path(value).expanduser().resolve()
    if not root.is_dir():
        raise VertaisetError(f"{ROOT_ENV}={value}: no such folder (make one with `vertaiset init {value}`)")
    return root


def use_root(root: str | os.PathLike[str] | None) -> Path | None:
    """Make ``root`` (else ``VERTAISET_ROOT``) the root of this process and of all it starts.

    Sets ``VERTAISET_ROOT`` to the absolute folder: kernels run in the notebooks' folder.

    Raises
    ------
    VertaisetError
        When the folder is not there.
    """
    if root:
        os.environ[ROOT_ENV] = os.fspath(root)
    found = explicit_root()
    if found is not None:
        os.environ[ROOT_ENV] = str(found)
    return found


def default_dir(name: str) -> Path:
    """The package's own ``templates`` or ``workbooks`` folder: the checkout's, else the shipped copy.

    Parameters
    ----------
    name : {"templates", "workbooks"}
        Which folder.
    """
    checkout = _PACKAGE.parent
    if (checkout / "pyproject.toml").is_file() and (checkout / name).is_dir():
        return checkout / name
    return _PACKAGE / "_shipped" / name


def templates_dir() -> Path:
    """The templates in use: ``VERTAISET_TEMPLATES``, else the root's ``templates/``, else :func:`default_dir`."""
    env = os.environ.get("VERTAISET_TEMPLATES")
    if env:
        return Path(env)
    root = explicit_root()
    if root is not None and (root / "templates").is_dir():
        return root / "templates"
    return default_dir("templates")


def workbooks_dir() -> Path:
    """The workbooks in use: the root's ``workbooks/`` (or the root itself), else :func:`default_dir`."""
    root = explicit_root()
    if root is not None:
        return root / "workbooks" if (root / "workbooks").is_dir() else root
    return default_dir("workbooks")


def copy_root(dest: str | os.PathLike[str], *, force: bool = False) -> list[Path]:
    """Copy the package's workbooks and templates into ``dest`` for a trainer to adapt.

    Parameters
    ----------
    dest : path
        The new root; it gets ``workbooks/`` and ``templates/``.
    force : bool
        Copy into a folder that is not empty, overwriting files of the same name.

    Returns
    -------
    list of Path
        The two folders written.

    Raises
    ------
    VertaisetError
        When ``dest`` is a file, or a folder that is not empty and ``force`` is not given.
    """
    root = Path(dest).expanduser()
    if root.exists() and not root.is_dir():
        raise VertaisetError(f"{root} is a file, not a folder")
    if root.is_dir() and any(root.iterdir()) and not force:
        raise VertaisetError(f"{root} is not empty; choose a new folder, or add --force to overwrite its files")
    written = []
    for name in ("workbooks", "templates"):
        source = default_dir(name)
        if not source.is_dir():
            raise VertaisetError(f"the package's {name} are missing ({source}); reinstall vertaiset-widgets")
        shutil.copytree(source, root / name, ignore=_NOT_COPIED, dirs_exist_ok=True)
        written.append(root / name)
    return written


def next_steps(dest: str | os.PathLike[str]) -> str:
    """What a trainer does with a copy made by :func:`copy_root` (printed by ``vertaiset init``)."""
    root = Path(dest)
    return "\n".join([
        f"Copied the workbooks and templates to {root}:",
        f"  {root / 'workbooks'}   the notebooks; the method text is in their markdown cells",
        f"  {root / 'templates'}   activities/*.yaml, ui.yaml, agendas/, privacy/, the Voila and report templates",
        "Next:",
        f"  1. edit {root / 'templates' / 'activities'}/*.yaml (an editor with the YAML language server",
        "     checks each file as you type, against activities.schema.json named on its first line)",
        f"  2. vertaiset check --root {root}",
        f"  3. vertaiset serve --root {root}   (or set {ROOT_ENV}={root} for every vertaiset command)",
    ])

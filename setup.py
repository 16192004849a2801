"""The build's one hook; everything else about the package is in pyproject.toml.

``templates/`` and ``workbooks/`` stay at the repository's root, where trainers find them.
A wheel carries a copy of both as ``vertaiset_widgets/_shipped/``, so an installed package
serves, checks and reports with no checkout (see ``vertaiset_widgets/roots.py``). An
editable install reads the checkout's folders and gets no copy.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
SHIPPED = ("templates", "workbooks")


class BuildPyWithShipped(build_py):
    """``build_py`` that also copies the trainers' folders into the built package."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        for name in SHIPPED:
            source = HERE / name
            if not source.is_dir():  # e.g. an sdist made without MANIFEST.in
                raise FileNotFoundError(f"{source} is missing: the wheel would have no {name}")
            target = Path(self.build_lib) / "vertaiset_widgets" / "_shipped" / name
            shutil.rmtree(target, ignore_errors=True)  # nothing stale from an earlier build
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints"))


setup(cmdclass={"build_py": BuildPyWithShipped})

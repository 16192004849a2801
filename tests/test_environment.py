"""environment.yml (conda-forge) and pyproject.toml describe the same dependencies."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent

# PyPI names whose conda-forge package is named differently
CONDA_NAMES = {"psycopg[binary]": "psycopg"}


def _split(requirement: str) -> tuple[str, str]:
    match = re.match(r"^\s*([A-Za-z0-9_.\-]+(?:\[[^\]]+\])?)\s*(.*)$", requirement)
    assert match, requirement
    name, spec = match.groups()
    name = CONDA_NAMES.get(name.lower(), name.lower())
    return name.replace("_", "-"), spec.replace(" ", "")


def _pyproject() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = project["dependencies"] + project["optional-dependencies"]["test"]
    return dict(_split(r) for r in reqs)


def _environment() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    out: dict[str, str] = {}
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            for pip_dep in dep.get("pip", []):
                if not pip_dep.startswith("-e"):
                    out.update([_split(pip_dep)])
            continue
        name, spec = _split(dep)
        if name not in ("python", "pip"):
            out[name] = spec
    return out


def test_same_packages():
    """Every dependency of pyproject.toml is in environment.yml and the other way round."""
    assert sorted(_pyproject()) == sorted(_environment())


def test_same_version_bounds():
    """The version bounds agree package by package."""
    env = _environment()
    assert {k: v for k, v in _pyproject().items()} == {k: env[k] for k in _pyproject()}


def test_environment_uses_conda_forge_and_installs_the_package():
    """environment.yml takes conda-forge and installs this package itself."""
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert env["channels"] == ["conda-forge"]
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "-e ." in pip

"""A trainer's own copy: `vertaiset init DIR`, then `check`, `serve` and `report` with `--root DIR`."""
from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import free_port
from vertaiset_widgets.roots import ROOT_ENV, copy_root, default_dir

ROOT = Path(__file__).resolve().parent.parent
TITLE_FI = "      fi: 360-asteen tarkastelutapa\n"


def vertaiset(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """The command as a user runs it, from ``cwd`` and with no root in its environment unless given."""
    base = {k: v for k, v in os.environ.items() if k not in (ROOT_ENV, "VERTAISET_TEMPLATES")}
    return subprocess.run([sys.executable, "-m", "vertaiset_widgets.cli", *args], capture_output=True, text=True,
                          env={**base, **(env or {})}, cwd=cwd, timeout=300)


def files_under(folder: Path) -> list[str]:
    """Every file below ``folder``, as paths relative to it (caches left out)."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts and ".ipynb_checkpoints" not in p.parts)


@pytest.fixture
def copy(tmp_path) -> Path:
    """A trainer's copy made by `copy_root`, as `vertaiset init` makes it."""
    root = tmp_path / "koulutus"
    copy_root(root)
    return root


def edit(path: Path, old: str, new: str) -> None:
    """Replace ``old`` (there exactly once) with ``new`` in a template file."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not in {path} exactly once"
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_init_copies_the_workbooks_and_templates(tmp_path):
    """`init DIR` copies every workbook and template file and says how to serve the copy."""
    proc = vertaiset("init", "koulutus", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    for name in ("workbooks", "templates"):
        assert files_under(tmp_path / "koulutus" / name) == files_under(default_dir(name))
    assert "vertaiset serve --root koulutus" in proc.stdout and "vertaiset check --root koulutus" in proc.stdout


def test_init_refuses_a_folder_that_is_not_empty(tmp_path):
    """`init` into a folder that holds something stops with one line and copies nothing."""
    (tmp_path / "koulutus").mkdir()
    (tmp_path / "koulutus" / "muistiinpanot.txt").write_text("oma", encoding="utf-8")
    proc = vertaiset("init", "koulutus", cwd=tmp_path)
    assert proc.returncode == 2 and "not empty" in proc.stderr and "--force" in proc.stderr
    assert sorted(p.name for p in (tmp_path / "koulutus").iterdir()) == ["muistiinpanot.txt"]


def test_init_force_copies_beside_what_is_there(tmp_path):
    """`init --force` copies into a folder that is not empty and keeps the trainer's other files."""
    (tmp_path / "koulutus").mkdir()
    (tmp_path / "koulutus" / "muistiinpanot.txt").write_text("oma", encoding="utf-8")
    proc = vertaiset("init", "koulutus", "--force", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in (tmp_path / "koulutus").iterdir()) == ["muistiinpanot.txt", "templates", "workbooks"]


def test_edited_title_in_the_copy_is_checked_and_loaded(copy, tmp_path, monkeypatch):
    """An edited title passes `check --root` and is what the content shows with that root."""
    from vertaiset_widgets.content import load_content

    edit(copy / "templates" / "activities" / "04_arviointi.yaml", TITLE_FI, "      fi: Meidän 360-katsaus\n")
    proc = vertaiset("check", "--root", str(copy), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert str(copy / "templates" / "activities" / "04_arviointi.yaml") in proc.stdout
    monkeypatch.setenv(ROOT_ENV, str(copy))
    assert load_content().activity("arviointi_360").title["fi"] == "Meidän 360-katsaus"


def test_broken_edit_in_the_copy_names_its_file_and_field(copy, tmp_path):
    """A title left without its Finnish text fails `check --root`, naming the copy's file and the field."""
    edit(copy / "templates" / "activities" / "04_arviointi.yaml", TITLE_FI, "")
    proc = vertaiset("check", "--root", str(copy), cwd=tmp_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert str(copy / "templates" / "activities" / "04_arviointi.yaml") in proc.stderr
    assert "arviointi_360" in proc.stderr and "title" in proc.stderr and "'fi'" in proc.stderr


def test_root_in_the_environment_is_used_like_the_option(copy, tmp_path):
    """`VERTAISET_ROOT=DIR vertaiset check` checks the copy, as `--root DIR` does."""
    proc = vertaiset("check", cwd=tmp_path, env={ROOT_ENV: str(copy)})
    assert proc.returncode == 0, proc.stderr
    assert str(copy / "templates" / "activities") in proc.stdout


def test_missing_root_is_one_clear_line(tmp_path):
    """A --root that is not there stops the command with one line that names it."""
    proc = vertaiset("check", "--root", str(tmp_path / "ei-ole"), cwd=tmp_path)
    assert proc.returncode == 2 and "ei-ole" in proc.stderr and "Traceback" not in proc.stderr


def test_report_looks_for_the_workbooks_in_the_root(copy, tmp_path, store, sqlite_url):
    """`report --root DIR` runs the workbooks of DIR/workbooks (here none of the named ones is there)."""
    session, _key = store.create_session("Koulutus")
    proc = vertaiset("report", session.code, "--root", str(copy), "--workbooks", "oma.ipynb", "--out", str(tmp_path),
                     cwd=tmp_path, env={"VERTAISET_DB_URL": sqlite_url})
    assert proc.returncode == 2 and f"is in {copy / 'workbooks'}" in proc.stderr


def test_root_without_a_workbooks_folder_is_the_folder_of_notebooks(tmp_path, monkeypatch):
    """A root with notebooks but no workbooks/ or templates/ serves its notebooks with the package's templates."""
    from vertaiset_widgets.roots import templates_dir, workbooks_dir

    (tmp_path / "osallistu.ipynb").write_text((default_dir("workbooks") / "osallistu.ipynb").read_text())
    monkeypatch.setenv(ROOT_ENV, str(tmp_path))
    assert (workbooks_dir(), templates_dir()) == (tmp_path, default_dir("templates"))


@pytest.mark.slow
def test_serve_root_serves_the_copys_notebooks_and_voila_template(copy, tmp_path):
    """`serve --root DIR` lists DIR's own notebook and sends DIR's edited Voila stylesheet."""
    (copy / "workbooks" / "oma_vaihe.ipynb").write_bytes((copy / "workbooks" / "osallistu.ipynb").read_bytes())
    css = copy / "templates" / "voila" / "templates" / "vertaiset" / "static" / "vertaiset.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n/* kouluttajan oma tyyli */\n", encoding="utf-8")
    port = free_port()
    log = open(tmp_path / "serve.log", "w")
    base = {k: v for k, v in os.environ.items() if k not in (ROOT_ENV, "VERTAISET_TEMPLATES")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "vertaiset_widgets.cli", "serve", "--root", str(copy), "--port", str(port),
         "--db-url", f"sqlite:///{tmp_path / 'store.sqlite'}"],
        env=base, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            assert proc.poll() is None, (tmp_path / "serve.log").read_text()[-2000:]
            try:
                tree = urllib.request.urlopen(f"{base_url}/voila/tree?classic-tree=true", timeout=5).read().decode()
                break
            except OSError:
                assert time.monotonic() < deadline, (tmp_path / "serve.log").read_text()[-2000:]
                time.sleep(0.3)
        sheet = urllib.request.urlopen(f"{base_url}/voila/templates/vertaiset/static/vertaiset.css", timeout=10).read()
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(30)
        log.close()
    assert "oma_vaihe.ipynb" in tree
    assert b"kouluttajan oma tyyli" in sheet

"""The package as it is installed, not as it runs from a checkout.

The module builds one wheel from a copy of the sources and installs it, alone, in a fresh
venv. The dependencies come from the venv running the tests (a ``.pth`` file adds its
site-packages after the fresh venv's own, and ``JUPYTER_PATH`` its Jupyter data), so the
test needs no network, while ``vertaiset_widgets`` and its files come from the wheel only.
Every command runs from a temporary folder, never from the checkout.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import time
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest

from conftest import CHROMIUM, CHROMIUM_ARGS, free_port

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
#: What a wheel is built from: the package, the trainers' folders and the build's files.
SOURCES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "vertaiset_widgets", "templates", "workbooks")
CACHES = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints", "*.egg-info")


@dataclass
class Installed:
    """A fresh venv holding only the wheel, and the environment its commands run with."""

    venv: Path
    home: Path
    env: dict[str, str]

    def run(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
        """Run an installed program (``vertaiset``, ``python``) from the temporary home folder."""
        return subprocess.run([str(self.venv / "bin" / args[0]), *args[1:]], capture_output=True, text=True,
                              env=self.env, cwd=self.home, timeout=timeout)


def package_files(folder: Path) -> set[str]:
    """Files under ``folder`` that a wheel must carry: all but byte-code and developers' notes (``*.md``)."""
    return {str(p.relative_to(folder)) for p in folder.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc", ".md")}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel, built once from a clean copy of the sources by pip with the build backend at hand."""
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    src.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, src / name, ignore=CACHES)
        else:
            shutil.copy2(ROOT / name, src / name)
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
         "--wheel-dir", str(tmp / "dist"), str(src)],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return next((tmp / "dist").glob("vertaiset_widgets-*.whl"))


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Installed:
    """The wheel installed with pip, without its dependencies, in a new venv."""
    tmp = tmp_path_factory.mktemp("installed")
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "--no-deps", "--no-index",
         str(wheel)],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    site = subprocess.run([str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    deps = dict.fromkeys([sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
    Path(site, "zz_test_dependencies.pth").write_text("\n".join(deps) + "\n", encoding="utf-8")
    home = tmp / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("VERTAISET_") and k not in ("PYTHONPATH", "JUPYTER_PATH", "QUERY_STRING")}
    env.update(VERTAISET_HOME=str(home / "data"), PYTHONUNBUFFERED="1",
               JUPYTER_PATH=str(Path(sys.prefix) / "share" / "jupyter"))  # the dependencies' Voila templates, widgets
    return Installed(venv, home, env)


def test_wheel_carries_every_file_of_the_package(wheel):
    """The wheel has every module and data file of vertaiset_widgets/ (scripts, stylesheets, migrations)."""
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = sorted(f for f in package_files(ROOT / "vertaiset_widgets") if f"vertaiset_widgets/{f}" not in names)
    assert not missing, f"left out of the wheel (add a pattern to [tool.setuptools.package-data]): {missing}"


@pytest.mark.parametrize("folder", ["templates", "workbooks"])
def test_wheel_carries_the_templates_and_workbooks(wheel, folder):
    """The wheel carries a copy of every file of templates/ and workbooks/ inside the package."""
    names = set(zipfile.ZipFile(wheel).namelist())
    wanted = package_files(ROOT / folder)
    missing = sorted(f for f in wanted if f"vertaiset_widgets/_shipped/{folder}/{f}" not in names)
    assert wanted and not missing, f"left out of the wheel: {missing}"


def test_installed_package_uses_its_own_files(installed):
    """Installed, the package, its templates and its workbooks are the venv's, not the checkout's."""
    code = ("import vertaiset_widgets, vertaiset_widgets.roots as r; "
            "print(vertaiset_widgets.__file__); print(r.templates_dir()); print(r.workbooks_dir())")
    proc = installed.run("python", "-c", code)
    assert proc.returncode == 0, proc.stderr
    where = [Path(line).resolve() for line in proc.stdout.split()]
    venv = installed.venv.resolve()
    assert all(p.is_relative_to(venv) and not p.is_relative_to(ROOT) for p in where), where
    assert [p.name for p in where] == ["__init__.py", "templates", "workbooks"] and all(p.exists() for p in where)


def test_installed_check_passes(installed):
    """`vertaiset check` validates the templates the wheel carries."""
    proc = installed.run("vertaiset", "check")
    assert proc.returncode == 0, proc.stderr
    assert str(installed.venv) in proc.stdout and "arviointi_360" in proc.stdout


def test_installed_demo_runs(installed):
    """`vertaiset demo` seeds the demo session in the default store and prints its code."""
    proc = installed.run("vertaiset", "demo")
    assert (proc.returncode, proc.stdout.strip()) == (0, "DEMO"), proc.stderr


@pytest.fixture
def served(installed, tmp_path) -> Iterator[str]:
    """The installed `vertaiset serve` on a free loopback port, with the demo seeded; yields its address."""
    assert installed.run("vertaiset", "demo").returncode == 0
    port = free_port()
    log_path = tmp_path / "serve.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen([str(installed.venv / "bin" / "vertaiset"), "serve", "--port", str(port)],
                                env=installed.env, cwd=installed.home, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 90
            while True:
                assert proc.poll() is None, f"serve exited:\n{log_path.read_text()[-3000:]}"
                try:
                    urllib.request.urlopen(f"{base}/voila/static/voila.js", timeout=2).read(1)
                    break
                except OSError:
                    assert time.monotonic() < deadline, f"serve did not answer:\n{log_path.read_text()[-3000:]}"
                    time.sleep(0.3)
            yield base
        finally:
            os.killpg(proc.pid, 15)
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, 9)
                proc.wait(10)


@pytest.mark.browser
@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"needs Chromium at {CHROMIUM} (set VERTAISET_CHROMIUM)")
def test_installed_serve_gives_a_participant_page_whose_form_submits(installed, served):
    """On the installed server a participant's page loads, and its profile form saves the nickname in the store."""
    playwright_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright package")
    from vertaiset_widgets.store import SessionStore

    with playwright_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 390, "height": 844}, locale="fi-FI")
            page.goto(f"{served}/voila/render/osallistu.ipynb?session=DEMO", timeout=120_000)
            page.get_by_role("button", name="Tallenna tiedot", exact=True).wait_for(timeout=120_000)
            page.get_by_label("Nimimerkki").fill("Asennettu")
            page.get_by_role("button", name="Tallenna tiedot", exact=True).click()
            status = page.locator("form.vt-form", has=page.get_by_label("Nimimerkki")).get_by_role("status")
            playwright_api.expect(status).to_contain_text("Tallennettu klo", timeout=60_000)
            token = page.evaluate("() => window.localStorage.getItem('vertaiset:participant:DEMO')")
        finally:
            browser.close()
    store = SessionStore(f"sqlite:///{Path(installed.env['VERTAISET_HOME']) / 'vertaiset.sqlite'}")
    try:
        participant = store.find_participant(store.get_session("DEMO").id, token)
    finally:
        store.close()
    assert participant is not None and participant.nickname == "Asennettu"

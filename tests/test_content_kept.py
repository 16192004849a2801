"""Checked templates kept on disk (``content_kept``): a kernel that finds the same files already
checked reads them without PyYAML and without building pydantic's validators, and any change of
a file is checked again."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from vertaiset_widgets.content import templates_dir

# One fresh process: load the templates of ``root`` and tell what it needed.
PROBE = r"""
import json, sys
from vertaiset_widgets.content import load_content
from vertaiset_widgets.errors import VertaisetTemplateError
try:
    content = load_content(sys.argv[1])
except VertaisetTemplateError as exc:
    print(json.dumps({"error": str(exc)}))
    raise SystemExit(0)
peer = content.activity("arviointi_360")
print(json.dumps({
    "yaml": "yaml" in sys.modules,
    "validators_built": type(peer).__pydantic_complete__,
    "label": peer.items[0].label["fi"],
    "source": content.sources["arviointi_360"],
    "activities": sorted(content.activities),
    "dump": peer.model_dump(mode="json"),
}))
"""


def _load(root: Path, cache: Path) -> dict:
    proc = subprocess.run([sys.executable, "-c", PROBE, str(root)], capture_output=True, text=True, timeout=120,
                          env={**__import__("os").environ, "VERTAISET_CACHE": str(cache)})
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.fixture
def root(tmp_path) -> Path:
    copy = tmp_path / "templates"
    shutil.copytree(templates_dir(), copy, ignore=shutil.ignore_patterns("voila", "nbconvert"))
    return copy


def test_the_second_kernel_reads_the_checked_templates(root, tmp_path):
    """The first process reads and checks the files and keeps the result; the next reads it without
    PyYAML and without building a validator, and sees the same activities, texts and sources."""
    cache = tmp_path / "cache"
    first = _load(root, cache)
    assert first["yaml"]
    assert len(list((cache / "content").glob("*.pickle"))) == 1
    second = _load(root, cache)
    assert not second["yaml"] and not second["validators_built"]
    for key in ("label", "source", "activities", "dump"):
        assert second[key] == first[key]
    assert second["source"] == str(root / "activities" / "04_arviointi.yaml")


def test_an_edit_is_read_and_a_broken_file_is_said(root, tmp_path):
    """An edit of the same length is seen at once; a broken file is refused with its name although
    a checked copy of the file before it is kept; another folder is checked on its own."""
    cache = tmp_path / "cache"
    path = root / "activities" / "04_arviointi.yaml"
    text = path.read_text(encoding="utf-8")
    assert "Pysyvät kumppanit" in _load(root, cache)["label"]
    path.write_text(text.replace("Pysyvät kumppanit", "Pysyvät kumppanix", 1), encoding="utf-8")
    assert _load(root, cache)["label"].startswith("Pysyvät kumppanix")
    path.write_text(text.replace("kind: rating_matrix", "kind: rating_matrixx", 1), encoding="utf-8")
    error = _load(root, cache)["error"]
    assert "04_arviointi.yaml" in error and "rating_matrixx" in error
    other = tmp_path / "other"
    shutil.copytree(root, other)
    path.write_text(text, encoding="utf-8")
    (other / "activities" / "04_arviointi.yaml").write_text(text, encoding="utf-8")
    assert _load(other, cache)["source"] == str(other / "activities" / "04_arviointi.yaml")


def test_an_unreadable_kept_file_is_read_again_from_the_templates(root, tmp_path):
    """A kept file that cannot be read (cut short, written by another version) is not an error."""
    cache = tmp_path / "cache"
    first = _load(root, cache)
    (kept,) = (cache / "content").glob("*.pickle")
    kept.write_bytes(kept.read_bytes()[:1000])
    again = _load(root, cache)
    assert again["yaml"] and again["dump"] == first["dump"]
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the cache folder would be")
    assert _load(root, blocker)["dump"] == first["dump"]


def test_a_kept_file_others_may_write_is_not_read(root, tmp_path):
    """A kept file is code to pickle: one that another user could have written is never read, the
    templates are checked from the files instead. Those the server keeps are its user's alone."""
    cache = tmp_path / "cache"
    first = _load(root, cache)
    (kept,) = (cache / "content").glob("*.pickle")
    assert kept.stat().st_mode & 0o077 == 0 and (cache / "content").stat().st_mode & 0o077 == 0
    kept.chmod(0o666)
    again = _load(root, cache)
    assert again["yaml"] and again["dump"] == first["dump"]

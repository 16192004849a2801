"""The JSON Schema of the activity files: generated from the kinds' models, shipped, and named by every file."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from vertaiset_widgets.cli import main
from vertaiset_widgets.content import activity_file_schema
from vertaiset_widgets.roots import default_dir

TEMPLATES = default_dir("templates")
SHIPPED = TEMPLATES / "activities.schema.json"
ACTIVITY_FILES = sorted((TEMPLATES / "activities").glob("*.yaml"))
FIRST_LINE = "# yaml-language-server: $schema=../activities.schema.json"


def as_editor_sees(path: Path) -> object:
    """The YAML file as JSON data, the way an editor's YAML language server checks it (keys become text)."""
    return json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8"))))


def problems(document: object) -> list[str]:
    """What the shipped schema finds wrong in ``document``."""
    validator = jsonschema.Draft202012Validator(json.loads(SHIPPED.read_text(encoding="utf-8")))
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(document)]


def test_shipped_schema_is_what_vertaiset_schema_writes(tmp_path):
    """templates/activities.schema.json is what `vertaiset schema` generates from the models now."""
    assert main(["schema", "--out", str(tmp_path / "schema.json")]) == 0
    assert SHIPPED.read_text(encoding="utf-8") == (tmp_path / "schema.json").read_text(encoding="utf-8"), (
        "templates/activities.schema.json is stale; regenerate it with "
        "`vertaiset schema --out templates/activities.schema.json`"
    )


def test_schema_is_a_valid_json_schema():
    """The generated schema is itself a valid JSON Schema (draft 2020-12)."""
    jsonschema.Draft202012Validator.check_schema(activity_file_schema())


@pytest.mark.parametrize("path", ACTIVITY_FILES, ids=lambda p: p.name)
def test_every_activity_file_names_the_schema_on_its_first_line(path):
    """Each activity file names the schema on its first line, for editors with the YAML language server."""
    assert path.read_text(encoding="utf-8").splitlines()[0] == FIRST_LINE


@pytest.mark.parametrize("path", ACTIVITY_FILES, ids=lambda p: p.name)
def test_every_shipped_activity_file_matches_the_schema(path):
    """Each shipped activity file is valid against the shipped schema."""
    assert problems(as_editor_sees(path)) == []


@pytest.mark.parametrize("change", [
    lambda a: a.update(kind="sanapilvi"),
    lambda a: a.update(titel=a.pop("title")),
    lambda a: a.update(id="Iso Kirjain"),
], ids=["unknown kind", "misspelt field", "id pattern"])
def test_schema_refuses_what_the_loader_refuses(change):
    """An unknown kind, a misspelt field and a malformed id make the activity an error against the schema."""
    document = as_editor_sees(TEMPLATES / "activities" / "04_arviointi.yaml")
    change(document["activities"][0])
    found = problems(document)
    assert found and all(p.startswith("activities/0:") for p in found), found

"""Templates load through validated models; a broken file names its file, activity and field."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from vertaiset_widgets.content import load_content, templates_dir
from vertaiset_widgets.errors import VertaisetTemplateError

SOURCE_DIMENSIONS = [
    "Pysyvät kumppanit (kuten muut palvelut)",
    "Tilapäiset kumppanit (kuten muut projektit), tai esim. kilpailu",
    "Asiakas- ja/tai kansalaiskontakti ja osallistuminen",
    "Hankkeen johtaminen ja johdon tuki",
    "Yhteydet poliittiseen päätöksentekoon",
    "Hankkeen tuloksellisuus, kestävyys ja vaikuttavuus",
    "Aikaisempien/muiden (hyvien) käytäntöjen hyödyntäminen",
    "Hankkeen sisäinen yhteistyö",
]


@pytest.fixture
def broken(tmp_path):
    """A copy of the real templates, and a function that edits its 360 activity."""
    root = tmp_path / "templates"
    shutil.copytree(templates_dir(), root, ignore=shutil.ignore_patterns("voila", "nbconvert"))
    path = root / "activities" / "04_arviointi.yaml"

    def edit(change):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(doc["activities"][0])
        path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
        return root

    return edit


def _error(root: Path) -> VertaisetTemplateError:
    with pytest.raises(VertaisetTemplateError) as info:
        load_content(root)
    return info.value


def test_360_has_the_eight_dimensions_in_the_source_wording(content):
    """The 360's items are the eight dimensions, word for word as in Arnkil's slides."""
    activity = content.activity("arviointi_360")
    assert [i.label["fi"] for i in activity.items] == SOURCE_DIMENSIONS


def test_360_scale_and_time_layers(content):
    """The 360 is rated 0–5 in the layers ennen, nyt and tulevaisuudessa."""
    activity = content.activity("arviointi_360")
    assert activity.scale.points == [0, 1, 2, 3, 4, 5]
    assert [layer.id for layer in activity.layers] == ["ennen", "nyt", "tulevaisuudessa"]
    assert [layer.label["fi"] for layer in activity.layers] == ["Ennen", "Nyt", "Tulevaisuudessa"]


def test_every_text_exists_in_every_language(content):
    """Every label and UI string exists in fi, sv and en (a missing one would fail loading)."""
    assert list(content.languages) == ["fi", "sv", "en"]
    for key, text in content.strings.items():
        assert set(text) >= {"fi", "sv", "en"}, key
    activity = content.activity("arviointi_360")
    for item in activity.items + activity.layers:
        assert all(item.label[lang].strip() for lang in ("fi", "sv", "en"))


def test_translations_differ_from_finnish(content):
    """Swedish and English labels are translations, not copies of the Finnish."""
    for item in content.activity("arviointi_360").items:
        assert item.label["sv"] != item.label["fi"] and item.label["en"] != item.label["fi"]


def test_missing_translation_names_file_activity_and_field(broken):
    """A label without its Swedish text is reported with file, activity and field."""
    root = broken(lambda a: a["items"][2]["label"].pop("sv"))
    err = _error(root)
    assert err.path.endswith("04_arviointi.yaml")
    assert err.activity == "arviointi_360"
    assert err.field == "items[2].label"
    assert "'sv'" in str(err) and "04_arviointi.yaml" in str(err)


def test_unknown_kind_is_named(broken):
    """An unknown activity kind is reported with the kinds that exist."""
    root = broken(lambda a: a.update(kind="hologram"))
    err = _error(root)
    assert (err.activity, err.field) == ("arviointi_360", "kind")
    assert "hologram" in err.problem and "rating_matrix" in err.problem


def test_scale_out_of_range_is_refused(broken):
    """A scale beyond 0–10 is reported on the scale field."""
    root = broken(lambda a: a["scale"].update(max=50))
    err = _error(root)
    assert (err.activity, err.field) == ("arviointi_360", "scale")
    assert "max=50" in err.problem


def test_anchor_outside_scale_is_refused(broken):
    """A word at a point outside the scale is reported."""
    root = broken(lambda a: a["scale"]["anchors"].update({7: {"fi": "x", "sv": "x", "en": "x"}}))
    err = _error(root)
    assert err.field == "scale" and "anchor 7" in err.problem


def test_bad_yaml_names_file_and_line(tmp_path, broken):
    """A YAML syntax error names the file and the line."""
    root = broken(lambda a: None)
    path = root / "activities" / "04_arviointi.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n  - id: [unclosed\n", encoding="utf-8")
    err = _error(root)
    assert err.path == str(path)
    assert err.field and err.field.startswith("line ")
    assert "invalid YAML" in err.problem


def test_unknown_field_is_refused(broken):
    """A misspelt field is not silently ignored."""
    root = broken(lambda a: a.update(promt={"fi": "x", "sv": "x", "en": "x"}))
    err = _error(root)
    assert err.field == "promt"


def test_duplicate_item_ids_are_refused(broken):
    """Two items with one id would mix their answers: refused."""
    root = broken(lambda a: a["items"][1].update(id=a["items"][0]["id"]))
    err = _error(root)
    assert err.field == "items" and "pysyvat_kumppanit" in err.problem


def test_missing_ui_string_translation(tmp_path, broken):
    """A UI string without its English text is reported with its key."""
    root = broken(lambda a: None)
    path = root / "ui.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["strings"]["submit"].pop("en")
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    err = _error(root)
    assert err.path.endswith("ui.yaml") and err.field == "strings.submit" and "'en'" in err.problem


def test_adding_a_language_needs_every_text(tmp_path, broken):
    """A language added to languages.yaml makes every text without it an error."""
    root = broken(lambda a: None)
    path = root / "languages.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["languages"]["se"] = "Davvisámegiella"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    err = _error(root)
    assert "'se'" in err.problem

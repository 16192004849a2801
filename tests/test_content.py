"""Templates load through validated models; a broken file names its file, activity and field."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from vertaiset_widgets import kinds
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
    assert "hologram" in err.problem
    assert [k.name for k in kinds.all_kinds() if k.name not in err.problem] == []


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


# ---------------------------------------------------------------------- phases 1 and 2
@pytest.fixture
def broken_file(tmp_path):
    """A copy of the real templates, and a function that edits one activity of one file."""
    root = tmp_path / "templates"
    shutil.copytree(templates_dir(), root, ignore=shutil.ignore_patterns("voila", "nbconvert"))

    def edit(filename, activity_id, change):
        path = root / "activities" / filename
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(next(a for a in doc["activities"] if a["id"] == activity_id))
        path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
        return root

    return edit


def test_phase_1_and_2_exercises_in_the_source_wording(content):
    """The exercises follow the source: the three coordination modes, the four network types,
    the 3 × 4 knowing–trust–commitment matrix, the four typical goals, the 15 questions and the decision modes."""
    assert [o.label["fi"] for o in content.activity("hierarkia_markkina_verkosto").options] == ["Hierarkia", "Markkina", "Verkosto"]
    assert [o.label["fi"] for o in content.activity("verkostotyyppi").options] == [
        "Hierarkkisesti johdetut strategiset verkostot", "Yhdessä johdetut strategiset verkostot",
        "Vapaasti kehittyvät verkostot", "Kaoottinen organisoituminen",
    ]
    ktc = content.activity("tunteminen_luottamus_sitoutuminen")
    assert [c.label["fi"] for c in ktc.columns] == ["Tunteminen", "Luottamus", "Sitoutuminen"]
    assert [len(items) for _c, items in ktc.column_items()] == [4, 4, 4] and ktc.scale.points == [1, 2, 3, 4, 5]
    assert [i.label["fi"] for _c, items in ktc.column_items() for i in items][4:8] == [
        "Hyväntahtoisuus", "Osaaminen ja kyvyt", "Haavoittuvuus", "Johdonmukaisuus",
    ]
    assert [o.label["fi"] for o in content.activity("tyypilliset_tavoitteet").options] == [
        "Asiakkaan laadukas palveleminen", "Työnteon sujuvuus ja tehokkuus",
        "Ilmiö, joka on verkostolle uhka tai mahdollisuus", "Päämäärien saavuttaminen",
    ]
    board = content.activity("toimintatavat")
    assert len(board.questions) == 15
    assert board.questions[0].label["fi"] == "Miten toimintaa koordinoidaan ja fasilitoidaan?"
    assert board.questions[14].label["fi"] == "Miten toimintaa kehitetään ja uudistetaan yhdessä?"
    assert [s.id for s in board.statuses] == ["sovittu", "osittain", "auki"] and board.agreed_status == "sovittu"
    assert [m.id for m in board.modes] == ["ylhaalta_alas", "ohjatusti", "itseohjautuvasti"]
    net = content.activity("verkostokartta")
    assert [r.id for r in net.roles] == ["pysyvat_kumppanit", "tilapaiset_kumppanit", "kilpailijat",
                                         "asiakkaat_kansalaiset", "johtaminen", "poliittinen_paatoksenteko"]
    assert [(t.id, t.style, t.missing) for t in net.ties] == [("vahva", "solid", False), ("heikko", "dashed", False), ("puuttuva", "dotted", True)]
    assert [o.label["fi"] for o in content.activity("oppimisen_tavat").options] == ["Opettaminen", "Fasilitointi", "Emännöinti"]
    assert all(o.hint for o in content.activity("kehittamisen_koulukunnat").options)


@pytest.mark.parametrize(
    "filename, activity, change, field, words",
    [
        ("01_tilannekuva.yaml", "tunteminen_luottamus_sitoutuminen", lambda a: a.pop("columns"), None, "heatmap needs columns"),
        ("01_tilannekuva.yaml", "tunteminen_luottamus_sitoutuminen", lambda a: a["items"][0].update(column="rakkaus"), None, "column must be one of"),
        ("01_tilannekuva.yaml", "hierarkia_markkina_verkosto", lambda a: a.update(options=a["options"][:1]), "options", "at least 2"),
        ("01_tilannekuva.yaml", "kuulumiset", lambda a: a["fields"][2].update(options=[]), None, "select needs at least two options"),
        ("01_tilannekuva.yaml", "verkostokartta", lambda a: a["ties"][0].update(style="wavy"), "ties[0].style", "solid"),
        ("01_tilannekuva.yaml", "verkostotyon_tasot", lambda a: a["breakdown"].update(field="odotus"), "breakdown", "not a select field"),
        ("02_tavoitteet.yaml", "toimintatavat", lambda a: a.update(agreed="valmis"), None, "agreed must be one of the statuses"),
        ("02_tavoitteet.yaml", "rinnakkain_yhdessa", lambda a: a["right"].pop("sv"), "right", "missing translation 'sv'"),
        ("02_tavoitteet.yaml", "tyypilliset_tavoitteet", lambda a: a.update(mode="ranking"), "mode", "single"),
        ("02_tavoitteet.yaml", "oppimisen_tavat", lambda a: a["options"][1].update(id="opettaminen"), "options", "opettaminen"),
        ("01_tilannekuva.yaml", "verkostokartta", lambda a: a["ties"][1].update(id="vahva"), "ties", "must be unique"),
        ("04_arviointi.yaml", "historia_360", lambda a: a.update(source="arviointi_361"), "source", "arviointi_361"),
    ],
)
def test_broken_new_kinds_name_file_activity_and_field(broken_file, filename, activity, change, field, words):
    """Each new kind's mistakes are named with the file, the activity and (where there is one) the field."""
    err = _error(broken_file(filename, activity, change))
    assert Path(err.path).name == filename and err.activity == activity
    if field:
        assert err.field == field
    assert words in err.problem

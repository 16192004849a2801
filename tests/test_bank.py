"""The active practice bank: versions, search in inflected Finnish, files out and in, the CLI and the demo bank."""
from __future__ import annotations

import csv
import json

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from vertaiset_widgets.bank_io import export_bank, import_bank
from vertaiset_widgets.bank_model import MATURITY, PROFILE_DIMENSIONS, PracticeInvalid
from vertaiset_widgets.cli import main
from vertaiset_widgets.demo_bank import DEMO_BANK_NETWORKS, seed_bank
from vertaiset_widgets.errors import VertaisetInputError
from vertaiset_widgets.revisions import SESSION_KEY, changes_since
from vertaiset_widgets.store import SessionStore


@pytest.fixture
def bank(sqlite_url):
    """An empty store on a SQLite file."""
    s = SessionStore(sqlite_url)
    yield s
    s.close()


@pytest.fixture
def demo_bank(bank):
    """The demo bank in a store that has no sessions."""
    seed_bank(bank)
    return bank


@pytest.fixture
def empty(tmp_path):
    """A second, empty store."""
    s = SessionStore(f"sqlite:///{tmp_path / 'other.sqlite'}")
    yield s
    s.close()


def _history(store):
    return {
        p.uid: [(v.version, v.fields, v.changed_by, v.note, v.created_at) for v in store.practice_versions(p.uid)]
        for p in store.practices(limit=1000)
    }


def _count_versions(store):
    return sum(len(v) for v in _history(store).values())


def test_search_finds_inflected_finnish(db_url):
    """verkosto finds verkostoissa, yhteistyö yhteistyön, lapsi lasten; every word must match (SQLite and PostgreSQL)."""
    store = SessionStore(db_url)
    try:
        a = store.save_practice({"name": "Tilannehuone", "summary": "Toimijat tapaavat verkostoissa kuukausittain."})
        b = store.save_practice({"name": "Kuntien foorumi", "summary": "Kuntien yhteistyön foorumi, jossa lasten asiat."})
        c = store.save_practice({"name": "Kumppanuuspöytä", "summary": "Järjestöjen kumppanuus."})

        def names(query):
            return {p.uid for p in store.practices(query=query)}

        assert names("verkosto") == {a.uid}
        assert names("yhteistyö") == {b.uid}
        assert names("lapsi") == {b.uid}
        assert names("Kunta") == {b.uid}
        assert names("lapsi verkosto") == set()  # both words: no practice has both
        assert names("kumppanuus") == {c.uid}
        assert names("") == {a.uid, b.uid, c.uid}
        assert [p.name for p in store.practices()] == ["Kumppanuuspöytä", "Kuntien foorumi", "Tilannehuone"]
    finally:
        store.close()


def test_search_prefix_finds_compounds_and_filters(demo_bank):
    """A long word finds the compounds it begins; the filters narrow by maturity and network; a name hit ranks first."""
    found = demo_bank.practices(query="verkosto")
    assert found and all("verkosto" in p.fields["name"].lower() or "verkost" in json.dumps(p.fields, ensure_ascii=False).lower()
                         for p in found)
    assert found[0].name in {"Isätoiminnan verkosto", "Nuoren oma verkostokartta"}  # the name counts most
    assert {p.uid for p in demo_bank.practices(query="verkostotyössä")} >= {"demo-yhteystietolista", "demo-tilannehuone"}
    good = demo_bank.practices(maturity=["hyva", "kestava"], network=[DEMO_BANK_NETWORKS[1]])
    assert good and {p.maturity for p in good} <= {"hyva", "kestava"} and {p.network for p in good} == {DEMO_BANK_NETWORKS[1]}
    assert demo_bank.practices(query="zyxwv") == []
    assert demo_bank.practices(query="% _") == demo_bank.practices()  # no words: no search
    assert len(demo_bank.practices(limit=3)) == 3


def test_versions_and_maturity_moves(bank):
    """A change is a new version; an identical save adds nothing; the moves list each step with who made it."""
    first = bank.save_practice({"name": "Vuosikello"}, changed_by="Aino")
    second = bank.save_practice({"name": "Vuosikello", "maturity": "lupaava"}, uid=first.uid, changed_by="Eero", note="kokeiltu")
    same = bank.save_practice({"name": "Vuosikello", "maturity": "lupaava"}, uid=first.uid, changed_by="Joku")
    third = bank.save_practice({"name": "Vuosikello", "maturity": "lupaava", "summary": "Yhteinen kalenteri"}, uid=first.uid)
    assert (first.version, second.version, same.version, third.version) == (1, 2, 2, 3)
    assert same.changed_by == "Eero" and same.note == "kokeiltu"
    assert [v.maturity for v in bank.practice_versions(first.uid)] == ["kiinnostava", "lupaava", "lupaava"]
    moves = bank.maturity_moves(first.uid)
    assert [(m[1], m[2], m[3]) for m in moves] == [(None, "kiinnostava", "Aino"), ("kiinnostava", "lupaava", "Eero")]
    assert bank.practice(first.uid).summary == "Yhteinen kalenteri" and bank.practice(first.uid).profile is None
    assert bank.practice("nope") is None and bank.practice_versions("nope") == []
    made = bank.save_practice({"name": "Tuotu"}, uid="given-id")
    assert made.uid == "given-id" and made.version == 1


def test_a_bad_field_is_named(bank):
    """A practice with a bad field is refused with the field named, and nothing is saved."""
    cases = [
        ({"name": " \u200b "}, "name"),
        ({"name": "x", "maturity": "huippu"}, "maturity"),
        ({"name": "x", "links": [{"title": "a", "url": "javascript:alert(1)"}]}, "links[1].url"),
        ({"name": "x", "stories": [{"title": "a"}, {"text": "b"}]}, "stories[2].title"),
        ({"name": "x", "stories": [{"title": " \u00a0"}]}, "stories[1].title"),
        ({"name": "x", "profile": {"johtaminen": 6}}, "profile"),
        ({"name": "x", "perustiedot": {"kesto": 3}}, "perustiedot.kesto"),
        ({"name": "x" * 301}, "name"),
    ]
    for fields, field in cases:
        with pytest.raises(PracticeInvalid) as info:
            bank.save_practice(fields)
        assert info.value.field == field
    with pytest.raises(VertaisetInputError):
        bank.save_practice({"name": "x"}, uid="no spaces allowed")
    assert bank.practices() == []
    clean = bank.save_practice({"name": "Puhdas\x01 nimi", "steps": ["", "Askel\x07"], "keywords": ["  "]})
    assert clean.name == "Puhdas nimi" and clean.fields["steps"] == ["Askel"] and clean.fields["keywords"] == []


def test_show_practice_on_the_screen(bank):
    """The facilitator's choice is kept per session and open pages notice it through the session key."""
    session, _ = bank.create_session("Paja", network="Verkosto")
    practice = bank.save_practice({"name": "Tilannehuone"})
    seen = bank.session_by_id(session.id).revision
    bank.show_practice(session.id, practice.uid)
    assert bank.shown_practice(session.id) == practice.uid
    with bank.engine.connect() as conn:
        assert SESSION_KEY in changes_since(conn, session.id, seen)
    bank.show_practice(session.id, None)
    assert bank.shown_practice(session.id) is None
    with pytest.raises(VertaisetInputError):
        bank.show_practice(session.id, "unknown")


def test_a_version_names_its_session_until_the_session_is_purged(bank):
    """The session that fed a version is named by its code; purging the session keeps the practice."""
    from vertaiset_widgets.privacy import purge_session

    session, _ = bank.create_session("Paja", network="Verkosto")
    practice = bank.save_practice({"name": "Tilannehuone"}, from_session_id=session.id)
    assert practice.from_session == session.code
    bank.show_practice(session.id, practice.uid)
    purge_session(bank, session.code)
    assert bank.practice(practice.uid).from_session is None
    with pytest.raises(VertaisetInputError):
        bank.save_practice({"name": "Toinen"}, from_session_id=session.id)


def test_json_export_then_import_gives_the_same_bank(demo_bank, empty, tmp_path):
    """Every version comes across; importing the same file again changes nothing."""
    path = export_bank(demo_bank, "json", tmp_path / "bank.json")
    assert import_bank(empty, path) == (12, _count_versions(demo_bank))
    assert _history(empty) == _history(demo_bank)
    assert import_bank(empty, path) == (0, 0)
    assert import_bank(demo_bank, path) == (0, 0)
    assert [p.fields for p in empty.practices()] == [p.fields for p in demo_bank.practices()]


def test_malformed_import_is_refused_whole(demo_bank, tmp_path):
    """A bad field in practice 3 is named with its version; nothing of the file is written."""
    data = json.loads(export_bank(demo_bank, "json", tmp_path / "bank.json").read_text(encoding="utf-8"))
    data["practices"][0]["uid"] = "brand-new"  # a valid practice that would be new
    data["practices"][2]["versions"][0]["fields"]["maturity"] = "paras"
    (tmp_path / "bad.json").write_text(json.dumps(data), encoding="utf-8")
    before = _history(demo_bank)
    with pytest.raises(VertaisetInputError) as info:
        import_bank(demo_bank, tmp_path / "bad.json")
    assert "Käytäntö 3, versio 1, kenttä maturity" in str(info.value)
    with pytest.raises(VertaisetInputError) as info:
        import_bank(demo_bank, tmp_path / "bad.json", lang="en")
    assert "Practice 3, version 1, field maturity" in str(info.value)
    assert _history(demo_bank) == before
    (tmp_path / "junk.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(VertaisetInputError, match="JSON"):
        import_bank(demo_bank, tmp_path / "junk.json")
    (tmp_path / "other.json").write_text('{"format": "something"}', encoding="utf-8")
    with pytest.raises(VertaisetInputError, match="vertaiset-bank"):
        import_bank(demo_bank, tmp_path / "other.json")
    (tmp_path / "ik.json").write_text(json.dumps([{"nimi": "Hyvä"}, {"nimi": "Toinen", "linkit": [{"otsikko": "x", "osoite": "ftp://a"}]}]))
    with pytest.raises(VertaisetInputError, match="Käytäntö 2, kenttä linkit\\[1\\].osoite"):
        import_bank(demo_bank, tmp_path / "ik.json")
    assert _history(demo_bank) == before


def test_csv_innokyla_and_xlsx_exports_parse_back(demo_bank, empty, tmp_path):
    """CSV, Innokylä-shaped JSON and XLSX hold every practice with its lists, history and profile."""
    from openpyxl import load_workbook

    with export_bank(demo_bank, "csv", tmp_path / "bank.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 12
    room = next(r for r in rows if r["uid"] == "demo-tilannehuone")
    assert room["maturity"] == "hyva" and room["maturity_history"].count(" | ") == 2
    assert float(room["profile_johtaminen"]) == 3.2 and " | " in room["steps"] and room["from_session"] == ""
    items = json.loads(export_bank(demo_bank, "innokyla", tmp_path / "ik.json").read_text(encoding="utf-8"))
    assert {i["kehitysvaihe"] for i in items} == set(MATURITY)
    item = next(i for i in items if i["tunniste"] == "demo-tilannehuone")
    assert item["nimi"] == "Nuorten palveluiden tilannehuone" and item["tapaustarinat"][0]["otsikko"]
    assert item["linkit"][0]["osoite"].startswith("https://") and len(item["kehitysvaiheen_historia"]) == 3
    assert import_bank(empty, tmp_path / "ik.json") == (12, 12)
    assert import_bank(empty, tmp_path / "ik.json") == (0, 0)
    assert {p.uid: p.fields for p in empty.practices()} == {p.uid: p.fields for p in demo_bank.practices()}
    sheet = load_workbook(export_bank(demo_bank, "xlsx", tmp_path / "bank.xlsx")).active
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["Tunniste", "Versio", "Nimi"] and "Kehitysvaihe" in header and sheet.max_row == 13
    assert sum(1 for h in header if h.startswith("360-profiili: ")) == len(PROFILE_DIMENSIONS)


def test_demo_bank_is_seeded_once_across_two_networks(demo_bank):
    """Twelve practices, two or more per step, both networks, some with histories; seeding again adds nothing."""
    before = _history(demo_bank)
    seed_bank(demo_bank)
    assert _history(demo_bank) == before
    practices = demo_bank.practices()
    assert len(practices) == 12
    assert all(sum(p.maturity == m for p in practices) >= 2 for m in MATURITY)
    assert demo_bank.bank_facets()["network"] == sorted(DEMO_BANK_NETWORKS)
    assert [m[2] for m in demo_bank.maturity_moves("demo-tilannehuone")] == ["kiinnostava", "lupaava", "hyva"]
    assert sum(p.profile is not None for p in practices) >= 9


def test_cli_bank_export_import_list(demo_bank, sqlite_url, tmp_path, capsys):
    """`bank export`, `bank import` and `bank list`; a refused file exits 2 with one line on stderr."""
    other = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    assert main(["bank", "export", "--db-url", sqlite_url, "--format", "json", "--out", str(tmp_path / "b.json")]) == 0
    assert main(["bank", "import", "--db-url", other, str(tmp_path / "b.json")]) == 0
    assert "12 uutta käytäntöä" in capsys.readouterr().out
    assert main(["bank", "list", "--db-url", other, "--query", "verkostoissa", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed and {"uid", "name", "maturity"} <= set(listed[0])
    (tmp_path / "bad.json").write_text('{"format": "vertaiset-bank", "version": 1, "practices": [{"uid": "x", "versions": []}]}')
    assert main(["bank", "import", "--db-url", other, str(tmp_path / "bad.json")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Käytäntö 1, kenttä versions" in err and "Traceback" not in err


_TEXT = st.text(max_size=60)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=_TEXT, summary=_TEXT, story=_TEXT, keyword=_TEXT, who=_TEXT)
def test_any_text_saves_searches_and_comes_back(bank, empty, tmp_path, name, summary, story, keyword, who):
    """Any Unicode saves (cleaned), searches without error and comes back equal through export and import."""
    fields = {"name": "Käytäntö " + name, "summary": summary, "stories": [{"title": "T " + story, "text": story}],
              "keywords": [keyword], "network": summary[:200], "steps": [story]}
    saved = bank.save_practice(fields, changed_by=who, note=summary)
    bank.practices(query=name + " " + summary)
    bank.practices(query=keyword, network=[summary])
    path = export_bank(bank, "json", tmp_path / "prop.json")
    import_bank(empty, path)
    back = empty.practice(saved.uid)
    assert back is not None and back.fields == saved.fields and back.changed_by == saved.changed_by
    assert back.note == saved.note and back.created_at == saved.created_at

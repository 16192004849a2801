"""Words' base forms: the shared SQLite of known words (``lemmas``) and simplemma's dictionaries
opened through an index cached per machine (``lemma_index``) give what simplemma itself gives."""
from __future__ import annotations

import sqlite3

import pytest
import simplemma

from vertaiset_widgets import lemma_index, lemmas

WORDS = {
    "fi": ["verkostoissa", "lasten", "kuntien", "yhteistyön", "verkostotyössä", "järjestöjen", "turvallisia",
           "vertaistoiminta", "äänestys", "xyzzyplugh"],
    "sv": ["nätverken", "barnens", "kommunerna", "samarbetet"],
    "en": ["networks", "children", "municipalities"],
}


@pytest.fixture
def fresh(tmp_path, monkeypatch):
    """An empty machine cache and an empty home: nothing known yet."""
    monkeypatch.setenv("VERTAISET_CACHE", str(tmp_path / "machine"))
    monkeypatch.setenv("VERTAISET_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(lemma_index, "_lemmatizer", None)
    monkeypatch.setattr(lemmas, "_memory", {})
    return tmp_path


@pytest.mark.parametrize("lang", sorted(WORDS))
def test_same_base_forms_as_simplemma_and_the_index_is_kept(fresh, lang):
    want = {w: simplemma.lemmatize(w, lang=lang).casefold() for w in WORDS[lang]}
    assert lemmas.base_forms(WORDS[lang], lang) == want
    index = list((fresh / "machine").glob(f"simplemma-*-{lang}-v*.index"))
    assert len(index) == 1 and index[0].stat().st_size > 1000
    with sqlite3.connect(lemmas.cache_path()) as conn:  # and every word is remembered for the next kernel
        assert dict(conn.execute("SELECT word, base FROM base_form WHERE lang = ?", (lang,))) == want


def test_a_new_process_reads_the_kept_index(fresh, monkeypatch):
    lemmas.base_forms(["verkostoissa"], "fi")
    index = next((fresh / "machine").glob("simplemma-*-fi-v*.index"))
    before = index.stat().st_mtime_ns
    # another kernel: nothing in memory, nothing in the home's word list
    monkeypatch.setattr(lemma_index, "_lemmatizer", None)
    monkeypatch.setattr(lemmas, "_memory", {})
    monkeypatch.setenv("VERTAISET_HOME", str(fresh / "other-home"))
    built = []
    from simplemma.strategies.dictionaries import stream_dictionary_factory as sdf

    original_init = sdf.StreamMap.__init__
    monkeypatch.setattr(sdf.StreamMap, "__init__", lambda self, lang: (built.append(lang), original_init(self, lang))[1])
    assert lemmas.base_forms(["lasten", "kuntien"], "fi") == {"lasten": "lapsi", "kuntien": "kunta"}
    assert built == [] and index.stat().st_mtime_ns == before


def test_a_damaged_index_is_built_again(fresh):
    (fresh / "machine").mkdir()
    path = lemma_index._index_path("fi")
    path.write_bytes(b"not an index")
    assert lemmas.base_forms(["lasten"], "fi") == {"lasten": "lapsi"}
    assert path.stat().st_size > 1000


def test_several_languages_in_order(fresh):
    got = lemmas.base_forms(["verkostoissa", "networks"], ("fi", "sv", "en"))
    assert got == {w: simplemma.lemmatize(w, lang=("fi", "sv", "en")).casefold() for w in ("verkostoissa", "networks")}

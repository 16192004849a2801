"""Words' base forms (``verkostoissa`` → ``verkosto``) with simplemma, remembered.

simplemma reads a language's dictionary the first time it is asked (``lemma_index`` makes that
0.15 s instead of 3.5 s). A word's base form never changes for the same simplemma, so
every answer is kept: in this process, and in a small SQLite file beside the store's
(``$VERTAISET_HOME/cache/base-forms.sqlite3``) that every kernel on the machine shares. The
console that showed a word summary live has already looked up the words the report needs.

The file is a cache only: when it cannot be read or written, words are looked up as before.
"""
from __future__ import annotations

import logging
import sqlite3
import threading
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Iterable, Sequence

__all__ = ["base_forms", "cache_path", "tokens"]

log = logging.getLogger("vertaiset")

_memory: dict[tuple[str, str], str] = {}
_lock = threading.Lock()


def simplemma_version() -> str:
    try:
        return version("simplemma")
    except PackageNotFoundError:  # pragma: no cover - a source checkout without metadata
        return "unknown"


def cache_path() -> Path:
    """The shared file of known base forms (one per simplemma version)."""
    from .config import data_home

    return data_home() / "cache" / f"base-forms-{simplemma_version()}.sqlite3"


def _connect() -> sqlite3.Connection | None:
    try:
        path = cache_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=2, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("CREATE TABLE IF NOT EXISTS base_form (lang TEXT, word TEXT, base TEXT, PRIMARY KEY (lang, word))")
        return conn
    except (OSError, sqlite3.Error) as exc:
        log.info("base-form cache not available: %s", exc)
        return None


def tokens(text: str) -> list[str]:
    """``text``'s words as simplemma splits them, case-folded."""
    import simplemma

    return [t.casefold() for t in simplemma.simple_tokenizer(text or "")]


def base_forms(words: Iterable[str], lang: str | Sequence[str]) -> dict[str, str]:
    """Each of ``words`` (case-folded already) mapped to its case-folded base form in ``lang``
    (a language code, or several tried in order)."""
    key = lang if isinstance(lang, str) else ",".join(lang)
    wanted = {w for w in words if w}
    out = {w: _memory[(key, w)] for w in wanted if (key, w) in _memory}
    missing = sorted(wanted - out.keys())
    if not missing:
        return out
    with _lock:
        conn = _connect()
        try:
            if conn is not None:
                for start in range(0, len(missing), 500):
                    chunk = missing[start:start + 500]
                    marks = ",".join("?" * len(chunk))
                    try:
                        rows = conn.execute(f"SELECT word, base FROM base_form WHERE lang = ? AND word IN ({marks})",
                                            [key, *chunk]).fetchall()
                    except sqlite3.Error:
                        rows = []
                    out.update(rows)
            new = [w for w in missing if w not in out]
            if new:
                from .lemma_index import lemmatizer

                lemmatize = lemmatizer().lemmatize
                looked = {w: lemmatize(w, lang=lang if isinstance(lang, str) else tuple(lang)).casefold() for w in new}
                out.update(looked)
                if conn is not None:
                    try:
                        conn.executemany("INSERT OR IGNORE INTO base_form VALUES (?, ?, ?)",
                                         [(key, w, b) for w, b in looked.items()])
                    except sqlite3.Error as exc:
                        log.info("base-form cache not written: %s", exc)
        finally:
            if conn is not None:
                conn.close()
        for w in wanted:
            _memory[(key, w)] = out[w]
    return out

"""simplemma's dictionaries, opened in a tenth of a second and a tenth of the memory.

simplemma ships each language's dictionary as one compressed, front-coded stream. Its default
reader decodes the whole stream into a Python dict: Finnish takes 3.5 s and 415 MiB in every
process that meets a word. Its own low-memory reader (``StreamMap``, the ``low_memory`` option)
keeps the stream as bytes and a sparse index of restart points; it gives the same base forms,
but builds that index in a 2 s pass over the stream, again in every process.

The index depends only on the installed simplemma, so it is built once per machine and kept
in ``$XDG_CACHE_HOME/vertaiset`` (``~/.cache/vertaiset``; ``VERTAISET_CACHE`` overrides) as a
``marshal`` file of plain lists, bytes and ints, named by simplemma's version and the language.
A kernel then opens a language with one decompression (0.1 s) and reads the index back (0.05 s).

Anything unexpected (another simplemma layout, an unreadable file) falls back to simplemma's
own readers: slower, never different.
"""
from __future__ import annotations

import logging
import marshal
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

log = logging.getLogger("vertaiset")

__all__ = ["lemmatizer"]

#: bump when the file's layout changes
_FORMAT = 1
_lemmatizer = None


def _index_path(lang: str) -> Path:
    from .config import cache_home
    from .lemmas import simplemma_version

    return cache_home() / f"simplemma-{simplemma_version()}-{lang}-v{_FORMAT}.index"


def _stream_map(lang: str) -> Mapping[str, str]:
    """``lang``'s dictionary as simplemma's ``StreamMap``, with its index read from the cache
    (or built by simplemma and then cached)."""
    from simplemma.strategies.dictionaries import stream_dictionary_factory as sdf
    from simplemma.strategies.dictionaries.dictionary_factory import _read_decompressed

    path = _index_path(lang)
    try:
        rev, count, pos, firsts, blocks = marshal.loads(path.read_bytes())
        built = sdf.StreamMap.__new__(sdf.StreamMap)
        built._data = _read_decompressed(lang)
        built._rev, built._count, built._pos = rev, count, pos
        built._firsts, built._blocks = firsts, [tuple(b) for b in blocks]
        if firsts and built.get((firsts[0][::-1] if rev else firsts[0]).decode()) is None:
            raise ValueError("the cached index does not match the dictionary")
        return built
    except FileNotFoundError:
        pass
    except Exception as exc:  # another layout, a damaged file: build it again
        log.info("simplemma index %s not used: %s", path, exc)
    built = sdf.StreamMap(lang)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        data = marshal.dumps((built._rev, built._count, built._pos, built._firsts, built._blocks))
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)  # whole or not at all, for the kernels reading beside this one
    except (OSError, AttributeError, ValueError) as exc:
        log.info("simplemma index not cached: %s", exc)
    return built


def lemmatizer():
    """One simplemma ``Lemmatizer`` for this process, reading dictionaries through the cached index."""
    global _lemmatizer
    if _lemmatizer is None:
        from simplemma import Lemmatizer
        from simplemma.strategies import DefaultStrategy
        from simplemma.strategies.dictionaries.dictionary_factory import CachingDictionaryFactory

        class CachedIndexFactory(CachingDictionaryFactory):
            def _get_dictionary_uncached(self, lang: str) -> Mapping[str, str]:
                try:
                    return _stream_map(lang)
                except ValueError:  # an unsupported language: as simplemma says it
                    raise
                except Exception as exc:  # pragma: no cover - a simplemma without StreamMap
                    log.info("simplemma's stream reader not available: %s", exc)
                    from simplemma.strategies.dictionaries.dictionary_factory import DEFAULT_DICTIONARY_FACTORY

                    return DEFAULT_DICTIONARY_FACTORY.get_dictionary(lang)

        _lemmatizer = Lemmatizer(lemmatization_strategy=DefaultStrategy(dictionary_factory=CachedIndexFactory()))
    return _lemmatizer

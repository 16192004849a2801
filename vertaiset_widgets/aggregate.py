"""Pure functions: stored answers -> tidy pandas frames -> numbers.

No display, no I/O, no translation: ids in, ids out. The views put labels on.
"""
from __future__ import annotations

from typing import Iterable, Sequence

import pandas as pd

from .store import Answer

__all__ = [
    "ANSWER_COLUMNS",
    "answers_frame",
    "group_profiles",
    "rating_summary",
    "respondent_count",
    "word_counts",
]

ANSWER_COLUMNS = [
    "answer_id",
    "participant_id",
    "nickname",
    "group",
    "activity_id",
    "round",
    "item",
    "layer",
    "value",
    "text",
    "created_at",
]

_NO_GROUP = ""


def answers_frame(answers: Iterable[Answer]) -> pd.DataFrame:
    """One row per answer, with the columns of :data:`ANSWER_COLUMNS`."""
    rows = [
        (
            a.id,
            a.participant_id,
            a.nickname or "",
            a.group_name or _NO_GROUP,
            a.activity_id,
            a.round,
            a.item,
            a.layer,
            a.value_num,
            a.value_text,
            a.created_at,
        )
        for a in answers
    ]
    frame = pd.DataFrame(rows, columns=ANSWER_COLUMNS)
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce")
    return frame


def respondent_count(frame: pd.DataFrame) -> int:
    """How many participants gave at least one numeric answer."""
    return int(frame.loc[frame["value"].notna(), "participant_id"].nunique())


def rating_summary(frame: pd.DataFrame, items: Sequence[str], layers: Sequence[str]) -> pd.DataFrame:
    """Mean, spread and count per item and layer, in template order.

    Returns a frame with columns ``item, layer, n, mean, std, min, q1, median, q3, max``
    and one row for every item × layer, also those nobody answered (``n == 0``, NaN stats).
    """
    numeric = frame[frame["value"].notna()]
    grouped = numeric.groupby(["item", "layer"])["value"]
    stats = pd.DataFrame(
        {
            "n": grouped.count(),
            "mean": grouped.mean(),
            "std": grouped.std(ddof=0),
            "min": grouped.min(),
            "q1": grouped.quantile(0.25),
            "median": grouped.median(),
            "q3": grouped.quantile(0.75),
            "max": grouped.max(),
        }
    )
    index = pd.MultiIndex.from_product([list(items), list(layers)], names=["item", "layer"])
    out = stats.reindex(index).reset_index()
    out["n"] = out["n"].fillna(0).astype(int)
    return out


def group_profiles(frame: pd.DataFrame, items: Sequence[str], layers: Sequence[str]) -> pd.DataFrame:
    """Mean per group, item and layer (participants without a group are left out).

    Columns ``group, item, layer, mean, n``; groups sorted by name.
    """
    numeric = frame[frame["value"].notna() & (frame["group"] != _NO_GROUP)]
    if numeric.empty:
        return pd.DataFrame(columns=["group", "item", "layer", "mean", "n"])
    grouped = numeric.groupby(["group", "item", "layer"])["value"]
    out = pd.DataFrame({"mean": grouped.mean(), "n": grouped.count()}).reset_index()
    order = {item: i for i, item in enumerate(items)}
    layer_order = {layer: i for i, layer in enumerate(layers)}
    out = out[out["item"].isin(order) & out["layer"].isin(layer_order)]
    out = out.assign(_i=out["item"].map(order), _l=out["layer"].map(layer_order))
    return out.sort_values(["group", "_l", "_i"]).drop(columns=["_i", "_l"]).reset_index(drop=True)


def word_counts(
    texts: Iterable[str], lang: str, stopwords: dict[str, frozenset[str]] | None = None, *, top: int = 15
) -> pd.DataFrame:
    """The most common words of ``texts`` in their base form (``verkostoissa`` → ``verkosto``).

    Words are case-folded, taken to their base form with simplemma (Finnish, Swedish or
    English by ``lang``), and the stop words of every language are left out, as are numbers
    and one-letter words. Returns columns ``word, count``, most common first.
    """
    from .lemmas import base_forms, tokens

    stop = frozenset().union(*(stopwords or {}).values())
    words = [w for text in texts for w in tokens(text)
             if len(w) >= 2 and any(ch.isalpha() for ch in w) and w not in stop]
    bases = base_forms(words, lang)  # remembered across kernels: see lemmas.py
    counts: dict[str, int] = {}
    for word in words:
        base = bases[word]
        if base in stop:
            continue
        counts[base] = counts.get(base, 0) + 1
    frame = pd.DataFrame(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])), columns=["word", "count"])
    return frame.head(top).reset_index(drop=True)

"""Text that cannot break anything: cleaning at the store's door and at the output boundaries.

Participants type on phones and paste from anywhere. A handful of characters that no
keyboard makes on purpose break what comes after the store:

- vl-convert (the chart renderer) measures text by parsing it as XML and *panics* on a
  character that XML 1.0 forbids (measured with vl-convert-python 1.9: the C0 controls
  other than tab, line feed and carriage return, U+FFFE and U+FFFF; DEL, C1 controls and
  other noncharacters draw). The panic aborts the whole kernel, so every page that draws
  the chart, and the report, dies again on every reload.
- openpyxl refuses the same C0 controls (``IllegalCharacterError``), GraphML written with
  them is not well-formed XML, and a lone surrogate (JSON from a browser can hold one)
  cannot be encoded as UTF-8: the database, vl-convert and every file refuse it.

So text is normalised (NFC) and those characters are removed where it enters the store
(:func:`clean_line`, :func:`clean_text`, :func:`clean`), and once more where it leaves
(:func:`clean_tree` for chart specs, :func:`spreadsheet_safe` for CSV and XLSX cells), so
that rows written before this cleaning existed cannot crash anything either.

Pure Python (``re`` and ``unicodedata``): the participant's page imports it.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any

__all__ = ["clean", "clean_line", "clean_text", "clean_tree", "is_blank", "spreadsheet_safe"]

# Control characters that stand for a break between words: they become a space, so that
# "a<FF>b" stays two words (VT, FF, the information separators, NEXT LINE).
_SPACE_LIKE = re.compile("[\x0b\x0c\x1c-\x1f\x85]")

# Removed everywhere:
# - C0 controls except tab, line feed and carriage return: not allowed in XML 1.0 (vl-convert
#   panics, GraphML breaks) nor in openpyxl's cells;
# - DEL and the C1 controls: allowed by XML 1.0 but "discouraged", never typed on purpose
#   (they appear only from text decoded with the wrong code page) and invisible;
# - surrogates: a lone one cannot be encoded as UTF-8 (the database and every file refuse it);
# - noncharacters (U+FDD0–U+FDEF and the last two code points of every plane): reserved for
#   a program's internal use; U+FFFE and U+FFFF are not allowed in XML 1.0 either.
_NONCHARACTERS = "".join(f"{chr(plane * 0x10000 + 0xFFFE)}-{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17))
_UNSAFE = re.compile(f"[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef{_NONCHARACTERS}]")

# Letters and symbols that draw nothing (Hangul fillers, the blank Braille pattern): a text
# made of them only looks empty, like one of spaces.
_BLANK = frozenset("\u115f\u1160\u3164\uffa0\u2800")

# Code points Unicode keeps default-ignorable even where they are not assigned yet (they will
# never draw); other unassigned code points may be tomorrow's emoji and count as visible.
_IGNORABLE_UNASSIGNED = ((0x2065, 0x2065), (0xFFF0, 0xFFF8), (0xE0000, 0xE0FFF))

# Cells that a spreadsheet reads as a formula (OWASP, "CSV Injection"): = + - @, a tab or a
# carriage return first. The full-width forms are included because spreadsheets in East
# Asian locales convert them to the ASCII ones on input.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def clean(value: str) -> str:
    """Remove the characters that XML 1.0, spreadsheets or the chart renderer cannot take, then NFC.

    Nothing else changes: spacing and line breaks stay (only the control characters that
    separate words become spaces), so identifiers and keys come through untouched.

    Parameters
    ----------
    value : str
        Any text.

    Returns
    -------
    str
        The text in Unicode normalisation form C without C0 controls (tab, line feed and
        carriage return are kept), DEL, C1 controls, surrogates or noncharacters.

    Examples
    --------
    >>> clean("Kela\\x01\\ufffe")
    'Kela'
    >>> clean("Cafe\\u0301")
    'Café'
    """
    value = _UNSAFE.sub("", _SPACE_LIKE.sub(" ", value))
    # NFC after the removal: composing never creates one of the removed characters
    return unicodedata.normalize("NFC", value)


def _visible(ch: str) -> bool:
    if ch in _BLANK:
        return False
    category = unicodedata.category(ch)
    if category[0] in "LNPS" or category == "Co":  # letters, numbers, punctuation, symbols, private use
        return True
    if category == "Cn":
        point = ord(ch)
        return not any(lo <= point <= hi for lo, hi in _IGNORABLE_UNASSIGNED)
    # spaces, line and paragraph separators, controls, format characters (zero-width
    # space and joiners, word joiner, BOM, soft hyphen, bidi marks) and combining marks alone
    return False


def is_blank(value: str | None) -> bool:
    """True when the text would show nothing: only whitespace, format characters, combining marks or fillers.

    Examples
    --------
    >>> is_blank("\\u200b\\u200d\\ufeff \\u0301")
    True
    >>> is_blank("\\u200bx")
    False
    """
    return not any(_visible(ch) for ch in value or "")


def clean_line(value: Any, limit: int | None = None) -> str | None:
    """One line of text (a name, a group, a title): cleaned, spacing collapsed, at most ``limit`` characters.

    Parameters
    ----------
    value : object
        What was typed (``str()`` is taken of anything else); None stays None.
    limit : int, optional
        The longest text kept; None keeps it whole (for a caller that refuses too long ones).

    Returns
    -------
    str or None
        None when nothing visible is left (an empty field).
    """
    if value is None:
        return None
    line = " ".join(clean(str(value)).split())
    if limit is not None:
        line = line[:limit].rstrip()
    return None if is_blank(line) else line


def clean_text(value: Any, limit: int | None = None) -> str | None:
    """A text of several lines (an answer, a canvas box): cleaned, line ends as ``\\n``, trimmed.

    Parameters
    ----------
    value : object
        What was typed (``str()`` is taken of anything else); None stays None.
    limit : int, optional
        The longest text kept; None keeps it whole.

    Returns
    -------
    str or None
        None when nothing visible is left (an empty field).
    """
    if value is None:
        return None
    text = clean(str(value)).replace("\r\n", "\n").replace("\r", "\n").strip()
    if limit is not None:
        text = text[:limit].rstrip()
    return None if is_blank(text) else text


def clean_tree(value: Any) -> Any:
    """Every string inside nested dicts, lists and tuples cleaned with :func:`clean` (keys too).

    For a chart's Vega-Lite spec just before it is rendered: labels from rows stored before
    the store cleaned its input must not reach vl-convert. Keys and values are cleaned alike,
    so a field name and the data that refers to it still match.
    """
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {clean_tree(k): clean_tree(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean_tree(v) for v in value]
    return value


def spreadsheet_safe(value: Any) -> Any:
    """A cell for a CSV or XLSX file: text cleaned and never read as a formula; numbers left as numbers.

    Text that begins with a formula trigger gets a single quote in front (as OWASP
    recommends for CSV injection), so ``=HYPERLINK(...)`` is shown as the words it is.

    Examples
    --------
    >>> spreadsheet_safe('=HYPERLINK("http://x")')
    '\\'=HYPERLINK("http://x")'
    >>> spreadsheet_safe(-3.5)
    -3.5
    """
    if not isinstance(value, str):
        return value
    value = clean(value)
    return "'" + value if value.startswith(_FORMULA_START) else value

"""Every chart of the report with a text alternative and its data as a table beside it.

:func:`chart_render.to_svg` puts the chart's own data (the Vega-Lite spec's inlined data, the
columns its encodings show) into the SVG as ``<metadata>``: :func:`spec_tables` and
:func:`embed_data`. The report's nbconvert template runs :class:`ReadableChartsPreprocessor`
(listed in its ``conf.json``), which turns that into the SVG's ``<title>`` and ``<desc>`` and a
``<details>`` with the data table right after the chart's ``<img>``, and puts every table of the
report in a wrapper that scrolls sideways, so that the page itself never does on a phone.

Light: no pandas, no Altair (the report's converter imports it), and nbconvert only once the
template asks for the preprocessor (a module ``__getattr__``): a kernel that draws charts imports
this module too.
"""
from __future__ import annotations

import base64
import functools
import html
import json
import math
import re
from typing import Any, Iterator

__all__ = ["chart_tables_html", "embed_data", "read_data", "readable_html", "spec_tables"]

_MARK = '<metadata id="vt-chart-data">'
_DATA = re.compile(r'<metadata id="vt-chart-data">(.*?)</metadata>', re.S)
#: Channels whose fields a reader needs, in the table's column order (the tooltip's come first).
_CHANNELS = ("row", "column", "facet", "y", "x", "theta", "color", "shape", "size", "text")
_MAX_ROWS = 200


def _views(spec: dict, data: Any = None, encoding: dict | None = None) -> Iterator[tuple[Any, dict]]:
    """Every view that draws a mark, with the data and encoding it inherits."""
    data = spec.get("data", data)
    enc = {**(encoding or {}), **(spec.get("encoding") or {})}
    facet = spec.get("facet")
    if isinstance(facet, dict):
        enc = {**enc, **({"facet": facet} if "field" in facet else facet)}
    if "mark" in spec:
        yield data, enc
    for key in ("layer", "hconcat", "vconcat", "concat"):
        for sub in spec.get(key) or []:
            if isinstance(sub, dict):
                yield from _views(sub, data, enc if key == "layer" else None)
    if isinstance(spec.get("spec"), dict):
        yield from _views(spec["spec"], data, enc)


def _defs(channel: str, value: Any) -> Iterator[dict]:
    if isinstance(value, list):
        for v in value:
            yield from _defs(channel, v)
    elif isinstance(value, dict):
        if isinstance(value.get("field"), str):
            yield value
        for key in ("condition",):
            if isinstance(value.get(key), dict):
                yield from _defs(channel, value[key])


def _title(fdef: dict) -> str | None:
    for holder in (fdef, fdef.get("axis") or {}, fdef.get("legend") or {}, fdef.get("header") or {}):
        title = holder.get("title") if isinstance(holder, dict) else None
        if isinstance(title, list):
            title = " ".join(str(t) for t in title)
        if isinstance(title, str) and title.strip():
            return title.strip()
    return None


def _cell(value: Any, fmt: Any) -> Any:
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    if isinstance(value, str):
        return " ".join(value.split())  # a label wrapped onto lines
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        digits = 2
        match = re.fullmatch(r"\.(\d)f", fmt) if isinstance(fmt, str) else None
        if match:
            digits = int(match.group(1))
        value = round(value, digits)
        return int(value) if value == int(value) else value
    return "" if value is None else value


def _hidden(channel: str, fdef: dict) -> bool:
    """A position drawn by hand (its axis hidden, no title): coordinates, not data for a reader."""
    if channel in ("theta", "radius"):
        return fdef.get("type") == "quantitative" and not _title(fdef)
    return channel in ("x", "y") and "axis" in fdef and fdef["axis"] is None and not _title(fdef)


def _number(value: Any) -> float | None:
    try:
        return float(str(value).replace("+", "").replace("−", "-"))
    except ValueError:
        return None


def _shows(value: Any, text: Any) -> bool:
    """``text`` is ``value`` as the chart prints it (rounded to the digits it shows)."""
    a, b = _number(value), _number(text)
    if a is None or b is None:
        return False
    digits = len(str(text).split(".", 1)[1]) if "." in str(text) else 0
    return abs(a - b) <= 0.5 * 10 ** -digits + 1e-9


def _redundant(columns: list[dict], rows: list[list[Any]], j: int) -> bool:
    """Column ``j`` repeats an earlier one: the same text, or a number it shows rounded."""
    for i in range(j):
        if all(str(r[i]) == str(r[j]) for r in rows):
            return True
        if columns[i]["type"] == "quantitative" and columns[j]["type"] != "quantitative":
            if all(_shows(r[i], r[j]) for r in rows):
                return True
    return False


def _table(fdefs: list[tuple[str, dict]], records: list[dict]) -> dict | None:
    columns: dict[str, dict] = {}
    for channel, d in fdefs:
        field = d["field"]
        if field in columns or _hidden(channel, d) or not any(field in r for r in records):
            continue
        columns[field] = {"title": _title(d), "type": d.get("type", "nominal"), "format": d.get("format"),
                          "channel": channel}
    rows: list[list[Any]] = []
    seen: set[str] = set()
    for record in records:
        row = [_cell(record.get(f), c["format"]) for f, c in columns.items()]
        mark = json.dumps(row, default=str)
        if mark in seen or all(v == "" for v in row):
            continue
        seen.add(mark)
        rows.append(row)
    cols = list(columns.values())
    keep = [j for j in range(len(cols)) if not _redundant(cols, rows, j)]
    cols, rows = [cols[j] for j in keep], [[r[j] for j in keep] for r in rows]
    if not rows or not cols or (len(cols) == 1 and not cols[0]["title"]):
        return None  # nothing a reader needs: grid lines, ring or axis labels
    return {"columns": [{"title": c["title"], "type": c["type"], "channel": c["channel"]} for c in cols],
            "rows": rows[:_MAX_ROWS]}


def spec_tables(spec: dict) -> list[dict]:
    """The data a Vega-Lite spec draws, as tables: ``{"columns": [{"title", "type", "channel"}], "rows"}``.

    One table per inlined data set that a view shows; its columns are the fields of the views'
    tooltips (chosen for people), else of their position, colour and text channels, leaving out
    positions drawn by hand (a hidden axis) and columns that repeat another. A column's title is
    the encoding's (or its axis' or legend's); ``None`` when it has none.
    """
    datasets = spec.get("datasets") or {}
    groups: dict[str, tuple[list[tuple[str, dict]], list[dict]]] = {}
    for data, enc in _views(spec):
        if not isinstance(data, dict):
            continue
        if isinstance(data.get("values"), list):
            key, records = json.dumps(data["values"], sort_keys=True, default=str)[:200], data["values"]
        elif data.get("name") in datasets:
            key, records = data["name"], datasets[data["name"]]
        else:
            continue
        shown = [(ch, d) for ch in _CHANNELS for d in _defs(ch, enc.get(ch))]
        drawn = {d["field"]: (ch, d) for ch, d in reversed(shown)}
        tips = []
        for d in _defs("tooltip", enc.get("tooltip")):  # the channel (and title) the field is drawn with
            channel, drawn_def = drawn.get(d["field"], ("tooltip", {}))
            title = _title(d) or _title(drawn_def)
            tips.append((channel, {**d, "title": title, "axis": {}}))
        group = groups.setdefault(key, ([], [r for r in records if isinstance(r, dict)]))
        group[0].extend(tips or shown)
    tables: list[dict] = []
    for fdefs, records in groups.values():
        table = _table(fdefs, records)
        if table is not None and table not in tables:
            tables.append(table)
    return tables


def embed_data(svg: str, spec: dict) -> str:
    """The SVG with its chart's data tables as ``<metadata>`` (unchanged when it shows none)."""
    tables = spec_tables(spec)
    title = spec.get("title")
    title = title.get("text") if isinstance(title, dict) else title
    if isinstance(title, list):
        title = " ".join(str(t) for t in title)
    if not tables or "<svg" not in svg:
        return svg
    payload = html.escape(json.dumps({"title": title or None, "tables": tables}, ensure_ascii=False, default=str),
                          quote=False)
    start = svg.index(">", svg.index("<svg")) + 1
    return f"{svg[:start]}{_MARK}{payload}</metadata>{svg[start:]}"


def read_data(svg: str) -> tuple[str, dict | None]:
    """The SVG without its data, and the data (None when it carries none)."""
    match = _DATA.search(svg)
    if not match:
        return svg, None
    try:
        data = json.loads(html.unescape(match.group(1)))
    except ValueError:
        data = None
    return svg[:match.start()] + svg[match.end():], data


# ---------------------------------------------------------------------- the report's side
def _short(alt: str, limit: int = 110) -> str:
    first = re.split(r"(?<=[.!?])\s", alt.strip(), maxsplit=1)[0].rstrip(".")
    return first if len(first) <= limit else first[: limit - 1].rsplit(" ", 1)[0] + "…"


def _text(value: Any) -> str:
    return str(value)


def _headers(table: dict, tr: Any) -> list[str]:
    out = []
    for col in table["columns"]:
        generic = ("ra_col_value" if col.get("type") == "quantitative"
                   else "ra_col_series" if col.get("channel") in ("color", "shape") else "ra_col_item")
        title = col.get("title") or tr(generic)
        out.append(title)
    return out


def chart_tables_html(data: dict, alt: str, tr: Any) -> str:
    """The ``<details>`` holding a chart's data tables, each with a caption and headers."""
    caption = data.get("title") or _short(alt)
    parts = []
    for i, table in enumerate(data.get("tables") or []):
        label = caption if len(data["tables"]) == 1 else f"{caption} ({i + 1})"
        head = "".join(f"<th scope='col'>{html.escape(h)}</th>" for h in _headers(table, tr))
        body = []
        for row in table["rows"]:
            cells = [f"<th scope='row'>{html.escape(_text(row[0]))}</th>"]
            cells += [f"<td>{html.escape(_text(v))}</td>" for v in row[1:]]
            body.append(f"<tr>{''.join(cells)}</tr>")
        parts.append(
            f"<table class='vt-table vt-chart-table'><caption>{html.escape(tr('ra_table_caption', title=label))}</caption>"
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
        )
    return (f"<details class='vt-chart-data'><summary>{html.escape(tr('ra_chart_data'))}</summary>"
            f"{''.join(parts)}</details>")


def _describe(svg: str, data: dict, alt: str, tr: Any) -> str:
    """The SVG with a ``<title>`` (the alternative text) and a ``<desc>`` (its data in words)."""
    rows = []
    for table in data.get("tables") or []:
        heads = _headers(table, tr)
        for row in table["rows"]:
            rows.append(", ".join(f"{h} {v}" for h, v in zip(heads, row) if v != ""))
    desc = tr("ra_chart_desc", rows="; ".join(rows))
    if len(desc) > 1500:
        desc = desc[:1499].rsplit(";", 1)[0] + " …"
    svg = re.sub(r"<title>.*?</title>", "", svg, count=1, flags=re.S)
    start = svg.index(">", svg.index("<svg")) + 1
    extra = f"<title>{html.escape(alt or data.get('title') or '', quote=False)}</title><desc>{html.escape(desc, quote=False)}</desc>"
    return svg[:start] + extra + svg[start:]


_IMG = re.compile(r"<img\b[^>]*?\bsrc=(['\"])data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)\1[^>]*>")
_ALT = re.compile(r"\balt=(['\"])(.*?)\1", re.S)
_TABLE_OPEN = re.compile(r"<table\b")


def _readable_img(match: re.Match, tr: Any) -> str:
    tag = match.group(0)
    try:
        svg = base64.b64decode(match.group(2)).decode("utf-8")
    except ValueError:
        return tag
    svg, data = read_data(svg)
    if data is None:
        return tag
    alt_match = _ALT.search(tag)
    alt = html.unescape(alt_match.group(2)) if alt_match else ""
    if not alt:
        alt = data.get("title") or ""
        tag = tag.replace("<img", f"<img alt='{html.escape(alt, quote=True)}'", 1)
    svg = _describe(svg, data, alt, tr)
    encoded = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    tag = tag.replace(match.group(2), encoded)
    return tag + chart_tables_html(data, alt, tr)


_CAPTION = re.compile(r"<caption\b[^>]*>(.*?)</caption>", re.S)
_TAG = re.compile(r"<[^>]+>")


class _Readable:
    """The report's HTML made readable, output by output, in the report's order."""

    def __init__(self, tr: Any) -> None:
        self.tr = tr
        self.labels: set[str] = set()

    def _label(self, table: str) -> str:
        """A name for a table's scrolling region: its caption, told apart from the others."""
        match = _CAPTION.search(table)
        base = " ".join(html.unescape(_TAG.sub("", match.group(1))).split()) if match else ""
        base = base or self.tr("ra_table_scroll")
        label, n = base, 1
        while label in self.labels:
            n += 1
            label = f"{base} ({n})"
        self.labels.add(label)
        return label

    def wrap_tables(self, markup: str) -> str:
        """Each table in a wrapper that scrolls sideways (and can be reached by keyboard to do so)."""
        out, pos = [], 0
        for match in _TABLE_OPEN.finditer(markup):
            end = markup.find("</table>", match.start())
            label = self._label(markup[match.start(): end if end > 0 else len(markup)])
            out.append(markup[pos:match.start()])
            out.append(f"<div class='vt-table-scroll' role='region' tabindex='0' aria-label='{html.escape(label, quote=True)}'>")
            pos = match.start()
        out.append(markup[pos:])
        return "".join(out).replace("</table>", "</table></div>")

    def html(self, markup: str) -> str:
        """An output's HTML with every chart described and tabulated and every table scrollable."""
        markup = _IMG.sub(lambda m: _readable_img(m, self.tr), markup)
        return self.wrap_tables(markup)


def readable_html(markup: str, tr: Any) -> str:
    """An output's HTML with every chart described and tabulated and every table scrollable."""
    return _Readable(tr).html(markup)


def _translator(lang: str | None) -> Any:
    from .content import load_content
    from .i18n import Translator

    return Translator.create(load_content(), lang)


@functools.cache
def _preprocessor_class() -> type:
    """The report template's step that makes every chart readable without seeing it (see the module).

    It also gives the template the name of a table's scrolling region
    (``resources["vertaiset_table_label"]``) for the tables of markdown cells; the headings are put
    in order over the whole page afterwards (:mod:`vertaiset_widgets.report_tidy`).

    Made when the report's template first asks for it: a kernel that draws charts imports this
    module for :func:`embed_data`, and nbconvert's import would cost it a fifth of a second.
    """
    from nbconvert.preprocessors import Preprocessor

    class ReadableChartsPreprocessor(Preprocessor):
        __doc__ = _preprocessor_class.__doc__

        def preprocess(self, nb, resources):  # noqa: D102 - nbconvert's interface
            meta = nb.metadata.get("vertaiset") or {}
            tr = _translator(meta.get("lang") if isinstance(meta, dict) else None)
            self._readable = _Readable(tr)
            resources["vertaiset_table_label"] = tr("ra_table_scroll")
            return super().preprocess(nb, resources)

        def preprocess_cell(self, cell, resources, index):  # noqa: D102 - nbconvert's interface
            for output in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
                data = output.get("data") or {}
                if "text/html" in data:
                    markup = data["text/html"]
                    data["text/html"] = self._readable.html("".join(markup) if isinstance(markup, list) else markup)
                elif "image/svg+xml" in data:
                    svg = data["image/svg+xml"]
                    svg = "".join(svg) if isinstance(svg, list) else svg
                    if _MARK not in svg:
                        continue
                    alt = ((output.get("metadata") or {}).get("image/svg+xml") or {}).get("alt", "")
                    encoded = base64.b64encode(svg.encode("utf-8")).decode("ascii")
                    img = f"<img class='vt-chart' alt='{html.escape(alt, quote=True)}' src='data:image/svg+xml;base64,{encoded}'>"
                    data["text/html"] = self._readable.html(img)
                    del data["image/svg+xml"]
            return cell, resources

    ReadableChartsPreprocessor.__module__ = __name__
    ReadableChartsPreprocessor.__qualname__ = "ReadableChartsPreprocessor"
    return ReadableChartsPreprocessor


def __getattr__(name: str) -> Any:
    """``ReadableChartsPreprocessor``, the name the report template's conf.json gives, made on first use."""
    if name == "ReadableChartsPreprocessor":
        return _preprocessor_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

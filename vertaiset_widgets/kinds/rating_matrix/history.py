"""The rating matrix across a network's rounds (the ``history`` part of this kind).

A 360 (a radar): the room's profile in every round side by side (small multiples with the
round's time layers) and overlaid (each round's *now*), and the last round's *target* drawn
against this round's *now*, with a table per dimension: did we get where we wanted? A matrix
drawn as a heatmap (knowing – trust – commitment): a heatmap per round, and the change from
the last round as a diverging heatmap with its table.

Rounds are matched by item and layer id, each round read with the templates it ran with: an
item's label comes from the newest round that has it, so a renamed label or a removed item
leaves old rounds readable. Rounds nobody answered are left out of the pictures.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any, Sequence

import altair as alt
import pandas as pd

from ... import aggregate
from ...chart_base import _TEXT, _title, wrap_label
from ...chart_render import to_svg
from ...html_blocks import Safe, esc, svg_img, table
from ...rounds import round_label
from . import radar, radar_grid
from .charts import heatmap_chart

__all__ = ["change_heatmap_chart", "history"]


@dataclass(frozen=True)
class _Answered:
    """One round's answers to the matrix, aggregated."""

    source: Any  # the SourceRound (number, session, activity as it ran)
    label: str  # "Kierros 2 · 18.5.2022"
    summary: pd.DataFrame  # item, layer, n, mean, ...
    respondents: int

    def means(self, layer: str) -> dict[str, float]:
        rows = self.summary[(self.summary["layer"] == layer) & (self.summary["n"] > 0)]
        return dict(zip(rows["item"], rows["mean"]))


def _union(rounds: Sequence[Any], field: str) -> dict[str, Any]:
    """Items (or layers, columns) of every round by id, each as the newest round that has it
    names it, in the newest round's order and then the older ones'."""
    out: dict[str, Any] = {}
    for r in reversed(rounds):
        for item in getattr(r.activity, field):
            out.setdefault(item.id, item)
    return out


def _answered(store: Any, rounds: Sequence[Any], tr: Any) -> list[_Answered]:
    out = []
    for r in rounds:
        act = r.activity
        frame = aggregate.answers_frame(store.answers(r.session.id, act.id, round=r.round))
        n = aggregate.respondent_count(frame)
        if n:
            summary = aggregate.rating_summary(frame, [i.id for i in act.items], act.layer_ids)
            out.append(_Answered(r, round_label(tr, r), summary, n))
    return out


#: pictures already drawn, by what they show: the console and the report of one page draw the same
#: ones, and a radar takes the better part of a second
_DRAWN: dict[str, str] = {}


def _svg(build: Any, *key: Any) -> str:
    """``build()`` rendered to SVG, or the same picture drawn before (``key`` names all it shows)."""
    digest = json.dumps([k.to_json(orient="split") if isinstance(k, pd.DataFrame) else k for k in key],
                        ensure_ascii=False, default=str)
    if digest not in _DRAWN:
        if len(_DRAWN) >= 24:
            _DRAWN.pop(next(iter(_DRAWN)))
        _DRAWN[digest] = to_svg(build())
    return _DRAWN[digest]


def _fmt(value: float | None, signed: bool = False) -> str:
    if value is None or pd.isna(value):
        return "–"
    value = round(float(value), 1) + 0.0  # never "-0.0"
    return f"{value:+.1f}" if signed else f"{value:.1f}"


def history(store: Any, rounds: Sequence[Any], spec: Any, tr: Any, role: str) -> list[tuple[str, str]]:
    """The matrix across ``rounds`` as ``(name, html)`` blocks for ``role``.

    ``rounds`` are the network's rounds up to this session, oldest first, each with the
    activity as it ran (``SourceRound``); ``spec`` is the history entry (its title, and the
    layers that hold *now* and the *target*).
    """
    answered = _answered(store, rounds, tr)
    if not answered:
        return [("empty", f"<p class='vt-muted'>{esc(tr('hist_no_answers'))}</p>")]
    if rounds[-1].activity.chart == "heatmap":
        return _heatmap_history(answered, rounds, spec, tr, role)
    return _radar_history(answered, rounds, spec, tr, role)


# ---------------------------------------------------------------------- the 360: radars
def _radar_history(answered: list[_Answered], rounds: Sequence[Any], spec: Any, tr: Any, role: str) -> list[tuple[str, str]]:
    items = _union(rounds, "items")
    layers = _union(rounds, "layers")
    short = {i: tr.label(item, short=True) for i, item in items.items()}
    full = {i: tr.label(item) for i, item in items.items()}
    layer_ids = list(layers) or [""]
    layer_names = {lid: tr.label(layers[lid]) if lid else tr("room") for lid in layer_ids}
    now = spec.now if spec.now in layer_ids else layer_ids[0]
    target = spec.target if spec.target in layer_ids else None
    scale = rounds[-1].activity.scale
    title = tr.text(spec.title)
    last = answered[-1]
    before = answered[-2] if len(answered) > 1 else None
    out: list[tuple[str, str]] = []

    overlay = pd.DataFrame(
        [{"item": short[i], "series": a.label, "value": v} for a in answered for i, v in a.means(now).items() if i in short],
        columns=["item", "series", "value"],
    )
    screen = role == "screen"  # the screen's two radars side by side, each titled in the picture
    size, font = (300, 18) if screen else (440, None)
    overlay_img = svg_img(
        _svg(lambda: radar.radar_chart(overlay, items=list(short.values()), series_order=[a.label for a in answered],
                                       scale_min=scale.min, scale_max=scale.max, size=size, label_font=font,
                                       title=tr("hist_overlay_title", layer=layer_names[now]) if screen else None),
             "overlay", overlay, list(short.values()), scale.min, scale.max, size, font, screen, tr.lang),
        tr("hist_overlay_alt", title=title, layer=layer_names[now], n=len(answered)),
    )
    compare = _target_vs_now(before, last, now, target, short, full, layer_names, scale, title, tr, size, font) if target else None

    if screen:  # two blocks: the projector's row lays them side by side and scales each picture into its half
        out.append(("overlay", overlay_img))
        if compare:
            out.append(("target", compare[0] + compare[2]))
        return out

    grid = pd.DataFrame(
        [{"group": a.label, "item": short[i], "series": layer_names[lid], "value": v}
         for a in answered for lid in layer_ids for i, v in a.means(lid).items() if i in short],
        columns=["group", "item", "series", "value"],
    )
    grid_svg = _svg(lambda: radar_grid.group_radars(
        # two a row: three would be drawn too small to read on a page
        grid, items=list(short.values()), columns=min(2, len(answered)), group_order=[a.label for a in answered],
        series_order=list(layer_names.values()), scale_min=scale.min, scale_max=scale.max, size=220,
    ), "grid", grid, list(short.values()), list(layer_names.values()), scale.min, scale.max)
    out.append(("grid", f"<h4>{esc(tr('hist_grid_title'))}</h4>"
                        + svg_img(grid_svg, tr("hist_grid_alt", title=title, n=len(answered)))))
    out.append(("overlay", f"<h4>{esc(tr('hist_overlay_title', layer=layer_names[now]))}</h4>" + overlay_img
                           + _now_table(answered, now, full, layer_names, tr)))
    if compare:
        out.append(("target", f"<h4>{esc(tr('hist_target_title'))}</h4>" + compare[0] + compare[2] + compare[1]))
    elif target:
        out.append(("target", f"<h4>{esc(tr('hist_target_title'))}</h4><p class='vt-muted'>{esc(tr('hist_target_none'))}</p>"))
    return out


def _now_table(answered: list[_Answered], now: str, full: dict[str, str], layer_names: dict[str, str], tr: Any) -> str:
    """The overlay's numbers: each round's *now* mean per dimension, and its respondents."""
    means = [a.means(now) for a in answered]
    rows = [[full[i]] + [_fmt(m.get(i)) for m in means] for i in full]
    rows.append([tr("hist_respondents")] + [str(a.respondents) for a in answered])
    return table(tr("hist_now_caption", layer=layer_names[now]), [tr("dimension"), *(a.label for a in answered)], rows)


def _target_vs_now(before: _Answered | None, last: _Answered, now: str, target: str, short: dict[str, str],
                   full: dict[str, str], layer_names: dict[str, str], scale: Any, title: str, tr: Any,
                   size: int, font: int | None) -> tuple[str, str, str] | None:
    """The last round's target against this round's now: a radar, its table and one sentence
    (``font``: the projector's text size; the picture is then titled in itself)."""
    if before is None:
        return None
    wanted, reached = before.means(target), last.means(now)
    target_name = tr("hist_target_series", n=before.source.number)
    now_name = tr("hist_now_series", n=last.source.number)
    data = pd.DataFrame(
        [{"item": short[i], "series": target_name, "value": v} for i, v in wanted.items() if i in short]
        + [{"item": short[i], "series": now_name, "value": v} for i, v in reached.items() if i in short],
        columns=["item", "series", "value"],
    )
    svg = _svg(lambda: radar.radar_chart(data, items=list(short.values()), series_order=[target_name, now_name],
                                         scale_min=scale.min, scale_max=scale.max, size=size, label_font=font,
                                         title=tr("hist_target_title") if font else None,
                                         palette=["#6a3d9a", "#1b6ca8"]),
               "target", data, list(short.values()), scale.min, scale.max, size, font, tr.lang)
    img = svg_img(svg, tr("hist_target_alt", title=title, before=before.label, now=last.label))
    both = [i for i in full if i in wanted and i in reached]
    rows = []
    for i in full:
        w, r = wanted.get(i), reached.get(i)
        diff = None if w is None or r is None else r - w
        word = "" if diff is None else tr("hist_reached") if diff >= -0.05 else tr("hist_short_of")
        rows.append([full[i], _fmt(w), _fmt(r), Safe(f"<span data-vt-diff='{_fmt(diff, True)}'>{esc(_fmt(diff, True))}</span>"), word])
    head = [tr("dimension"), tr("hist_target_col", n=before.source.number), tr("hist_now_col", n=last.source.number),
            tr("hist_diff_col"), tr("hist_verdict_col")]
    caption = tr("hist_target_caption", before=before.label, now=last.label)
    gap = sum(reached[i] - wanted[i] for i in both) / len(both) if both else None
    got = sum(1 for i in both if reached[i] - wanted[i] >= -0.05)
    sentence = (f"<p class='vt-hist-verdict' data-vt-reached='{got}' data-vt-of='{len(both)}'>"
                f"{esc(tr('hist_target_summary', reached=got, total=len(both), gap=_fmt(gap, True)))}</p>")
    return img, table(caption, head, rows), sentence


# ---------------------------------------------------------------------- knowing – trust – commitment: heatmaps
def _cells(activity: Any, columns: dict[str, str], labels: dict[str, str], values: dict[str, Any], key: str) -> pd.DataFrame:
    rows = []
    for column, items in activity.column_items():
        for row, item in enumerate(items, start=1):
            rows.append({"column": columns.get(column.id, "") if column else "", "row": row,
                         "label": labels[item.id], key: values.get(item.id)})
    return pd.DataFrame(rows, columns=["column", "row", "label", key])


def _heatmap_history(answered: list[_Answered], rounds: Sequence[Any], spec: Any, tr: Any, role: str) -> list[tuple[str, str]]:
    title = tr.text(spec.title)
    items = _union(rounds, "items")
    columns = _union(rounds, "columns")
    column_names = {c: tr.label(item) for c, item in columns.items()}
    short = {i: tr.label(item, short=True) for i, item in items.items()}
    out: list[tuple[str, str]] = []
    last = answered[-1]
    before = answered[-2] if len(answered) > 1 else None
    change = _change(before, last, columns, column_names, short, items, title, tr, role) if before else None
    if role == "screen":
        if change:
            return [("change", f"<h4>{esc(tr('hist_change_title', before=before.label, now=last.label))}</h4>" + change[0])]
        return [("change", f"<p class='vt-muted'>{esc(tr('hist_change_none'))}</p>")]
    maps = []
    for a in answered:
        act = a.source.activity  # each round with its own columns and rows (its own labels where it has them)
        own_columns = {c.id: column_names.get(c.id, tr.label(c)) for c in act.columns}
        means = a.summary.groupby("item")["mean"].mean().to_dict()
        frame = _cells(act, own_columns, {i.id: short.get(i.id, tr.label(i, short=True)) for i in act.items}, means, "mean")
        chart = heatmap_chart(frame, columns=list(own_columns.values()), scale_min=act.scale.min, scale_max=act.scale.max,
                              cell_width=160, cell_height=96, text_size=13, title=a.label)
        maps.append(svg_img(to_svg(chart), tr("hist_heatmap_alt", title=title, round=a.label, n=a.respondents)))
    out.append(("heatmaps", f"<h4>{esc(tr('hist_heatmaps_title'))}</h4><div class='vt-hist-row'>{''.join(maps)}</div>"))
    if change:
        out.append(("change", f"<h4>{esc(tr('hist_change_title', before=before.label, now=last.label))}</h4>" + change[0] + change[1]))
    else:
        out.append(("change", f"<p class='vt-muted'>{esc(tr('hist_change_none'))}</p>"))
    return out


def _change(before: _Answered, last: _Answered, columns: dict[str, Any], column_names: dict[str, str], short: dict[str, str],
            items: dict[str, Any], title: str, tr: Any, role: str) -> tuple[str, str]:
    """This round's means minus the last round's, per item: a diverging heatmap and a table."""
    old = before.summary.groupby("item")["mean"].mean().to_dict()
    new = last.summary.groupby("item")["mean"].mean().to_dict()
    act = last.source.activity
    diffs = {i: new[i] - old[i] for i in new if i in old and not pd.isna(new[i]) and not pd.isna(old[i])}
    frame = _cells(act, {c.id: column_names[c.id] for c in act.columns}, {i.id: short[i.id] for i in act.items}, diffs, "change")
    presenting = role == "screen"
    chart = change_heatmap_chart(frame, columns=[column_names[c.id] for c in act.columns],
                                 cell_width=300 if presenting else 200, cell_height=80 if presenting else 90,
                                 text_size=22 if presenting else 13)
    img = svg_img(to_svg(chart), tr("hist_change_alt", title=title, before=before.label, now=last.label))
    rows = []
    for column, its in act.column_items():
        for item in its:
            i = item.id
            rows.append([tr.label(items[i]), column_names.get(column.id, "") if column else "", _fmt(old.get(i)), _fmt(new.get(i)),
                         Safe(f"<span data-vt-diff='{_fmt(diffs.get(i), True)}'>{esc(_fmt(diffs.get(i), True))}</span>")])
    gone = [i for i in old if i not in new and i in items]  # items the last round had and this one dropped
    for i in gone:
        rows.append([tr.label(items[i]), "", _fmt(old.get(i)), "–", "–"])
    head = [tr("dimension"), tr("column"), before.label, last.label, tr("hist_diff_col")]
    return img, table(tr("hist_change_caption", before=before.label, now=last.label), head, rows)


def change_heatmap_chart(frame: pd.DataFrame, *, columns: Sequence[str], cell_width: int = 200, cell_height: int = 90,
                         text_size: int = 13, title: str | None = None) -> alt.LayerChart:
    """A diverging heatmap of changes: ``column``, ``row``, ``label`` and ``change`` (NaN: not in both rounds).

    Falls are orange, rises blue, no change near white; every cell prints its signed value, so
    colour is never the only cue, and the darkest fills keep dark text at 4.5:1 or more.
    """
    # the cells fit their words: as wide as the longest label needs (up to 1.4 times ``cell_width``), then
    # as tall as the most lines a label wraps to, with the value below them; no language's label overlaps it
    char, pad = 0.6 * text_size, 16
    longest = max((len(str(s)) for s in frame["label"]), default=0)
    cell_width = int(min(max(cell_width, math.ceil(longest * char + pad)), cell_width * 1.4))
    chars = max(10, int((cell_width - pad) / char))
    data = frame.assign(
        lines=frame["label"].map(lambda s: wrap_label(s, chars)),
        value=frame["change"].map(lambda v: _fmt(v, signed=True)),
    )
    value_size, line_height = round(text_size * 1.5), text_size + 3
    most_lines = max((len(x) for x in data["lines"]), default=1)
    cell_height = max(cell_height, 8 + most_lines * line_height + 6 + value_size + 6)
    limit = max(1.0, float(data["change"].abs().max()) if data["change"].notna().any() else 1.0)
    head = max(15, text_size + 2)
    x = alt.X("column:N", sort=list(columns), title=None,
              axis=alt.Axis(orient="top", labelFontSize=head, labelFontWeight=700, labelColor=_TEXT, ticks=False,
                            domain=False, labelAngle=0, labelLimit=0))
    y = alt.Y("row:O", title=None, axis=None)
    cells = alt.Chart(data).mark_rect(stroke="white", strokeWidth=3).encode(
        x=x, y=y,
        # the change's colour where there is one, else grey (alt.condition's dict would cost a schema lookup)
        color=alt.ColorValue("#eeeeee", condition=alt.ConditionalPredicateMarkPropFieldOrDatumDef(
            test="isValid(datum.change)", field="change", type="quantitative",
            scale=alt.Scale(domain=[-limit, 0, limit], range=["#f2a66e", "#f7f7f7", "#7fb6dd"]),
            legend=alt.Legend(title=None, orient="bottom", gradientLength=260, labelFontSize=13, format="+.1f"))),
        tooltip=[alt.Tooltip("column:N", title=" "), alt.Tooltip("label:N", title=" "), alt.Tooltip("change:Q", format="+.2f")],
    )
    label = alt.Chart(data).mark_text(fontSize=text_size, baseline="top", dy=-(cell_height / 2) + 8, lineHeight=line_height).encode(
        x=x, y=y, text=alt.Text("lines:N"), color=alt.ColorValue(_TEXT))
    value = alt.Chart(data).mark_text(fontSize=value_size, fontWeight=700, baseline="bottom", dy=cell_height / 2 - 6).encode(
        x=x, y=y, text=alt.Text("value:N"), color=alt.ColorValue(_TEXT))
    return alt.layer(cells, label, value, width=alt.Step(cell_width), height=alt.Step(cell_height),
                     **_title(title, 18)).configure_view(stroke=None)

"""Results of the phase 1 and 2 activity kinds, for the facilitator, the room's screen and the report.

Each ``*Results`` class reads one activity's answers that count, aggregates them with
pandas and returns its views as HTML blocks: ``blocks(role)`` gives ``(name, html)``
pairs in order. Charts are SVG ``<img>`` with a text alternative, tables are real
tables, and every word a participant wrote is escaped. The live console and the
report draw the very same blocks.
"""
from __future__ import annotations

import base64
import html
import json
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from . import aggregate, kind_charts
from .charts import to_svg
from .content import AgreementBoard, Allocation, Canvas, Choice, NetworkMap, Position, RatingMatrix
from .i18n import Translator
from .network import Network, load_network, to_graphml, to_kumu
from .store import ActivityState, SessionInfo, SessionStore

__all__ = [
    "AllocationResults",
    "BoardResults",
    "CanvasResults",
    "ChoiceResults",
    "HeatmapResults",
    "NetworkResults",
    "PositionResults",
    "results_for",
    "svg_img",
]

esc = html.escape


def svg_img(svg: str, alt: str, css: str = "vt-chart") -> str:
    """An SVG as an <img>: a chart can never run script, and it gets a text alternative."""
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return f"<img class='{css}' alt='{esc(alt, quote=True)}' src='data:image/svg+xml;base64,{data}'>"


def _table(caption: str, head: list[str], rows: list[list[str]], *, first_is_header: bool = True, css: str = "vt-table") -> str:
    """An accessible table; cells arrive already escaped."""
    th = "".join(f"<th scope='col'>{h}</th>" for h in head)
    body = []
    for row in rows:
        cells = [f"<th scope='row'>{row[0]}</th>" if first_is_header else f"<td>{row[0]}</td>"]
        cells += [f"<td>{c}</td>" for c in row[1:]]
        body.append(f"<tr>{''.join(cells)}</tr>")
    return f"<table class='{css}'><caption>{esc(caption)}</caption><thead><tr>{th}</tr></thead><tbody>{''.join(body)}</tbody></table>"


@dataclass
class _Results:
    """What every kind's results share: the activity, the answers and the counts."""

    activity: Any
    tr: Translator
    frame: pd.DataFrame
    participants: int
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, store: SessionStore, session: SessionInfo, activity: Any, tr: Translator,
             state: ActivityState | None = None) -> "_Results":
        state = state or store.activity_state(session.id, activity.id)
        answers = store.answers(session.id, activity.id, round=state.round)
        out = cls(activity, tr, aggregate.answers_frame(answers), len(store.participants(session.id)))
        out._more(store, session, state)
        return out

    def _more(self, store: SessionStore, session: SessionInfo, state: ActivityState) -> None:
        """Read what else the kind needs (the board, moderation)."""

    @property
    def respondents(self) -> int:
        """How many participants answered."""
        return int(self.frame["participant_id"].nunique())

    def key(self) -> Any:
        """Changes exactly when what is drawn changes."""
        return (self.frame[["answer_id"]].to_json(), self.participants, json.dumps(self.extra, sort_keys=True, default=str))

    def counts_html(self) -> str:
        """Respondents out of participants."""
        return (
            f"<p class='vt-stat' data-vt-respondents='{self.respondents}'>"
            f"{esc(self.tr('respondents_of', n=self.respondents, total=self.participants))}</p>"
        )

    def blocks(self, role: str) -> list[tuple[str, str]]:
        """The views for ``role`` (facilitator, screen, report) as ``(name, html)``."""
        if not self.respondents and not self._has_content():
            return [("empty", f"<p class='vt-muted'>{esc(self.tr('no_answers'))}</p>")]
        return self._blocks(role)

    def _has_content(self) -> bool:
        return False

    def _blocks(self, role: str) -> list[tuple[str, str]]:
        raise NotImplementedError

    # labels ----------------------------------------------------------------
    def _layer_labels(self) -> dict[str, str]:
        layers = getattr(self.activity, "layers", [])
        if not layers:
            return {"": self.tr("room")}
        return {layer.id: self.tr.label(layer) for layer in layers}

    def _title(self) -> str:
        return self.tr.text(self.activity.title)


# ---------------------------------------------------------------------- choice
# On the room's screen charts are drawn small and the page scales them up to the panel:
# an SVG stays sharp, and every word in it grows with it (legible at the back of the room).


class ChoiceResults(_Results):
    """How many chose each option (or how many dots it got), per layer."""

    activity: Choice

    def counts(self) -> pd.DataFrame:
        """``option, layer, value``: every option × layer, zeros included."""
        options = [o.id for o in self.activity.options]
        layers = self.activity.layer_ids
        chosen = self.frame[self.frame["value"] > 0]
        sums = chosen.groupby(["item", "layer"])["value"].sum()
        index = pd.MultiIndex.from_product([options, layers], names=["item", "layer"])
        return sums.reindex(index, fill_value=0).rename("value").reset_index().rename(columns={"item": "option"})

    @property
    def respondents(self) -> int:
        return int(self.frame.loc[self.frame["value"] > 0, "participant_id"].nunique())

    def _labelled(self) -> pd.DataFrame:
        labels = {o.id: self.tr.label(o, short=True) for o in self.activity.options}
        layers = self._layer_labels()
        counts = self.counts()
        return counts.assign(label=counts["option"].map(labels), series=counts["layer"].map(layers))

    def chart_html(self, *, width: int = 520) -> str:
        data = self._labelled()
        x_title = self.tr("dots_axis") if self.activity.mode == "dots" else self.tr("choices_axis")
        chart = kind_charts.bars_chart(
            data[["label", "series", "value"]], labels=[self.tr.label(o, short=True) for o in self.activity.options],
            series=list(self._layer_labels().values()), x_title=x_title, width=width, value_format=".0f",
        )
        return svg_img(to_svg(chart), self.tr("choice_alt", title=self._title(), n=self.respondents))

    def table_html(self) -> str:
        counts = self.counts()
        layers = self._layer_labels()
        per_layer = {
            layer: int(self.frame[(self.frame["layer"] == layer) & (self.frame["value"] > 0)]["participant_id"].nunique())
            for layer in layers
        }
        rows = []
        for o in self.activity.options:
            cells = [esc(self.tr.label(o))]
            for layer in layers:
                value = counts[(counts["option"] == o.id) & (counts["layer"] == layer)]["value"].sum()
                share = f" ({100 * value / per_layer[layer]:.0f} %)" if per_layer[layer] and self.activity.mode != "dots" else ""
                cells.append(f"{value:.0f}{share}")
            rows.append(cells)
        rows.append([esc(self.tr("respondents"))] + [str(per_layer[layer]) for layer in layers])
        return _table(self.tr("choice_caption"), [esc(self.tr("option"))] + [esc(v) for v in layers.values()], rows)

    def _more(self, store: SessionStore, session: SessionInfo, state: ActivityState) -> None:
        breakdown = self.activity.breakdown
        self.breakdown_field = None
        if breakdown is not None:  # who said what in the check-in: participant -> option id
            from .content import load_content

            target = load_content().activity(breakdown.activity)
            self.breakdown_field = next(f for f in target.fields if f.id == breakdown.field)
            self.extra["groups"] = {
                str(a.participant_id): a.value_text for a in store.answers(session.id, breakdown.activity)
                if a.item == breakdown.field and a.value_text
            }

    def breakdown_html(self, content_field: Any) -> str:
        """Counts per option and group (e.g. sector), one column per group and layer."""
        groups = self.extra.get("groups", {})
        layers = self._layer_labels()
        chosen = self.frame[self.frame["value"] > 0].assign(group=lambda f: f["participant_id"].astype(str).map(groups))
        head = [esc(self.tr("option"))]
        keys = []
        for option in content_field.options:
            for layer, label in layers.items():
                head.append(f"{esc(self.tr.label(option))}<br><span class='vt-muted'>{esc(label)}</span>" if len(layers) > 1 else esc(self.tr.label(option)))
                keys.append((option.id, layer))
        rows = []
        for o in self.activity.options:
            mine = chosen[chosen["item"] == o.id]
            rows.append([esc(self.tr.label(o))] + [
                str(int(mine[(mine["group"] == g) & (mine["layer"] == layer)]["value"].sum())) for g, layer in keys
            ])
        return _table(self.tr("breakdown_caption", field=self.tr.text(content_field.label)), head, rows)

    def _blocks(self, role: str) -> list[tuple[str, str]]:
        if role == "screen":
            return [("chart", self.chart_html(width=460))]
        blocks = [("chart", self.chart_html()), ("table", self.table_html())]
        if self.breakdown_field is not None and self.extra.get("groups"):
            blocks.append(("breakdown", self.breakdown_html(self.breakdown_field)))
        return blocks


# ---------------------------------------------------------------------- allocation
class AllocationResults(_Results):
    """The room's mean split of the points, and the spread of individual splits."""

    activity: Allocation

    def complete(self) -> pd.DataFrame:
        """Answers of layers whose points add up to the total (others are left out)."""
        f = self.frame[self.frame["value"].notna()]
        sums = f.groupby(["participant_id", "layer"])["value"].transform("sum")
        return f[sums == self.activity.total]

    @property
    def respondents(self) -> int:
        return int(self.complete()["participant_id"].nunique())

    def summary(self) -> pd.DataFrame:
        return aggregate.rating_summary(self.complete(), [o.id for o in self.activity.options], self.activity.layer_ids)

    def _labelled(self, frame: pd.DataFrame, short: bool = True) -> pd.DataFrame:
        labels = {o.id: self.tr.label(o, short=short) for o in self.activity.options}
        return frame.assign(label=frame["item"].map(labels), series=frame["layer"].map(self._layer_labels()))

    def shares_html(self, *, width: int = 560) -> str:
        data = self._labelled(self.summary()).rename(columns={"mean": "value"})
        data = data[data["n"] > 0]
        chart = kind_charts.shares_chart(
            data[["label", "series", "value"]], labels=[self.tr.label(o, short=True) for o in self.activity.options],
            series=list(self._layer_labels().values()), total=self.activity.total, x_title=self.tr("points_axis"), width=width,
        )
        return svg_img(to_svg(chart), self.tr("allocation_alt", title=self._title(), n=self.respondents))

    def spread_html(self) -> str:
        from .charts import spread_chart

        data = self._labelled(self.summary())
        data = data[data["n"] > 0].drop(columns=["item"]).rename(columns={"label": "item"})
        chart = spread_chart(
            data[["item", "series", "mean", "min", "max", "q1", "q3", "n"]],
            items=[self.tr.label(o, short=True) for o in self.activity.options], scale_min=0, scale_max=self.activity.total,
            series_order=list(self._layer_labels().values()),
        )
        return f"<h4>{esc(self.tr('spread_title'))}</h4>" + svg_img(to_svg(chart), self.tr("spread_alt"))

    def table_html(self) -> str:
        summary = self.summary()
        layers = self._layer_labels()
        rows = []
        for o in self.activity.options:
            cells = [esc(self.tr.label(o))]
            for layer in layers:
                r = summary[(summary["item"] == o.id) & (summary["layer"] == layer)].iloc[0]
                cells.append("–" if r["n"] == 0 else f"<span class='vt-mean'>{r['mean']:.0f}</span> <span class='vt-muted'>({r['min']:.0f}–{r['max']:.0f})</span>")
            rows.append(cells)
        return _table(self.tr("allocation_caption", total=self.activity.total), [esc(self.tr("option"))] + [esc(v) for v in layers.values()], rows)

    def _blocks(self, role: str) -> list[tuple[str, str]]:
        if role == "screen":
            return [("shares", self.shares_html(width=520))]
        return [("shares", self.shares_html()), ("table", self.table_html()), ("spread", self.spread_html())]


# ---------------------------------------------------------------------- position
class PositionResults(_Results):
    """Where the room places itself between the two poles, per layer."""

    activity: Position

    def counts(self) -> pd.DataFrame:
        f = self.frame[self.frame["value"].notna()]
        index = pd.MultiIndex.from_product([self.activity.layer_ids, range(1, self.activity.points + 1)], names=["layer", "point"])
        counts = f.groupby(["layer", f["value"].astype(int).rename("point")]).size()
        return counts.reindex(index, fill_value=0).rename("count").reset_index()

    def means(self) -> pd.DataFrame:
        f = self.frame[self.frame["value"].notna()]
        g = f.groupby("layer")["value"]
        out = pd.DataFrame({"mean": g.mean(), "median": g.median(), "n": g.count()}).reindex(self.activity.layer_ids)
        return out.reset_index()

    def chart_html(self, *, width: int = 620) -> str:
        layers = self._layer_labels()
        counts = self.counts().assign(series=lambda d: d["layer"].map(layers))
        means = self.means().dropna(subset=["mean"]).assign(series=lambda d: d["layer"].map(layers))
        chart = kind_charts.position_chart(
            counts[["series", "point", "count"]], series=list(layers.values()), points=self.activity.points,
            left=self.tr.text(self.activity.left), right=self.tr.text(self.activity.right), means=means[["series", "mean"]], width=width,
        )
        return svg_img(to_svg(chart), self.tr("position_alt", title=self._title(), n=self.respondents))

    def table_html(self) -> str:
        layers = self._layer_labels()
        rows = []
        for r in self.means().itertuples():
            if pd.isna(r.mean):
                rows.append([esc(layers[r.layer]), "–", "–", "0"])
            else:
                rows.append([esc(layers[r.layer]), f"{r.mean:.1f}", f"{r.median:g}", str(int(r.n))])
        caption = self.tr("position_caption", left=self.tr.text(self.activity.left), right=self.tr.text(self.activity.right), points=self.activity.points)
        return _table(caption, [esc(self.tr("layer")), esc(self.tr("mean")), esc(self.tr("median")), "n"], rows)

    def _blocks(self, role: str) -> list[tuple[str, str]]:
        if role == "screen":
            return [("chart", self.chart_html(width=560))]
        return [("chart", self.chart_html()), ("table", self.table_html())]


# ---------------------------------------------------------------------- heatmap
class HeatmapResults(_Results):
    """A rating matrix with columns (knowing – trust – commitment): heatmap and column means."""

    activity: RatingMatrix

    @property
    def respondents(self) -> int:
        return aggregate.respondent_count(self.frame)

    def summary(self) -> pd.DataFrame:
        return aggregate.rating_summary(self.frame, [i.id for i in self.activity.items], self.activity.layer_ids)

    def column_means(self) -> pd.DataFrame:
        """``column, mean, n``: the mean of every rating given in the column."""
        col_of = {i.id: i.column for i in self.activity.items}
        f = self.frame[self.frame["value"].notna()]
        g = f.assign(column=f["item"].map(col_of)).groupby("column")["value"]
        out = pd.DataFrame({"mean": g.mean(), "n": g.count()}).reindex([c.id for c in self.activity.columns])
        return out.reset_index().rename(columns={"index": "column"})

    def heatmap_html(self, *, cell_width: int = 230) -> str:
        summary = self.summary().groupby("item")["mean"].mean()
        rows = []
        for column, items in self.activity.column_items():
            for row, item in enumerate(items, start=1):
                rows.append({"column": self.tr.label(column), "row": row, "label": self.tr.label(item, short=True),
                             "mean": summary.get(item.id)})
        chart = kind_charts.heatmap_chart(
            pd.DataFrame(rows), columns=[self.tr.label(c) for c in self.activity.columns],
            scale_min=self.activity.scale.min, scale_max=self.activity.scale.max, cell_width=cell_width,
        )
        return svg_img(to_svg(chart), self.tr("heatmap_alt", title=self._title(), n=self.respondents))

    def column_means_html(self) -> str:
        means = self.column_means()
        labels = {c.id: self.tr.label(c) for c in self.activity.columns}
        cells = "".join(
            f"<div class='vt-colmean'><span class='vt-colmean-label'>{esc(labels[r.column])}</span>"
            f"<span class='vt-colmean-value'>{'–' if pd.isna(r.mean) else f'{r.mean:.1f}'}</span></div>"
            for r in means.itertuples()
        )
        return f"<h4>{esc(self.tr('column_means'))}</h4><div class='vt-colmeans'>{cells}</div>"

    def table_html(self) -> str:
        summary = self.summary()
        by_item = {r.item: r for r in summary.itertuples()}
        rows = []
        for column, items in self.activity.column_items():
            for item in items:
                r = by_item.get(item.id)
                value = "–" if r is None or r.n == 0 else f"<span class='vt-mean'>{r.mean:.1f}</span> <span class='vt-muted'>({self.tr('sd')} {r.std:.1f}, n={r.n})</span>"
                rows.append([esc(self.tr.label(item)), esc(self.tr.label(column)) if column else "", value])
        return _table(self.tr("heatmap_caption"), [esc(self.tr("dimension")), esc(self.tr("column")), esc(self.tr("mean"))], rows)

    def _blocks(self, role: str) -> list[tuple[str, str]]:
        if role == "screen":
            return [("heatmap", self.heatmap_html(cell_width=200)), ("columns", self.column_means_html())]
        return [("heatmap", self.heatmap_html()), ("columns", self.column_means_html()), ("table", self.table_html())]


# ---------------------------------------------------------------------- canvas
class CanvasResults(_Results):
    """Filled canvases side by side (per group), or the room overview of a per-participant canvas."""

    activity: Canvas

    def entries(self) -> dict[str, dict[str, str]]:
        """Group (or participant) -> field -> the latest text."""
        f = self.frame[self.frame["text"].notna() | self.frame["value"].notna()]
        out: dict[str, dict[str, str]] = {}
        if self.activity.per == "group":
            latest = f.sort_values("answer_id").groupby(["layer", "item"]).tail(1)
            for r in latest.itertuples():
                if r.layer and r.text:
                    out.setdefault(r.layer, {})[r.item] = r.text
            return dict(sorted(out.items(), key=lambda kv: kv[0].casefold()))
        for r in f.sort_values("answer_id").itertuples():
            if r.text:
                out.setdefault(str(r.participant_id), {})[r.item] = r.text
        return out

    def _has_content(self) -> bool:
        return bool(self.entries())

    def _option_label(self, fld: Any, value: str) -> str:
        return next((self.tr.label(o) for o in fld.options if o.id == value), value)

    def grid_html(self) -> str:
        cards = []
        for group, values in self.entries().items():
            rows = "".join(
                f"<dt>{esc(self.tr.text(fld.label))}</dt><dd>{esc(self._option_label(fld, values[fld.id]) if fld.type == 'select' else values[fld.id])}</dd>"
                if values.get(fld.id) else f"<dt>{esc(self.tr.text(fld.label))}</dt><dd class='vt-muted'>–</dd>"
                for fld in self.activity.fields
            )
            cards.append(f"<section class='vt-canvas-card'><h3>{esc(group)}</h3><dl>{rows}</dl></section>")
        return f"<div class='vt-canvas-grid'>{''.join(cards)}</div>"

    def overview_html(self, role: str) -> list[tuple[str, str]]:
        entries = self.entries()
        blocks: list[tuple[str, str]] = []
        texts = [f for f in self.activity.fields if f.type == "text"]
        if len(texts) >= 2 and role != "screen":  # who is here: one row per person (e.g. name, organisation, sector)
            shown = [f for f in self.activity.fields if f.type != "textarea"]
            rows = [
                [esc(self._option_label(f, v.get(f.id, "")) if f.type == "select" else v.get(f.id, "")) for f in shown]
                for v in sorted(entries.values(), key=lambda v: v.get(shown[0].id, "").casefold())
            ]
            blocks.append(("people", _table(self.tr("checked_in", n=len(entries)), [esc(self.tr.text(f.label)) for f in shown], rows)))
            texts = texts[1:]  # the first text field (the name) is in the table; the rest also as chips
        for fld in self.activity.fields:
            values = [v[fld.id] for v in entries.values() if v.get(fld.id)]
            label = self.tr.text(fld.label)
            if not values:
                continue
            if fld.type == "select":
                counts = pd.Series(values).value_counts()
                data = pd.DataFrame(
                    {"label": [self.tr.label(o) for o in fld.options], "series": self.tr("room"),
                     "value": [int(counts.get(o.id, 0)) for o in fld.options]}
                )
                chart = kind_charts.bars_chart(data, labels=list(data["label"]), series=[self.tr("room")], x_title=self.tr("people_axis"),
                                               width=460)
                blocks.append((fld.id, f"<h4>{esc(label)}</h4>" + svg_img(to_svg(chart), self.tr("overview_alt", field=label))))
            elif fld.type == "text" and fld in texts:
                counts = pd.Series([" ".join(v.split()) for v in values]).value_counts()
                chips = "".join(
                    f"<li>{esc(name)}{f' <span class=vt-muted>×{n}</span>' if n > 1 else ''}</li>" for name, n in counts.items()
                )
                blocks.append((fld.id, f"<h4>{esc(label)}</h4><ul class='vt-chips'>{chips}</ul>"))
            elif fld.type == "textarea" and role != "screen":
                items = "".join(f"<li>{esc(v)}</li>" for v in values)
                blocks.append((fld.id, f"<h4>{esc(label)}</h4><ul class='vt-list'>{items}</ul>"))
        return blocks

    def _blocks(self, role: str) -> list[tuple[str, str]]:
        if self.activity.per == "group":
            return [("grid", self.grid_html())]
        return self.overview_html(role)

    def counts_html(self) -> str:
        n = len(self.entries())
        if self.activity.per == "group":
            text = self.tr("canvas_groups", n=n)
        else:
            text = self.tr("respondents_of", n=self.respondents, total=self.participants)
        return f"<p class='vt-stat' data-vt-respondents='{self.respondents}' data-vt-canvases='{n}'>{esc(text)}</p>"


# ---------------------------------------------------------------------- agreement board
class BoardResults(_Results):
    """The agreement board: per question the agreed answer, status, owner and decision mode."""

    activity: AgreementBoard

    def _more(self, store: SessionStore, session: SessionInfo, state: ActivityState) -> None:
        self.extra["board"] = store.board(session.id, self.activity.id, round=state.round)

    @property
    def board(self) -> dict[str, dict[str, str | None]]:
        return self.extra.get("board", {})

    def agreed(self) -> int:
        """How many questions have the agreed status."""
        return sum(1 for q in self.activity.questions if self.board.get(q.id, {}).get("status") == self.activity.agreed_status)

    def _has_content(self) -> bool:
        return True

    def counts_html(self) -> str:
        n, total = self.agreed(), len(self.activity.questions)
        return f"<p class='vt-stat' data-vt-agreed='{n}'>{esc(self.tr('board_progress', n=n, total=total))}</p>"

    def progress_html(self) -> str:
        statuses = {s.id: self.tr.label(s) for s in self.activity.statuses}
        counts = {s: 0 for s in statuses}
        for q in self.activity.questions:
            status = self.board.get(q.id, {}).get("status")
            if status in counts:
                counts[status] += 1
        total = len(self.activity.questions)
        parts = "".join(
            f"<span class='vt-progress-part' data-status='{esc(sid)}' style='flex:{n}'></span>" for sid, n in counts.items() if n
        )
        legend = " · ".join(f"{esc(label)} {counts[sid]}" for sid, label in statuses.items())
        return (
            f"<div class='vt-progress' role='img' aria-label='{esc(self.tr('board_progress', n=self.agreed(), total=total), quote=True)}'>"
            f"{parts}<span class='vt-progress-part' data-status='' style='flex:{total - sum(counts.values())}'></span></div>"
            f"<p class='vt-muted'>{legend}</p>"
        )

    def table_html(self, *, compact: bool = False) -> str:
        statuses = {s.id: self.tr.label(s) for s in self.activity.statuses}
        modes = {m.id: self.tr.label(m) for m in self.activity.modes}
        rows = []
        for n, q in enumerate(self.activity.questions, start=1):
            entry = self.board.get(q.id, {})
            status = entry.get("status") or ""
            badge = f"<span class='vt-status-badge' data-status='{esc(status)}'>{esc(statuses.get(status, self.tr('board_not_started')))}</span>"
            question = esc(self.tr.label(q, short=compact))
            row = [f"{n}. {question}", badge, esc(entry.get("answer") or "")]
            if not compact:
                row += [esc(entry.get("owner") or ""), esc(modes.get(entry.get("mode") or "", ""))]
            rows.append(row)
        head = [self.tr("board_question"), self.tr("board_status"), self.tr("board_answer")]
        if not compact:
            head += [self.tr("board_owner"), self.tr("board_mode")]
        return _table(self._title(), [esc(h) for h in head], rows, css="vt-table vt-board")

    def _blocks(self, role: str) -> list[tuple[str, str]]:
        return [("progress", self.progress_html()), ("table", self.table_html(compact=role == "screen"))]


# ---------------------------------------------------------------------- network map
class NetworkResults(_Results):
    """The merged network map: drawn, counted by sector and role, missing links listed."""

    activity: NetworkMap

    def _more(self, store: SessionStore, session: SessionInfo, state: ActivityState) -> None:
        self.network: Network = load_network(store, session.id, self.activity, round=state.round)
        self.extra["marks"] = sorted((a.id, a.hidden, a.merged_into) for a in self.network.actors)
        self.extra["ties"] = sorted((t.id, t.hidden) for t in self.network.ties)

    def _has_content(self) -> bool:
        return bool(self.network.visible_actors)

    def counts_html(self) -> str:
        actors = len(self.network.visible_actors)
        ties = len(self.network.edges())
        return (
            f"<p class='vt-stat' data-vt-respondents='{self.respondents}' data-vt-actors='{actors}' data-vt-ties='{ties}'>"
            f"{esc(self.tr('map_counts', actors=actors, ties=ties, n=self.respondents))}</p>"
        )

    #: radius of the inner (internal network) and outer (external network) ring
    RINGS = (0.58, 1.0)

    def layout(self) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """Node, edge and guide frames with coordinates in about [-1.5, 1.5].

        Arnkil's 360 ring: every role gets a slice of the circle (wider for more actors),
        internal actors sit on the inner ring and external ones on the outer. Inside a slice
        actors follow the order of a spring layout (networkx), so tied actors sit close
        and lines cross less. The same map is always drawn the same way.
        """
        import math

        import networkx as nx

        act = self.activity
        actors = self.network.visible_actors
        edges = self.network.edges()
        graph = nx.Graph()
        graph.add_nodes_from(a.id for a in actors)
        for e in edges:
            graph.add_edge(e["source"], e["target"])
        spring = nx.spring_layout(graph, seed=16112022, iterations=200) if actors else {}
        role_ids = [r.id for r in act.roles]
        groups: dict[str, list[Any]] = {r: [] for r in role_ids}
        for a in actors:
            groups.setdefault(a.role if a.role in groups else "", []).append(a)
        groups = {k: v for k, v in groups.items() if v or k in role_ids}
        weights = {k: max(len(v), 1.2) for k, v in groups.items()}
        total = sum(weights.values()) or 1
        inner_side = act.sides[0].id if act.sides else ""
        pos: dict[str, tuple[float, float]] = {}
        guides = []
        role_labels = {r.id: self.tr.label(r) for r in act.roles} | {"": self.tr("unknown")}
        start = 0.0
        for role, members in groups.items():
            span = 2 * math.pi * weights[role] / total
            members = sorted(members, key=lambda a: math.atan2(*spring[a.id][::-1]) if a.id in spring else 0)
            for i, a in enumerate(members):
                angle = start + (i + 0.5) * span / len(members)
                r = self.RINGS[0] if a.side == inner_side else self.RINGS[1]
                r += 0.07 * (i % 2)  # neighbours alternate a little, so their names do not collide
                pos[a.id] = (r * math.sin(angle), r * math.cos(angle))
            mid = start + span / 2
            guides.append({"x": 1.28 * math.sin(mid), "y": 1.28 * math.cos(mid), "text": role_labels.get(role, role),
                           "align": "left" if math.sin(mid) > 0.25 else "right" if math.sin(mid) < -0.25 else "center"})
            start += span
        sectors = {s.id: self.tr.label(s) for s in act.sectors}
        sides = {s.id: self.tr.label(s) for s in act.sides}
        nodes = pd.DataFrame(
            [{"id": a.id, "x": pos[a.id][0], "y": pos[a.id][1], "label": a.name,
              "sector": sectors.get(a.sector, self.tr("unknown")), "side": sides.get(a.side, self.tr("unknown"))} for a in actors],
            columns=["id", "x", "y", "label", "sector", "side"],
        )
        types = {t.id: self.tr.label(t) for t in act.ties}
        edge_rows = [
            {"x": pos[e["source"]][0], "y": pos[e["source"]][1], "x2": pos[e["target"]][0], "y2": pos[e["target"]][1],
             "type": types.get(e["type"], e["type"])}
            for e in edges
        ]
        return nodes, pd.DataFrame(edge_rows, columns=["x", "y", "x2", "y2", "type"]), pd.DataFrame(guides, columns=["x", "y", "text", "align"])

    def map_html(self, *, size: int = 640) -> str:
        nodes, edges, guides = self.layout()
        act = self.activity
        sectors = [self.tr.label(s) for s in act.sectors]
        if (nodes["sector"] == self.tr("unknown")).any():
            sectors.append(self.tr("unknown"))
        chart = kind_charts.network_chart(
            nodes, edges, sectors=sectors, tie_types=[self.tr.label(t) for t in act.ties],
            tie_styles=[t.style for t in act.ties], size=size, guides=guides, rings=self.RINGS,
            side_order=[self.tr.label(s) for s in act.sides],
        )
        alt_text = self.tr("map_alt", actors=len(nodes), ties=len(edges),
                           strong=sum(1 for e in self.network.edges() if self._style(e["type"]) == "solid"),
                           weak=sum(1 for e in self.network.edges() if self._style(e["type"]) == "dashed"),
                           missing=len(self.network.missing_links()))
        return svg_img(to_svg(chart), alt_text, css="vt-chart vt-map")

    def _style(self, tie_type: str) -> str:
        return next((t.style for t in self.activity.ties if t.id == tie_type), "solid")

    def counts_table_html(self) -> str:
        act = self.activity
        actors = self.network.visible_actors
        sectors = {s.id: self.tr.label(s) for s in act.sectors}
        rows = []
        for role in act.roles:
            mine = [a for a in actors if a.role == role.id]
            rows.append([esc(self.tr.label(role))] + [str(sum(1 for a in mine if a.sector == s)) for s in sectors] + [str(len(mine))])
        totals = [str(sum(1 for a in actors if a.sector == s)) for s in sectors]
        rows.append([esc(self.tr("total"))] + totals + [str(len(actors))])
        table = _table(self.tr("map_by_role_sector"), [esc(self.tr("map_role"))] + [esc(v) for v in sectors.values()] + [esc(self.tr("total"))], rows)
        side_counts = " · ".join(f"{esc(self.tr.label(s))}: {sum(1 for a in actors if a.side == s.id)}" for s in act.sides)
        return table + f"<p class='vt-muted'>{side_counts}</p>"

    def missing_html(self) -> str:
        missing = self.network.missing_links()
        if not missing:
            return f"<h4>{esc(self.tr('map_missing'))}</h4><p class='vt-muted'>{esc(self.tr('map_no_missing'))}</p>"
        items = "".join(
            f"<li><strong>{esc(self.network.name_of(e['source']))}</strong> – <strong>{esc(self.network.name_of(e['target']))}</strong>"
            + (f": {esc(' / '.join(e['notes']))}" if e["notes"] else "")
            + (f" <span class='vt-muted'>×{e['count']}</span>" if e["count"] > 1 else "")
            + "</li>"
            for e in missing
        )
        return f"<h4>{esc(self.tr('map_missing'))}</h4><ul class='vt-list'>{items}</ul>"

    def actors_html(self) -> str:
        act = self.activity
        labels = {k: {i.id: self.tr.label(i) for i in getattr(act, k)} for k in ("sectors", "sides", "roles")}
        rows = [
            [esc(a.name), esc(a.organisation), esc(labels["sectors"].get(a.sector, "")), esc(labels["sides"].get(a.side, "")),
             esc(labels["roles"].get(a.role, ""))]
            for a in sorted(self.network.visible_actors, key=lambda a: a.name.casefold())
        ]
        head = [self.tr(k) for k in ("map_name", "map_organisation", "map_sector", "map_side", "map_role")]
        return _table(self.tr("map_actors"), [esc(h) for h in head], rows)

    def exports_html(self) -> str:
        def link(data: str, mime: str, name: str, label: str) -> str:
            b64 = base64.b64encode(data.encode("utf-8")).decode("ascii")
            return f"<a class='vt-download' download='{name}' href='data:{mime};base64,{b64}'>{esc(label)}</a>"

        return (
            f"<p class='vt-exports'>{link(to_graphml(self.network, self.tr), 'application/graphml+xml', f'{self.activity.id}.graphml', self.tr('map_export_graphml'))} "
            f"{link(to_kumu(self.network, self.tr), 'application/json', f'{self.activity.id}-kumu.json', self.tr('map_export_kumu'))}</p>"
        )

    def _blocks(self, role: str) -> list[tuple[str, str]]:
        if role == "screen":
            return [("map", self.map_html(size=520))]
        blocks = [("map", self.map_html()), ("counts", self.counts_table_html()), ("missing", self.missing_html())]
        if role == "facilitator":
            blocks.append(("exports", self.exports_html()))
        else:
            blocks.append(("actors", self.actors_html()))
        return blocks


def results_for(activity: Any) -> type[_Results] | None:
    """The results class of an activity's kind (None for kinds drawn elsewhere: the 360 radar, walls)."""
    if isinstance(activity, RatingMatrix):
        return HeatmapResults if activity.chart == "heatmap" else None
    return {
        Choice: ChoiceResults,
        Allocation: AllocationResults,
        Position: PositionResults,
        Canvas: CanvasResults,
        AgreementBoard: BoardResults,
        NetworkMap: NetworkResults,
    }.get(type(activity))

"""The canvas's results for the console, the screen and the report: the groups' canvases
side by side, or the room overview of a check-in (who is here, choices as bars, names as chips)."""
from __future__ import annotations

from typing import Any

import pandas as pd

from ...chart_render import to_svg
from ...html_blocks import esc, svg_img
from ...kind_charts import bars_chart
from ...results import _Results, _table, free_text_html
from .charts import choice_bars
from .model import Canvas

__all__ = ["CanvasResults"]


class CanvasResults(_Results):
    """Filled canvases side by side (per group), or the room overview of a per-participant canvas."""

    #: the projector's chart (:func:`.charts.choice_bars`) is drawn at its own size
    PRESENTER_TEXT_SCALE = 1.0

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
        private = role == "report" and not self.names  # a report sent on: no names, texts without their authors
        fields = [f for f in self.activity.fields if not (private and f.personal)]
        texts = [f for f in fields if f.type == "text"]
        if private:
            pass  # who took part is counted below (chips and bars), never listed person by person
        elif len(texts) >= 2 and role != "screen":  # who is here: one row per person (e.g. name, organisation, sector)
            shown = [f for f in self.activity.fields if f.type != "textarea"]
            rows = [
                [esc(self._option_label(f, v.get(f.id, "")) if f.type == "select" else v.get(f.id, "")) for f in shown]
                for v in sorted(entries.values(), key=lambda v: v.get(shown[0].id, "").casefold())
            ]
            blocks.append(("people", _table(self.tr("checked_in", n=len(entries)), [esc(self.tr.text(f.label)) for f in shown], rows)))
            texts = texts[1:]  # the first text field (the name) is in the table; the rest also as chips
        for fld in fields:
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
                if role == "screen":  # names above their bars: narrow, so it reads large beside the names
                    chart = choice_bars(data)
                else:
                    chart = bars_chart(data, labels=list(data["label"]), series=[self.tr("room")], x_title=self.tr("people_axis"),
                                       width=460)
                blocks.append((fld.id, f"<h4>{esc(label)}</h4>" + svg_img(to_svg(chart), self.tr("overview_alt", field=label))))
            elif fld.type == "text" and fld in texts:
                counts = pd.Series([" ".join(v.split()) for v in values]).value_counts()
                chips = "".join(
                    f"<li>{esc(name)}{f' <span class=vt-muted>×{n}</span>' if n > 1 else ''}</li>" for name, n in counts.items()
                )
                blocks.append((fld.id, f"<h4>{esc(label)}</h4><ul class='vt-chips'>{chips}</ul>"))
            elif fld.type == "textarea" and role == "report":
                blocks.append((fld.id, free_text_html(self.tr, label, values, f"vt-appendix-{self.activity.id}-{fld.id}",
                                                          self._title())))
            elif fld.type == "textarea" and role != "screen":
                items = "".join(f"<li>{esc(v)}</li>" for v in values)
                blocks.append((fld.id, f"<h4>{esc(label)}</h4><ul class='vt-list'>{items}</ul>"))
        return blocks

    def fullest_field(self) -> Any | None:
        """The written field (a group's any text, a person's free text) with the most words in all, or None."""
        kinds = ("text", "textarea") if self.activity.per == "group" else ("textarea",)
        entries = self.entries().values()
        sizes = {f.id: sum(len(v.get(f.id, "").split()) for v in entries) for f in self.activity.fields if f.type in kinds}
        best = max(sizes, key=lambda k: sizes[k], default=None)
        return next(f for f in self.activity.fields if f.id == best) if best and sizes[best] else None

    def summary(self) -> str | None:
        """How many filled it (groups' canvases, or people), and which field has the most text."""
        n = len(self.entries())
        if not n:
            return None
        text = self.tr("canvas_groups", n=n) if self.activity.per == "group" else self.tr("sum_answered", n=n)
        field = self.fullest_field()
        return text if field is None else self.tr("sum_canvas", counts=text, field=self.tr.text(field.label))

    def roster(self) -> list[tuple[str, list[tuple[str, int]]]]:
        """A check-in's people counted by each choice (sector) and short text (organisation) that is
        not personal; a group's canvas counts nobody."""
        if self.activity.per != "participant":
            return []
        entries = list(self.entries().values())
        out = []
        for fld in self.activity.fields:
            if fld.personal or fld.type == "textarea":
                continue
            values = [v[fld.id] for v in entries if v.get(fld.id)]
            if fld.type == "select":
                values = [self._option_label(fld, v) for v in values]
            counts = pd.Series([" ".join(v.split()) for v in values], dtype=object).value_counts()
            if len(counts):
                out.append((self.tr.text(fld.label), [(str(k), int(n)) for k, n in counts.items()]))
        return out

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

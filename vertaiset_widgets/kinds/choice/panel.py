"""The choice on the participant's page: one option, several, or a dot vote, per layer.

Light (no pandas, no altair); the revealed results are a plain, accessible table.
"""
from __future__ import annotations

from ...forms import ChoiceForm
from ...html_blocks import esc, table as _table
from ...panels import ActivityPanel
from ...store import ActivityState, AnswerInput

__all__ = ["ChoicePanel"]


class ChoicePanel(ActivityPanel):
    """Single or multiple choice, a dot vote, or points split among options (allocation)."""

    def _mode(self) -> str:
        return self.activity.mode

    def _make_form(self, state: ActivityState) -> ChoiceForm:
        act = self.activity
        mode = self._mode()
        tr = self.tr
        sum_text = {"allocation": tr("allocation_sum"), "dots": tr("dots_sum")}.get(mode, "")
        # over the budget the sum says how many too many, and the form is not sent
        over = {"allocation": (tr("allocation_over_sum"), tr("allocation_over")),
                "dots": (tr("dots_over_sum"), tr("dots_over"))}.get(mode, ("", ""))
        form = ChoiceForm(
            mode=mode,
            options=[{"id": o.id, "label": tr.label(o), "hint": tr.text(o.hint) if o.hint else ""} for o in act.options],
            layers=self._layers(),
            dots=getattr(act, "dots", 3),
            total=getattr(act, "total", 100),
            texts={"title": tr.text(act.title), "prompt": tr.text(act.prompt), "submit": tr("submit"), "sum": sum_text,
                   "sum_over": over[0], "over": over[1]},
        )
        form.on_submit(self._submit)
        return form

    def _saved(self, state: ActivityState) -> dict:
        return {f"{a.layer}|{a.item}": int(a.value_num) for a in self._answers(state, mine=True)
                if a.value_num is not None and (a.value_num > 0 or self._mode() == "allocation")}

    def _submit(self, form: ChoiceForm, value: dict) -> None:
        act = self.activity
        mode = self._mode()
        layers = act.layer_ids
        answers: list[AnswerInput] = []
        for layer in layers:
            given = {o.id: value.get(f"{layer}|{o.id}") for o in act.options}
            numbers = {k: int(v) for k, v in given.items() if v is not None}
            used = sum(numbers.values())
            if mode == "allocation":
                if not numbers:
                    continue
                if used > act.total:
                    form.show_status(self.tr("allocation_over", layer=self._layer_label(layer), used=used, total=act.total,
                                             over=used - act.total), "error")
                    return
                if used != act.total:
                    form.show_status(self.tr("allocation_wrong", layer=self._layer_label(layer), used=used, total=act.total), "error")
                    return
            elif mode == "dots":
                if used > act.dots:
                    form.show_status(self.tr("dots_over", dots=act.dots, used=used), "error")
                    return
                if used == 0:
                    continue
            elif not any(numbers.values()):
                continue
            answers += [AnswerInput(item=o.id, layer=layer, value_num=float(numbers.get(o.id, 0))) for o in act.options]
        if not answers:
            form.show_status(self.tr("nothing_chosen"), "error")
            return
        self._store(form, answers, self._saved_text())

    def _results_html(self, state: ActivityState) -> str:
        act = self.activity
        answers = self._answers(state)
        mode = self._mode()
        layers = act.layer_ids
        totals: dict[tuple[str, str], float] = {}
        people: dict[str, set[int]] = {}
        for a in answers:
            if a.value_num is None:
                continue
            totals[(a.layer, a.item)] = totals.get((a.layer, a.item), 0) + a.value_num
            people.setdefault(a.layer, set()).add(a.participant_id)
        rows = []
        for o in act.options:
            row = [self.tr.label(o)]
            for layer in layers:
                n = len(people.get(layer, ()))
                value = totals.get((layer, o.id), 0)
                row.append(f"{value / n:.0f}" if mode == "allocation" and n else f"{value:.0f}")
            rows.append(row)
        caption = self.tr("allocation_caption", total=act.total) if mode == "allocation" else self.tr("choice_caption")
        head = [self.tr("option")] + [self._layer_label(layer) for layer in layers]
        respondents = len(set().union(*people.values())) if people else 0
        return (
            f"<h3>{esc(self.tr.text(act.title))}</h3><p>{esc(self.tr('results_revealed', n=respondents))}</p>"
            + _table(caption, head, rows)
        )

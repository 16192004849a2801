"""The facilitator's edits of the practice bank: labelled forms, each save a new version of the
practice (who changed it, a note) — its description, its maturity with the evidence, its
validation, a case story, a link — and a new practice by hand.

A refused field (``VertaisetInputError`` from the store, which names it) is said on the form
that sent it; nothing is saved then.
"""
from __future__ import annotations

import copy
import logging
import re
from typing import Any, Callable

import ipywidgets as W

from .bank_views import MATURITY_STEPS, esc, maturity_label
from .errors import VertaisetError
from .forms import FieldsForm

__all__ = ["PracticeEditor", "refusal_text"]

log = logging.getLogger("vertaiset")

_BASICS = ("toteuttaja", "yhteyshenkilo", "kohderyhma", "kesto", "alkamisvuosi")
_LONG = ("perusidea", "toimintaymparisto", "ehdot")


def refusal_text(tr: Any, exc: Exception) -> str:
    """What the store refused, in the page's language: the field by its label, and why."""
    field = getattr(exc, "field", None)
    if not field:
        return tr("bk_refused", problem=str(exc))
    last = re.sub(r"\[\d+\]", "", field).split(".")[-1]
    labels = {"by": "bk_validated_by", "at": "bk_validated_at", "url": "bk_link_url", "text": "bk_story_text",
              "evidence": "bk_evidence", "maturity_evidence": "bk_evidence"}
    key = labels.get(last) or f"bk_field_{last}"
    label = tr(key) if key in tr.content.strings else field
    if field.startswith("stories") and last == "title":
        label = tr("bk_story_title")
    elif field.startswith("links") and last == "title":
        label = tr("bk_link_title")
    problem = getattr(exc, "problem", "")
    if problem in ("required", "too_long", "url", "date"):
        why = tr(f"bk_problem_{problem}", limit=getattr(exc, "limit", None) or "")
    else:
        why = tr("bk_problem_invalid")
    return tr("bk_refused_field", field=label, problem=why)


class PracticeEditor(W.VBox):
    """The edit forms of the practice open on the console, and the form for a new practice.

    Parameters
    ----------
    store : SessionStore
    tr : Translator
    on_saved : callable
        ``on_saved(practice)`` after every save (the console redraws the list and the practice).
    """

    def __init__(self, store: Any, tr: Any, on_saved: Callable[[Any], None]):
        super().__init__()
        self.add_class("vt-bk-editor")
        self.store = store
        self.tr = tr
        self._on_saved = on_saved
        self.practice: Any = None
        who = {"name": "changed_by", "label": tr("bk_changed_by"), "maxlength": 120, "autocomplete": "name"}
        note = {"name": "note", "label": tr("bk_note"), "type": "textarea", "maxlength": 500, "rows": 2}
        long = {"type": "textarea", "maxlength": 4000, "rows": 4}
        levels = [{"value": m, "label": maturity_label(tr, m)} for m in MATURITY_STEPS]
        self.describe_form = FieldsForm(
            fields=[
                {"name": "name", "label": tr("bk_field_name"), "maxlength": 300},
                {"name": "summary", "label": tr("bk_field_summary"), "type": "textarea", "maxlength": 1000, "rows": 3},
                *({"name": k, "label": tr(f"bk_field_{k}"), "maxlength": 200} for k in _BASICS),
                *({"name": k, "label": tr(f"bk_field_{k}"), **long} for k in _LONG),
                {"name": "network", "label": tr("bk_field_network"), "maxlength": 200},
                {"name": "sector", "label": tr("bk_field_sector"), "maxlength": 200},
                {"name": "area", "label": tr("bk_field_area"), "maxlength": 200},
                {"name": "keywords", "label": tr("bk_field_keywords"), "hint": tr("bk_keywords_hint"), "maxlength": 300},
                who, note,
            ],
            texts={"title": tr("bk_edit_title"), "submit": tr("bk_save_version")},
        )
        self.maturity_form = FieldsForm(
            fields=[{"name": "maturity", "label": tr("bk_maturity_title"), "type": "select", "options": levels},
                    {"name": "maturity_evidence", "label": tr("bk_evidence"), "hint": tr("bk_evidence_hint"), **long},
                    who, note],
            texts={"title": tr("bk_maturity_form_title"), "submit": tr("bk_save_maturity")},
        )
        self.validation_form = FieldsForm(
            fields=[{"name": "by", "label": tr("bk_validated_by"), "maxlength": 200},
                    {"name": "at", "label": tr("bk_validated_at"), "type": "date"},
                    {"name": "vnote", "label": tr("bk_validation_note"), "type": "textarea", "maxlength": 1000, "rows": 2},
                    who],
            texts={"title": tr("bk_validation_form_title"), "submit": tr("bk_save_validation")},
        )
        self.story_form = FieldsForm(
            fields=[{"name": "title", "label": tr("bk_story_title"), "maxlength": 200},
                    {"name": "text", "label": tr("bk_story_text"), **long}, who],
            texts={"title": tr("bk_story_form_title"), "submit": tr("bk_add_story")},
        )
        self.link_form = FieldsForm(
            fields=[{"name": "title", "label": tr("bk_link_title"), "maxlength": 200},
                    {"name": "url", "label": tr("bk_link_url"), "hint": tr("bk_link_url_hint"), "maxlength": 500,
                     "inputmode": "url"},
                    {"name": "kind", "label": tr("bk_link_kind"), "type": "select",
                     "options": [{"value": "bank", "label": tr("bk_link_kind_bank")},
                                 {"value": "community", "label": tr("bk_link_kind_community")}]},
                    who],
            texts={"title": tr("bk_link_form_title"), "submit": tr("bk_add_link")},
        )
        self.new_form = FieldsForm(
            fields=[{"name": "name", "label": tr("bk_field_name"), "maxlength": 300},
                    {"name": "summary", "label": tr("bk_field_summary"), "type": "textarea", "maxlength": 1000, "rows": 3},
                    {"name": "maturity", "label": tr("bk_maturity_title"), "type": "select", "options": levels},
                    {"name": "network", "label": tr("bk_field_network"), "maxlength": 200},
                    {"name": "sector", "label": tr("bk_field_sector"), "maxlength": 200},
                    {"name": "area", "label": tr("bk_field_area"), "maxlength": 200},
                    who],
            texts={"title": tr("bk_new_title"), "submit": tr("bk_add_practice")},
        )
        self.describe_form.on_submit(self._on_describe)
        self.maturity_form.on_submit(self._on_maturity)
        self.validation_form.on_submit(self._on_validation)
        self.story_form.on_submit(self._on_story)
        self.link_form.on_submit(self._on_link)
        self.new_form.on_submit(self._on_new)
        self._practice_forms = W.VBox([self.describe_form, self.maturity_form, self.validation_form,
                                       self.story_form, self.link_form])
        self._title = W.HTML()
        self.children = [self._title, self._practice_forms, self.new_form]
        self.show(None)

    # ------------------------------------------------------------------ which practice
    def show(self, practice: Any) -> None:
        """Fill the forms from ``practice`` (None: only the form for a new practice)."""
        self.practice = practice
        self._practice_forms.layout.display = None if practice is not None else "none"
        if practice is None:
            self._title.value = ""
            return
        f = practice.fields
        basics = f.get("perustiedot") or {}
        self._title.value = f"<h3>{esc(self.tr('bk_edit_heading', name=practice.name))}</h3>"
        with self.hold_sync():
            self.describe_form.value = {
                "name": practice.name, "summary": str(f.get("summary") or ""),
                **{k: str(basics.get(k) or "") for k in _BASICS},
                **{k: str(f.get(k) or "") for k in _LONG},
                "network": practice.network or "", "sector": practice.sector or "", "area": practice.area or "",
                "keywords": ", ".join(map(str, f.get("keywords") or [])),
            }
            self.maturity_form.value = {"maturity": practice.maturity, "maturity_evidence": str(f.get("maturity_evidence") or "")}
            validation = f.get("validation") or {}
            self.validation_form.value = {"by": str(validation.get("by") or ""), "at": str(validation.get("at") or ""),
                                          "vnote": str(validation.get("note") or "")}
            self.story_form.value = {}
            self.link_form.value = {"kind": "community"}

    # ------------------------------------------------------------------ saving
    def _save(self, form: FieldsForm, fields: dict, value: dict, *, uid: str | None) -> Any:
        tr = self.tr
        try:
            saved = self.store.save_practice(fields, uid=uid, changed_by=(value.get("changed_by") or "").strip() or None,
                                             note=(value.get("note") or "").strip() or None)
        except VertaisetError as exc:
            form.show_status(refusal_text(self.tr, exc), "error")
            return None
        except Exception:  # logged in full; the form says it was not saved
            log.exception("saving a practice failed")
            form.show_status(tr("bk_save_failed"), "error")
            return None
        form.show_status(tr("bk_saved", name=saved.name, version=saved.version), "ok")
        self._on_saved(saved)
        return saved

    def _fields(self) -> dict:
        return copy.deepcopy(dict(self.practice.fields)) if self.practice is not None else {}

    def _on_describe(self, form: FieldsForm, value: dict) -> None:
        if self.practice is None:
            return
        fields = self._fields()
        fields["name"] = value.get("name", "").strip()
        fields["summary"] = value.get("summary", "").strip()
        basics = dict(fields.get("perustiedot") or {})
        for k in _BASICS:
            text = value.get(k, "").strip()
            basics[k] = text
        fields["perustiedot"] = basics
        for k in (*_LONG, "network", "sector", "area"):
            fields[k] = value.get(k, "").strip()
        fields["keywords"] = [w.strip() for w in value.get("keywords", "").split(",") if w.strip()]
        self._save(form, fields, value, uid=self.practice.uid)

    def _on_maturity(self, form: FieldsForm, value: dict) -> None:
        if self.practice is None:
            return
        fields = self._fields()
        fields["maturity"] = value.get("maturity", "")
        fields["maturity_evidence"] = value.get("maturity_evidence", "").strip()
        self._save(form, fields, value, uid=self.practice.uid)

    def _on_validation(self, form: FieldsForm, value: dict) -> None:
        if self.practice is None:
            return
        fields = self._fields()
        by, at = value.get("by", "").strip(), value.get("at", "").strip()
        if not by or not at:
            form.show_status(self.tr("bk_validation_needs"), "error")
            return
        fields["validation"] = {"by": by, "at": at, "note": value.get("vnote", "").strip()}
        self._save(form, fields, value, uid=self.practice.uid)

    def _on_story(self, form: FieldsForm, value: dict) -> None:
        if self.practice is None:
            return
        title, text = value.get("title", "").strip(), value.get("text", "").strip()
        if not title or not text:
            form.show_status(self.tr("bk_story_needs"), "error")
            return
        fields = self._fields()
        fields["stories"] = [*(fields.get("stories") or []), {"title": title, "text": text}]
        if self._save(form, fields, value, uid=self.practice.uid) is not None:
            form.clear()

    def _on_link(self, form: FieldsForm, value: dict) -> None:
        if self.practice is None:
            return
        title, url = value.get("title", "").strip(), value.get("url", "").strip()
        if not url:
            form.show_status(self.tr("bk_link_needs"), "error")
            return
        fields = self._fields()
        kind = value.get("kind") if value.get("kind") in ("bank", "community") else "community"
        fields["links"] = [*(fields.get("links") or []), {"title": title or url, "url": url, "kind": kind}]
        if self._save(form, fields, value, uid=self.practice.uid) is not None:
            form.clear()

    def _on_new(self, form: FieldsForm, value: dict) -> None:
        fields = {k: value.get(k, "").strip() for k in ("name", "summary", "maturity", "network", "sector", "area")}
        if self._save(form, fields, value, uid=None) is not None:
            form.clear()

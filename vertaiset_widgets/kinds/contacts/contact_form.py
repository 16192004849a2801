"""The contact form on the participant's phone: the shared labelled fields plus a consent box.

:class:`ContactForm` is a :class:`~vertaiset_widgets.forms.FieldsForm` whose browser side adds
a native checkbox, described by the consent's text, under the fields; its state travels with
the submit as ``value["consent"]`` (``"yes"`` when ticked).
"""
from __future__ import annotations

from pathlib import Path

from ...assets import widget_code
from ...forms import FORMS_CSS, FieldsForm, _forms_esm

__all__ = ["ContactForm"]

_HERE = Path(__file__).resolve().parent


def _esm() -> str:
    """The shared forms module with its default export renamed, then this form's own module."""
    shared = _forms_esm()
    if shared.count("export default {") != 1:
        raise RuntimeError("the shared forms module no longer has exactly one default export")
    return shared.replace("export default {", "const vtSharedForms = {") + "\n" + (_HERE / "contact_form.js").read_text(encoding="utf-8")


class ContactForm(FieldsForm):
    """Name, organisation, role, phone and e-mail, and the consent box (``texts["consent"]`` its
    label, ``texts["consent_text"]`` what is kept and who sees it)."""

    _esm, _css = widget_code(_esm(), FORMS_CSS)

    def _coerce(self, value: dict) -> dict:
        out = super()._coerce(value)
        out["consent"] = "yes" if str(value.get("consent") or "") == "yes" else ""
        return out

"""Widget code as files under `vertaiset serve`, inline anywhere else (vertaiset_widgets.assets)."""
from __future__ import annotations

import hashlib

from vertaiset_widgets import assets
from vertaiset_widgets.forms import FORMS_CSS, _forms_esm


def _name(text: str, suffix: str) -> str:
    return f"{hashlib.sha256(text.encode('utf-8')).hexdigest()[:24]}.{suffix}"


def test_outside_the_server_a_widget_carries_its_code(monkeypatch, tmp_path):
    monkeypatch.delenv(assets.ASSETS_ENV, raising=False)
    monkeypatch.setenv("VERTAISET_CACHE", str(tmp_path))
    module, sheet = assets.widget_code(_forms_esm(), FORMS_CSS)
    assert module == _forms_esm() and sheet == FORMS_CSS.read_text(encoding="utf-8")
    assert not (tmp_path / "assets").exists()


def test_under_the_server_a_widget_carries_a_loader_of_files_named_by_their_content(monkeypatch, tmp_path):
    monkeypatch.setenv(assets.ASSETS_ENV, "vertaiset/assets/")
    monkeypatch.setenv("VERTAISET_CACHE", str(tmp_path))
    source, css = _forms_esm(), FORMS_CSS.read_text(encoding="utf-8")
    module, sheet = assets.widget_code(source, FORMS_CSS)
    js_name, css_name = _name(source, "js"), _name(css, "css")
    assert sheet == "" and len(module) < 1500
    assert '"vertaiset/assets/"' in module and f'"{js_name}"' in module and f'"{css_name}"' in module
    assert module.rstrip().endswith(".default;") and "jupyter-config-data" in module
    assert (tmp_path / "assets" / js_name).read_text(encoding="utf-8") == source
    assert (tmp_path / "assets" / css_name).read_text(encoding="utf-8") == css
    assert assets.ASSET_NAME.match(js_name) and assets.ASSET_NAME.match(css_name)
    # the same code again: the same files, nothing else written
    assert assets.widget_code(source, FORMS_CSS) == (module, sheet)
    assert sorted(p.name for p in (tmp_path / "assets").iterdir()) == sorted([js_name, css_name])
    # without a stylesheet, the loader loads none
    bigger = "export default {};" + " " * assets.CARRIED_UP_TO
    assert '= "";' in assets.esm(bigger) and len(assets.esm(bigger)) < len(bigger)
    # a module no longer than its loader comes with the widget: no request for it before it works
    small = "export default { render({ el }) { el.hidden = true; } };"
    assert assets.esm(small) == small and _name(small, "js") not in {p.name for p in (tmp_path / "assets").iterdir()}


def test_when_the_files_cannot_be_written_the_widget_carries_its_code(monkeypatch, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv(assets.ASSETS_ENV, "vertaiset/assets/")
    monkeypatch.setenv("VERTAISET_CACHE", str(blocker))
    assert assets.widget_code(_forms_esm(), FORMS_CSS) == (_forms_esm(), FORMS_CSS.read_text(encoding="utf-8"))


def test_page_templates_compile_once_per_server():
    """Every page's exporter (Voila makes one per page) shares the server's compiled templates:
    a second page's environment loads a template without compiling it."""
    import jinja2
    from voila.exporter import VoilaExporter

    from vertaiset_widgets.server_assets import SHARED, share_compiled_templates

    share_compiled_templates()
    first, second = VoilaExporter(template_name="lab").environment, VoilaExporter(template_name="lab").environment
    assert first is not second and first.bytecode_cache is SHARED is second.bytecode_cache
    first.get_template("base/display_priority.j2")
    compiled = []
    original = jinja2.Environment.compile
    try:
        jinja2.Environment.compile = lambda self, *a, **k: compiled.append(a) or original(self, *a, **k)
        second.get_template("base/display_priority.j2")
    finally:
        jinja2.Environment.compile = original
    assert compiled == []

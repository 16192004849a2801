"""Every workbook executed by papermill in each role and language, against the demo data."""
from __future__ import annotations

import json
from pathlib import Path

import nbformat
import papermill
import pytest

from vertaiset_widgets.demo import seed_demo
from vertaiset_widgets.store import SessionStore

ROOT = Path(__file__).resolve().parent.parent
WORKBOOKS = ROOT / "workbooks"
PHASE_WORKBOOKS = ["01_tilannekuva.ipynb", "02_tavoitteet.ipynb", "04_arviointi.ipynb"]
LANGS = ["fi", "sv", "en"]
WIDGET = "application/vnd.jupyter.widget-view+json"
RESPONDENT_WORDS = {"fi": "Vastanneita", "sv": "Har svarat", "en": "Answered"}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    """A SQLite file with the demo session; returns (url, code, key)."""
    path = tmp_path_factory.mktemp("nb") / "demo.sqlite"
    url = f"sqlite:///{path}"
    store = SessionStore(url)
    session, key = seed_demo(store)
    store.close()
    return url, session.code, key


def _run(name: str, **parameters) -> nbformat.NotebookNode:
    return papermill.execute_notebook(
        str(WORKBOOKS / name), None, parameters=parameters, kernel_name="python3", progress_bar=False, cwd=str(WORKBOOKS)
    )


def _outputs(nb) -> list[dict]:
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]


def _text(nb) -> str:
    out = []
    for o in _outputs(nb):
        data = o.get("data", {})
        out.append(str(data.get("text/html", "")) + str(data.get("text/plain", "")) + str(o.get("text", "")))
    return "\n".join(out)


def _assert_no_errors(nb) -> None:
    errors = [o for o in _outputs(nb) if o.get("output_type") == "error"]
    assert errors == [], errors
    assert "Traceback" not in _text(nb)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", PHASE_WORKBOOKS)
def test_report_role(demo_db, name, lang):
    """role=report renders static results: SVG charts and the numbers, in the language asked for."""
    url, code, _key = demo_db
    nb = _run(name, session=code, role="report", lang=lang, db_url=url)
    _assert_no_errors(nb)
    outputs = _outputs(nb)
    assert not any(WIDGET in o.get("data", {}) for o in outputs), "a report has no widgets"
    text = _text(nb)
    # charts: SVG outputs, or SVG images inside the HTML blocks (each with a text alternative)
    svgs = [o for o in outputs if "image/svg+xml" in o.get("data", {})]
    assert len(svgs) + text.count("src='data:image/svg+xml") >= 2
    assert "<table" in text and RESPONDENT_WORDS[lang] in text
    assert "Yhdessä aikuisuuteen" in text  # the session's name


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("role", ["facilitator", "screen"])
@pytest.mark.parametrize("name", PHASE_WORKBOOKS)
def test_live_roles(demo_db, name, role, lang):
    """role=facilitator (with the key) and role=screen build live widgets without errors."""
    url, code, key = demo_db
    nb = _run(name, session=code, role=role, lang=lang, key=key if role == "facilitator" else "", db_url=url)
    _assert_no_errors(nb)
    assert any(WIDGET in o.get("data", {}) for o in _outputs(nb))


@pytest.mark.parametrize("lang", LANGS)
def test_participant_notebook(demo_db, lang):
    """The participant's notebook runs in every language, with and without a session code."""
    url, code, _key = demo_db
    _assert_no_errors(_run("osallistu.ipynb", session=code, lang=lang, db_url=url))
    _assert_no_errors(_run("osallistu.ipynb", lang=lang, db_url=url))


@pytest.mark.parametrize("name", PHASE_WORKBOOKS)
def test_runs_with_no_parameters(name, tmp_path, monkeypatch):
    """With no parameters at all a workbook reports on the demo data (seeded on first use)."""
    monkeypatch.setenv("VERTAISET_HOME", str(tmp_path))
    nb = _run(name)
    _assert_no_errors(nb)
    assert "Yhdessä aikuisuuteen" in _text(nb)
    assert (tmp_path / "vertaiset.sqlite").exists()


def test_participant_page_never_loads_pandas_or_altair(demo_db, tmp_path):
    """The participant's whole path — join, answer every kind, post, see revealed results and the wall — imports neither pandas nor altair."""
    url, _code, _key = demo_db
    store = SessionStore(url)
    session, _ = store.create_session("Kevyt")
    store.set_activity_state(session.id, "arviointi_360", is_open=True)
    store.set_activity_state(session.id, "unelmaverkosto", is_open=True)
    for activity in ("hierarkia_markkina_verkosto", "verkostotyyppi", "rinnakkain_yhdessa", "tavoitekanvaasi",
                     "verkostokartta", "toimintatavat"):
        store.set_activity_state(session.id, activity, is_open=True)
    nb = nbformat.read(WORKBOOKS / "osallistu.ipynb", as_version=4)
    check = """
import sys
page = _
page.join_as("light-browser-token-0001")
form = [c for c in page._activities.children if type(c).__name__ == "RatingForm"][0]
form.submit({"nyt|johtaminen": 3})
page.panels["unelmaverkosto"].post_form.submit({"text": "Kevyt nosto"})
kinds = page.kind_panels
def kind_form(a):
    return kinds[a].forms[kinds[a].state.round]
kind_form("hierarkia_markkina_verkosto").submit({"nyt|hierarkia": 40, "nyt|markkina": 20, "nyt|verkosto": 40})
kind_form("verkostotyyppi").submit({"nyt|kaoottinen": 1})
kind_form("rinnakkain_yhdessa").submit({"nyt|position": 3})
kind_form("tavoitekanvaasi").submit({"_group": "Kevyet", "miksi": "Kevyesti"})
kinds["verkostokartta"].actor_form.submit({"name": "Kevyt toimija"})
statuses = [kind_form(a).status_kind for a in ("hierarkia_markkina_verkosto", "verkostotyyppi", "rinnakkain_yhdessa", "tavoitekanvaasi")]
statuses.append(kinds["verkostokartta"].actor_form.status_kind)
assert statuses == ["ok"] * 5, statuses
assert "Sovittu 0 / 15" in kinds["toimintatavat"]._results.value
"""
    reveal = f"""
from vertaiset_widgets.store import SessionStore
SessionStore({url!r}).set_activity_state({session.id}, "arviointi_360", is_open=False, is_revealed=True)
SessionStore({url!r}).set_activity_state({session.id}, "unelmaverkosto", is_revealed=True)
page.refresh()
assert [i["text"] for i in page.panels["unelmaverkosto"].wall.items] == ["Kevyt nosto"]
import json
print(json.dumps({{"status": form.status_kind, "loaded": sorted(m for m in ("pandas", "altair", "vl_convert", "numpy") if m in sys.modules)}}))
"""
    nb.cells += [nbformat.v4.new_code_cell(check), nbformat.v4.new_code_cell(reveal)]
    extended = tmp_path / "osallistu_checked.ipynb"
    nbformat.write(nb, extended)
    nb = papermill.execute_notebook(
        str(extended), None, parameters={"session": session.code, "db_url": url},
        kernel_name="python3", progress_bar=False, cwd=str(WORKBOOKS),
    )
    result = json.loads(nb.cells[-1].outputs[-1]["text"])
    assert result == {"status": "ok", "loaded": []}
    assert store.answers(session.id, "arviointi_360")[0].value_num == 3.0
    assert {a.item for a in store.answers(session.id, "hierarkia_markkina_verkosto")} == {"hierarkia", "markkina", "verkosto"}
    assert [a.value_text for a in store.answers(session.id, "verkostokartta") if a.layer == "name"] == ["Kevyt toimija"]

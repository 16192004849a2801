"""Every workbook in each role and language, against the demo data.

papermill runs each workbook's console in a real kernel (in Finnish, the notebooks' default),
the newest workbook in every role, and the first with no parameters at all: the kernel, the
parameters cell and papermill's injected parameters are what the CLI's report (which runs every
workbook as a report in a kernel, test_cli.py) and a served page rely on. The other roles and
languages run the same code cells in this process's IPython shell (``conftest.run_notebook_here``),
which skips the kernel's start-up and imports, so the matrix costs little as workbooks and
languages are added. The report itself (markdown cells by language, nbconvert's HTML) is
`vertaiset report`'s, in test_cli.py.
"""
from __future__ import annotations

import json
from pathlib import Path

import nbformat
import papermill
import pytest
from conftest import run_notebook_here

from vertaiset_widgets.demo import seed_demo
from vertaiset_widgets.store import SessionStore

ROOT = Path(__file__).resolve().parent.parent
WORKBOOKS = ROOT / "workbooks"
PHASE_WORKBOOKS = ["01_tilannekuva.ipynb", "02_tavoitteet.ipynb", "03_koordinointi.ipynb", "04_arviointi.ipynb"]
LANGS = ["fi", "sv", "en"]
#: Finnish runs in a kernel (papermill), the other languages in this process
OTHER_LANGS = [lang for lang in LANGS if lang != "fi"]
WIDGET = "application/vnd.jupyter.widget-view+json"
RESPONDENT_WORDS = {"fi": "Vastanneita", "sv": "Har svarat", "en": "Answered"}

slow = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    """A SQLite file with the demo session; returns (url, code, key)."""
    path = tmp_path_factory.mktemp("nb") / "demo.sqlite"
    url = f"sqlite:///{path}"
    store = SessionStore(url)
    session, key = seed_demo(store)
    store.close()
    return url, session.code, key


def _run(name: str, **parameters) -> list[dict]:
    """The notebook run by papermill in a real kernel; its code cells' outputs."""
    nb = papermill.execute_notebook(
        str(WORKBOOKS / name), None, parameters=parameters, kernel_name="python3", progress_bar=False, cwd=str(WORKBOOKS), shutdown_kernel="immediate"
    )
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]


def _run_here(name: str, **parameters) -> list[dict]:
    """The notebook's code cells run in this process, with papermill's parameters; their outputs."""
    runs, namespace = run_notebook_here(WORKBOOKS / name, parameters)
    try:
        return [o for run in runs for o in run.outputs] + [{"output_type": "stream", "text": r.stdout} for r in runs if r.stdout]
    finally:
        if "wb" in namespace:
            namespace["wb"].store.close()


def _text(outputs: list[dict]) -> str:
    out = []
    for o in outputs:
        data = o.get("data", {})
        out.append(str(data.get("text/html", "")) + str(data.get("text/plain", "")) + str(o.get("text", "")))
    return "\n".join(out)


def _assert_no_errors(outputs: list[dict]) -> None:
    errors = [o for o in outputs if o.get("output_type") == "error"]
    assert errors == [], errors
    assert "Traceback" not in _text(outputs)


def _assert_report(outputs: list[dict], lang: str) -> None:
    """role=report renders static results: SVG charts and the numbers, in the language asked for."""
    _assert_no_errors(outputs)
    assert not any(WIDGET in o.get("data", {}) for o in outputs), "a report has no widgets"
    text = _text(outputs)
    # charts: SVG outputs, or SVG images inside the HTML blocks (each with a text alternative)
    svgs = [o for o in outputs if "image/svg+xml" in o.get("data", {})]
    assert len(svgs) + text.count("src='data:image/svg+xml") >= 2
    assert "<table" in text and RESPONDENT_WORDS[lang] not in text  # the console's counters stay on the console
    assert "Yhdessä aikuisuuteen" in text  # the session's name


def _assert_live(outputs: list[dict]) -> None:
    """role=facilitator and role=screen build live widgets without errors."""
    _assert_no_errors(outputs)
    assert any(WIDGET in o.get("data", {}) for o in outputs)


# --------------------------------------------------------------------------- in a kernel: each workbook and role once
@pytest.fixture(scope="module")
def default_home(tmp_path_factory) -> Path:
    """A VERTAISET_HOME with nothing in it: the first workbook run with no parameters seeds the demo there."""
    return tmp_path_factory.mktemp("default-home")


@slow
def test_report_with_no_parameters(default_home, monkeypatch):
    """With no parameters at all a workbook is the Finnish report of the demo data (seeded on first use).
    (Every phase workbook runs as a report in a kernel in `vertaiset report`'s test, test_cli.py.)"""
    monkeypatch.setenv("VERTAISET_HOME", str(default_home))
    _assert_report(_run(PHASE_WORKBOOKS[0]), "fi")
    assert (default_home / "vertaiset.sqlite").exists()


#: (workbook, role) run by papermill in a kernel: each workbook's console, and the newest workbook in
#: every live role; the other screens run in this process (``test_live_roles``), in every language.
KERNEL_RUNS = [(name, "facilitator") for name in PHASE_WORKBOOKS] + [("03_koordinointi.ipynb", "screen")]


@slow
@pytest.mark.parametrize("name, role", KERNEL_RUNS)
def test_live_roles_in_a_kernel(demo_db, name, role):
    """role=facilitator (with the key) and role=screen, given as papermill parameters, build live widgets."""
    url, code, key = demo_db
    _assert_live(_run(name, session=code, role=role, lang="fi", key=key if role == "facilitator" else "", db_url=url))


@slow
def test_participant_notebook_with_no_parameters():
    """The participant's notebook as it is committed runs in a kernel: the page that asks for the code."""
    _assert_no_errors(_run("osallistu.ipynb"))


# --------------------------------------------------------------------------- in this process: the languages
@pytest.mark.parametrize("lang", OTHER_LANGS)
@pytest.mark.parametrize("name", PHASE_WORKBOOKS)
def test_report_role(demo_db, name, lang):
    """role=report renders static results: SVG charts and the numbers, in the language asked for."""
    url, code, _key = demo_db
    _assert_report(_run_here(name, session=code, role="report", lang=lang, db_url=url), lang)


#: In this process: the consoles in Swedish, the screens in every language the kernel runs leave out.
LIVE_HERE = [(name, "facilitator", "sv") for name in PHASE_WORKBOOKS] + [
    (name, "screen", lang) for name in PHASE_WORKBOOKS for lang in LANGS if (name, "screen") not in KERNEL_RUNS or lang != "fi"]


@pytest.mark.parametrize("name, role, lang", LIVE_HERE)
def test_live_roles(demo_db, name, role, lang):
    """role=facilitator (with the key) and role=screen build live widgets without errors (the
    kinds' views in every language are the contract test's, tests/test_kinds_contract.py)."""
    url, code, key = demo_db
    _assert_live(_run_here(name, session=code, role=role, lang=lang, key=key if role == "facilitator" else "", db_url=url))


@pytest.mark.parametrize("lang", LANGS)
def test_participant_notebook(demo_db, lang):
    """The participant's notebook runs in every language, with and without a session code."""
    url, code, _key = demo_db
    _assert_no_errors(_run_here("osallistu.ipynb", session=code, lang=lang, db_url=url))
    _assert_no_errors(_run_here("osallistu.ipynb", lang=lang, db_url=url))


def test_notebooks_are_committed_without_outputs():
    """Every notebook is committed clean: no outputs or execution counts (a served page and a report
    show only what runs now), and the first code cell is the one tagged `parameters`."""
    for path in sorted(WORKBOOKS.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert [(c.get("outputs"), c.get("execution_count")) for c in code] == [([], None)] * len(code), path.name
        assert [c for c in code if "parameters" in c.metadata.get("tags", [])] == code[:1], path.name


@slow
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
kinds = page.kind_panels
def kind_form(a):
    return kinds[a].forms[kinds[a].state.round]
form = kind_form("arviointi_360")
form.submit({"nyt|johtaminen": 3})
page.kind_panels["unelmaverkosto"].post_form.submit({"text": "Kevyt nosto"})
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
assert [i["text"] for i in page.kind_panels["unelmaverkosto"].wall.items] == ["Kevyt nosto"]
import json
print(json.dumps({{"status": form.status_kind, "loaded": sorted(m for m in ("pandas", "altair", "vl_convert", "numpy") if m in sys.modules)}}))
"""
    nb.cells += [nbformat.v4.new_code_cell(check), nbformat.v4.new_code_cell(reveal)]
    extended = tmp_path / "osallistu_checked.ipynb"
    nbformat.write(nb, extended)
    nb = papermill.execute_notebook(
        str(extended), None, parameters={"session": session.code, "db_url": url},
        kernel_name="python3", progress_bar=False, cwd=str(WORKBOOKS), shutdown_kernel="immediate",
    )
    result = json.loads(nb.cells[-1].outputs[-1]["text"])
    assert result == {"status": "ok", "loaded": []}
    assert store.answers(session.id, "arviointi_360")[0].value_num == 3.0
    assert {a.item for a in store.answers(session.id, "hierarkia_markkina_verkosto")} == {"hierarkia", "markkina", "verkosto"}
    assert [a.value_text for a in store.answers(session.id, "verkostokartta") if a.layer == "name"] == ["Kevyt toimija"]

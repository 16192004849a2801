"""The report for readers: the summary and contents first, no names by default, free texts grouped
with the full list in an appendix, no instructions to the room or console counters, and the
console's "Lataa raportti" making an interim report during the event.

The demo's report is the one made once for the run (``demo_report``: `vertaiset report DEMO`)."""
from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import VOILA_GROUP
from vertaiset_widgets import kinds
from vertaiset_widgets.content import load_content
from vertaiset_widgets.i18n import Translator
from vertaiset_widgets.report_run import groups
from vertaiset_widgets.report_tidy import tidy_report
from vertaiset_widgets.results import grouped_texts
from vertaiset_widgets.store import SessionStore

WORKBOOKS = Path(__file__).resolve().parent.parent / "workbooks"
PHASE_FILES = ("01_tilannekuva", "02_tavoitteet", "03_koordinointi", "04_arviointi")


def _text(node) -> str:
    return " ".join(node.get_text(" ").split())


@pytest.fixture(scope="module")
def soup(demo_report) -> BeautifulSoup:
    return BeautifulSoup(demo_report.html.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def demo_store(cli_demo):
    store = SessionStore(cli_demo)
    yield store, store.get_session("DEMO")
    store.close()


@pytest.fixture(scope="module")
def tr():
    return Translator.create(load_content(), "fi")


# ------------------------------------------------------------------------------ the demo's report



@pytest.mark.slow
@pytest.mark.xdist_group(VOILA_GROUP)
def test_the_report_opens_with_the_session_who_took_part_and_each_result(soup, demo_store, tr):
    store, session = demo_store
    main = soup.find("main")
    headings = [h for h in main.find_all(re.compile("^h[1-6]$"))]
    assert headings[0].name == "h1" and "Yhdessä aikuisuuteen" in _text(headings[0])
    assert [_text(h) for h in headings[1:3]] == ["Yhteenveto", "Keitä oli mukana"]
    summary = soup.select_one("section.vt-summary")
    facts = dict(zip([_text(d) for d in summary.select("dl.vt-facts dt")], [_text(d) for d in summary.select("dl.vt-facts dd")]))
    assert facts == {"Verkosto": "YEE-verkosto", "Päivämäärä": "16.11.2022",
                     "Kierros": "3. kierros", "Osallistujia": str(len(store.participants(session.id)))}
    # who took part: counted by sector and organisation, as many as checked in, never named
    roster = {_text(li).split(":", 1)[0]: _text(li).split(":", 1)[1] for li in summary.select("ul.vt-roster li")}
    assert set(roster) == {"Sektori", "Organisaatio"}
    checked_in = sum(int(n) for n in re.findall(r"(\d+)(?:,|$)", roster["Sektori"]))
    content = load_content()
    check_in = kinds.for_activity(content.activity("kuulumiset")).results_class(content.activity("kuulumiset"))
    entries = check_in.load(store, session, content.activity("kuulumiset"), tr).entries()
    assert checked_in == sum(1 for e in entries.values() if e.get("sektori")) == 25
    # one line per activity with a result, linked to its section, the line the kind gives
    lines = {li.a["href"]: _text(li) for li in summary.select("ul.vt-sum-lines li")}
    assert len(lines) >= 25
    for anchor in ("vt-hierarkia_markkina_verkosto", "vt-arviointi_360", "vt-verkostokartta", "vt-verkostot_nyt",
                   "vt-toimintatavat", "vt-askelten_arviointi"):
        line = kinds.summary_line(store, session, content.activity(anchor[3:]), tr)
        assert line and " ".join(line.split()) in lines[f"#{anchor}"], anchor
    assert "Toimijoita 18" in lines["#vt-verkostokartta"] and "puuttuvia linkkejä 4" in lines["#vt-verkostokartta"]


@pytest.mark.slow
@pytest.mark.xdist_group(VOILA_GROUP)
def test_the_contents_link_to_every_phase_and_activity(soup):
    toc = soup.select_one("nav.vt-toc")
    phases = [_text(li.a) for li in toc.select(":scope > ol > li")]
    assert phases == ["Tilannekuva", "Tavoitteet ja toimintatavat", "Koordinointi ja fasilitointi", "Arviointi ja reflektio",
                      "Liite: vapaat vastaukset"]
    links = [a["href"] for a in toc.find_all("a")]
    assert len(links) == len(set(links)) > 30
    for href in links:
        target = soup.find(id=href[1:])
        assert target is not None, href
    # a link lands on its section: the heading right after the anchor is the one the contents name
    for a in toc.select("ol ol a")[:8]:
        heading = soup.find(id=a["href"][1:]).find_next(re.compile("^h[1-6]$"))
        assert _text(a) in _text(heading), (a, heading)
    # every phase has its heading, in order, each after the contents
    main_text = _text(soup.find("main"))
    starts = [main_text.index(f"{title} ¶") for title in phases[:4]]
    assert starts == sorted(starts)


@pytest.mark.slow
@pytest.mark.xdist_group(VOILA_GROUP)
def test_no_name_nickname_or_contact_without_names(soup, demo_store):
    """Every demo participant's nickname, every name given in a personal field, and every contact's name,
    phone and e-mail: none is in the report made without --names."""
    store, session = demo_store
    content = load_content()
    private: set[str] = {p.nickname for p in store.participants(session.id) if p.nickname}
    for activity in content.activities.values():
        personal = {f.id for f in getattr(activity, "fields", []) if getattr(f, "personal", False)}
        for a in store.answers(session.id, activity.id):
            if (a.item in personal or (activity.kind == "contacts" and a.layer in ("name", "phone", "email"))) and a.value_text:
                private.add(a.value_text.strip())
                if a.layer == "name":
                    private.update(a.value_text.split())  # first and last names alone too
    assert len(private) >= 30 and {"Aino", "Virtanen"} <= private
    text = _text(soup)
    found = sorted(name for name in private if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text))
    assert found == []


@pytest.mark.slow
@pytest.mark.xdist_group(VOILA_GROUP)
def test_no_instructions_to_the_room_and_no_console_counters(soup):
    text = _text(soup)
    instructions = []
    for name in PHASE_FILES:
        nb = json.loads((WORKBOOKS / f"{name}.ipynb").read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            tags = cell.get("metadata", {}).get("tags", [])
            if "vt-ohje" in tags and "lang:fi" in tags:
                first = "".join(cell["source"]).strip().splitlines()[0].strip("-*> :")
                instructions.append(" ".join(first.split()))
    assert len(instructions) >= 10
    assert [i for i in instructions if i and i in text] == []
    assert "Kertokaa lyhyesti" not in text and "Valitkaa:" not in text
    assert not re.search(r"Vastanneita \d+ / osallistujia", text)
    assert soup.select("p.vt-stat") == []


@pytest.mark.slow
@pytest.mark.xdist_group(VOILA_GROUP)
def test_free_texts_are_grouped_and_counted_with_the_full_list_in_the_appendix(soup, demo_store, tr):
    store, session = demo_store
    content = load_content()
    activity = content.activity("kuulumiset")
    entries = kinds.for_activity(activity).results_class(activity).load(store, session, activity, tr).entries()
    answers = [e["odotus"] for e in entries.values() if e.get("odotus")]
    grouped = grouped_texts(answers)
    assert len(answers) == 25 and len(grouped) < len(answers)  # the demo has repeats
    lists = soup.select("ul.vt-grouped")
    shown = next(ul for ul in lists if grouped[0][0] in _text(ul))
    assert len(shown.find_all("li")) == len(grouped)
    assert f"{grouped[0][0]} ×{grouped[0][1]}" in _text(shown)
    link = shown.find_next("a", string=re.compile("liitteessä"))
    appendix = soup.find(id=link["href"][1:])
    assert appendix is not None and appendix.find_parent(id="vt-appendix") is not None
    assert [_text(li) for li in appendix.find_all("li")] == [" ".join(a.split()) for a in answers]
    # the appendix is the report's last section
    assert soup.find_all("h1")[-1].get("id") == "vt-appendix-title"


# ------------------------------------------------------------------------------ pieces

def test_grouped_texts_counts_the_same_words_once():
    assert grouped_texts(["Uusia keinoja.", "uusia  keinoja", "Tutustua", "", "Uusia keinoja!"]) == [
        ("Uusia keinoja.", 3), ("Tutustua", 1)]


def test_headings_never_skip_a_level_and_the_appendix_goes_last(tr):
    body = ("<html><body><main><h1>A</h1><h2>B</h2><h4>C</h4><h5>D</h5><h2>E</h2>"
            "<section class='vt-appendix' id='x'><h3>F</h3><ol><li>1</li></ol></section><h3>G</h3></main></body></html>")
    soup = BeautifulSoup(tidy_report(body, tr), "html.parser")
    assert [(h.name, h.get_text()) for h in soup.find_all(re.compile("^h[1-6]$"))] == [
        ("h1", "A"), ("h2", "B"), ("h3", "C"), ("h4", "D"), ("h2", "E"), ("h3", "G"),
        ("h1", "Liite: vapaat vastaukset"), ("h2", "F")]
    assert soup.find(id="x").find_parent(id="vt-appendix") is not None


def test_tidy_report_writes_a_headings_letters_as_letters(tr):
    """nbconvert writes a markdown heading's letters outside ASCII as references (its anchor
    pass); the tidied page has them as text, and a reference to ``<`` or ``&`` stays one."""
    body = ("<html><body><main><h2 id='x'>Viritt&#228;ydyt&#xE4;&#228;np&#228; &#60;b&#62; &#38;"
            "<a class='anchor-link' href='#x'>&#182;</a></h2><p>&#228;</p></main></body></html>")
    tidy = tidy_report(body, tr)
    assert "<h2 id='x'>Virittäydytäänpä &#60;b&#62; &#38;<a class='anchor-link' href='#x'>¶</a></h2>" in tidy
    assert "<p>&#228;</p>" in tidy  # outside a heading the page is as nbconvert wrote it
    assert BeautifulSoup(tidy, "html.parser").h2.get_text() == "Virittäydytäänpä <b> &¶"


def test_the_exporter_leaves_its_second_parse_to_tidy_report(tr):
    """The report's exporter writes what nbconvert's writes, less the closing BeautifulSoup pass,
    whose one effect here (a placeholder alt on an image without one) tidy_report gives, in Finnish."""
    import nbformat
    from nbconvert import HTMLExporter

    from vertaiset_widgets.report_tidy import html_exporter

    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Otsikko\n\n<img src='kuva.png'>"),
        nbformat.v4.new_code_cell("", outputs=[nbformat.v4.new_output("display_data", data={"text/html": "<p>tulos</p>"})]),
    ])
    plain, _ = HTMLExporter(exclude_input=True).from_notebook_node(nb)
    ours, _ = html_exporter(exclude_input=True).from_notebook_node(nb)
    assert 'alt="No description has been provided for this image"' in plain and "alt=" not in ours
    assert "<p>tulos</p>" in ours and "Otsikko" in ours
    img = BeautifulSoup(tidy_report(ours, tr), "html.parser").find("img")
    assert img["alt"] == tr("rp_image_no_alt") == "Kuvalle ei ole kuvausta"
    # the exporter is nbconvert's again afterwards
    again, _ = HTMLExporter(exclude_input=True).from_notebook_node(nb)
    assert 'alt="No description has been provided for this image"' in again


def test_the_kernels_findings_are_taken_out_in_the_report_order():
    """The summary's lines and roster come from the report kernels' outputs (an activity's cell
    shows them beside its blocks); they are taken out of the notebooks, and the roster is the first
    counted in the report's order, whichever kernel ran it."""
    import nbformat

    from vertaiset_widgets.report_findings import FINDING_MIME
    from vertaiset_widgets.report_summary import kernel_findings

    def cell(activity, line, roster):
        finding = nbformat.v4.new_output("display_data", data={FINDING_MIME: {"activity": activity, "line": line, "roster": roster}})
        block = nbformat.v4.new_output("display_data", data={"text/html": f"<p>{activity}</p>"})
        return nbformat.v4.new_code_cell(outputs=[block, finding])

    first = nbformat.v4.new_notebook(cells=[cell("later", "Myöhempi", [["Sektori", [["kunta", 2]]]])])
    second = nbformat.v4.new_notebook(cells=[cell("sooner", None, []), cell("next", "Seuraava", [["Sektori", [["järjestö", 1]]]])])
    found, unspoken = kernel_findings([first, second], ["sooner", "next", "later", "unknown"])
    assert found.lines == {"sooner": None, "next": "Seuraava", "later": "Myöhempi"}
    assert found.roster == [("Sektori", [("järjestö", 1)])]
    assert unspoken == ["unknown"]
    outputs = [o for nb in (first, second) for c in nb.cells for o in c.outputs]
    assert [list(o.data) for o in outputs] == [["text/html"]] * 3


def test_two_kernels_share_the_workbooks_by_their_last_times():
    paths = [WORKBOOKS / f"{name}.ipynb" for name in PHASE_FILES]
    runs = groups(paths, 2)
    assert len(runs) == 2 and sorted(p for run in runs for p in run) == paths and all(run == sorted(run) for run in runs)
    assert groups(paths, 1) == [paths] and len(groups(paths[:1], 2)) == 1
    # before any times: by the kinds' weights, 04's radars and histories outweigh the others together
    assert sorted(runs, key=len) == [[paths[3]], paths[:3]]
    # 04 took as long as the three others: it runs alone
    times = {"01_tilannekuva.ipynb": 3.0, "02_tavoitteet.ipynb": 2.0, "03_koordinointi.ipynb": 2.0, "04_arviointi.ipynb": 7.0}
    assert sorted(groups(paths, 2, times), key=len) == [[paths[3]], paths[:3]]
    # what was measured wins over the weights: here 01 and 04 are the heavy ones
    times = {"01_tilannekuva.ipynb": 6.0, "02_tavoitteet.ipynb": 1.0, "03_koordinointi.ipynb": 1.0, "04_arviointi.ipynb": 6.0}
    assert sorted(groups(paths, 2, times)) == [[paths[0], paths[1]], [paths[2], paths[3]]] or \
        sorted(groups(paths, 2, times)) == [[paths[0], paths[2]], [paths[1], paths[3]]]


# ------------------------------------------------------------------------------ the console's button

@pytest.mark.slow
def test_the_console_makes_an_interim_report_of_the_answers_so_far(store, content):
    """On the facilitator's console, "Lataa raportti" makes the report of what has been answered so far
    and offers it as a download; while the workshop is open it says "Väliraportti" and when it was made."""
    from vertaiset_widgets.store import AnswerInput
    from vertaiset_widgets.workbook import Workbook

    session, key = store.create_session("Iltapäivän työpaja", lang="fi")
    store.set_activity_state(session.id, "kuulumiset", is_open=True)
    person = store.join(session.id, "token-maija-1", nickname="Maija")
    store.submit(person, "kuulumiset", [AnswerInput(item="nimi", value_text="Maija Meikäläinen"),
                                         AnswerInput(item="odotus", value_text="Selkeä yhteinen tavoite <b>heti</b>")],
                 submission_id="s1")
    wb = Workbook.open(session=session.code, role="facilitator", lang="fi", key=key, db_url=store.url,
                       notebook="01_tilannekuva.ipynb")
    wb.header()
    download = wb.report_download
    assert download.button.description == "Lataa raportti"
    download.button.click()
    assert download.button.disabled
    status = download.wait(240)
    assert not download.button.disabled
    link = BeautifulSoup(status, "html.parser").find("a", class_="vt-download")
    assert link is not None, status
    assert re.fullmatch(rf"vertaiset-{session.code}-\d{{4}}-\d\d-\d\d-fi-valiraportti-\d{{4}}\.html", link["download"])
    report = BeautifulSoup(base64.b64decode(link["href"].split(",", 1)[1]).decode("utf-8"), "html.parser")
    interim = report.select_one(".vt-interim")
    assert interim is not None and "Väliraportti" in _text(interim) and link["download"][-9:-5] in _text(interim).replace(".", "")
    assert "Väliraportti" in report.title.get_text()
    text = _text(report)
    assert "Selkeä yhteinen tavoite <b>heti</b>" in text  # the words as text
    assert "Maija" not in text

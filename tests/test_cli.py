"""The `vertaiset` command, run as a real subprocess."""
from __future__ import annotations

import csv
import json
import re
import socket
from pathlib import Path

import pytest
from conftest import VOILA_GROUP, vertaiset_cli

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = [["session", "new"], ["serve"], ["report"], ["export"], ["demo"], ["check"], ["init"], ["schema"], ["network", "list"], ["network", "show"]]


vertaiset = vertaiset_cli


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help(command):
    """`--help` on each command says what it does."""
    out = vertaiset(*command, "--help").stdout
    assert "usage: vertaiset" in out and len(out.splitlines()) > 3


def test_session_new_json(sqlite_url, tmp_path):
    """`session new --json` prints one JSON object with code, key and the three links, and writes the QR files."""
    out = vertaiset("session", "new", "--title", "Kevätpaja", "--json", "--qr-dir", str(tmp_path), env_db=sqlite_url).stdout
    record = json.loads(out)
    assert {"code", "facilitator_key", "participant_url", "facilitator_url", "screen_url"} <= set(record)
    assert f"session={record['code']}" in record["participant_url"]
    assert f"key={record['facilitator_key']}" in record["facilitator_url"]
    assert "role=screen" in record["screen_url"]
    assert f"/vertaiset/calendar/{record['code']}/" in record["calendar"]  # the read-only feed: no key in it
    assert record["facilitator_key"] not in record["calendar"] and "key=" not in record["calendar"]
    assert Path(record["qr_png"]).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "<svg" in Path(record["qr_svg"]).read_text()


def test_session_new_text_shows_terminal_qr(sqlite_url, tmp_path):
    """Without --json the links and a QR code drawn in the terminal are printed."""
    out = vertaiset("session", "new", "--qr-dir", str(tmp_path), env_db=sqlite_url).stdout
    assert "osallistu.ipynb?session=" in out and "█" in out


def test_demo_prints_its_code_and_honours_db_url(sqlite_url):
    """`demo` seeds the database named by VERTAISET_DB_URL (the day, the bank, the Puimala) and prints
    the code; run again, it adds nothing, and `--json` gives a facilitator key that the store accepts."""
    from vertaiset_widgets.store import SessionStore

    assert vertaiset("demo", env_db=sqlite_url).stdout.strip() == "DEMO"
    store = SessionStore(sqlite_url)
    session, puimala = store.get_session("DEMO"), store.get_session("PUIMALA")
    seeded = (len(store.participants(session.id)), len(store.practices()), len(store.participants(puimala.id)),
              len(store.feedback(puimala.id)), store.count_rows(puimala.id))
    assert seeded[:2] == (25, 12)
    record = json.loads(vertaiset("demo", "--json", env_db=sqlite_url).stdout)  # twice: no second copy
    assert record["code"] == "DEMO" and store.check_key(record["code"], record["facilitator_key"])
    assert (len(store.participants(session.id)), len(store.practices()), len(store.participants(puimala.id)),
            len(store.feedback(puimala.id)), store.count_rows(puimala.id)) == seeded


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_export_formats(cli_demo, tmp_path, fmt):
    """`export` writes every answer of the session in the chosen format."""
    sqlite_url = cli_demo  # seeded by `vertaiset demo`
    out = tmp_path / f"demo.{fmt}"
    printed = vertaiset("export", "DEMO", "--format", fmt, "--out", str(out), "--db-url", sqlite_url).stdout.strip()
    assert printed == str(out)
    if fmt == "csv":
        rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    elif fmt == "json":
        rows = json.loads(out.read_text())["answers"]
    else:
        from openpyxl import load_workbook

        sheet = load_workbook(out)["answers"]
        header, *values = list(sheet.values)
        rows = [dict(zip(header, v)) for v in values]
    from vertaiset_widgets.store import SessionStore

    store = SessionStore(sqlite_url)
    assert len(rows) == store.count_rows(store.get_session("DEMO").id)
    from vertaiset_widgets.content import load_content

    # the board and the day's plan are the facilitator's, kept as tables beside the answers; a round's
    # start, a history and a reading of the 360 draw what others answered; the Puimala's own
    # activities are answered in the demo Puimala (PUIMALA), not on the demo day
    answered = {a.id for a in load_content().activities.values()
                if a.id not in ("toimintatavat", "kokoussuunnitelma") and a.kind not in ("round_start", "history", "profile_reading")
                and not a.id.startswith("puimala_")}
    assert {r["activity"] for r in rows} == answered
    if fmt == "json":
        tables = json.loads(out.read_text())["session"]["tables"]
        board = tables["agreement_board"]["toimintatavat"]
        assert {"question": "k01", "status": "sovittu"}.items() <= board[0].items()
        plan = tables["meeting_planner"]["kokoussuunnitelma"]
        assert [(b["start"], b["title"]) for b in plan][5] == ("11.30", "Lounas") and len(plan) == 14
    if fmt == "xlsx":
        boards = list(load_workbook(out)["agreement_board"].values)
        assert boards[0] == ("activity", "question", "answer", "status", "owner", "mode")
        assert ("toimintatavat", "k01") == boards[1][:2] and boards[1][3] == "sovittu"


@pytest.mark.parametrize("fmt", ["graphml", "kumu", "gexf"])
def test_export_network_map(cli_demo, tmp_path, fmt):
    """`export --format graphml|kumu` writes the demo's network map; parsed back, it has its actors and ties;
    `--format gexf` the map of every round of the demo's network (Gephi's timeline)."""
    import networkx as nx

    sqlite_url = cli_demo  # seeded by `vertaiset demo`
    out = tmp_path / f"map.{fmt}"
    vertaiset("export", "DEMO", "--format", fmt, "--out", str(out), "--db-url", sqlite_url)
    if fmt == "graphml":
        graph = nx.read_graphml(out)
        labels = {d["label"] for _n, d in graph.nodes(data=True)}
        assert "Ohjaamo" in labels and "Ohjaamo-keskus" not in labels  # the duplicate was merged
        assert graph.number_of_nodes() == 18
        kinds = {d["type"] for *_e, d in graph.edges(data=True)}
        assert kinds == {"vahva", "heikko", "puuttuva"}
    elif fmt == "gexf":
        graph = nx.read_gexf(out)
        assert graph.graph["mode"] == "dynamic" and graph.number_of_nodes() >= 18
        starts = {d.get("start") for _n, d in graph.nodes(data=True)}
        assert {"2021-11-17", "2022-05-18", "2022-11-16"} <= starts  # actors from each of the three rounds
    else:
        data = json.loads(out.read_text(encoding="utf-8"))
        labels = {e["label"] for e in data["elements"]}
        assert len(labels) == 18 and "Ohjaamo" in labels
        assert all(c["from"] in labels and c["to"] in labels for c in data["connections"])


def test_export_calendar_and_contacts(cli_demo, tmp_path):
    """`export --format ics` writes the year clock and the day's plan in one calendar, with the same
    UIDs the next time; `--format vcf` writes the consented contacts as vCards for an address book."""
    import vobject
    from icalendar import Calendar

    def events(path) -> dict[str, str]:
        cal = Calendar.from_ical(path.read_text(encoding="utf-8"))
        return {str(e["uid"]): str(e["summary"]) for e in cal.walk("VEVENT")}

    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    for out in (first, second):
        assert str(out) in vertaiset("export", "DEMO", "--format", "ics", "--out", str(out), "--db-url", cli_demo).stdout
    got = events(first)
    assert got == events(second)  # importing again updates, never doubles
    summaries = set(got.values())
    assert "Verkostofoorumi (Puimala)" in summaries  # the year clock
    assert "Lounas" in summaries and "Palaute ja orientaatio jatkoon" in summaries  # the day's plan
    assert len(got) == 11 + 14

    out = tmp_path / "contacts.vcf"
    vertaiset("export", "DEMO", "--format", "vcf", "--out", str(out), "--db-url", cli_demo)
    cards = list(vobject.readComponents(out.read_text(encoding="utf-8")))
    assert sorted(c.fn.value for c in cards) == ["Aino Virtanen", "Eero Laine", "Helmi Nieminen", "Ilkka Mäkelä",
                                                  "Johanna Koskinen"]
    assert len({c.uid.value for c in cards}) == 5


def test_unknown_code_is_one_clear_line(sqlite_url, tmp_path):
    """An unknown session code is reported in one line, without a traceback."""
    proc = vertaiset("export", "NOSUCH", "--out", str(tmp_path / "x.csv"), env_db=sqlite_url, check=False)
    assert proc.returncode == 2
    assert "NOSUCH" in proc.stderr and "Traceback" not in proc.stderr


def test_serve_refuses_a_port_in_use(sqlite_url):
    """A busy port is said in one line: the server does not move to another port on its own,
    where the QR code, the links and the pool kernels would not find it."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = vertaiset("serve", "--port", str(port), "--room", "4", env_db=sqlite_url, check=False)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert f"port {port}" in proc.stderr and "--port" in proc.stderr and "Traceback" not in proc.stderr


def test_check_lists_activities():
    """`check` validates the templates and lists what it found."""
    out = vertaiset("check").stdout
    assert "arviointi_360" in out and "fi, sv, en" in out


def test_check_names_the_broken_file(tmp_path):
    """`check` on a broken template exits non-zero and names the file."""
    (tmp_path / "languages.yaml").write_text("languages: {fi: Suomi}\n", encoding="utf-8")
    (tmp_path / "ui.yaml").write_text("strings:\n  a: {sv: x}\n", encoding="utf-8")
    proc = vertaiset("check", "--templates", str(tmp_path), check=False)
    assert proc.returncode == 2
    assert "ui.yaml" in proc.stderr and "strings.a" in proc.stderr and "'fi'" in proc.stderr


@pytest.mark.slow
@pytest.mark.xdist_group(VOILA_GROUP)  # the report is made once, for test_report_browser.py too
def test_report_writes_offline_html(demo_report):
    """`report` runs the workbook with papermill and writes one HTML file with no outside reference
    (and, with --pdf, a PDF beside it)."""
    printed = demo_report.printed.splitlines()
    path = Path(printed[0])
    assert path.exists() and path.parent == demo_report.folder
    if demo_report.pdf:
        assert printed[1:] == [str(path.with_suffix(".pdf"))]
    else:
        assert printed[1:] == []
    html = path.read_text(encoding="utf-8")
    assert re.findall(r'(?:src|href)\s*=\s*["\']?https?://', html) == []
    assert html.count("data:image/svg+xml") >= 2 and "<table" in html
    assert "Yhdessä aikuisuuteen" in html and "16.11.2022" in html
    assert "<html lang=\"fi\"" in html
    # no code, no other language's method text
    assert "Workbook.open" not in html and "import " not in html
    assert "360-asteen tarkastelutapa" in html and "360-graders granskning" not in html
    # all four phase workbooks, in order, the session's header once, the shared check-in once
    assert (html.index("Verkostokartta") < html.index("Yhteisesti sovittavia toimintatapoja") < html.index("Moniaikaisuus")
            < html.index('Arviointi ja reflektio<a class="anchor-link"'))
    assert "Verkostofoorumi (Puimala)" in html and "Lounas" in html  # the year clock and the day's plan
    # a report is sent on: no contact details, no calendar feed address
    for private in ("040 123 4001", "aino.virtanen@example.org", "eero.laine@example.org", "/vertaiset/calendar/"):
        assert private not in html, private
    # the third round of the demo network: its history shows all three rounds, its phase 1 what round 2
    # promoted, which its phase 2 board carries as a row
    for label in ("Kierros 1 · 17.11.2021", "Kierros 2 · 18.5.2022", "Kierros 3 · 16.11.2022"):
        assert label in html, label
    assert html.count("Nimetään verkostolle koordinaattori ja varahenkilö") >= 2
    assert html.count('Virittäydytäänpä ensin<a class="anchor-link"') == 1
    assert html.count("vt-session-title") == 1


@pytest.mark.slow
def test_report_in_swedish_with_names_as_an_interim_report(cli_demo, tmp_path):
    """`report --lang sv` writes the Swedish report (of the workbooks asked for: every workbook's report
    role runs in Swedish in test_notebooks.py, and the Finnish report above runs them all); `--names`
    shows the contact list's names (never a phone or an e-mail); `--interim` says it is an interim
    report, with the time, also in the file's name. Without a terminal there is no progress bar, and
    the kernels' warnings are gone."""
    run = vertaiset("report", "DEMO", "--lang", "sv", "--workbooks", "02_tavoitteet.ipynb", "03_koordinointi.ipynb",
                    "--names", "--interim", "--out", str(tmp_path), env_db=cli_demo)
    printed = run.stdout.strip()
    assert re.fullmatch(r".*/vertaiset-DEMO-2022-11-16-sv-delrapport-\d{4}\.html", printed)
    html = Path(printed).read_text(encoding="utf-8")
    assert "Arbetssätt att komma överens om" in html and "<html lang=\"sv\"" in html
    assert "Yhteisesti sovittavia toimintatapoja" not in html and "Hur samordn" in html
    assert "Aino Virtanen" in html and "040 123 4001" not in html and "aino.virtanen@example.org" not in html
    assert "Delrapport" in html and f"kl. {printed[-9:-7]}.{printed[-7:-5]}" in html
    assert "without encryption" not in run.stderr and "KeyboardInterrupt" not in run.stderr and "Executing" not in run.stderr


def test_session_with_agenda_and_closing(sqlite_url, tmp_path):
    """`session new --agenda yee` stores the day's plan; `session close` and `open` change the session."""
    from vertaiset_widgets.store import SessionStore

    record = json.loads(vertaiset("session", "new", "--agenda", "yee", "--json", "--qr-dir", str(tmp_path), env_db=sqlite_url).stdout)
    store = SessionStore(sqlite_url)
    session = store.get_session(record["code"])
    from vertaiset_widgets.content import load_agenda

    plan = store.agenda(session.id)
    assert [(w, a, t) for w, a, t in plan] == [(i.workbook, i.activity, i.time) for i in load_agenda("yee").items]
    assert plan[0][:2] == ("01_tilannekuva.ipynb", "kuulumiset") and plan[-1][1] == "unelmaverkosto"
    assert vertaiset("session", "close", record["code"], env_db=sqlite_url).stdout.strip().endswith("closed")
    assert not store.get_session(record["code"]).is_open
    vertaiset("session", "open", record["code"], env_db=sqlite_url)
    assert store.get_session(record["code"]).is_open


def test_unknown_agenda_is_named(sqlite_url, tmp_path):
    """An agenda that does not exist is reported with its file, and no session is made."""
    proc = vertaiset("session", "new", "--agenda", "nosuch", "--qr-dir", str(tmp_path), env_db=sqlite_url, check=False)
    assert proc.returncode == 2 and "nosuch.yaml" in proc.stderr


def test_rounds_of_a_network(sqlite_url, tmp_path):
    """`session new --follows CODE` starts the next round of that session's network; `network list --json`
    prints the networks with their codes in round order and `network show` what each round follows."""
    from vertaiset_widgets.store import SessionStore

    def new(*args: str, check: bool = True):
        return vertaiset("session", "new", "--json", "--qr-dir", str(tmp_path), *args, env_db=sqlite_url, check=check)

    first = json.loads(new("--title", "Syksy", "--network", "Nuorten verkosto", "--date", "2024-10-01").stdout)
    new("--title", "Muu", "--network", "Toinen verkosto", "--date", "2024-11-01")
    second = json.loads(new("--title", "Kevät", "--follows", first["code"], "--date", "2025-04-01").stdout)
    assert second["network"] == "Nuorten verkosto"
    refused = new("--network", "Toinen verkosto", "--follows", first["code"], check=False)
    assert refused.returncode == 2 and "Nuorten verkosto" in refused.stderr and "Traceback" not in refused.stderr
    store = SessionStore(sqlite_url)
    store.promote_step(store.get_session(first["code"]).id, "askeleet", "h1", "Yhteinen tilannehuone")
    assert store.session_templates(store.get_session(second["code"]))["arviointi_360"]["kind"] == "rating_matrix"
    listed = json.loads(vertaiset("network", "list", "--json", env_db=sqlite_url).stdout)
    assert {"name": "Nuorten verkosto", "sessions": [first["code"], second["code"]]} in listed
    assert [n["name"] for n in listed] == ["Nuorten verkosto", "Toinen verkosto"]
    shown = json.loads(vertaiset("network", "show", second["code"], "--json", env_db=sqlite_url).stdout)
    assert [(r["round"], r["code"], r["follows"]) for r in shown["rounds"]] == [(1, first["code"], None), (2, second["code"], first["code"])]
    assert shown["rounds"][0]["promoted_steps"] == ["Yhteinen tilannehuone"]
    assert "Yhteinen tilannehuone" in vertaiset("network", "show", "Nuorten verkosto", env_db=sqlite_url).stdout
    unknown = vertaiset("network", "show", "Ei ole", env_db=sqlite_url, check=False)
    assert unknown.returncode == 2 and "Nuorten verkosto" in unknown.stderr

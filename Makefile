# Vertaiset workbooks — the two commands a newcomer needs:
#   make run    set up, seed the demo workshop, serve it on http://127.0.0.1:8866
#   make test   set up (Chromium too, where it can be installed) and run every test
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8866
PYTEST_ARGS ?=
# pytest-xdist's workers: one per core. The tests that drive Voila and Chromium share one worker
# (tests/conftest.py groups them); the others spread over every worker.
TEST_WORKERS ?= auto
PYTEST := $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup --durations=15

.PHONY: install run test test-fast chromium bench check clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@# rfc3987-syntax (an optional extra of jsonschema, pulled in by the Jupyter server) builds ~35
	@# Earley parsers when jsonschema is imported: 1.5 s in every kernel that imports Altair or
	@# nbformat. No schema here uses the "iri" formats it checks, and jsonschema skips them without it.
	$(BIN)/python -m pip uninstall --quiet --yes rfc3987-syntax
	touch $@

# Every kernel imports the package: its bytecode is written here once, so that a kernel reads it
# rather than compiling the sources again (where PYTHONDONTWRITEBYTECODE is set, nothing else
# writes it). Up to date, this takes a tenth of a second.
install: $(VENV)/.installed
	@$(BIN)/python -m compileall -q vertaiset_widgets > /dev/null

run: install
	$(BIN)/vertaiset check
	$(BIN)/vertaiset demo --links --base-url http://127.0.0.1:$(PORT)
	$(BIN)/vertaiset serve --port $(PORT)

# Debian's chromium for the browser tests (Playwright's own browser download is not used), and
# poppler-utils (pdftotext, pdftoppm) for reading the report's PDF back.
chromium:
	@tools/ensure-chromium.sh

# Unit, widget, notebook (in this process and with papermill) and browser tests, on every core,
# the 15 slowest named at the end; the PostgreSQL store tests run against a throwaway server on
# loopback where PostgreSQL is installed.
test: install chromium
	VERTAISET_HOME=$$(mktemp -d) tools/with-postgres.sh $(PYTEST) tests $(PYTEST_ARGS)

# Everything but the browser tests.
test-fast: install
	VERTAISET_HOME=$$(mktemp -d) $(PYTEST) -m "not browser" tests $(PYTEST_ARGS)

check: install
	$(BIN)/vertaiset check

bench: install chromium
	$(BIN)/python bench/bench_pages.py --runs 5 --out bench/RESULTS.md

clean:
	rm -rf $(VENV) .pytest_cache reports

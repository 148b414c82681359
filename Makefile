# arkiv — the two commands a fresh machine needs: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# apt waits up to 10 minutes for another apt or dpkg process instead of failing at once.
APT := $(SUDO) apt-get -o DPkg::Lock::Timeout=600 -qq

.PHONY: install run test test-fast lint bench corpus-report parse-eval evaluate lexicon screenshot system-deps clean

# The venv is rebuilt when the package metadata changes.
$(BIN)/arkiv: setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[postgres,test,bench]'
	touch $@

install: $(BIN)/arkiv

## make run: install, ingest the bundled minutes in data/, serve them at http://$(HOST):$(PORT)/
## The archive is arkiv's default home (ARKIV_HOME, else ~/.local/share/arkiv): the one
## every later `.venv/bin/arkiv` command uses too.  (--public: the bundled minutes are public;
## editors sign in, see README "Accounts")
run: install
	$(BIN)/arkiv ingest data/
	$(BIN)/arkiv serve --public --host $(HOST) --port $(PORT)

## Debian's Chromium drives the browser tests (Playwright cannot download its own browser here);
## Tesseract with its Danish model reads scanned PDFs (the OCR tests need it; `make run` does not);
## PostgreSQL 15: the tests start throwaway clusters of it for the second engine (benchmark.pgcluster).
system-deps:
	@test -x /usr/bin/chromium || { $(APT) update && $(APT) install -y chromium; }
	@tesseract --list-langs 2>/dev/null | grep -qx dan || \
		{ $(APT) update && $(APT) install -y tesseract-ocr tesseract-ocr-dan; }
	@test -x /usr/lib/postgresql/15/bin/initdb || { $(APT) update && $(APT) install -y postgresql-15; }

## make test: install everything, run `make lint`, then the whole suite, browser tests included,
## in one pytest process per core (pytest-xdist; TEST_JOBS=0 runs it in this process).
TEST_JOBS ?= auto
test: install lint system-deps
	$(BIN)/pytest -n $(TEST_JOBS)

## Everything but the browser and slow tests, for a quick loop while editing (two processes; under
## 90 s on two cores).  A test whose call takes over 3 s of CPU (tests/conftest.py) must be marked slow.
test-fast: install
	$(BIN)/pytest -m "not browser and not slow" -q -n 2

## Linter, type checks and the import contracts (ruff.toml; setup.cfg [mypy], [importlinter]:
## packages point downward, no import cycles; tests/test_layout.py: no module over 500 lines).
lint: install
	$(BIN)/ruff check arkiv archive index web benchmark tools tests
	$(BIN)/mypy
	$(BIN)/lint-imports --no-logo

## make bench: 10,000 fictional items on tantivy (BENCH_ARGS="--items 100000" for the big run;
## --engine postgres|both: PostgreSQL in a throwaway cluster of its own, beside tantivy).
bench: install
	$(BIN)/python -m benchmark.run $(BENCH_ARGS)

## Issue 8's figures over the real minutes in ../shared/realworld (dates, twins, bodies, lines kept, labels).
corpus-report: install
	$(BIN)/python -m benchmark.corpus_report

## make parse-eval: the parser scored on ../shared/realworld/labelled (real minutes of bodies it was not
## built on, each parsed as Referater/dokument.<ext>): a table per file and in total, JSON in benchmark/out.
parse-eval: install system-deps
	$(BIN)/python -m benchmark.parse_eval $(PARSE_EVAL_ARGS)

## Regenerate the README's screenshot, docs/screenshot-search.png (the browser test takes it).
screenshot: install system-deps
	ARKIV_SCREENSHOT=$(CURDIR)/docs/screenshot-search.png $(BIN)/pytest -q tests/test_browser.py -k screenshot

## Search quality: nDCG@10 and recall, Danish chain vs Snowball-only.
evaluate: install
	$(BIN)/arkiv evaluate

## Re-derive archive/lexicon/ from Debian's hunspell-da.
lexicon: install
	@test -f /usr/share/hunspell/da_DK.dic || { $(APT) update && $(APT) install -y hunspell-da; }
	$(BIN)/python tools/build_lexicon.py

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .mypy_cache .ruff_cache .import_linter_cache .hypothesis benchmark/out

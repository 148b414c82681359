# arkiv — the two commands a fresh machine needs: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
ARKIV_HOME ?= $(CURDIR)/.arkiv
HOST ?= 127.0.0.1
PORT ?= 5000
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: install run test test-fast lint bench corpus-report evaluate lexicon system-deps clean

# The venv is rebuilt when the package metadata changes.
$(BIN)/arkiv: setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test,bench]'
	touch $@

install: $(BIN)/arkiv

## make run: install, ingest the bundled minutes in data/, serve them at http://$(HOST):$(PORT)/
## (--public: the bundled minutes are public; editors sign in, see README "Accounts")
run: install
	$(BIN)/arkiv --home $(ARKIV_HOME) ingest data/
	$(BIN)/arkiv --home $(ARKIV_HOME) serve --public --host $(HOST) --port $(PORT)

## Debian's Chromium drives the browser tests (Playwright cannot download its own browser here);
## Tesseract with its Danish model reads scanned PDFs (the OCR tests need it; `make run` does not).
APT := $(SUDO) apt-get -o DPkg::Lock::Timeout=600
system-deps:
	@test -x /usr/bin/chromium || { $(APT) update -qq && $(APT) install -y -qq chromium; }
	@tesseract --list-langs 2>/dev/null | grep -qx dan || \
		{ $(APT) update -qq && $(APT) install -y -qq tesseract-ocr tesseract-ocr-dan; }

## make test: install everything and run the whole suite, browser tests included.
test: install system-deps
	$(BIN)/pytest

## Everything but the browser and slow tests, for a quick loop while editing.
test-fast: install
	$(BIN)/pytest -m "not browser and not slow" -q

## Linter and type checks (ruff.toml, setup.cfg [mypy]).
lint: install
	$(BIN)/ruff check archive index web benchmark tools tests
	$(BIN)/mypy

## make bench: 10,000 fictional items (BENCH_ARGS="--items 100000" for the big run).
bench: install
	$(BIN)/python -m benchmark.run $(BENCH_ARGS)

## Issue 8's figures over the real minutes in ../shared/realworld (dates, twins, bodies, lines kept, labels).
corpus-report: install
	$(BIN)/python -m benchmark.corpus_report

## Search quality: nDCG@10 and recall, Danish chain vs Snowball-only.
evaluate: install
	$(BIN)/arkiv evaluate

## Re-derive index/lexicon/ from Debian's hunspell-da.
lexicon: install
	@test -f /usr/share/hunspell/da_DK.dic || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq hunspell-da; }
	$(BIN)/python tools/build_lexicon.py

clean:
	rm -rf $(VENV) .arkiv *.egg-info .pytest_cache .hypothesis benchmark/out

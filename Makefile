# Two commands on a fresh machine with Python 3.11+ and make:
#   make run    install into .venv and serve the embedded seed graph on 127.0.0.1:8000
#   make test   install into .venv with the test tools (and chromium via apt-get), check the import
#               layers (lint-imports), lint (ruff), type-check (mypy), then run the whole suite
#   make bench SIZE=100k   the benchmark beside Oxigraph and bare Starlette (10k, 100k or 1M)
#   make reliability       the reliability suite at full size (fuzz, load, 20 kills; ~10 min)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint clean bench reliability browser

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

BENCH_STAMP := $(VENV)/.bench-installed
SIZE ?= 100k
BENCH_ARGS ?=

$(BENCH_STAMP): $(STAMP) bench/requirements.txt
	$(BIN)/pip install --quiet -r bench/requirements.txt
	touch $(BENCH_STAMP)

# Generates data/bench-$(SIZE) if needed; figures also go to data/bench-$(SIZE).json.
bench: $(BENCH_STAMP)
	$(BIN)/python bench/run.py --size $(SIZE) --json data/bench-$(SIZE).json $(BENCH_ARGS)

# `make test` runs tests/reliability at CI size; this runs it at full size (64 clients for
# 30 s, 20 kills, 42,000 fuzzed documents and queries ...) and writes the figures for docs/reliability.md.
RELIABILITY_REPORT ?= data/reliability-full.json
reliability: $(STAMP)
	mkdir -p $(dir $(RELIABILITY_REPORT))
	CHIPKG_RELIABILITY_FULL=1 CHIPKG_RELIABILITY_REPORT=$(RELIABILITY_REPORT) \
		$(BIN)/python -m pytest tests/reliability -p no:cacheprovider -q

run: $(STAMP)
	$(BIN)/chipkg serve

# The browser tests (tests/browser) drive Debian's chromium with chromium-driver, and the export
# tests cross-check Turtle with raptor's `rapper`. Installed here when missing and apt-get can
# (as root); otherwise those tests skip and say why.
browser:
	@if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 \
		&& command -v rapper >/dev/null 2>&1; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		echo "installing chromium, chromium-driver and raptor2-utils for the browser and export tests"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver raptor2-utils) \
			|| echo "could not install them: the browser and rapper tests will skip"; \
	else echo "chromium, chromedriver or rapper missing and apt-get unavailable (or not root): their tests will skip"; fi

test: $(STAMP) browser
	$(BIN)/lint-imports
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache .mypy_cache

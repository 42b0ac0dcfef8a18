# Two commands do everything on a fresh machine (Python 3.11, pip, make):
#   make reports   set up, ingest data/raw, build every HTML report into reports/
#   make test      set up, run every test (helpers, property tests, notebooks under nbval)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.DEFAULT_GOAL := help
.PHONY: help setup reports ingest test test-fast lint format bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

setup: $(STAMP) ## create .venv and install the helpers package with its tools

reports: $(STAMP) ## set up, ingest data/raw and build every report (reports/index.html)
	$(BIN)/python -m helpers reports

ingest: $(STAMP) ## parse data/raw into data/processed (Parquet); skips if nothing changed
	$(BIN)/python -m helpers ingest

test: $(STAMP) ## set up and run every test: helpers, docstring examples, notebooks (nbval)
	$(BIN)/python -m pytest tests src/helpers notebooks --doctest-modules --nbval-lax

test-fast: $(STAMP) ## helper tests and docstring examples (no notebooks)
	$(BIN)/python -m pytest tests src/helpers --doctest-modules

lint: $(STAMP) ## ruff lint and format check
	$(BIN)/ruff check src tests notebooks benchmarks
	$(BIN)/ruff format --check src tests benchmarks

format: $(STAMP) ## ruff format and fix imports
	$(BIN)/ruff check --fix --select I src tests notebooks benchmarks
	$(BIN)/ruff format src tests benchmarks

bench: $(STAMP) ## benchmark the counting engine against scikit-learn and nltk
	$(BIN)/python benchmarks/bench.py

clean: ## remove generated reports and processed tables (never data/raw)
	rm -rf reports/* data/processed/* && touch reports/.gitkeep data/processed/.gitkeep

# kindliness-sim: two-command quick start.
#   make run    venv (Python >= 3.12) + package with the viz extra, then `python run.py $(ARGS)`
#   make test   venv + all extras, Debian chromium, offline browser assets, then pytest
# Set-up is idempotent: a second run with an unchanged pyproject.toml skips pip.
# Variables: VENV=.venv  PYTHON=/path/to/python3.12  ARGS="..."  PYTEST_ARGS="..."  BENCH=speed

VENV        ?= .venv
PY          := $(VENV)/bin/python
RUN_EXTRAS  ?= viz
TEST_EXTRAS ?= viz,cluster,test,browser
ASSETS_DIR  ?= $(CURDIR)/.assets/solara-cdn
ARGS        ?=
PYTEST_ARGS ?=
BENCH       ?=

# Solara reads these when it starts: serve the browser code from the project's offline cache and
# send no telemetry. sim.app.assets uses KINDLINESS_ASSETS_DIR as its default folder.
export VENV PYTHON ASSETS_DIR
export KINDLINESS_ASSETS_DIR := $(ASSETS_DIR)
export SOLARA_ASSETS_PROXY_CACHE_DIR := $(ASSETS_DIR)
export SOLARA_TELEMETRY_MIXPANEL_ENABLE ?= false
export MPLBACKEND ?= Agg

.DEFAULT_GOAL := help
.PHONY: help setup setup-test run viz test assets chromium bench clean-assets

help:
	@echo "make run     set up .venv (Python >= 3.12, viz extra) and run: python run.py \$$ARGS"
	@echo "make viz     as run, plus offline browser assets, then: python run.py viz \$$ARGS"
	@echo "make test    set up everything (test extras, chromium, assets) and run pytest"
	@echo "make assets  fill the Solara asset cache ($(ASSETS_DIR)) from npm"
	@echo "make bench   run every bench/*.py (BENCH=speed for one; ARGS=\"--sizes 1000\")"

setup:
	@bash scripts/bootstrap.sh $(RUN_EXTRAS)

setup-test:
	@bash scripts/setup-test.sh $(TEST_EXTRAS)

run: setup
	@if [ -f run.py ]; then $(PY) run.py $(ARGS); \
	else echo "run.py is not there yet: the environment is ready ($(VENV))"; fi

viz: setup
	@$(PY) -m sim.app.assets
	@if [ -f run.py ]; then $(PY) run.py viz $(ARGS); \
	else echo "run.py is not there yet: the environment is ready ($(VENV))"; fi

test: setup-test
	@bash scripts/run-tests.sh $(PYTEST_ARGS)

assets: setup
	@$(PY) -m sim.app.assets

chromium:
	@bash scripts/ensure-chromium.sh

bench: setup
	@set -e; files="$(if $(BENCH),bench/$(BENCH).py,$(filter-out bench/_%,$(wildcard bench/*.py)))"; \
	if [ -z "$$files" ]; then echo "no benchmarks yet (bench/*.py)"; exit 0; fi; \
	for f in $$files; do echo "== $(PY) $$f $(ARGS)"; $(PY) $$f $(ARGS); done

clean-assets:
	rm -rf $(ASSETS_DIR)

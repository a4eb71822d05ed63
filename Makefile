# Quick start: `make demo` (set up + run the main job on the bundled samples), `make test` (set up + all tests).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The map page, built from web/ (npm packages only) into the package; not committed.
WEB_STAMP := src/frontwatch/web/static/index.html

.PHONY: setup demo test lint eval bench clean

setup: $(STAMP) $(WEB_STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c constraints.txt -e ".[dev]"
	touch $(STAMP)

$(WEB_STAMP): web/package.json web/package-lock.json web/build.mjs $(wildcard web/src/*)
	cd web && npm ci --no-audit --no-fund && npm run build

demo: setup
	$(BIN)/frontwatch demo --out out/demo

lint: setup
	$(BIN)/ruff check src tests bench

test: setup lint
	test -x /usr/bin/chromium || (apt-get update && apt-get install -y chromium)
	$(BIN)/python -m pytest -q -ra

clean:
	rm -rf $(VENV) out .pytest_cache build src/*.egg-info src/frontwatch/web/static web/node_modules

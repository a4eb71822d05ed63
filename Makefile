# Quick start: `make demo` (set up + run the main job on the bundled samples), `make test` (set up + all tests).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test lint eval bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c constraints.txt -e ".[dev]"
	touch $(STAMP)

demo: setup
	$(BIN)/frontwatch demo --out out/demo

lint: setup
	$(BIN)/ruff check src tests bench

test: setup lint
	$(BIN)/python -m pytest -q -ra

clean:
	rm -rf $(VENV) out .pytest_cache build src/*.egg-info

# Everyday tasks. `make run` and `make test` are all a newcomer needs.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Touched after a successful install, so the venv is refreshed only when pyproject.toml changes.
STAMP := $(VENV)/.installed

.PHONY: run test lint format $(VENV)

$(VENV): $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -e '.[dev]'
	touch $(STAMP)

run: $(VENV)
	$(BIN)/backit db upgrade
	$(BIN)/backit seed --if-empty
	$(BIN)/backit run

test: lint
	$(BIN)/pytest

lint: $(VENV)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(VENV)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Everyday tasks. `make run` and `make test` are all a newcomer needs.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Touched after a successful install, so the venv is refreshed only when pyproject.toml changes.
STAMP := $(VENV)/.installed

.PHONY: run test browser bench lint format i18n $(VENV)

$(VENV): $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -e '.[dev]'
	touch $(STAMP)

run: $(VENV)
	$(BIN)/backit db upgrade
	$(BIN)/backit seed --if-empty
	$(BIN)/backit run

# One worker per core (at most four), each with its own databases and sandbox; a file's tests
# stay together, so a module's browser and bot fixtures start once.
test: lint browser
	$(BIN)/pytest -n auto --maxprocesses 4 --dist loadfile

# tests/browser drives Debian's Chromium: installed here when missing and this machine can
# (root with apt-get); elsewhere those tests skip and say why.
browser:
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
	    && apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium; } \
	    || echo "Chromium is not installed and cannot be from here: tests/browser will skip"

# Not part of `make test`. PostgreSQL is measured too when a local server answers, as .ci/run
# tests it; BACKIT_TEST_DATABASE_URL, when already set, names the server instead.
bench: $(VENV)
	if [ -z "$$BACKIT_TEST_DATABASE_URL" ] && command -v pg_isready >/dev/null \
	    && pg_isready -q -h 127.0.0.1 -p 5432; then \
	    export BACKIT_TEST_DATABASE_URL=postgresql+asyncpg://postgres@127.0.0.1:5432/postgres; \
	fi; \
	$(BIN)/pytest tests/benchmarks -s -p no:cacheprovider

lint: $(VENV)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(VENV)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# After adding or changing user-facing text: refresh the catalog, translate the new entries in
# core/locales/fr/LC_MESSAGES/backit.po, then run this again to compile them.
i18n: $(VENV)
	$(BIN)/pybabel extract -k N_ -k ngettext:1,2 --no-location --sort-output \
	    --project=Backit --version=1 -o core/locales/backit.pot core adapters/web adapters/telegram \
	    adapters/discord
	$(BIN)/pybabel update -D backit -i core/locales/backit.pot -d core/locales --width 100 \
	    --no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel compile -D backit -d core/locales

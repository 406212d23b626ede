# Concord: two commands for a fresh machine with Python 3.11+ and make.
#   make up    install, migrate, load the SCO reference data and demo, serve on 127.0.0.1:8000
#   make test  lint, types, migrations check and the whole test suite (DATABASE_URL honoured)

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: up test install lint types migrations-check pytest serve worker clean messages

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

up: install
	$(BIN)/concord up

test: install lint types migrations-check pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: install
	$(BIN)/mypy

migrations-check: install
	$(BIN)/python manage.py makemigrations --check --dry-run

# PYTEST_ARGS: more pytest options (.ci/run adds a JUnit report, to check no browser test skipped).
pytest: install
	$(BIN)/pytest -rs $(PYTEST_ARGS)

serve: install
	$(BIN)/concord serve

worker: install
	$(BIN)/concord worker

# Refresh the Russian and Chinese catalogues after changing user-facing strings (needs
# GNU gettext); tests/test_i18n.py fails while any entry is untranslated.
messages: install
	$(BIN)/python manage.py makemessages -l ru -l zh_Hans --ignore '.venv*' --ignore 'var/*' --ignore 'benchmarks/*'
	$(BIN)/python manage.py compilemessages --ignore '.venv*'

clean:
	rm -rf var .mypy_cache .ruff_cache

# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
# Tests run on PostgreSQL (the production database); override DATABASE_URL to point elsewhere.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/portefolje

.PHONY: install run test lint bench worker

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Zero setup: SQLite, Celery tasks in-process, the seed project and demo users loaded.
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py runserver 127.0.0.1:8000

# The suite runs twice: today, then as if it were a day a year and a half ahead (tests/clock.py
# moves every test process's clock), so a test that reads the real clock where it should pin
# "today" fails now rather than when the calendar gets there.
LATER_DAY := $(shell date -d '+550 days' +%F)

test: install browser-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} $(PY) -m pytest
	@echo "The suite again on $(LATER_DAY):"
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} PORTEFOLJE_TEST_TODAY=$(LATER_DAY) \
		$(PY) -m pytest

# Browser tests need Debian's Chromium (installed when missing, as root) and axe-core from npm.
.PHONY: browser-deps
browser-deps:
	bash .ci/browser-deps

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

bench: install
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} $(PY) bench/eventstore.py
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} $(PY) bench/reports.py

worker: install
	$(VENV)/bin/celery -A portfolio worker --loglevel=info

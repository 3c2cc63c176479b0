# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# `make run` installs what running needs; `make test` (and lint, bench) add the dev extras.
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev
# Tests run on PostgreSQL (the production database); override DATABASE_URL to point elsewhere.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/portefolje

.PHONY: install install-dev run test lint bench worker

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip

$(RUN_STAMP): pyproject.toml | $(VENV)/bin/python
	$(VENV)/bin/pip install --quiet -e .
	touch $(RUN_STAMP)

$(DEV_STAMP): pyproject.toml | $(VENV)/bin/python
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	touch $(RUN_STAMP) $(DEV_STAMP)

install: $(RUN_STAMP)
install-dev: $(DEV_STAMP)

# Zero setup: SQLite, Celery tasks in-process, e-mails printed here, the seed project and demo
# users loaded. `make run PORT=8080` serves another port; a busy port stops it before anything.
run: install
	@$(PY) -c 'import socket; socket.socket().bind(("127.0.0.1", $(PORT)))' 2>/dev/null \
		|| { echo "Port $(PORT) is in use: choose another, e.g. make run PORT=8081"; exit 1; }
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	PORTEFOLJE_SITE_URL=http://127.0.0.1:$(PORT) $(PY) manage.py runserver 127.0.0.1:$(PORT)

# The suite runs twice: today, then as if it were a day a year and a half ahead (tests/clock.py
# moves every test process's clock), so a test that reads the real clock where it should pin
# "today" fails now rather than when the calendar gets there.
LATER_DAY := $(shell date -d '+550 days' +%F)

test: install-dev browser-deps
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

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

bench: install-dev
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} $(PY) bench/eventstore.py
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} $(PY) bench/reports.py

worker: install
	$(VENV)/bin/celery -A portfolio worker --loglevel=info

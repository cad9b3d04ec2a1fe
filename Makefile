# Two commands for a new machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed-stamp
export PORT

.PHONY: install run test qa lint format lock seed worker beat web chromium

install: $(STAMP)

$(STAMP): requirements.lock requirements-dev.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock -r requirements-dev.lock
	touch $(STAMP)

# Web, Celery worker and Celery beat on the embedded defaults (SQLite, filesystem broker).
run: export DEBUG ?= 1
run: export HTTPS ?= 0
# Links in emails and calendars point at the port the demo serves on, unless SITE_URL is set.
run: export SITE_URL ?= http://127.0.0.1:$(PORT)
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo ""
	@echo "  Starting Circle on http://127.0.0.1:$(PORT)/ ..."
	@echo ""
	$(BIN)/honcho -f Procfile.dev start

test: install chromium
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Browser tests drive Debian's Chromium (never a downloaded one). Best effort: installed when
# missing and we are root; otherwise they skip locally (and fail in CI, CIRCLE_REQUIRE_SERVICES=1).
CHROMIUM ?= /usr/bin/chromium
chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Chromium for the browser tests (apt-get install chromium)"; \
	    apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium \
	      || echo "Could not install Chromium: browser tests will be skipped"; \
	  else \
	    echo "No Chromium at $(CHROMIUM): browser tests will be skipped (apt-get install chromium)"; \
	  fi; \
	fi

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

qa: export DEBUG ?= 1
# Types, then the import contracts (apps layered one way, no cycles inside an app: pyproject.toml).
qa: lint
	$(BIN)/mypy .
	$(BIN)/lint-imports

# Re-pin dependencies after editing requirements*.in.
lock: install
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --strip-extras --allow-unsafe -o requirements.lock requirements.in
	$(BIN)/pip-compile --quiet --strip-extras --allow-unsafe -o requirements-dev.lock requirements-dev.in

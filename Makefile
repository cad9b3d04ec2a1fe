# Two commands for a new machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed-stamp
export PORT

.PHONY: install run test qa lint format lock seed worker beat web chromium bench wrk vnu
.PHONY: catalogues messages gettext

install: $(STAMP) catalogues

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
# Honcho gives each process its own PORT (web's is ours); the readiness check needs web's.
run: export WEB_PORT := $(PORT)
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo ""
	@echo "  Starting Circle on http://127.0.0.1:$(PORT)/ ..."
	@echo ""
	$(BIN)/honcho -f Procfile.dev start

test: install chromium vnu
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Translations (README, "Languages"): each app keeps its catalogue in <app>/locale/, the root
# templates theirs in templates/locale/. The compiled .mo files are build output (git-ignored),
# made here by every install, run and test; only catalogues changed since are compiled again.
LOCALE_DIRS := $(patsubst %/locale,%,$(wildcard */locale))
MESSAGE_LANGUAGES := fr es
catalogues: $(STAMP) gettext
	DEBUG=1 $(BIN)/python manage.py compilemessages --ignore=.venv --verbosity 0

# After marking strings: every catalogue gains the new ones (then translate them; the test
# tests/i18n/test_catalogues.py fails until each is translated and none is fuzzy). A new app
# joins with `mkdir <app>/locale` before this.
messages: install
	@for dir in $(LOCALE_DIRS); do \
	  echo "makemessages in $$dir/"; \
	  (cd $$dir && DEBUG=1 ../$(BIN)/python ../manage.py makemessages \
	    $(foreach lang,$(MESSAGE_LANGUAGES),-l $(lang)) --add-location file) || exit 1; \
	done

# GNU gettext (msgfmt, xgettext) compiles and extracts catalogues: installed when missing and
# we are root, like Chromium below.
gettext:
	@if ! command -v msgfmt >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing gettext for the translations (apt-get install gettext)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext; \
	  else \
	    echo "Translations need GNU gettext (apt-get install gettext)"; exit 1; \
	  fi; \
	fi

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

# Every top-level package but the tests and the benchmark harness (both run only on scratch
# databases and are exempt from ruff's S rules too); new apps are picked up without editing this.
BANDIT_PATHS := manage.py $(filter-out tests/ bench/,$(dir $(wildcard */__init__.py)))

qa: export DEBUG ?= 1
# Types, the import contracts (apps layered one way, no cycles inside an app: pyproject.toml),
# then bandit's security checks (configured in pyproject.toml).
qa: lint
	$(BIN)/mypy .
	$(BIN)/lint-imports
	$(BIN)/bandit -c pyproject.toml -r $(BANDIT_PATHS) -q

# Performance against the stack's own limits (bench/README.md): PostgreSQL on 127.0.0.1 (scratch
# circle_bench* databases), a private redis-server, gunicorn and Debian's wrk. QUICK=1: every
# part at a small size, under three minutes (CI runs it).
bench: install wrk
	$(BIN)/python bench/run.py $(if $(QUICK),--quick) $(BENCH_ARGS)

wrk:
	@if ! command -v wrk >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing wrk for the bench (apt-get install wrk)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; \
	  else \
	    echo "The bench needs wrk (apt-get install wrk)"; exit 1; \
	  fi; \
	fi

# Re-pin dependencies after editing requirements*.in.
lock: install
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --strip-extras --allow-unsafe -o requirements.lock requirements.in
	$(BIN)/pip-compile --quiet --strip-extras --allow-unsafe -o requirements-dev.lock requirements-dev.in

# The Nu HTML Checker for the browser tests: vnu.jar from the npm registry's vnu-jar package
# (npm checks its integrity), run on the machine's Java. Best effort, like Chromium.
VNU_VERSION := 26.9.27
VNU_JAR := var/vnu/vnu.jar
vnu: $(VNU_JAR)
$(VNU_JAR):
	@mkdir -p var/vnu
	@if command -v npm >/dev/null && command -v java >/dev/null; then \
	  cd var/vnu && npm pack --silent vnu-jar@$(VNU_VERSION) >/dev/null \
	  && tar xzf vnu-jar-$(VNU_VERSION).tgz package/build/dist/vnu.jar \
	  && mv package/build/dist/vnu.jar vnu.jar && rm -rf package vnu-jar-$(VNU_VERSION).tgz \
	  || echo "Could not fetch vnu.jar: the browser tests will skip its HTML check"; \
	else \
	  echo "No npm or java: the browser tests will skip the HTML check"; \
	fi

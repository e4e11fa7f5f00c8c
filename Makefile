# SAB Manager: the two set-up commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HAVE_NPM := $(shell command -v npm 2>/dev/null)

# Development defaults; real deployments set these in the environment instead.
export DEBUG ?= true

.PHONY: run test test-fast test-browser lint format assets bench migrate seed clean

$(VENV)/.installed: pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found %s)" % sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip==25.3
	$(PIP) install --quiet --constraint requirements.lock --editable ".[dev]"
	@touch $@

# Front-end tooling (GOV.UK Frontend sources, Sass, axe-core, vnu-jar) for `make assets` and the
# browser tests. Optional: the compiled assets are committed, so the app itself never needs Node.
node_modules/.installed: package.json package-lock.json
ifneq ($(HAVE_NPM),)
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@
else
	@echo "npm not found: skipping the front-end tools (browser tests will be skipped)."
endif

migrate: $(VENV)/.installed
	$(PY) manage.py migrate --no-input

seed: migrate
	$(PY) manage.py seed_demo

# The site and, beside it, the task worker that publishes documents (both stop with Ctrl+C).
run: seed
	$(PY) manage.py db_worker --queue-name default,pdf --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT; \
	$(PY) manage.py runserver 127.0.0.1:8000

test: $(VENV)/.installed node_modules/.installed
	$(PY) -m pytest

test-fast: $(VENV)/.installed
	$(PY) -m pytest -m "not browser"

test-browser: $(VENV)/.installed node_modules/.installed
	$(PY) -m pytest -m browser

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

assets: node_modules/.installed
	bash scripts/build-assets.sh

bench: $(VENV)/.installed
	$(PY) tests/bench/run.py

clean:
	rm -rf $(VENV) node_modules staticfiles

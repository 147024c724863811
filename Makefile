# Coproduce: `make run` serves the demo on http://127.0.0.1:5000; `make test` runs every test;
# `make test-fast` runs all but the browser tests. They install what they need first, and skip
# any step whose inputs have not changed. `make lint` runs ruff, djLint over the templates and
# mypy. docs/development.md is the guide for working on the code.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMPS := .make
HOST   ?= 127.0.0.1
PORT   ?= 5000
export FLASK_APP := app.py
#: pytest-xdist workers: one per core (each has its own SQLite file or PostgreSQL schema)
TEST_WORKERS ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: run test test-fast install install-dev assets migrate seed lint format bench outbox worker clean

run: install assets migrate seed
	@echo "Serving Coproduce on http://$(HOST):$(PORT) (Ctrl+C to stop)"
	$(BIN)/gunicorn --bind $(HOST):$(PORT) --workers 2 --access-logfile - --logger-class forum.web.access_log.RedactingLogger --graceful-timeout 5 app:app

# Tests run in parallel and in a random order (pytest-randomly prints its seed at the top; rerun
# that order with PYTEST_ARGS=--randomly-seed=N, or keep file order with PYTEST_ARGS=-p no:randomly).
# Python writes its compiled modules, and pytest its assertion-rewritten test modules, to
# __pycache__ even where the environment says not to (PYTHONDONTWRITEBYTECODE=1): otherwise
# every worker of every run compiles the project, its packages and 250 test modules again
# (about 7 of each worker's 9 s of collection).
test test-fast: export PYTHONDONTWRITEBYTECODE :=

test: install-dev assets
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist worksteal --durations=20 $(PYTEST_ARGS)

test-fast: install-dev assets
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist worksteal -m "not browser" --durations=10 $(PYTEST_ARGS)

install: $(STAMPS)/python
install-dev: $(STAMPS)/python-dev

$(STAMPS)/venv:
	@mkdir -p $(STAMPS)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	-$(BIN)/python -m pip install --quiet uv
	@touch $@

# The project's packages are installed with uv (from PyPI, installed into the venv above), which
# takes seconds where pip takes a minute; pip does it if uv cannot.
PIP_INSTALL = $(BIN)/python -m uv pip install --quiet --python $(BIN)/python $(1) \
	|| $(BIN)/python -m pip install --quiet $(1)

$(STAMPS)/python: pyproject.toml $(STAMPS)/venv
	$(call PIP_INSTALL,-e .)
	@touch $@

$(STAMPS)/python-dev: pyproject.toml $(STAMPS)/venv
	$(call PIP_INSTALL,-e '.[dev]')
	@touch $@ $(STAMPS)/python

$(STAMPS)/npm: package.json package-lock.json
	@mkdir -p $(STAMPS)
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

assets: static/dist/.built

static/dist/.built: $(STAMPS)/npm scripts/build-assets.mjs $(wildcard static/src/*)
	npm run --silent build
	@touch $@

migrate: install
	$(BIN)/flask db upgrade

seed: install
	$(BIN)/flask seed demo --if-empty

# The worker: delivers queued email (printed to the terminal in development) and runs the
# scheduled jobs (`flask jobs list`). `make outbox` is its old name.
worker: install
	$(BIN)/flask worker

outbox: worker

# ruff (lint and format), djLint over the templates (a linter only: it never rewrites them):
# the HTML ones, then the plain-text emails, whose blank lines are part of the email (so H014,
# "extra blank lines", is off for them); mypy over the models, services, queries, permissions
# and forum/web (pyproject.toml says which files and why).
lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint templates --lint
	$(BIN)/djlint templates --lint --extension txt --per-file-ignores '\.txt$$' H014
	$(BIN)/mypy

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install-dev assets
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) $(STAMPS) node_modules static/dist

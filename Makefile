# Sinergi: the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test bench install install-dev translations messages migrate seed lint format clean sysdeps

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[postgres,redis]'
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed translations

install-dev: $(VENV)/.installed-dev translations

translations: $(VENV)/.installed
	$(BIN)/pybabel compile -d collab/translations -f >/dev/null

## make messages: after adding or changing UI text, bring the id and en catalogues in step
## and list the English entries still to translate (in collab/translations/en/…/messages.po)
messages: $(VENV)/.installed
	$(FLASK) translations update

migrate: install
	$(FLASK) db upgrade

seed: migrate
	$(FLASK) seed-demo --if-empty

## make run: install, migrate, seed demo data when the database is empty, serve on :5000
run: seed
	BASE_URL=$${BASE_URL:-http://localhost:$(PORT)} $(FLASK) run --host $(HOST) --port $(PORT)

## make sysdeps: the system libraries WeasyPrint needs for PDFs (Pango, DejaVu/Liberation
## fonts), installed with apt when missing; `make test` runs it first
sysdeps:
	@.ci/install-pdf-deps

## make test: install with the dev extras, then run every test (on PostgreSQL instead of
## SQLite when TEST_DATABASE_URL is set)
test: install-dev sysdeps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## make bench: seed 100,000 needs (and the rest, BENCHMARKS.md), serve with gunicorn on SQLite
## then PostgreSQL, load each key page; `make bench QUICK=1` is a tenth of the data (< 3 min).
## PostgreSQL from BENCH_PG_URL (default postgres@127.0.0.1:5432; database sinergi_bench).
bench: install-dev
	$(BIN)/python -m collab.bench $(if $(QUICK),--quick) $(BENCH_ARGS)

lint: install-dev
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format . && $(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) *.egg-info

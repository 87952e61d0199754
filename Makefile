# Two commands for a newcomer: `make run` (console with demo data) and `make test` (whole suite).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_ADMIN_URL ?= postgresql://postgres@127.0.0.1:5432/postgres
PG_TEST_DB ?= console_test
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/$(PG_TEST_DB)
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: install system-deps run db demo test rules-coverage test-sqlite test-postgres services translations extract-messages lint format bench clean

install: $(VENV)/.installed translations

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[test]"
	touch $@

translations: $(VENV)/.installed
	$(BIN)/pybabel -q compile -d translations

extract-messages: $(VENV)/.installed
	$(BIN)/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext -k ngettext:1,2 -o translations/messages.pot .
	$(BIN)/pybabel -q update -N --ignore-obsolete -i translations/messages.pot -d translations

db: install
	mkdir -p instance
	$(BIN)/flask db upgrade
	$(BIN)/flask roles sync

demo: db
	$(BIN)/flask demo load

run: demo
	$(BIN)/flask run --host $(HOST) --port $(PORT)

# LibreOffice renders the workbooks and the Word form to PDF in tests (page counts), with Liberation Serif standing in
# for Times New Roman (the same metrics); Debian's Chromium runs the browser journeys (Playwright cannot download a
# browser here). All are installed with apt when missing.
system-deps:
	@( command -v soffice >/dev/null 2>&1 && test -x /usr/bin/chromium && test -d /usr/lib/libreoffice/program \
		&& ls /usr/lib/libreoffice/program/libswlo.so >/dev/null 2>&1 && fc-list | grep -q "Liberation Serif" ) || \
		( command -v apt-get >/dev/null 2>&1 && apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui \
		libreoffice-writer-nogui fonts-liberation2 poppler-utils chromium >/dev/null ) || \
		echo "could not install LibreOffice/Chromium"

services:
	@pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	@redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
	@for i in $$(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done

test: install system-deps services lint rules-coverage test-sqlite test-postgres

# The rules engine is the heart of the order's dates and states: its own tests must cover it.
rules-coverage: install
	$(BIN)/python -m coverage run --data-file=.coverage.rules -m pytest -q -p no:cacheprovider tests/domain/test_rules.py
	$(BIN)/python -m coverage report --data-file=.coverage.rules --include=app/domain/rules.py --fail-under=100 -m

test-sqlite: install
	$(BIN)/python -m pytest

test-postgres: install services
	psql -q "$(PG_ADMIN_URL)" -c "DROP DATABASE IF EXISTS $(PG_TEST_DB)" -c "CREATE DATABASE $(PG_TEST_DB)"
	TEST_DATABASE_URL="$(PG_TEST_URL)" $(BIN)/python -m pytest -m "not one_pass"
	psql -q "$(PG_ADMIN_URL)" -c "DROP DATABASE IF EXISTS $(PG_TEST_DB)"

# The console at regional scale: the pages and jobs at 100,000 citizens and 1,000,000 measures on SQLite and on
# PostgreSQL, the pages again at three times that on PostgreSQL, the load benchmark (gunicorn with 4 workers, Locust's
# simulated users at 10, 25 and 50) on a copy of the PostgreSQL data set, then every table for the README. The data
# sets are built once (instance/bench.db, databases $(PG_BENCH_DB) and $(PG_BENCH_DB)_x3) and reused. Figures and
# query plans: instance/bench-*.json.
PG_BENCH_DB ?= console_bench
PG_BENCH_URL ?= postgresql://postgres@127.0.0.1:5432
BENCH_PORT ?= 8089
bench: install services $(VENV)/.bench
	$(BIN)/python bench.py
	@for db in $(PG_BENCH_DB) $(PG_BENCH_DB)_x3; do \
		psql -q "$(PG_ADMIN_URL)" -tc "SELECT 1 FROM pg_database WHERE datname = '$$db'" | grep -q 1 || \
		psql -q "$(PG_ADMIN_URL)" -c "CREATE DATABASE $$db"; done
	DATABASE_URL="$(PG_BENCH_URL)/$(PG_BENCH_DB)" $(BIN)/python bench.py
	BENCH_SCALE=3 DATABASE_URL="$(PG_BENCH_URL)/$(PG_BENCH_DB)_x3" $(BIN)/python bench.py --pages-only
	BENCH_PORT=$(BENCH_PORT) DATABASE_URL="$(PG_BENCH_URL)/$(PG_BENCH_DB)" $(BIN)/python bench.py --load
	$(BIN)/python bench.py --compare

# the load benchmark's simulated users (Locust): the optional dependencies of the benchmark
$(VENV)/.bench: $(VENV)/.installed
	$(BIN)/python -m pip install -q -e ".[test,bench]"
	touch $@

# ruff, and the layering of app/ written down in .importlinter (features over the FAB glue over security over the
# platform over the models over the pure domain; features meet only at each other's front door; no import circles)
lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) instance .pytest_cache

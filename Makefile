# qa-audit: `make run` serves the demo; `make test` installs what the tests need and runs them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
VENDOR := qa_audit/static/vendor/govuk
GOVUK := node_modules/govuk-frontend/dist/govuk

.PHONY: run install install-test assets migrate demo test test-sqlite test-postgres lint format system-packages bench clean soak

run: install ## serve the app with demo data on http://127.0.0.1:5000
	$(BIN)/qa-audit demo load --if-empty
	@echo "qa-audit is serving on http://$(HOST):$(PORT)/ (Ctrl+C to stop)"
	$(BIN)/qa-audit run --host $(HOST) --port $(PORT)

install: $(VENV)/.installed assets migrate ## venv, packages, assets, database (idempotent)

$(VENV)/.installed: pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

install-test: $(VENV)/.installed-test assets

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

assets: node_modules/.package-lock.json qa_audit/static/app.css $(VENDOR)/govuk-frontend.min.js

qa_audit/static/app.css: assets/scss/app.scss node_modules/.package-lock.json
	npx sass --pkg-importer=node --style=compressed --no-source-map --quiet-deps $< $@

$(VENDOR)/govuk-frontend.min.js: node_modules/.package-lock.json
	mkdir -p $(VENDOR)
	cp $(GOVUK)/govuk-frontend.min.js $(VENDOR)/
	rm -rf $(VENDOR)/assets && cp -r $(GOVUK)/assets $(VENDOR)/assets
	cp node_modules/axe-core/axe.min.js $(VENDOR)/../axe.min.js

migrate: $(VENV)/.installed
	$(BIN)/qa-audit db upgrade

system-packages: ## PostgreSQL and Chromium from Debian, where missing
	scripts/ensure-system-packages.sh

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

format: $(VENV)/.installed-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: system-packages install-test lint ## the whole suite on SQLite and on PostgreSQL, then the soak tests
	scripts/with-postgres.sh scripts/run-tests.sh

soak: system-packages install-test ## load and kill -9 faults against a real server, both databases
	scripts/with-postgres.sh scripts/run-soak.sh $(ARGS)

test-sqlite: install-test
	QA_AUDIT_TEST_DATABASE_URL=sqlite:// $(BIN)/pytest $(ARGS)

bench: install-test ## the benchmark on SQLite and PostgreSQL (ARGS="--quick" for a fast check)
	QA_AUDIT_PG_KEEP=bench/data/postgres scripts/with-postgres.sh $(BIN)/python -m bench $(ARGS)

clean:
	rm -rf $(VENV) node_modules qa_audit/static/app.css $(VENDOR) qa_audit/static/vendor

# qa-audit: `make run` serves the demo; `make test` installs what the tests need and runs them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
VENDOR := qa_audit/static/vendor/govuk
GOVUK := node_modules/govuk-frontend/dist/govuk

.PHONY: run install install-test assets migrate demo test test-sqlite test-postgres lint format system-packages bench clean soak lock dist

run: $(VENV)/.installed ## serve the app with demo data on http://127.0.0.1:5000
	@# Before anything touches a database: the demo is never served on production settings.
	$(BIN)/qa-audit config check --development-only --quiet
	$(MAKE) --no-print-directory install
	$(BIN)/qa-audit demo load --if-empty
	@echo "qa-audit is serving on http://$(HOST):$(PORT)/ (Ctrl+C to stop)"
	$(BIN)/qa-audit run --host $(HOST) --port $(PORT)

install: $(VENV)/.installed assets migrate ## venv, packages, assets, database (idempotent)

# Every package, down to the last transitive one, comes from the lock files at the version and
# sha256 they name (pip refuses anything else); the project itself is installed apart, since an
# editable path has no hash. Change a dependency in pyproject.toml, then run `make lock`.
$(VENV)/.installed: pyproject.toml requirements/production.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r requirements/production.txt
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml requirements/test.txt
	$(BIN)/pip install --quiet --require-hashes -r requirements/test.txt
	touch $@

install-test: $(VENV)/.installed-test assets

# pip-compile from pyproject.toml, the test set first; production is constrained to the same
# versions. ARGS="--upgrade" (or "--upgrade-package NAME") moves pins on; without it they stay.
LOCK_OPTIONS := --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links
lock: $(VENV)/.installed-test ## regenerate requirements/*.txt, every package pinned with its hashes
	$(BIN)/pip-compile $(LOCK_OPTIONS) $(ARGS) --extra test --build-deps-for editable --output-file requirements/test.txt pyproject.toml
	$(BIN)/pip-compile $(LOCK_OPTIONS) $(ARGS) --build-deps-for editable --constraint requirements/test.txt --output-file requirements/production.txt pyproject.toml

# The release: a wheel (and sdist) in dist/ carrying the compiled GOV.UK assets, templates,
# migrations and seed data, so that a server installs it with pip alone, without npm.
dist: install-test ## build the wheel and sdist of this version into dist/, with the wheel's lock file
	rm -rf dist build
	$(BIN)/python -m build --no-isolation --outdir dist .
	@# The lock travels with the wheel: deploy/upgrade.sh installs the dependencies from it.
	for wheel in dist/*.whl; do cp requirements/production.txt "$${wheel%%-py3-none-any.whl}-requirements.txt"; done
	@ls -l dist

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

system-packages: ## PostgreSQL, Chromium and the PDF engine's Pango from Debian, where missing
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

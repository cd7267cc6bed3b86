# VssID PWA — `make` lists the targets. Everything is set up on demand.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app webapp
HOST ?= 127.0.0.1
PORT ?= 5000
PERSONS ?= 20000
TEST_PROCESSES ?= auto
SCALE ?= 1000000

.DEFAULT_GOAL := help

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(BIN)/activate: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(BIN)/activate

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --silent

webapp/static/vendor/.stamp: node_modules/.package-lock.json Makefile
	mkdir -p webapp/static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js webapp/static/vendor/htmx.min.js
	mkdir -p webapp/static/vendor/leaflet
	cp -R node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css \
		node_modules/leaflet/dist/images webapp/static/vendor/leaflet/
	mkdir -p webapp/static/vendor/fonts
	cp node_modules/dejavu-fonts-ttf/ttf/DejaVuSans.ttf node_modules/dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf \
		node_modules/dejavu-fonts-ttf/LICENSE webapp/static/vendor/fonts/
	touch $@

venv: $(BIN)/activate ## Create the virtualenv and install the Python dependencies

vendor: webapp/static/vendor/.stamp ## Install npm dependencies and copy them into webapp/static/vendor/

translations: venv ## Compile the message catalogues (.po → .mo)
	$(BIN)/pybabel compile -d translations --statistics

extract: venv ## Extract msgids and update the catalogues
	$(BIN)/pybabel extract --no-location -F babel.cfg -k _l -k lazy_gettext -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete

setup: venv vendor translations ## Everything `run` and `test` need

run: setup ## Load the content files, serve the demo on HOST:PORT with the Procfile's workers and clock (DEMO_MODE=1, SQLite)
	DEMO_MODE=1 $(FLASK) db upgrade
	DEMO_MODE=1 $(FLASK) demo-data --if-empty
	DEMO_MODE=1 $(FLASK) content load
	DEMO_MODE=1 $(FLASK) demo-logins
	@echo "Serving http://$(HOST):$(PORT)/ with the outbox, notification worker and clock (Ctrl-C stops them all)"
	@echo "Passkeys (sign-in with fingerprint or face) work at http://localhost:$(PORT)/"
	DEMO_MODE=1 HOST=$(HOST) WEB_CONCURRENCY=2 WEBAUTHN_ORIGINS=http://localhost:$(PORT) \
		PATH="$(abspath $(BIN)):$$PATH" \
		$(BIN)/honcho start --port $(PORT) web outbox worker clock

test: setup ## Run the whole suite in TEST_PROCESSES processes (browser tests when Chromium is installed)
	$(BIN)/pytest -n $(TEST_PROCESSES) --dist loadgroup

lint: venv ## ruff, the import contracts (pyproject.toml), msgfmt -c on the catalogues (Debian's gettext)
	$(BIN)/ruff check webapp tests bench
	$(BIN)/ruff format --check webapp tests bench
	$(BIN)/lint-imports
	@command -v msgfmt >/dev/null || { echo "msgfmt not found: install gettext"; exit 1; }
	for po in translations/*/LC_MESSAGES/messages.po; do msgfmt -c -o /dev/null $$po || exit 1; done

settings-doc: venv ## Write the README's configuration table from SETTINGS in webapp/config.py
	$(FLASK) settings-doc --write

bench: setup ## Benchmark card, medical book, login, officer queue (100,000 dossiers) vs a static file
	$(BIN)/python bench/run.py --persons $(PERSONS)

bench-scale: setup ## The bench at PERSONS, then replicated to SCALE persons, side by side (BENCH_DATABASE_URL: an empty PostgreSQL database)
	@test -n "$(BENCH_DATABASE_URL)" || { echo "set BENCH_DATABASE_URL=postgresql://… (an empty database)"; exit 1; }
	$(BIN)/python bench/run.py --persons $(PERSONS) --scale $(SCALE) --explain --database-url $(BENCH_DATABASE_URL)

clean: ## Remove the virtualenv, vendor files and compiled catalogues
	rm -rf $(VENV) node_modules webapp/static/vendor translations/*/LC_MESSAGES/*.mo

.PHONY: help venv vendor translations extract setup run test lint settings-doc bench bench-scale clean

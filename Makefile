# One entry point for people and CI. Only Python 3.11+ and make are needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install web run sandbox test lint typecheck pytest faketime bench schema clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,otel]"
	touch $(STAMP)

# Browser assets (GraphiQL, the reference app) and the browser tests' driver, pinned and
# integrity-checked by web/package-lock.json; skipped with a note when npm is missing (the
# gateway then serves a page saying to run `make web`).
WEB_STAMP := web/node_modules/.package-lock.json
$(WEB_STAMP): web/package-lock.json
	@if command -v npm >/dev/null; then \
		cd web && npm ci --no-audit --no-fund --loglevel=error && touch node_modules/.package-lock.json; \
	else echo "npm not found: GraphiQL and the reference app need 'make web' once Node.js is installed"; fi

# The reference app (web/app/ -> web/dist/app/, served at /app/), rebuilt when its sources change.
WEB_APP := web/dist/app/index.html
$(WEB_APP): $(WEB_STAMP) web/build.mjs $(wildcard web/app/*)
	@if [ -d web/node_modules/esbuild ]; then node web/build.mjs; \
	else echo "web/node_modules missing: the reference app needs 'make web' once npm is installed"; fi

web: $(WEB_STAMP) $(WEB_APP)

install: $(STAMP) web

run: install
	$(BIN)/python -m gateway

sandbox: install
	$(BIN)/python -m gateway sandbox --port 8081

lint: install
	$(BIN)/ruff check gateway tests bench
	$(BIN)/ruff format --check gateway tests bench

typecheck: install
	$(BIN)/mypy gateway

pytest: install
	$(BIN)/python -m pytest -q

# The suite again under libfaketime at two instants (.ci/faketime; any instant: see README).
faketime: install
	.ci/faketime

test: lint typecheck pytest faketime

bench: install
	$(BIN)/python -m bench

schema: install
	$(BIN)/python -m gateway export-schema

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

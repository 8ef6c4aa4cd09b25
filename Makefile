# One entry point for people and CI. Only Python 3.11+ and make are needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run sandbox test lint typecheck pytest faketime bench schema clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,otel]"
	touch $(STAMP)

install: $(STAMP)

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

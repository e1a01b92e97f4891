# Each target sets up .venv itself, so a fresh clone needs only `make serve` or `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup serve build test lint bench bench-full clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The browser tests load axe-core from node_modules (pinned in package-lock.json).
NODE_STAMP := node_modules/.package-lock.json

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

setup: $(STAMP)

serve: $(STAMP)
	$(BIN)/site-builder serve

build: $(STAMP)
	$(BIN)/site-builder build

test: $(STAMP) $(NODE_STAMP)
	$(BIN)/ruff check site_builder tests benchmarks
	$(BIN)/ruff format --check site_builder tests benchmarks
	$(BIN)/mypy
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check site_builder tests benchmarks
	$(BIN)/ruff format --check site_builder tests benchmarks
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run

bench-full: $(STAMP)
	$(BIN)/python -m benchmarks.run --full

clean:
	rm -rf $(VENV) public .mypy_cache .ruff_cache .pytest_cache

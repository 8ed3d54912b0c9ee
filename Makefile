# Everything bootstraps from nothing: `make demo` and `make test` on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CHECKOV_VENV := .venv-checkov
RUNTIME_STAMP := $(VENV)/.installed-runtime
STAMP := $(VENV)/.installed
CHECKOV_STAMP := $(CHECKOV_VENV)/.installed
EXAMPLE_DIRS := $(patsubst %/blueprint.yaml,%,$(wildcard examples/*/blueprint.yaml))

.PHONY: demo test test-thorough lint typecheck unit render golden rules-doc support-doc clean bench

# `make demo` needs only what the tool runs on; `make test` adds the test extra (validators,
# linters, type checker) to the same environment.
$(RUNTIME_STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(STAMP): $(RUNTIME_STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# checkov pins networkx<2.7, so it lives in its own environment and is called as a program.
$(CHECKOV_STAMP):
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(CHECKOV_VENV)/bin/python -m pip install --quiet 'checkov>=3.2,<4'
	touch $@

demo: $(RUNTIME_STAMP)
	@for d in $(EXAMPLE_DIRS); do \
		$(BIN)/blueprint validate $$d/blueprint.yaml || exit $$?; \
	done
	@for d in $(EXAMPLE_DIRS); do \
		ex=$$(basename $$d); \
		$(BIN)/blueprint render $$d/blueprint.yaml --out out/$$ex; rc=$$?; \
		if [ $$rc -ne 0 ] && [ $$rc -ne 1 ]; then exit $$rc; fi; \
	done
	@echo "Rendered the examples into $(CURDIR)/out/<example>/ (see out/*/.blueprint-manifest.json)"
	@echo "The checks on the latency chain (blueprint check examples/latency-chain/blueprint.yaml):"
	@$(BIN)/blueprint check examples/latency-chain/blueprint.yaml || true

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check blueprint generators policies tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

# --durations=10: the slowest ten tests, printed at the end of every run. worksteal: a worker
# that runs out of tests takes half of the other's queue (tests/conftest.py puts the tests
# that start real tools first), so neither core idles at the end.
PYTEST_OPTIONS := -n 2 --dist worksteal --durations=10

unit: $(STAMP) $(CHECKOV_STAMP)
	CHECKOV_BIN=$(CURDIR)/$(CHECKOV_VENV)/bin/checkov $(BIN)/python -m pytest $(PYTEST_OPTIONS)

test: lint typecheck unit

# Every hypothesis property on all its examples (tests/conftest.py: the `thorough` profile).
test-thorough: $(STAMP) $(CHECKOV_STAMP)
	BLUEPRINT_HYPOTHESIS=thorough CHECKOV_BIN=$(CURDIR)/$(CHECKOV_VENV)/bin/checkov \
		$(BIN)/python -m pytest $(PYTEST_OPTIONS)

# Regenerate golden files and the committed out/ (review the git diff afterwards).
golden: $(STAMP)
	BLUEPRINT_UPDATE_GOLDEN=1 $(BIN)/python -m pytest -q -p no:randomly tests -k golden
	$(MAKE) render

render: $(RUNTIME_STAMP)
	@for d in $(EXAMPLE_DIRS); do \
		ex=$$(basename $$d); \
		$(BIN)/blueprint render $$d/blueprint.yaml --out out/$$ex || true; \
	done

rules-doc: $(STAMP)
	$(BIN)/python -m policies.docs > docs/rules.md

support-doc: $(STAMP)
	$(BIN)/python -m blueprint.support.docs > docs/support.md

# Check and render scaling, then many blueprints at once: one table (benchmarks/table.py).
bench: $(STAMP)
	$(BIN)/python benchmarks/table.py

clean:
	rm -rf $(VENV) $(CHECKOV_VENV) .mypy_cache .ruff_cache .pytest_cache

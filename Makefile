# The targets CI runs (.ci/run calls `make ci`).
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: install lint test ci demo bench

install:
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e '.[test]'

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: lint
	$(PY) -m pytest -q

demo:
	$(VENV)/bin/zwgk demo

ci: install test

# Benchmarks (not part of CI; they print tables, see bench/README.md). Needs redis-server.
bench:
	$(PY) -m bench.crawl_throughput --repeat 3
	$(PY) -m bench.incremental
	$(PY) -m bench.scale checks
	$(PY) -m bench.scale reports
	$(PY) -m bench.distributed
	$(PY) -m bench.page_bomb
	$(PY) -m bench.evidence --repeat 3

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

# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@# byte-compile now: the server starts faster even where PYTHONDONTWRITEBYTECODE is set
	$(BIN)/python -m compileall -q server
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	@# exit status 1 means findings, which is the point of the demo
	$(BIN)/mlreview check examples/ || test $$? -eq 1
	@echo
	$(BIN)/mlreview report examples/

test: $(STAMP)
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	$(BIN)/python bench/run.py
	$(BIN)/python bench/project_facts.py

clean:
	rm -rf $(VENV) build *.egg-info

# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench ecosystem fuzz install clean

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
	$(BIN)/mlreview check --config examples/mlreview.toml examples/ || test $$? -eq 1
	@echo
	$(BIN)/mlreview report examples/
	@echo
	$(BIN)/mlreview report examples/fraud_service

test: $(STAMP)
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	$(BIN)/python bench/run.py
	$(BIN)/python bench/project_facts.py

# Precision gate over public ML repositories; without the restored corpus it says how to
# restore it and exits 0 (CI cannot fetch it). ECOSYSTEM_ARGS=--only owner/name to narrow.
ecosystem: $(STAMP)
	$(BIN)/python bench/ecosystem.py --check $(ECOSYSTEM_ARGS)

# The long fuzz campaign and the size-scaling check of every rule family (minutes).
FUZZ_CASES ?= 3000
FUZZ_SEED ?= 1
fuzz: $(STAMP)
	MLREVIEW_FUZZ=1 MLREVIEW_FUZZ_CASES=$(FUZZ_CASES) MLREVIEW_FUZZ_SEED=$(FUZZ_SEED) MLREVIEW_FUZZ_BIG=20000 \
		$(BIN)/python -m pytest -q -p no:cacheprovider tests/reliability/test_fuzz.py tests/reliability/test_scaling.py

clean:
	rm -rf $(VENV) build *.egg-info

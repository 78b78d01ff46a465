# One-command entry points: `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
CONFIG ?= config/demo.toml

.PHONY: deps venv run worker demo test bench clean

deps: venv
	sh scripts/install-system-deps.sh

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

run: deps
	$(BIN)/python -m gateway --config $(CONFIG) serve

worker: deps
	$(BIN)/python -m gateway --config $(CONFIG) worker

demo: deps
	$(BIN)/python scripts/demo.py --config $(CONFIG)

test: deps
	$(BIN)/python -m pytest

bench: deps
	$(BIN)/python benchmarks/ingest.py
	$(BIN)/python benchmarks/crash.py
	$(BIN)/python benchmarks/extraction_accuracy.py
	$(BIN)/python benchmarks/ocr_speed.py
	$(BIN)/python benchmarks/invoice_render.py
	$(BIN)/python benchmarks/numbering.py
	$(BIN)/python benchmarks/scale.py
	$(BIN)/python benchmarks/tick.py
	$(BIN)/python benchmarks/reply_classification.py

clean:
	rm -rf var .pytest_cache

# planbot: `make run` installs, drafts and serves; `make test` is what CI runs.
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
export PLANBOT_DATA_DIR ?= data

.PHONY: install run test lint format bench clean

$(VENV)/.installed: pyproject.toml constraints.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $@

install: $(VENV)/.installed

# `run` indexes knowledge/ (incrementally: unchanged guides are no-ops) and serves the web UI and API on
# $(HOST):$(PORT) with the offline engine; OpenAPI docs at /docs.
run: install
	$(VENV)/bin/planbot ingest knowledge
	$(VENV)/bin/planbot serve --host $(HOST) --port $(PORT)

lint: install
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench
	$(VENV)/bin/mypy src bench

format: install
	$(VENV)/bin/ruff format src tests bench
	$(VENV)/bin/ruff check --fix src tests bench

test: lint
	$(VENV)/bin/pytest

bench: install
	$(PY) bench/run.py --out bench/report.md

clean:
	rm -rf $(VENV) $(PLANBOT_DATA_DIR)/exports .mypy_cache .ruff_cache .pytest_cache .hypothesis

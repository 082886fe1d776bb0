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

# Until the REST API lands, `run` indexes knowledge/ (incrementally), drafts the example briefs with
# the offline engine and serves
# the rendered plans (HTML, Markdown, JSON) on $(HOST):$(PORT).
run: install
	$(VENV)/bin/planbot ingest knowledge
	for brief in examples/*; do $(VENV)/bin/planbot draft "$$brief" || exit 1; done
	@echo "serving http://$(HOST):$(PORT)/"
	$(PY) -m http.server $(PORT) --bind $(HOST) --directory $(PLANBOT_DATA_DIR)/exports

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

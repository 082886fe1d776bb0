# planbot: `make run` installs, drafts and serves; `make test` is what CI runs.
VENV ?= .venv
PY := $(VENV)/bin/python
# Where planbot listens and keeps its data comes from the PLANBOT_ settings alone (PLANBOT_HOST,
# PLANBOT_PORT, PLANBOT_DATA_DIR; defaults 127.0.0.1, 8000 and data/ of this checkout): nothing here overrides them.

.PHONY: install run test lint format bench clean

$(VENV)/.installed: pyproject.toml constraints.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $@

install: $(VENV)/.installed

# `run` indexes knowledge/ (incrementally: unchanged guides are no-ops) and serves the web UI and API on
# $PLANBOT_HOST:$PLANBOT_PORT with the offline engine; OpenAPI docs at /docs.
run: install
	$(VENV)/bin/planbot ingest knowledge
	$(VENV)/bin/planbot serve

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
	rm -rf $(VENV) $(or $(PLANBOT_DATA_DIR),data)/exports .mypy_cache .ruff_cache .pytest_cache .hypothesis

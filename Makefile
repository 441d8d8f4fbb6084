# Union Bridge — developer commands. Every target installs what it needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CONFIG ?=
# The suite mostly waits (on processes, outages, the emulator): three workers fit two cores;
# work stealing keeps the long reliability runs from leaving one worker finishing alone.
TEST_WORKERS ?= 3

.PHONY: run sandbox test lint typecheck pytest soak bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

## run: run the bot (needs UNIONBRIDGE_TOKEN or [telegram] token in config.toml)
run: $(STAMP)
	$(BIN)/unionbridge $(if $(CONFIG),--config $(CONFIG)) run

## sandbox: the offline demo — the real bot on a local emulator, a chat page, demo data
sandbox: $(STAMP)
	$(BIN)/unionbridge sandbox $(if $(PORT),--port $(PORT))

## test: lint, type-check and the whole suite (PostgreSQL too when UNIONBRIDGE_TEST_DATABASE_URL is set)
test: lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check bot handlers storage tests bench
	$(BIN)/ruff format --check bot handlers storage tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest -q -n $(TEST_WORKERS) --dist worksteal

## soak: the long runs — the kill test at 20 points, and a compressed day of 50,000 updates under injected faults
soak: $(STAMP)
	UNIONBRIDGE_SOAK=1 $(BIN)/pytest -q tests/reliability
	$(BIN)/python bench/soak.py --updates 50000 --members 2000

bench: $(STAMP)
	$(BIN)/python bench/startup.py
	$(BIN)/python bench/broadcast.py --recipients 5000 --rate 300
	$(BIN)/python bench/daily_run.py --members 100000
	$(BIN)/python bench/notice_reach.py --members 5000 --departments 20
	$(BIN)/python bench/rights_eval.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache

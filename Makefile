# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint bench eval clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

# Telegram when TELEGRAM_BOT_TOKEN is set, otherwise a terminal chat over seeds/.
run: $(STAMP)
	@if [ -n "$$TELEGRAM_BOT_TOKEN" ]; then exec $(BIN)/python -m bot run; \
	else exec $(BIN)/python -m bot chat; fi

test: $(STAMP) lint
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check bot index tests
	$(BIN)/mypy --ignore-missing-imports bot index

bench: $(STAMP)
	$(BIN)/python -m bot bench

eval: $(STAMP)
	$(BIN)/python -m pytest -q -s tests/test_quality.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

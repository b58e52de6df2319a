# Two entry points (README quick start): `make demo` and `make test`.
# Both work on a fresh Debian machine with only Python 3.11 and pip.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DEMO_EXTRAS := crawl,ner,audit,registry,docs
TEST_EXTRAS := all,dev
DEBIAN_PACKAGES := postgresql chromium poppler-utils

.PHONY: demo test lint typecheck pytest bench system-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip setuptools wheel

$(VENV)/.demo-installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e ".[$(DEMO_EXTRAS)]"
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e ".[$(TEST_EXTRAS)]"
	touch $@ $(VENV)/.demo-installed

# Debian packages the tests use for real (PostgreSQL server, Chromium, pdftoppm).
# Installed only when missing and when we are root; otherwise tests say what is missing.
system-deps:
	@missing=""; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v pdftoppm >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "missing Debian packages (install as root):$$missing"; fi; \
	fi

demo: $(VENV)/.demo-installed
	$(BIN)/moisson demo --out demo-out

lint: $(VENV)/.test-installed
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(VENV)/.test-installed
	$(BIN)/mypy --strict src/moisson

pytest: $(VENV)/.test-installed system-deps
	$(BIN)/pytest -q

test: system-deps $(VENV)/.test-installed lint typecheck pytest

bench: $(VENV)/.test-installed
	$(BIN)/python bench/ingest.py --quick

clean:
	rm -rf $(VENV) demo-out .mypy_cache .ruff_cache .pytest_cache

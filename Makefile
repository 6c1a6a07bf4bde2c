# The two commands of the README are `make run` and `make test`; both install first.
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: install catalogs run test lint bench demo

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,bench]'
	touch $@

install: $(VENV)/.installed

catalogs: install
	$(PY) -m bot.i18n_tools compile

run: catalogs
	$(PY) -m bot

demo: catalogs
	$(PY) -m bot demo

test: catalogs
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy domain storage services handlers bot fake_telegram demo tests bench
	$(VENV)/bin/lint-imports

bench: catalogs
	$(PY) -m bench

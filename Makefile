# The two commands of the README are `make run` and `make test`; both install first.
# `make run` installs the runtime dependencies only (in $(RUN_VENV)); everything else
# uses $(VENV), which adds the test, lint and bench tools. Both install exactly the
# versions of the lock files (`make lock` writes them from the ranges in pyproject.toml).
VENV ?= .venv
PY := $(VENV)/bin/python
RUN_VENV ?= .venv-run
RUN_PY := $(RUN_VENV)/bin/python
PIP_INSTALL = -m pip install --quiet --disable-pip-version-check

.PHONY: install catalogs run test lint bench demo lock

$(VENV)/.installed: pyproject.toml requirements-dev.lock
	python3 -m venv $(VENV)
	$(PY) $(PIP_INSTALL) --upgrade pip
	$(PY) $(PIP_INSTALL) --require-hashes -r requirements-dev.lock
	$(PY) $(PIP_INSTALL) --no-deps -e .
	$(PY) -m pip check --quiet --disable-pip-version-check
	touch $@

# Also compiles the catalogs, so `python -m bot demo` works right after.
install: $(VENV)/.installed
	$(PY) -m bot.i18n_tools compile

catalogs: install

$(RUN_VENV)/.installed: pyproject.toml requirements.lock
	python3 -m venv $(RUN_VENV)
	$(RUN_PY) $(PIP_INSTALL) --upgrade pip
	$(RUN_PY) $(PIP_INSTALL) --require-hashes -r requirements.lock
	$(RUN_PY) $(PIP_INSTALL) --no-deps -e .
	$(RUN_PY) -m pip check --quiet --disable-pip-version-check
	touch $@

run: $(RUN_VENV)/.installed
	$(RUN_PY) -m bot.i18n_tools compile
	$(RUN_PY) -m bot

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

# The lock files, resolved from the package registry alone (no local pip configuration,
# no local wheels) for the Python that runs this (CI and the image use 3.11).
# `make lock LOCK_FLAGS=--upgrade` moves every pin to the newest version the ranges allow.
LOCK_COMPILE = env -u PIP_FIND_LINKS PIP_CONFIG_FILE=/dev/null CUSTOM_COMPILE_COMMAND="make lock" \
	.venv-lock/bin/pip-compile \
	--quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
	--no-emit-find-links --newline=LF $(LOCK_FLAGS)
lock:
	python3 -m venv .venv-lock
	.venv-lock/bin/python $(PIP_INSTALL) "pip-tools>=7.4,<8"
	$(LOCK_COMPILE) -o requirements.lock pyproject.toml
	$(LOCK_COMPILE) --extra test --extra bench -o requirements-dev.lock pyproject.toml
	$(LOCK_COMPILE) --only-build-deps --build-deps-for=wheel -o requirements-build.lock pyproject.toml

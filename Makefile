# Two commands a newcomer needs, each doing its own set-up on a fresh machine:
#   make build   (or: make serve)   build the site into dist/ (serve: live reload)
#   make test                       run the whole test suite, browsers included
# Pass options through ARGS, e.g. make build ARGS="--base-url /repo/".

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
ARGS   ?=
PYTEST_ARGS ?=
# make test runs the tests on 2 workers (pytest-xdist): the tests that wait in
# real time (the WebKit and Firefox timers, the SIGKILL builds) overlap with the
# CPU-bound ones. --dist loadgroup keeps each engine's tests on one worker, so
# each engine starts once. PYTEST_JOBS=0 runs everything in one process.
PYTEST_JOBS ?= 2

.PHONY: build serve test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

build: $(VENV)/.runtime
	$(BIN)/python build.py $(ARGS)

serve: $(VENV)/.runtime
	$(BIN)/python build.py serve $(ARGS)

test: $(VENV)/.test
	$(BIN)/python tools/ensure_tools.py
	$(BIN)/python -m ruff check .
	$(BIN)/python -m pytest -n $(PYTEST_JOBS) --dist loadgroup $(PYTEST_ARGS)

# Performance figures (several minutes): build times against the newest Hugo
# and a minimal Python loop, the dev server's save-to-reload latency, and every
# target checked.
bench: $(VENV)/.test
	$(BIN)/python tools/ensure_browser.py
	$(BIN)/python benchmarks/bench.py $(ARGS)

lint: $(VENV)/.test
	$(BIN)/python -m ruff check .
	$(BIN)/python -m ruff format --check .

clean:
	rm -rf dist .dist.* $(VENV) .pytest_cache .ruff_cache

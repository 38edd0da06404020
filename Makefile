# Two environments, because the suite must pass on both SDK majors:
#   .venv         openai 2.x (on httpx)   - also runs ruff, mypy and the demo
#   .venv-openai3 openai 3.x (on httpx2)
# Each is created on first use and reinstalled when pyproject.toml changes.

PYTHON ?= python3
VENV   := .venv
VENV3  := .venv-openai3
PY     := $(VENV)/bin/python
PY3    := $(VENV3)/bin/python
PYTEST_ARGS ?= -n auto
PIP_QUIET ?= -q

.PHONY: demo test docs lint typecheck typecheck-examples test-openai2 test-openai3 bench clean

$(VENV)/.installed: pyproject.toml Makefile
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install $(PIP_QUIET) --upgrade pip
	$(PY) -m pip install $(PIP_QUIET) -e '.[test,portkey,examples,docs]' 'openai>=2,<3'
	touch $@

$(VENV3)/.installed: pyproject.toml Makefile
	test -x $(PY3) || $(PYTHON) -m venv $(VENV3)
	$(PY3) -m pip install $(PIP_QUIET) --upgrade pip
	$(PY3) -m pip install $(PIP_QUIET) -e '.[test,portkey,examples]' 'openai>=3,<4' httpx2
	touch $@

demo: $(VENV)/.installed
	$(PY) -m pytest examples -v -p no:cacheprovider -o addopts="" -W ignore::DeprecationWarning

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check pytest_assistants tests examples bench docs conftest.py
	$(VENV)/bin/ruff format --check pytest_assistants tests examples bench docs conftest.py

typecheck: $(VENV)/.installed
	$(VENV)/bin/mypy

# The example suite, checked as a downstream project checks its tests (examples/mypy.ini).
typecheck-examples: $(VENV)/.installed
	$(VENV)/bin/mypy --config-file examples/mypy.ini examples

# The documentation site (Sphinx + MyST, docs/conf.py) into build/docs. Strict: any warning,
# broken link or unresolved reference fails (-W -n); nothing is fetched.
SITE := build/docs
SPHINX_FLAGS := -W --keep-going -n -E -q
docs: $(VENV)/.installed
	$(VENV)/bin/sphinx-build $(SPHINX_FLAGS) -b html docs $(SITE)

# The suite's site tests (screenshots) use the site `make docs` just built.
test-openai2: $(VENV)/.installed docs
	ASSISTANTS_DOCS_SITE=$(SITE) $(PY) -m pytest $(PYTEST_ARGS)

test-openai3: $(VENV3)/.installed
	$(PY3) -m pytest $(PYTEST_ARGS)

lint-cassettes: $(VENV)/.installed
	$(VENV)/bin/pytest-assistants cassettes lint --require-provenance cassettes

test: lint lint-cassettes typecheck typecheck-examples docs test-openai2 test-openai3

# openai-responses pins respx < 0.23 and openai 2.x: it gets a throwaway venv of its own,
# which also holds matplotlib for the speed chart.
VENVB := .venv-bench

$(VENVB)/.installed: pyproject.toml Makefile
	test -x $(VENVB)/bin/python || $(PYTHON) -m venv $(VENVB)
	$(VENVB)/bin/python -m pip install $(PIP_QUIET) -e . 'openai>=2,<3' openai-responses 'matplotlib>=3.8'
	touch $@

# Every environment's benchmarks, then the speed page's tables and chart from their results.
bench: $(VENV)/.installed $(VENV3)/.installed $(VENVB)/.installed
	$(PY) bench/run.py
	$(PY3) bench/run.py --skip suite
	$(VENVB)/bin/python bench/run.py --only sdk
	$(PY) bench/speed_tables.py --write
	$(VENVB)/bin/python bench/speed_chart.py

# Longer fuzzing than the suite's bounded run: FUZZ_EXAMPLES examples per property
# (Hypothesis on the routes, Schemathesis against `pytest-assistants serve`), no xdist so
# the counts of generated cases are printed.
FUZZ_EXAMPLES ?= 1000
.PHONY: fuzz
fuzz: $(VENV)/.installed
	ASSISTANTS_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(PY) -m pytest -q -p no:cacheprovider \
		tests/payloads/test_fuzz_routes.py tests/payloads/test_fuzz_bodies.py tests/server/test_schemathesis_serve.py

# Mutation testing of the service layer (mutmut, config in pyproject's [tool.mutmut]); each
# mutant runs only the selected tests that reach its function. MUTANTS narrows the run,
# e.g. MUTANTS='pytest_assistants.service.errors*'. Prints killed / survived / no tests.
MUTANTS ?= pytest_assistants.service.*
.PHONY: mutate
mutate: $(VENV)/.installed
	$(PY) -m pip install $(PIP_QUIET) 'mutmut==3.8.1'
	rm -rf mutants
	$(VENV)/bin/mutmut run --max-children 2 "$(MUTANTS)" > /dev/null
	$(VENV)/bin/mutmut results
	$(VENV)/bin/mutmut export-cicd-stats
	$(PY) -c 'import json; s = json.load(open("mutants/mutmut-cicd-stats.json")); print(s)'

clean:
	rm -rf mutants $(VENV) $(VENV3) .mypy_cache .ruff_cache .pytest_cache

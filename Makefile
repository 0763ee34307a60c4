# One command per job; `make` alone lists them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LAB_VENV := .venv-lab
LAB_STAMP := $(LAB_VENV)/.installed

# Jupyter, IPython and matplotlib read their settings from inside the checkout, so a
# personal kernel or config elsewhere on the machine cannot change what a build does.
export JUPYTER_CONFIG_DIR := $(CURDIR)/.build/jupyter/config
export JUPYTER_DATA_DIR := $(CURDIR)/.build/jupyter/data
export IPYTHONDIR := $(CURDIR)/.build/ipython
export MPLCONFIGDIR := $(CURDIR)/.build/matplotlib
export PYDEVD_DISABLE_FILE_VALIDATION := 1
unexport MPLBACKEND
SETTINGS_DIRS := $(JUPYTER_CONFIG_DIR) $(JUPYTER_DATA_DIR) $(IPYTHONDIR) $(MPLCONFIGDIR)

.DEFAULT_GOAL := help
.PHONY: help venv report report-force validate test lab bench clean docs lint format

help: ## list the targets
	@grep -E '^[a-zA-Z_.-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-16s %s\n", $$1, $$2}'

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

$(SETTINGS_DIRS):
	@mkdir -p $@

venv: $(STAMP) ## create or update the environment from requirements.txt (done by every target)

report: $(STAMP) | $(SETTINGS_DIRS) ## validate raw data, rebuild tables and reports that changed, publish them at once
	$(BIN)/python -m helpers report

report-force: $(STAMP) | $(SETTINGS_DIRS) ## rebuild every table and report, changed or not
	$(BIN)/python -m helpers report --force

validate: $(STAMP) ## check data/raw against data/raw/schema.yaml and print every problem
	$(BIN)/python -m helpers validate

test: $(STAMP) | $(SETTINGS_DIRS) ## run the whole test suite (helpers, data, notebooks, reports)
	$(BIN)/python -m pytest

environment.yml: requirements.txt src/helpers/envfile.py ## regenerate environment.yml from requirements.txt
	$(BIN)/python -m helpers.envfile > $@

$(LAB_STAMP): requirements.txt requirements-lab.txt pyproject.toml
	@test -x $(LAB_VENV)/bin/python || $(PYTHON) -m venv $(LAB_VENV)
	$(LAB_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-lab.txt
	$(LAB_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

lab: $(LAB_STAMP) | $(SETTINGS_DIRS) ## open JupyterLab on the notebooks (its own environment, same pins)
	$(LAB_VENV)/bin/jupyter lab --notebook-dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root,)

bench: $(STAMP) | $(SETTINGS_DIRS) ## print speed and memory figures (regeneration, incremental, tidy tables at scale)
	$(BIN)/python -m helpers.bench

clean: ## remove environments and build scratch (not the published output)
	rm -rf $(VENV) $(LAB_VENV) .build scratch

docs: $(STAMP) ## regenerate README's data dictionaries from the schemas
	$(BIN)/python -m helpers.docs

lint: $(STAMP) ## check and format-check the code with ruff (make format fixes the layout)
	$(BIN)/python -m ruff check src tests
	$(BIN)/python -m ruff format --check src tests

format: $(STAMP) ## format the code with ruff
	$(BIN)/python -m ruff format src tests

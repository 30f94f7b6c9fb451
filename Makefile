# Disaster Desk — the two commands: `make run` and `make test`.
# `make venv` also fits the learned NLP model into $(VENV)/share/disaster-desk/nlp (once per corpus
# digest; `disaster-desk nlp prepare`), so the first start does not wait for it.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: venv run test lint bench clean

venv: $(STAMP)
	@bash scripts/system-deps.sh $(VENV)
	@$(PY) -m disaster_desk nlp prepare --quiet

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[dev]"
	touch $(STAMP)

run: venv
	$(PY) -m disaster_desk gui --demo

test: venv
	OMP_NUM_THREADS=1 QT_QPA_PLATFORM=offscreen $(VENV)/bin/pytest

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

bench: venv
	OMP_NUM_THREADS=1 $(PY) -m bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info

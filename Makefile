# Two commands: `make run` and `make test`. Each creates .venv and installs what it needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run console-admin test dense-torch train-reader lint format bench eval clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

# The sentence model on torch (~1.4 GB), the reference the default ONNX runtime is checked
# against (bench/meaning.py): torch first, pinned to the CPU build, so sentence-transformers
# finds it satisfied and never pulls the CUDA one.
$(VENV)/.installed-dense-torch: $(VENV)/.installed
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e ".[dense-torch]"
	touch $@

dense-torch: $(VENV)/.installed-dense-torch

# Fitting the reader (training/reader.py): torch pinned to the CPU build first, as above.
$(VENV)/.installed-train: $(VENV)/.installed-dev
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e ".[dev,train]"
	touch $@

# The candidates (training/fit.py --cache), the reader fitted on them and exported to
# index/data/reader-int8.onnx, then the ranking refitted with it. About an hour on two cores.
FIT_CACHE ?= .fit-cache/meaning.pkl
train-reader: $(VENV)/.installed-train
	mkdir -p $(dir $(FIT_CACHE))
	$(BIN)/python -m training.fit --dense --gather-only --cache $(FIT_CACHE)
	$(BIN)/python -m training.reader train --cache $(FIT_CACHE)
	$(BIN)/python -m training.reader export --cache $(FIT_CACHE)
	$(BIN)/python -m training.fit --dense --cache $(FIT_CACHE)
	$(BIN)/python -m training.fit --cache $(FIT_CACHE:.pkl=-words.pkl)

run: $(VENV)/.installed
	$(BIN)/saidwho run

# The console as an admin (/add, /remove, /reindex, /stats): `saidwho` is on the PATH only
# inside the venv.
console-admin: $(VENV)/.installed
	$(BIN)/saidwho console --admin

test: $(VENV)/.installed-dev
	$(BIN)/pytest -q

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

eval: $(VENV)/.installed
	$(BIN)/python bench/evaluate_all.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache .hypothesis

# Hands-On Transfer Learning: the two commands of the README are `make book`
# and `make test`. Both create the pinned environment in .venv when it is
# missing (or when requirements.txt changed). Nothing here needs the network
# beyond the package index used to create .venv.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

# TensorFlow must be quiet and deterministic in every process we start
# (helpers sets these too, for notebooks opened by hand).
export TF_CPP_MIN_LOG_LEVEL := 3
export TF_ENABLE_ONEDNN_OPTS := 0
export KERAS_BACKEND := tensorflow
export PYTHONHASHSEED := 0
export MPLBACKEND := Agg

.PHONY: env book test lint unit notebooks book-check benchmark format clean

env: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

## Build the whole book into _build/html (executes every chapter; cached).
book: env
	$(BIN)/jupyter-book build . -W --keep-going

## Run every test: lint, unit tests, notebooks under nbval, the -W book build.
test: lint unit notebooks book

lint: env
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python scripts/check_stripped.py

unit: env
	$(BIN)/python -m pytest tests

notebooks: env
	$(BIN)/python -m pytest --nbval-lax --nbval-current-env -p no:cacheprovider chapters

## Wall time and peak memory of every chapter in a fresh kernel.
benchmark: env
	$(BIN)/python scripts/benchmark.py --build

## Fix formatting and strip notebook outputs in place.
format: env
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/nbstripout chapters/*.ipynb

clean:
	rm -rf _build

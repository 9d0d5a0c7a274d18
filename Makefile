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

# glibc's allocator, set from the start of every process (kernels included): 2 malloc arenas
# and a fixed 4 MiB mmap threshold keep TensorFlow's freed memory from piling up. These are
# helpers.runtime.MALLOC_SETTINGS; `import helpers` applies them too, but only after the
# kernel's own threads have made their arenas. Binder's `start` script sets the same.
export MALLOC_ARENA_MAX := 2
export MALLOC_MMAP_THRESHOLD_ := 4194304

# `make test` proves the course needs no network: after `env` and `browser` (which
# may download packages), the tests run in a new network namespace that has only a
# loopback interface (Jupyter kernels talk to their clients over loopback). Where
# namespaces are not allowed (not root), they run in the normal network, and say so.
NO_NETWORK := $(shell unshare -n true 2>/dev/null && echo 'unshare -n sh -c "ip link set lo up && exec \"\$$@\"" sh')

.PHONY: env lab browser book test test-offline lint unit notebooks book-check benchmark format clean
.PHONY: student student-book grade

env: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

## JupyterLab on the chapters, with the same allocator settings as Binder.
lab: env
	$(BIN)/jupyter lab chapters/

## Build the whole book into _build/html (executes every chapter; cached).
book: env
	$(BIN)/jupyter-book build . -W --keep-going

## Headless Chromium for the browser test (Debian's packages; needs root for apt-get).
browser:
	@if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing Debian's chromium and chromium-driver for the browser test"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	else echo "NOTE: chromium/chromedriver missing and not root: the browser test will be SKIPPED." \
	  "Install Debian's chromium and chromium-driver to run it."; fi

## Run every test, offline: lint, unit tests, every notebook under nbval, the -W book
## build, then checks of the built HTML (static, determinism, real browser).
test: env browser
ifeq ($(NO_NETWORK),)
	@echo "NOTE: cannot create a network namespace here; running the tests WITH the network."
	$(MAKE) --no-print-directory test-offline
else
	@echo "Running the tests with the network cut off (only loopback)."
	$(NO_NETWORK) $(MAKE) --no-print-directory test-offline
endif

test-offline: lint unit notebooks book book-check

lint: env
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python scripts/check_stripped.py

unit: env
	$(BIN)/python -m pytest tests --ignore=tests/built

book-check: env
	$(BIN)/python -m pytest tests/built

notebooks: env
	$(BIN)/python -m pytest --nbval-lax --nbval-current-env -p no:cacheprovider chapters

## Wall time and peak memory of every chapter in a fresh kernel.
benchmark: env
	$(BIN)/python scripts/benchmark.py --build

## Student edition: student/ notebooks without solutions, and _toc_student.yml.
student: env
	$(BIN)/python scripts/make_student.py

## The student edition of the book, without solutions, into _build/student/_build/html.
## Not executed (_config_student.yml), so it takes seconds; STUDENT_CONFIG=_config.yml runs the chapters.
STUDENT_CONFIG ?= _config_student.yml
student-book: student
	$(BIN)/jupyter-book build . -W --keep-going --toc _toc_student.yml --config $(STUDENT_CONFIG) --path-output _build/student

## Autograde with nbgrader (no Docker): make grade SUBMISSIONS=folder [GRADES=grades.csv]
GRADES ?= grades.csv
grade: student
	$(BIN)/python scripts/grade.py $(SUBMISSIONS) --out $(GRADES)

## Fix formatting and strip notebook outputs in place.
format: env
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/nbstripout chapters/*.ipynb

clean:
	rm -rf _build

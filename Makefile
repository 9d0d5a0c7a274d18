# Hands-On Transfer Learning: the two commands of the README are `make book`
# and `make test`. Both create the locked authoring environment in .venv when it is
# missing (or when its lock changed). Nothing here needs the network beyond the
# package index used to create the environments.

# bash with pipefail: a command piped through $(TAG) keeps its own exit status.
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
UV     := $(BIN)/uv
STAMP  := $(VENV)/.installed
# The learner environment (Binder-like: environment.yml's pip list, then postBuild) and the
# Colab-like one (requirements/colab.txt, on Python 3.12 like Colab).
LEARNER ?= .venv-learner
COLAB   ?= .venv-colab
COLAB_PYTHON ?= $(shell python3.12 -c 'import sys; print(sys.executable)' 2>/dev/null || ls -d $$HOME/.pyenv/versions/3.12*/bin/python3.12 2>/dev/null | tail -n 1)
# Jupyter's data path for the test run: a kernel "hotl-learner" that runs the learner
# environment's Python through Binder's `start`.
JUPYTER_TEST_PATH := $(CURDIR)/_build/jupyter

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
# OpenBLAS (the BLAS of NumPy and SciPy, under scikit-learn's fits) keeps its idle threads
# polling for work after each call before they sleep, which takes cores from TensorFlow and from
# a second kernel running beside it. 4 (2^4 processor cycles, the smallest value OpenBLAS
# accepts) puts them to sleep at once: the same threads do the same sums, so every number stays
# the same. Chapter 4 beside chapter 3: 147.3 s instead of 204.4 s, outputs identical
# (2026-12-04). Binder's `start` sets it too.
export OPENBLAS_THREAD_TIMEOUT := 4

# `make test` proves the course needs no network: after the environments are installed
# (which may download packages), the tests run in a new network namespace that has only a
# loopback interface (Jupyter kernels talk to their clients over loopback). Where namespaces
# are not allowed, the run fails and says so; `make test ALLOW_NETWORK=1` runs with the network.
NO_NETWORK := $(shell unshare -n true 2>/dev/null && echo 'unshare -n sh -c "ip link set lo up && exec \"\$$@\"" sh')

.PHONY: env learner-env colab-env lock lab browser book test test-offline check lint unit notebooks
.PHONY: colab platforms book-check test-stages stage-times benchmark format clean editions student student-book grade graded translations

env: $(STAMP)

## The authoring environment, exactly requirements/authoring.txt (uv checks every hash).
## --compile-bytecode: every environment ships its .pyc files, as pip's installs do. Where
## PYTHONDONTWRITEBYTECODE is set (these machines set it) nothing else would write them, and
## every process would compile TensorFlow's sources again: `import tensorflow` took 12.4 s
## instead of 5.5 s, chapter 1 ran in 40 s instead of 31 s (measured 2026-12-03).
$(STAMP): requirements/authoring.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	test -x $(UV) || $(BIN)/python -m pip install --quiet uv==0.13.8
	$(UV) pip sync --quiet --compile-bytecode --python $(BIN)/python requirements/authoring.txt
	$(UV) pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $@

## Binder's environment, as far as it can be built here: a venv with exactly the pip list of
## environment.yml, then the repository's postBuild (Binder runs both, in that order).
learner-env: $(LEARNER)/.installed
$(LEARNER)/.installed: environment.yml postBuild $(STAMP)
	rm -rf $(LEARNER)
	$(PYTHON) -m venv $(LEARNER)
	$(BIN)/python scripts/lock.py --binder-pip-list > $(LEARNER)/binder-pip-list.txt
	$(UV) pip sync --quiet --compile-bytecode --python $(LEARNER)/bin/python $(LEARNER)/binder-pip-list.txt
	$(UV) pip install --quiet --python $(LEARNER)/bin/python pip
	PATH="$(CURDIR)/$(LEARNER)/bin:$$PATH" ./postBuild
	touch $@

## The Colab-like environment: Colab's TensorFlow, Keras and NumPy (the lowest supported
## versions) on Python 3.12, without myst-nb or the course's helpers.
colab-env: $(COLAB)/.installed
$(COLAB)/.installed: requirements/colab.txt $(STAMP)
	@test -n "$(COLAB_PYTHON)" || { echo "The Colab-like run needs Python 3.12 (Colab's): install it" \
	  "(for example 'pyenv install 3.12') or set COLAB_PYTHON=/path/to/python3.12."; exit 1; }
	rm -rf $(COLAB)
	$(UV) venv --quiet --python $(COLAB_PYTHON) $(COLAB)
	$(UV) pip sync --quiet --compile-bytecode --python $(COLAB)/bin/python requirements/colab.txt
	touch $@

## Re-resolve the locks from requirements/*.in and regenerate environment.yml (needs the index).
lock: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python scripts/lock.py

## JupyterLab on the chapters, in the learner environment (MyST rendered by jupyterlab-myst),
## with Binder's `start` settings. --allow-root only when run as root (a container).
lab: learner-env
	./start $(LEARNER)/bin/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root) chapters/

## Build the whole book: first every chapter the execution cache lacks, BOOK_JOBS at a time
## (scripts/execute.py, into jupyter-book's cache), then, side by side, English into
## _build/html (executes nothing more) and the Chinese edition into _build/html/zh_CN
## (_config_zh.yml: translated from locales/zh_CN, from the same execution cache, so no
## chapter runs twice). The two builds only read the cache and write to separate folders; the
## English one runs in a subshell, so that `wait` returns its status (not its `sed`'s).
BOOK_JOBS ?= 2
book: env
	$(stage-start)
	$(BIN)/python scripts/execute.py --jobs $(BOOK_JOBS) $(TAG)
	($(BIN)/jupyter-book build . -W --keep-going $(TAG)) & english=$$!; \
	  $(BIN)/jupyter-book build . -W --keep-going --config _config_zh.yml --path-output _build/zh $(TAG); \
	  chinese=$$?; wait $$english && test $$chinese = 0
	rm -rf _build/html/zh_CN && cp -r _build/zh/_build/html _build/html/zh_CN
	$(stage-end)

## Refresh the Chinese catalogs (locales/zh_CN) from the English text, and figures.po from the
## figures of the last `make book`: new messages are untranslated, changed ones fuzzy; then
## translate them and run `make editions`.
translations: env
	$(BIN)/python scripts/translations.py

## Headless Chromium for the browser test, and a font with Chinese glyphs for the Chinese
## edition (Debian's packages; needs root for apt-get).
browser:
	@if command -v chromium >/dev/null && command -v chromedriver >/dev/null && fc-list :lang=zh 2>/dev/null | grep -q .; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing Debian's chromium, chromium-driver and fonts-noto-cjk (Chinese glyphs) for the browser test"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver fonts-noto-cjk >/dev/null; \
	else echo "ERROR: the browser test needs Debian's chromium, chromium-driver and fonts-noto-cjk" \
	  "(as root: apt-get install chromium chromium-driver fonts-noto-cjk)."; exit 1; fi

## Run every test, offline: lint, unit tests, every chapter under nbval in the Binder-like
## learner environment, the -W book build, every learner notebook in the Colab-like
## environment, then the platform checks and the checks of the built HTML.
test: env learner-env colab-env browser
ifneq ($(NO_NETWORK),)
	@echo "Running the tests with the network cut off (only loopback)."
	$(NO_NETWORK) $(MAKE) --no-print-directory test-offline
else ifeq ($(ALLOW_NETWORK),1)
	@echo "NOTE: ALLOW_NETWORK=1: running the tests WITH the network (not proven offline)."
	$(MAKE) --no-print-directory test-offline
else
	@echo "ERROR: cannot create a network namespace (unshare -n needs root or user namespaces), so" \
	  "the tests cannot prove that the course runs offline. Run as root, or run" \
	  "'make test ALLOW_NETWORK=1' to test with the network."; exit 1
endif

## The stages run two at a time (TEST_JOBS; 1 runs them one after another): one chapter
## execution leaves much of a second core idle (two runs of chapter 3 side by side took
## 218 s against 161 s for one, on 2 cores, 2026-12-03). Each stage writes its start and end
## time to _build/stages/, and the run ends with a table of them.
TEST_JOBS ?= 2
STAGES := _build/stages
## Stages that run side by side interleave their output: each line of a stage's long commands
## is tagged with the stage's name ("[book] ..."), line by line as it comes.
TAG = 2>&1 | sed -u 's/^/[$@] /'
export PYTHONUNBUFFERED := 1
stage-start = @mkdir -p $(STAGES) && date +%s > $(STAGES)/$@.start && rm -f $(STAGES)/$@.end
stage-end = @date +%s > $(STAGES)/$@.end

test-offline:
	@rm -rf $(STAGES)
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory -j$(TEST_JOBS) test-stages IN_TEST=1
	@$(MAKE) --no-print-directory stage-times

## Longest first, and each stage as soon as what it reads exists, so that both slots stay busy
## to the end: nbval beside the book build; then the Colab-like run and the checks of its
## results (when nbval ends) beside the unit tests (when the book ends), the built-book checks
## (they read nbval's records and the book) and the platform checks (they read nbval's). The
## book executes one chapter at a time here: nbval's kernel has the other core.
test-stages: notebooks book colab unit book-check platforms
test-stages: BOOK_JOBS = 1
book-check: $(if $(IN_TEST),notebooks book)
platforms: $(if $(IN_TEST),notebooks)

## Wall time of each stage of the last `make test` (stages that ran side by side overlap).
stage-times:
	@echo "Stages of make test (wall time, from $(STAGES)):"
	@for start in $(STAGES)/*.start; do name=$$(basename $$start .start); \
	  if [ -f $(STAGES)/$$name.end ]; then \
	    echo "  $$name $$(( $$(cat $(STAGES)/$$name.end) - $$(cat $$start) )) s"; \
	  else echo "  $$name did not finish"; fi; done

## The fast tier, for every change: lint and the unit tests not marked slow (about two minutes).
check: lint
	$(BIN)/python -m pytest tests -m "not slow"

lint: env
	$(stage-start)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/nbstripout --verify chapters/*.ipynb student/*.ipynb learner/*.ipynb learner_zh/*.ipynb
	$(stage-end)

## --durations: the 25 slowest tests of each stage, where to look when make test grows.
unit: env
	$(stage-start)
	$(BIN)/python -m pytest tests --durations=25 $(TAG)
	$(stage-end)

book-check: env
	$(stage-start)
	$(BIN)/python -m pytest tests/built --durations=25 $(TAG)
	$(stage-end)

## Every chapter in a fresh kernel under nbval, in the learner environment started through
## Binder's `start` (kernel "hotl-learner"): the Binder-like run.
notebooks: env learner-env
	$(stage-start)
	@mkdir -p $(JUPYTER_TEST_PATH)/kernels/hotl-learner
	@printf '{"argv": ["%s", "%s", "-m", "ipykernel_launcher", "-f", "{connection_file}"], "display_name": "Learner environment (Binder-like)", "language": "python"}\n' \
	  "$(CURDIR)/start" "$(CURDIR)/$(LEARNER)/bin/python" > $(JUPYTER_TEST_PATH)/kernels/hotl-learner/kernel.json
	HOTL_RECORD_GLUE=1 JUPYTER_PATH=$(JUPYTER_TEST_PATH) $(BIN)/python -m pytest --nbval-lax --nbval-kernel-name hotl-learner -p no:cacheprovider chapters $(TAG)
	$(stage-end)

## Every learner notebook in the Colab-like environment, its clone served by a local snapshot
## (scripts/run_like_colab.py), then the checks of its results (tests/platforms/test_colab.py).
## Quick mode: N_SEEDS = 1 in chapter 4 and section 4.2, nothing else changed.
colab: env colab-env
	$(stage-start)
	$(COLAB)/bin/python scripts/run_like_colab.py --quick $(TAG)
	$(BIN)/python -m pytest tests/platforms/test_colab.py $(TAG)
	$(stage-end)

## The learners' platforms: Binder's environment (pins, postBuild, extensions, start), JupyterLab
## and a chapter under a 1-CPU quota (after `make notebooks`; `make colab` checks its own results).
platforms: env learner-env
	$(stage-start)
	$(BIN)/python -m pytest tests/platforms --ignore=tests/platforms/test_colab.py --durations=25 $(TAG)
	$(stage-end)

## Wall time and peak memory of every chapter in a fresh kernel.
benchmark: env
	$(BIN)/python scripts/benchmark.py --build

## Every generated notebook set, from one pipeline (scripts/editions.py): student/ (without
## solutions, graded by nbgrader), learner/ (plain Markdown, for Colab), _toc_student.yml,
## _config_student.yml, book/*_student.md. A test fails when any of them is stale.
editions: env
	$(BIN)/python scripts/editions.py

## Only the student edition.
student: env
	$(BIN)/python scripts/editions.py --edition student

## The student edition of the book, without solutions, into _build/student/_build/html.
## Not executed (_config_student.yml), so it takes seconds; STUDENT_CONFIG=_config.yml runs the chapters.
STUDENT_CONFIG ?= _config_student.yml
student-book: student
	$(BIN)/jupyter-book build . -W --keep-going --toc _toc_student.yml --config $(STUDENT_CONFIG) --path-output _build/student

## One graded notebook per learner, each with its own variant of the exercises:
## make graded ROSTER=roster.csv [GRADED=graded] [CHAPTERS="01_neuron 02_losses"]
## writes GRADED/STUDENT/NN_*.ipynb and GRADED/variants.csv (keep it private).
GRADED ?= graded
graded: env
	$(BIN)/python scripts/editions.py --graded $(ROSTER) --out $(GRADED) $(if $(CHAPTERS),--chapters $(CHAPTERS))

## Autograde with nbgrader (no Docker): make grade SUBMISSIONS=folder [GRADES=grades.csv]
## [VARIANTS=graded/variants.csv]; the learners' reports go to feedback/.
GRADES ?= grades.csv
grade: student
	$(BIN)/python scripts/grade.py $(SUBMISSIONS) --out $(GRADES) $(if $(VARIANTS),--variants $(VARIANTS))

## Fix formatting and strip notebook outputs in place.
format: env
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/nbstripout chapters/*.ipynb
	$(BIN)/python scripts/editions.py

clean:
	rm -rf _build

"""The locked environments: every package pinned, the locks consistent, Binder's file generated."""

from __future__ import annotations

import re
import sys

import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import lock  # noqa: E402  (scripts/lock.py)

LOCKS = sorted((ROOT / "requirements").glob("*.txt"))


def test_there_are_three_locks_each_from_an_input():
    assert {p.name for p in LOCKS} == set(lock.LOCKS) == {"authoring.txt", "learner.txt", "colab.txt"}
    for name, (source, _, _) in lock.LOCKS.items():
        assert (ROOT / "requirements" / source).exists(), f"{name} has no input {source}"


@pytest.mark.parametrize("path", LOCKS, ids=[p.stem for p in LOCKS])
def test_every_package_of_a_lock_is_pinned_exactly_with_hashes(path):
    text = path.read_text()
    entries = re.split(r"\n(?=[A-Za-z0-9])", text.strip())
    requirements = [e for e in entries if not e.startswith("#")]
    assert len(requirements) > 20, f"{path.name} looks truncated"
    for entry in requirements:
        assert lock.PIN.match(entry), f"not pinned with ==: {entry.splitlines()[0]}"
        assert "--hash=sha256:" in entry, f"no hash: {entry.splitlines()[0]}"


def test_every_learner_package_is_at_the_authoring_version():
    learner, authoring = (
        lock.pins(ROOT / "requirements/learner.txt"),
        lock.pins(ROOT / "requirements/authoring.txt"),
    )
    differ = {name: (v, authoring.get(name)) for name, v in learner.items() if authoring.get(name) != v}
    assert not differ, f"learner.txt differs from authoring.txt (run `make lock`): {differ}"


def test_the_learner_environment_has_no_authoring_tools():
    learner = lock.pins(ROOT / "requirements/learner.txt")
    for tool in ("jupyter-book", "myst-nb", "nbgrader", "pytest", "nbval", "selenium", "ruff", "sphinx"):
        assert tool not in learner, f"{tool} is an authoring tool; keep it out of requirements/learner.in"
    for needed in (
        "tensorflow-cpu",
        "keras",
        "numpy",
        "scipy",
        "scikit-learn",
        "matplotlib",
        "jupyterlab-myst",
    ):
        assert needed in learner, f"the learner environment needs {needed}"


def test_environment_yml_installs_exactly_the_learner_lock():
    assert (ROOT / "environment.yml").read_text() == lock.environment_yml(), (
        "environment.yml is out of date with requirements/learner.txt: run `make lock`."
    )
    pins = lock.pins(ROOT / "requirements/learner.txt")
    assert lock.binder_pip_list() == [f"{name}=={version}" for name, version in pins.items()]


def test_colab_lock_has_the_lowest_supported_versions():
    colab = lock.pins(ROOT / "requirements/colab.txt")
    assert colab["tensorflow-cpu"].startswith("2.19.") and colab["keras"].startswith("3.10.")
    assert "myst-nb" not in colab and "jupyter-book" not in colab
    assert lock.LOCKS["colab.txt"][1] == "3.12", "Colab runs Python 3.12"


def test_readme_states_the_supported_range_that_the_locks_test():
    colab = lock.pins(ROOT / "requirements/colab.txt")
    authoring = lock.pins(ROOT / "requirements/authoring.txt")
    for page in ("README.md", "book/how-to-run.md"):
        text = (ROOT / page).read_text()
        for low, high in (("tensorflow-cpu", "tensorflow-cpu"), ("keras", "keras")):
            span = f"{colab[low].rsplit('.', 1)[0]} to {authoring[high].rsplit('.', 1)[0]}"
            assert span in text, f"{page} should state the supported range {low} {span}"


def test_ci_runs_exactly_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    commands = [ln for ln in ci.splitlines() if ln.strip() and not ln.startswith("#")]
    assert commands[-1].strip() == "make test"
    readme = (ROOT / "README.md").read_text()
    assert "make test" in readme and "make book" in readme


def test_binder_and_make_set_the_allocator_settings_of_helpers_and_openblas():
    """Binder's `start` and the Makefile export the values of helpers.runtime.MALLOC_SETTINGS,
    and OpenBLAS's shortest wait for idle threads."""
    from helpers.runtime import MALLOC_SETTINGS

    start = (ROOT / "start").read_text()
    makefile = (ROOT / "Makefile").read_text()
    assert (ROOT / "start").stat().st_mode & 0o111, "Binder runs `start` only if it is executable"
    assert start.rstrip().endswith('exec "$@"'), "Binder's `start` must end by running its arguments"
    for _, value, variable in MALLOC_SETTINGS.values():
        assert f"export {variable}={value}\n" in start, f"`start` should export {variable}={value}"
        assert f"export {variable} := {value}\n" in makefile, f"the Makefile should export {variable}"
    # OpenBLAS reads its variables when NumPy loads it, before `import helpers` could set them.
    assert "export OPENBLAS_THREAD_TIMEOUT=4\n" in start, "`start` should export OPENBLAS_THREAD_TIMEOUT=4"
    assert "export OPENBLAS_THREAD_TIMEOUT := 4\n" in makefile, "the Makefile should export it too"

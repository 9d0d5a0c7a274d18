"""The pinned environment: requirements.txt and environment.yml must agree."""

from __future__ import annotations

import re

from conftest import ROOT


def _requirements() -> list[str]:
    lines = (ROOT / "requirements.txt").read_text().splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]


def _environment_pip() -> list[str]:
    text = (ROOT / "environment.yml").read_text()
    block = text.split("- pip:", 1)[1]
    return re.findall(r"^\s+-\s+(\S+)\s*$", block, flags=re.MULTILINE)


def test_every_requirement_is_pinned_exactly():
    unpinned = [r for r in _requirements() if not re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[\w.\-+]+", r)]
    assert not unpinned, f"pin these with ==: {unpinned}"


def test_environment_yml_lists_the_same_pins_as_requirements():
    assert _environment_pip() == _requirements(), (
        "environment.yml's pip list drifted from requirements.txt; copy the pins across."
    )


def test_the_versions_the_course_was_checked_with():
    reqs = set(_requirements())
    for pin in ("jupyter-book==1.0.4.post1", "tensorflow-cpu==2.21.0", "nbval==0.11.0"):
        assert pin in reqs


def test_ci_runs_exactly_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    commands = [ln for ln in ci.splitlines() if ln.strip() and not ln.startswith("#")]
    assert commands[-1].strip() == "make test"
    readme = (ROOT / "README.md").read_text()
    assert "make test" in readme and "make book" in readme


def test_binder_and_make_set_the_allocator_settings_of_helpers():
    """Binder's `start` and the Makefile export the values of helpers.runtime.MALLOC_SETTINGS."""
    from helpers.runtime import MALLOC_SETTINGS

    start = (ROOT / "start").read_text()
    makefile = (ROOT / "Makefile").read_text()
    assert (ROOT / "start").stat().st_mode & 0o111, "Binder runs `start` only if it is executable"
    assert start.rstrip().endswith('exec "$@"'), "Binder's `start` must end by running its arguments"
    for _, value, variable in MALLOC_SETTINGS.values():
        assert f"export {variable}={value}\n" in start, f"`start` should export {variable}={value}"
        assert f"export {variable} := {value}\n" in makefile, f"the Makefile should export {variable}"

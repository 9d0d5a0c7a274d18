"""Binder, as far as it can be proven here: the environment built from `environment.yml`'s pip
list plus `postBuild` is exactly the learner lock, shows a learner no instructor tools, renders
MyST, and `start` runs a command with the course's settings."""

from __future__ import annotations

import json
import os
import re
import subprocess

import lock
from conftest import ROOT


def _run(*cmd: str, cwd=ROOT, env=None) -> str:
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, f"{' '.join(cmd)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout + done.stderr


def test_the_environment_has_exactly_environment_ymls_pins_plus_the_helpers(learner):
    frozen = _run(
        str(ROOT / ".venv" / "bin" / "uv"), "pip", "freeze", "--python", str(learner / "bin" / "python")
    )
    installed = {}
    for line in frozen.splitlines():
        if match := lock.PIN.match(line):
            installed[match[1].lower()] = match[2]
    wanted = {req.split("==")[0].lower(): req.split("==")[1] for req in lock.binder_pip_list()}
    assert f"-e {ROOT.as_uri()}" in frozen.splitlines(), "postBuild did not install the course's helpers"
    extra = set(installed) - set(wanted) - {"pip"}
    assert not extra, f"installed but not in environment.yml: {sorted(extra)}"
    differ = {
        name: (installed.get(name), version)
        for name, version in wanted.items()
        if installed.get(name) != version
    }
    assert not differ, f"installed versions differ from environment.yml: {differ}"


def test_helpers_imports_outside_the_repository_after_postbuild(learner, tmp_path):
    out = _run(str(learner / "bin" / "python"), "-c", "import helpers; print(helpers.__file__)", cwd=tmp_path)
    assert str(ROOT / "helpers") in out


def test_jupyterlab_renders_myst_and_has_no_nbgrader(learner):
    labext = re.sub(r"\x1b\[[0-9;]*m", "", _run(str(learner / "bin" / "jupyter"), "labextension", "list"))
    server = _run(str(learner / "bin" / "jupyter"), "server", "extension", "list")
    assert "nbgrader" not in labext.lower() and "nbgrader" not in server.lower(), (
        "a learner would see nbgrader's instructor tools in JupyterLab"
    )
    myst = [line for line in labext.splitlines() if "jupyterlab-myst" in line]
    assert myst and "enabled" in myst[0] and "OK" in myst[0], f"jupyterlab-myst is not working: {myst}"
    assert "is not compatible" not in labext, labext


def test_jupyterlab_offers_its_menus_in_chinese(learner):
    """The Chinese learner notebooks (learner_zh/) come with JupyterLab's Chinese language pack."""
    code = "from jupyterlab_server.translation_utils import get_language_packs; print(sorted(get_language_packs('en')[0]))"
    packs = _run(str(learner / "bin" / "python"), "-c", code)
    assert "zh_CN" in packs, f"no Chinese language pack for JupyterLab in the learner environment: {packs}"


def test_start_sets_the_allocator_and_blas_and_runs_its_arguments():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MALLOC_", "OPENBLAS_"))}
    echo = "echo $MALLOC_ARENA_MAX $MALLOC_MMAP_THRESHOLD_ $OPENBLAS_THREAD_TIMEOUT"
    out = _run(str(ROOT / "start"), "sh", "-c", echo, env=env)
    assert out.split() == ["2", "4194304", "4"]


def test_the_nbval_run_used_the_learner_environment_through_start():
    """`make notebooks` runs every chapter with the kernel "hotl-learner": start + learner Python."""
    spec = json.loads((ROOT / "_build" / "jupyter" / "kernels" / "hotl-learner" / "kernel.json").read_text())
    assert spec["argv"][:2] == [str(ROOT / "start"), str(ROOT / ".venv-learner" / "bin" / "python")]
    peaks = json.loads((ROOT / "_build" / "nbval-outputs" / "peak-memory.json").read_text())
    chapters = sorted(p.stem for p in (ROOT / "chapters").glob("[0-9][0-9]*_*.ipynb"))
    assert sorted(peaks) == chapters, "the nbval run did not record every chapter"

"""A chapter under a 1-CPU quota, as on Binder: `import helpers` sizes TensorFlow's thread pools
to the quota, and chapter 1 runs top to bottom in the learner environment through `start`."""

from __future__ import annotations

import json
import os
import time

from conftest import ROOT
from cpu_quota import run_with_cpu_quota

THREADS = (
    "import os, helpers; print(os.environ['TF_NUM_INTRAOP_THREADS'], os.environ['TF_NUM_INTEROP_THREADS'])"
)


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("TF_NUM_")}


def test_helpers_uses_one_thread_per_pool_under_a_one_cpu_quota(learner):
    done = run_with_cpu_quota(
        [str(learner / "bin" / "python"), "-c", THREADS], 1.0, capture_output=True, text=True, env=_env()
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["1", "1"]


def test_chapter_1_runs_under_a_one_cpu_quota(learner, tmp_path):
    cmd = [
        str(ROOT / "start"),
        str(learner / "bin" / "jupyter"),
        "nbconvert",
        "--to",
        "notebook",
        "--execute",
    ]
    cmd += ["--ExecutePreprocessor.timeout=600", "--output-dir", str(tmp_path), "chapters/01_neuron.ipynb"]
    start = time.perf_counter()
    done = run_with_cpu_quota(cmd, 1.0, cwd=ROOT, capture_output=True, text=True, env=_env(), timeout=900)
    seconds = time.perf_counter() - start
    assert done.returncode == 0, done.stderr[-3000:]
    executed = json.loads((tmp_path / "01_neuron.ipynb").read_text())
    errors = [o for c in executed["cells"] for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    out = ROOT / "_build" / "cpu-quota.json"
    out.write_text(json.dumps({"chapter": "01_neuron", "cpus": 1.0, "seconds": round(seconds, 1)}) + "\n")

"""helpers.runtime: quiet TensorFlow, seeds, determinism."""

from __future__ import annotations

import ast
import os
import subprocess
import sys

import keras
import numpy as np
import pytest

import helpers
from helpers.runtime import MALLOC_SETTINGS, TF_ENVIRONMENT

GLIBC = sys.platform == "linux" and __import__("platform").libc_ver()[0] == "glibc"


def test_import_sets_tensorflow_environment_variables():
    for name, value in TF_ENVIRONMENT.items():
        assert os.environ.get(name) == value


def test_import_leaves_numpy_s_print_options_alone():
    code = "import numpy as np; before = np.get_printoptions(); import helpers; print(np.get_printoptions() == before)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "True"


def test_importing_tensorflow_first_warns_with_the_fix():
    code = "import tensorflow, warnings; warnings.simplefilter('error'); import helpers"
    env = {k: v for k, v in os.environ.items() if k not in TF_ENVIRONMENT}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert result.returncode != 0
    assert "put `import helpers` before" in result.stderr


def test_importing_helpers_first_keeps_tensorflow_silent():
    code = "import helpers, tensorflow as tf; tf.constant(1.0) + 1.0"
    env = {k: v for k, v in os.environ.items() if k not in TF_ENVIRONMENT}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert result.returncode == 0
    assert "oneDNN" not in result.stderr and "cuda" not in result.stderr.lower()


@pytest.mark.parametrize(
    ("seed", "error", "message"),
    [
        (1.5, TypeError, "must be an int"),
        ("0", TypeError, "must be an int"),
        (True, TypeError, "int"),
        (-1, ValueError, "between 0"),
        (2**32, ValueError, "between 0"),
    ],
)
def test_set_seed_rejects_bad_seeds(seed, error, message):
    with pytest.raises(error, match=message):
        helpers.set_seed(seed)


def _train_once(seed: int) -> list[np.ndarray]:
    helpers.set_seed(seed)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(256, 8)).astype("float32")
    y = (x[:, 0] + x[:, 1] > 0).astype("int64")
    model = keras.Sequential(
        [
            keras.Input((8,)),
            keras.layers.Dense(16, activation="relu"),
            keras.layers.Dense(2, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(x, y, epochs=3, batch_size=32, verbose=0)
    return model.get_weights()


def test_same_seed_gives_bit_identical_weights():
    first, second = _train_once(7), _train_once(7)
    assert all(np.array_equal(a, b) for a, b in zip(first, second))


def test_different_seeds_give_different_weights():
    first, second = _train_once(7), _train_once(8)
    assert not all(np.array_equal(a, b) for a, b in zip(first, second))


def _applied_malloc_settings(extra_env: dict[str, str]) -> list[str]:
    """The settings `import helpers` applies in a fresh interpreter with `extra_env`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_")} | extra_env
    code = "import helpers; print(helpers.runtime.configure_malloc())"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    return ast.literal_eval(result.stdout.strip())  # a printed list of str


@pytest.mark.skipif(not GLIBC, reason="mallopt is glibc's")
def test_configure_malloc_applies_every_setting_on_glibc():
    assert _applied_malloc_settings({}) == list(MALLOC_SETTINGS)


@pytest.mark.skipif(not GLIBC, reason="mallopt is glibc's")
def test_configure_malloc_leaves_a_setting_from_the_environment_alone():
    assert _applied_malloc_settings({"MALLOC_ARENA_MAX": "4"}) == ["M_MMAP_THRESHOLD"]
    assert _applied_malloc_settings({"MALLOC_MMAP_THRESHOLD_": "131072"}) == ["M_ARENA_MAX"]


def test_malloc_settings_name_real_glibc_parameters():
    # The parameter numbers of glibc's <malloc.h>; a typo here would silently tune something else.
    assert MALLOC_SETTINGS["M_ARENA_MAX"][:2] == (-8, 2)
    assert MALLOC_SETTINGS["M_MMAP_THRESHOLD"][0] == -3
    assert MALLOC_SETTINGS["M_MMAP_THRESHOLD"][1] <= 32 * 1024 * 1024  # glibc's upper limit


def _fake_cgroups(tmp_path, proc: str, files: dict[str, str]):
    (tmp_path / "proc").write_text(proc)
    root = tmp_path / "cgroup"
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return {"proc_cgroup": tmp_path / "proc", "cgroup_root": root}


@pytest.mark.parametrize(
    ("proc", "files", "expected"),
    [
        # cgroup v2: one CPU in the process's own cgroup
        ("0::/binder/pod\n", {"binder/pod/cpu.max": "100000 100000\n"}, 1),
        # cgroup v2: a quota of 1.5 CPUs on the parent rounds up to 2
        ("0::/binder/pod\n", {"binder/cpu.max": "150000 100000\n", "binder/pod/cpu.max": "max 100000\n"}, 2),
        # cgroup v1, cpu controller on its own hierarchy
        (
            "1:cpu:/job\n2:memory:/job\n",
            {"cpu/job/cpu.cfs_quota_us": "50000\n", "cpu/job/cpu.cfs_period_us": "100000\n"},
            1,
        ),
        # cgroup v1, cpu and cpuacct co-mounted
        (
            "3:cpu,cpuacct:/\n",
            {"cpu,cpuacct/cpu.cfs_quota_us": "100000\n", "cpu,cpuacct/cpu.cfs_period_us": "100000\n"},
            1,
        ),
    ],
    ids=["v2-own", "v2-parent", "v1", "v1-comounted"],
)
def test_available_cpus_follows_the_cgroup_quota(tmp_path, proc, files, expected):
    from helpers.runtime import available_cpus

    assert available_cpus(**_fake_cgroups(tmp_path, proc, files)) == min(
        expected, len(os.sched_getaffinity(0))
    )


@pytest.mark.parametrize(
    "files",
    [{"cpu.max": "max 100000\n"}, {"cpu/cpu.cfs_quota_us": "-1\n", "cpu/cpu.cfs_period_us": "100000\n"}, {}],
    ids=["v2-unlimited", "v1-unlimited", "no-files"],
)
def test_available_cpus_without_a_quota_is_the_affinity_mask(tmp_path, files):
    from helpers.runtime import available_cpus

    kwargs = _fake_cgroups(tmp_path, "0::/\n1:cpu:/\n", files)
    assert available_cpus(**kwargs) == len(os.sched_getaffinity(0))


def test_import_sizes_tensorflow_threads_unless_the_learner_set_them():
    from helpers.runtime import THREAD_VARIABLES

    code = "import os, helpers; print([os.environ[v] for v in helpers.runtime.THREAD_VARIABLES])"
    env = {k: v for k, v in os.environ.items() if k not in THREAD_VARIABLES}
    sized = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    cpus = str(len(os.sched_getaffinity(0)))
    assert sized.stdout.strip() == repr([cpus, cpus])
    kept = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={**env, THREAD_VARIABLES[0]: "0"}
    )
    assert kept.returncode != 0 and "KeyError" in kept.stderr  # the other one is left unset too


def test_every_seed_argument_of_helpers_goes_through_check_seed():
    """One validator for every ``seed=`` (helpers/_validation.check_seed): a public function with a
    seed parameter calls it, or hands the seed on to a function of helpers that does (handing it
    to Keras or NumPy does not count)."""
    import ast
    from pathlib import Path

    package = Path(helpers.__file__).parent
    trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in sorted(package.rglob("*.py"))}
    own = {n.name for tree in trees.values() for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
    unchecked = []
    for path, tree in trees.items():
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
                continue
            if "seed" not in [a.arg for a in node.args.args + node.args.kwonlyargs]:
                continue
            calls = [c for c in ast.walk(node) if isinstance(c, ast.Call)]
            names = {getattr(c.func, "id", getattr(c.func, "attr", "")) for c in calls}
            handed_on = any(
                getattr(c.func, "id", getattr(c.func, "attr", "")) in own
                and any(k.arg == "seed" for k in c.keywords)
                for c in calls
            )
            if not names & {"check_seed", "_check_bootstrap_args"} and not handed_on:
                unchecked.append(f"{path.relative_to(package)}:{node.name}")
    assert not unchecked, f"seed parameters not validated by check_seed: {unchecked}"

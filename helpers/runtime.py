"""Process-level settings: quiet TensorFlow logs, a lean allocator, thread pools sized to the
CPUs the process may use, seeds and op determinism.

TensorFlow reads ``TF_CPP_MIN_LOG_LEVEL`` and ``TF_ENABLE_ONEDNN_OPTS`` only
once, when it is first imported, so :func:`configure_environment` must run
before that import. ``import helpers`` runs it, which is why every chapter
imports ``helpers`` before ``keras`` or ``tensorflow``.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import math
import os
import platform
import sys
import warnings
from pathlib import Path

from helpers._validation import check_seed

#: glibc ``mallopt`` settings applied by :func:`configure_malloc`: parameter name ->
#: (``mallopt`` parameter number, value, the environment variable that overrides it).
MALLOC_SETTINGS: dict[str, tuple[int, int, str]] = {
    # At most 2 arenas (glibc's default is 8 per CPU core): memory freed in one arena cannot be
    # reused by a thread allocating from another, and TensorFlow runs many threads.
    "M_ARENA_MAX": (-8, 2, "MALLOC_ARENA_MAX"),
    # Blocks of 4 MiB and more (batches of images, activations) come from `mmap` and go back to
    # the system when freed. By default glibc raises this threshold to the largest block freed so
    # far (up to 32 MiB), after which large blocks stay in the heap and fragment it.
    "M_MMAP_THRESHOLD": (-3, 4 * 1024 * 1024, "MALLOC_MMAP_THRESHOLD_"),
}

#: TensorFlow's thread-pool sizes, set by :func:`configure_threads` unless already set.
THREAD_VARIABLES: tuple[str, str] = ("TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS")

#: Environment variables set before TensorFlow is imported, and why.
TF_ENVIRONMENT: dict[str, str] = {
    # Hide TensorFlow's C++ INFO/WARNING/ERROR lines ("oneDNN custom operations
    # are on", "Unable to register cuDNN factory", ...) that leak into outputs.
    "TF_CPP_MIN_LOG_LEVEL": "3",
    # oneDNN kernels reorder floating-point sums, which changes the last bits
    # of results from run to run; the course wants bit-identical numbers.
    "TF_ENABLE_ONEDNN_OPTS": "0",
    # Keras 3 can run on several backends; the course is written for TensorFlow.
    "KERAS_BACKEND": "tensorflow",
}


def configure_environment() -> None:
    """Set the environment variables in :data:`TF_ENVIRONMENT` and tune the allocator.

    Values already present in the environment are kept, so a user can still
    override them. It also applies :func:`configure_malloc` and :func:`configure_threads`.
    Nothing else of the process changes (NumPy's print options, for one, are left alone). If TensorFlow was imported before this call
    its settings cannot take effect any more, and a :class:`RuntimeWarning` says so.
    """
    for name, value in TF_ENVIRONMENT.items():
        os.environ.setdefault(name, value)
    configure_malloc()
    configure_threads()
    if "tensorflow" in sys.modules and not getattr(configure_environment, "_warned", False):
        configure_environment._warned = True  # type: ignore[attr-defined]
        warnings.warn(
            "TensorFlow was imported before `helpers`, so its log level and oneDNN "
            "settings could not be applied. Restart the kernel and put `import helpers` "
            "before `import keras` / `import tensorflow`.",
            RuntimeWarning,
            stacklevel=2,
        )


def configure_malloc() -> list[str]:
    """Tune glibc's allocator so that a long notebook does not keep growing in memory.

    TensorFlow allocates and frees many large buffers from many threads; with glibc's default
    settings the freed memory is kept in fragmented per-thread arenas, and a chapter's kernel
    grows by hundreds of MB. This applies :data:`MALLOC_SETTINGS` with ``mallopt`` (the
    in-process equivalent of ``MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=4194304``). Measured on
    chapter 3: peak memory 1574 MiB with glibc's defaults, 1315 MiB with these settings, at the
    same speed within the noise of the measurement.

    A setting whose environment variable is already set is left to glibc. On other C
    libraries (macOS, Windows, musl) this does nothing. It changes how memory is reused, never
    a computed number.

    Returns
    -------
    list of str
        The names of the settings applied, e.g. ``["M_ARENA_MAX", "M_MMAP_THRESHOLD"]``.
    """
    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        return []
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return []
    applied = []
    for name, (param, value, variable) in MALLOC_SETTINGS.items():
        if variable not in os.environ and libc.mallopt(param, value) == 1:
            applied.append(name)
    return applied


def available_cpus(
    *, proc_cgroup: str | Path = Path("/proc/self/cgroup"), cgroup_root: str | Path = Path("/sys/fs/cgroup")
) -> int:
    """The number of CPUs this process may really use.

    ``os.cpu_count()`` counts the host's cores. A container (Binder, a CI runner) usually gets
    fewer: a CPU affinity mask, or a CFS quota in its cgroup (``cpu.max`` in cgroup v2,
    ``cpu.cfs_quota_us`` / ``cpu.cfs_period_us`` in v1). This returns the size of the affinity
    mask, capped by the smallest quota of the process's cgroup and its ancestors, rounded up.

    Parameters
    ----------
    proc_cgroup, cgroup_root : str or pathlib.Path
        Where to read the process's cgroups and the cgroup file systems (for tests).

    Returns
    -------
    int
        At least 1.

    Raises
    ------
    TypeError
        If a path is neither a string nor a :class:`pathlib.Path`.
    """
    for name, value in (("proc_cgroup", proc_cgroup), ("cgroup_root", cgroup_root)):
        if not isinstance(value, str | os.PathLike):
            raise TypeError(f"{name} must be a path (str or pathlib.Path), got {type(value).__name__}.")
    proc_cgroup, cgroup_root = Path(proc_cgroup), Path(cgroup_root)
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        cpus = os.cpu_count() or 1
    quota = _cgroup_cpu_quota(proc_cgroup, cgroup_root)
    if quota is not None:
        cpus = min(cpus, math.ceil(quota))
    return max(1, cpus)


def _cgroup_cpu_quota(proc_cgroup: Path, cgroup_root: Path) -> float | None:
    """The smallest CPU quota (in CPUs) on the process's cgroup path, or None if unlimited."""
    try:
        lines = proc_cgroup.read_text().splitlines()
    except OSError:
        return None
    quotas: list[float] = []
    for line in lines:
        _, controllers, path = line.split(":", 2)
        if controllers == "":  # cgroup v2: `cpu.max` holds "QUOTA PERIOD" or "max PERIOD"
            mounts = [cgroup_root, cgroup_root / "unified"]
            files = ("cpu.max",)
        elif "cpu" in controllers.split(","):  # cgroup v1
            mounts = [cgroup_root / name for name in ("cpu", "cpu,cpuacct", "cpuacct,cpu")]
            files = ("cpu.cfs_quota_us", "cpu.cfs_period_us")
        else:
            continue
        for mount in mounts:
            for directory in [mount / path.lstrip("/"), *(mount / path.lstrip("/")).parents]:
                if not directory.is_relative_to(mount):
                    break
                quota = _read_quota(directory, files)
                if quota is not None:
                    quotas.append(quota)
    return min(quotas) if quotas else None


def _read_quota(directory: Path, files: tuple[str, ...]) -> float | None:
    try:
        if len(files) == 1:
            quota, period = (directory / files[0]).read_text().split()
        else:
            quota, period = ((directory / name).read_text().strip() for name in files)
    except (OSError, ValueError):
        return None
    if quota in ("max", "-1") or float(period) <= 0:
        return None
    return float(quota) / float(period)


def configure_threads() -> int | None:
    """Size TensorFlow's thread pools to :func:`available_cpus`, unless they are already set.

    TensorFlow sizes its pools by the host's cores, not by the container's CPU quota: on a
    Binder pod limited to one CPU of a 64-core host it would run dozens of threads on one CPU.
    Measured under a 1-CPU quota, two epochs of the source's MLP on 20,000 images took 1.71 s
    with 1 thread and 4.30 s with 64. This sets ``TF_NUM_INTRAOP_THREADS`` and
    ``TF_NUM_INTEROP_THREADS``, which TensorFlow reads when it starts, to the number of usable
    CPUs. A learner who set either variable keeps their choice (``0`` means TensorFlow's own
    default).

    Returns
    -------
    int or None
        The number of threads set, or None if the variables were already set.
    """
    if any(name in os.environ for name in THREAD_VARIABLES):
        return None
    cpus = available_cpus()
    for name in THREAD_VARIABLES:
        os.environ[name] = str(cpus)
    return cpus


def set_seed(seed: int) -> None:
    """Seed Python, NumPy and TensorFlow and turn on op determinism.

    After this call, building and training the same model on the same data
    gives bit-identical weights on the same machine.

    Parameters
    ----------
    seed : int
        A non-negative integer (below 2**32); NumPy integers are accepted too.

    Raises
    ------
    TypeError
        If ``seed`` is not an integer.
    ValueError
        If ``seed`` is negative or too large.
    """
    seed = check_seed(seed)
    import keras
    import tensorflow as tf

    # Seeds Python's `random`, NumPy's global generator and TensorFlow.
    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()

"""Run a command under a CPU quota, as Binder runs a learner's pod (about one CPU of a big host).

Creates a cgroup with a CFS quota (cgroup v1's ``cpu`` controller, or cgroup v2's ``cpu.max``),
runs the command in it, and removes the cgroup. Needs root (or a delegated cgroup). Used by
``tests/platforms/test_cpu_quota.py`` and ``scripts/benchmark.py --cpu-quota``.

Usage::

    python scripts/cpu_quota.py 1 -- python -c "import os; print(os.cpu_count())"
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

V1 = Path("/sys/fs/cgroup/cpu")
V2 = Path("/sys/fs/cgroup")
PERIOD_US = 100_000


class QuotaUnavailable(RuntimeError):
    """No cgroup with a CPU quota can be made here."""


def _make_cgroup(cpus: float) -> Path:
    name = f"hotl-quota-{uuid.uuid4().hex[:8]}"
    quota = str(int(cpus * PERIOD_US))
    try:
        if (V1 / "cpu.cfs_quota_us").exists():
            group = V1 / name
            group.mkdir()
            (group / "cpu.cfs_period_us").write_text(str(PERIOD_US))
            (group / "cpu.cfs_quota_us").write_text(quota)
        elif "cpu" in (V2 / "cgroup.controllers").read_text().split():
            if "cpu" not in (V2 / "cgroup.subtree_control").read_text().split():
                (V2 / "cgroup.subtree_control").write_text("+cpu")
            group = V2 / name
            group.mkdir()
            (group / "cpu.max").write_text(f"{quota} {PERIOD_US}")
        else:
            raise QuotaUnavailable("no cgroup CPU controller is mounted (neither v1 `cpu` nor v2 `cpu.max`)")
    except OSError as error:
        raise QuotaUnavailable(
            f"cannot create a cgroup with a CPU quota ({error}); run as root, or in a container "
            "with a writable, delegated cgroup file system"
        ) from error
    return group


def run_with_cpu_quota(cmd: list[str], cpus: float, **kwargs) -> subprocess.CompletedProcess:
    """Run ``cmd`` (``subprocess.run`` keyword arguments allowed) limited to ``cpus`` CPUs."""
    if not cpus > 0:
        raise ValueError(f"cpus must be positive, got {cpus!r}")
    group = _make_cgroup(cpus)
    wrapper = ["sh", "-c", 'echo $$ > "$0/cgroup.procs" && exec "$@"', str(group), *cmd]
    try:
        return subprocess.run(wrapper, **kwargs)
    finally:
        for _ in range(50):  # the cgroup can be removed once its processes have exited
            try:
                group.rmdir()
                break
            except OSError:
                os.sched_yield()


if __name__ == "__main__":
    args = sys.argv[1:]
    if len(args) < 3 or args[1] != "--":
        sys.exit(__doc__)
    sys.exit(run_with_cpu_quota(args[2:], float(args[0])).returncode)

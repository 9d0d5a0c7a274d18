"""Measure every chapter: wall time and peak memory in a fresh kernel.

Each notebook in ``chapters/`` is executed top to bottom in a new Python kernel
(the way a learner's Binder session runs it). We record the wall time of the
execution and the kernel's peak resident set size (``VmHWM`` from
``/proc/<pid>/status``, Linux only). With ``--build`` the script also times
``make book`` from nothing (both editions, every chapter executed) and a rebuild that
keeps only the execution cache; with
``--make-test`` it times ``make test`` in a fresh clone of the repository (its
environments installed from the package cache). With ``--cpu-quota N`` it runs the
chosen chapters again under a cgroup quota of N CPUs (as on Binder), three times:
with ``helpers``' thread sizing, with TensorFlow's default pools, and with 16
threads per pool (what TensorFlow picks on a 16-core host); needs root.

The results go to ``benchmarks/results.md`` (a table for people) and
``benchmarks/results.json``; a run of some chapters only keeps the earlier
figures of the others (marked with their date). This is a measurement, not a
test: nothing here fails on time. ``--max-memory-mb`` makes the script exit non-zero if a chapter
exceeds a memory cap (Binder's is 2048 MB).

Usage::

    python scripts/benchmark.py [--build] [--make-test] [--skip-chapters] [--cpu-quota 1] [--max-memory-mb 2048] [chapters/01_neuron.ipynb ...]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = ROOT / "benchmarks"


#: Thread settings compared under a CPU quota: label -> TF_NUM_INTRAOP/INTEROP_THREADS ("" = unset).
THREAD_MODES = {"helpers' sizing": "", "TensorFlow's default": "0", "16 threads": "16"}


@dataclass
class ChapterRun:
    """One chapter executed in a fresh kernel."""

    notebook: str
    wall_s: float
    peak_rss_mb: float
    cells: int
    measured: str = ""
    processor: str = ""


def _peak_rss_mb(pid: int) -> float:
    """Peak resident set size of a live process, in MiB (Linux ``VmHWM``)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmHWM for process {pid}")


def run_chapter(path: Path, timeout: int = 900) -> ChapterRun:
    """Execute ``path`` in a new kernel; return its wall time and peak memory."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    start = time.perf_counter()
    with client.setup_kernel():
        pid = client.km.provisioner.process.pid
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
        peak = _peak_rss_mb(pid)
    wall = time.perf_counter() - start
    when = datetime.now(UTC).strftime("%Y-%m-%d")
    return ChapterRun(
        str(path.relative_to(ROOT)), round(wall, 1), round(peak, 0), len(nb.cells), when, processor()
    )


def processor() -> str:
    """The processor's model name and whether it has AVX-512 (Linux), else what ``platform`` says.

    Figures from different processors do not compare: the same code took 1.5 times longer on the
    machine of 2026-12-04 13:00 UTC than on an AMD EPYC with AVX-512 two hours later, and training
    there gave slightly different numbers (README, "Benchmarks").
    """
    try:
        info = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor() or platform.machine()
    names = re.findall(r"^model name\s*:\s*(.+)$", info, flags=re.M)
    flags = re.findall(r"^flags\s*:\s*(.+)$", info, flags=re.M)
    name = names[0].strip() if names else platform.machine()
    return f"{name}, {'with' if flags and 'avx512f' in flags[0].split() else 'without'} AVX-512"


def run_under_quota(notebooks: list[Path], cpus: float) -> dict[str, dict[str, float]]:
    """Wall time of each notebook under a ``cpus`` quota, for every mode of :data:`THREAD_MODES`."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from cpu_quota import run_with_cpu_quota

    times: dict[str, dict[str, float]] = {}
    for label, value in THREAD_MODES.items():
        env = {k: v for k, v in os.environ.items() if not k.startswith("TF_NUM_")}
        if value:
            env.update(TF_NUM_INTRAOP_THREADS=value, TF_NUM_INTEROP_THREADS=value)
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "runs.json"
            cmd = [sys.executable, __file__, "--runs-json", str(out), *map(str, notebooks)]
            run_with_cpu_quota(cmd, cpus, check=True, env=env)
            for run in json.loads(out.read_text()):
                times.setdefault(run["notebook"], {})[label] = run["wall_s"]
                print(f"{run['notebook']} under {cpus:g} CPU, {label}: {run['wall_s']:.1f} s", flush=True)
    return times


#: The stages of ``make test``: the Makefile target that writes ``_build/stages/<target>.start``
#: and ``.end`` (seconds since the epoch), and the name in the report.
MAKE_TEST_STAGES = {
    "lint": "lint",
    "unit": "unit tests",
    "notebooks": "chapters under nbval (Binder-like)",
    "book": "book build (both editions)",
    "colab": "Colab-like run",
    "platforms": "platforms",
    "book-check": "built-book checks",
}


def time_make_test() -> dict:
    """Wall time of ``make test`` in a fresh clone of this repository's HEAD, and of its stages.

    The output of ``make`` is streamed. The stages' times are the ones each Makefile target
    records in ``_build/stages/`` (:data:`MAKE_TEST_STAGES`); stages that run side by side
    (``TEST_JOBS``) overlap, so their sum exceeds the total. "environments" is the time before
    the first stage started.
    """
    with tempfile.TemporaryDirectory(prefix="make-test-bench-") as tmp:
        subprocess.run(["git", "clone", "--quiet", str(ROOT), tmp], check=True)
        began = time.time()
        with subprocess.Popen(
            ["make", "test"], cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        ) as proc:
            for line in proc.stdout:
                sys.stdout.write(line)
        if proc.returncode:
            raise subprocess.CalledProcessError(proc.returncode, "make test")
        total = time.time() - began
        stages_dir = Path(tmp) / "_build" / "stages"
        marks = {
            target: [float((stages_dir / f"{target}.{end}").read_text()) for end in ("start", "end")]
            for target in MAKE_TEST_STAGES
        }
    stages = {"environments": round(min(start for start, _ in marks.values()) - began, 1)}
    stages |= {MAKE_TEST_STAGES[t]: round(end - start, 1) for t, (start, end) in marks.items()}
    return {"total_s": round(total, 1), "stages_s": stages}


def time_book_build() -> dict[str, float]:
    """Time ``make book`` from nothing (both editions, every chapter executed) and a rebuild.

    The rebuild keeps the execution cache and nothing else, so it re-reads every page. The
    repository's ``_build`` is moved beside the repository for the measurement and put back
    afterwards (also when the measurement fails; not when the process is killed), since
    ``make book`` writes there (and its execution cache is what makes a build "clean" or not).
    """
    # Beside the repository, not in it: Sphinx would read the notebooks of a folder in it.
    build, saved = ROOT / "_build", ROOT.parent / f".{ROOT.name}_build.before-benchmark"
    if saved.exists():
        raise RuntimeError(f"{saved} exists (from an interrupted benchmark?): move it back to _build first.")
    if build.exists():
        build.rename(saved)
    times = {}
    try:
        for label in ("clean_build_s", "cached_rebuild_s"):
            start = time.perf_counter()
            made = subprocess.run(
                ["make", "--no-print-directory", "book"], cwd=ROOT, check=True, capture_output=True, text=True
            )
            times[label] = round(time.perf_counter() - start, 1)
            ran = [
                line
                for line in made.stdout.splitlines()
                if "executed:" in line or "Executing notebook" in line
            ]
            print(f"make book ({label}): {times[label]} s", *ran, sep="\n  ", flush=True)
            for built in (".doctrees", "html", "zh", "jupyter_execute"):
                shutil.rmtree(build / built, ignore_errors=True)
    finally:
        shutil.rmtree(build, ignore_errors=True)
        if saved.exists():
            saved.rename(build)
    return times


#: Process settings the kernels inherit from `make` and Binder's `start`: glibc's allocator and
#: OpenBLAS's idle threads. They change speed and memory, never a number.
KERNEL_VARIABLES = ("MALLOC_ARENA_MAX", "MALLOC_MMAP_THRESHOLD_", "OPENBLAS_THREAD_TIMEOUT")


def _kernel_env() -> str:
    """The settings of :data:`KERNEL_VARIABLES` the kernels inherit, for the report."""
    found = [f"`{n}={os.environ[n]}`" for n in KERNEL_VARIABLES if n in os.environ]
    return ", ".join(found) if found else "none (only what `import helpers` applies in-process)"


def _previous() -> dict:
    path = OUT_DIR / "results.json"
    return json.loads(path.read_text()) if path.exists() else {}


def write_report(
    runs: list[ChapterRun],
    build: dict[str, float] | None,
    quota: dict | None = None,
    make_test: dict | None = None,
) -> str:
    """Write benchmarks/results.{md,json}, keeping earlier figures not measured now; return the Markdown."""
    previous = _previous()
    measured_now = {r.notebook for r in runs}
    kept = [ChapterRun(**c) for c in previous.get("chapters", []) if c["notebook"] not in measured_now]
    runs = sorted(runs + kept, key=lambda r: r.notebook)
    today = datetime.now(UTC).strftime("%Y-%m-%d")
    build = {**build, "measured": today, "processor": processor()} if build else previous.get("book")
    quota = quota or previous.get("cpu_quota")
    make_test = (
        {**make_test, "measured": today, "processor": processor()} if make_test else previous.get("make_test")
    )
    cpu = processor()
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Benchmarks",
        "",
        f"Measured {when} on {os.cpu_count()} CPU core(s) ({cpu}), Python {platform.python_version()},",
        "by `make benchmark` (`scripts/benchmark.py`). Each chapter runs in a fresh kernel;",
        "peak memory is the kernel's peak resident set size.",
        f"Allocator and BLAS settings in the kernels' environment: {_kernel_env()}.",
        "",
        "| chapter | wall time (s) | peak memory (MiB) | measured | processor |",
        "|---|---:|---:|---|---|",
    ]
    lines += [
        f"| `{r.notebook}` | {r.wall_s:.1f} | {r.peak_rss_mb:.0f} | {r.measured} | {r.processor or 'not recorded'} |"
        for r in runs
    ]
    if build:
        lines += [
            "",
            f"Whole book, measured {build.get('measured', '(date not recorded)')}"
            f" ({build.get('processor', 'processor not recorded')}):",
            "",
        ]
        lines += ["| whole book | time (s) |", "|---|---:|"]
        lines += [
            f"| `make book` from nothing (both editions; executes every chapter) | {build['clean_build_s']:.1f} |"
        ]
        lines += [f"| rebuild with the execution cache | {build['cached_rebuild_s']:.1f} |"]
    if make_test:
        lines += [
            "",
            "`make test` in a fresh clone, environments from the package cache, measured"
            f" {make_test.get('measured', '(date not recorded)')}"
            f" ({make_test.get('processor', 'processor not recorded')}): {make_test['total_s']:.0f} s.",
            "Stages run two at a time (`TEST_JOBS`), so their times overlap and add up to more.",
            "",
            "| stage of `make test` | wall time (s) |",
            "|---|---:|",
        ]
        lines += [f"| {stage} | {t:.0f} |" for stage, t in make_test["stages_s"].items()]
    if quota:
        modes = list(THREAD_MODES)
        lines += ["", f"Under a quota of {quota['cpus']:g} CPU (a cgroup, as on Binder), wall time (s):", ""]
        lines += ["| chapter | " + " | ".join(modes) + " |", "|---|" + "---:|" * len(modes)]
        for notebook, times in quota["times"].items():
            lines += [
                f"| `{notebook}` | " + " | ".join(f"{times.get(m, float('nan')):.1f}" for m in modes) + " |"
            ]
    table = "\n".join(lines) + "\n"
    OUT_DIR.mkdir(exist_ok=True)
    (OUT_DIR / "results.md").write_text(table)
    payload = {
        "measured": when,
        "cpus": os.cpu_count(),
        "kernel_env": _kernel_env(),
        "chapters": [asdict(r) for r in runs],
        "book": build,
        "make_test": make_test,
        "cpu_quota": quota,
    }
    (OUT_DIR / "results.json").write_text(json.dumps(payload, indent=2) + "\n")
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every chapters/NN_*.ipynb")
    parser.add_argument("--build", action="store_true", help="also time a clean and a cached book build")
    parser.add_argument("--max-memory-mb", type=float, help="exit 1 if a chapter's peak memory exceeds this")
    parser.add_argument("--make-test", action="store_true", help="also time `make test` in a fresh clone")
    parser.add_argument(
        "--cpu-quota", type=float, help="also run the chapters under this many CPUs (needs root)"
    )
    parser.add_argument(
        "--skip-chapters", action="store_true", help="time only --build / --make-test / --cpu-quota"
    )
    parser.add_argument("--runs-json", type=Path, help=argparse.SUPPRESS)  # used by --cpu-quota
    args = parser.parse_args(argv)
    notebooks = [p.resolve() for p in args.notebooks] or sorted(
        (ROOT / "chapters").glob("[0-9][0-9]*_*.ipynb")
    )
    runs = []
    for path in [] if args.skip_chapters else notebooks:
        run = run_chapter(path)
        print(f"{run.notebook}: {run.wall_s:.1f} s, peak {run.peak_rss_mb:.0f} MiB", flush=True)
        runs.append(run)
    if args.runs_json:
        args.runs_json.write_text(json.dumps([asdict(r) for r in runs]))
        return 0
    quota = None
    if args.cpu_quota:
        quota = {"cpus": args.cpu_quota, "times": run_under_quota(notebooks, args.cpu_quota)}
    build = time_book_build() if args.build else None
    make_test = time_make_test() if args.make_test else None
    print(write_report(runs, build, quota, make_test))
    if args.max_memory_mb is not None:
        over = [r for r in runs if r.peak_rss_mb > args.max_memory_mb]
        for r in over:
            print(f"{r.notebook} peaked at {r.peak_rss_mb:.0f} MB, over the {args.max_memory_mb:.0f} MB cap")
        return 1 if over else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())

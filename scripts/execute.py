"""Execute the book's chapters into its execution cache, several at a time.

``jupyter-book build`` (myst-nb's ``cache`` mode) executes each chapter whose code is not in
the cache while it reads the chapter, one after another. One chapter's kernel leaves much of a
second core idle (two runs of chapter 3 side by side took 218 s against 161 s for one, on 2
cores, 2026-12-03), so ``make book`` first runs this script: it executes the chapters the cache
lacks ``--jobs`` at a time, longest first (by ``benchmarks/results.json``), the way myst-nb
would (in the chapter's folder, with ``_config.yml``'s timeout, stopping at the first error),
and stores each in the same cache with myst-nb's key, so the build that follows executes
nothing. ``make test`` runs it one at a time, since its other stages use the second core.

Usage::

    python scripts/execute.py [--jobs 2] [--cache _build/.jupyter_cache] [chapters/NN_name.ipynb ...]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]
#: Where ``jupyter-book build`` keeps its execution cache (``_config_zh.yml`` names it too).
DEFAULT_CACHE = ROOT / "_build" / ".jupyter_cache"


def chapters(toc: Path = ROOT / "_toc.yml") -> list[Path]:
    """Every notebook page of the table of contents, in reading order."""

    def walk(entries: list[dict]) -> list[str]:
        return [name for e in entries for name in [e["file"], *walk(e.get("sections", []))]]

    data = yaml.safe_load(toc.read_text(encoding="utf-8"))
    names = [data["root"]] + [n for part in data["parts"] for n in walk(part["chapters"])]
    return [ROOT / f"{name}.ipynb" for name in names if (ROOT / f"{name}.ipynb").exists()]


def longest_first(paths: Sequence[Path], results: Path = ROOT / "benchmarks" / "results.json") -> list[Path]:
    """``paths`` ordered by their benchmarked wall time, longest first; unmeasured ones first of all.

    Longest first keeps every worker busy to the end: the longest chapter does not start last.
    """
    measured: dict[str, float] = {}
    if results.exists():
        for run in json.loads(results.read_text(encoding="utf-8")).get("chapters", []):
            measured[run["notebook"]] = float(run["wall_s"])

    def expected(path: Path) -> float:
        return measured.get(_name(path), float("inf"))

    return sorted(paths, key=expected, reverse=True)


def execution_settings(config: Path = ROOT / "_config.yml") -> tuple[int, bool]:
    """The book's per-cell timeout (seconds) and whether it allows errors, from ``_config.yml``."""
    execute = yaml.safe_load(config.read_text(encoding="utf-8")).get("execute", {})
    return int(execute.get("timeout", 30)), bool(execute.get("allow_errors", False))


def _execute(path: str, timeout: int, allow_errors: bool) -> tuple[str, str, float, str | None]:
    """Execute one notebook in its folder (a worker process); the executed notebook as JSON."""
    from jupyter_cache.executors.utils import single_nb_execution

    notebook = nbformat.read(path, as_version=4)
    result = single_nb_execution(
        notebook, cwd=str(Path(path).parent), timeout=timeout, allow_errors=allow_errors
    )
    return path, nbformat.writes(result.nb), result.time, result.exc_string


def execute(paths: Sequence[Path], cache_path: Path, jobs: int) -> list[str]:
    """Execute the notebooks of ``paths`` that ``cache_path`` lacks, ``jobs`` at a time.

    Parameters
    ----------
    paths : sequence of Path
        Notebooks, in the order to start them.
    cache_path : Path
        A jupyter-cache folder (created if missing).
    jobs : int
        How many notebooks run at once (each in its own kernel).

    Returns
    -------
    list of str
        The error report of each notebook that failed (empty when all ran); the others are
        cached, so a later run executes only the failed ones.
    """
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    if not isinstance(jobs, int) or isinstance(jobs, bool) or jobs < 1:
        raise ValueError(f"jobs must be a whole number of at least 1, got {jobs!r}.")
    cache = get_cache(str(cache_path))
    todo = []
    for path in paths:
        try:
            cache.match_cache_notebook(nbformat.read(path, as_version=4))
            print(f"cached:    {_name(path)}", flush=True)
        except KeyError:
            todo.append(path)
    timeout, allow_errors = execution_settings()
    failures = []
    began = time.perf_counter()
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(_execute, str(p), timeout, allow_errors) for p in todo]
        for future in as_completed(futures):
            path, executed, seconds, error = future.result()
            name = _name(Path(path))
            if error:
                failures.append(f"{name} failed:\n{error}")
                print(f"FAILED:    {name} after {seconds:.1f} s", flush=True)
                continue
            cache.cache_notebook_bundle(
                CacheBundleIn(
                    nbformat.reads(executed, as_version=4), path, data={"execution_seconds": seconds}
                ),
                check_validity=False,
                overwrite=True,
            )
            print(f"executed:  {name} in {seconds:.1f} s", flush=True)
    if todo:
        print(f"{len(todo)} chapter(s) in {time.perf_counter() - began:.1f} s, {jobs} at a time", flush=True)
    return failures


def _name(path: Path) -> str:
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=2, help="chapters that run at once (default 2)")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="the jupyter-cache folder")
    parser.add_argument("notebooks", nargs="*", type=Path, help="only these (default: every chapter)")
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error(f"--jobs must be at least 1, got {args.jobs}")
    paths = [p.resolve() for p in args.notebooks] or chapters()
    failures = execute(longest_first(paths), args.cache, args.jobs)
    for report in failures:
        print(report, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

"""Run the learner notebooks as Google Colab would, offline: ``make colab``.

Colab has its own, older TensorFlow and Keras, no myst-nb and no jupyter-book, and the course's
files only after the chapter's first (hidden) cell has cloned the repository. This script runs
every notebook of ``learner/`` top to bottom in that situation:

* in the Python of the Colab-like environment (``.venv-colab``, from ``requirements/colab.txt``;
  run this script with that environment's Python), where neither myst-nb nor the course's
  ``helpers`` is installed;
* with a stand-in ``google.colab`` module imported at start-up (Colab imports it in every
  kernel), so the chapter's Colab cell runs its real code;
* with that cell's clone pointed at a snapshot of this working tree (``HOTL_REPO``, a local git
  repository: no network) and cloned into a fresh ``/content``-like folder (``HOTL_HOME``).

``--quick`` sets a chapter's ``N_SEEDS`` knob to 1 (chapter 4 and section 4.2), the one change made
to a notebook. Exit status 1 if any notebook fails; a summary goes to ``_build/colab/``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "_build" / "colab"
QUICK = re.compile(r"^N_SEEDS = \d+", flags=re.MULTILINE)
STANDIN = '''"""A stand-in for Colab's `google.colab` module, for the Colab-like run of `make colab`."""
'''


def snapshot(root: Path, dest: Path) -> Path:
    """A git repository with the working tree's files (tracked and untracked, not ignored)."""
    listed = (
        subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=root,
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .split("\0")
    )
    for name in filter(None, listed):
        src = root / name
        if src.is_file():  # a deleted but still tracked file is skipped
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    git = ["git", "-C", str(dest), "-c", "user.name=colab-run", "-c", "user.email=colab-run@localhost"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "snapshot of the working tree"], check=True)
    return dest


def colab_standin(dest: Path) -> Path:
    """A folder for PYTHONPATH whose ``sitecustomize`` imports a stand-in ``google.colab``."""
    (dest / "google" / "colab").mkdir(parents=True)  # `google` stays a namespace package
    (dest / "google" / "colab" / "__init__.py").write_text(STANDIN)
    (dest / "sitecustomize.py").write_text("import google.colab  # noqa: F401  (as in Colab)\n")
    return dest


def run(path: Path, content: Path, quick: bool) -> tuple[bool, float, str]:
    """Execute one notebook in a fresh kernel started in ``content``; (ok, seconds, error)."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = nbformat.read(path, as_version=4)
    if quick:
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.source = QUICK.sub("N_SEEDS = 1", cell.source)
    client = NotebookClient(
        nb, timeout=900, kernel_name="python3", resources={"metadata": {"path": str(content)}}
    )
    start = time.perf_counter()
    try:
        client.execute()
    except CellExecutionError as error:
        return False, time.perf_counter() - start, str(error)[-3000:]
    return True, time.perf_counter() - start, ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: learner/*.ipynb")
    parser.add_argument("--quick", action="store_true", help="N_SEEDS = 1 (fewer seeds, same code)")
    args = parser.parse_args(argv)
    if importlib.util.find_spec("myst_nb") or importlib.util.find_spec("helpers"):
        print(
            "Run this with the Colab-like environment's Python (`make colab`): it must have neither "
            "myst-nb nor the course's helpers installed, as in Colab."
        )
        return 2
    notebooks = args.notebooks or sorted((ROOT / "learner").glob("[0-9][0-9]*_*.ipynb"))
    if not notebooks:
        print("No learner notebooks found: run `make editions` first.")
        return 2
    import keras
    import tensorflow as tf

    versions = {"python": sys.version.split()[0], "tensorflow": tf.__version__, "keras": keras.__version__}
    print(
        "Colab-like run:",
        ", ".join(f"{k} {v}" for k, v in versions.items()),
        "| quick" * args.quick,
        flush=True,
    )
    summary, failed = {"versions": versions, "quick": args.quick, "notebooks": {}}, []
    with tempfile.TemporaryDirectory(prefix="colab-run-") as tmp:
        repo = snapshot(ROOT, Path(tmp) / "repo")
        content = Path(tmp) / "content"
        content.mkdir()
        os.environ.update(
            {
                "HOTL_REPO": str(repo),
                "HOTL_HOME": str(content / "course"),
                "PYTHONPATH": str(colab_standin(Path(tmp) / "standin")),
            }
        )
        for path in notebooks:
            ok, seconds, error = run(path, content, args.quick)
            summary["notebooks"][path.stem] = {"ok": ok, "seconds": round(seconds, 1)}
            print(f"  {path.stem}: {'ok' if ok else 'FAILED'} in {seconds:.1f} s", flush=True)
            if not ok:
                failed.append(path.stem)
                print(error, flush=True)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "summary.json").write_text(json.dumps(summary, indent=1) + "\n")
    if failed:
        print(f"Colab-like run: {len(failed)} notebook(s) failed: {', '.join(failed)}")
        return 1
    print(f"Colab-like run: all {len(notebooks)} notebooks ran.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

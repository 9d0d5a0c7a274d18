"""Grade a folder of submitted student notebooks with nbgrader, without Docker.

Usage::

    python scripts/grade.py SUBMISSIONS [--out grades.csv] [--workdir DIR]

``SUBMISSIONS`` holds one folder per student, each with that student's notebooks under
their chapter names (``SUBMISSIONS/alice/01_neuron.ipynb``): the layout of nbgrader's
``submitted/`` folder without the assignment level, or of an LMS download unzipped per
student. Each chapter is an nbgrader assignment whose source is the generated student
notebook (``student/NN_*.ipynb``, the student edition of ``scripts/editions.py``).

The script builds a throw-away nbgrader course in ``--workdir`` (a temporary folder by
default), runs ``nbgrader generate_assignment`` and ``nbgrader autograde`` there (nbgrader
executes each submission in a local kernel of this environment; the locked check cells are
restored from the source first, so a learner cannot edit them), and writes a score table:
one row per student and chapter, one column per exercise, the total and the maximum. The
check cells are the same ``checks.NAME.check()`` calls that give instant feedback: under
nbgrader they raise when an answer is not correct, which withholds the exercise's points.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STUDENT = ROOT / "student"

CONFIG = """\
c = get_config()  # noqa: F821
c.CourseDirectory.root = {root!r}
c.CourseDirectory.db_url = "sqlite:///{root}/gradebook.db"
c.Execute.timeout = {timeout}
c.Execute.kernel_name = "python3"
"""


def _nbgrader(args: list[str], cwd: Path) -> None:
    """Run one nbgrader command in the course folder ``cwd``; fail loudly."""
    command = [sys.executable, "-m", "nbgrader", *args]
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")


def prepare_course(submissions: Path, course: Path, timeout: int = 600) -> list[str]:
    """Lay out an nbgrader course in ``course`` for the notebooks in ``submissions``.

    Returns the assignments (chapter names) found.
    """
    students = sorted(p for p in submissions.iterdir() if p.is_dir() and not p.name.startswith("."))
    if not students:
        raise ValueError(
            f"{submissions} has no student folders (expected SUBMISSIONS/<student>/<chapter>.ipynb)."
        )
    course.mkdir(parents=True, exist_ok=True)
    (course / "nbgrader_config.py").write_text(CONFIG.format(root=str(course), timeout=timeout))
    assignments: set[str] = set()
    for folder in students:
        for notebook in sorted(folder.glob("*.ipynb")):
            source = STUDENT / notebook.name
            if not source.exists():
                raise ValueError(
                    f"{notebook}: no student notebook {source.name} in student/ to grade against."
                )
            chapter = notebook.stem
            if chapter not in assignments:
                (course / "source" / chapter).mkdir(parents=True, exist_ok=True)
                shutil.copy(source, course / "source" / chapter / notebook.name)
                assignments.add(chapter)
            target = course / "submitted" / folder.name / chapter
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy(notebook, target / notebook.name)
    return sorted(assignments)


def scores(course: Path) -> list[dict]:
    """One row per student and assignment: the score of each exercise, the total and the maximum."""
    from nbgrader.api import Gradebook, MissingEntry

    rows = []
    with Gradebook(f"sqlite:///{course}/gradebook.db") as gradebook:
        for assignment in gradebook.assignments:
            for student in sorted(gradebook.students, key=lambda s: s.id):
                row: dict = {"student": student.id, "chapter": assignment.name}
                try:
                    submission = gradebook.find_submission(assignment.name, student.id)
                except MissingEntry:
                    continue
                for notebook in submission.notebooks:
                    for grade in sorted(notebook.grades, key=lambda g: g.cell.name):
                        row[grade.cell.name] = grade.score
                row["total"] = submission.score
                row["max"] = submission.max_score
                rows.append(row)
    return rows


def grade(submissions: Path, out: Path, workdir: Path | None = None, timeout: int = 600) -> list[dict]:
    """Grade every notebook under ``submissions`` and write the score table to ``out`` (CSV)."""
    # nbgrader runs `alembic` (its database migrations) from PATH: use this environment's.
    bindir = str(Path(sys.executable).parent)
    if bindir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")
    with tempfile.TemporaryDirectory(prefix="grade-") as tmp:
        course = Path(workdir) if workdir is not None else Path(tmp)
        assignments = prepare_course(Path(submissions), course, timeout)
        for assignment in assignments:
            _nbgrader(["generate_assignment", assignment, "--force"], course)
            _nbgrader(["autograde", assignment, "--force", "--create"], course)
        rows = scores(course)
    columns = ["student", "chapter"]
    columns += sorted({k for row in rows for k in row} - {"student", "chapter", "total", "max"})
    columns += ["total", "max"]
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, restval="")
        writer.writeheader()
        writer.writerows(rows)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("submissions", type=Path, help="folder with one sub-folder per student")
    parser.add_argument("--out", type=Path, default=Path("grades.csv"), help="score table (CSV)")
    parser.add_argument("--workdir", type=Path, default=None, help="keep the nbgrader course here")
    parser.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    args = parser.parse_args(argv)
    rows = grade(args.submissions, args.out, args.workdir, args.timeout)
    for row in rows:
        print(f"{row['student']:20s} {row['chapter']:20s} {row['total']:g} / {row['max']:g}")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Grade a folder of submitted student notebooks with nbgrader, without Docker.

Usage::

    python scripts/grade.py SUBMISSIONS [--variants graded/variants.csv] [--out grades.csv]
                            [--feedback DIR] [--workdir DIR]

``SUBMISSIONS`` holds one folder per student, each with that student's notebooks under
their chapter names (``SUBMISSIONS/alice/01_neuron.ipynb``): the layout of nbgrader's
``submitted/`` folder without the assignment level, or of an LMS download unzipped per
student. Each chapter is an nbgrader assignment whose source is the generated student
notebook (``student/NN_*.ipynb``, the student edition of ``scripts/editions.py``).

The script builds a throw-away nbgrader course in ``--workdir`` (a temporary folder by
default) and runs ``nbgrader generate_assignment`` and ``nbgrader autograde`` there: nbgrader
restores the locked check cells from the source (a learner cannot edit or remove what they
run) and executes each submission in a local kernel of this environment, with a time limit
per cell (``--timeout``; a cell that runs longer is interrupted and the rest still runs).

The grade does not come from that kernel. A learner's cells control it: they can unset the
grading variables, monkeypatch ``helpers.checks`` or redefine ``checks``. In grading mode each
check cell writes the learner's answers into its output as evidence (``helpers.evidence``);
this script imported every checker before any submission ran, reads the evidence of each
locked check cell from the executed notebook, and checks it again in its own process
(``Exercise.grade``). An exercise whose check cell left no evidence gets no points. The
scores replace nbgrader's automatic ones in its gradebook, so ``nbgrader export`` and the
formgrader show the same numbers as the score table written here: one row per student and
chapter, one column per exercise, the total and the maximum. Next to it, ``--feedback``
receives one Markdown report per student and chapter: each exercise, its points and what the
check says.

With ``--variants`` (the ``variants.csv`` that ``scripts/editions.py --graded`` wrote when it
made each learner's notebooks), each learner's answers are checked against their own variant,
whatever variant their notebook claims; without it, against the book's (variant 0).

A learner's cell runs with this user's rights: it could also write to files, this script's
included. The script fails if a submission changed the installed ``helpers`` package; for a
class you do not trust, run it in a throw-away container.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STUDENT = ROOT / "student"
sys.path.insert(0, str(ROOT))

from helpers import checks, evidence  # noqa: E402  (imported before any submission runs)
from helpers.exercises import Exercise, Feedback  # noqa: E402

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


def checkers(chapter: str) -> dict[str, Exercise]:
    """The exercises of ``chapter`` (``01_neuron``), imported from this checkout's ``helpers``."""
    return {exercise.name: exercise for exercise in checks.for_chapter(chapter).EXERCISES}


def _fingerprint() -> str:
    """A digest of every file of the ``helpers`` package (to see that no submission changed it)."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "helpers").rglob("*.py")):
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def read_evidence(notebook: dict) -> dict[str, object]:
    """The evidence each locked check cell of an executed notebook wrote, by grade id."""
    found: dict[str, object] = {}
    for cell in notebook.get("cells", []):
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if cell.get("cell_type") != "code" or not grade_id:
            continue
        payloads = [
            out["data"][evidence.MIME_TYPE]
            for out in cell.get("outputs", [])
            if isinstance(out.get("data"), dict) and evidence.MIME_TYPE in out["data"]
        ]
        found[grade_id] = payloads[-1] if payloads else None
    return found


def verdicts(notebook: dict, chapter: str, variant: int = 0) -> dict[str, Feedback]:
    """Check the evidence of every exercise of ``chapter`` in an executed notebook, for ``variant``."""
    payloads = read_evidence(notebook)
    return {name: ex.grade(payloads.get(name), variant) for name, ex in checkers(chapter).items()}


def read_variants(path: Path) -> dict[str, int]:
    """``student -> variant`` from the ``variants.csv`` written by ``scripts/editions.py --graded``."""
    with Path(path).open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    if not rows or not {"student", "variant"} <= set(rows[0]):
        raise ValueError(f"{path}: expected a CSV with the columns student and variant")
    variants = {}
    for row in rows:
        if not (row["variant"] or "").strip().isdigit():
            raise ValueError(f"{path}: the variant of {row['student']!r} is not a whole number")
        variants[row["student"].strip()] = int(row["variant"])
    return variants


def feedback_report(student: str, chapter: str, results: dict[str, Feedback]) -> str:
    """A learner's report (Markdown): each exercise, its points and what the check says."""
    exercises = checkers(chapter)
    total = sum(exercises[n].points for n, f in results.items() if f.correct)
    maximum = sum(ex.points for ex in exercises.values())
    lines = [f"# {chapter}: {student}", "", f"Score: {total:g} / {maximum:g}", ""]
    lines += ["| exercise | points | result |", "|---|---:|---|"]
    for name, result in results.items():
        points = exercises[name].points if result.correct else 0
        message = result.message.replace("|", "\\|").replace("\n", " ")
        lines.append(
            f"| `{name}` | {points:g} / {exercises[name].points:g} | {result.status.value}: {message} |"
        )
    return "\n".join(lines) + "\n"


def scores(
    course: Path, feedback_dir: Path | None = None, variants: dict[str, int] | None = None
) -> list[dict]:
    """Grade the evidence in every autograded notebook; store the scores in nbgrader's gradebook.

    Returns one row per student and assignment: the score of each exercise, the total and the
    maximum. With ``feedback_dir``, writes ``feedback_dir/STUDENT/CHAPTER.md`` for each.
    """
    from nbgrader.api import Gradebook, MissingEntry

    rows = []
    with Gradebook(f"sqlite:///{course}/gradebook.db") as gradebook:
        for assignment in gradebook.assignments:
            exercises = checkers(assignment.name)
            for student in sorted(gradebook.students, key=lambda s: s.id):
                try:
                    gradebook.find_submission(assignment.name, student.id)
                except MissingEntry:
                    continue
                folder = course / "autograded" / student.id / assignment.name
                path = folder / f"{assignment.name}.ipynb"
                notebook = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
                results = verdicts(notebook, assignment.name, (variants or {}).get(student.id, 0))
                row: dict = {"student": student.id, "chapter": assignment.name}
                for name, result in results.items():
                    row[name] = exercises[name].points if result.correct else 0
                    try:
                        grade = gradebook.find_grade(name, assignment.name, assignment.name, student.id)
                    except MissingEntry:  # the check cell is gone: no points, as above
                        continue
                    grade.auto_score = row[name]
                gradebook.db.commit()
                row["total"] = sum(row[name] for name in results)
                row["max"] = sum(ex.points for ex in exercises.values())
                rows.append(row)
                if feedback_dir is not None:
                    report = Path(feedback_dir) / student.id / f"{assignment.name}.md"
                    report.parent.mkdir(parents=True, exist_ok=True)
                    report.write_text(feedback_report(student.id, assignment.name, results))
    return rows


def grade(
    submissions: Path,
    out: Path,
    workdir: Path | None = None,
    timeout: int = 600,
    feedback_dir: Path | None = None,
    variants: dict[str, int] | None = None,
) -> list[dict]:
    """Grade every notebook under ``submissions`` and write the score table to ``out`` (CSV).

    Parameters
    ----------
    submissions : Path
        One folder per student, each with that student's chapter notebooks.
    out : Path
        The score table (CSV) to write.
    workdir : Path, optional
        Where to keep the nbgrader course (default: a temporary folder, removed afterwards).
    timeout : int, default 600
        Seconds each cell may run before it is interrupted.
    feedback_dir : Path, optional
        Where to write one Markdown report per student and chapter.
    variants : dict, optional
        ``student -> variant`` (see :func:`read_variants`); every student must be listed.

    Raises
    ------
    RuntimeError
        If nbgrader fails, or a submission changed the files of the ``helpers`` package.
    """
    # nbgrader runs `alembic` (its database migrations) from PATH: use this environment's.
    bindir = str(Path(sys.executable).parent)
    if bindir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")
    if variants is not None:
        students = {p.name for p in Path(submissions).iterdir() if p.is_dir() and not p.name.startswith(".")}
        missing = sorted(students - set(variants))
        if missing:
            raise ValueError(f"no variant for {', '.join(missing)}: add them to the variants file")
    before = _fingerprint()
    with tempfile.TemporaryDirectory(prefix="grade-") as tmp:
        course = Path(workdir) if workdir is not None else Path(tmp)
        assignments = prepare_course(Path(submissions), course, timeout)
        for assignment in assignments:
            checkers(assignment)  # every checker is imported before a submission runs
            _nbgrader(["generate_assignment", assignment, "--force"], course)
            _nbgrader(["autograde", assignment, "--force", "--create"], course)
            if _fingerprint() != before:
                raise RuntimeError(
                    f"a submission of {assignment} changed the files of the helpers package: "
                    "restore them (git checkout helpers) and grade that class in a throw-away container."
                )
        rows = scores(course, feedback_dir, variants)
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
    parser.add_argument(
        "--feedback", type=Path, default=Path("feedback"), help="one report per student and chapter"
    )
    parser.add_argument("--variants", type=Path, help="variants.csv of scripts/editions.py --graded")
    parser.add_argument("--workdir", type=Path, default=None, help="keep the nbgrader course here")
    parser.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    args = parser.parse_args(argv)
    variants = read_variants(args.variants) if args.variants else None
    rows = grade(args.submissions, args.out, args.workdir, args.timeout, args.feedback, variants)
    for row in rows:
        print(f"{row['student']:20s} {row['chapter']:20s} {row['total']:g} / {row['max']:g}")
    print(f"wrote {args.out} and the learners' reports in {args.feedback}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Autograding (scripts/grade.py): a class of chapter-1 submissions, graded end to end.

nbgrader executes each submission in a local kernel (no Docker) and the grader checks the
evidence its check cells wrote, in its own process. The class: an untouched notebook, a complete
one, a learner's graded variant partly right (partly copied from the book) whose last answer
cell never ends, and a tamperer (each exercise attacked a different way, each with a wrong
answer). Chapter 1 runs four times, one of them with a cell that runs into the timeout: about
three minutes on 2 cores.
"""

from __future__ import annotations

import copy
import csv
import json

import nbformat
import pytest
from notebook_tools import ROOT, script

from helpers.checks import ch01

pytestmark = pytest.mark.slow  # grades four submissions: chapter 1 runs four times


make_student = script("make_student")
grade = script("grade")

CHAPTER = ROOT / "chapters" / "01_neuron.ipynb"
STUDENT = ROOT / "student" / "01_neuron.ipynb"
NAMES = [ex.name for ex in ch01.EXERCISES]
POINTS = {ex.name: ex.points for ex in ch01.EXERCISES}


#: The variant of the learner "partial" (the others work on the book's numbers, variant 0).
VARIANT = 12345
#: The right answer to the neuron exercise in any variant, as a learner would write it.
NEURON_ANY_VARIANT = (
    "p = checks.neuron_by_hand.params()  # this notebook's numbers\n"
    'neuron_output = float(neuron(np.array(p["x"]), np.array(p["w"]), p["b"], sigmoid))\n'
)


#: An answer cell that never ends. It sleeps rather than spins, so that the minute until
#: nbgrader's timeout leaves the CPU to the stage running beside this one in `make test`.
HANG = "import time\n\nwhile True:  # never ends\n    time.sleep(1)\n"


def _submission(answers: list[str | None], variant: int | None = None) -> dict:
    """The student notebook (or a learner's graded notebook of ``variant``) with its answer cells
    replaced (None keeps the placeholder)."""
    if variant is None:
        nb = copy.deepcopy(json.loads(STUDENT.read_text(encoding="utf-8")))
    else:
        nb = json.loads(
            make_student.graded_files({"x": variant}, ROOT, [CHAPTER.stem])[ROOT / "x" / STUDENT.name]
        )
    answer_cells = [c for c in nb["cells"] if "exercise-answer" in c["metadata"].get("tags", [])]
    assert len(answer_cells) == len(answers) == len(NAMES)
    for cell, answer in zip(answer_cells, answers):
        if answer is not None:
            cell["source"] = answer
    return nb


#: Each exercise of chapter 1 attacked a different way, each with a wrong answer.
TAMPERING = [
    # the checker monkeypatched in the kernel: the kernel says "correct", the grade must not
    "checks.neuron_by_hand.checker = lambda *answers, **numbers: None\nneuron_output = 0.5\n",
    # the check cell is edited below (nbgrader restores it from the source)
    "n_params = 1\n",
    # a cell that raises: the answer stays undefined, the rest of the notebook still runs
    'raise RuntimeError("this cell fails")\n',
    # grading switched off: the check writes no evidence and raises nothing
    'import os\n\nos.environ.pop("NBGRADER_EXECUTION", None)\nos.environ["HOTL_GRADING"] = "0"\n'
    "xor_accuracies = {1: 0.5, 2: 0.5, 4: 0.5}\nsmallest_width = 4\n",
]


def _edit_check_cell(nb: dict, name: str, source: str) -> dict:
    for cell in nb["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == name:
            cell["source"] = source
    return nb


@pytest.fixture(scope="module")
def class_dir(tmp_path_factory):
    solutions = make_student.solutions(CHAPTER)
    mistake = 'def tanh_derivative(z):\n    """Forgot to square."""\n    return 1.0 - np.tanh(z)\n'
    submissions = {
        "untouched": _submission([None] * len(NAMES)),
        "complete": _submission(solutions),
        # graded variant: right for its own numbers, the book's parameter count copied, a wrong
        # derivative, and a last answer cell that never ends (nbgrader interrupts it)
        "partial": _submission([NEURON_ANY_VARIANT, solutions[1], mistake, HANG], VARIANT),
        "tamperer": _edit_check_cell(_submission(TAMPERING), "count_params", "pass  # no check here\n"),
    }
    folder = tmp_path_factory.mktemp("submissions")
    for student, nb in submissions.items():
        (folder / student).mkdir()
        (folder / student / STUDENT.name).write_text(json.dumps(nb), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def feedback_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("feedback")


@pytest.fixture(scope="module")
def course_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("course")


@pytest.fixture(scope="module")
def graded(class_dir, feedback_dir, course_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("grades") / "grades.csv"
    variants = {student.name: 0 for student in class_dir.iterdir()} | {"partial": VARIANT}
    grade.grade(class_dir, out, workdir=course_dir, timeout=60, feedback_dir=feedback_dir, variants=variants)
    with out.open() as handle:
        return {row["student"]: row for row in csv.DictReader(handle)}


def test_score_table_has_a_row_per_student_and_a_column_per_exercise(graded):
    assert set(graded) == {"untouched", "complete", "partial", "tamperer"}
    for row in graded.values():
        assert row["chapter"] == "01_neuron"
        assert set(NAMES) <= set(row)
        assert float(row["max"]) == sum(POINTS.values())


def test_untouched_student_notebook_gets_no_marks(graded):
    assert float(graded["untouched"]["total"]) == 0


def test_reference_solutions_get_full_marks(graded):
    row = graded["complete"]
    assert float(row["total"]) == float(row["max"])
    assert all(float(row[name]) == POINTS[name] for name in NAMES)


def test_a_variant_is_graded_against_its_own_numbers_and_copying_the_book_fails(graded):
    """ "partial" works on variant 12345: its neuron is right for those numbers; its parameter
    count is the book's, wrong for its own network; its tanh derivative is wrong; its last cell
    hangs (see below)."""
    assert ch01.count_params.params(VARIANT) != ch01.count_params.params(0)
    row = graded["partial"]
    expected = {"neuron_by_hand": 1, "count_params": 0, "tanh_derivative": 0, "xor_width": 0}
    assert {name: float(row[name]) for name in NAMES} == expected
    assert float(row["total"]) == 1


def test_tampering_earns_nothing(graded):
    row = graded["tamperer"]
    assert {name: float(row[name]) for name in NAMES} == dict.fromkeys(NAMES, 0.0)


def test_a_cell_that_never_ends_is_interrupted_and_the_rest_is_graded(graded, course_dir):
    """ "partial"'s last answer cell never ends: nbgrader interrupts it at the timeout, the
    notebook's later cells still run, and the earlier answers keep their marks."""
    autograded = course_dir / "autograded" / "partial" / CHAPTER.stem / STUDENT.name
    cells = nbformat.read(autograded, as_version=4).cells
    hung = [c for c in cells if c["cell_type"] == "code" and "while True:  # never ends" in c["source"]]
    assert len(hung) == 1 and "error" in {o["output_type"] for o in hung[0]["outputs"]}
    after = cells[cells.index(hung[0]) + 1 :]
    assert any(c["cell_type"] == "code" and c.get("execution_count") for c in after)
    assert float(graded["partial"]["xor_width"]) == 0 and float(graded["partial"]["neuron_by_hand"]) == 1


def test_each_learner_gets_a_readable_report(graded, feedback_dir):
    for student, row in graded.items():
        report = (feedback_dir / student / f"{CHAPTER.stem}.md").read_text()
        assert f"Score: {float(row['total']):g} / {float(row['max']):g}" in report
        for name in NAMES:
            assert f"`{name}`" in report
    tamperer = (feedback_dir / "tamperer" / f"{CHAPTER.stem}.md").read_text()
    assert "Not right yet" in tamperer and "left no evidence" in tamperer
    assert "Correct" in (feedback_dir / "complete" / f"{CHAPTER.stem}.md").read_text()


def test_the_gradebook_holds_the_graders_scores_not_the_kernels(graded, course_dir):
    """The monkeypatched checker said "correct" in the kernel; the gradebook must say 0."""
    from nbgrader.api import Gradebook

    autograded = course_dir / "autograded" / "tamperer" / CHAPTER.stem / STUDENT.name
    outputs = json.loads(autograded.read_text())["cells"]
    fooled = [c for c in outputs if c["metadata"].get("nbgrader", {}).get("grade_id") == "neuron_by_hand"]
    assert "Correct" in json.dumps(fooled[0]["outputs"])  # the kernel was fooled...
    with Gradebook(f"sqlite:///{course_dir}/gradebook.db") as gradebook:
        for name in NAMES:  # ...the grade was not
            assert gradebook.find_grade(name, CHAPTER.stem, CHAPTER.stem, "tamperer").score == 0
        complete = gradebook.find_submission(CHAPTER.stem, "complete")
        assert complete.score == complete.max_score


def test_grading_refuses_a_folder_without_student_folders(tmp_path):
    with pytest.raises(ValueError, match="no student folders"):
        grade.prepare_course(tmp_path, tmp_path / "course")


def test_grading_refuses_a_notebook_with_no_student_version(tmp_path):
    (tmp_path / "alice").mkdir()
    (tmp_path / "alice" / "99_unknown.ipynb").write_text("{}")
    with pytest.raises(ValueError, match="no student notebook 99_unknown.ipynb"):
        grade.prepare_course(tmp_path, tmp_path / "course")

"""Autograding with nbgrader (scripts/grade.py): three submissions of chapter 1, graded end to end.

nbgrader executes each submission in a local kernel (no Docker), so this test runs the chapter
three times: about 1.5 minutes of CPU.
"""

from __future__ import annotations

import copy
import csv
import importlib.util
import json

import pytest
from notebook_tools import ROOT

from helpers.checks import ch01

pytestmark = pytest.mark.slow  # grades three submissions: chapter 1 runs three times


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make_student = _load("make_student")
grade = _load("grade")

CHAPTER = ROOT / "chapters" / "01_neuron.ipynb"
STUDENT = ROOT / "student" / "01_neuron.ipynb"
NAMES = [ex.name for ex in ch01.EXERCISES]
POINTS = {ex.name: ex.points for ex in ch01.EXERCISES}


def _submission(answers: list[str | None]) -> dict:
    """The student notebook with its answer cells replaced (None keeps the placeholder)."""
    nb = copy.deepcopy(json.loads(STUDENT.read_text(encoding="utf-8")))
    answer_cells = [c for c in nb["cells"] if "exercise-answer" in c["metadata"].get("tags", [])]
    assert len(answer_cells) == len(answers) == len(NAMES)
    for cell, answer in zip(answer_cells, answers):
        if answer is not None:
            cell["source"] = answer
    return nb


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    solutions = make_student.solutions(CHAPTER)
    mistake = 'def tanh_derivative(z):\n    """Forgot to square."""\n    return 1.0 - np.tanh(z)\n'
    submissions = {
        "untouched": [None] * len(NAMES),
        "complete": solutions,
        "partial": [solutions[0], solutions[1], mistake, None],
    }
    folder = tmp_path_factory.mktemp("submissions")
    for student, answers in submissions.items():
        (folder / student).mkdir()
        (folder / student / STUDENT.name).write_text(json.dumps(_submission(answers)), encoding="utf-8")
    out = tmp_path_factory.mktemp("grades") / "grades.csv"
    grade.grade(folder, out)
    with out.open() as handle:
        return {row["student"]: row for row in csv.DictReader(handle)}


def test_score_table_has_a_row_per_student_and_a_column_per_exercise(graded):
    assert set(graded) == {"untouched", "complete", "partial"}
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


def test_partly_correct_submission_gets_the_points_of_its_correct_answers(graded):
    row = graded["partial"]
    expected = {"neuron_by_hand": 1, "count_params": 1, "tanh_derivative": 0, "xor_width": 0}
    assert {name: float(row[name]) for name in NAMES} == expected
    assert float(row["total"]) == 2


def test_grading_refuses_a_folder_without_student_folders(tmp_path):
    with pytest.raises(ValueError, match="no student folders"):
        grade.prepare_course(tmp_path, tmp_path / "course")


def test_grading_refuses_a_notebook_with_no_student_version(tmp_path):
    (tmp_path / "alice").mkdir()
    (tmp_path / "alice" / "99_unknown.ipynb").write_text("{}")
    with pytest.raises(ValueError, match="no student notebook 99_unknown.ipynb"):
        grade.prepare_course(tmp_path, tmp_path / "course")

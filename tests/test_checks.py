"""The exercise checkers of every chapter (helpers/checks/chNN.py).

For every exercise of every chapter: the reference answer is accepted, at least two typical
mistakes are rejected without revealing the expected value, arbitrary answers (hypothesis)
always get feedback instead of an exception, and the chapter notebook wires it up (an answer
cell with a placeholder, then a check cell).
"""

from __future__ import annotations

import importlib
import pkgutil
import re

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from notebook_tools import CHAPTERS, cells, source

import helpers.checks
from helpers import exercises
from helpers.exercises import Exercise, Feedback, Status

MODULES = [
    importlib.import_module(f"helpers.checks.{m.name}") for m in pkgutil.iter_modules(helpers.checks.__path__)
]
EXERCISES = [ex for module in MODULES for ex in module.EXERCISES]
IDS = [ex.name for ex in EXERCISES]


@pytest.fixture(autouse=True)
def _not_grading(monkeypatch):
    for name in exercises.GRADING_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def test_every_module_lists_its_exercises_with_unique_names():
    assert MODULES, "no helpers/checks/chNN.py found"
    for module in MODULES:
        chapters = {f"ch{helpers.checks.chapter_number(path.stem)}" for path in CHAPTERS}
        assert module.__name__.rsplit(".", 1)[1] in chapters, f"{module.__name__} belongs to no chapter"
        names = [ex.name for ex in module.EXERCISES]
        assert all(isinstance(ex, Exercise) for ex in module.EXERCISES)
        assert len(set(names)) == len(names)
        assert all(getattr(module, name) is ex for name, ex in zip(names, module.EXERCISES))


@pytest.mark.parametrize("exercise", EXERCISES, ids=IDS)
def test_the_reference_answer_is_correct(exercise):
    feedback = exercise.evaluate(*exercise.reference)
    assert feedback.status is Status.CORRECT, feedback


def _secrets(exercise: Exercise) -> set[str]:
    """How the expected numbers could appear in a message."""
    found = set()
    for value in exercise.reference:
        # small whole numbers (a width, a count of 4) also appear in the exercise's own text
        if isinstance(value, (int, float)) and not isinstance(value, bool) and not float(value).is_integer():
            found |= {f"{value:.4g}", f"{value:.3f}", repr(value)}
        elif isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10:
            found |= {f"{value:.4g}", f"{value:.3f}", f"{value:,}", repr(value)}
    return found


@pytest.mark.parametrize("exercise", EXERCISES, ids=IDS)
def test_typical_mistakes_are_rejected_without_revealing_the_answer(exercise):
    assert len(exercise.mistakes) >= 2, "list at least two typical mistakes"
    for mistake in exercise.mistakes:
        feedback = exercise.evaluate(*mistake)
        assert feedback.status is Status.INCORRECT, (mistake, feedback)
        assert feedback.message
        leaked = [s for s in _secrets(exercise) if s in feedback.message]
        assert not leaked, f"{feedback.message!r} reveals {leaked}"


@pytest.mark.parametrize("exercise", EXERCISES, ids=IDS)
def test_placeholders_are_not_attempted(exercise):
    answers = [...] * len(exercise.answers)
    assert exercise.evaluate(*answers).status is Status.NOT_ATTEMPTED


def _raises(error: type[Exception]):
    def learner_function(*args, **kwargs):
        raise error("a learner's bug")

    return learner_function


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.complex_numbers(),
    st.text(max_size=10),
    st.just(...),
)
arrays = hnp.arrays(
    dtype=st.sampled_from([np.float64, np.float32, np.int64, np.bool_]),
    shape=hnp.array_shapes(min_dims=0, max_dims=3, max_side=4),
)
plain = st.one_of(scalars, arrays)
functions = st.one_of(
    st.builds(lambda value: lambda *args, **kwargs: value, plain),
    st.sampled_from([ValueError, TypeError, ZeroDivisionError, RecursionError, KeyError]).map(_raises),
    st.sampled_from([np.sin, np.tanh, abs, print, lambda z: z, lambda z: z[::-1], lambda z: -z, len]),
    st.floats(-3, 3).map(lambda c: lambda z: 1.0 - c * np.tanh(z) ** 2),  # near misses, right shape
)
answers = st.recursive(
    st.one_of(plain, functions, st.builds(object)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.tuples(inner, inner),
        st.dictionaries(st.one_of(st.integers(-2, 5), st.text(max_size=2)), inner, max_size=4),
        st.fixed_dictionaries({1: inner, 2: inner, 4: inner}),
    ),
    max_leaves=6,
)


@pytest.mark.parametrize("exercise", EXERCISES, ids=IDS)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_answer_gets_feedback_and_never_an_exception(exercise, data):
    given_answers = [data.draw(answers, label=name) for name in exercise.answers]
    feedback = exercise.evaluate(*given_answers)
    assert isinstance(feedback, Feedback)
    assert isinstance(feedback.status, Status)
    assert isinstance(feedback.message, str) and feedback.message.strip()
    # Exercise.evaluate turns a checker's crash into "could not be checked": that safety net must
    # never be what answered, or this test could not fail.
    assert "could not be checked" not in feedback.message, feedback.message
    if not feedback.correct:
        assert not [s for s in _secrets(exercise) if s in feedback.message]


@pytest.mark.parametrize("exercise", EXERCISES, ids=IDS)
@given(accuracies=st.fixed_dictionaries({w: st.floats(0, 1) for w in (1, 2, 4)}), width=st.integers(0, 5))
@settings(max_examples=60, deadline=None)
def test_plausible_answers_get_feedback_too(exercise, accuracies, width):
    for candidate in (accuracies, width, float(width) / 3):
        feedback = exercise.evaluate(*([candidate] * len(exercise.answers)))
        assert feedback.message.strip() and "could not be checked" not in feedback.message, feedback
    if len(exercise.answers) == 2:
        feedback = exercise.evaluate(accuracies, width)
        assert feedback.message.strip() and "could not be checked" not in feedback.message, feedback


CHECK_CELL = re.compile(r"^checks\.(\w+)\.check\(\)$")


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_each_check_cell_follows_an_answer_cell_and_names_an_exercise(path):
    code = cells(path, "code")
    checked = []
    for before, cell in zip(code, code[1:]):
        if "exercise-check" in cell.get("metadata", {}).get("tags", []):
            match = CHECK_CELL.match(source(cell).strip())
            assert match, f"a check cell must read `checks.NAME.check()`, got {source(cell)!r}"
            assert "exercise-answer" in before.get("metadata", {}).get("tags", [])
            assert "..." in source(before), "the answer cell needs a `...` placeholder"
            checked.append(match.group(1))
    if not checked:
        pytest.skip(f"{path.stem} has no checked exercises yet")
    module = helpers.checks.for_chapter(path.stem)
    assert sorted(checked) == sorted(ex.name for ex in module.EXERCISES)
    assert f"from helpers.checks import ch{helpers.checks.chapter_number(path.stem)} as checks" in "\n".join(
        source(c) for c in code
    )


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_each_exercise_is_checked_below_its_answer_cell_and_in_its_solution(path):
    """Each gated solution ends with the check, so the rendered book shows it passing.

    That the solutions do pass is tested by grading them (tests/test_grading.py).
    """
    if not any("exercise-check" in c.get("metadata", {}).get("tags", []) for c in cells(path, "code")):
        pytest.skip(f"{path.stem} has no checked exercises yet")
    text = "\n".join(source(c) for c in cells(path))
    module = helpers.checks.for_chapter(path.stem)
    for exercise in module.EXERCISES:
        assert text.count(f"checks.{exercise.name}.check()") == 2, exercise.name

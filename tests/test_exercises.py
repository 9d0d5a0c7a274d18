"""helpers.exercises: the Exercise API (check, hint, solution) and the answer converters."""

from __future__ import annotations

import numpy as np
import pytest
from IPython.lib.pretty import pretty

from helpers import exercises
from helpers.exercises import Exercise, Feedback, NotAttempted, Status, Wrong


def _check_double(value):
    if exercises.as_number(value, "value") != 2.0:
        raise Wrong("not twice one.")
    return "two it is."


def make(**overrides) -> Exercise:
    kwargs = dict(
        answers=["value"],
        checker=_check_double,
        hints=["first hint", "second hint"],
        reference=(2,),
        mistakes=[(1,), ("2",)],
    )
    kwargs.update(overrides)
    return Exercise("double", **kwargs)


@pytest.fixture(autouse=True)
def _not_grading(monkeypatch):
    for name in exercises.GRADING_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    yield
    exercises.assign(0, graded=False)


def _check_multiple(value, factor):
    if exercises.as_number(value, "value") != 2 * factor:
        raise Wrong("not twice the factor.")


def varying() -> Exercise:
    return make(checker=_check_multiple, variants=lambda n: {"factor": n + 1}, reference=(2,))


def test_a_variant_changes_the_right_answer_and_the_grader_uses_its_own_variant():
    exercise = varying()
    assert exercise.params() == {"factor": 1} and exercise.evaluate(2).correct
    exercises.assign(4)
    assert exercise.params() == {"factor": 5}
    assert exercise.evaluate(10).correct and not exercise.evaluate(2).correct
    assert exercise.evaluate(2, variant=0).correct
    payload = {"exercise": "double", "variant": 0, "answers": [{"t": "int", "v": 2}]}
    assert not exercise.grade(payload, variant=4).correct  # the claimed variant is ignored
    assert exercise.grade(payload, variant=0).correct


def test_numbers_shows_the_assigned_variant(capsys):
    exercises.assign(2)
    varying().numbers()
    make().numbers()
    out = capsys.readouterr().out
    assert "variant 2" in out and "`factor = 3`" in out and "same numbers in every variant" in out


def test_a_graded_assignment_withholds_the_solution_and_the_last_hint(capsys):
    exercises.assign(3, graded=True)
    exercise = make()
    exercise.hint(1)
    exercise.hint(2)
    exercise.solution()
    out = capsys.readouterr().out
    assert "first hint" in out and "second hint" not in out
    assert "not available in a graded assignment" in out


@pytest.mark.parametrize(
    ("variant", "graded", "error"), [(-1, True, ValueError), ("1", True, TypeError), (1, 1, TypeError)]
)
def test_assign_refuses_bad_input(variant, graded, error):
    with pytest.raises(error):
        exercises.assign(variant, graded)


@pytest.mark.parametrize(
    ("answer", "status"),
    [(2, Status.CORRECT), (2.0, Status.CORRECT), (3, Status.INCORRECT), (..., Status.NOT_ATTEMPTED)],
)
def test_evaluate_tells_the_three_outcomes_apart(answer, status):
    assert make().evaluate(answer).status is status


def test_correct_feedback_carries_the_checker_message():
    feedback = make().evaluate(2)
    assert feedback.correct and feedback.message == "two it is." and feedback.exercise == "double"


@pytest.mark.parametrize("answer", ["two", None, [1, 2], float("nan"), object(), {"a": 1}, 1j])
def test_odd_answers_give_incorrect_feedback_instead_of_raising(answer):
    feedback = make().evaluate(answer)
    assert feedback.status is Status.INCORRECT and feedback.message


def test_a_checker_that_crashes_gives_feedback_with_the_error():
    def crash(value):
        raise KeyError("boom")

    feedback = make(checker=crash).evaluate(1)
    assert feedback.status is Status.INCORRECT and "KeyError" in feedback.message


def test_checker_may_say_not_attempted():
    def lazy(value):
        raise NotAttempted("write the body first.")

    assert make(checker=lazy).evaluate(1) == Feedback(Status.NOT_ATTEMPTED, "write the body first.", "double")


def test_wrong_number_of_answers_is_feedback_not_an_error():
    assert make().evaluate(1, 2).status is Status.INCORRECT


def test_check_reads_the_answer_from_the_callers_globals(capsys):
    namespace = {"ex": make(), "value": 2}
    exec("ex.check()", namespace)
    assert capsys.readouterr().out.startswith("Correct")


def test_check_says_not_attempted_when_the_variable_is_undefined(capsys):
    exec("ex.check()", {"ex": make()})
    out = capsys.readouterr().out
    assert out.startswith("Not attempted yet") and "`value` is not defined" in out


def test_check_never_raises_outside_grading(capsys):
    make().check("nonsense")
    assert capsys.readouterr().out.startswith("Not right yet")


@pytest.mark.parametrize(("variable", "value"), [("NBGRADER_EXECUTION", "autograde"), ("HOTL_GRADING", "1")])
def test_check_raises_under_an_autograder_so_points_are_withheld(monkeypatch, variable, value, capsys):
    monkeypatch.setenv(variable, value)
    with pytest.raises(AssertionError, match="double: Not right yet"):
        make().check(3)
    make().check(2)  # a correct answer passes


def test_hints_come_one_at_a_time_then_stay_on_the_last(capsys):
    exercise = make()
    for _ in range(3):
        exercise.hint()
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "**Hint 1 of 2:** first hint Run `hint()` again for the next one.",
        "**Hint 2 of 2:** second hint",
        "**Hint 2 of 2:** second hint",
    ]


def test_solution_shows_the_chapters_worked_solution_or_says_there_is_none(capsys):
    from helpers.checks import ch01

    ch01.neuron_by_hand.solution()
    assert exercises.worked_solutions()["neuron_by_hand"] in capsys.readouterr().out
    make().solution()  # an exercise that no chapter solves
    assert "no worked solution is published" in capsys.readouterr().out


@pytest.mark.parametrize(("n", "error"), [(0, ValueError), (3, ValueError), ("1", TypeError)])
def test_hint_rejects_a_bad_number(n, error):
    with pytest.raises(error):
        make().hint(n)


def test_feedback_html_colours_the_status_and_escapes_the_message():
    assert str(Feedback(Status.INCORRECT, "x")) == "Not right yet: x"
    assert pretty(Feedback(Status.CORRECT, "ok")) == "Correct: ok"  # what a plain-text frontend shows
    rendered = Feedback(Status.INCORRECT, "use `np.tanh` <not math>")._repr_html_()
    assert "<code>np.tanh</code>" in rendered and "&lt;not math&gt;" in rendered


@pytest.mark.parametrize(
    ("overrides", "error", "message"),
    [
        ({"answers": "value"}, TypeError, "answers must be a non-empty sequence"),
        ({"answers": []}, TypeError, "answers must be a non-empty sequence"),
        ({"checker": 3}, TypeError, "checker must be callable"),
        ({"hints": []}, ValueError, "hints must be a non-empty sequence"),
        ({"reference": 2}, ValueError, "reference must be a tuple of 1"),
        ({"mistakes": [(1, 2)]}, ValueError, "each mistake must be a tuple of 1"),
        ({"points": 0}, ValueError, "points must be >= 1"),
    ],
)
def test_exercise_rejects_bad_definitions(overrides, error, message):
    with pytest.raises(error, match=message):
        make(**overrides)


def test_exercise_name_must_be_an_identifier():
    with pytest.raises(ValueError, match="identifier"):
        Exercise("not valid", answers=["v"], checker=_check_double, hints=["h"], reference=(2,))


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1", "is a string"),
        (True, "is a boolean"),
        (None, "is None"),
        (np.ones(2), "single number"),
        (float("nan"), "is NaN"),
        (float("inf"), "is infinite"),
        (1j, "complex"),
        (object(), "should be a number"),
    ],
)
def test_as_number_explains_what_is_not_a_number(value, message):
    with pytest.raises(Wrong, match=message):
        exercises.as_number(value, "x")


def test_as_number_accepts_numpy_scalars_and_one_element_arrays():
    assert exercises.as_number(np.float32(1.5), "x") == 1.5
    assert exercises.as_number(np.array([[2]]), "x") == 2.0


def test_as_int_rejects_fractions_and_accepts_whole_floats():
    assert exercises.as_int(3.0, "n") == 3
    with pytest.raises(Wrong, match="whole number"):
        exercises.as_int(3.5, "n")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (None, "return"),
        ("abc", "string"),
        ([np.nan, 1, 2], "NaN"),
        ([np.inf, 1, 2], "infinite"),
        ([1, 2], "shape"),
    ],
)
def test_as_array_explains_bad_arrays(value, message):
    with pytest.raises(Wrong, match=message):
        exercises.as_array(value, "y", shape=(3,))


def test_call_turns_errors_into_feedback_and_spots_the_placeholder():
    with pytest.raises(Wrong, match="raised ZeroDivisionError"):
        exercises.call(lambda z: 1 / 0, "f", 1)
    with pytest.raises(Wrong, match="raised SystemExit"):
        exercises.call(lambda z: exit(), "f", 1)
    with pytest.raises(Wrong, match="should be a function"):
        exercises.call(3, "f")
    with pytest.raises(NotAttempted):
        exercises.call(lambda z: ..., "f", 1)
    with pytest.raises(NotAttempted):
        exercises.call(..., "f", 1)
    assert exercises.call(np.square, "f", 3) == 9


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        (..., NotAttempted, "True or False"),
        ("True", Wrong, "without quotes"),
        (1, Wrong, "got a int"),
        (None, Wrong, "got a NoneType"),
    ],
)
def test_as_bool_accepts_only_booleans(value, error, message):
    with pytest.raises(error, match=message):
        exercises.as_bool(value, "flag")


def test_as_bool_accepts_numpy_booleans():
    assert exercises.as_bool(np.bool_(True), "flag") is True
    assert exercises.as_bool(False, "flag") is False


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (93.5, "looks like a percentage"),
        (-0.1, "between 0 and 1"),
        (250, "between 0 and 1"),
        ("0.9", "string"),
    ],
)
def test_as_fraction_spots_percentages_and_out_of_range_values(value, message):
    with pytest.raises(Wrong, match=message):
        exercises.as_fraction(value, "acc")


def test_as_fraction_accepts_the_ends_of_the_range():
    assert exercises.as_fraction(0, "acc") == 0.0
    assert exercises.as_fraction(np.float32(1.0), "acc") == 1.0


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        (..., NotAttempted, "your list of accuracies"),
        ("0.9 0.8 0.7", Wrong, "a list of 3 accuracies, got a str"),
        ({0: 0.9}, Wrong, "got a dict"),
        (0.9, Wrong, "got a float"),
        ([[0.9, 0.8, 0.7]], Wrong, "flat list of 3 accuracies, one per seed"),
        ([0.9, 0.8], Wrong, "hold 3 accuracies, one per seed; it holds 2"),
        ([0.9, 0.8, 95.0], Wrong, "each value of accs.*percentage"),
        ([0.9, None, 0.7], Wrong, "each value of accs"),
    ],
)
def test_as_list_explains_what_is_wrong_with_the_list(value, error, message):
    with pytest.raises(error, match=message):
        exercises.as_list(value, "accs", 3, convert=exercises.as_fraction, items="accuracies", per="seed")


def test_as_list_converts_every_item():
    assert exercises.as_list(np.array([1, 2]), "xs", 2) == [1.0, 2.0]
    assert exercises.as_list((0.5, np.float64(0.25)), "xs", 2, convert=exercises.as_fraction) == [0.5, 0.25]


@pytest.mark.parametrize(("answer", "recomputed"), [(1.0, False), (1.05, True), (5.0, False), (1.03, True)])
def test_judging_truth_recomputes_only_where_the_measurement_cannot_decide(answer, recomputed):
    calls = []

    def recompute():
        calls.append(1)
        return 1.1

    truth = exercises.judging_truth(1.0, recompute, lambda t: abs(answer - t) / 0.02)
    assert bool(calls) is recomputed and truth == (1.1 if recomputed else 1.0)

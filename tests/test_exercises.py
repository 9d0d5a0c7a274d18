"""helpers.exercises: the Exercise API (check, hint, solution) and the answer converters."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
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


# --- close, Number, as_choice, as_mapping: the declarative answers --------------------------


@pytest.mark.parametrize(
    ("value", "truth", "tolerance", "expected"),
    [
        (1.0, 1.0, {}, True),  # no tolerance: equality
        (1.0 + 1e-12, 1.0, {}, False),
        (0.6225, 0.62246, {"atol": 5e-4}, True),
        (0.6231, 0.62246, {"atol": 5e-4}, False),
        (1.5, 1.0, {"atol": 0.5}, True),  # the boundary is inside
        (1.019, 1.0, {"rtol": 0.02}, True),
        (1.021, 1.0, {"rtol": 0.02}, False),
        (-1.019, -1.0, {"rtol": 0.02}, True),  # relative to |truth|
        (103.0, 100.0, {"rtol": 0.02, "atol": 1.0}, True),  # atol + rtol * |truth|
        (103.5, 100.0, {"rtol": 0.02, "atol": 1.0}, False),
        (np.float32(0.1), 0.1, {"rtol": 1e-6}, True),
        ([1.0, 2.001], [1.0, 2.0], {"atol": 1e-2}, True),  # elementwise
        ([1.0, 2.1], [1.0, 2.0], {"atol": 1e-2}, False),
        ([1.0, 2.0], [1.0, 2.0, 3.0], {"atol": 1.0}, False),  # another shape is never close
        (float("nan"), 1.0, {"atol": 1.0}, False),
    ],
)
def test_close_is_within_atol_plus_rtol_times_the_truth(value, truth, tolerance, expected):
    assert exercises.close(value, truth, **tolerance) is expected


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        (("0.5", 0.5), TypeError, "read the answer with as_number"),
        ((1j, 1.0), TypeError, "numbers or arrays of numbers"),
        ((1.0, 1.0, -0.1), ValueError, "rtol must be a finite number >= 0"),
        ((1.0, 1.0, float("nan")), ValueError, "rtol must be a finite number >= 0"),
        ((1.0, 1.0, "0.1"), TypeError, "rtol must be a number"),
    ],
)
def test_close_refuses_what_it_cannot_compare(arguments, error, message):
    value, truth, *rtol = arguments
    with pytest.raises(error, match=message):
        exercises.close(value, truth, rtol=rtol[0] if rtol else 0.0)


def _neuron(truth: float = 0.6225) -> exercises.Number:
    return exercises.Number(
        truth,
        atol=5e-4,
        mistakes=[
            (0.5, "the pre-activation."),
            (exercises.Number(0.62, atol=0.01), "close, but not within 0.001."),  # its own tolerance
            (lambda y: not 0 < y < 1, "outside (0, 1)."),
            (0.615, "never reached: the Number above matches first."),
        ],
        otherwise="not the output.",
    )


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (0.6225, None),
        (0.6229, None),  # within atol
        (0.5004, "the pre-activation."),  # a value, within the truth's tolerance
        (0.613, "close, but not within 0.001."),
        (0.615, "close, but not within 0.001."),  # the first matching mistake wins
        (1.5, "outside (0, 1)."),
        (0.3, "not the output."),
    ],
)
def test_number_judges_the_truth_then_each_mistake_in_order_then_says_otherwise(answer, message):
    if message is None:
        assert _neuron().judge(answer) is None and _neuron().matches(answer)
    else:
        with pytest.raises(Wrong) as caught:
            _neuron().judge(answer)
        assert str(caught.value) == message
        assert _neuron().mistake(answer) == (None if message == "not the output." else message)


def test_number_checks_the_truth_before_a_mistake_that_lies_within_its_tolerance():
    assert exercises.Number(1.0, atol=0.1, mistakes=[(1.05, "a mistake")]).judge(1.04) is None


def test_number_judges_small_arrays_and_can_say_how_far_off_an_answer_is():
    truth = np.array([0.0, 1.0, 2.0])
    number = exercises.Number(
        truth,
        atol=1e-5,
        mistakes=[(-truth, "wrong sign."), (lambda v: (v < 0).any(), "negative.")],
        otherwise=lambda v: f"off by up to {float(np.abs(v - truth).max()):.2g}.",
    )
    assert number.judge(truth + 1e-6) is None
    for answer, message in [
        (-truth, "wrong sign."),
        (truth - 1, "negative."),
        (truth + 0.5, "off by up to 0.5."),
    ]:
        with pytest.raises(Wrong, match=re.escape(message)):
            number.judge(answer)
    assert not number.matches(truth[:2]) and number.mistake(-truth[:2]) == "negative."  # not "wrong sign."


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        ({"truth": "0.5"}, TypeError, "truth must be a number"),
        ({"truth": 1.0, "atol": -1}, ValueError, "atol must be a finite number >= 0"),
        ({"truth": 1.0, "mistakes": "wrong"}, TypeError, "mistakes must be a sequence"),
        ({"truth": 1.0, "mistakes": [(0.5,)]}, TypeError, r"each mistake must be a \(value, message\) pair"),
        ({"truth": 1.0, "mistakes": [(0.5, 3)]}, TypeError, "each mistake must be"),
        ({"truth": 1.0, "otherwise": 3}, TypeError, "otherwise must be a message or a function"),
    ],
)
def test_number_refuses_a_bad_definition(arguments, error, message):
    with pytest.raises(error, match=message):
        exercises.Number(**arguments)


@pytest.mark.parametrize(
    ("value", "choices", "expected"),
    [
        ("b", ("a", "b", "both", "neither"), "b"),
        (" (B) ", ("a", "b", "both", "neither"), "b"),
        ("Neither", ("a", "b", "both", "neither"), "neither"),
        ("recall 9", ("accuracy", "recall_9"), "recall_9"),
        ("Fine tuning", ("feature extraction", "fine-tuning", "LoRA"), "fine-tuning"),
        ("finetuning", ("feature extraction", "fine-tuning", "LoRA"), "fine-tuning"),
        ("lora", ("feature extraction", "fine-tuning", "LoRA"), "LoRA"),  # as written in choices
        (0.1, (0.01, 0.1, 1.0, 10.0), 0.1),
        (np.float32(0.1), (0.01, 0.1, 1.0, 10.0), 0.1),
        (1, (0.01, 0.1, 1.0, 10.0), 1.0),
        (np.array([10.0]), (0.01, 0.1, 1.0, 10.0), 10.0),
    ],
)
def test_as_choice_normalises_the_answer_and_returns_the_option_as_written(value, choices, expected):
    choice = exercises.as_choice(value, "x", choices)
    assert choice == expected and type(choice) is type(expected)


@pytest.mark.parametrize(
    ("value", "choices", "described", "error", "message"),
    [
        (..., ("a", "b"), None, NotAttempted, 'replace the `...` in `x` with one of "a", "b".'),
        ("c", ("a", "b"), None, Wrong, '`x` should be one of "a", "b".'),
        ("a b", ("a", "b", "ab"), None, None, None),  # "a b" is "ab": not an error
        (1, ("a", "b"), None, Wrong, '`x` should be one of the strings "a", "b", got a int.'),
        (["a"], ("a", "b"), "a letter", Wrong, "`x` should be a letter, a string, got a list."),
        (0.5, (0.01, 0.1), None, Wrong, "`x` should be one of 0.01, 0.1."),
        (
            0.5,
            (0.01, 0.1),
            "one of the values of C you tried",
            Wrong,
            "`x` should be one of the values of C you tried.",
        ),
        ("0.1", (0.01, 0.1), None, Wrong, "`x` is a string; it should be a number, without quotes."),
        (True, (0.01, 0.1), None, Wrong, "`x` is a boolean"),
        (0.1 * (1 + 1e-5), (0.01, 0.1), None, Wrong, "`x` should be one of"),  # float32's precision, not more
    ],
)
def test_as_choice_says_which_options_exist(value, choices, described, error, message):
    if error is None:
        assert exercises.as_choice(value, "x", choices, described=described) == "ab"
        return
    with pytest.raises(error) as caught:
        exercises.as_choice(value, "x", choices, described=described)
    assert str(caught.value).startswith(message)


@pytest.mark.parametrize(
    ("choices", "error", "message"),
    [
        ((), TypeError, "non-empty sequence"),
        ("ab", TypeError, "non-empty sequence"),
        (("a", 1), TypeError, "all strings or all numbers"),
        (("fine-tuning", "Fine tuning"), ValueError, "distinct"),
        ((0.1, np.float32(0.1)), ValueError, "distinct"),
        ((True, False), TypeError, "all strings or all numbers"),
    ],
)
def test_as_choice_refuses_bad_choices(choices, error, message):
    with pytest.raises(error, match=message):
        exercises.as_choice("a", "x", choices)


RATES = (0.01, 0.1, 1.0)


@pytest.mark.parametrize(
    "value",
    [
        {0.01: 0.5, 0.1: 0.6, 1.0: 0.7},
        {1e-2: 0.5, np.float32(0.1): 0.6, 1: 0.7},
        {np.float64(0.01): 0.5, np.float32(0.1): 0.6, np.int64(1): 0.7},
        {1: 0.7, 0.1: 0.6, 0.01: 0.5},  # any order
    ],
)
def test_as_mapping_normalises_number_keys_to_the_exercises_own(value):
    scores = exercises.as_mapping(value, "scores", RATES, convert=exercises.as_fraction)
    assert scores == {0.01: 0.5, 0.1: 0.6, 1.0: 0.7} and list(scores) == list(RATES)
    assert all(type(key) is float for key in scores)


def test_as_mapping_accepts_numbers_written_as_text_only_when_asked():
    value = {"1e-2": 0.5, " 0.1 ": 0.6, "1": 0.7}
    assert exercises.as_mapping(value, "scores", RATES, text_keys=True) == {0.01: 0.5, 0.1: 0.6, 1.0: 0.7}
    with pytest.raises(
        Wrong, match=r"the keys of `scores` should be numbers \(0.01, 0.1 and 1\), got the string '1e-2'"
    ):
        exercises.as_mapping(value, "scores", RATES)


def test_as_mapping_normalises_name_keys_and_names_each_entry_in_its_messages():
    scores = exercises.as_mapping({"Accuracy": 0.9, "recall 9": 0.5}, "s", ("accuracy", "recall_9"))
    assert scores == {"accuracy": 0.9, "recall_9": 0.5}
    with pytest.raises(Wrong, match=r'`s\["recall_9"\]` looks like a percentage'):
        exercises.as_mapping(
            {"accuracy": 0.9, "recall_9": 50}, "s", ("accuracy", "recall_9"), convert=exercises.as_fraction
        )
    with pytest.raises(Wrong, match=r"`rates\[0.1\]` is a string"):
        exercises.as_mapping({0.01: 1, 0.1: "2", 1: 3}, "rates", RATES)
    with pytest.raises(Wrong, match="`each value of rates` is a string"):
        exercises.as_mapping({0.01: 1, 0.1: "2", 1: 3}, "rates", RATES, label="each value of rates")


def test_as_mapping_keeps_the_entries_as_given_without_a_converter():
    entries = exercises.as_mapping({"a": [1], "b": "x"}, "d", ("a", "b"), convert=None)
    assert entries == {"a": [1], "b": "x"}


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        (..., NotAttempted, "replace the `...` in `scores` with {C: accuracy}."),
        ({0.01: ..., 0.1: 0.5, 1: 0.5}, NotAttempted, "replace each `...` in `scores` with your answer."),
        ([0.5, 0.6, 0.7], Wrong, "`scores` should be a dict, {C: accuracy}, got a list."),
        (
            {0.01: 0.5, 0.1: 0.6},
            Wrong,
            "`scores` should have exactly the values of C as keys; one is missing: {C: accuracy}.",
        ),
        ({}, Wrong, "`scores` should have exactly the values of C as keys; 3 are missing: {C: accuracy}."),
        (
            {0.01: 0.5, 0.1: 0.6, 1: 0.7, np.float32(0.1): 0.6},
            Wrong,
            "`scores` should have exactly the values of C as keys; one is given twice: {C: accuracy}.",
        ),
        (
            {0.01: 0.5, 0.1: 0.6, 1: 0.7, 5: 0.1},
            Wrong,
            "the keys of `scores` should be the values of C, got 5.",
        ),
        (
            {0.01: 0.5, 0.1: 0.6, None: 0.7},
            Wrong,
            "the keys of `scores` should be the values of C, got None.",
        ),
        (
            {0.01: 0.5, 0.1: 0.6, True: 0.7},
            Wrong,
            "the keys of `scores` should be the values of C, got True.",
        ),
        (
            {"0.01": 0.5},
            Wrong,
            "the keys of `scores` should be numbers (the values of C), got the string '0.01'.",
        ),
        ({0.01: 0.5, 0.1: 0.6, 1: 70}, Wrong, "`scores[1.0]` looks like a percentage"),
    ],
)
def test_as_mapping_says_what_is_wrong_with_the_dict(value, error, message):
    with pytest.raises(error) as caught:
        exercises.as_mapping(
            value,
            "scores",
            RATES,
            convert=exercises.as_fraction,
            template="{C: accuracy}",
            described="the values of C",
        )
    assert str(caught.value).startswith(message)


def test_as_mapping_lists_the_keys_when_it_is_not_told_how_to_name_them():
    with pytest.raises(Wrong, match=re.escape('`d` should be a dict, {"a": ..., "b": ...}, got a str.')):
        exercises.as_mapping("ab", "d", ("a", "b"))
    with pytest.raises(Wrong, match=re.escape("the keys of `d` should be 0.01, 0.1 and 1, got 2.")):
        exercises.as_mapping({2: 1}, "d", RATES)


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        ({"keys": ()}, TypeError, "keys must be a non-empty sequence"),
        ({"keys": ("a", 0.1)}, TypeError, "all strings or all numbers"),
        ({"keys": (0.1, 0.1)}, ValueError, "distinct"),
        ({"keys": ("a",), "convert": "as_number"}, TypeError, "convert must be callable"),
    ],
)
def test_as_mapping_refuses_a_bad_definition(arguments, error, message):
    with pytest.raises(error, match=message):
        exercises.as_mapping({"a": 1}, "d", **arguments)


_odd = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        st.complex_numbers(),
        st.text(max_size=6),
        st.binary(max_size=3),
        st.just(...),
        st.sampled_from(
            [0.01, np.float32(0.1), np.int64(1), "a", "B", "1e-2", np.array([0.5]), np.zeros((2, 2))]
        ),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.tuples(inner),
        st.dictionaries(
            st.one_of(st.integers(-1, 2), st.floats(), st.text(max_size=3), st.just(0.1)), inner, max_size=4
        ),
    ),
    max_leaves=6,
)


@given(value=_odd, text_keys=st.booleans())
@settings(max_examples=300, deadline=None)
def test_a_learners_odd_answer_gives_wrong_or_not_attempted_never_another_error(value, text_keys):
    for read in (
        lambda: exercises.as_choice(value, "x", ("a", "b", "both")),
        lambda: exercises.as_choice(value, "x", RATES),
        lambda: exercises.as_mapping(value, "d", RATES, convert=exercises.as_fraction, text_keys=text_keys),
        lambda: exercises.as_mapping(value, "d", ("a", "b"), convert=exercises.as_number),
        lambda: _neuron().judge(exercises.as_number(value, "y")),
    ):
        try:
            read()
        except (Wrong, NotAttempted) as exc:
            assert str(exc).strip()

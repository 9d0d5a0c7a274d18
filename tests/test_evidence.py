"""Evidence of answers (helpers/evidence.py): what a graded check() writes and the grader reads.

The grader re-checks decoded evidence in its own process, so the round trip must keep every
verdict and message of every exercise, and decoding a forgery must never run code or raise.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from test_checks import EXERCISES, IDS

from helpers import evidence, exercises
from helpers.exercises import Status


def _graded_in_kernel(exercise, answers):
    """What check() does in grading mode: the kernel's feedback and the JSON evidence it writes."""
    feedback, payload = exercise._graded(*answers)
    return feedback, json.loads(json.dumps(payload))  # through JSON, as in a notebook's output


@pytest.mark.parametrize("exercise", EXERCISES, ids=IDS)
def test_the_grader_reaches_the_kernels_verdict_on_every_reference_and_mistake(exercise):
    for answers in (exercise.reference, *exercise.mistakes):
        in_kernel, payload = _graded_in_kernel(exercise, answers)
        assert in_kernel == exercise.evaluate(*answers)  # recording changes nothing
        assert exercise.grade(payload) == in_kernel, answers


@pytest.mark.parametrize(
    "value",
    [
        None,
        ...,
        True,
        3,
        -2.5,
        float("nan"),
        float("-inf"),
        "0.62",
        np.float32(0.25),
        np.int64(7),
        np.bool_(True),
        np.str_("a"),
        [1, 2.0, "x"],
        (1, (2, 3)),
        {1: 0.5, "a": [1]},
        np.arange(6, dtype=np.int16).reshape(2, 3),
        np.array([True, False]),
        np.zeros((0, 3)),
    ],
    ids=repr,
)
def test_plain_answers_travel_unchanged(value):
    back = evidence.decode(json.loads(json.dumps(evidence.encode(value))))
    assert type(back) is (str if isinstance(value, str) else type(value))
    if isinstance(value, np.ndarray):
        assert back.dtype == value.dtype and np.array_equal(back, value)
    elif isinstance(value, float) and np.isnan(value):
        assert np.isnan(back)
    else:
        assert back == value


def test_what_cannot_travel_becomes_opaque_and_keeps_its_type_name():
    class Model:
        pass

    for value in (Model(), np.array(["a"], dtype=object), iter([1]), np.zeros(evidence.MAX_ARRAY_SIZE + 1)):
        back = evidence.decode(evidence.encode(value))
        assert isinstance(back, evidence.Opaque)
        assert type(back).__name__ == type(value).__name__


def test_a_function_is_replayed_only_on_the_calls_it_was_recorded_on():
    recorder = evidence.Recorder(lambda z: 1.0 - np.tanh(z) ** 2)
    recorder(np.array([0.0, 1.0]))
    with pytest.raises(ZeroDivisionError):
        evidence.Recorder(lambda z: 1 / 0)(0)
    replay = evidence.decode(json.loads(json.dumps(evidence.encode(recorder))))
    assert np.allclose(replay(np.array([0.0, 1.0])), [1.0, 1.0 - np.tanh(1.0) ** 2])
    with pytest.raises(evidence.NotRecorded):
        replay(np.array([2.0]))
    failing = evidence.Recorder(lambda z: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        failing(0)
    with pytest.raises(Exception, match="division by zero") as raised:
        evidence.decode(evidence.encode(failing))(0)
    assert type(raised.value).__name__ == "ZeroDivisionError"


@pytest.mark.parametrize(
    "forged",
    [
        None,
        "text",
        [],
        {"t": "unknown"},
        {"t": "int", "v": "7"},
        {"t": "float", "v": "1e5"},
        {"t": "ndarray", "dtype": "O", "shape": [1], "data": ""},
        {"t": "ndarray", "dtype": "<f8", "shape": [3], "data": "AAAA"},
        {"t": "np", "dtype": "<U3", "v": {"t": "str", "v": "abc"}},
        {"t": "dict", "v": [[{"t": "list", "v": []}, {"t": "none"}]]},
        {"t": "opaque", "type": "os.system('x')", "repr": 5},
        {"t": "function", "calls": "not a list"},
    ],
    ids=repr,
)
def test_forged_or_malformed_evidence_decodes_to_an_opaque_value_never_an_error(forged):
    assert isinstance(evidence.decode(forged), evidence.Opaque)


def test_the_grader_gives_no_points_without_evidence_for_this_exercise():
    exercise = EXERCISES[0]
    _, payload = _graded_in_kernel(exercise, exercise.reference)
    assert exercise.grade(payload).correct
    for missing in (None, {}, "x", {**payload, "exercise": "another"}, {**payload, "answers": "x"}):
        feedback = exercise.grade(missing)
        assert not feedback.correct, missing
    assert exercise.grade(None).status is Status.NOT_ATTEMPTED


def test_grading_mode_reads_hotl_grading_strictly(monkeypatch):
    for name in exercises.GRADING_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    assert not exercises.grading()
    monkeypatch.setenv("HOTL_GRADING", "0")
    assert not exercises.grading()
    monkeypatch.setenv("HOTL_GRADING", "1")
    assert exercises.grading()
    monkeypatch.setenv("HOTL_GRADING", "yes")
    with pytest.raises(ValueError, match="HOTL_GRADING must be 0 or 1"):
        exercises.grading()
    monkeypatch.delenv("HOTL_GRADING")
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert exercises.grading()

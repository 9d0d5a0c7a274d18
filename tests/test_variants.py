"""Graded variants of the exercises (``Exercise(variants=...)``): other numbers, other answers.

For every exercise with variants: variant 0 is the book's (its reference answer is right there),
and in every other variant tried, the answer computed from that variant's numbers is right while
the book's answer is wrong, so a learner cannot copy the book.
"""

from __future__ import annotations

import functools
import math

import numpy as np
import pytest
from notebook_tools import ROOT, definitions
from test_checks import EXERCISES

from helpers import evidence, exercises
from helpers.checks import ch01, ch02, ch04b, ch05, ch06
from helpers.exercises import Status

VARYING = [ex for ex in EXERCISES if ex.variants is not None]
#: The exercises whose variants change the numbers of chapters 2 and 6 (issue #14).
NEW = [ch02.ce_by_hand, ch02.stable_bce, ch05.holm, ch06.lora_count]
#: The variants tried below, besides 0: enough to meet every kind of number the variants draw.
SOME = range(1, 40)


@functools.cache
def _mobilenet():
    import keras

    return keras.applications.MobileNetV3Small(input_shape=(96, 96, 3), include_top=False, weights=None)


def _true_answer(exercise, params):
    """The answer to a variant, computed here independently of the checker."""
    if exercise is ch01.neuron_by_hand:
        z = float(np.dot(params["w"], params["x"])) + params["b"]
        return (1.0 / (1.0 + math.exp(-z)),)
    if exercise is ch01.count_params:
        sizes = params["sizes"]
        return (sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:])),)
    if exercise is ch04b.cut_params:  # the head's weights by hand, the frozen part counted by Keras
        import keras

        backbone = _mobilenet()
        cut = backbone.get_layer(params["layer"]).output
        features = math.prod(cut.shape[1:])
        frozen = keras.Model(backbone.input, cut).count_params()
        return (features * params["n_classes"] + params["n_classes"], frozen)
    if exercise is ch02.ce_by_hand:  # -log of the true class's probability: the second, then the first
        p = params["p"]
        return (-math.log(p[1]), -math.log(p[0]))
    if exercise is ch02.stable_bce:  # log(1 + e^-z), exactly: the right value of both losses
        loss = float(np.logaddexp(0.0, -params["z"]))
        return (loss, loss)
    if exercise is ch06.lora_count:  # A (n x r), B (r x m), and the bias that stays trainable
        n_in, n_out, rank = params["n_in"], params["n_out"], params["rank"]
        return (rank * (n_in + n_out) + n_out,)
    if exercise is ch05.holm:  # Holm's adjusted p-values (times m, m - 1, ..., kept increasing) <= 0.05
        p = sorted(params["p"])
        adjusted = np.maximum.accumulate([(len(p) - k) * q for k, q in enumerate(p)])
        return (int(np.sum(adjusted <= 0.05)), sum(q < 0.05 for q in p))
    raise AssertionError(f"add the true answer of {exercise.name}'s variants here")


def test_some_exercises_have_variants():
    assert {ex.name for ex in VARYING} >= {
        "neuron_by_hand",
        "count_params",
        "cut_params",
        "ce_by_hand",
        "stable_bce",
        "lora_count",
    }


@pytest.mark.parametrize("exercise", VARYING, ids=[ex.name for ex in VARYING])
def test_variant_zero_is_the_book_and_the_others_need_their_own_answer(exercise):
    assert exercise.evaluate(*exercise.reference, variant=0).correct
    assert _true_answer(exercise, exercise.params(0)) == pytest.approx(exercise.reference)
    seen = set()
    for n in range(1, 60):
        params = exercise.params(n)
        assert params == exercise.params(n)  # repeatable
        seen.add(repr(params))
        assert exercise.evaluate(*_true_answer(exercise, params), variant=n).correct, (n, params)
        copied = exercise.evaluate(*exercise.reference, variant=n)
        assert not copied.correct, (n, params)
    assert len(seen) >= 20, "too few distinct variants"


@pytest.fixture
def _assigned():
    """Lets a test call :func:`exercises.assign`; puts back the book's numbers and the hint counters."""
    shown = {ex.name: ex._hints_shown for ex in VARYING}
    yield
    exercises.assign(0, graded=False)
    for ex in VARYING:
        ex._hints_shown = shown[ex.name]


def _secrets(answers: tuple) -> set[str]:
    """How a variant's right answers could appear in a message (as in test_checks)."""
    found = set()
    for value in answers:
        if isinstance(value, int) and abs(value) >= 10:
            found |= {f"{value:.4g}", f"{value:,}", repr(value)}
        elif isinstance(value, float) and abs(value - round(value)) > 1e-6:  # a whole one is in the text
            found |= {f"{value:.4g}", f"{value:.3f}", repr(value)}
    return found


# --- The chapters' own recipes, with a variant's numbers ------------------------------------

CH2 = definitions(
    ROOT / "chapters" / "02_losses.ipynb", ["categorical_cross_entropy", "binary_cross_entropy_from_logits"]
)
CH5 = definitions(ROOT / "chapters" / "05_evaluation.ipynb", ["holm_survivors_of"])
CH6 = definitions(ROOT / "chapters" / "06_faq_outlook.ipynb", ["lora_params"])


@pytest.mark.parametrize("n", [0, *SOME])
def test_the_chapters_worked_solutions_with_a_variants_numbers_are_right(n):
    """What a learner gets by running the worked solution's code on the numbers shown to them."""
    p = np.array([ch02.ce_by_hand.params(n)["p"]])
    ce = [float(CH2.categorical_cross_entropy(np.eye(3)[[k]], p)) for k in (1, 0)]
    assert ch02.ce_by_hand.evaluate(*ce, variant=n).correct, (n, p)

    z = ch02.stable_bce.params(n)["z"]
    z32 = np.float32(z)
    naive = float(-np.log(np.float32(1) / (np.float32(1) + np.exp(-z32))))  # float32 still holds σ(z)
    stable = float(CH2.binary_cross_entropy_from_logits(1.0, z))
    feedback = ch02.stable_bce.evaluate(naive, stable, variant=n)
    assert feedback.correct, (n, z, feedback)
    assert f"z = {z:g}".replace("-", "−") in feedback.message  # the variant's z, not the book's

    layer = ch06.lora_count.params(n)
    assert ch06.lora_count.evaluate(CH6.lora_params(**layer), variant=n).correct, (n, layer)

    p = ch05.holm.params(n)["p"]
    feedback = ch05.holm.evaluate(CH5.holm_survivors_of(p), sum(q < 0.05 for q in p), variant=n)
    assert feedback.correct, (n, p, feedback)


def test_lora_count_is_keras_own_count_in_every_variant():
    import keras

    for n in range(0, 12):
        params = ch06.lora_count.params(n)
        dense = keras.layers.Dense(params["n_out"])
        dense.build((None, params["n_in"]))
        dense.enable_lora(params["rank"])
        count = sum(int(np.prod(w.shape)) for w in dense.trainable_weights)
        assert ch06._lora_trainable(**params) == count == _true_answer(ch06.lora_count, params)[0]


def test_the_variants_numbers_stay_in_their_exercises_range():
    for n in range(200):
        p = ch02.ce_by_hand.params(n)["p"]
        assert len(p) == 3 and all(0 < q < 1 for q in p) and math.isclose(sum(p), 1.0), p
        assert abs(p[0] - p[1]) > 0.049, p  # else swapped answers could not be told apart
        if n:  # no half of the book's answer, straight or swapped, is right in another variant
            assert not {round(20 * p[0]), round(20 * p[1])} & {round(20 * q) for q in ch02._P[:2]}, p
        z = ch02.stable_bce.params(n)["z"]
        assert -87.0 < z <= -20.0 and z.is_integer(), z  # float32 holds σ(z); the model is confidently wrong
        layer = ch06.lora_count.params(n)
        assert 1 <= layer["rank"] < min(layer["n_in"], layer["n_out"]), layer
        assert len(set(ch06._lora_counts(**layer))) == 7, layer  # each typical mistake its own count
        p = ch05.holm.params(n)["p"]
        assert len(p) == 5 and all(0 < q < 0.1 for q in p), p
        assert len(set(ch05._holm_counts(p).values())) == 4, p  # each typical reading its own count


# --- Feedback that follows the variant ------------------------------------------------------


def _typical_mistakes(exercise, params):
    """(answers, what the message must say) for the typical mistakes, made with a variant's numbers."""
    right = _true_answer(exercise, params)
    if exercise is ch02.ce_by_hand:
        p = params["p"]
        return [
            (right[::-1], "swapped"),
            ((-right[0], -right[1]), "never negative"),
            ((-math.log2(p[1]), right[1]), "natural logarithm"),
            ((right[0] / 3, right[1] / 3), "averaged"),
            ((right[0], right[0] + 1.0), "one of the two is right"),
        ]
    if exercise is ch02.stable_bce:
        z = params["z"]
        return [
            ((-right[0], -right[1]), "wrong sign"),
            ((1.0 / (1.0 + math.exp(-z)), right[1]), "(almost) zero"),
            ((right[0], right[1] / math.log(10)), "natural logarithm"),
            ((float("inf"), right[1]), "infinite"),
            ((right[0] + 1.0, right[1]), f"z = {z:g}".replace("-", "−")),
        ]
    if exercise is ch06.lora_count:
        n_in, n_out, rank = params["n_in"], params["n_out"], params["rank"]
        return [
            ((rank * (n_in + n_out),), "bias stays trainable"),
            ((n_in * n_out + n_out,), "full layer"),
            ((rank * n_in + n_out,), "count both matrices"),
            ((right[0] + 7,), f"A ({n_in} x {rank})"),
        ]
    if exercise is ch05.holm:
        counts = ch05._holm_counts(params["p"])
        return [
            ((counts["bonferroni"], right[1]), "Bonferroni"),
            ((counts["unstopped"], right[1]), "stops at the first"),
            ((right[1], right[1]), "uncorrected count"),
            ((right[0], right[1] - 1), "not the uncorrected count"),
        ]
    raise AssertionError(f"add the typical mistakes of {exercise.name} here")


@pytest.mark.parametrize("exercise", NEW, ids=[ex.name for ex in NEW])
def test_typical_mistakes_made_with_a_variants_numbers_get_their_message(exercise):
    for n in [0, *SOME]:
        params = exercise.params(n)
        secrets = _secrets(_true_answer(exercise, params))
        for answers, says in _typical_mistakes(exercise, params):
            feedback = exercise.evaluate(*answers, variant=n)
            assert feedback.status is Status.INCORRECT, (n, params, answers, feedback)
            assert says in feedback.message, (n, params, answers, feedback)
            assert not [s for s in secrets if s in feedback.message], (n, feedback.message)


@pytest.mark.parametrize("exercise", NEW, ids=[ex.name for ex in NEW])
def test_the_hints_a_graded_learner_sees_name_the_variants_numbers(exercise):
    """The first hints speak of the numbers that ``numbers()`` shows, by name, not of the book's only."""
    shown = exercise.hints[:-1]  # the last one is withheld in graded work
    for name in exercise.params(0):
        assert any(f"`{name}`" in hint for hint in shown), (exercise.name, name)
    for hint in exercise.hints:  # where a hint quotes the book's numbers, it says so
        assert "in the book" in hint, hint


@pytest.mark.parametrize("exercise", NEW, ids=[ex.name for ex in NEW])
def test_a_graded_variant_shows_its_numbers_and_withholds_the_solution_and_the_last_hint(
    exercise, capsys, _assigned
):
    exercises.assign(7, graded=True)
    params = exercise.params(7)
    assert params == exercise.params(7) != exercise.params(0)
    exercise.numbers()
    exercise.hint(1)
    exercise.hint(len(exercise.hints))
    exercise.solution()
    out = capsys.readouterr().out
    assert "variant 7" in out and all(f"`{k} = {v!r}`" in out for k, v in params.items()), out
    assert exercise.hints[0] in out and exercise.hints[-1] not in out
    assert "The last hint is not available in a graded assignment." in out
    assert "Solutions are not available in a graded assignment." in out
    assert exercise.evaluate(*_true_answer(exercise, params)).correct  # the assigned variant's truth
    assert not exercise.evaluate(*exercise.reference).correct  # not the book's

    exercises.assign(7, graded=False)  # practice with other numbers: everything is shown
    exercise.hint(len(exercise.hints))
    exercise.solution()
    out = capsys.readouterr().out
    assert exercise.hints[-1] in out and "**Solution:**" in out


@pytest.mark.parametrize("exercise", NEW, ids=[ex.name for ex in NEW])
def test_the_grader_judges_the_evidence_by_the_learners_own_variant(exercise):
    for n in (3, 12345):
        right = _true_answer(exercise, exercise.params(n))
        claimed_book = {
            "exercise": exercise.name,
            "variant": 0,
            "answers": [evidence.encode(a) for a in right],
        }
        assert exercise.grade(claimed_book, variant=n).correct  # the payload's variant is not trusted
        assert not exercise.grade(claimed_book, variant=0).correct
        copied = {
            "exercise": exercise.name,
            "variant": n,
            "answers": [evidence.encode(a) for a in exercise.reference],
        }
        assert not exercise.grade(copied, variant=n).correct


# --- Bad input ------------------------------------------------------------------------------

BAD = [
    ("0.693", "string"),
    (None, "None"),
    ([1.0, 2.0], "single number"),
    (float("nan"), "NaN"),
    (True, "boolean"),
    (1 + 2j, "complex"),
]


@pytest.mark.parametrize("exercise", VARYING, ids=[ex.name for ex in VARYING])
@pytest.mark.parametrize(("bad", "says"), BAD, ids=[says for _, says in BAD])
def test_bad_input_gets_a_clear_message_in_every_variant(exercise, bad, says):
    for n in (0, 1, 2, 3):
        right = (
            list(_true_answer(exercise, exercise.params(n))) if exercise in NEW else list(exercise.reference)
        )
        for i, name in enumerate(exercise.answers):
            answers = [*right[:i], bad, *right[i + 1 :]]
            feedback = exercise.evaluate(*answers, variant=n)
            assert feedback.status is Status.INCORRECT, (n, answers, feedback)
            assert f"`{name}`" in feedback.message and says in feedback.message, feedback.message
            assert "could not be checked" not in feedback.message, feedback.message


@pytest.mark.parametrize("exercise", NEW, ids=[ex.name for ex in NEW])
def test_placeholders_and_missing_answers_are_not_attempted_in_a_variant(exercise):
    placeholder = exercise.evaluate(*[...] * len(exercise.answers), variant=5)
    assert placeholder.status is Status.NOT_ATTEMPTED and "`...`" in placeholder.message
    missing = exercise.evaluate(*[exercises.UNDEFINED] * len(exercise.answers), variant=5)
    assert missing.status is Status.NOT_ATTEMPTED and "not defined" in missing.message


@pytest.mark.parametrize(
    ("variant", "error", "says"),
    [(-1, ValueError, "variant must be >= 0"), (1.5, TypeError, "variant"), ("2", TypeError, "variant")],
)
@pytest.mark.parametrize("exercise", NEW, ids=[ex.name for ex in NEW])
def test_a_bad_variant_is_refused_with_a_clear_message(exercise, variant, error, says):
    with pytest.raises(error, match=says):
        exercise.params(variant)
    with pytest.raises(error, match=says):
        exercise.evaluate(*exercise.reference, variant=variant)
    with pytest.raises(error, match=says):
        exercise.grade({"exercise": exercise.name, "answers": []}, variant)

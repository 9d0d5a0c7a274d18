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
from test_checks import EXERCISES

from helpers.checks import ch01, ch04b

VARYING = [ex for ex in EXERCISES if ex.variants is not None]


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
    raise AssertionError(f"add the true answer of {exercise.name}'s variants here")


def test_some_exercises_have_variants():
    assert {ex.name for ex in VARYING} >= {"neuron_by_hand", "count_params"}


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

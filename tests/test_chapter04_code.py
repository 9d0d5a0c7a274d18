"""Chapter 4's own code (its logistic-regression head, compiling after freezing) and its exercise checks.

The sweep's training rule (held-out fifth, early stopping, warm starts) is tested in test_sweep.py.
"""

from __future__ import annotations

import keras
import numpy as np
import pytest
from notebook_tools import ROOT, definitions
from sklearn.linear_model import LogisticRegression

import helpers
from helpers import sweep

CH4 = definitions(ROOT / "chapters" / "04_fine_tuning.ipynb", ["linear_head", "compiled"])
CH4.linear_head.__globals__.update(LogisticRegression=LogisticRegression, keras=keras)


def test_the_chapters_linear_head_warm_starts_a_softmax_head_that_predicts_like_it():
    rng = np.random.default_rng(0)
    feats, y = rng.random((60, 4)).astype("float32"), np.arange(60) % 3
    head = CH4.linear_head(feats, y, 0)
    helpers.set_seed(0)
    model = CH4.compiled(
        keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="softmax")]), 0.05
    )
    model.set_weights(sweep.warm_start(model.get_weights(), head))
    np.testing.assert_allclose(model.predict(feats, verbose=0), head.predict_proba(feats), atol=1e-5)


def test_the_chapters_compiled_sets_the_learning_rate_and_the_loss():
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="softmax")])
    assert CH4.compiled(model, 0.05) is model
    assert float(model.optimizer.learning_rate.numpy()) == pytest.approx(0.05)
    assert model.loss == "sparse_categorical_crossentropy"


def _true_frozen_last(seeds):
    from helpers.checks import ch04

    return [ch04._frozen_last_accuracy(seed) for seed in seeds]


@pytest.mark.parametrize("n_seeds", [1, 2, 3, 5])
@pytest.mark.parametrize("as_array", [False, True], ids=["list", "array"])
def test_more_seeds_check_accepts_the_true_accuracies_with_any_number_of_sweep_seeds(n_seeds, as_array):
    from helpers.checks import ch04
    from helpers.exercises import Status

    sweep = _true_frozen_last(range(n_seeds))  # what results["B"].accuracies(...) holds with N_SEEDS
    new = _true_frozen_last(ch04._NEW_SEEDS)
    inside = all(min(sweep) <= a <= max(sweep) for a in new)
    feedback = ch04.more_seeds.evaluate(np.array(sweep) if as_array else sweep, new, inside)
    assert feedback.status is Status.CORRECT, feedback
    if n_seeds == 1:  # quick mode: graded, and the learner is told that the range is a single point
        assert "`N_SEEDS = 3`" in feedback.message


@pytest.mark.parametrize(
    ("sweep", "says"),
    [
        ([], "is empty"),
        ([0.93] * 11, "at most 10"),
        ([[0.93, 0.94], [0.95, 0.96]], "flat list"),
        (0.93, "list"),
    ],
    ids=["no seed", "seeds reaching 10", "a table", "a number"],
)
def test_more_seeds_check_says_what_is_wrong_with_an_odd_sweep(sweep, says):
    from helpers.checks import ch04
    from helpers.exercises import Status

    feedback = ch04.more_seeds.evaluate(sweep, _true_frozen_last(ch04._NEW_SEEDS), False)
    assert feedback.status is Status.INCORRECT and says in feedback.message, feedback


def test_more_seeds_check_rejects_made_up_sweep_accuracies():
    from helpers.checks import ch04
    from helpers.exercises import Status

    new = _true_frozen_last(ch04._NEW_SEEDS)
    made_up = [min(new) - 0.01, max(new) + 0.01]  # a range that would contain every new accuracy
    feedback = ch04.more_seeds.evaluate(made_up, new, True)
    assert feedback.status is Status.INCORRECT and "sweep" in feedback.message, feedback

"""Chapter 4's training code: the held-out fifth, early stopping, warm starts, optimizer reset."""

from __future__ import annotations

import keras
import numpy as np
import pytest
import tensorflow as tf
from notebook_tools import ROOT, definitions
from sklearn.linear_model import LogisticRegression

import helpers
from helpers import data, transfer

CH4 = definitions(
    ROOT / "chapters" / "04_fine_tuning.ipynb",
    ["hold_out", "train_network", "warm_start", "reset_optimizer", "linear_head", "compiled"],
)
CH4.train_network.__globals__.update(
    LogisticRegression=LogisticRegression, data=data, tf=tf, keras=keras, transfer=transfer, FIXED_STEPS=7
)


def _sample(k, n_classes=3, seed=0):
    rng = np.random.default_rng(seed)
    y = np.repeat(np.arange(n_classes), k)
    x = rng.normal(size=(len(y), 4)).astype("float32") + y[:, None]
    return x, y


@pytest.mark.parametrize(("k", "kept", "held"), [(1, 1, 0), (5, 4, 1), (10, 8, 2), (100, 80, 20)])
def test_hold_out_keeps_a_stratified_fifth_from_five_labels_per_class(k, kept, held):
    x, y = _sample(k)
    x_fit, y_fit, held_out = CH4.hold_out(x, y, k, seed=0)
    assert list(np.bincount(y_fit)) == [kept] * 3
    if held == 0:
        assert held_out is None and x_fit is x
    else:
        assert list(np.bincount(held_out[1])) == [held] * 3
        assert len(x_fit) + len(held_out[0]) == len(x)


def test_hold_out_holds_out_a_fifth_of_all():
    x, y = _sample(40)
    _, _, held_out = CH4.hold_out(x, y, "all", seed=0)
    assert len(held_out[1]) == 24


def _model(seed=0):
    helpers.set_seed(seed)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="softmax")])
    return CH4.compiled(model, 0.05)


def test_without_held_out_images_a_network_trains_the_fixed_number_of_steps():
    x, y = _sample(1)
    model = _model()
    assert CH4.train_network(model, x, y, None, seed=0) == 7
    assert int(model.optimizer.iterations.numpy()) == 7


def test_early_stopping_keeps_the_weights_of_the_best_check():
    x, y = _sample(50)
    x_val, y_val = _sample(10, seed=1)
    y_val = np.roll(y_val, 1)  # held-out labels that disagree with training: the loss soon rises
    model = _model()
    losses = []

    class Record(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            losses.append(logs["val_loss"])

    original_fit = model.fit
    model.fit = lambda *a, **kw: original_fit(*a, **{**kw, "callbacks": [*kw["callbacks"], Record()]})
    steps = CH4.train_network(model, x, y, (x_val, y_val), seed=0)
    every = 10  # 120 training images in batches of 32: an epoch is 4 steps, a check every 10
    assert steps % every == 0 and steps == every * (int(np.argmin(losses)) + 1)
    assert len(losses) < 30  # it stopped before the cap
    kept = transfer.ValidationLoss(x_val, y_val)
    kept.set_model(model)
    logs = {}
    kept.on_epoch_end(0, logs)
    assert logs["val_loss"] == pytest.approx(min(losses), rel=1e-5)


def test_reset_optimizer_zeroes_the_state_but_keeps_the_learning_rate():
    model = _model()
    x, y = _sample(4)
    model.fit(x, y, epochs=2, verbose=0)
    CH4.reset_optimizer(model.optimizer)
    assert int(model.optimizer.iterations.numpy()) == 0
    assert float(model.optimizer.learning_rate.numpy()) == pytest.approx(0.05)
    assert all(not np.any(v.numpy()) for v in model.optimizer.variables if "learning_rate" not in v.path)


def test_warm_start_puts_the_logistic_regression_in_the_softmax_head():
    rng = np.random.default_rng(0)
    feats, y = rng.random((60, 4)).astype("float32"), np.arange(60) % 3
    head = CH4.linear_head(feats, y, 0)
    model = _model()
    model.set_weights(CH4.warm_start(model.get_weights(), head))
    np.testing.assert_allclose(model.predict(feats, verbose=0), head.predict_proba(feats), atol=1e-5)


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

"""The label-budget sweep's training rule: the held-out fifth, early stopping, warm starts, optimizer reset."""

from __future__ import annotations

import keras
import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

import helpers
from helpers import sweep, transfer


def _sample(k, n_classes=3, seed=0):
    rng = np.random.default_rng(seed)
    y = np.repeat(np.arange(n_classes), k)
    x = rng.normal(size=(len(y), 4)).astype("float32") + y[:, None]
    return x, y


def _model(seed=0):
    helpers.set_seed(seed)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="softmax")])
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="sparse_categorical_crossentropy")
    return model


@pytest.mark.parametrize(("k", "kept", "held"), [(1, 1, 0), (5, 4, 1), (10, 8, 2), (100, 80, 20)])
def test_hold_out_keeps_a_stratified_fifth_from_five_labels_per_class(k, kept, held):
    x, y = _sample(k)
    x_fit, y_fit, held_out = sweep.hold_out(x, y, k, seed=0)
    assert list(np.bincount(y_fit)) == [kept] * 3
    if held == 0:
        assert held_out is None and x_fit is x
    else:
        assert list(np.bincount(held_out[1])) == [held] * 3
        assert len(x_fit) + len(held_out[0]) == len(x)


def test_hold_out_holds_out_a_fifth_of_all():
    x, y = _sample(40)
    _, _, held_out = sweep.hold_out(x, y, "all", seed=0)
    assert len(held_out[1]) == 24


def test_hold_out_is_the_same_split_for_the_same_seed_and_another_for_another():
    x, y = _sample(10)
    first, again, other = (sweep.hold_out(x, y, 10, seed=s) for s in (0, 0, 1))
    np.testing.assert_array_equal(first.x_fit, again.x_fit)
    assert not np.array_equal(first.x_fit, other.x_fit)


@pytest.mark.parametrize(
    ("budget", "error", "message"),
    [(0, ValueError, "budget .* must be >= 1"), ("most", TypeError, "budget"), (2.5, TypeError, "budget")],
)
def test_hold_out_says_what_a_budget_is(budget, error, message):
    x, y = _sample(5)
    with pytest.raises(error, match=message):
        sweep.hold_out(x, y, budget, seed=0)


def test_without_held_out_images_a_network_trains_the_fixed_number_of_steps():
    x, y = _sample(1)
    model = _model()
    assert sweep.train_network(model, x, y, None, seed=0, fixed_steps=7) == 7
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
    steps = sweep.train_network(model, x, y, (x_val, y_val), seed=0)
    every = 10  # 120 training images in batches of 32: an epoch is 4 steps, a check every 10
    assert steps % every == 0 and steps == every * (int(np.argmin(losses)) + 1)
    assert len(losses) < 30  # it stopped before the cap
    kept = transfer.ValidationLoss(x_val, y_val)
    kept.set_model(model)
    logs = {}
    kept.on_epoch_end(0, logs)
    assert logs["val_loss"] == pytest.approx(min(losses), rel=1e-5)


def test_train_network_checks_every_epoch_when_an_epoch_is_longer_than_the_check_interval():
    x, y = _sample(200)  # 600 images in batches of 32: 19 steps an epoch
    x_val, y_val = _sample(2, seed=1)
    steps = sweep.train_network(_model(), x, y, (x_val, y_val), seed=0, max_checks=2)
    assert steps in (19, 38)


def test_train_network_is_reproducible():
    x, y = _sample(10)
    held = _sample(2, seed=1)
    weights = []
    for _ in range(2):
        model = _model()
        sweep.train_network(model, x, y, held, seed=3)
        weights.append(model.get_weights())
    for a, b in zip(*weights):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize(
    ("change", "error", "message"),
    [
        ({"held_out": [np.zeros((2, 4)), np.zeros(2, int)]}, TypeError, "tuple \\(x_val, y_val\\) or None"),
        ({"held_out": (np.zeros((2, 4)), np.zeros((2, 3)))}, ValueError, "one non-negative integer"),
        ({"y": np.zeros(2, int)}, ValueError, "different numbers of samples"),
        ({"seed": -1}, ValueError, "between 0 and"),
        ({"fixed_steps": 0}, ValueError, "fixed_steps must be >= 1"),
    ],
)
def test_train_network_refuses_bad_input(change, error, message):
    x, y = _sample(5)
    arguments = {"model": _model(), "x": x, "y": y, "held_out": None, "seed": 0, **change}
    with pytest.raises(error, match=message):
        sweep.train_network(**arguments)


def test_train_network_needs_a_compiled_model():
    x, y = _sample(1)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="softmax")])
    with pytest.raises(ValueError, match="not compiled"):
        sweep.train_network(model, x, y, None, seed=0)


def test_reset_optimizer_zeroes_the_state_but_keeps_the_learning_rate():
    model = _model()
    x, y = _sample(4)
    model.fit(x, y, epochs=2, verbose=0)
    sweep.reset_optimizer(model.optimizer)
    assert int(model.optimizer.iterations.numpy()) == 0
    assert float(model.optimizer.learning_rate.numpy()) == pytest.approx(0.05)
    assert all(not np.any(v.numpy()) for v in model.optimizer.variables if "learning_rate" not in v.path)


def test_reset_optimizer_wants_an_optimizer_not_a_model():
    with pytest.raises(TypeError, match="model.optimizer"):
        sweep.reset_optimizer(_model())


def test_warm_start_puts_the_logistic_regression_in_the_softmax_head():
    rng = np.random.default_rng(0)
    feats, y = rng.random((60, 4)).astype("float32"), np.arange(60) % 3
    head = LogisticRegression(max_iter=100, random_state=0).fit(feats, y)
    model = _model()
    start = sweep.warm_start(model.get_weights(), head)
    assert [w.dtype for w in start] == [np.float32] * 2
    model.set_weights(start)
    np.testing.assert_allclose(model.predict(feats, verbose=0), head.predict_proba(feats), atol=1e-5)


def test_warm_start_keeps_the_other_weights():
    helpers.set_seed(0)
    model = keras.Sequential(
        [keras.Input((4,)), keras.layers.Dense(5), keras.layers.Dense(3, activation="softmax")]
    )
    rng = np.random.default_rng(0)
    head = LogisticRegression().fit(rng.random((30, 5)), np.arange(30) % 3)
    weights = model.get_weights()
    start = sweep.warm_start(weights, head)
    assert start[0] is weights[0] and start[1] is weights[1]


@pytest.mark.parametrize(
    ("head", "error", "message"),
    [
        (LogisticRegression(), TypeError, "fitted linear classifier"),
        (LogisticRegression().fit(np.eye(4)[[0, 1, 2, 3] * 3], [0, 1] * 6), ValueError, "two-class"),
        (LogisticRegression().fit(np.eye(5)[[0, 1, 2, 3, 4] * 3], [0, 1, 2] * 5), ValueError, "shape"),
    ],
    ids=["not fitted", "two classes", "other features"],
)
def test_warm_start_says_when_the_classifier_does_not_fit_the_head(head, error, message):
    with pytest.raises(error, match=message):
        sweep.warm_start(_model().get_weights(), head)


@pytest.mark.parametrize(("n", "steps", "batch"), [(5, 7, 32), (50, 20, 32), (64, 4, 32), (3, 1, 2)])
def test_batch_schedule_gives_full_batches_and_every_example_once_per_epoch(n, steps, batch):
    schedule = sweep.batch_schedule(n, steps, seed=0, batch_size=batch)
    width = min(batch, n)
    assert schedule.shape == (steps, width) and schedule.dtype == np.int64
    flat = schedule.ravel()
    assert flat.min() >= 0 and flat.max() < n
    for start in range(0, len(flat) - n + 1, n):  # each complete epoch is a permutation
        assert sorted(flat[start : start + n]) == list(range(n))


def test_batch_schedule_is_the_same_for_the_same_seed_and_another_for_another():
    first = sweep.batch_schedule(50, 10, seed=1)
    assert np.array_equal(first, sweep.batch_schedule(50, 10, seed=1))
    assert not np.array_equal(first, sweep.batch_schedule(50, 10, seed=2))


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"n": 0, "steps": 1, "seed": 0}, ValueError, "n .* must be >= 1"),
        ({"n": 5, "steps": 0, "seed": 0}, ValueError, "steps must be >= 1"),
        ({"n": 5, "steps": 2, "seed": -1}, ValueError, "seed"),
        ({"n": 5.0, "steps": 2, "seed": 0}, TypeError, "must be an int"),
        ({"n": 5, "steps": 2, "seed": 0, "batch_size": 0}, ValueError, "batch_size must be >= 1"),
    ],
)
def test_batch_schedule_refuses_bad_input(kwargs, error, message):
    with pytest.raises(error, match=message):
        sweep.batch_schedule(**kwargs)

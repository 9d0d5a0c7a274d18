"""helpers.training: compact logs and argument checks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import keras
import numpy as np
import pytest

import helpers
from helpers import training


def _tiny_model(compiled: bool = True) -> keras.Model:
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, activation="softmax")])
    if compiled:
        model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


@pytest.fixture
def xy():
    rng = np.random.default_rng(0)
    return rng.normal(size=(40, 4)).astype("float32"), rng.integers(0, 2, 40)


def test_train_prints_one_line_per_epoch_without_timings(xy, capsys):
    helpers.set_seed(0)
    history = training.train(_tiny_model(), *xy, epochs=3, batch_size=8, validation_data=xy)
    lines = capsys.readouterr().out.strip().splitlines()
    assert [ln.split()[1] for ln in lines] == ["1/3", "2/3", "3/3"]
    assert all("val_loss" in ln for ln in lines)
    assert not any("ms/step" in ln or "━" in ln or " s " in ln for ln in lines)
    assert len(history.history["loss"]) == 3


def test_log_every_prints_every_nth_and_the_last_epoch(xy, capsys):
    training.train(_tiny_model(), *xy, epochs=5, log_every=2)
    lines = capsys.readouterr().out.strip().splitlines()
    assert [ln.split()[1] for ln in lines] == ["2/5", "4/5", "5/5"]


def test_log_every_none_is_silent(xy, capsys):
    training.train(_tiny_model(), *xy, epochs=2, log_every=None)
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (
            lambda x, y: training.train(_tiny_model(compiled=False), x, y, epochs=1),
            ValueError,
            "not compiled",
        ),
        (lambda x, y: training.train("model", x, y, epochs=1), TypeError, "must be a keras.Model"),
        (lambda x, y: training.train(_tiny_model(), x, y[:5], epochs=1), ValueError, "different numbers"),
        (lambda x, y: training.train(_tiny_model(), x, y, epochs=0), ValueError, "epochs must be >= 1"),
        (lambda x, y: training.train(_tiny_model(), x, y, epochs=1.5), TypeError, "epochs must be an int"),
        (lambda x, y: training.train(_tiny_model(), x * np.nan, y, epochs=1), ValueError, "NaN"),
        (
            lambda x, y: training.train(_tiny_model(), x, y, epochs=1, validation_data=[x, y]),
            TypeError,
            "tuple",
        ),
        (
            lambda x, y: training.train(_tiny_model(), x, y, epochs=1, validation_data=(x, y[:3])),
            ValueError,
            "x_val and y_val",
        ),
    ],
)
def test_train_rejects_bad_arguments(xy, call, error, message):
    with pytest.raises(error, match=message):
        call(*xy)


def test_epoch_logger_validates_its_arguments():
    with pytest.raises(ValueError, match="every must be >= 1"):
        training.EpochLogger(every=0)


def test_without_autotune_yields_the_same_batches_and_switches_the_tuner_off():
    import tensorflow as tf

    def pipeline():  # a fresh one each time: iterating a shuffled dataset again reshuffles it
        x = np.arange(50, dtype="float32").reshape(25, 2)
        return tf.data.Dataset.from_tensor_slices(x).shuffle(25, seed=3).batch(4).prefetch(2)

    tuned_off = training.without_autotune(pipeline())
    assert pipeline().options().autotune.enabled is None  # unset: tf.data tunes by default
    assert tuned_off.options().autotune.enabled is False
    before = [b.numpy() for b in pipeline()]
    after = [b.numpy() for b in tuned_off]
    assert len(before) == len(after) == 7
    assert all(np.array_equal(a, b) for a, b in zip(before, after))


def test_in_order_trains_exactly_as_fit_without_shuffling(xy):
    x, y = xy

    def fitted(*data, **fit_args):
        helpers.set_seed(0)
        model = _tiny_model()
        model.fit(*data, verbose=0, **fit_args)
        return model.get_weights()

    batches = training.in_order(x, y, batch_size=16)  # 16, 16 and the 8 left
    assert [len(b) for b, _ in batches] == [16, 16, 8]
    by_keras = fitted(x, y, batch_size=16, shuffle=False)
    assert all(np.array_equal(a, b) for a, b in zip(fitted(batches, shuffle=False), by_keras))
    even = training.in_order(x, y, batch_size=8)  # 5 batches of 8: a static batch size, as Keras gives
    assert even.element_spec[0].shape == (8, 4) and batches.element_spec[0].shape.as_list() == [None, 4]
    assert all(
        np.array_equal(a, b)
        for a, b in zip(fitted(even, shuffle=False), fitted(x, y, batch_size=8, shuffle=False))
    )
    reordered = training.in_order(x[::-1], y[::-1], batch_size=16)  # the order matters
    assert not all(np.array_equal(a, b) for a, b in zip(fitted(reordered, shuffle=False), by_keras))


def _fitted(*data, **fit_args):
    helpers.set_seed(0)
    model = keras.Sequential(
        [keras.Input((4,)), keras.layers.Dense(8, activation="relu"), keras.layers.Dropout(0.3)]
        + [keras.layers.Dense(2, activation="softmax")]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(*data, epochs=3, verbose=0, **fit_args)
    return model.get_weights(), history.history


@pytest.mark.parametrize("batch_size", [16, 8])  # 16, 16 and the 8 left; 5 batches of 8
def test_shuffled_trains_exactly_as_fit_with_shuffling(xy, batch_size):
    x, y = xy
    by_keras, keras_history = _fitted(x, y, batch_size=batch_size, validation_data=(x[:10], y[:10]))
    ours, history = _fitted(
        training.shuffled(x, y, batch_size=batch_size),
        validation_data=training.in_order(x[:10], y[:10], batch_size=batch_size),
        shuffle=False,
    )
    assert all(np.array_equal(a, b) for a, b in zip(ours, by_keras))
    assert history == keras_history
    unshuffled, _ = _fitted(training.in_order(x, y, batch_size=batch_size), shuffle=False)
    assert not all(np.array_equal(a, b) for a, b in zip(unshuffled, by_keras))  # the order matters
    batches = training.shuffled(x, y, batch_size=batch_size)
    assert batches.cardinality() == -(-len(x) // batch_size)  # 3 or 5 batches, as Keras counts them
    assert batches.options().autotune.enabled is False
    labels = np.concatenate([b.numpy() for _, b in batches])
    assert sorted(labels.tolist()) == sorted(y.tolist()) and labels.tolist() != y.tolist()


def test_train_trains_exactly_as_fit(xy):
    x, y = xy
    helpers.set_seed(0)
    model = _tiny_model()
    history = training.train(
        model, x, y, epochs=3, batch_size=16, validation_data=(x[:10], y[:10]), log_every=None
    )
    helpers.set_seed(0)
    reference = _tiny_model()
    expected = reference.fit(x, y, epochs=3, batch_size=16, validation_data=(x[:10], y[:10]), verbose=0)
    assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), reference.get_weights()))
    assert history.history == expected.history


def _orders(data, **fit_args) -> list[list[int]]:
    """The labels of each epoch's batches, in the order a model saw them (3 epochs)."""
    seen: list[int] = []

    class Recorder(keras.Model):
        def train_step(self, batch):
            seen.extend(batch[1].numpy().tolist())
            return {"n": 0.0}

    inputs = keras.Input((1,))
    model = Recorder(inputs, keras.layers.Dense(1)(inputs))
    model.compile(optimizer="sgd", loss="mse", run_eagerly=True)
    model.fit(*data, epochs=3, verbose=0, **fit_args)
    return [seen[i : i + 10] for i in range(0, 30, 10)]


def test_with_a_seed_keras_fit_and_shuffled_repeat_one_order_every_epoch():
    """The fact `shuffled`'s docstring states about Keras' own fit (TensorFlow issue #35682)."""
    x, y = np.arange(10.0)[:, None], np.arange(10)
    helpers.set_seed(1)
    by_keras = _orders((x, y), batch_size=4)
    helpers.set_seed(1)
    ours = _orders((training.shuffled(x, y, batch_size=4),), shuffle=False)
    assert ours == by_keras
    assert by_keras[0] != list(range(10)) and by_keras[0] == by_keras[1] == by_keras[2]
    # Without a global seed (and without op determinism, which requires one): a new order each
    # epoch. In a fresh process, since op determinism cannot be switched off again.
    script = (  # the same recorder, imported from this file
        f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r})\n"
        "import numpy as np\n"
        "from test_training import _orders\n"
        "orders = _orders((np.arange(10.0)[:, None], np.arange(10)), batch_size=4)\n"
        "print(len({tuple(order) for order in orders}))\n"
    )
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    assert int(run.stdout.split()[-1]) > 1  # different orders

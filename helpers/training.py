"""Training with compact, deterministic logs.

Keras' default progress bar prints one line per step with timings, which
clutters the rendered book and changes on every run. :func:`train` trains
silently and prints at most one short line per epoch, with no timings.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import NamedTuple

import keras
import numpy as np
import tensorflow as tf

from helpers._validation import check_images, check_int, check_seed
from helpers.runtime import set_seed


class EpochLogger(keras.callbacks.Callback):
    """Print one line of metrics every ``every`` epochs (and after the last one).

    Parameters
    ----------
    every : int, default 1
        Print every ``every``-th epoch.
    digits : int, default 4
        Decimal places of each metric.
    """

    def __init__(self, every: int = 1, digits: int = 4) -> None:
        super().__init__()
        self.every = check_int(every, "every", minimum=1)
        self.digits = check_int(digits, "digits", minimum=0)
        self.lines: list[str] = []

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:  # noqa: D102
        total = self.params.get("epochs", epoch + 1)
        if (epoch + 1) % self.every and epoch + 1 != total:
            return
        metrics = "  ".join(f"{k} {v:.{self.digits}f}" for k, v in (logs or {}).items())
        width = len(str(total))
        line = f"epoch {epoch + 1:>{width}}/{total}  {metrics}"
        self.lines.append(line)
        print(line)


def without_autotune(dataset: tf.data.Dataset) -> tf.data.Dataset:
    """The same batches in the same order, with tf.data's autotuner switched off.

    For every iterator over a dataset, tf.data starts a thread that tunes the pipeline's
    parallelism and buffer sizes. Deleting the iterator (at the end of every epoch, and of
    every ``fit``) waits for that thread, which sleeps between tunings for up to 10 s. Measured
    with TensorFlow 2.21 on 2 cores (2026-12-04): one epoch of chapter 3's CNN trained in 12-13 s,
    and in 34 of 61 epochs the deletion added 8-10 s more; with the autotuner off, in none of 18. A
    pipeline whose sizes are all fixed (``prefetch(2)``, a ``map`` without
    ``num_parallel_calls``) has nothing to tune, and yields exactly the same batches.

    Parameters
    ----------
    dataset : tf.data.Dataset

    Returns
    -------
    tf.data.Dataset
        ``dataset`` with ``options.autotune.enabled = False``.
    """
    if not isinstance(dataset, tf.data.Dataset):
        raise TypeError(f"dataset must be a tf.data.Dataset, got {type(dataset).__name__}.")
    options = tf.data.Options()
    options.autotune.enabled = False
    return dataset.with_options(options)


def in_order(x: np.ndarray, y: np.ndarray, *, batch_size: int) -> tf.data.Dataset:
    """Mini-batches of ``(x, y)`` in the order given, for ``model.fit``, without the autotuner.

    ``model.fit(in_order(x, y, batch_size=b), shuffle=False)`` trains on the same batches, of the
    same static shape, in the same order, as ``model.fit(x, y, batch_size=b, shuffle=False)``,
    and gives the same weights; it only skips the wait for tf.data's autotuner when the fit ends
    (see :func:`without_autotune`). (``shuffle=False`` only tells Keras not to warn that it cannot
    shuffle a dataset.)

    Parameters
    ----------
    x, y : ndarray
        Inputs (samples first) and targets, already in the order to train on.
    batch_size : int
        Samples per batch; the last batch holds what is left.

    Returns
    -------
    tf.data.Dataset
        Batches ``(x[i:i + b], y[i:i + b])``.
    """
    x, y = _samples(x, y)
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    # Keras gives its batches a fixed size when they all have one, and the traced graph (and the
    # last bits of some results) depend on it: do the same.
    batches = tf.data.Dataset.from_tensor_slices(_as_keras_feeds(x, y)).batch(
        batch_size, drop_remainder=len(x) % batch_size == 0
    )
    return without_autotune(batches)


def shuffled(x: np.ndarray, y: np.ndarray, *, batch_size: int) -> tf.data.Dataset:
    """Mini-batches of ``(x, y)`` in the random order ``model.fit(x, y)`` draws, without the autotuner.

    ``model.fit(shuffled(x, y, batch_size=b), shuffle=False)`` trains on the same batches, in
    the same order, as ``model.fit(x, y, batch_size=b)`` (which shuffles) after the same
    ``helpers.set_seed``, and gives the same weights to the bit (TensorFlow 2.21, Keras 3.15;
    a test compares them); it only skips the wait for tf.data's autotuner at the end of every
    epoch (see :func:`without_autotune`): run back to back on 2 cores (2026-12-04), chapter 2
    took 97.1 s with it and 105.1 s with Keras' pipeline. The permutation comes from
    ``tf.random.shuffle`` as the first random op of a function inside the pipeline, as in Keras'
    pipeline, so its seed is the same.

    That includes one property of Keras' own pipeline worth knowing: once a global seed is set,
    every pass over the data (every epoch) repeats the *same* order, because each epoch's
    iterator recreates the shuffle with the same seed (TensorFlow issue #35682 describes the
    mechanism; ``tests/test_training.py`` measures it for Keras' ``fit`` and for this pipeline).
    Without a global seed, each epoch gets a new order.

    Parameters
    ----------
    x, y : ndarray
        Inputs (samples first) and targets.
    batch_size : int
        Samples per batch; the last batch holds what is left.

    Returns
    -------
    tf.data.Dataset
        Batches ``(x[i], y[i])`` for consecutive slices ``i`` of a random permutation.
    """
    x, y = _samples(x, y)
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    n = len(x)
    full, rest = divmod(n, batch_size)

    # An unseeded random op is seeded by the global seed and by how many unseeded random ops were
    # traced before it in the same function: none here, as in Keras' pipeline, hence its order.
    def permutation(_):
        indices = tf.range(n, dtype=tf.int64)
        return tf.random.shuffle(indices)

    def cut(order: tf.Tensor) -> tf.data.Dataset:
        head = tf.reshape(tf.slice(order, [0], [full * batch_size]), [full, batch_size])
        batches = tf.data.Dataset.from_tensor_slices(head)
        if rest:
            batches = batches.concatenate(
                tf.data.Dataset.from_tensors(tf.slice(order, [full * batch_size], [rest]))
            )
        return batches

    indices = tf.data.Dataset.range(1).map(permutation).prefetch(1).flat_map(cut)
    arrays = tf.data.Dataset.from_tensors(_as_keras_feeds(x, y)).repeat()
    batches = tf.data.Dataset.zip((indices, arrays)).map(
        lambda i, xy: (tf.gather(xy[0], i, axis=0), tf.gather(xy[1], i, axis=0))
    )
    batches = batches.apply(tf.data.experimental.assert_cardinality(full + (rest > 0)))
    return without_autotune(batches.prefetch(2))


def _samples(x: object, y: object, names: tuple[str, str] = ("x", "y")) -> tuple[np.ndarray, np.ndarray]:
    """``x`` and ``y`` as arrays with one target per sample, checked (``names`` in messages)."""
    x = check_images(x, names[0], min_dim=1)
    y = np.asarray(y)
    if y.ndim == 0 or y.shape[0] != x.shape[0]:
        got = y.shape[0] if y.ndim else "a single value"
        raise ValueError(
            f"{names[0]} and {names[1]} have different numbers of samples: {x.shape[0]} and {got}."
        )
    return x, y


def _as_keras_feeds(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``x`` and ``y`` with floating point arrays in Keras' float type, as ``fit`` converts them."""
    floatx = keras.backend.floatx()
    return tuple(
        a.astype(floatx) if np.issubdtype(a.dtype, np.floating) and a.dtype != floatx else a for a in (x, y)
    )


def train(
    model: keras.Model,
    x: np.ndarray,
    y: np.ndarray,
    *,
    epochs: int,
    batch_size: int = 128,
    validation_data: tuple[np.ndarray, np.ndarray] | None = None,
    callbacks: Sequence[keras.callbacks.Callback] = (),
    log_every: int | None = 1,
) -> keras.callbacks.History:
    """Fit a compiled model, printing one compact line per epoch.

    The same weights and metrics as ``model.fit(x, y, batch_size=..., validation_data=...)``,
    from the same batches (:func:`shuffled`, :func:`in_order`), without tf.data's wait at the end
    of every epoch. Like Keras' ``fit`` after ``helpers.set_seed``, every epoch visits the
    examples in the same random order (see :func:`shuffled`).

    Parameters
    ----------
    model : keras.Model
        A compiled model.
    x, y : ndarray
        Training inputs (samples first) and targets.
    epochs : int
        Number of passes over the training data.
    batch_size : int, default 128
    validation_data : (x_val, y_val), optional
        Evaluated after every epoch; never pass the test set here.
    callbacks : sequence of keras.callbacks.Callback
        Extra callbacks, e.g. :class:`keras.callbacks.EarlyStopping`.
    log_every : int or None, default 1
        Print every ``log_every`` epochs; ``None`` prints nothing.

    Returns
    -------
    keras.callbacks.History
        ``history.history`` maps each metric to its per-epoch values.
    """
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, got {type(model).__name__}.")
    if not getattr(model, "compiled", False) or getattr(model, "optimizer", None) is None:
        raise ValueError("model is not compiled; call model.compile(optimizer=..., loss=...) first.")
    x, y_arr = _samples(x, y)
    epochs = check_int(epochs, "epochs", minimum=1)
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    validation = None
    if validation_data is not None:
        if not (isinstance(validation_data, tuple) and len(validation_data) == 2):
            raise TypeError("validation_data must be a tuple (x_val, y_val).")
        validation = in_order(*_samples(*validation_data, names=("x_val", "y_val")), batch_size=batch_size)
    all_callbacks = list(callbacks)
    if log_every is not None:
        all_callbacks.append(EpochLogger(every=log_every))
    # The batches Keras would make from the arrays, without tf.data's autotuner (see `shuffled`).
    return model.fit(
        shuffled(x, y_arr, batch_size=batch_size),
        epochs=epochs,
        validation_data=validation,
        callbacks=all_callbacks,
        verbose=0,
        shuffle=False,
    )


class Candidate(NamedTuple):
    """One run of :func:`compare_learning_rates`.

    Attributes
    ----------
    model : keras.Model
        The trained model, with the weights of its best epoch restored.
    history : dict
        ``history.history`` of the run: each metric's per-epoch values.
    best_epoch : int
        The epoch (counted from 1) with the lowest validation loss, the one kept.
    """

    model: keras.Model
    history: dict[str, list[float]]
    best_epoch: int


def compare_learning_rates(
    build: Callable[[], keras.Model],
    learning_rates: Mapping[str, float | keras.optimizers.schedules.LearningRateSchedule],
    x: np.ndarray,
    y: np.ndarray,
    *,
    validation_data: tuple[np.ndarray, np.ndarray],
    epochs: int,
    patience: int,
    seed: int,
    batch_size: int = 128,
) -> dict[str, Candidate]:
    """Train one model per learning rate from the same start, with early stopping on validation loss.

    Every candidate is built after ``helpers.set_seed(seed)``, so all start from the same initial
    weights and see the same batches; each is compiled with Adam at its learning rate (a number
    or a Keras schedule), ``sparse_categorical_crossentropy`` and accuracy, and trained silently
    with :class:`keras.callbacks.EarlyStopping` on ``val_loss`` (best weights restored).

    Parameters
    ----------
    build : callable
        Returns a new, uncompiled model, e.g. ``models.build_mlp``.
    learning_rates : mapping of str to float or LearningRateSchedule
        The candidates, by name.
    x, y : ndarray
        Training images and integer labels.
    validation_data : (x_val, y_val)
        Decides the epoch of each run; never the test set.
    epochs : int
        The most epochs of each run.
    patience : int
        Epochs without a lower validation loss before a run stops.
    seed : int
        Seed of every run.
    batch_size : int, default 128

    Returns
    -------
    dict of str to Candidate
        The runs, in the order of ``learning_rates``.
    """
    if not callable(build):
        raise TypeError(f"build must be a function returning a new model, got {type(build).__name__}.")
    if not isinstance(learning_rates, Mapping) or not learning_rates:
        raise TypeError("learning_rates must be a non-empty dict of name -> learning rate or schedule.")
    for name, rate in learning_rates.items():
        schedule = isinstance(rate, keras.optimizers.schedules.LearningRateSchedule)
        if not schedule and (isinstance(rate, bool) or not isinstance(rate, int | float) or not rate > 0):
            raise ValueError(f"learning rate {name!r} must be a positive number or a schedule, got {rate!r}.")
    patience = check_int(patience, "patience", minimum=0)
    seed = check_seed(seed)
    if validation_data is None:
        raise ValueError("validation_data is required: it decides the epoch of each run.")
    runs = {}
    for name, rate in learning_rates.items():
        set_seed(seed)
        model = build()
        if not isinstance(model, keras.Model):
            raise TypeError(f"build() must return a keras.Model, got {type(model).__name__}.")
        model.compile(
            optimizer=keras.optimizers.Adam(rate),
            loss="sparse_categorical_crossentropy",
            metrics=["accuracy"],
            # 32 steps per call into TensorFlow: the same steps and weights to the bit, with less
            # Python between them (a small MLP's epoch took 10 % less, 2026-12-04)
            steps_per_execution=32,
        )
        stopper = keras.callbacks.EarlyStopping(
            monitor="val_loss", patience=patience, restore_best_weights=True
        )
        history = train(
            model,
            x,
            y,
            epochs=epochs,
            batch_size=batch_size,
            validation_data=validation_data,
            callbacks=[stopper],
            log_every=None,
        )
        runs[name] = Candidate(model, history.history, stopper.best_epoch + 1)
    return runs

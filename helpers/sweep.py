"""How every network of a label-budget sweep trains: one rule, chosen without the test set.

Chapter 4 compares strategies (training from scratch, fine-tuning from several cuts) run by
:func:`helpers.transfer.budget_sweep`. So that the comparison is fair, every network trains by
the same rule: :func:`hold_out` sets a stratified fifth of the labelled sample aside,
:func:`train_network` trains on the rest until the loss on that fifth stops improving (or for a
fixed number of steps when there is nothing to hold out), :func:`warm_start` starts a new head
as a fitted logistic regression, and :func:`reset_optimizer` lets one compiled network start
each run afresh. :func:`batch_schedule` fixes which mini-batches each step sees, so that methods
trained for the same number of steps (with or without augmentation, one learning rate or two)
see the same images in the same order. The strategies themselves are defined in the chapter.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import keras
import numpy as np
import tensorflow as tf

from helpers import data, training, transfer
from helpers._validation import check_fraction, check_images, check_int, check_labels, check_seed


class HeldOut(NamedTuple):
    """What :func:`hold_out` returns: the images to train on, and those set aside (or ``None``)."""

    x_fit: np.ndarray
    y_fit: np.ndarray
    held_out: tuple[np.ndarray, np.ndarray] | None


def hold_out(
    x: np.ndarray,
    y: np.ndarray,
    budget: int | str,
    *,
    seed: int,
    val_fraction: float = 0.2,
    min_per_class: int = 5,
) -> HeldOut:
    """Set a stratified part of a labelled sample aside for early stopping.

    With fewer than ``min_per_class`` labels per class there is too little to hold out: the
    whole sample is returned for training, with ``held_out=None`` (train for a fixed number
    of steps then, see :func:`train_network`).

    Parameters
    ----------
    x, y : ndarray
        The labelled sample: images (samples first) and integer labels.
    budget : int or "all"
        Labels per class in the sample (``"all"``: a whole pool, always large enough).
    seed : int
        Seed of the split.
    val_fraction : float, default 0.2
        Share of the sample that is held out, strictly between 0 and 1.
    min_per_class : int, default 5
        The smallest budget that gets a held-out part.

    Returns
    -------
    HeldOut
        ``(x_fit, y_fit, held_out)``, with ``held_out = (x_val, y_val)`` or ``None``; below
        ``min_per_class``, ``x_fit`` and ``y_fit`` are ``x`` and ``y`` themselves.
    """
    x = check_images(x, "x", min_dim=1)
    y = check_labels(y, "y", n_samples=x.shape[0])
    if budget != "all":
        budget = check_int(budget, "budget (labels per class, or 'all')", minimum=1)
    seed = check_seed(seed)
    val_fraction = check_fraction(val_fraction, "val_fraction")
    min_per_class = check_int(min_per_class, "min_per_class", minimum=1)
    if budget != "all" and budget < min_per_class:
        return HeldOut(x, y, None)
    split = data.train_val_split(x, y, val_fraction=val_fraction, seed=seed)
    return HeldOut(split.x_train, split.y_train, (split.x_val, split.y_val))


def train_network(
    model: keras.Model,
    x: np.ndarray,
    y: np.ndarray,
    held_out: tuple[np.ndarray, np.ndarray] | None,
    *,
    seed: int,
    fixed_steps: int = 50,
    batch_size: int = 32,
    check_every: int = 10,
    patience: int = 3,
    max_checks: int = 30,
) -> int:
    """Train a compiled network until its loss on held-out images stops improving.

    The network trains on shuffled mini-batches of ``batch_size`` (or all of ``x``, if
    smaller). Every ``check_every`` steps (or every epoch, if an epoch is longer) the loss on
    the held-out images is computed (:class:`helpers.transfer.ValidationLoss`); training stops
    after ``patience`` checks without improvement, or after ``max_checks``, and the weights of
    the best check are kept (:class:`keras.callbacks.EarlyStopping`). Without held-out images
    it trains for ``fixed_steps`` steps. Nothing is printed.

    Parameters
    ----------
    model : keras.Model
        A compiled model whose outputs are class probabilities (softmax).
    x, y : ndarray
        Training images (samples first) and integer labels.
    held_out : (x_val, y_val) or None
        The images early stopping looks at (never the test set), e.g. from :func:`hold_out`.
    seed : int
        Seed of the shuffling.
    fixed_steps : int, default 50
        Training steps when ``held_out`` is ``None``.
    batch_size : int, default 32
    check_every : int, default 10
        The fewest steps between two checks.
    patience : int, default 3
    max_checks : int, default 30

    Returns
    -------
    int
        The number of training steps of the weights kept.
    """
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, got {type(model).__name__}.")
    if not getattr(model, "compiled", False) or getattr(model, "optimizer", None) is None:
        raise ValueError("model is not compiled; call model.compile(optimizer=..., loss=...) first.")
    x = check_images(x, "x", min_dim=1)
    y = check_labels(y, "y", n_samples=x.shape[0])
    if held_out is not None and not (isinstance(held_out, tuple) and len(held_out) == 2):
        raise TypeError(
            "held_out must be a tuple (x_val, y_val) or None, e.g. the third item of hold_out(...)."
        )
    seed = check_seed(seed)
    fixed_steps = check_int(fixed_steps, "fixed_steps", minimum=1)
    batch_size = min(check_int(batch_size, "batch_size", minimum=1), len(x))
    check_every = check_int(check_every, "check_every", minimum=1)
    patience = check_int(patience, "patience", minimum=1)
    max_checks = check_int(max_checks, "max_checks", minimum=1)
    batches = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(len(x), seed=seed).repeat().batch(batch_size)
    batches = training.without_autotune(batches)  # no wait for the autotuner when fit ends
    if held_out is None:
        model.fit(batches, steps_per_epoch=fixed_steps, epochs=1, shuffle=False, verbose=0)
        return fixed_steps
    validation = transfer.ValidationLoss(*held_out)  # checks the held-out images and labels
    every = max(check_every, int(np.ceil(len(x) / batch_size)))  # steps between two checks
    stop = keras.callbacks.EarlyStopping("val_loss", patience=patience, restore_best_weights=True)
    model.fit(
        batches,
        steps_per_epoch=every,
        epochs=max_checks,
        shuffle=False,
        verbose=0,
        callbacks=[validation, stop],
    )
    return every * (stop.best_epoch + 1)


def batch_schedule(n: int, steps: int, *, seed: int, batch_size: int = 32) -> np.ndarray:
    """Which examples every training step sees: the same mini-batches for every method compared.

    The examples are shuffled anew for each pass over them (epoch) and cut into mini-batches of
    ``batch_size`` (or all ``n`` examples, if fewer); an epoch's last, incomplete batch is
    completed from the next epoch's shuffle, so that every step has a full batch. Two methods
    trained on ``x[schedule[i]]`` at step ``i`` see the same images in the same order, for the
    same number of steps, whatever else differs (augmentation, learning rates, what is frozen).

    Parameters
    ----------
    n : int
        Number of labelled examples to draw from (indices ``0`` to ``n - 1``).
    steps : int
        Number of training steps.
    seed : int
        Seed of the shuffles.
    batch_size : int, default 32
        Examples per step, at most ``n``.

    Returns
    -------
    ndarray of int64, shape (steps, min(batch_size, n))
        Row ``i`` holds the indices of step ``i``'s mini-batch. ``x[schedule.ravel()]`` lists the
        images in training order, for ``fit(..., batch_size=schedule.shape[1], shuffle=False)``.
    """
    n = check_int(n, "n (number of examples)", minimum=1)
    steps = check_int(steps, "steps", minimum=1)
    seed = check_seed(seed)
    batch_size = min(check_int(batch_size, "batch_size", minimum=1), n)
    rng = np.random.default_rng(seed)
    needed = steps * batch_size
    order = np.concatenate([rng.permutation(n) for _ in range(-(-needed // n))])
    return order[:needed].reshape(steps, batch_size).astype(np.int64)


def reset_optimizer(optimizer: keras.optimizers.Optimizer) -> None:
    """Zero an optimizer's state (its step count, its moments), but keep its learning rate.

    A compiled network can then train again as if just compiled, without recompiling
    (which would trace its training step again).

    Parameters
    ----------
    optimizer : keras.optimizers.Optimizer
        E.g. ``model.optimizer`` of a compiled model.
    """
    if not isinstance(optimizer, keras.optimizers.Optimizer):
        raise TypeError(
            f"optimizer must be a keras.optimizers.Optimizer (e.g. model.optimizer), got "
            f"{type(optimizer).__name__}."
        )
    for v in optimizer.variables:
        if "learning_rate" not in v.path:
            v.assign(np.zeros(v.shape, dtype=v.dtype))


def warm_start(weights: list[np.ndarray], head: Any) -> list[np.ndarray]:
    """A network's weights, with its new head's replaced by a fitted linear classifier's.

    Fine-tuning then starts from the frozen strategy's solution instead of a random head,
    so the first steps do not push random errors back into the pretrained layers.

    Parameters
    ----------
    weights : list of ndarray
        ``model.get_weights()`` of a network whose last layer is a Dense softmax head
        (kernel, then bias), e.g. from :func:`helpers.transfer.add_head`.
    head : fitted linear classifier
        Anything with scikit-learn's ``coef_`` (n_classes, n_features) and ``intercept_``
        (n_classes,), e.g. a fitted :class:`sklearn.linear_model.LogisticRegression` on the
        features the head receives, with at least three classes.

    Returns
    -------
    list of ndarray
        ``weights`` with its last two arrays replaced (as float32); pass it to
        ``model.set_weights``.
    """
    if isinstance(weights, np.ndarray) or not isinstance(weights, list | tuple) or len(weights) < 2:
        raise TypeError(
            "weights must be the list that model.get_weights() returns (a head's kernel and bias last)."
        )
    coef, intercept = getattr(head, "coef_", None), getattr(head, "intercept_", None)
    if coef is None or intercept is None:
        raise TypeError(
            f"head must be a fitted linear classifier with coef_ and intercept_ (e.g. a LogisticRegression "
            f"after .fit), got {type(head).__name__}."
        )
    kernel, bias = np.asarray(coef).T, np.asarray(intercept)
    if kernel.shape != np.shape(weights[-2]) or bias.shape != np.shape(weights[-1]):
        raise ValueError(
            f"the head's coefficients have shape {kernel.shape} (transposed) and {bias.shape}, but the network's "
            f"head has {np.shape(weights[-2])} and {np.shape(weights[-1])}: fit the classifier on the features "
            "the head receives, with every class present (a two-class LogisticRegression has one row of coef_)."
        )
    return [*weights[:-2], kernel.astype("float32"), bias.astype("float32")]

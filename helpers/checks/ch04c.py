"""Checks for the exercises of chapter 4's section "Few labels in practice" (``chapters/04c_few_labels.ipynb``).

In the notebook: ``from helpers.checks import ch04c as checks``, then
``checks.augment_default.check()`` after the answer cell, ``checks.augment_default.hint()`` for
a hint and ``checks.augment_default.solution()`` for the solution.

Every truth here is recomputed, not stored: the section's augmentation block is rebuilt with the
same factors and seed and applied to the same test images (under a second, no training), Keras'
own Adam is run on the section's gradients, and the trainable-parameter counts come from the
shipped pretrained CNN. The section's hidden guards assert that the constants restated here are
the section's.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from helpers.exercises import Exercise, Number, Wrong, as_int, as_list, as_number

#: The section's augmentation: RandomTranslation's height and width factor, RandomRotation's and
#: RandomZoom's factors, all with ``fill_mode="constant"``; a block built with ``seed`` gives its
#: three layers the seeds ``seed``, ``seed + 1`` and ``seed + 2``.
_FACTORS = (0.1, 0.05, 0.1)
#: The exercise's block seed and how many of the target's test images (digits 5-9, in MNIST's order) it uses.
_AUG_SEED, _N_IMAGES = 7, 100
_TARGET_CLASSES = (5, 6, 7, 8, 9)

#: The section's gradients (NumPy seed, standard deviation, steps x weights) and Adam's learning rate.
_GRAD_SEED, _GRAD_STD, _GRAD_SHAPE, _LR = 0, 0.1, (10, 4), 1e-3
#: The powers k of the scales 10**-k the exercise tries.
_POWERS = tuple(range(9))

#: Where the section cuts the pretrained CNN, its blocks top first, and the size of the new head.
_MODEL, _CUT, _BLOCKS, _N_CLASSES = "mnist04_cnn", "hidden_1", ("hidden_1", "conv_2", "conv_1"), 5

# What the functions below compute, written out so that importing this module trains and loads
# nothing (the references and typical mistakes need them); the section's guards and
# tests/test_checks_ch04c.py assert that the functions still give them.
#: Mean and largest absolute change of a pixel on the first call of a fresh block (``_augment_truth``).
_AUGMENT = (0.1264968, 1.0)
#: Adam's moves for the scales 10**-k, k = 0..8 (``_step_lengths()``), and with PyTorch's epsilon 1e-8.
_LENGTHS = (6.094269e-03, 6.092335e-03, 6.073406e-03, 5.913847e-03, 4.987733e-03, 2.188607e-03,
            3.494749e-04, 3.726855e-05, 3.751915e-06)  # fmt: skip
_LENGTHS_EPS8 = (6.094463e-03, 6.094269e-03, 6.092335e-03, 6.073406e-03, 5.913846e-03, 4.987733e-03,
                 2.188607e-03, 3.494749e-04, 3.726855e-05)  # fmt: skip
#: Trainable parameters per stage (``_stage_counts()``), with BatchNormalization unfrozen too, bottom up.
_COUNTS, _COUNTS_BN, _COUNTS_BOTTOM_UP = (
    (325, 51589, 56197, 56341),
    (325, 51589, 56261, 56437),
    (325, 469, 5077, 56341),
)


# --- augment_default ------------------------------------------------------------------------


def _augmentation(seed: int) -> Any:
    """The section's augmentation block, rebuilt from the restated factors."""
    import keras

    translate, rotate, zoom = _FACTORS
    return keras.Sequential(
        [
            keras.layers.Reshape((28, 28, 1)),
            keras.layers.RandomTranslation(translate, translate, fill_mode="constant", seed=seed),
            keras.layers.RandomRotation(rotate, fill_mode="constant", seed=seed + 1),
            keras.layers.RandomZoom(zoom, fill_mode="constant", seed=seed + 2),
            keras.layers.Reshape((28, 28)),
        ],
        name="augmentation",
    )


@functools.cache
def _test_images() -> np.ndarray:
    """The first test images of digits 5-9, scaled to [0, 1], as the section has them."""
    from helpers import data

    _, (x_test, y_test) = data.load_mnist()
    target = data.select_classes(x_test, y_test, list(_TARGET_CLASSES))
    images = data.scale_pixels(target.x[:_N_IMAGES])
    images.setflags(write=False)
    return images


@functools.cache
def _first_call() -> np.ndarray:
    """What a fresh block with the exercise's seed makes of the images on its first call in training mode."""
    images = _test_images()
    out = np.asarray(_augmentation(_AUG_SEED)(images, training=True))
    out.setflags(write=False)
    return out


@functools.cache
def _augment_truth() -> tuple[float, float]:
    """(mean, largest) absolute change of a pixel on that first call."""
    change = np.abs(_first_call() - _test_images())
    return float(change.mean()), float(change.max())


def _check_augment_default(change_default: object, change_predict: object) -> str:
    default = as_number(change_default, "change_default")
    predicted = as_number(change_predict, "change_predict")
    mean_change, largest_change = _augment_truth()
    if default < 0 or predicted < 0:
        raise Wrong("an absolute change is never negative: take `np.abs(...)` of the difference.")
    if predicted > 0 and default == 0:
        raise Wrong(
            "the two answers look swapped: which call ran the random layers in training mode, and which "
            "in inference mode?"
        )
    Number(
        mean_change,
        rtol=1e-3,
        mistakes=[
            (
                lambda d: d == 0,
                "`change_default` is 0, but a Keras random layer called by hand *without* `training` "
                "augments: its `training` argument defaults to True. Call it as `aug(images)`, with no "
                "argument, on a fresh block.",
            ),
            (
                Number(largest_change, rtol=1e-3),
                "that is the largest change of a pixel; `change_default` is the mean absolute change.",
            ),
            (
                Number(100 * mean_change, rtol=1e-3),
                "give the change on the pixels' own scale, 0 to 1, not in percent.",
            ),
        ],
        otherwise="that is not the mean change of the first call of a fresh `augmentation(seed=7)` on "
        "`x_test[:100]`: build a new block (a block that was called before has moved on to other random "
        "draws) and call it once, without `training`.",
    ).judge(default)
    if predicted != 0:
        raise Wrong(
            "`change_predict` should show what `predict` does to the images: `predict` runs the model in "
            "inference mode, where the random layers pass the images through. Compare its output with the "
            "images themselves."
        )
    return (
        "by hand, the layers augment unless told `training=False`; `fit` calls them in training mode and "
        "`predict`/`evaluate` in inference mode, where they return their input unchanged."
    )


augment_default = Exercise(
    "augment_default",
    answers=["change_default", "change_predict"],
    checker=_check_augment_default,
    hints=[
        "Keras' preprocessing layers decide from their `training` argument whether to augment. What "
        "does it default to when you call a layer yourself, and what does `predict` pass?",
        "`aug = augmentation(seed=7)`, `images = x_test[:100]`; then "
        "`np.abs(np.asarray(aug(images)) - images).mean()`, and the largest absolute difference between "
        "`keras.Sequential([keras.Input((28, 28)), aug]).predict(images, verbose=0)` and `images`.",
    ],
    reference=(_AUGMENT[0], 0.0),
    mistakes=[
        (0.0, 0.0),  # thought a call without `training` was inference
        (0.0, _AUGMENT[0]),  # swapped
        (_AUGMENT[1], 0.0),  # the largest change instead of the mean
        (0.05, 0.0),  # made up, and plausible
        (_AUGMENT[0], 0.01),  # predict augmenting
        (-_AUGMENT[0], 0.0),
    ],
)


# --- adam_epsilon ---------------------------------------------------------------------------


@functools.cache
def _gradients() -> np.ndarray:
    """The section's gradients: one row per step, one column per weight."""
    gradients = np.random.default_rng(_GRAD_SEED).normal(0, _GRAD_STD, size=_GRAD_SHAPE)
    gradients.setflags(write=False)
    return gradients


def _adam_move(scale: float, epsilon: float | None = None) -> float:
    """How far Keras' Adam moves the weights from 0 with the section's gradients times ``scale``."""
    import keras

    weight = keras.Variable(np.zeros(_GRAD_SHAPE[1], dtype="float32"))
    kwargs = {} if epsilon is None else {"epsilon": epsilon}
    optimizer = keras.optimizers.Adam(_LR, **kwargs)
    for g in _gradients():
        optimizer.apply_gradients([((scale * g).astype("float32"), weight)])
    return float(np.linalg.norm(np.asarray(weight)))


@functools.cache
def _step_lengths(epsilon: float | None = None) -> tuple[float, ...]:
    """The move for each scale 10**-k of the exercise (Keras' epsilon, or another)."""
    return tuple(_adam_move(10.0**-k, epsilon) for k in _POWERS)


def _first_below_half(lengths: tuple[float, ...]) -> int | None:
    return next((k for k, s in zip(_POWERS, lengths) if s < lengths[0] / 2), None)


def _check_adam_epsilon(step_lengths: object, first_halved: object) -> str:
    lengths = as_list(step_lengths, "step_lengths", len(_POWERS), items="lengths", per="k from 0 to 8")
    truth = _step_lengths()
    sgd_like = [truth[0] * 10.0**-k for k in _POWERS]
    Number(
        truth,
        rtol=1e-3,
        mistakes=[
            (
                Number(sgd_like, rtol=1e-2),
                "these lengths shrink with the gradients, as SGD's steps would. Run Adam itself: it "
                "divides each step by the gradients' own running size.",
            ),
            (
                lambda s: float(np.ptp(s)) <= 1e-3 * s[0],
                "Adam's step does not depend on the gradients' scale only as long as they are much "
                "larger than its `epsilon`: run it down to the smallest scales and look again.",
            ),
            (
                Number(_step_lengths(1e-8), rtol=1e-3),
                "these are the lengths with epsilon = 1e-8, PyTorch's default; Keras' Adam uses "
                "`epsilon=1e-7`. Use `keras.optimizers.Adam(1e-3)` as the section does.",
            ),
        ],
        otherwise="these are not the lengths Keras' Adam gives: run `adam_moves(gradients * 10.0**-k, 1e-3)` "
        "for k = 0 to 8 and take the norm (`np.linalg.norm`) of each result.",
    ).judge(np.asarray(lengths))
    right = _first_below_half(truth)
    if first_halved is None and right is None:
        return "Adam never halved its step at these scales."
    k = as_int(first_halved, "first_halved")
    if k != right:
        raise Wrong(
            "your lengths are right, but `first_halved` is not the first k whose length is below half "
            "of the length at k = 0: read it off your own list."
        )
    return (
        "Adam normalises each step by the gradients' running size, so scaling the gradients changes "
        "nothing until they are as small as its epsilon (1e-7 in Keras); a smaller rate for some "
        "weights needs a learning rate of their own."
    )


adam_epsilon = Exercise(
    "adam_epsilon",
    answers=["step_lengths", "first_halved"],
    checker=_check_adam_epsilon,
    hints=[
        "Adam's step is roughly `learning_rate * m / (sqrt(v) + epsilon)`, where m and v are running "
        "averages of the gradients and of their squares. What happens to it when every gradient is "
        "multiplied by c, and when c times the gradients becomes as small as epsilon?",
        "`[float(np.linalg.norm(adam_moves(gradients * 10.0**-k, 1e-3))) for k in range(9)]`, then the "
        "first k whose length is below half of the first one.",
    ],
    reference=(list(_LENGTHS), _first_below_half(_LENGTHS)),
    mistakes=[
        ([_LENGTHS[0] * 10.0**-k for k in _POWERS], 1),  # SGD's behaviour
        ([_LENGTHS[0]] * len(_POWERS), 9),  # perfectly invariant
        (list(_LENGTHS_EPS8), _first_below_half(_LENGTHS_EPS8)),  # PyTorch's epsilon
        (list(_LENGTHS), 1),
        ([_LENGTHS[0] * (1 - 0.1 * k) for k in _POWERS], 6),  # made up, and consistent
        (list(_LENGTHS)[:5], 4),
    ],
)


# --- stage_counts ---------------------------------------------------------------------------


@functools.cache
def _stage_counts(bottom_up: bool = False, with_batchnorm: bool = False) -> tuple[int, ...]:
    """Trainable parameters at each stage of gradual unfreezing of the shipped CNN cut at ``_CUT``."""
    import keras

    from helpers import transfer
    from helpers.pretrained import load_pretrained

    backbone = transfer.cut_backbone(load_pretrained(_MODEL), _CUT, trainable=True)
    model = transfer.add_head(backbone, _N_CLASSES)
    blocks = list(_BLOCKS[::-1] if bottom_up else _BLOCKS)
    batchnorm = {"conv_1": "bn_1", "conv_2": "bn_2"}
    counts = []
    for n in range(len(blocks) + 1):
        opened = set(blocks[:n])
        if with_batchnorm:
            opened |= {batchnorm[b] for b in blocks[:n] if b in batchnorm}
        backbone.trainable = True
        for layer in backbone.layers:
            layer.trainable = layer.name in opened
            if isinstance(layer, keras.layers.BatchNormalization) and not with_batchnorm:
                layer.trainable = False
        counts.append(transfer.count_params(model).trainable)
    return tuple(counts)


def _check_stage_counts(trainable_per_stage: object) -> str:
    counts = as_list(
        trainable_per_stage, "trainable_per_stage", len(_BLOCKS) + 1, convert=as_int, items="counts",
        per="stage",
    )  # fmt: skip
    truth = _stage_counts()
    if tuple(counts) == truth:
        return (
            "each stage adds one block's weights to what trains; BatchNormalization's scale and offset "
            "stay frozen throughout, with its statistics."
        )
    per_block = tuple(np.diff((0, *truth)))
    if tuple(counts) == per_block:
        raise Wrong(
            "these are the parameters each stage *adds*; give what trains at each stage, the blocks "
            "unfrozen before included."
        )
    if tuple(counts) == _stage_counts(with_batchnorm=True):
        raise Wrong(
            "you counted BatchNormalization's scale and offset as trainable; the section keeps "
            "BatchNormalization frozen, so `unfreeze` leaves `bn_1` and `bn_2` out."
        )
    if tuple(counts) == _stage_counts(bottom_up=True):
        raise Wrong("that unfreezes from the bottom (`conv_1` first); gradual unfreezing starts at the top.")
    if counts[0] != truth[0]:
        raise Wrong(
            "stage 1 trains the new head alone: its weights are one per feature of `hidden_1` and class, "
            "plus one bias per class."
        )
    if any(b <= a for a, b in zip(counts, counts[1:])):
        raise Wrong("each stage unfreezes one more block, so the count must grow from stage to stage.")
    raise Wrong(
        "count with `transfer.count_params(model).trainable` after `unfreeze(backbone, BLOCKS[:n])` for "
        "n = 0 to 3, on a model from `fine_tunable()`."
    )


stage_counts = Exercise(
    "stage_counts",
    answers=["trainable_per_stage"],
    checker=_check_stage_counts,
    hints=[
        "Stage 1 trains the head only; each later stage unfreezes one more block, top first: "
        "`hidden_1`, then `conv_2`, then `conv_1`. BatchNormalization stays frozen.",
        "`model, backbone = fine_tunable()`; for n in 0, 1, 2, 3: `unfreeze(backbone, BLOCKS[:n])` and "
        "`transfer.count_params(model).trainable`.",
    ],
    reference=(list(_COUNTS),),
    mistakes=[
        (list(np.diff((0, *_COUNTS))),),  # what each stage adds
        (list(_COUNTS_BN),),
        (list(_COUNTS_BOTTOM_UP),),
        ([0, *np.diff((0, *_COUNTS))[1:].cumsum()],),  # the head forgotten
        ([_COUNTS[0] + 1000 * n for n in range(4)],),  # made up, and growing
        (list(_COUNTS)[:3],),
    ],
)


EXERCISES = (augment_default, adam_epsilon, stage_counts)

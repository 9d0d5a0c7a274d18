"""Checks for the exercises of chapter 4's section "A real backbone" (``chapters/04b_backbone.ipynb``).

In the notebook: ``from helpers.checks import ch04b as checks``, then
``checks.input_range.check()`` after the answer cell, ``checks.input_range.hint()`` for a hint
and ``checks.input_range.solution()`` for the solution.

Every truth here is recomputed from Keras itself, not stored: the range MobileNetV3Small's own
``Rescaling`` layer produces, the parameter counts of the backbone cut where the learner was
told, and what each family's ``preprocess_input`` does to a pixel. Building the backbone with
``weights=None`` takes about a second and needs no download; it is done once per process.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

import numpy as np

from helpers.exercises import Exercise, Number, Wrong, as_choice, as_int, as_number

#: The section's backbone: MobileNetV3Small on 96 x 96 RGB images, without its classifier.
_SIZE = 96
#: Where the section's exercise cuts it (variant 0), and the blocks a variant may cut at instead.
_CUTS = (
    "expanded_conv_2_add",
    "expanded_conv_4_add",
    "expanded_conv_5_add",
    "expanded_conv_7_add",
    "expanded_conv_9_add",
)
_N_CLASSES = 10
#: The keras.applications families whose preprocess_input the section compares.
_FAMILIES = ("resnet50", "mobilenet_v2", "mobilenet_v3", "efficientnet")


@functools.cache
def _backbone() -> Any:
    """MobileNetV3Small (random weights, no top), as the section builds it."""
    import keras

    return keras.applications.MobileNetV3Small(
        input_shape=(_SIZE, _SIZE, 3),
        include_top=False,
        weights=None,
        pooling=None,
        include_preprocessing=True,
    )


@functools.cache
def _range_for_unit_scaled_pixels() -> tuple[float, float]:
    """What the backbone's own Rescaling layer makes of pixels 0 and 1 (instead of 0 and 255)."""
    import keras

    rescaling = next(layer for layer in _backbone().layers if isinstance(layer, keras.layers.Rescaling))
    out = np.asarray(rescaling(np.array([0.0, 1.0], dtype="float32")))
    return float(out[0]), float(out[1])


@functools.cache
def _cut_counts(layer: str, n_classes: int) -> tuple[int, int]:
    """(trainable, frozen) parameters of a new head on the frozen backbone cut at ``layer``."""
    from helpers import transfer

    model = transfer.add_head(transfer.cut_backbone(_backbone(), layer), n_classes, seed=0)
    return tuple(transfer.count_params(model))


@functools.cache
def _mean_subtracting_family() -> str:
    """The family whose preprocess_input treats the three channels of a grey pixel differently."""
    import keras

    grey = np.full((1, 1, 1, 3), 128.0, dtype="float32")
    modules = {
        "resnet50": keras.applications.resnet50,
        "mobilenet_v2": keras.applications.mobilenet_v2,
        "mobilenet_v3": keras.applications.mobilenet_v3,
        "efficientnet": keras.applications.efficientnet,
    }
    uneven = [name for name, module in modules.items() if np.ptp(module.preprocess_input(grey.copy())) > 1.0]
    if len(uneven) != 1:
        raise RuntimeError(f"expected one family that subtracts channel means, found {uneven}")
    return uneven[0]


# --- input_range ----------------------------------------------------------------------------


def _check_input_range(low: object, high: object) -> str:
    low, high = as_number(low, "low"), as_number(high, "high")
    if low > high:
        raise Wrong("`low` is larger than `high`: give the smallest value first.")
    Number(
        _range_for_unit_scaled_pixels(),
        atol=1e-3,
        mistakes=[
            (
                (-1.0, 1.0),
                "[-1, 1] is what the network expects from pixels in [0, 255]; these pixels are in [0, 1].",
            ),
            (
                (0.0, 1.0),
                "that is the range going in; the model's first layer rescales it. Look at its `Rescaling` layer.",
            ),
        ],
        otherwise="apply the model's own first layer to 0 and to 1: find the `keras.layers.Rescaling` among "
        "`backbone.layers` and call it on `np.array([0.0, 1.0])`.",
    ).judge((low, high))
    return (
        "pixels in [0, 1] come out as an almost constant image: the network's first convolution "
        "sees less than 1 % of the range it was built for. Feed this backbone pixels in [0, 255]."
    )


input_range = Exercise(
    "input_range",
    answers=["low", "high"],
    checker=_check_input_range,
    hints=[
        "MobileNetV3Small's first layer after the input is a `Rescaling` layer: it computes "
        "`x * scale + offset`. Read its `scale` and `offset`.",
        "The images are in [0, 1], so the range after the layer is from `0 * scale + offset` to "
        "`1 * scale + offset`; or call the layer on `np.array([0.0, 1.0])`.",
    ],
    reference=(-1.0, -1.0 + 2.0 / 255.0),
    mistakes=[(-1.0, 1.0), (0.0, 1.0), (0.0, 2.0 / 255.0), (-1.0, -0.5), (1.0, -1.0)],
)


# --- cut_params -----------------------------------------------------------------------------


def _cut_variant(n: int) -> Mapping[str, Any]:
    """Variant 0 is the section's cut and 10 classes; any other cuts elsewhere or has fewer classes."""
    if n == 0:
        return {"layer": _CUTS[0], "n_classes": _N_CLASSES}
    rng = np.random.default_rng(n)
    return {"layer": _CUTS[1 + int(rng.integers(len(_CUTS) - 1))], "n_classes": int(rng.integers(2, 10))}


def _check_cut_params(
    trainable: object, frozen: object, *, layer: str = _CUTS[0], n_classes: int = _N_CLASSES
) -> str:
    trainable, frozen = as_int(trainable, "trainable"), as_int(frozen, "frozen")
    right = _cut_counts(layer, n_classes)
    if (trainable, frozen) == right:
        return (
            "only the new head trains; everything below the cut, BatchNormalization's moving "
            "statistics included, is frozen."
        )
    if (frozen, trainable) == right:
        raise Wrong("the two counts are swapped: only the new head trains.")
    if trainable == right[0] and frozen != right[1]:
        raise Wrong(
            "the trainable count is right. The frozen count is every parameter of the backbone up to "
            "the cut: its weights and BatchNormalization's four variables per layer, moving statistics too."
        )
    if trainable != right[0] and frozen == right[1]:
        raise Wrong(
            "the frozen count is right. The new head flattens the cut's feature maps and has one weight "
            "per feature and class, plus one bias per class."
        )
    full = _backbone().count_params()
    if frozen == full:
        raise Wrong(f"that is the whole backbone; cut it at `{layer}` first.")
    raise Wrong("build the model and use `transfer.count_params(model)`; it returns (trainable, frozen).")


cut_params = Exercise(
    "cut_params",
    answers=["trainable", "frozen"],
    checker=_check_cut_params,
    hints=[
        "Cut with `transfer.cut_backbone(backbone, LAYER)` (frozen by default), put "
        "`transfer.add_head(cut, N_CLASSES)` on it, and count with `transfer.count_params`.",
        "By hand: the head has (height x width x channels of the cut's output) x classes weights "
        "plus one bias per class; everything else is frozen.",
    ],
    reference=(34570, 11320),  # the section's guard ties these to _cut_counts(_CUTS[0], 10)
    mistakes=[(11320, 34570), (34570, 0), (34570, 939120), (34560, 11320), (34570, 9248), (3456, 11320)],
    variants=_cut_variant,
)


# --- mean_subtraction -----------------------------------------------------------------------


def _check_mean_subtraction(family: object) -> str:
    if as_choice(family, "family", _FAMILIES) == _mean_subtracting_family():
        return (
            "ResNet50's preprocess_input flips RGB to BGR and subtracts ImageNet's mean of each channel "
            "(the 'caffe' mode), so a grey pixel comes out different in each channel."
        )
    raise Wrong(
        "call each family's `preprocess_input` on a grey pixel (128, 128, 128): which one returns three "
        "different numbers?"
    )


mean_subtraction = Exercise(
    "mean_subtraction",
    answers=["family"],
    checker=_check_mean_subtraction,
    hints=[
        "A function that subtracts a different mean from each channel turns a grey pixel, equal in all "
        "three channels, into three different numbers.",
        "Try `keras.applications.resnet50.preprocess_input(np.full((1, 1, 1, 3), 128.0))` and the same "
        "for the other three families.",
    ],
    reference=("resnet50",),
    mistakes=[("mobilenet_v2",), ("mobilenet_v3",), ("efficientnet",), ("ResNet",), (50,)],
)


EXERCISES = (input_range, cut_params, mean_subtraction)

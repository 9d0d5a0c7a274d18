"""Section 4.2's teaching code (the two-optimizer training step, unfreezing, the augmentation
block) does what the page says, checked on small models."""

from __future__ import annotations

import keras
import numpy as np
import pytest
import tensorflow as tf
from notebook_tools import ROOT, definitions

import helpers
from helpers import transfer

CH = definitions(
    ROOT / "chapters" / "04c_few_labels.ipynb", ["two_rate_train_step", "unfreeze", "augmentation"]
)
CH.two_rate_train_step.__globals__.update(keras=keras, tf=tf)  # the page's imports


def _network(seed=0):
    """A small backbone (a Dense layer and a frozen BatchNormalization) under a new head."""
    helpers.set_seed(seed)
    inputs = keras.Input((5,))
    hidden = keras.layers.Dense(4, activation="relu", name="hidden")(inputs)
    outputs = keras.layers.BatchNormalization(name="bn")(hidden)
    backbone = keras.Model(inputs, outputs)
    backbone.get_layer("bn").trainable = False
    return transfer.add_head(backbone, n_classes=3, seed=seed), backbone


def _batch(seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(8, 5)).astype("float32"), rng.integers(0, 3, 8)


def test_a_zero_backbone_rate_leaves_the_backbone_alone_and_trains_the_head():
    model, backbone = _network()
    before = [w.copy() for w in model.get_weights()]
    step, _ = CH.two_rate_train_step(model, backbone, 0.0, 1e-2)
    x, y = _batch()
    for _ in range(3):
        step(x, y)
    backbone_before = before[: len(backbone.weights)]
    assert all(np.array_equal(a, b) for a, b in zip(backbone_before, backbone.get_weights()))
    head_before, head_after = before[-2:], model.get_layer("new_head").get_weights()
    assert not np.allclose(head_before[0], head_after[0])


def test_two_equal_rates_are_one_adam_on_every_weight():
    x, y = _batch(1)
    model, backbone = _network()
    step, _ = CH.two_rate_train_step(model, backbone, 1e-2, 1e-2)
    reference, _ = _network()
    optimizer = keras.optimizers.Adam(1e-2)
    loss_fn = keras.losses.SparseCategoricalCrossentropy()
    for _ in range(3):
        step(x, y)
        with tf.GradientTape() as tape:
            loss = loss_fn(y, reference(x, training=True))
        variables = reference.trainable_variables
        optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
    for ours, theirs in zip(model.get_weights(), reference.get_weights()):
        np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-7)


def test_the_two_optimizers_hold_the_backbones_and_the_heads_weights():
    model, backbone = _network()
    _, (backbone_opt, head_opt) = CH.two_rate_train_step(model, backbone, 1e-4, 1e-3)
    assert float(backbone_opt.learning_rate) == pytest.approx(1e-4)
    assert float(head_opt.learning_rate) == pytest.approx(1e-3)
    assert (
        len(backbone.trainable_variables) == 2 and len(model.get_layer("new_head").trainable_variables) == 2
    )


@pytest.mark.parametrize(
    ("blocks", "trainable"), [([], 0), (["hidden"], 5 * 4 + 4), (["hidden", "bn"], 5 * 4 + 4 + 8)]
)
def test_unfreeze_opens_the_named_blocks_only(blocks, trainable):
    model, backbone = _network()
    backbone.trainable = False
    CH.unfreeze(backbone, blocks)
    assert transfer.count_params(backbone).trainable == trainable
    assert transfer.count_params(model).trainable == trainable + 4 * 3 + 3


def test_the_augmentation_block_changes_images_in_training_only():
    images = np.zeros((4, 28, 28), dtype="float32")
    images[:, 10:18, 12:16] = 1.0
    block = CH.augmentation(3)
    np.testing.assert_array_equal(np.asarray(block(images, training=False)), images)
    augmented = np.asarray(block(images, training=True))
    assert augmented.shape == images.shape and not np.array_equal(augmented, images)
    assert augmented.min() >= 0.0 and augmented.max() <= 1.0 + 1e-6

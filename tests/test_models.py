"""helpers.models: the source's network and its validation."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from helpers import models


def test_default_mlp_is_the_source_network_with_407050_parameters():
    model = models.build_mlp()
    assert model.count_params() == (784 * 512 + 512) + (512 * 10 + 10) == 407_050
    assert [layer.name for layer in model.layers] == ["image", "flatten", "hidden_1", "output"]
    assert model.get_layer("output").activation is keras.activations.softmax


def test_mlp_without_hidden_layers_is_softmax_regression():
    model = models.build_mlp(hidden_units=())
    assert model.count_params() == 784 * 10 + 10


def test_flat_inputs_need_no_flatten_layer():
    model = models.build_mlp(input_shape=(64,), hidden_units=(32,), n_classes=3)
    assert "flatten" not in [layer.name for layer in model.layers]
    assert model.output_shape == (None, 3)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"hidden_units": (0,)}, ValueError, "hidden_units entry must be >= 1"),
        ({"n_classes": 0}, ValueError, "n_classes must be >= 1"),
        ({"input_shape": ()}, ValueError, "input_shape is empty"),
        ({"input_shape": (28.0, 28)}, TypeError, "input_shape entry must be an int"),
        ({"output_activation": "relu"}, ValueError, "Unknown output_activation 'relu'"),
        ({"activation": "swishy"}, ValueError, "Unknown activation 'swishy'"),
        (
            {"hidden_units": "512"},
            TypeError,
            "hidden_units \\(an int or a sequence of ints\\) must be an int",
        ),
        ({"seed": -1}, ValueError, "seed must be between 0 and 2\\*\\*32 - 1"),
        ({"seed": 1.0}, TypeError, "seed must be an int"),
    ],
)
def test_build_mlp_rejects_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        models.build_mlp(**kwargs)


def test_cnn_has_a_convolutional_base_and_the_named_layers():
    model = models.build_cnn(n_classes=5, filters=(8, 16), hidden_units=64)
    names = [layer.name for layer in model.layers]
    assert names[-3:] == ["conv_base", "hidden_1", "output"]
    assert model.get_layer("conv_base").output.shape == (None, 5 * 5 * 16)
    # conv kernels (no bias) + BN (4 per channel) + dense layers
    assert model.count_params() == (9 * 8 + 9 * 8 * 16) + 4 * (8 + 16) + (400 * 64 + 64) + (64 * 5 + 5)
    assert model.output_shape == (None, 5)


def test_cnn_accepts_images_with_a_channel_axis_and_sets_bn_momentum():
    model = models.build_cnn(input_shape=(28, 28, 1), bn_momentum=0.9)
    assert "add_channel" not in [layer.name for layer in model.layers]
    assert model.get_layer("bn_1").momentum == 0.9


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"input_shape": (28,)}, ValueError, "must be \\(height, width\\)"),
        ({"input_shape": (6, 6)}, ValueError, "too small for 2 blocks"),
        ({"filters": ()}, ValueError, "filters is empty"),
        ({"filters": (0,)}, ValueError, "filters entry must be >= 1"),
        ({"hidden_units": 0}, ValueError, "hidden_units \\(an int or a sequence of ints\\) must be >= 1"),
        ({"hidden_units": (64, 0)}, ValueError, "hidden_units entry must be >= 1"),
        ({"seed": True}, TypeError, "seed must be an int"),
        ({"n_classes": 1.5}, TypeError, "n_classes must be an int"),
        ({"bn_momentum": 1.0}, ValueError, "bn_momentum must be strictly between 0 and 1"),
    ],
)
def test_build_cnn_rejects_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        models.build_cnn(**kwargs)


@pytest.mark.parametrize("build", [models.build_mlp, models.build_cnn], ids=["mlp", "cnn"])
def test_one_call_shape_for_hidden_units(build):
    """An int is one hidden layer, a sequence one layer per entry, in both builders."""
    one = build(hidden_units=32)
    two = build(hidden_units=[32, 16])
    names = lambda m: [layer.name for layer in m.layers if layer.name.startswith("hidden_")]  # noqa: E731
    assert names(one) == ["hidden_1"] and one.get_layer("hidden_1").units == 32
    assert names(two) == ["hidden_1", "hidden_2"] and two.get_layer("hidden_2").units == 16


@pytest.mark.parametrize("build", [models.build_mlp, models.build_cnn], ids=["mlp", "cnn"])
def test_a_seed_fixes_the_initial_weights_whatever_ran_before(build):
    first = build(seed=np.int64(7)).get_weights()
    keras.utils.set_random_seed(123)  # another global state, and draws in between
    build()
    again = build(seed=7).get_weights()
    other = build(seed=8).get_weights()
    assert all(np.array_equal(a, b) for a, b in zip(first, again, strict=True))
    assert not np.array_equal(first[0], other[0])

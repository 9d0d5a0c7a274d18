"""helpers.models: the source's network and its validation."""

from __future__ import annotations

import keras
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
        ({"hidden_units": 0}, ValueError, "hidden_units must be >= 1"),
        ({"n_classes": 1.5}, TypeError, "n_classes must be an int"),
        ({"bn_momentum": 1.0}, ValueError, "bn_momentum must be strictly between 0 and 1"),
    ],
)
def test_build_cnn_rejects_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        models.build_cnn(**kwargs)

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

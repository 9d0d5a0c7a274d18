"""Chapter 1's teaching code (NumPy) agrees with Keras."""

from __future__ import annotations

import keras
import numpy as np
import pytest
from notebook_tools import ROOT, definitions

CH1 = definitions(
    ROOT / "chapters" / "01_neuron.ipynb",
    [
        "neuron",
        "sigmoid",
        "sigmoid_prime",
        "tanh_prime",
        "relu",
        "relu_prime",
        "softmax",
        "dense_params",
        "best_line_accuracy",
    ],
)
Z = np.linspace(-8, 8, 161)


@pytest.mark.parametrize(("name", "ours"), [("sigmoid", CH1.sigmoid), ("relu", CH1.relu)])
def test_activations_match_keras(name, ours):
    theirs = keras.ops.convert_to_numpy(keras.activations.get(name)(Z.astype("float32")))
    np.testing.assert_allclose(ours(Z), theirs, atol=1e-6)


def test_softmax_matches_keras_and_survives_large_logits():
    logits = np.array([1000.0, 999.0, 0.0])
    theirs = keras.ops.convert_to_numpy(keras.activations.softmax(logits[None].astype("float32")))[0]
    np.testing.assert_allclose(CH1.softmax(logits), theirs, atol=1e-6)


@pytest.mark.parametrize(
    ("f", "df"), [(CH1.sigmoid, CH1.sigmoid_prime), (np.tanh, CH1.tanh_prime), (CH1.relu, CH1.relu_prime)]
)
def test_derivatives_match_keras_autodiff(f, df):
    import tensorflow as tf

    z = tf.constant(Z[np.abs(Z) > 1e-3], dtype=tf.float64)
    with tf.GradientTape() as tape:
        tape.watch(z)
        y = tf.reduce_sum({CH1.sigmoid: tf.sigmoid, np.tanh: tf.tanh, CH1.relu: tf.nn.relu}[f](z))
    np.testing.assert_allclose(df(z.numpy()), tape.gradient(y, z).numpy(), atol=1e-12)


def test_numpy_neuron_reproduces_a_keras_dense_layer():
    rng = np.random.default_rng(0)
    layer = keras.layers.Dense(7, activation="relu")
    x = rng.normal(size=(3, 5)).astype("float32")
    theirs = keras.ops.convert_to_numpy(layer(x))
    kernel, bias = layer.get_weights()
    ours = np.array([[CH1.neuron(row, kernel[:, j], bias[j], CH1.relu) for j in range(7)] for row in x])
    np.testing.assert_allclose(ours, theirs, atol=1e-6)


def test_parameter_count_by_hand_matches_keras():
    from helpers.models import build_mlp

    model = build_mlp(hidden_units=(256, 128))
    assert (
        CH1.dense_params(784, 256) + CH1.dense_params(256, 128) + CH1.dense_params(128, 10)
        == model.count_params()
    )


def test_best_line_accuracy_of_separable_points_is_one():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(60, 2))
    y = (x @ np.array([1.0, -2.0]) + 0.3 > 0).astype(int)
    assert CH1.best_line_accuracy(x, y) == 1.0
    assert CH1.best_line_accuracy(x, 1 - y) == 1.0  # either orientation


def test_best_line_accuracy_of_the_four_xor_corners_is_three_quarters():
    corners = np.array([[0, 0], [1, 1], [0, 1], [1, 0]], dtype=float)
    assert CH1.best_line_accuracy(corners, np.array([0, 0, 1, 1])) == 0.75


def test_best_line_accuracy_matches_a_logistic_regression_on_separable_data():
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(1)
    x = np.concatenate([rng.normal(-1, 0.5, (40, 2)), rng.normal(1, 0.5, (40, 2))])
    y = np.repeat([0, 1], 40)
    fitted = LogisticRegression(C=np.inf).fit(x, y)
    assert CH1.best_line_accuracy(x, y) >= np.mean(fitted.predict(x) == y)

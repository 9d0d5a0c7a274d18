"""Chapter 2's hand-written losses (NumPy) agree with keras.losses."""

from __future__ import annotations

import keras
import numpy as np
import pytest
from notebook_tools import ROOT, definitions

CH2 = definitions(
    ROOT / "chapters" / "02_losses.ipynb",
    [
        "mse",
        "binary_cross_entropy",
        "binary_cross_entropy_from_logits",
        "categorical_cross_entropy",
        "categorical_cross_entropy_from_logits",
        "log_softmax",
        "softmax_naive",
    ],
)
RNG = np.random.default_rng(0)


def keras_mean(loss, *args, **kwargs) -> float:
    """A keras.losses function (per example) averaged over the batch, computed in float64."""
    args = [np.asarray(a, dtype=np.float64) for a in args]
    return float(np.mean(keras.ops.convert_to_numpy(loss(*args, **kwargs))))


def one_hot(labels, k):
    return np.eye(k)[labels]


def probabilities(n, k, scale):
    z = RNG.normal(0, scale, (n, k))
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


@pytest.mark.parametrize(
    ("y", "y_hat"),
    [
        (np.array([[1.0, 2.0], [0.0, -1.0]]), np.array([[1.5, 1.0], [0.0, -2.0]])),
        (RNG.normal(size=(8, 3)), RNG.normal(size=(8, 3))),
        (RNG.normal(0, 100, (5, 4)), RNG.normal(0, 100, (5, 4))),
    ],
)
def test_mse_matches_keras(y, y_hat):
    assert CH2.mse(y, y_hat) == pytest.approx(keras_mean(keras.losses.mean_squared_error, y, y_hat), abs=1e-6)


@pytest.mark.parametrize(
    ("y", "p"),
    [
        (np.array([1.0, 0.0, 1.0, 0.0]), np.array([0.9, 0.2, 0.4, 0.99])),
        (RNG.integers(0, 2, 20).astype(float), RNG.uniform(0.01, 0.99, 20)),
        (np.array([1.0, 0.0]), np.array([1e-9, 1.0])),  # clipped to [1e-7, 1 - 1e-7], as Keras does
    ],
)
def test_binary_cross_entropy_matches_keras(y, p):
    theirs = keras_mean(keras.losses.binary_crossentropy, y[:, None], p[:, None])
    assert CH2.binary_cross_entropy(y, p) == pytest.approx(theirs, abs=1e-6)


@pytest.mark.parametrize(
    "z",
    [
        np.array([0.3, -2.0, 4.0, -0.1]),
        np.array([-800.0, 900.0, 50.0, -60.0]),  # large logits: the naive formula overflows
        RNG.normal(0, 10, 4),
    ],
)
def test_binary_cross_entropy_from_logits_matches_keras(z):
    y = np.array([1.0, 0.0, 1.0, 0.0])
    theirs = keras_mean(keras.losses.binary_crossentropy, y[:, None], z[:, None], from_logits=True)
    assert CH2.binary_cross_entropy_from_logits(y, z) == pytest.approx(theirs, abs=1e-6)


@pytest.mark.parametrize(
    ("labels", "p"),
    [
        (np.array([0, 2, 1]), np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8], [0.6, 0.3, 0.1]])),
        (RNG.integers(0, 10, 16), probabilities(16, 10, scale=1.0)),
        (RNG.integers(0, 10, 16), probabilities(16, 10, scale=8.0)),  # confident, some near 0
    ],
)
def test_categorical_cross_entropy_matches_keras(labels, p):
    y = one_hot(labels, p.shape[1])
    theirs = keras_mean(keras.losses.categorical_crossentropy, y, p)
    assert CH2.categorical_cross_entropy(y, p) == pytest.approx(theirs, abs=1e-6)


@pytest.mark.parametrize(
    ("labels", "z"),
    [
        (np.array([0, 1]), np.array([[2.0, 1.0, 0.1], [0.5, -1.0, 3.0]])),
        (np.array([1]), np.array([[1000.0, 0.0, -1000.0]])),  # naive softmax gives nan here
        (RNG.integers(0, 10, 16), RNG.normal(0, 300, (16, 10))),
    ],
)
def test_categorical_cross_entropy_from_logits_matches_keras(labels, z):
    y = one_hot(labels, z.shape[1])
    theirs = keras_mean(keras.losses.categorical_crossentropy, y, z, from_logits=True)
    assert CH2.categorical_cross_entropy_from_logits(y, z) == pytest.approx(theirs, abs=1e-6)


def test_log_softmax_is_finite_where_the_naive_softmax_overflows():
    z = np.array([[1000.0, 0.0, -1000.0]])
    with np.errstate(over="ignore", invalid="ignore"):
        assert np.isnan(CH2.softmax_naive(z)).any()
    np.testing.assert_allclose(CH2.log_softmax(z), [[0.0, -1000.0, -2000.0]], atol=1e-12)


def test_log_softmax_matches_keras_on_ordinary_logits():
    z = RNG.normal(0, 3, (6, 5))
    theirs = keras.ops.convert_to_numpy(keras.ops.log_softmax(z, axis=-1))
    np.testing.assert_allclose(CH2.log_softmax(z), theirs, atol=1e-6)

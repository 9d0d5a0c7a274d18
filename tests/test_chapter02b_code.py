"""Chapter 2.1's backpropagation by hand (NumPy) agrees with tf.GradientTape and finite differences."""

from __future__ import annotations

import numpy as np
import pytest
import tensorflow as tf
from notebook_tools import ROOT, definitions

CH = definitions(
    ROOT / "chapters" / "02b_learning.ipynb",
    ["log_softmax", "forward", "cross_entropy", "backward", "sgd_step", "numerical_gradient"],
)


def problem(n, d, h, k, seed):
    rng = np.random.default_rng(seed)
    params = {
        "W1": rng.normal(0, 1 / np.sqrt(d), (d, h)),
        "b1": rng.normal(0, 0.5, h),
        "W2": rng.normal(0, 1 / np.sqrt(h), (h, k)),
        "b2": rng.normal(0, 0.5, k),
    }
    return rng.normal(size=(n, d)), rng.integers(0, k, n), params


SHAPES = [(1, 2, 3, 2, 0), (5, 4, 3, 3, 1), (16, 20, 7, 10, 2), (3, 1, 1, 2, 3)]


def tape_gradients(x, y, params):
    variables = {name: tf.Variable(value) for name, value in params.items()}
    with tf.GradientTape() as tape:
        hidden = tf.nn.relu(x @ variables["W1"] + variables["b1"])
        logits = hidden @ variables["W2"] + variables["b2"]
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(y, logits))
    grads = tape.gradient(loss, list(variables.values()))
    return float(loss), {name: g.numpy() for name, g in zip(variables, grads)}


@pytest.mark.parametrize("shape", SHAPES)
def test_backward_matches_gradient_tape(shape):
    x, y, params = problem(*shape)
    cache = CH.forward(params, x)
    loss, theirs = tape_gradients(x, y, params)
    assert CH.cross_entropy(cache, y) == pytest.approx(loss, abs=1e-12)
    ours = CH.backward(params, x, y, cache)
    assert set(ours) == set(params)
    for name in params:
        assert ours[name].shape == params[name].shape
        np.testing.assert_allclose(ours[name], theirs[name], rtol=1e-10, atol=1e-13, err_msg=name)


@pytest.mark.parametrize("shape", SHAPES)
def test_backward_matches_central_finite_differences(shape):
    x, y, params = problem(*shape)
    grads = CH.backward(params, x, y, CH.forward(params, x))
    rng = np.random.default_rng(shape[-1])
    for name, grad in grads.items():
        for _ in range(3):
            index = tuple(int(rng.integers(0, s)) for s in grad.shape)
            numeric = CH.numerical_gradient(params, x, y, name, index)
            assert numeric == pytest.approx(grad[index], rel=1e-5, abs=1e-8), (name, index)


def test_numerical_gradient_leaves_the_parameters_unchanged():
    x, y, params = problem(4, 3, 5, 3, 7)
    before = {k: v.copy() for k, v in params.items()}
    CH.numerical_gradient(params, x, y, "W1", (0, 0))
    assert all(np.array_equal(before[k], params[k]) for k in params)


def test_an_sgd_step_moves_against_the_gradient_and_lowers_the_loss():
    x, y, params = problem(8, 5, 6, 3, 4)
    start = {k: v.copy() for k, v in params.items()}
    grads = CH.backward(params, x, y, CH.forward(params, x))
    loss_before = CH.sgd_step(params, x, y, 0.1)
    assert loss_before == pytest.approx(CH.cross_entropy(CH.forward(start, x), y))
    for name in params:
        np.testing.assert_allclose(params[name], start[name] - 0.1 * grads[name])
    assert CH.cross_entropy(CH.forward(params, x), y) < loss_before

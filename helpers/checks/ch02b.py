"""Checks of chapter 2.1's exercises (``chapters/02b_learning.ipynb``): backpropagation by hand."""

from __future__ import annotations

import functools
from collections.abc import Set

import numpy as np

from helpers.exercises import Exercise, Number, Wrong, as_array, as_int, as_number, close

#: The exercises' small network: 4 examples of 3 inputs, 5 hidden ReLU units, 3 classes, seed 7.
#: A guard in the chapter asserts that its ``x_ex``, ``y_ex`` and ``params_ex`` are these.
_SEED, _SHAPES, _Y = 7, (4, 3, 5, 3), (0, 2, 1, 2)
_LR, _STEPS = 0.5, 20  # the SGD step's learning rate; the symmetry exercise's number of steps
_NAMES = ("W1", "b1", "W2", "b2")


@functools.cache
def _problem() -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """The exercises' inputs, labels and parameters (float64, read-only)."""
    n, d, h, k = _SHAPES
    rng = np.random.default_rng(_SEED)
    x = rng.normal(size=(n, d))
    params = {
        "W1": rng.normal(0, 1, (d, h)),
        "b1": rng.normal(0, 0.5, h),
        "W2": rng.normal(0, 1, (h, k)),
        "b2": rng.normal(0, 0.5, k),
    }
    for array in (x, *params.values()):
        array.setflags(write=False)
    y = np.array(_Y)
    y.setflags(write=False)
    return x, y, params


def _forward(params: dict[str, np.ndarray], x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    z1 = x @ params["W1"] + params["b1"]
    z2 = np.maximum(z1, 0) @ params["W2"] + params["b2"]
    z2 = z2 - z2.max(axis=1, keepdims=True)
    log_p = z2 - np.log(np.exp(z2).sum(axis=1, keepdims=True))
    return z1, np.maximum(z1, 0), log_p


def _loss(params: dict[str, np.ndarray]) -> float:
    x, y, _ = _problem()
    return float(-np.mean(_forward(params, x)[2][np.arange(len(y)), y]))


def _gradients(
    params: dict[str, np.ndarray], *, mean: bool = True, mask: bool = True
) -> dict[str, np.ndarray]:
    """The gradients of the mean cross-entropy (or, for the typical mistakes, variants of them)."""
    x, y, _ = _problem()
    z1, h, log_p = _forward(params, x)
    dz2 = np.exp(log_p)
    dz2[np.arange(len(y)), y] -= 1
    if mean:
        dz2 /= len(y)
    dz1 = (dz2 @ params["W2"].T) * ((z1 > 0) if mask else 1.0)
    return {"W1": x.T @ dz1, "b1": dz1.sum(axis=0), "W2": h.T @ dz2, "b2": dz2.sum(axis=0)}


#: The gradients' tolerance: float32 answers pass.
_RTOL, _ATOL = 1e-4, 1e-7


# --- 1. The bias gradients by hand -------------------------------------------------------


def _check_bias_gradients(grad_b2: object, grad_b1: object) -> str:
    _, _, params = _problem()
    b2 = as_array(grad_b2, "grad_b2", shape=(_SHAPES[3],))
    b1 = as_array(grad_b1, "grad_b1", shape=(_SHAPES[2],))
    truth, summed, unmasked = (
        _gradients(params),
        _gradients(params, mean=False),
        _gradients(params, mask=False),
    )
    Number(
        truth["b2"],
        rtol=_RTOL,
        atol=_ATOL,
        mistakes=[
            (-truth["b2"], "`grad_b2` has the wrong sign: the output gradient is P - Y, not Y - P."),
            (
                summed["b2"],
                "`grad_b2` is N times too large: the loss is the *mean* over the batch, so divide by N.",
            ),
            (
                lambda b: abs(float(b.sum())) > 1e-6,
                "the entries of `grad_b2` should add up to zero: each example's P - Y sums to "
                "1 - 1 = 0. Did you use P alone, without subtracting the one-hot labels?",
            ),
        ],
        otherwise="`grad_b2` is not the gradient of the mean cross-entropy: sum (P - Y) / N over the examples.",
    ).judge(b2)
    Number(
        truth["b1"],
        rtol=_RTOL,
        atol=_ATOL,
        mistakes=[
            (
                unmasked["b1"],
                "`grad_b1` lets the gradient through every unit: the ReLU passes it only where Z1 > 0.",
            ),
            (summed["b1"], "`grad_b1` is N times too large: start from (P - Y) / N."),
            (-truth["b1"], "`grad_b1` has the wrong sign."),
        ],
        otherwise="`grad_b2` is right but `grad_b1` is not: push (P - Y) / N back through W2 (times W2 "
        "transposed), apply the ReLU's slope, then sum over the examples.",
    ).judge(b1)
    return "the output bias gets the column sums of (P - Y) / N; the hidden bias the same, pushed through W2 and the ReLU."


def _reference_bias() -> tuple[np.ndarray, np.ndarray]:
    g = _gradients(_problem()[2])
    return g["b2"].copy(), g["b1"].copy()


def _bias_mistakes() -> list[tuple]:
    params = _problem()[2]
    g, summed, unmasked = _gradients(params), _gradients(params, mean=False), _gradients(params, mask=False)
    fabricated = np.array([0.1, -0.3, 0.2])  # sums to zero, like a real output gradient
    return [
        (-g["b2"], -g["b1"]),
        (summed["b2"], summed["b1"]),
        (g["b2"], unmasked["b1"]),
        (g["b2"] + np.eye(3)[list(_Y)].mean(axis=0), g["b1"]),  # P / N without - Y / N
        (fabricated, g["b1"]),
        (g["b2"], g["b1"] * 1.5),
        (list(g["b2"]), "0.1"),
    ]


bias_gradients = Exercise(
    "bias_gradients",
    answers=["grad_b2", "grad_b1"],
    checker=_check_bias_gradients,
    hints=[
        "A bias is added to every example, so its gradient is the sum over the examples of the "
        "gradient with respect to the pre-activation: $\\partial L / \\partial \\mathbf b_2 = \\sum_i "
        "(\\partial L / \\partial Z_2)_{i\\cdot}$, and $\\partial L / \\partial Z_2 = (P - Y) / N$.",
        "Compute `P = np.exp(log_softmax(Z2))`, subtract `np.eye(3)[y_ex]`, divide by 4 and sum over "
        "axis 0 for `grad_b2`; then `dZ1 = (dZ2 @ W2.T) * (Z1 > 0)` and sum it over axis 0 for `grad_b1`.",
    ],
    reference=_reference_bias(),
    mistakes=_bias_mistakes(),
)


# --- 2. One SGD step by hand -------------------------------------------------------------


@functools.cache
def _step_losses() -> tuple[float, float, float]:
    """The loss before one SGD step, after it, and after a step in the wrong direction."""
    params = _problem()[2]
    g = _gradients(params)
    after = {n: params[n] - _LR * g[n] for n in _NAMES}
    wrong = {n: params[n] + _LR * g[n] for n in _NAMES}
    return _loss(params), _loss(after), _loss(wrong)


def _weights_only_loss() -> float:
    params = _problem()[2]
    g = _gradients(params)
    return _loss({n: params[n] - _LR * g[n] if n.startswith("W") else params[n] for n in _NAMES})


def _check_sgd_step(loss_before: object, loss_after: object) -> str:
    before, after = as_number(loss_before, "loss_before"), as_number(loss_after, "loss_after")
    true_before, true_after, uphill = _step_losses()
    if before <= 0 or after <= 0:
        raise Wrong("a cross-entropy is positive.")
    if not close(before, true_before, rtol=1e-4):
        raise Wrong("`loss_before` is not the mean cross-entropy of the starting weights on `x_ex`, `y_ex`.")
    Number(
        true_after,
        rtol=1e-4,
        mistakes=[
            (uphill, "the loss went *up*: step against the gradient, `params - lr * grads`, not with it."),
            (_weights_only_loss(), "update the biases too: every parameter takes the step."),
            (
                lambda after: after >= before,
                "after a small enough step against the gradient the loss should fall; yours did not.",
            ),
        ],
        otherwise="`loss_after` is lower, but it is not the loss after one step of learning rate 0.5 with "
        "the gradients of `backward`: check the learning rate, and recompute the loss with the new weights.",
    ).judge(after)
    return "one step against the gradient lowered the loss, by about the learning rate times the squared gradient norm."


sgd_step_by_hand = Exercise(
    "sgd_step_by_hand",
    answers=["loss_before", "loss_after"],
    checker=_check_sgd_step,
    hints=[
        "Copy the parameters first (`{k: v.copy() for k, v in params_ex.items()}`), so that the "
        "exercise's own arrays stay as they are.",
        "`cross_entropy(forward(p, x_ex), y_ex)` before; then `grads = backward(p, x_ex, y_ex, forward(p, x_ex))`, "
        "`p[k] -= 0.5 * grads[k]` for every k, and the same loss again.",
    ],
    reference=_step_losses()[:2],
    mistakes=[
        _step_losses()[::2],  # a step up the gradient
        (_step_losses()[0], _weights_only_loss()),
        (_step_losses()[0], _step_losses()[0] * 0.9),  # made up, but lower, as it should be
        (_step_losses()[1], _step_losses()[0]),
        (-_step_losses()[0], -_step_losses()[1]),
    ],
)


# --- 3. What zero initialisation leaves to learn ---------------------------------------------


@functools.cache
def _symmetry_truth() -> tuple[frozenset[str], int]:
    """Which parameters move from all-zero weights, and how many distinct hidden units a constant start keeps."""
    x, y, _ = _problem()
    moved = set()
    for start in (0.0, 0.5):
        params = {n: np.full(_problem()[2][n].shape, start if n.startswith("W") else 0.0) for n in _NAMES}
        for _ in range(_STEPS):
            g = _gradients(params)
            params = {n: params[n] - _LR * g[n] for n in _NAMES}
        if start == 0.0:
            moved = {n for n in _NAMES if np.any(params[n] != 0)}
        else:
            w1 = params["W1"]
            distinct = 1 + int(np.sum(np.abs(w1 - w1[:, :1]).max(axis=0) > 1e-9 * np.abs(w1).max()))
    return frozenset(moved), distinct


def _check_zero_init(moved: object, distinct_units: object) -> str:
    if isinstance(moved, str):
        moved = [moved]
    if not isinstance(moved, (list, tuple, Set)) or not all(isinstance(m, str) for m in moved):
        raise Wrong('`moved` should be a list of parameter names, such as `["W1", "b2"]`.')
    unknown = sorted(set(moved) - set(_NAMES))
    if unknown:
        raise Wrong(f"`moved` names {unknown}, which are not parameters of the network: use W1, b1, W2, b2.")
    truth_moved, truth_distinct = _symmetry_truth()
    if set(moved) != truth_moved:
        if set(moved) > truth_moved:
            raise Wrong(
                "some of the parameters in `moved` never get a gradient: with W2 = 0, what reaches the hidden "
                "layer on the way back? And with H = 0, what is H.T @ dZ2?"
            )
        raise Wrong("a parameter is missing from `moved`: which gradient does not involve H or W2 at all?")
    count = as_int(distinct_units, "distinct_units")
    if count != truth_distinct:
        raise Wrong(
            "count the hidden units whose incoming weights differ from unit 0's: from a constant start, do "
            "two units ever get different gradients?"
        )
    return "only the output bias learns from zeros, and a constant start keeps every hidden unit a copy of the first."


zero_init = Exercise(
    "zero_init",
    answers=["moved", "distinct_units"],
    checker=_check_zero_init,
    hints=[
        "Write out $\\partial L / \\partial W_2 = H^\\top \\ldots$ and $\\partial L / \\partial H = \\ldots W_2^\\top$ "
        "with $W_1 = W_2 = 0$: what are $H$ and these gradients?",
        "Run `sgd_step` 20 times on `x_ex`, `y_ex` from `constant_params`-like zeros, and list the names "
        "of the arrays that are not all zero; then do the same from 0.5 and compare the columns of W1.",
    ],
    reference=(["b2"], 1),
    mistakes=[
        (["W1", "b1", "W2", "b2"], 1),
        (["b2"], 5),
        (["b1", "b2"], 1),
        (["W2", "b2"], 1),
        ([], 1),
        (["b2"], 0),
        ("all", 1),
    ],
)

EXERCISES = (bias_gradients, sgd_step_by_hand, zero_init)

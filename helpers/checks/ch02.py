"""Checks for the exercises of chapter 2, "Loss functions and training" (``chapters/02_losses.ipynb``).

In the notebook: ``from helpers.checks import ch02 as checks``, then
``checks.ce_by_hand.check()`` after the answer cell, ``checks.ce_by_hand.hint()`` for a hint
and ``checks.ce_by_hand.solution()`` for the solution.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from helpers.exercises import Exercise, Number, Wrong, as_bool, as_choice, as_mapping, as_number, close

_TOL = 5e-4  # answers rounded to three decimals pass


# --- 1. Cross-entropy by hand -----------------------------------------------------------

# The book's probabilities (variant 0); a guard in the chapter ties them to its worked solution.
_P = (0.2, 0.5, 0.3)


def _ce_variant(n: int) -> dict[str, object]:
    """Variant ``n``: other probabilities of the three classes, in twentieths (0.05 to 0.9)."""
    if n == 0:
        return {"p": _P}
    rng = np.random.default_rng([21, n])
    while True:
        first, second = (int(k) for k in rng.integers(1, 19, 2))  # in twentieths
        third = 20 - first - second
        # the first two apart (or swapped answers would pass), neither of them one of the book's
        # two (or half of the book's answer, or the book's answer swapped, would be right)
        if third >= 1 and first != second and not {first, second} & {4, 10}:
            return {"p": (first / 20, second / 20, third / 20)}


def _check_ce_by_hand(ce_second: object, ce_first: object, *, p: tuple = _P) -> str:
    second = as_number(ce_second, "ce_second")
    first = as_number(ce_first, "ce_first")
    expected = (-math.log(p[1]), -math.log(p[0]))
    right = (close(second, expected[0], atol=_TOL), close(first, expected[1], atol=_TOL))
    if all(right):
        return "only the true class's probability counts: the less it got, the more it costs."
    if close((second, first), expected[::-1], atol=_TOL):
        raise Wrong(
            f"your two answers are swapped: `ce_second` is for the second class (probability {p[1]:g})."
        )
    if second < 0 or first < 0:
        raise Wrong("a cross-entropy is never negative: it is *minus* the log of a probability below 1.")
    if any(close(second, -log(p[1]), atol=_TOL) for log in (math.log2, math.log10)):
        raise Wrong("use the natural logarithm (`np.log`), not log base 2 or 10.")
    everything = -sum(math.log(q) for q in p)
    summed = ((second, everything), (first, everything), (second, everything / 3))
    if any(close(value, wrong, atol=_TOL) for value, wrong in summed):
        raise Wrong("only the true class's term survives the sum: the one-hot label is 0 for the others.")
    if close(second, expected[0] / 3, atol=_TOL) or close(first, expected[1] / 3, atol=_TOL):
        raise Wrong(
            "you averaged over the three classes; the mean in the formula is over examples, and here "
            "there is one example."
        )
    if any(right):
        which = "`ce_first` (true class: the first)" if right[0] else "`ce_second`"
        raise Wrong(f"one of the two is right; check {which} again.")
    raise Wrong("not the cross-entropy. It is −log of the probability the model gave to the true class.")


ce_by_hand = Exercise(
    "ce_by_hand",
    answers=["ce_second", "ce_first"],
    checker=_check_ce_by_hand,
    hints=[
        "With a one-hot label, every term of $\\sum_k y_k \\log p_k$ but the true class's is zero; "
        "the model's probabilities are `p` (in the book, $(0.2, 0.5, 0.3)$).",
        "So the loss is $-\\log p_{\\text{true}}$: the second probability when the true class is the "
        "second one, the first when it is the first. Check with "
        "`categorical_cross_entropy(np.eye(3)[[1]], np.array([p]))` (in the book, "
        "`p = (0.2, 0.5, 0.3)`).",
    ],
    reference=(-math.log(0.5), -math.log(0.2)),
    mistakes=[
        (-math.log(0.2), -math.log(0.5)),
        (math.log(0.5), math.log(0.2)),
        (1.0, -math.log2(0.2)),
        (-math.log(0.5) / 3, -math.log(0.2) / 3),
        (-sum(math.log(p) for p in _P),) * 2,
        ("0.693", "1.609"),
    ],
    variants=_ce_variant,
)


# --- 2. The stable binary cross-entropy -------------------------------------------------

# The book's logit (variant 0); a guard in the chapter ties it to its worked solution.
_Z = -50.0
_SIGMOID = 1.0 / (1.0 + math.exp(-_Z))  # about 2e-22: still a float32 number
#: The logits of the variants: float32 still holds σ(z) (down to about −87), the loss is large.
_Z_RANGE = (-80, -20)


def _bce_variant(n: int) -> dict[str, object]:
    """Variant ``n``: another whole, confidently wrong logit ``z`` in ``_Z_RANGE`` (y stays 1)."""
    if n == 0:
        return {"z": _Z}
    rng = np.random.default_rng([22, n])
    while True:
        z = float(rng.integers(_Z_RANGE[0], _Z_RANGE[1] + 1))
        if z != _Z:  # never the book's
            return {"z": z}


def _bce(z: float) -> float:
    """−log σ(z), the binary cross-entropy for y = 1, computed stably in double precision."""
    return max(-z, 0.0) + math.log1p(math.exp(-abs(z)))


def _powers_of_ten(x: float) -> str:
    """``x`` to one digit, as ``2·10⁻²²``."""
    mantissa, exponent = f"{x:.0e}".split("e")
    return f"{mantissa}·10{str(int(exponent)).translate(str.maketrans('-0123456789', '⁻⁰¹²³⁴⁵⁶⁷⁸⁹'))}"


def _shown(z: float) -> str:
    """``z`` as the text writes it: ``−50`` (with a minus sign, not a hyphen)."""
    return f"{z:g}".replace("-", "−")


def _check_one_loss(value: float, name: str, z: float) -> None:
    expected = _bce(z)  # = −z to double precision
    other_log = f"`{name}`: use the natural logarithm (`np.log`), not log base 2 or 10."
    Number(
        expected,
        atol=1e-3,
        mistakes=[
            (-expected, f"`{name}` has the wrong sign: the loss is −log σ(z), a positive number."),
            (
                lambda v: 0.0 <= v < 1e-6,
                f"`{name}` is (almost) zero: that is σ({_shown(z)}) itself, or the loss for y = 0. "
                "For y = 1 the loss is −log σ(z): the model is confidently wrong, so it is large.",
            ),
            (Number(expected / math.log(10), atol=1e-2), other_log),
            (Number(expected / math.log(2), atol=1e-2), other_log),
        ],
        otherwise=f"`{name}` is not the binary cross-entropy of y = 1, z = {_shown(z)}.",
    ).judge(value)


def _check_stable_bce(naive_loss: object, stable_loss: object, *, z: float = _Z) -> str:
    if isinstance(naive_loss, (float, np.floating)) and math.isinf(naive_loss):
        raise Wrong(
            f"`naive_loss` is infinite, but at z = {_shown(z)} float32 can still hold σ(z). "
            "Did you compute it at another z, or take the log of 1 − σ(z)?"
        )
    naive = as_number(naive_loss, "naive_loss")
    stable = as_number(stable_loss, "stable_loss")
    _check_one_loss(stable, "stable_loss", z)
    _check_one_loss(naive, "naive_loss", z)
    sigmoid = _powers_of_ten(1.0 / (1.0 + math.exp(-z)))
    return (
        f"at z = {_shown(z)} both are right: float32 still holds σ({_shown(z)}) ≈ {sigmoid}. "
        "Try z = −120: the naive loss becomes infinite, the stable one does not."
    )


stable_bce = Exercise(
    "stable_bce",
    answers=["naive_loss", "stable_loss"],
    checker=_check_stable_bce,
    hints=[
        "For $y = 1$ the loss is $-\\log\\sigma(z)$, and $\\sigma(z) = 1 / (1 + e^{-z})$, at the "
        "exercise's logit `z` (in the book, $z = -50$).",
        "Naively, in float32: `z32 = np.float32(z)` and "
        "`-np.log(np.float32(1) / (np.float32(1) + np.exp(-z32)))`; stably: "
        "`binary_cross_entropy_from_logits(1.0, z)` (in the book, `z = -50.0`).",
    ],
    reference=(50.0, 50.0),
    mistakes=[
        (-50.0, -50.0),
        (_SIGMOID, 50.0),
        (50.0, 50.0 / math.log(10)),
        (float("inf"), 50.0),
        (50.0, 0.0),
    ],
    variants=_bce_variant,
)


# --- 3. How large can the learning rate be? ---------------------------------------------

_LRS = (0.3, 0.42, 0.43, 0.44, 0.45)
_START, _STEPS = (-1.0, 2.0), 40  # `gradient_descent`'s defaults


@functools.cache
def _line_data() -> tuple[np.ndarray, np.ndarray]:
    """The chapter's line problem: 50 noisy points of y = 1.5 x - 1 (read-only ``x``, ``y``).

    A guard in the chapter asserts that these are its ``x_line`` and ``y_line``.
    """
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 2, 50)
    y = 1.5 * x - 1.0 + rng.normal(0, 0.2, 50)
    x.setflags(write=False)
    y.setflags(write=False)
    return x, y


@functools.cache
def _line_losses() -> dict[float, float]:
    """Each learning rate's loss after the chapter's 40 steps of gradient descent from (-1, 2)."""
    x, y = _line_data()
    losses = {}
    for lr in _LRS:
        w, b = _START
        for _ in range(_STEPS):
            error = w * x + b - y
            w, b = w - lr * 2 * np.mean(error * x), b - lr * 2 * np.mean(error)
        losses[lr] = float(np.mean((w * x + b - y) ** 2))
    return losses


@functools.cache
def _lr_limit() -> float:
    """2 / the largest curvature of the line's loss: gradient descent converges below it."""
    x, _ = _line_data()
    hessian = 2 * np.array([[np.mean(x**2), np.mean(x)], [np.mean(x), 1.0]])
    return float(2 / np.linalg.eigvalsh(hessian).max())


def _largest_converging_lr() -> float:
    return max(lr for lr in _LRS if lr < _lr_limit())


_LINE_LOSSES = _line_losses()


def _check_learning_rate(final_losses: object, fastest_lr: object, largest_converging_lr: object) -> str:
    losses = as_mapping(
        final_losses,
        "final_losses",
        _LRS,
        template="{learning rate: final loss}, one entry per learning rate of the exercise",
        described="the five learning rates of the exercise",
    )
    if any(v < 0 for v in losses.values()):
        raise Wrong("a mean squared error is never negative.")
    wrong = [lr for lr in _LRS if not close(losses[lr], _LINE_LOSSES[lr], rtol=1e-3, atol=1e-6)]
    if wrong:
        raise Wrong(
            "some of your losses are not what 40 steps of `gradient_descent` give: use "
            "`float(line_loss(*gradient_descent(lr)[-1]))`, the loss at the *last* point of the path."
        )
    tried = "one of the five learning rates you tried"
    lr = as_choice(fastest_lr, "fastest_lr", _LRS, described=tried)
    if lr != min(losses, key=losses.get):
        raise Wrong(
            "by your own numbers, another learning rate ends with a lower loss after 40 steps; the "
            "fastest is the one that gets lowest in the same number of steps."
        )
    limit = as_choice(largest_converging_lr, "largest_converging_lr", _LRS, described=tried)
    if limit > _largest_converging_lr():
        raise Wrong(
            f"does the loss with eta = {limit} keep going down? Run it for 80 steps instead of 40 and "
            "compare: a loss that grows with more steps diverges, however small it still is."
        )
    if limit < _largest_converging_lr():
        raise Wrong(
            "a larger learning rate still converges: its loss after 40 steps is not far from the best line's, "
            "and it keeps falling with more steps."
        )
    return (
        "for this quadratic, gradient descent converges only when eta < 2 / (largest curvature), "
        f"about {_lr_limit():.3f} here: the steepest direction of the narrow valley sets the limit."
    )


learning_rate = Exercise(
    "learning_rate",
    answers=["final_losses", "fastest_lr", "largest_converging_lr"],
    checker=_check_learning_rate,
    hints=[
        "`gradient_descent(lr)` returns the whole path; its last row is where the 40 steps end, and "
        "`line_loss(w, b)` is the loss there.",
        "Build the dict with `{lr: float(line_loss(*gradient_descent(lr)[-1])) for lr in (0.3, 0.42, 0.43, "
        "0.44, 0.45)}`. The fastest ends lowest. To tell slow convergence from divergence, compare the "
        "loss after 40 and after 80 steps.",
    ],
    reference=(dict(_LINE_LOSSES), 0.42, 0.43),
    mistakes=[
        (dict(_LINE_LOSSES), 0.42, 0.42),
        (dict(_LINE_LOSSES), 0.45, 0.43),
        (dict(_LINE_LOSSES), 0.42, 0.44),
        (dict(_LINE_LOSSES), 0.42, 0.45),
        ({lr: 2.38 for lr in _LRS}, 0.42, 0.43),
        ({str(lr): v for lr, v in _LINE_LOSSES.items()}, 0.42, 0.43),
        ([0.041, 0.040, 0.042, 0.121, 2.76], 0.42, 0.43),
    ],
    points=2,
)


# --- 4. Dropout instead of early stopping -----------------------------------------------

_CHANCE_LOSS = math.log(10)  # the cross-entropy of uniform guessing over 10 digits
_LOSS_RTOL = 0.02  # float drift between machines moves these losses by far less; another seed by more

#: The chapter's two validation losses after 20 epochs on the 2,000 images: the last epoch of the
#: run without dropout (``h["val_loss"][-1]``) and the network with ``Dropout(0.5)``. Recomputing
#: them takes two trainings, about 14 s of CPU, over a check's budget, so they are the numbers
#: the chapter's recipe gives, written down; a guard after the chapter's solution asserts that
#: the chapter still computes them.
_DROPOUT_TRUTH = (0.3112225830554962, 0.283369243144989)


def _check_dropout(no_dropout_val_loss: object, dropout_val_loss: object, overfits_less: object) -> str:
    plain = as_number(no_dropout_val_loss, "no_dropout_val_loss")
    dropped = as_number(dropout_val_loss, "dropout_val_loss")
    for value, name in ((plain, "no_dropout_val_loss"), (dropped, "dropout_val_loss")):
        if value <= 0:
            raise Wrong(f"`{name}` should be a cross-entropy, which is positive.")
        if value > _CHANCE_LOSS:
            raise Wrong(
                f"`{name}` is above the loss of guessing uniformly (ln 10 ≈ 2.30). Give the "
                "validation *loss* from `evaluate(x_val, y_val, verbose=0)[0]` (not a percentage)."
            )
    if plain == dropped:
        raise Wrong(
            "the two losses are identical: evaluate the network *with* dropout, trained on `small.x`, `small.y`."
        )
    less = as_bool(overfits_less, "overfits_less")
    if less != (dropped < plain):
        lower = "lower" if dropped < plain else "higher"
        raise Wrong(
            f"by your own numbers, the validation loss with dropout is {lower} than without: "
            "a lower validation loss after the same epochs means less overfitting."
        )
    if not less:
        raise Wrong(
            "with dropout, the validation loss should be lower after the same number of epochs. Did you "
            "train a fresh network (helpers.set_seed(0)) with Adam(3e-3) for `epochs_run` epochs, "
            "without early stopping?"
        )
    # The answers agree with each other; now with the truth: the chapter's two runs.
    no_dropout_truth, dropout_truth = _DROPOUT_TRUTH
    if not close(plain, no_dropout_truth, rtol=_LOSS_RTOL):
        raise Wrong(
            "`no_dropout_val_loss` is not the validation loss of the last epoch of the chapter's run "
            'without dropout: keep `h["val_loss"][-1]`, as the answer cell gives it.'
        )
    if not close(dropped, dropout_truth, rtol=_LOSS_RTOL):
        raise Wrong(
            "`dropout_val_loss` is not the validation loss of the network with dropout. Build it "
            "after helpers.set_seed(0), with `Dropout(0.5)` right after the `Dense(512)`; train it on "
            "`small.x`, `small.y` with Adam(3e-3), batch size 128, for `epochs_run` epochs, without "
            "callbacks; then give `evaluate(x_val, y_val, verbose=0)[0]`."
        )
    return (
        "after the same number of epochs, dropout gave the lower validation loss. Compare it with the "
        "early-stopped model's, `kept_val_loss`, too."
    )


dropout = Exercise(
    "dropout",
    answers=["no_dropout_val_loss", "dropout_val_loss", "overfits_less"],
    checker=_check_dropout,
    hints=[
        "Copy `build_mlp`'s layers into a `keras.Sequential` and add `keras.layers.Dropout(0.5)` after the "
        "`Dense(512)`; compile and train it as `small_net` was, for `epochs_run` epochs, without callbacks.",
        "`dropout_net.evaluate(x_val, y_val, verbose=0)[0]` is its validation loss; compare it with "
        "`h['val_loss'][-1]`, the last epoch without dropout. Lower means less overfitting.",
    ],
    reference=(0.3112, 0.2834, True),
    mistakes=[
        (0.311, 0.283, False),
        (0.311, 0.283, "yes"),
        (0.311, 0.311, True),
        (31.1, 28.3, True),
        (0.283, 0.311, True),
        # made up, but consistent with themselves: only the truth rejects them
        (0.311, 0.0001, True),
        (0.5, 0.4, True),
        (0.311, 0.295, True),  # the dropout network trained with seed 1
        (0.35, 0.283, True),
    ],
    points=2,
)

EXERCISES = (ce_by_hand, stable_bce, learning_rate, dropout)

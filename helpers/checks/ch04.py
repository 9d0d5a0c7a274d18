"""Checks for the exercises of chapter 4, "Fine-tuning" (``chapters/04_fine_tuning.ipynb``).

In the notebook: ``from helpers.checks import ch04 as checks``, then
``checks.more_seeds.check()`` after the answer cell, ``checks.more_seeds.hint()`` for a hint
and ``checks.more_seeds.solution()`` for the solution.

Each checker compares the answers with the truth, recomputed from the course's data and shipped
models with the chapter's recipe (cached per process): the sweep's frozen heads, the choice of C.
The fine-tuned networks of the last exercise train too long to repeat in a check; their answers
are compared with the chapter's measurements, within what other machines and versions change.
Guards in the chapter (cells tagged ``remove-cell``) assert that these truths and measurements
are the chapter's own numbers.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Mapping
from typing import NamedTuple

import numpy as np

from helpers.exercises import (
    Exercise,
    NotAttempted,
    Wrong,
    as_bool,
    as_choice,
    as_fraction,
    as_int,
    as_list,
    as_mapping,
    close,
)

# An accuracy on a test set of n images is a whole number of them over n. The chapter's heads are
# logistic regressions capped at 100 iterations, short of convergence, so the exact images they get
# right depend on the library's versions and threads: measured, Colab's scikit-learn 1.6 and the
# authoring environment's 1.9 disagree on one or two test images, and one BLAS thread instead of two
# moves one. A few images either way are accepted on a test set; one on the 50 validation images.
_IMAGES_TOL = 3


def _close_accuracy(value: object, truth: object, n_images: int, images: int = _IMAGES_TOL) -> bool:
    """Whether ``value`` is ``truth`` within ``images`` of ``n_images`` images (and rounding), elementwise."""
    return close(value, truth, atol=(images + 0.5) / n_images)


def _linear_head(features: np.ndarray, y: np.ndarray, seed: int, c: float = 1.0):
    """The chapter's ``linear_head``: a logistic regression fitted (at most 100 iterations) on features.

    On one BLAS thread: the fits are tiny, and on a busy machine (a grader checking many notebooks
    at once) threads that wait for each other make them fifty times slower.
    """
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"), warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # the chapter caps the iterations too
        return LogisticRegression(C=c, max_iter=100, random_state=seed).fit(features, y)


# --- 1. Turn the knob -----------------------------------------------------------------

_NEW_SEEDS = (10, 11, 12)
_MAX_SWEEP_SEEDS = _NEW_SEEDS[0]  # the sweep's seeds are 0 to N_SEEDS - 1: more would reach seed 10


class _FrozenLast(NamedTuple):
    body: object  # keras.Model: the shipped mnist_cnn up to hidden_1, frozen
    x: np.ndarray  # setting B's pool of labelled UCI digits, framed like MNIST and scaled
    y: np.ndarray
    test_features: np.ndarray
    y_test: np.ndarray


@functools.cache
def _frozen_last_b() -> _FrozenLast:
    """What setting B's "cnn frozen last" strategy reuses: the frozen backbone, the pool, the test features."""
    from helpers import data, transfer
    from helpers.pretrained import load_pretrained

    uci_train, uci_test = data.load_uci_digits(test_fraction=1 / 3, seed=0)
    body = transfer.cut_backbone(load_pretrained("mnist_cnn"), "hidden_1")
    test_features = transfer.extract_features(body, data.scale_pixels(uci_test.x))
    return _FrozenLast(body, data.scale_pixels(uci_train.x), uci_train.y, test_features, uci_test.y)


@functools.cache
def _frozen_last_accuracy(seed: int) -> float:
    """Setting B's "cnn frozen last" test accuracy at 10 labels per class with ``seed``, as the sweep runs it."""
    from helpers import data, transfer

    b = _frozen_last_b()
    x, y = data.sample_per_class(b.x, b.y, 10, seed=seed)
    head = _linear_head(transfer.extract_features(b.body, x), y, seed)
    return float(head.score(b.test_features, b.y_test))


def _check_more_seeds(sweep_accuracies: object, new_accuracies: object, all_inside: object) -> str:
    if sweep_accuracies is Ellipsis:
        raise NotAttempted("replace the `...` in `sweep_accuracies` with the sweep's accuracies.")
    given = '`results["B"].accuracies("cnn frozen last", 10)`, as the answer cell gives it'
    if isinstance(sweep_accuracies, (str, bytes, Mapping)) or not hasattr(sweep_accuracies, "__len__"):
        raise Wrong(f"`sweep_accuracies` should be the sweep's list of accuracies, {given}.")
    try:  # np.ndim of a ragged list raises
        n_sweep = len(sweep_accuracies) if np.ndim(np.asarray(sweep_accuracies, dtype=object)) == 1 else -1
    except ValueError:
        n_sweep = -1
    if n_sweep < 0:
        raise Wrong(f"`sweep_accuracies` should be a flat list of accuracies, one per seed: {given}.")
    if n_sweep == 0:
        raise Wrong(f"`sweep_accuracies` is empty: it holds one accuracy per seed of the sweep, {given}.")
    if n_sweep > _MAX_SWEEP_SEEDS:
        raise Wrong(
            f"the sweep ran {n_sweep} seeds, so its seeds include the new ones (10, 11 and 12): set "
            f"`N_SEEDS` to at most {_MAX_SWEEP_SEEDS} in the import cell at the top and run the chapter again."
        )
    old = as_list(
        sweep_accuracies, "sweep_accuracies", n_sweep, convert=as_fraction, items="accuracies", per="seed"
    )
    new = as_list(
        new_accuracies, "new_accuracies", len(_NEW_SEEDS), convert=as_fraction, items="accuracies", per="seed"
    )
    if sorted(new) == sorted(old):
        raise Wrong(
            "your new accuracies are the sweep's: run `run_b(10, seed, ...)` with the *new* seeds 10, 11 and 12."
        )
    if max(new) < 0.2:
        raise Wrong(
            'these are below chance for ten digits: take the accuracy of the `"cnn frozen last"` strategy '
            "from each `run_b(10, seed, ...)` result."
        )
    inside = as_bool(all_inside, "all_inside")
    # Well-formed answers: compare them with the truth, the strategy rerun here seed by seed.
    n_test = len(_frozen_last_b().y_test)
    if not _close_accuracy(old, [_frozen_last_accuracy(s) for s in range(n_sweep)], n_test):
        raise Wrong(
            f'`sweep_accuracies` are not the sweep\'s accuracies of "cnn frozen last" at 10 labels per class '
            f"with {'seed 0' if n_sweep == 1 else f'seeds 0 to {n_sweep - 1}'}: keep {given}."
        )
    truth_new = [_frozen_last_accuracy(s) for s in _NEW_SEEDS]
    if not _close_accuracy(new, truth_new, n_test):
        if all(any(_close_accuracy(a, t, n_test) for t in truth_new) for a in new):
            raise Wrong("give the new accuracies in the order of their seeds: 10, 11, then 12.")
        raise Wrong(
            'these are not the accuracies of "cnn frozen last" at 10 labels per class with seeds 10, 11 '
            'and 12: take `run_b(10, seed, strategies=["cnn frozen last"])["cnn frozen last"]` for each.'
        )
    truly_inside = all(min(old) <= a <= max(old) for a in new)
    if inside != truly_inside:
        outside = "at least one of them falls outside" if not truly_inside else "all of them fall inside"
        raise Wrong(
            f"by your own numbers, {outside} the range of the sweep's accuracies (from their minimum to "
            "their maximum)."
        )
    if n_sweep == 1:
        return (
            'but the sweep ran a single seed (`N_SEEDS = 1`), so its "range" is one point and almost any '
            "new seed falls outside it. Set `N_SEEDS = 3` in the import cell, run the chapter again, and "
            "compare with a real range."
        )
    rough = "" if n_sweep >= 3 else " (with only two seeds in the sweep, its range is rougher still)"
    if truly_inside:
        return (
            "inside this time; with 10 labels per class, which images are labelled still moves the score"
            f"{rough}."
        )
    return (
        "a few seeds give only a rough range: new samples of 10 labels per class land outside it. Claims "
        f"about small budgets need more seeds, or a margin as wide as the spread{rough}."
    )


more_seeds = Exercise(
    "more_seeds",
    answers=["sweep_accuracies", "new_accuracies", "all_inside"],
    checker=_check_more_seeds,
    hints=[
        '`run_b(10, seed, strategies=["cnn frozen last"])` returns a dict with that strategy\'s accuracy '
        "(and computes nothing else); run it for each of the seeds 10, 11 and 12.",
        "A new accuracy is inside the sweep's range if `min(sweep_accuracies) <= a <= "
        "max(sweep_accuracies)`; `all_inside` is whether that holds for all three.",
    ],
    # Measured with the chapter (UCI test set: 599 images): seeds 0-2, then 10-12.
    reference=([560 / 599, 565 / 599, 571 / 599], [565 / 599, 564 / 599, 554 / 599], False),
    mistakes=[
        ([560 / 599, 565 / 599, 571 / 599], [565 / 599, 564 / 599, 554 / 599], True),
        ([560 / 599, 565 / 599, 571 / 599], [554 / 599, 564 / 599, 565 / 599], False),  # not in seed order
        ([0.935, 0.943, 0.953], [0.935, 0.943, 0.953], False),
        ([0.935, 0.943, 0.953], [94.3, 94.2, 92.5], False),
        ([0.935, 0.943, 0.953], [0.943, 0.942], False),
        ([0.935, 0.943, 0.953], [0.943, 0.942, 0.925], "no"),
        ([], [0.943, 0.942, 0.925], False),  # N_SEEDS = 0
        ([0.93] * 11, [0.943, 0.942, 0.925], False),  # N_SEEDS = 11 reaches the new seeds
        # made up, but consistent with each other
        ([0.922, 0.908, 0.910], [0.910, 0.915, 0.920], True),
        ([0.922, 0.908, 0.910], [0.900, 0.903, 0.888], False),
        ([560 / 599, 565 / 599, 571 / 599], [0.940, 0.945, 0.950], True),
        ([560 / 599], [0.940, 0.945, 0.950], False),  # quick mode (N_SEEDS = 1)
    ],
    points=2,
)


# --- 2. Choose the head's regularisation on a validation split --------------------------

_CS = (0.01, 0.1, 1.0, 10.0)
_K_CHOOSE = 50  # labels per class


class _ChooseCTruth(NamedTuple):
    val: dict[float, float]  # C -> validation accuracy of the head fitted on the training part
    test: dict[float, float]  # C -> test accuracy of the head refitted on all 250 labelled images
    test_of_fit: dict[float, float]  # C -> test accuracy of the head fitted on the training part
    n_val: int
    n_test: int


@functools.cache
def _choose_c_truth() -> _ChooseCTruth:
    """The chapter's solution: setting A, 50 labels per class (seed 0), the frozen conv base of mnist04_cnn."""
    from helpers import data, transfer
    from helpers.pretrained import load_pretrained

    (x_train, y_train), (x_test, y_test) = data.load_mnist()
    # The draw depends only on the labels and the seed: drawn on the pool's positions, it copies
    # only the 250 images it keeps (the chapter scales the whole pool first: the same numbers).
    pool = data.select_classes(np.arange(len(y_train)), y_train, [5, 6, 7, 8, 9])
    where, y50 = data.sample_per_class(pool.x, pool.y, _K_CHOOSE, seed=0)
    x50 = data.scale_pixels(x_train[where])
    test = data.select_classes(x_test, y_test, [5, 6, 7, 8, 9])
    base = transfer.cut_backbone(load_pretrained("mnist04_cnn"), "conv_base")
    fit = data.train_val_split(x50, y50, val_fraction=0.2, seed=0)
    f_tr, f_val = transfer.extract_features(base, fit.x_train), transfer.extract_features(base, fit.x_val)
    f_all = transfer.extract_features(base, x50)
    f_test = transfer.extract_features(base, data.scale_pixels(test.x))
    val, on_test, of_fit = {}, {}, {}
    for c in _CS:
        head = _linear_head(f_tr, fit.y_train, seed=0, c=c)
        val[c] = float(head.score(f_val, fit.y_val))
        of_fit[c] = float(head.score(f_test, test.y))
        on_test[c] = float(_linear_head(f_all, y50, seed=0, c=c).score(f_test, test.y))
    return _ChooseCTruth(val, on_test, of_fit, len(fit.y_val), len(test.y))


def _check_choose_c(val_scores: object, chosen_c: object, test_accuracy: object) -> str:
    # The messages name no value of C: the right choice is one of them.
    scores = as_mapping(
        val_scores,
        "val_scores",
        _CS,
        convert=as_fraction,
        label="each value of val_scores",
        template="{C: validation accuracy}, one entry for each of the four values of C that the exercise lists",
        described="the four values of C",
    )
    c = as_choice(chosen_c, "chosen_c", _CS, described="one of the four values of C you tried")
    if scores[c] < max(scores.values()):
        raise Wrong(
            "by your own `val_scores`, another C has a higher validation accuracy: choose the C that does "
            "best on the validation part, and only then look at the test set."
        )
    test = as_fraction(test_accuracy, "test_accuracy")
    if test < 0.2:
        raise Wrong(
            "a test accuracy below chance for five digits: refit the head with the chosen C on all 250 "
            "labelled images' features and score it on the test set's features from the same base."
        )
    # The answers agree with each other; now with the truth, the chapter's solution run here.
    truth = _choose_c_truth()
    whole = all(abs(scores[o] * truth.n_val - round(scores[o] * truth.n_val)) < 0.01 for o in _CS)
    if not whole or not _close_accuracy(
        [scores[o] for o in _CS], [truth.val[o] for o in _CS], truth.n_val, 1
    ):
        on_test = (truth.test, truth.test_of_fit)
        if any(_close_accuracy([scores[o] for o in _CS], [t[o] for o in _CS], truth.n_test) for t in on_test):
            raise Wrong(
                "these are test-set accuracies: score each C on the validation part of the split, so that "
                "the test set plays no part in the choice."
            )
        raise Wrong(
            "these are not the validation accuracies of the four heads: split the 250 labelled images with "
            "`data.train_val_split(x50, y50, val_fraction=0.2, seed=0)`, fit `LogisticRegression(C=c, "
            "max_iter=100)` on the training part's features of the convolutional base and score it on the "
            "validation part's."
        )
    best_val = max(truth.val.values())
    if truth.val[c] < best_val:
        raise Wrong(
            "another C does better on the validation part than the one you chose: choose on the validation "
            "part, and only then look at the test set."
        )
    if not _close_accuracy(test, truth.test[c], truth.n_test):
        if _close_accuracy(test, truth.test_of_fit[c], truth.n_test):
            raise Wrong(
                "that is the test accuracy of the head fitted on the training part only: refit the chosen C "
                "on all 250 labelled images, then score it on the test set."
            )
        if any(_close_accuracy(test, truth.test[o], truth.n_test) for o in _CS if o != c):
            raise Wrong("that is the test accuracy of another C: report the chosen C's only.")
        raise Wrong(
            "not the test accuracy of the chosen C: refit `LogisticRegression(C=chosen_c, max_iter=100)` on "
            "the features of all 250 labelled images and score it on setting A's test images' features."
        )
    return (
        "the test set scored one model, chosen without it, so its accuracy is an honest estimate; had it "
        "also picked C, the best of four tries on the same data would be optimistically biased."
    )


choose_c = Exercise(
    "choose_c",
    answers=["val_scores", "chosen_c", "test_accuracy"],
    checker=_check_choose_c,
    hints=[
        "Split the 250 labelled images with `data.train_val_split(x50, y50, val_fraction=0.2, seed=0)`, fit "
        "one `LogisticRegression(C=c)` per C on the training part's features and score it on the validation "
        "part's.",
        "`chosen_c = max(val_scores, key=val_scores.get)`; then refit with that C on all 250 images and call "
        "`.score` on the test features once.",
    ],
    # Measured with the chapter: 50 validation images, 4,861 test images.
    reference=({0.01: 0.96, 0.1: 0.98, 1: 0.96, 10: 0.96}, 0.1, 4672 / 4861),
    mistakes=[
        ({0.01: 0.96, 0.1: 0.98, 1: 0.96, 10: 0.96}, 1, 4672 / 4861),
        ({0.01: 96.0, 0.1: 98.0, 1: 96.0, 10: 96.0}, 0.1, 4672 / 4861),
        ({0.01: 0.96, 0.1: 0.98, 1: 0.96, 10: 0.96}, 0.1, 96.1),
        ({0.01: 0.96, 0.1: 0.98, 1: 0.96}, 0.1, 4672 / 4861),
        ({0.01: 0.96, 0.1: 0.98, 1: 0.96, 10: 0.96}, 5, 4672 / 4861),
        ([0.96, 0.98, 0.96, 0.96], 0.1, 4672 / 4861),
        # made up, but consistent with each other
        ({0.01: 0.82, 0.1: 0.9, 1: 0.92, 10: 0.9}, 1, 0.893),
        ({0.01: 0.96, 0.1: 0.96, 1: 0.98, 10: 0.96}, 1, 4664 / 4861),  # favours another C
        ({0.01: 0.98, 0.1: 0.96, 1: 0.96, 10: 0.96}, 0.01, 4665 / 4861),  # within an image, another C
        # chosen on the test set: test accuracies as validation scores
        ({0.01: 4649 / 4861, 0.1: 4644 / 4861, 1: 4631 / 4861, 10: 4621 / 4861}, 0.01, 4665 / 4861),
        ({0.01: 0.96, 0.1: 0.98, 1: 0.96, 10: 0.96}, 0.1, 4644 / 4861),  # the head fitted on 200 images
        ({0.01: 0.96, 0.1: 0.98, 1: 0.96, 10: 0.96}, 0.1, 4665 / 4861),  # the test accuracy of C = 0.01
        ({0.01: 0.96, 0.1: 0.98, 1: 0.96, 10: 0.96}, 0.1, 0.95),
    ],
    points=2,
)


# --- 3. Gradual unfreezing ------------------------------------------------------------

# The mnist04_cnn's layers: hidden_1 (Dense 800 -> 64, on 5x5x32 convolutional features) and the
# new head (Dense 64 -> 5). The checker counts them on the shipped model; these restate them for
# the reference answer and the typical mistakes (the tests check that the reference is accepted).
_HIDDEN_1 = 800 * 64 + 64
_HEAD = 64 * 5 + 5
_CONV_TRAINABLE = (
    3 * 3 * 1 * 16 + 3 * 3 * 16 * 32
)  # the kernels (no biases); batch normalization stays frozen

# Both networks fine-tune for up to 300 steps, too long to repeat in a check. These are the
# chapter's measurements on setting A's test images (digits 5-9): how many of them each network
# classifies correctly, seed 0. A guard in the chapter asserts that its run is within
# _FT_TOL_IMAGES of them. Measured: fine-tuning with 1 TensorFlow thread instead of 2 moved them by
# 1 and 4 images, and Colab's versions (TensorFlow 2.19, Keras 3.10, scikit-learn 1.6) by 1 and 1.
# With this tolerance and their gap of 22 images, answers within it have the true order.
_N_TEST_A = 4861
_CORRECT_PARTIAL, _CORRECT_WHOLE = 4418, 4396
_FT_TOL_IMAGES = 10


class _Counts(NamedTuple):
    partial: int  # hidden_1 and the new head
    head: int  # the new head alone
    hidden_1: int  # hidden_1 alone
    whole: int  # the whole network, batch normalization excepted


@functools.cache
def _gradual_counts() -> _Counts:
    """Trainable parameters of the exercise's network and of its typical mistakes, on the shipped CNN."""
    from helpers import transfer
    from helpers.pretrained import load_pretrained

    def trainable(*, unfreeze: bool, only: str | None = None) -> int:
        """The new head's network on mnist04_cnn up to hidden_1, unfrozen (only ``only``, if given)."""
        backbone = transfer.cut_backbone(load_pretrained("mnist04_cnn"), "hidden_1", trainable=unfreeze)
        for layer in backbone.layers:
            if only is not None and layer.name != only:
                layer.trainable = False
        return transfer.count_params(transfer.add_head(backbone, n_classes=5)).trainable

    partial, head = trainable(unfreeze=True, only="hidden_1"), trainable(unfreeze=False)
    return _Counts(partial, head, partial - head, trainable(unfreeze=True))


def _check_accuracy_a(value: float, name: str, correct: int, fix: str) -> None:
    """Raise :class:`Wrong` (saying ``fix``) unless ``value`` is an accuracy on setting A's test set
    within ``_FT_TOL_IMAGES`` images of ``correct``."""
    images = value * _N_TEST_A
    if abs(images - round(images)) > 0.01:
        raise Wrong(
            f"`{name}` is not a whole number of setting A's {_N_TEST_A:,} test images divided by "
            f"{_N_TEST_A:,}: give the accuracy as the code computed it, not rounded or typed in."
        )
    if abs(images - correct) > _FT_TOL_IMAGES:
        raise Wrong(f"`{name}` is not what this network reaches: {fix}.")


def _check_gradual(
    trainable_params: object, acc_partial: object, acc_whole: object, partial_better: object
) -> str:
    if isinstance(trainable_params, tuple) and len(trainable_params) == 2:
        raise Wrong(
            "`transfer.count_params` returns (trainable, non_trainable); give the first, "
            "`transfer.count_params(partial).trainable`."
        )
    n = as_int(trainable_params, "trainable_params")
    counts = _gradual_counts()
    if n == counts.head:
        raise Wrong("only the head trains: set `hidden_1`'s `trainable` to True (and recompile).")
    if n == counts.hidden_1:
        raise Wrong("that counts `hidden_1` alone; the new head trains too.")
    if n == counts.whole:
        raise Wrong(
            "the convolutional base trains too: freeze every layer of the backbone except `hidden_1`, "
            "then recompile."
        )
    if n != counts.partial:
        raise Wrong(
            "not the count of `hidden_1` plus the new head: build the model as the exercise says and read "
            "`transfer.count_params(partial).trainable`."
        )
    partial = as_fraction(acc_partial, "acc_partial")
    whole = as_fraction(acc_whole, "acc_whole")
    if partial < 0.2:
        raise Wrong("below chance for five digits: evaluate `partial` on setting A's test images.")
    better = as_bool(partial_better, "partial_better")
    if better != (partial > whole):
        higher = "higher" if partial > whole else "not higher"
        raise Wrong(
            f"by your own numbers, unfreezing only `hidden_1` scores {higher} than the whole network."
        )
    # The answers agree with each other; now with the chapter's measurements.
    _check_accuracy_a(
        whole,
        "acc_whole",
        _CORRECT_WHOLE,
        'keep the given `results["A"].accuracies("cnn fine-tuned last", 10)[0]`',
    )
    _check_accuracy_a(
        partial,
        "acc_partial",
        _CORRECT_PARTIAL,
        "fine-tune it exactly as the exercise says (seed 0, the same held-out fifth, warm start and training "
        'rule as the sweep) and score it on all of setting A\'s test images, `t["x_test"]`',
    )
    return (
        "with 10 labels per class, eight of them to train on, the lower layers have little to learn, so "
        "freezing them changes little; gradual unfreezing matters more when the target has enough data to "
        "move the lower layers."
    )


gradual = Exercise(
    "gradual",
    answers=["trainable_params", "acc_partial", "acc_whole", "partial_better"],
    checker=_check_gradual,
    hints=[
        "Cut the backbone with `trainable=True`, then set `layer.trainable = False` on every layer of the "
        "backbone but `hidden_1`, put the head on and compile. `transfer.count_params(partial).trainable` "
        "counts what trains.",
        "Hold out the same fifth with `sweep.hold_out(x10, y10, 10, seed=0)`, warm-start the head with "
        "`sweep.warm_start` and a `linear_head` fitted on the backbone's features of the training part, train "
        "with `sweep.train_network(partial, x_fit, y_fit, held_out, seed=0)`, and score it on setting A's test "
        "images.",
    ],
    reference=(_HIDDEN_1 + _HEAD, _CORRECT_PARTIAL / _N_TEST_A, _CORRECT_WHOLE / _N_TEST_A, True),
    mistakes=[
        (_HEAD, 0.873, 0.872, True),
        (_HIDDEN_1, 0.873, 0.872, True),
        (_HIDDEN_1 + _HEAD + _CONV_TRAINABLE, 0.873, 0.872, True),
        (_HIDDEN_1 + _HEAD, 0.873, 0.872, False),
        (_HIDDEN_1 + _HEAD, 87.3, 0.872, True),
        ((_HIDDEN_1 + _HEAD, 1320), 0.873, 0.872, True),
        # made up, but consistent: typed, rounded, or whole numbers of images far from the measured ones
        (_HIDDEN_1 + _HEAD, 0.873, 0.872, True),
        (_HIDDEN_1 + _HEAD, 0.909, 0.904, True),
        (_HIDDEN_1 + _HEAD, 4300 / _N_TEST_A, 4396 / _N_TEST_A, False),
        (_HIDDEN_1 + _HEAD, _CORRECT_WHOLE / _N_TEST_A, _CORRECT_PARTIAL / _N_TEST_A, False),
    ],
    points=2,
)

EXERCISES = (more_seeds, choose_c, gradual)

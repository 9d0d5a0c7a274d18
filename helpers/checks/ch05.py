"""Checks for the exercises of chapter 5, "Evaluation done right" (``chapters/05_evaluation.ipynb``).

In the notebook: ``from helpers.checks import ch05 as checks``, then
``checks.pr_by_hand.check()`` after the answer cell, ``checks.pr_by_hand.hint()`` for a hint
and ``checks.pr_by_hand.solution()`` for the solution.

Three checks judge experiments (the base model's confusion matrix, the two leak experiments, the
two models of the imbalanced section) by their truth, not by the answers' agreement with each
other. The truth is the chapter's result as measured with its recipe (its splits, networks and
seeds) on 2 CPU cores, written below; the chapter's ``remove-cell`` guards assert that the chapter
still gives it. Training is repeatable on one machine but not bit for bit across machines, so
the comparisons allow the few images that a model trained elsewhere classifies differently, and
an answer that is close to the measurement without being within that tolerance is judged by the
truth recomputed here, from the shipped MNIST file with the same recipe (seconds of training,
once per process, cached; see :func:`helpers.exercises.judging_truth`). Correct answers and made-up ones are
judged without training: answers further than three tolerances from the measurement (``judging_truth``'s
``far``) are wrong on any machine, since retraining with one thread instead of two moved the
measurements by a sixth of a tolerance at most.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
from scipy.stats import binomtest, chi2

from helpers.exercises import (
    Exercise,
    Number,
    Wrong,
    as_bool,
    as_choice,
    as_fraction,
    as_int,
    as_mapping,
    as_number,
    close,
    judging_truth,
)

if TYPE_CHECKING:
    import keras


# --- The chapter's data and models, recomputed (cached) -----------------------------------

#: The chapter's split of MNIST's 54,000 training images (after the validation set): the
#: first model's training set and the pool of extra images (the control of the leak).
_N_TRAIN, _N_EXTRA = 30000, 5000
#: The imbalanced target task: digits 5-9, training images per class, and test nines kept.
_TARGET_DIGITS, _IMB_PER_CLASS, _IMB_TEST_NINES = (5, 6, 7, 8, 9), (600, 600, 600, 600, 12), 40


class _Data(NamedTuple):
    """The chapter's sets, as its first code cell makes them (images scaled to [0, 1])."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    x_leak: np.ndarray
    y_leak: np.ndarray
    x_clean: np.ndarray
    y_clean: np.ndarray


@functools.cache
def _data() -> _Data:
    """The chapter's training, validation and test sets and the two test halves, read-only.

    Made as the chapter makes them from the shipped MNIST file; a guard in the chapter asserts
    that they are its ``x_train``, ``y_train``, ``x_val``, ... ``y_clean``.
    """
    from sklearn.model_selection import train_test_split

    from helpers import data

    (x_all, y_all), (x_test, y_test) = data.load_mnist()
    split = data.train_val_split(x_all, y_all, val_fraction=0.1, seed=0)
    del x_all, y_all  # the pixels of every image (uint8): drop each copy once it is split
    x_train, _, y_train, _ = train_test_split(
        split.x_train,
        split.y_train,
        train_size=_N_TRAIN,
        test_size=_N_EXTRA,
        stratify=split.y_train,
        random_state=0,
    )
    x_val, y_val = split.x_val, split.y_val
    del split
    x_train, x_val, x_test = (data.scale_pixels(x) for x in (x_train, x_val, x_test))
    x_leak, x_clean, y_leak, y_clean = train_test_split(
        x_test, y_test, test_size=0.5, stratify=y_test, random_state=0
    )
    arrays = _Data(x_train, y_train, x_val, y_val, x_test, y_test, x_leak, y_leak, x_clean, y_clean)
    for array in arrays:
        array.setflags(write=False)
    return arrays


def _compiled_mlp(hidden_units: tuple[int, ...] = (512,), n_classes: int = 10, seed: int = 0) -> keras.Model:
    """The chapter's ``compiled_mlp``: a fresh, compiled MLP (reseeds the process)."""
    from helpers import models, set_seed

    set_seed(seed)
    model = models.build_mlp(hidden_units=hidden_units, n_classes=n_classes)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


@functools.cache
def _base() -> tuple[list[np.ndarray], np.ndarray]:
    """The chapter's base model (784-512-10, three epochs): its weights and its test predictions.

    Trained without the chapter's per-epoch validation, which reads the weights but does not
    change them (measured: the same weights, bit for bit).
    """
    from helpers import evaluation, training

    d = _data()
    base = _compiled_mlp()
    training.train(base, d.x_train, d.y_train, epochs=3, log_every=None)
    predictions = evaluation.predict_labels(base, d.x_test)
    predictions.setflags(write=False)
    return base.get_weights(), predictions


@functools.cache
def _base_cm() -> np.ndarray:
    """The base model's confusion matrix on the test set (rows: true digit)."""
    from sklearn.metrics import confusion_matrix

    cm = confusion_matrix(_data().y_test, _base()[1], labels=np.arange(10))
    cm.setflags(write=False)
    return cm


def _continue_training(x_more: np.ndarray, y_more: np.ndarray, epochs: int = 5) -> keras.Model:
    """The chapter's ``continue_training``: the base model, trained ``epochs`` more epochs."""
    from helpers import training

    model = _compiled_mlp()
    model.set_weights(_base()[0])
    for _ in range(epochs):  # one epoch at a time, as the chapter (it measures after each)
        training.train(model, x_more, y_more, epochs=1, log_every=None)
    return model


class _Leak(NamedTuple):
    """The leak experiment with the 5,000 images of the leaked half, and with the first 500."""

    gap_5000: float
    few_leaked_acc: float
    few_clean_acc: float


@functools.cache
def _leak() -> _Leak:
    """The inflation with 5,000 leaked images, and the two accuracies with 500 (a few seconds)."""
    from helpers import evaluation

    d = _data()

    def accuracy(model: keras.Model, x: np.ndarray, y: np.ndarray) -> float:
        return float(np.mean(evaluation.predict_labels(model, x) == y))

    leaky = _continue_training(d.x_leak, d.y_leak)
    gap = accuracy(leaky, d.x_leak, d.y_leak) - accuracy(leaky, d.x_clean, d.y_clean)
    few = _continue_training(d.x_leak[:500], d.y_leak[:500])
    return _Leak(gap, accuracy(few, d.x_leak[:500], d.y_leak[:500]), accuracy(few, d.x_clean, d.y_clean))


@functools.cache
def _imbalanced_data() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The imbalanced target set of the chapter: ``x_imb``, ``y_imb``, ``x_imb_test``, ``y_imb_test``.

    Digits 5-9 relabelled 0-4, drawn as the chapter draws them (one generator, seed 0); a guard
    in the chapter asserts that they are its own.
    """
    from helpers import data

    d = _data()
    rng = np.random.default_rng(0)
    # Selected by position, so that only the images kept are copied (memory: the chapter's guard
    # calls this beside the chapter's own arrays).
    target_train = data.select_classes(np.arange(len(d.y_train)), d.y_train, list(_TARGET_DIGITS))
    target_test = data.select_classes(np.arange(len(d.y_test)), d.y_test, list(_TARGET_DIGITS))
    idx = np.concatenate(
        [
            rng.choice(np.flatnonzero(target_train.y == c), n, replace=False)
            for c, n in enumerate(_IMB_PER_CLASS)
        ]
    )
    idx = rng.permutation(idx)
    nine = len(_TARGET_DIGITS) - 1
    nines = rng.choice(np.flatnonzero(target_test.y == nine), _IMB_TEST_NINES, replace=False)
    keep = (target_test.y < nine) | np.isin(np.arange(len(target_test.y)), nines)
    arrays = (
        d.x_train[target_train.x[idx]],
        target_train.y[idx],
        d.x_test[target_test.x[keep]],
        target_test.y[keep],
    )
    for array in arrays:
        array.setflags(write=False)
    return arrays


@functools.cache
def _imbalance() -> tuple[dict[str, float], dict[str, float]]:
    """The scores of the imbalanced model and of its class-weighted twin: ``unweighted, weighted``.

    Each a dict of the accuracy and the recall of 9, as the chapter trains the first and its
    worked solution the second.
    """
    from sklearn.utils.class_weight import compute_class_weight

    from helpers import evaluation, training

    x_imb, y_imb, x_test, y_test = _imbalanced_data()
    nine = len(_TARGET_DIGITS) - 1
    is_nine = y_test == nine

    def scores(model: keras.Model) -> dict[str, float]:
        pred = evaluation.predict_labels(model, x_test)
        return {"accuracy": float(np.mean(pred == y_test)), "recall_9": float(np.mean(pred[is_nine] == nine))}

    plain = _compiled_mlp(hidden_units=(64,), n_classes=len(_TARGET_DIGITS))
    training.train(plain, x_imb, y_imb, epochs=10, batch_size=64, log_every=None)
    weights = compute_class_weight("balanced", classes=np.arange(len(_TARGET_DIGITS)), y=y_imb)
    weighted = _compiled_mlp(hidden_units=(64,), n_classes=len(_TARGET_DIGITS))
    weighted.fit(x_imb, y_imb, epochs=10, batch_size=64, class_weight=dict(enumerate(weights)), verbose=0)
    return scores(plain), scores(weighted)


# --- 1. Precision and recall from the confusion matrix ----------------------------------


#: How far a confusion matrix may be from the recomputed one: the share of the test images that
#: may sit in another cell. The same recipe on another machine (another processor, another number
#: of threads) classifies a few images differently: 12 of 10,000 with one thread instead of two.
_MOVED_SHARE = 0.01

#: The base model's confusion matrix (rows: true digit) as the chapter measured it on 2 CPU cores:
#: what the check judges by (see `helpers.exercises.judging_truth`), and the reference answer.
_CM = np.array(
    [
        [969, 0, 2, 0, 0, 2, 3, 1, 3, 0],
        [0, 1126, 3, 1, 0, 0, 2, 0, 3, 0],
        [7, 4, 986, 7, 2, 2, 4, 9, 10, 1],
        [0, 1, 4, 980, 0, 6, 0, 8, 8, 3],
        [1, 2, 3, 1, 954, 0, 6, 2, 2, 11],
        [3, 0, 0, 11, 2, 861, 6, 0, 4, 5],
        [10, 3, 1, 0, 4, 10, 927, 1, 2, 0],
        [2, 11, 9, 5, 2, 0, 0, 987, 3, 9],
        [4, 4, 3, 19, 3, 11, 3, 5, 915, 7],
        [6, 10, 0, 12, 12, 5, 0, 7, 2, 955],
    ]
)
_CM.setflags(write=False)


#: The tolerance of precision, recall and F1: three decimals pass.
_DECIMALS = 6e-4


def _scores_of_9(cm: np.ndarray) -> tuple[float, float, float]:
    tp = float(cm[9, 9])
    precision, recall = tp / cm[:, 9].sum(), tp / cm[9, :].sum()
    return precision, recall, 2 * precision * recall / (precision + recall)


def _counts(cm: object) -> np.ndarray:
    """``cm`` as a 10 x 10 table of counts, or :class:`Wrong`."""
    given = "`cm` should be the base model's confusion matrix, `confusion_matrix(y_test, pred_base)`"
    if cm is Ellipsis or cm is None or isinstance(cm, (str, bytes)):
        raise Wrong(f"{given}; run the cell that defines it.")
    try:
        counts = np.asarray(cm, dtype=float)
    except Exception:
        raise Wrong(f"{given}, got a {type(cm).__name__}.") from None
    if counts.shape != (10, 10) or not np.isfinite(counts).all() or (counts < 0).any():
        raise Wrong(f"{given}: a 10 × 10 table of counts.")
    if (counts != np.round(counts)).any():
        raise Wrong(f"{given}: a table of counts (whole numbers), not of rates.")
    if counts[9, 9] == 0 or counts[:, 9].sum() == 0:
        raise Wrong(f"{given}; in yours, no image is predicted as 9.")
    return counts


def _moved(counts: np.ndarray, truth: np.ndarray) -> float:
    """How many images sit in another cell of ``counts`` than of ``truth`` (at least)."""
    return float(np.abs(counts - truth).sum() / 2)


def _check_true_cm(counts: np.ndarray) -> None:
    """Raise :class:`Wrong` unless ``counts`` is the chapter's base model's confusion matrix."""
    given = "`cm` should be the base model's confusion matrix, `confusion_matrix(y_test, pred_base)`"
    digits = _CM.sum(axis=1)  # the test images of each digit (a guard ties them to `y_test`)
    if not np.array_equal(counts.sum(axis=1), digits):
        if np.array_equal(counts.sum(axis=0), digits):
            raise Wrong(
                f"{given}: yours is transposed. Its rows must be the true digits, so `y_test` comes first."
            )
        raise Wrong(
            f"{given}: each of its rows counts the test images of one digit, and the rows of yours do "
            "not add up to those counts. Run the answer cell as given."
        )
    tolerance = _MOVED_SHARE * digits.sum()
    truth = judging_truth(_CM, _base_cm, lambda cm: _moved(counts, cm) / tolerance)
    if _moved(counts, truth) > tolerance:
        raise Wrong(
            f"{given}: yours is not the confusion matrix of the chapter's base model. Run the chapter's "
            "cells from the top, then the answer cell as given."
        )


def _check_pr_by_hand(cm: object, precision_9: object, recall_9: object, f1_9: object) -> str:
    counts = _counts(cm)
    answers = {
        name: as_fraction(value, name)
        for name, value in (("precision_9", precision_9), ("recall_9", recall_9), ("f1_9", f1_9))
    }
    _check_true_cm(counts)
    p, r, f = _scores_of_9(counts)
    precision, recall, f1 = answers["precision_9"], answers["recall_9"], answers["f1_9"]
    if close((precision, recall), (r, p), atol=_DECIMALS) and not close(p, r, atol=_DECIMALS):
        raise Wrong(
            "precision and recall are swapped: precision divides by the *column* of 9 (everything "
            "predicted as 9), recall by its *row* (every true 9)."
        )
    accuracy = float(np.trace(counts) / counts.sum())
    for name, value, truth in (("precision_9", precision, p), ("recall_9", recall, r)):
        if close(value, accuracy, atol=_DECIMALS) and not close(value, truth, atol=_DECIMALS):
            raise Wrong(f"`{name}` is the accuracy over all digits; compute it for digit 9 only.")
    if not close(precision, p, atol=_DECIMALS):
        raise Wrong(
            "`precision_9` is not right: of everything predicted as 9 (a column of `cm`), which share is truly 9?"
        )
    if not close(recall, r, atol=_DECIMALS):
        raise Wrong(
            "`recall_9` is not right: of every true 9 (a row of `cm`), which share is predicted as 9?"
        )
    mean = (p + r) / 2
    if close(f1, mean, atol=_DECIMALS) and not close(f, mean, atol=_DECIMALS):
        raise Wrong("F1 is the *harmonic* mean of precision and recall, 2PR / (P + R), not their average.")
    if not close(f1, f, atol=_DECIMALS):
        raise Wrong("`f1_9` is not right: F1 = 2 · precision · recall / (precision + recall).")
    return "they match the line for 9 in `classification_report`."


def _perfect_cm() -> np.ndarray:
    """A made-up confusion matrix with the right rows: every test image right (for the tests)."""
    return np.diag(_CM.sum(axis=1))


def _shuffled_cm() -> np.ndarray:
    """A made-up confusion matrix with the right rows but the mistakes of another model."""
    cm = _CM.copy()
    cm[9, 9] -= 250
    cm[9, 4] += 250  # 250 more nines taken for fours
    cm[4, 4] -= 200
    cm[4, 9] += 200  # 200 more fours taken for nines
    return cm


pr_by_hand = Exercise(
    "pr_by_hand",
    answers=["cm", "precision_9", "recall_9", "f1_9"],
    checker=_check_pr_by_hand,
    hints=[
        "`cm[i, j]` counts true class $i$ predicted as $j$. The true positives of 9 are `cm[9, 9]`.",
        "Precision divides `cm[9, 9]` by the sum of *column* 9, `cm[:, 9].sum()`; recall by the sum of "
        "*row* 9, `cm[9, :].sum()`. F1 is their harmonic mean, $2PR / (P + R)$.",
    ],
    reference=(_CM, *_scores_of_9(_CM)),
    mistakes=[
        (_CM, _scores_of_9(_CM)[1], _scores_of_9(_CM)[0], _scores_of_9(_CM)[2]),
        (_CM, *_scores_of_9(_CM)[:2], float(np.trace(_CM) / _CM.sum())),  # the accuracy as F1
        (_CM, *(100 * v for v in _scores_of_9(_CM))),
        (_CM, float(np.trace(_CM) / _CM.sum()), _scores_of_9(_CM)[1], _scores_of_9(_CM)[2]),
        (_CM[:5, :5], *_scores_of_9(_CM)),
        (_CM.T, *_scores_of_9(_CM.T)),  # confusion_matrix(pred_base, y_test)
        (_CM / _CM.sum(axis=1, keepdims=True), *_scores_of_9(_CM)),  # normalised rows
        # made up, each consistent with its own scores: they passed when only consistency was checked
        (np.eye(10), 1.0, 1.0, 1.0),
        (_perfect_cm(), 1.0, 1.0, 1.0),
        (_shuffled_cm(), *_scores_of_9(_shuffled_cm())),
    ],
)


# --- 2. How fast does a leak inflate? ---------------------------------------------------


#: How far each answer of ``leak_size`` may be from the recomputed one: two images of 500, 25 of
#: 5,000. The same recipe with one thread instead of two moved these accuracies by 0.0008.
_LEAK_TOL = 0.005

#: The experiment as measured with the chapter's recipe on 2 CPU cores: the inflation with 5,000
#: leaked images (152 images in 5,000), the accuracy on the 500 leaked images and on the
#: untouched half after five epochs on them.
_LEAK_REF = _Leak(152 / 5000, 500 / 500, 4790 / 5000)
_LEAK_LARGER = _LEAK_REF.few_leaked_acc - _LEAK_REF.few_clean_acc > _LEAK_REF.gap_5000


def _check_leak_size(
    gap_5000: object, few_leaked_acc: object, few_clean_acc: object, inflation_larger: object
) -> str:
    gap = as_number(gap_5000, "gap_5000")
    if not -1.0 < gap < 1.0:
        raise Wrong("`gap_5000` should be the chapter's gap as a fraction: `gaps['leak'].estimate`.")
    leaked = as_fraction(few_leaked_acc, "few_leaked_acc")
    clean = as_fraction(few_clean_acc, "few_clean_acc")
    if clean > leaked:
        raise Wrong(
            "the model scores higher on the untouched half than on the 500 images it was trained on: "
            "are the two accuracies swapped?"
        )
    if leaked < 0.95:
        raise Wrong(
            "five epochs on 500 images should fit them almost perfectly, but your `few_leaked_acc` is below "
            "95 %. Evaluate the model `continue_training` returns on `x_leak[:500]`, `y_leak[:500]`."
        )
    if clean < 0.8:
        raise Wrong(
            "`few_clean_acc` is far below the base model's accuracy: evaluate on the untouched half, "
            "`x_clean`, `y_clean` (or read `few_curve['untouched half'][-1]`)."
        )
    larger = as_bool(inflation_larger, "inflation_larger")
    if larger != (leaked - clean > gap):
        measured = "larger" if leaked - clean > gap else "not larger"
        raise Wrong(
            f"by your own numbers the inflation with 500 leaked images, `few_leaked_acc - few_clean_acc`, "
            f"is {measured} than `gap_5000`."
        )

    def distance(truth: _Leak) -> float:
        return max(abs(a - t) for a, t in zip((gap, leaked, clean), truth, strict=True)) / _LEAK_TOL

    def agrees(truth: _Leak) -> bool:
        return larger == (truth.few_leaked_acc - truth.few_clean_acc > truth.gap_5000)

    truth = judging_truth(_LEAK_REF, _leak, distance, agrees)
    if not close(gap, truth.gap_5000, atol=_LEAK_TOL):
        raise Wrong(
            "`gap_5000` is not the inflation the chapter measured with 5,000 leaked images: run the "
            "chapter's cells from the top, then the answer cell as given (`gaps['leak'].estimate`)."
        )
    if not close(leaked, truth.few_leaked_acc, atol=_LEAK_TOL):
        raise Wrong(
            "`few_leaked_acc` is not the accuracy on the 500 leaked images of the base model trained five "
            "more epochs on them: `continue_training(x_leak[:500], y_leak[:500])`, then evaluate its model "
            "on `x_leak[:500]`."
        )
    if not close(clean, truth.few_clean_acc, atol=_LEAK_TOL):
        raise Wrong(
            "`few_clean_acc` is not the accuracy on the untouched half of the base model trained five more "
            "epochs on the first 500 leaked images: read `few_curve['untouched half'][-1]`, the model's "
            "accuracy on `x_clean` after the fifth epoch."
        )
    if not agrees(truth):  # only where answers from another machine straddle the measurement
        raise Wrong(
            "in the chapter's experiment the two inflations compare the other way; recompute both with "
            "the chapter's recipe."
        )
    if larger:
        return (
            "a small leaked set is memorised just as completely, and here the reported number was inflated "
            "even more than with 5,000 leaked images: small target test sets, common in transfer learning, "
            "are easy to memorise."
        )
    return (
        "a small leaked set is memorised just as completely; here the inflation was not larger than with "
        "5,000 leaked images. Either way the reported number is inflated."
    )


leak_size = Exercise(
    "leak_size",
    answers=["gap_5000", "few_leaked_acc", "few_clean_acc", "inflation_larger"],
    checker=_check_leak_size,
    hints=[
        "`continue_training(x_leak[:500], y_leak[:500])` repeats the experiment: it returns the model and "
        "its curve, whose last `'untouched half'` value is the accuracy on the untouched half.",
        "`accuracy_score(y_leak[:500], evaluation.predict_labels(model, x_leak[:500]))` is the accuracy on the "
        "leaked images. The inflation is the difference of the two; compare it with `gap_5000`.",
    ],
    reference=(_LEAK_REF.gap_5000, _LEAK_REF.few_leaked_acc, _LEAK_REF.few_clean_acc, _LEAK_LARGER),
    mistakes=[
        (_LEAK_REF.gap_5000, _LEAK_REF.few_leaked_acc, _LEAK_REF.few_clean_acc, not _LEAK_LARGER),
        (_LEAK_REF.gap_5000, _LEAK_REF.few_clean_acc, _LEAK_REF.few_leaked_acc, _LEAK_LARGER),
        (_LEAK_REF.gap_5000, 100 * _LEAK_REF.few_leaked_acc, 100 * _LEAK_REF.few_clean_acc, _LEAK_LARGER),
        (_LEAK_REF.gap_5000, _LEAK_REF.few_leaked_acc, _LEAK_REF.few_clean_acc, "larger"),
        (_LEAK_REF.gap_5000, 0.985, 0.975, True),
        # made up, each consistent with its own numbers: they passed when only consistency was checked
        (_LEAK_REF.gap_5000, 1.0, 0.9, True),
        (0.06, 0.99, 0.96, False),
        (_LEAK_REF.gap_5000, _LEAK_REF.few_leaked_acc, _LEAK_REF.few_clean_acc - 0.03, True),
    ],
    points=2,
)


# --- 3. When does half a point matter? --------------------------------------------------

#: The exercise's two splits of the disagreements (favouring A, favouring B); a guard in the
#: chapter asserts that its worked solution computes the p-values of these splits.
_SPLITS = {"a": (125, 75), "b": (525, 475)}
_ALPHA = 0.05  # the usual significance level
_P_RTOL = 0.02  # p-values within 2 %: four significant digits pass


def _exact(a: int, b: int, alternative: str = "two-sided") -> float:
    return float(binomtest(a, a + b, 0.5, alternative=alternative).pvalue)


def _believed(p_values: Mapping[str, float]) -> str:
    """The differences to believe, "a", "b", "both" or "neither": those with p below the level."""
    significant = [case for case in sorted(p_values) if p_values[case] < _ALPHA]
    if len(significant) == len(p_values):
        return "both"
    return significant[0] if significant else "neither"


def _check_half_point(p_a: object, p_b: object, believe: object) -> str:
    answers = {"a": as_number(p_a, "p_a"), "b": as_number(p_b, "p_b")}
    for case, p in answers.items():
        if not 0.0 <= p <= 1.0:
            raise Wrong(f"`p_{case}` is a probability, between 0 and 1.")
    expected = {case: _exact(*split) for case, split in _SPLITS.items()}
    if close((answers["a"], answers["b"]), (expected["b"], expected["a"]), rtol=_P_RTOL):
        raise Wrong("`p_a` and `p_b` are swapped: (a) is the {} vs {} split.".format(*_SPLITS["a"]))
    for case, (a, b) in _SPLITS.items():
        name = f"`p_{case}`"
        one_sided = f"{name} is a one-sided p-value; McNemar's question is two-sided: is either model better?"
        Number(
            expected[case],
            rtol=_P_RTOL,
            mistakes=[
                (_exact(a, b, "greater"), one_sided),
                (_exact(b, a, "less"), one_sided),
                (
                    float(chi2.sf((a - b) ** 2 / (a + b), 1)),
                    f"{name} comes from the chi-squared approximation; use the exact test, `binomtest`.",
                ),
                (
                    lambda p: p < 1e-6,
                    f"{name} is (almost) zero. The number of trials is the number of disagreements, a + b, "
                    "not the 10,000 test images; and keep enough digits.",
                ),
            ],
            otherwise=f"{name} is not McNemar's exact p-value: `binomtest(k, n, 0.5).pvalue`, two-sided.",
        ).judge(answers[case])
    choice = as_choice(believe, "believe", ("a", "b", "both", "neither"))
    if choice != _believed(expected):
        raise Wrong(
            f"compare each p-value with the usual {_ALPHA} threshold: which split would be unlikely if the "
            "two models were equally good?"
        )
    return (
        "the same 0.5 points is convincing when the models rarely disagree and noise when they often "
        "do: what matters is how the disagreements split."
    )


half_point = Exercise(
    "half_point",
    answers=["p_a", "p_b", "believe"],
    checker=_check_half_point,
    hints=[
        "Under the hypothesis that both models are equally good, each disagreement favours A with "
        "probability 1/2: the count favouring A is binomial with $n$ = the number of disagreements.",
        "`binomtest(125, 200, 0.5).pvalue` is case (a) (two-sided by default). Believe the difference "
        "whose p-value is below 0.05.",
    ],
    reference=(
        _exact(*_SPLITS["a"]),
        _exact(*_SPLITS["b"]),
        _believed({c: _exact(*_SPLITS[c]) for c in "ab"}),
    ),
    mistakes=[
        (_exact(125, 75, "greater"), _exact(525, 475, "greater"), "a"),
        (_exact(525, 475), _exact(125, 75), "a"),
        (_exact(125, 75), _exact(525, 475), "b"),
        (_exact(125, 75), _exact(525, 475), "both"),
        (float(binomtest(125, 10000, 0.5).pvalue), _exact(525, 475), "a"),
        (_exact(125, 75), _exact(525, 475), 1),
    ],
)


# --- 4. Many comparisons, corrected ------------------------------------------------------

#: The book's five p-values (variant 0); a guard in the chapter ties them to the exercise. They
#: tell apart every typical reading: Bonferroni keeps 1, Holm 2, Holm without its stop 4, and an
#: uncorrected reading 5.
_P_VALUES = (0.004, 0.011, 0.019, 0.024, 0.04)


def _holm_counts(p: tuple[float, ...]) -> dict[str, int]:
    """How many of ``p`` each reading keeps at the 5 % level: Holm's and its typical mistakes."""
    ordered = sorted(p)
    m = len(ordered)
    passes = [q <= _ALPHA / (m - k) for k, q in enumerate(ordered)]  # the k-th smallest against α/(m-k)
    return {
        "holm": passes.index(False) if False in passes else m,  # step down; stop at the first failure
        "bonferroni": sum(q <= _ALPHA / m for q in ordered),
        "unstopped": sum(passes),  # each against its threshold, without stopping
        "uncorrected": sum(q < _ALPHA for q in ordered),
    }


def _holm_variant(n: int) -> dict[str, object]:
    """Variant ``n``: five other p-values, on which the four readings all give different counts."""
    if n == 0:
        return {"p": _P_VALUES}
    rng = np.random.default_rng([54, n])
    book = _holm_counts(_P_VALUES)
    while True:
        p = tuple(sorted(float(q) for q in rng.integers(1, 60, 5) / 1000))  # 0.001 to 0.059
        counts = _holm_counts(p)
        distinct = len(set(counts.values())) == 4
        # no p-value on a threshold (a rounding away from another answer), and not the book's answer
        on_line = any(abs(q - _ALPHA / k) < 5e-4 for q in p for k in range(1, 6))
        if (
            distinct
            and not on_line
            and (counts["holm"], counts["uncorrected"]) != (book["holm"], book["uncorrected"])
        ):
            return {"p": p}


def _check_holm(holm_survivors: object, uncorrected_survivors: object, *, p: tuple = _P_VALUES) -> str:
    m = len(p)
    kept = as_int(holm_survivors, "holm_survivors")
    plain = as_int(uncorrected_survivors, "uncorrected_survivors")
    for name, value in (("holm_survivors", kept), ("uncorrected_survivors", plain)):
        if not 0 <= value <= m:
            raise Wrong(f"`{name}` counts differences among the {m} comparisons: between 0 and {m}.")
    counts = _holm_counts(p)
    if plain != counts["uncorrected"]:
        raise Wrong(
            "`uncorrected_survivors` is not the uncorrected count: how many of the p-values are below 0.05?"
        )
    Number(
        counts["holm"],
        mistakes=[
            (
                counts["bonferroni"],
                "that is Bonferroni's count: every p-value against 0.05 / m. Holm is less strict after "
                "the first step: the smallest against 0.05 / m, the next against 0.05 / (m − 1), and so on.",
            ),
            (
                counts["unstopped"],
                "Holm stops at the first p-value that fails its threshold: the larger ones after it are not "
                "tested, even where one would pass its own threshold.",
            ),
            (
                counts["uncorrected"],
                "that is the uncorrected count again; Holm's thresholds are stricter than 0.05.",
            ),
            (lambda k: k > counts["uncorrected"], "a correction can only remove differences, never add one."),
        ],
        otherwise="not Holm's count. Sort the p-values, compare the k-th smallest with 0.05 / (m − k + 1), "
        "and stop at the first that fails.",
    ).judge(kept)
    chance = 1 - (1 - _ALPHA) ** m
    return (
        f"{counts['uncorrected'] - counts['holm']} of the {counts['uncorrected']} uncorrected differences "
        f"do not survive. Had none of the {m} differences been real, at least one p-value would fall "
        f"below 0.05 by chance {100 * chance:.0f} % of the time."
    )


holm = Exercise(
    "holm",
    answers=["holm_survivors", "uncorrected_survivors"],
    checker=_check_holm,
    hints=[
        "Sort the p-values `p` (in the book, 0.004, 0.011, 0.019, 0.024, 0.04). Holm compares the "
        "smallest with 0.05 / 5, the second with 0.05 / 4, and so on.",
        "Count the p-values that pass, from the smallest, until the first one that fails its threshold; "
        "stop there (in the book: 0.004 <= 0.01 and 0.011 <= 0.0125 pass, 0.019 > 0.0167 does not).",
    ],
    reference=(2, 5),
    mistakes=[(1, 5), (4, 5), (5, 5), (2, 4), (6, 5), ("two", 5), (2.5, 5)],
    variants=_holm_variant,
)


# --- 5. Weighting the rare class --------------------------------------------------------

_KEYS = ("accuracy", "recall_9")


#: How far each score of ``class_weights`` may be from the recomputed one: about 20 of the 3,892
#: test images for the accuracy, two of the 40 nines for the recall (the same recipe on another
#: machine may classify a few images differently; with one thread instead of two it did not).
_ACCURACY_TOL, _RECALL_TOL = 0.005, 0.05
_TOLERANCE = {"accuracy": _ACCURACY_TOL, "recall_9": _RECALL_TOL}


#: The scores as measured with the chapter's recipe on 2 CPU cores (3,729 of the 3,892 test
#: images right with and without weights; 14 and 27 of the 40 nines).
_UNWEIGHTED = {"accuracy": 3729 / 3892, "recall_9": 14 / 40}
_WEIGHTED = {"accuracy": 3729 / 3892, "recall_9": 27 / 40}


def _larger_change(before: Mapping[str, float], after: Mapping[str, float]) -> str:
    """Which score moved more between the two models, "accuracy" or "recall_9"."""
    return max(_KEYS, key=lambda key: abs(after[key] - before[key]))


_LARGER = _larger_change(_UNWEIGHTED, _WEIGHTED)


def _close_scores(scores: Mapping[str, float], truth: Mapping[str, float]) -> bool:
    """Whether each score is within its tolerance of the truth's (a chapter's guard uses it too)."""
    return all(close(scores[key], truth[key], atol=_TOLERANCE[key]) for key in _KEYS)


def _check_class_weights(unweighted: object, weighted: object, larger_change: object) -> str:
    before = as_mapping(unweighted, "unweighted_scores", _KEYS, convert=as_fraction)
    after = as_mapping(weighted, "weighted_scores", _KEYS, convert=as_fraction)
    choice = as_choice(larger_change, "larger_change", _KEYS)
    if before == after:
        raise Wrong(
            "`weighted_scores` equals `unweighted_scores`: evaluate the model trained *with* `class_weight`."
        )
    if choice != _larger_change(before, after):
        raise Wrong("by your own numbers, the other one moved more: compare the two changes, in points.")

    def distance(truth: tuple[dict[str, float], dict[str, float]]) -> float:
        return max(
            abs(scores[key] - measured[key]) / _TOLERANCE[key]
            for scores, measured in zip((before, after), truth, strict=True)
            for key in _KEYS
        )

    def agrees(truth: tuple[dict[str, float], dict[str, float]]) -> bool:
        return choice == _larger_change(*truth)

    true_before, true_after = judging_truth((_UNWEIGHTED, _WEIGHTED), _imbalance, distance, agrees)
    if not _close_scores(before, true_before):
        raise Wrong(
            "`unweighted_scores` are not those of the chapter's imbalanced model: run the chapter's cells "
            "from the top, then the answer cell as given."
        )
    if not _close_scores(after, true_after):
        if after["recall_9"] <= before["recall_9"]:
            raise Wrong(
                "weighting the nines should raise their recall. Train a fresh "
                "`compiled_mlp(hidden_units=(64,), n_classes=5)` with `class_weight=dict(enumerate(weights))` "
                "in `fit`, and compute the recall on the test nines only (`is_nine`)."
            )
        if abs(after["accuracy"] - before["accuracy"]) > 0.05:
            raise Wrong(
                "the accuracy moved by more than 5 points. Did you evaluate both models on the same "
                "imbalanced test set, `x_imb_test`, `y_imb_test`?"
            )
        raise Wrong(
            "`weighted_scores` are not those of the model trained with balanced class weights: a fresh "
            "`compiled_mlp(hidden_units=(64,), n_classes=5)` fitted as `imb_model` was (10 epochs, batches "
            "of 64) with `class_weight=dict(enumerate(weights))`, evaluated on `x_imb_test`."
        )
    if not agrees((true_before, true_after)):  # only where answers from another machine straddle it
        raise Wrong("in the chapter's experiment the other one moved more; recompute both with its recipe.")
    return (
        "you gained recall on the rare class and paid little accuracy (look at the precision of 9 too: "
        "what did the extra nines cost?). With 40 nines, compare the intervals before claiming the gain."
    )


class_weights = Exercise(
    "class_weights",
    answers=["unweighted_scores", "weighted_scores", "larger_change"],
    checker=_check_class_weights,
    hints=[
        '`compute_class_weight("balanced", classes=np.arange(5), y=y_imb)` gives one weight per class; '
        "pass `class_weight=dict(enumerate(weights))` to the `fit` of a fresh `compiled_mlp(hidden_units=(64,), "
        "n_classes=5)` trained as `imb_model` was.",
        "Accuracy is `accuracy_score(y_imb_test, pred_w)`; the recall of 9 is the accuracy on the nines only, "
        "`np.mean(pred_w[is_nine] == 4)`. Compare each with `unweighted_scores`.",
    ],
    reference=(_UNWEIGHTED, _WEIGHTED, _LARGER),
    mistakes=[
        (_UNWEIGHTED, _WEIGHTED, next(key for key in _KEYS if key != _LARGER)),
        (_UNWEIGHTED, _UNWEIGHTED, _LARGER),
        (_UNWEIGHTED, {key: 100 * value for key, value in _WEIGHTED.items()}, _LARGER),
        (_UNWEIGHTED, {"accuracy": 0.96, "recall_9": 0.30}, "accuracy"),
        (_UNWEIGHTED, [_WEIGHTED["accuracy"], _WEIGHTED["recall_9"]], _LARGER),
        # made up, each consistent with its own numbers: they passed when only consistency was checked
        (_UNWEIGHTED, {"accuracy": 0.955, "recall_9": 0.9}, "recall_9"),
        ({"accuracy": 0.9, "recall_9": 0.1}, _WEIGHTED, "recall_9"),
    ],
    points=2,
)

EXERCISES = (pr_by_hand, leak_size, half_point, holm, class_weights)

"""Evaluation plumbing: confidence intervals, a paired test, confusion summaries.

The statistics come from SciPy and scikit-learn; this module only checks the
arguments, feeds the libraries the right arrays and returns small named results:

- :func:`accuracy_ci` and :func:`accuracy_difference_ci` wrap
  :func:`scipy.stats.bootstrap` around the per-example "was it right?" vector;
- :func:`binomial_accuracy_ci` is the Wilson score (or Clopper-Pearson exact)
  interval of :meth:`scipy.stats.binomtest`'s ``proportion_ci``: the one to use on
  small test sets and for accuracies near 0 or 1, where the bootstrap fails;
- :func:`mcnemar_test` is McNemar's exact test, a :func:`scipy.stats.binomtest`
  on the examples where two models disagree;
- :func:`paired_difference_ci` is the Student-t interval of the mean of paired
  differences (:func:`scipy.stats.ttest_rel`'s ``confidence_interval``): two
  strategies run on the same draws (seeds), compared draw by draw;
  :func:`paired_differences` applies it to the strategies of a label-budget sweep;
- :func:`most_confused_pairs` reads the largest off-diagonal cells of
  :func:`sklearn.metrics.confusion_matrix`;
- :func:`predict_labels` gives a classifier's predicted class for each example (the
  argmax of its output, computed batch by batch), what every other function here takes;
- :func:`calibration` bins a classifier's confidence (its top probability) and compares it
  with its accuracy in each bin (:func:`sklearn.calibration.calibration_curve` on the
  "was it right?" vector), with the expected calibration error; :func:`fit_temperature`
  fits temperature scaling by minimising the negative log-likelihood
  (:func:`scipy.optimize.minimize_scalar`), and :func:`scale_temperature` applies it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
from scipy import optimize, special, stats
from sklearn.calibration import calibration_curve
from sklearn.metrics import confusion_matrix

from helpers._validation import check_choice, check_fraction, check_int, check_labels, check_seed

if TYPE_CHECKING:  # only for the annotations: importing helpers.transfer would load Keras
    from helpers.transfer import SweepResult

_METHODS = ("percentile", "basic", "BCa")
#: Binomial interval methods, and SciPy's name for each.
_BINOMIAL_METHODS = {"wilson": "wilson", "clopper-pearson": "exact"}


class Interval(NamedTuple):
    """A point estimate with a confidence interval ``[low, high]`` at ``level``."""

    estimate: float
    low: float
    high: float
    level: float


class McNemarResult(NamedTuple):
    """McNemar's exact test of two classifiers on the same examples.

    ``only_a`` counts examples model A gets right and model B gets wrong,
    ``only_b`` the reverse; examples both get right (or both wrong) carry no
    information about which model is better and are ignored.
    """

    only_a: int
    only_b: int
    pvalue: float


class ConfusedPair(NamedTuple):
    """How often examples of class ``true`` were predicted as ``predicted``."""

    true: int
    predicted: int
    count: int


class Calibration(NamedTuple):
    """How far a classifier's confidence is from its accuracy, bin by bin.

    ``confidence[i]`` is the mean top probability of the examples in bin ``i``,
    ``accuracy[i]`` the fraction of them classified right and ``count[i]`` how many there
    are (empty bins are left out). ``ece`` is the expected calibration error: the gap
    ``|accuracy - confidence|`` averaged over the bins, weighted by their counts.
    """

    confidence: np.ndarray
    accuracy: np.ndarray
    count: np.ndarray
    ece: float


def _pair(y_true: object, y_pred: object, pred_name: str = "y_pred") -> tuple[np.ndarray, np.ndarray]:
    y_true = check_labels(y_true, "y_true")
    y_pred = check_labels(y_pred, pred_name, n_samples=y_true.shape[0])
    return y_true, y_pred


def _bootstrap(
    samples: tuple[np.ndarray, ...],
    statistic,
    *,
    paired: bool,
    level: float,
    n_resamples: int,
    seed: int,
    method: str,
) -> tuple[float, float]:
    if all(np.ptp(s) == 0 for s in samples):
        # Every resample gives the same value; SciPy would warn and return NaN for BCa.
        value = float(statistic(*samples, axis=-1))
        return value, value
    result = stats.bootstrap(
        samples,
        statistic,
        paired=paired,
        vectorized=True,
        n_resamples=n_resamples,
        confidence_level=level,
        method=method,
        rng=np.random.default_rng(seed),
        batch=200,
    )
    return float(result.confidence_interval.low), float(result.confidence_interval.high)


def _check_bootstrap_args(level: object, n_resamples: object, seed: object, method: object) -> tuple:
    return (
        check_fraction(level, "level"),
        check_int(n_resamples, "n_resamples", minimum=100),
        check_seed(seed),
        check_choice(method, "method", _METHODS),
    )


def _mean(x: np.ndarray, axis: int = -1) -> np.ndarray:
    return np.mean(x, axis=axis)


def predict_labels(model: object, x: object, *, batch_size: int = 1024) -> np.ndarray:
    """The class a classifier assigns to each example: the argmax of its output.

    Parameters
    ----------
    model : keras.Model
        A classifier whose output has one score (or probability) per class.
    x : ndarray
        Inputs, samples first, prepared as the model expects.
    batch_size : int, default 1024
        Examples per call of the model (in inference mode).

    Returns
    -------
    ndarray of int64, shape (n,)
        The predicted class index of each example.
    """
    from helpers.transfer import extract_features  # imports Keras, which this module otherwise avoids

    scores = extract_features(model, x, batch_size=batch_size)
    if scores.shape[1] < 2:
        raise ValueError(
            f"model has {scores.shape[1]} output per example; predict_labels needs one score per class "
            "(at least 2). For a single sigmoid output, threshold it instead."
        )
    return scores.argmax(axis=1).astype(np.int64)


def accuracy_ci(
    y_true: object,
    y_pred: object,
    *,
    level: float = 0.95,
    n_resamples: int = 2000,
    seed: int,
    method: str = "percentile",
) -> Interval:
    """Accuracy with a bootstrap confidence interval.

    The test examples are resampled with replacement ``n_resamples`` times and
    the accuracy recomputed on each resample; the interval is read from the
    spread of those accuracies (:func:`scipy.stats.bootstrap`).

    Parameters
    ----------
    y_true, y_pred : array-like of int, shape (n,)
        True and predicted class indices.
    level : float, default 0.95
        Confidence level, strictly between 0 and 1.
    n_resamples : int, default 2000
        Bootstrap resamples, at least 100.
    seed : int
        Seed of the resampling; the same seed gives the same interval.
    method : {"percentile", "basic", "BCa"}, default "percentile"
        SciPy's interval method. ``"BCa"`` is more accurate for skewed
        statistics but needs a jackknife over all ``n`` examples (slow for
        large test sets).

    Returns
    -------
    Interval
        ``estimate`` is the accuracy on all examples, ``low`` and ``high`` the
        interval's ends, all as fractions in [0, 1].

    See Also
    --------
    binomial_accuracy_ci : the Wilson or Clopper-Pearson interval.

    Notes
    -----
    The bootstrap sees only the variation present in the sample. When every
    example is right (or every one wrong), every resample has the same accuracy
    and the interval collapses to the point ``[estimate, estimate]``, which
    claims a certainty that a small test set cannot give; on small test sets
    and near 0 or 1 its intervals are too narrow in general. Use
    :func:`binomial_accuracy_ci` there.
    """
    y_true, y_pred = _pair(y_true, y_pred)
    level, n_resamples, seed, method = _check_bootstrap_args(level, n_resamples, seed, method)
    correct = (y_true == y_pred).astype(np.float64)
    low, high = _bootstrap(
        (correct,), _mean, paired=False, level=level, n_resamples=n_resamples, seed=seed, method=method
    )
    return Interval(float(correct.mean()), low, high, level)


def binomial_accuracy_ci(
    y_true: object,
    y_pred: object,
    *,
    level: float = 0.95,
    method: str = "wilson",
) -> Interval:
    """Accuracy with a binomial confidence interval (Wilson score or Clopper-Pearson).

    The number of correct answers among ``n`` independent test examples is
    binomial, with the model's true accuracy as its success probability. The
    interval holds the accuracies that this count is compatible with, at
    ``level``, computed by :meth:`scipy.stats.binomtest`'s ``proportion_ci``.
    Unlike the bootstrap (:func:`accuracy_ci`), it does not collapse to a point
    for a perfect (or a zero) score: with 10 of 10 right, the 95 % Wilson
    interval is about [0.72, 1].

    Parameters
    ----------
    y_true, y_pred : array-like of int, shape (n,)
        True and predicted class indices.
    level : float, default 0.95
        Confidence level, strictly between 0 and 1.
    method : {"wilson", "clopper-pearson"}, default "wilson"
        ``"wilson"``: the Wilson score interval, whose coverage stays close to
        ``level`` even for small ``n`` and accuracies near 0 or 1.
        ``"clopper-pearson"``: the "exact" interval, whose coverage is at least
        ``level`` for every ``n`` and accuracy; it is wider (conservative).

    Returns
    -------
    Interval
        ``estimate`` is the accuracy (correct / n), ``low`` and ``high`` the
        interval's ends, all as fractions in [0, 1].

    See Also
    --------
    accuracy_ci : the bootstrap interval.

    References
    ----------
    E. B. Wilson (1927), "Probable inference, the law of succession, and statistical
    inference", JASA 22, 209-212. C. J. Clopper and E. S. Pearson (1934), "The use of
    confidence or fiducial limits illustrated in the case of the binomial", Biometrika 26,
    404-413. L. D. Brown, T. T. Cai and A. DasGupta (2001), "Interval estimation for a
    binomial proportion", Statistical Science 16, 101-133 (the comparison of coverage).
    """
    y_true, y_pred = _pair(y_true, y_pred)
    level = check_fraction(level, "level")
    method = check_choice(method, "method", tuple(_BINOMIAL_METHODS))
    n = int(y_true.shape[0])
    correct = int(np.sum(y_true == y_pred))
    interval = stats.binomtest(correct, n).proportion_ci(
        confidence_level=level, method=_BINOMIAL_METHODS[method]
    )
    return Interval(correct / n, float(interval.low), float(interval.high), level)


def _difference(a: np.ndarray, b: np.ndarray, axis: int = -1) -> np.ndarray:
    return np.mean(a, axis=axis) - np.mean(b, axis=axis)


def accuracy_difference_ci(
    y_true_a: object,
    y_pred_a: object,
    y_true_b: object,
    y_pred_b: object,
    *,
    paired: bool,
    level: float = 0.95,
    n_resamples: int = 2000,
    seed: int,
    method: str = "percentile",
) -> Interval:
    """Difference of two accuracies, ``acc_a - acc_b``, with a bootstrap interval.

    Parameters
    ----------
    y_true_a, y_pred_a : array-like of int
        Labels and predictions of the first evaluation.
    y_true_b, y_pred_b : array-like of int
        Labels and predictions of the second evaluation.
    paired : bool
        ``True`` when both evaluations are on the *same* examples (two models,
        one test set): examples are resampled together, which removes the
        variation the two share. ``False`` for two independent sets of examples
        (one model on two halves of a test set); each is resampled on its own.
    level, n_resamples, seed, method
        As in :func:`accuracy_ci`.

    Returns
    -------
    Interval
        The difference in accuracy (a fraction, negative when b is better) and
        its interval.
    """
    if not isinstance(paired, bool):
        raise TypeError(f"paired must be True or False, got {type(paired).__name__} ({paired!r}).")
    y_true_a, y_pred_a = _pair(y_true_a, y_pred_a, "y_pred_a")
    y_true_b, y_pred_b = _pair(y_true_b, y_pred_b, "y_pred_b")
    if paired and not np.array_equal(y_true_a, y_true_b):
        raise ValueError(
            "paired=True needs both evaluations on the same examples, but y_true_a and y_true_b "
            "differ; pass paired=False for two independent test sets."
        )
    level, n_resamples, seed, method = _check_bootstrap_args(level, n_resamples, seed, method)
    correct_a = (y_true_a == y_pred_a).astype(np.float64)
    correct_b = (y_true_b == y_pred_b).astype(np.float64)
    low, high = _bootstrap(
        (correct_a, correct_b),
        _difference,
        paired=paired,
        level=level,
        n_resamples=n_resamples,
        seed=seed,
        method=method,
    )
    return Interval(float(correct_a.mean() - correct_b.mean()), low, high, level)


def mcnemar_test(y_true: object, y_pred_a: object, y_pred_b: object) -> McNemarResult:
    """McNemar's exact test: do two classifiers differ on the same test set?

    Under the null hypothesis that both models are equally accurate, each
    example on which exactly one of them is right is equally likely to favour
    either, so ``only_a`` follows a binomial distribution with
    ``n = only_a + only_b`` and ``p = 1/2``. The p-value is the two-sided
    exact binomial test of :func:`scipy.stats.binomtest`.

    Parameters
    ----------
    y_true : array-like of int, shape (n,)
        True class indices.
    y_pred_a, y_pred_b : array-like of int, shape (n,)
        Predictions of model A and model B on the same examples.

    Returns
    -------
    McNemarResult
        The two discordant counts and the p-value (1.0 when the models never
        disagree on correctness).
    """
    y_true = check_labels(y_true, "y_true")
    y_pred_a = check_labels(y_pred_a, "y_pred_a", n_samples=y_true.shape[0])
    y_pred_b = check_labels(y_pred_b, "y_pred_b", n_samples=y_true.shape[0])
    right_a, right_b = y_pred_a == y_true, y_pred_b == y_true
    only_a = int(np.sum(right_a & ~right_b))
    only_b = int(np.sum(~right_a & right_b))
    if only_a + only_b == 0:
        return McNemarResult(0, 0, 1.0)
    pvalue = stats.binomtest(only_a, only_a + only_b, 0.5, alternative="two-sided").pvalue
    return McNemarResult(only_a, only_b, float(pvalue))


def most_confused_pairs(
    y_true: object, y_pred: object, *, k: int = 5, labels: Sequence[int] | None = None
) -> list[ConfusedPair]:
    """The ``k`` most frequent mistakes, as (true class, predicted class, count).

    Parameters
    ----------
    y_true, y_pred : array-like of int, shape (n,)
        True and predicted class indices.
    k : int, default 5
        How many pairs to return, at least 1. Fewer are returned when fewer
        kinds of mistake occur.
    labels : sequence of int, optional
        The classes of the confusion matrix (default: those present in either
        array), as in :func:`sklearn.metrics.confusion_matrix`.

    Returns
    -------
    list of ConfusedPair
        Sorted by count, largest first; ties in order of (true, predicted).
    """
    y_true, y_pred = _pair(y_true, y_pred)
    k = check_int(k, "k", minimum=1)
    if labels is None:
        classes = np.union1d(y_true, y_pred)
    else:
        classes = np.asarray([check_int(c, "each label", minimum=0) for c in labels])
        if classes.size == 0 or np.unique(classes).size != classes.size:
            raise ValueError(f"labels must be non-empty and without duplicates, got {list(labels)}.")
        unknown = np.setdiff1d(np.union1d(y_true, y_pred), classes)
        if unknown.size:
            raise ValueError(f"y_true or y_pred contain class(es) {unknown.tolist()} missing from labels.")
    cm = confusion_matrix(y_true, y_pred, labels=classes)
    np.fill_diagonal(cm, 0)
    rows, cols = np.nonzero(cm)
    order = np.lexsort((cols, rows, -cm[rows, cols]))[:k]
    return [
        ConfusedPair(int(classes[rows[i]]), int(classes[cols[i]]), int(cm[rows[i], cols[i]])) for i in order
    ]


def paired_difference_ci(a: object, b: object, *, level: float = 0.95) -> Interval:
    """Mean of the paired differences ``a[i] - b[i]``, with a Student-t confidence interval.

    Use it when two methods were run on the same draws: the same sample of labels and the
    same test set for each seed, say. Comparing draw by draw removes what the two share (an
    easy or a hard sample of labels helps both), so the interval is usually much narrower
    than one built from the two spreads separately. It is the interval of a paired t-test,
    :func:`scipy.stats.ttest_rel`, and assumes the differences are roughly normal; with few
    pairs it is wide, as it should be (with 3 pairs its half-width is 2.5 standard deviations
    of the differences).

    Parameters
    ----------
    a, b : array-like of float, shape (n,)
        One result per draw (e.g. test accuracies per seed), in the same order; at least two
        pairs.
    level : float, default 0.95
        Confidence level, strictly between 0 and 1.

    Returns
    -------
    Interval
        ``estimate`` is the mean difference, ``low`` and ``high`` the interval's ends, in the
        units of ``a`` and ``b``. When every difference is the same, the interval is that
        single value.

    See Also
    --------
    accuracy_difference_ci : the bootstrap over the examples of one test set.
    """
    level = check_fraction(level, "level")
    pairs = []
    for name, values in (("a", a), ("b", b)):
        try:
            arr = np.asarray(values, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise TypeError(f"{name} must hold numbers, one per draw: {exc}") from None
        if arr.ndim != 1:
            raise ValueError(f"{name} must be 1-D (one value per draw), got shape {arr.shape}.")
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"{name} contains NaN or infinite values.")
        pairs.append(arr)
    a_arr, b_arr = pairs
    if a_arr.shape != b_arr.shape:
        raise ValueError(
            f"a and b must have one value per draw each, got {a_arr.size} and {b_arr.size} values."
        )
    if a_arr.size < 2:
        raise ValueError(f"a paired interval needs at least two draws, got {a_arr.size}; run more seeds.")
    diff = a_arr - b_arr
    mean = float(diff.mean())
    if np.ptp(diff) == 0:
        return Interval(mean, mean, mean, level)
    ci = stats.ttest_rel(a_arr, b_arr).confidence_interval(confidence_level=level)
    return Interval(mean, float(ci.low), float(ci.high), level)


class PairedDifference(NamedTuple):
    """``a - b`` at one label budget, averaged over the seeds both ran, with its interval.

    ``low`` and ``high`` are NaN when only one seed ran (no spread to estimate).
    """

    a: str
    b: str
    budget: int | str
    mean: float
    low: float
    high: float
    n: int

    def __str__(self) -> str:
        interval = (
            "(one seed: no interval)" if self.n < 2 else f"[{100 * self.low:+5.1f}, {100 * self.high:+5.1f}]"
        )
        return f"k={self.budget!s:>4}  {self.a} - {self.b}: {100 * self.mean:+5.1f} points {interval}"


def paired_differences(
    result: SweepResult,
    pairs: Sequence[tuple[str, str]],
    *,
    budgets: Sequence[int | str] | None = None,
    level: float = 0.95,
) -> list[PairedDifference]:
    """Seed-by-seed differences between strategies of a sweep, with Student-t intervals.

    In :func:`helpers.transfer.budget_sweep` every strategy of one run sees the same sample
    of labels and the same test set, so strategies are compared seed by seed
    (:func:`paired_difference_ci`), not through their separate spreads.

    Parameters
    ----------
    result : helpers.transfer.SweepResult
    pairs : sequence of (str, str)
        The ``(a, b)`` strategy pairs to compare; each row is ``a - b``.
    budgets : sequence of int or "all", optional
        Default: every budget of the sweep.
    level : float, default 0.95

    Returns
    -------
    list of PairedDifference
        One row per pair and budget, pair by pair; accuracies as fractions.
    """
    if not all(hasattr(result, name) for name in ("accuracies", "seeds", "budgets")):
        raise TypeError(f"result must be a SweepResult (from budget_sweep), got {type(result).__name__}.")
    level = check_fraction(level, "level")
    pairs = list(pairs)
    if not pairs:
        raise ValueError("pairs is empty; give at least one (a, b) pair of strategy names.")
    for pair in pairs:
        if not (isinstance(pair, tuple) and len(pair) == 2 and all(isinstance(s, str) for s in pair)):
            raise TypeError(f"each pair must be a tuple of two strategy names, got {pair!r}.")
    budgets = result.budgets if budgets is None else list(budgets)
    rows = []
    for a, b in pairs:
        for budget in budgets:
            acc_a, acc_b = result.accuracies(a, budget), result.accuracies(b, budget)
            if result.seeds(a, budget) != result.seeds(b, budget):
                raise ValueError(f"{a!r} and {b!r} ran with different seeds at budget {budget!r}.")
            mean = float(np.mean(acc_a - acc_b))
            if len(acc_a) < 2:
                rows.append(PairedDifference(a, b, budget, mean, float("nan"), float("nan"), len(acc_a)))
                continue
            interval = paired_difference_ci(acc_a, acc_b, level=level)
            rows.append(PairedDifference(a, b, budget, mean, interval.low, interval.high, len(acc_a)))
    return rows


def _probabilities(probs: object) -> np.ndarray:
    """``probs`` as an (n, k) float array of probabilities, or a clear error."""
    p = np.asarray(probs, dtype=np.float64) if isinstance(probs, np.ndarray | list | tuple) else None
    if p is None or p.ndim != 2 or p.shape[1] < 2:
        raise ValueError(
            "probs must be a 2-D array of class probabilities, one row per example and one column per "
            f"class (at least 2); got {type(probs).__name__} of shape {getattr(p, 'shape', None)}."
        )
    if not np.all(np.isfinite(p)) or p.min() < 0 or not np.allclose(p.sum(axis=1), 1.0, atol=1e-3):
        raise ValueError(
            "probs must hold probabilities: finite, non-negative, each row summing to 1 (a softmax "
            "output). For logits, apply scipy.special.softmax(logits, axis=1) first."
        )
    return p


def _labelled(probs: object, y_true: object) -> tuple[np.ndarray, np.ndarray]:
    """``probs`` checked as by :func:`_probabilities`, and ``y_true`` as one class below k per row."""
    p = _probabilities(probs)
    y = check_labels(y_true, "y_true", n_samples=p.shape[0])
    if y.max() >= p.shape[1]:
        raise ValueError(f"y_true holds class {int(y.max())} but probs has only {p.shape[1]} columns.")
    return p, y


def calibration(probs: object, y_true: object, *, n_bins: int = 15) -> Calibration:
    """Top-label calibration: confidence against accuracy in equal-width bins, and the ECE.

    Parameters
    ----------
    probs : ndarray, shape (n, k)
        Predicted class probabilities (rows sum to 1), for example ``model.predict(x)``.
    y_true : ndarray of int, shape (n,)
        The true classes.
    n_bins : int, default 15
        Equal-width bins of the confidence over [0, 1] (15 as in Guo et al., 2017).

    Returns
    -------
    Calibration
        Per non-empty bin: mean confidence, accuracy and count; and the expected
        calibration error (0 for a perfectly calibrated classifier).
    """
    p, y = _labelled(probs, y_true)
    n_bins = check_int(n_bins, "n_bins", minimum=1)
    confidence = p.max(axis=1)
    correct = (p.argmax(axis=1) == y).astype(np.float64)
    accuracy, mean_confidence = calibration_curve(correct, confidence, n_bins=n_bins, strategy="uniform")
    # calibration_curve leaves empty bins out; count the examples of the same bins.
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    bins = np.searchsorted(edges[1:-1], confidence)  # as calibration_curve bins them
    count = np.bincount(bins, minlength=n_bins)
    count = count[count > 0]
    ece = float(np.sum(count * np.abs(accuracy - mean_confidence)) / len(y))
    return Calibration(mean_confidence, accuracy, count.astype(np.int64), ece)


def scale_temperature(probs: object, temperature: float) -> np.ndarray:
    """Probabilities after temperature scaling: ``softmax(log(probs) / temperature)``.

    Dividing the logits by ``temperature`` (here the log-probabilities, which differ from the
    logits by a constant per row) softens the probabilities when it is above 1 and sharpens
    them below 1; the predicted class never changes.

    Parameters
    ----------
    probs : ndarray, shape (n, k)
        Predicted class probabilities.
    temperature : float
        A positive number.

    Returns
    -------
    ndarray, shape (n, k)
    """
    p = _probabilities(probs)
    if isinstance(temperature, bool) or not isinstance(temperature, int | float | np.floating | np.integer):
        raise TypeError(f"temperature must be a number, got {type(temperature).__name__}.")
    if not np.isfinite(temperature) or temperature <= 0:
        raise ValueError(f"temperature must be a positive number, got {temperature}.")
    return special.softmax(np.log(np.clip(p, 1e-12, None)) / float(temperature), axis=1)


def fit_temperature(probs: object, y_true: object) -> float:
    """The temperature that minimises the negative log-likelihood of ``y_true`` (Guo et al., 2017).

    Fit it on validation data, never on the test set: it is a parameter of the model.

    Parameters
    ----------
    probs : ndarray, shape (n, k)
        Predicted class probabilities on held-out (validation) examples.
    y_true : ndarray of int, shape (n,)
        Their true classes.

    Returns
    -------
    float
        The temperature, between 0.05 and 20 (the search range, in log space).
    """
    p, y = _labelled(probs, y_true)
    log_p = np.log(np.clip(p, 1e-12, None))

    def nll(log_t: float) -> float:
        return float(-np.mean(special.log_softmax(log_p / np.exp(log_t), axis=1)[np.arange(len(y)), y]))

    result = optimize.minimize_scalar(nll, bounds=(np.log(0.05), np.log(20.0)), method="bounded")
    return float(np.exp(result.x))

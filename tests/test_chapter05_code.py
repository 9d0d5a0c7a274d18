"""Chapter 5's teaching code (a bootstrap and a Wilson interval by hand, per-class scores) agrees with
SciPy and scikit-learn."""

from __future__ import annotations

import numpy as np
import pytest
from notebook_tools import ROOT, definitions
from scipy import stats
from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

CH5 = definitions(
    ROOT / "chapters" / "05_evaluation.ipynb", ["bootstrap_accuracy", "per_class_scores", "wilson_interval"]
)
CH5.wilson_interval.__globals__.update(stats=stats)


@pytest.mark.parametrize("accuracy", [0.6, 0.97])
def test_bootstrap_by_hand_matches_scipy_percentile_interval(accuracy):
    rng = np.random.default_rng(1)
    correct = (rng.random(3000) < accuracy).astype(float)
    estimate, low, high = CH5.bootstrap_accuracy(correct, n_resamples=4000, seed=0)
    ref = stats.bootstrap(
        (correct,), np.mean, n_resamples=4000, method="percentile", rng=np.random.default_rng(7)
    )
    assert estimate == correct.mean()
    # Two independent sets of resamples: the ends agree up to Monte Carlo noise.
    assert low == pytest.approx(ref.confidence_interval.low, abs=0.003)
    assert high == pytest.approx(ref.confidence_interval.high, abs=0.003)


def test_bootstrap_by_hand_is_reproducible_and_respects_the_level():
    correct = (np.arange(1000) % 10 != 0).astype(float)
    assert CH5.bootstrap_accuracy(correct, seed=3) == CH5.bootstrap_accuracy(correct, seed=3)
    _, low90, high90 = CH5.bootstrap_accuracy(correct, level=0.9)
    _, low99, high99 = CH5.bootstrap_accuracy(correct, level=0.99)
    assert low99 < low90 < 0.9 < high90 < high99


def test_per_class_scores_match_scikit_learn():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 5, 500)
    pred = np.where(rng.random(500) < 0.7, y, rng.integers(0, 5, 500))
    ours = np.array(CH5.per_class_scores(confusion_matrix(y, pred)))
    theirs = np.array(precision_recall_fscore_support(y, pred)[:3])
    np.testing.assert_allclose(ours, theirs, atol=1e-12)


def test_per_class_scores_on_a_hand_computed_matrix():
    cm = np.array([[8, 2], [1, 9]])  # rows: true class
    precision, recall, f1 = CH5.per_class_scores(cm)
    np.testing.assert_allclose(precision, [8 / 9, 9 / 11])
    np.testing.assert_allclose(recall, [8 / 10, 9 / 10])
    np.testing.assert_allclose(f1, [2 * 8 / (2 * 8 + 2 + 1), 2 * 9 / (2 * 9 + 1 + 2)])


@pytest.mark.parametrize(
    ("k", "n", "level"), [(20, 20, 0.95), (0, 20, 0.95), (14, 40, 0.95), (9660, 10000, 0.9)]
)
def test_wilson_interval_by_hand_matches_scipy(k, n, level):
    ci = stats.binomtest(k, n).proportion_ci(confidence_level=level, method="wilson")
    assert CH5.wilson_interval(k, n, level) == pytest.approx((ci.low, ci.high), abs=1e-12)

"""helpers.evaluation: bootstrap and binomial intervals, McNemar's test, most-confused pairs."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from helpers import evaluation
from helpers.evaluation import ConfusedPair, Interval, McNemarResult


def _predictions(n: int = 2000, accuracy: float = 0.9, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 10, n)
    wrong = rng.random(n) > accuracy
    return y, np.where(wrong, (y + 1) % 10, y)


def test_accuracy_ci_contains_the_accuracy_and_is_a_named_result():
    y, p = _predictions()
    ci = evaluation.accuracy_ci(y, p, seed=0)
    assert isinstance(ci, Interval)
    assert ci.estimate == pytest.approx(np.mean(y == p))
    assert ci.low < ci.estimate < ci.high and ci.level == 0.95


def test_accuracy_ci_matches_scipy_bootstrap_on_the_correctness_vector():
    y, p = _predictions()
    ci = evaluation.accuracy_ci(y, p, seed=3, n_resamples=1000)
    ref = stats.bootstrap(
        ((y == p).astype(float),),
        np.mean,
        n_resamples=1000,
        method="percentile",
        rng=np.random.default_rng(3),
        batch=200,  # the helper resamples in batches of 200 (bounded memory); SciPy's draws depend on it
    )
    assert ci.low == pytest.approx(ref.confidence_interval.low)
    assert ci.high == pytest.approx(ref.confidence_interval.high)


def test_accuracy_ci_width_agrees_with_the_normal_approximation():
    y, p = _predictions(n=5000)
    ci = evaluation.accuracy_ci(y, p, seed=0)
    acc = ci.estimate
    half_width = 1.96 * np.sqrt(acc * (1 - acc) / len(y))
    assert (ci.high - ci.low) / 2 == pytest.approx(half_width, rel=0.1)


def test_accuracy_ci_is_reproducible_and_narrower_at_lower_level():
    y, p = _predictions()
    assert evaluation.accuracy_ci(y, p, seed=1) == evaluation.accuracy_ci(y, p, seed=1)
    wide = evaluation.accuracy_ci(y, p, seed=1, level=0.99)
    narrow = evaluation.accuracy_ci(y, p, seed=1, level=0.5)
    assert wide.high - wide.low > narrow.high - narrow.low


def test_accuracy_ci_of_a_perfect_model_runs_even_with_bca():
    # SciPy's BCa warns and returns NaN when every resample is equal; the helper must not.
    # (The interval it returns is the degenerate [1, 1]: use binomial_accuracy_ci there.)
    y = np.arange(10)
    ci = evaluation.accuracy_ci(y, y, seed=0, method="BCa")
    assert ci.estimate == 1.0 and not np.isnan([ci.low, ci.high]).any()


def _wilson(k: int, n: int, level: float) -> tuple[float, float]:
    """The Wilson score interval from its closed form (Wilson, 1927)."""
    z = stats.norm.ppf(1 - (1 - level) / 2)
    p = k / n
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z / (1 + z**2 / n) * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
    return centre - half, centre + half


def test_wilson_interval_of_ten_out_of_ten_is_about_0722_to_1():
    y = np.arange(10)
    ci = evaluation.binomial_accuracy_ci(y, y)
    assert isinstance(ci, Interval)
    assert ci.estimate == 1.0 and ci.high == 1.0 and ci.level == 0.95
    # For a perfect score the lower end is n / (n + z^2), with z = 1.96 at 95 %.
    assert ci.low == pytest.approx(10 / (10 + stats.norm.ppf(0.975) ** 2))
    assert ci.low == pytest.approx(0.7225, abs=1e-4)


def test_wilson_interval_of_a_zero_score_mirrors_the_perfect_one():
    y = np.zeros(10, dtype=int)
    ci = evaluation.binomial_accuracy_ci(y, y + 1)
    assert ci.estimate == 0.0 and ci.low == 0.0
    assert ci.high == pytest.approx(1 - 0.7224672, abs=1e-6)


@pytest.mark.parametrize(
    ("k", "n", "level"), [(7, 10, 0.95), (1, 20, 0.9), (970, 1000, 0.99), (38, 40, 0.95)]
)
def test_wilson_interval_matches_its_closed_form(k, n, level):
    y = np.zeros(n, dtype=int)
    pred = np.where(np.arange(n) < k, 0, 1)
    ci = evaluation.binomial_accuracy_ci(y, pred, level=level)
    assert ci.estimate == pytest.approx(k / n)
    assert (ci.low, ci.high) == pytest.approx(_wilson(k, n, level))


@pytest.mark.parametrize(("k", "n"), [(10, 10), (0, 10), (7, 10), (38, 40)])
def test_clopper_pearson_interval_matches_the_beta_quantiles(k, n):
    y = np.zeros(n, dtype=int)
    pred = np.where(np.arange(n) < k, 0, 1)
    ci = evaluation.binomial_accuracy_ci(y, pred, method="clopper-pearson")
    low = stats.beta.ppf(0.025, k, n - k + 1) if k > 0 else 0.0
    high = stats.beta.ppf(0.975, k + 1, n - k) if k < n else 1.0
    assert (ci.low, ci.high) == pytest.approx((low, high))
    if k == n:  # a perfect score: the lower end is (alpha / 2) ** (1 / n)
        assert ci.low == pytest.approx(0.025 ** (1 / n))


def test_clopper_pearson_is_wider_than_wilson():
    y, p = _predictions(n=60, accuracy=0.9)
    wilson = evaluation.binomial_accuracy_ci(y, p)
    exact = evaluation.binomial_accuracy_ci(y, p, method="clopper-pearson")
    assert exact.low < wilson.low <= wilson.estimate <= wilson.high < exact.high


def test_wilson_and_bootstrap_agree_on_a_large_test_set():
    y, p = _predictions(n=5000)
    wilson = evaluation.binomial_accuracy_ci(y, p)
    boot = evaluation.accuracy_ci(y, p, seed=0)
    assert wilson.estimate == boot.estimate
    assert (wilson.low, wilson.high) == pytest.approx((boot.low, boot.high), abs=0.003)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"level": 0.0}, ValueError, "level must be strictly between 0 and 1"),
        ({"level": "95%"}, TypeError, "level must be a float"),
        (
            {"method": "exact"},
            ValueError,
            "Unknown method 'exact'; choose one of 'wilson', 'clopper-pearson'",
        ),
    ],
)
def test_binomial_accuracy_ci_rejects_bad_options(kwargs, error, match):
    y, p = _predictions(n=50)
    with pytest.raises(error, match=match):
        evaluation.binomial_accuracy_ci(y, p, **kwargs)


@pytest.mark.parametrize(
    ("y_true", "y_pred", "match"),
    [
        ([0, 1, 2], [0, 1], "different numbers of samples"),
        ([0, 1], np.eye(2), "one-hot"),
        ([], [], "empty"),
    ],
)
def test_binomial_accuracy_ci_rejects_bad_labels(y_true, y_pred, match):
    with pytest.raises(ValueError, match=match):
        evaluation.binomial_accuracy_ci(y_true, y_pred)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"level": 1.0}, ValueError, "level must be strictly between 0 and 1"),
        ({"n_resamples": 10}, ValueError, "n_resamples must be >= 100"),
        ({"seed": -1}, ValueError, "seed must be between 0 and"),
        ({"seed": 0.5}, TypeError, "seed must be an int"),
        ({"method": "normal"}, ValueError, "Unknown method 'normal'"),
    ],
)
def test_accuracy_ci_rejects_bad_options(kwargs, error, match):
    y, p = _predictions(n=50)
    with pytest.raises(error, match=match):
        evaluation.accuracy_ci(y, p, **{"seed": 0, **kwargs})


@pytest.mark.parametrize(
    ("y_true", "y_pred", "match"),
    [
        ([0, 1, 2], [0, 1], "different numbers of samples"),
        ([0, 1], np.eye(2), "one-hot"),
        ([0.5, 1], [0, 1], "integer class indices"),
        ([], [], "empty"),
    ],
)
def test_accuracy_ci_rejects_bad_labels(y_true, y_pred, match):
    with pytest.raises(ValueError, match=match):
        evaluation.accuracy_ci(y_true, y_pred, seed=0)


def test_paired_difference_is_narrower_than_unpaired_for_correlated_models():
    y, p = _predictions(n=3000)
    q = p.copy()
    q[:30] = (y[:30] + 2) % 10  # B = A plus a few extra mistakes
    paired = evaluation.accuracy_difference_ci(y, p, y, q, paired=True, seed=0)
    unpaired = evaluation.accuracy_difference_ci(y, p, y, q, paired=False, seed=0)
    assert paired.estimate == unpaired.estimate == pytest.approx(np.mean(p == y) - np.mean(q == y))
    assert paired.high - paired.low < (unpaired.high - unpaired.low) / 3
    assert paired.low > 0 > unpaired.low


def test_unpaired_difference_matches_scipy_two_sample_bootstrap():
    y1, p1 = _predictions(n=800, accuracy=0.95, seed=1)
    y2, p2 = _predictions(n=600, accuracy=0.9, seed=2)
    ci = evaluation.accuracy_difference_ci(y1, p1, y2, p2, paired=False, seed=5, n_resamples=500)
    ref = stats.bootstrap(
        ((y1 == p1).astype(float), (y2 == p2).astype(float)),
        lambda a, b, axis: a.mean(axis=axis) - b.mean(axis=axis),
        n_resamples=500,
        method="percentile",
        rng=np.random.default_rng(5),
        batch=200,
    )
    assert (ci.low, ci.high) == pytest.approx((ref.confidence_interval.low, ref.confidence_interval.high))


def test_paired_difference_needs_the_same_examples():
    y, p = _predictions(n=100)
    with pytest.raises(ValueError, match="same examples.*paired=False"):
        evaluation.accuracy_difference_ci(y, p, (y + 1) % 10, p, paired=True, seed=0)


def test_paired_must_be_a_bool():
    y, p = _predictions(n=100)
    with pytest.raises(TypeError, match="paired must be True or False"):
        evaluation.accuracy_difference_ci(y, p, y, p, paired="yes", seed=0)


def test_mcnemar_counts_only_the_discordant_examples():
    y = np.zeros(10, dtype=int)
    a = np.array([0, 0, 0, 1, 1, 0, 0, 1, 1, 1])
    b = np.array([0, 1, 1, 0, 1, 0, 1, 1, 1, 1])
    # both right: 0, 5; only a: 1, 2, 6; only b: 3; both wrong: 4, 7, 8, 9
    assert evaluation.mcnemar_test(y, a, b)[:2] == (3, 1)


def test_mcnemar_pvalue_is_the_exact_two_sided_binomial_tail():
    y = np.zeros(10, dtype=int)
    a = np.array([0] + [1] * 9)
    b = np.array([1] + [0] * 9)
    result = evaluation.mcnemar_test(y, a, b)
    assert isinstance(result, McNemarResult)
    assert result == (1, 9, pytest.approx(2 * (1 + 10) / 2**10))
    assert result.pvalue == pytest.approx(2 * stats.binom.cdf(1, 10, 0.5))


def test_mcnemar_is_symmetric_and_one_when_models_agree():
    y, p = _predictions(n=500)
    _, q = _predictions(n=500, seed=1)
    q = np.where(np.arange(500) < 250, p, q)
    assert evaluation.mcnemar_test(y, p, q).pvalue == evaluation.mcnemar_test(y, q, p).pvalue
    assert evaluation.mcnemar_test(y, p, p) == McNemarResult(0, 0, 1.0)


def test_mcnemar_detects_a_clear_difference_but_not_a_tiny_one():
    y, p = _predictions(n=2000, accuracy=0.95)
    clearly_worse = np.where(np.arange(2000) % 10 == 0, (y + 1) % 10, p)
    slightly_worse = p.copy()
    slightly_worse[np.flatnonzero(p == y)[:3]] += 1
    assert evaluation.mcnemar_test(y, p, clearly_worse).pvalue < 1e-6
    assert evaluation.mcnemar_test(y, p, slightly_worse % 10).pvalue > 0.2


def test_mcnemar_rejects_predictions_of_another_length():
    with pytest.raises(ValueError, match="y_pred_b have different numbers of samples"):
        evaluation.mcnemar_test([0, 1, 2], [0, 1, 2], [0, 1])


def test_most_confused_pairs_sorts_by_count_then_by_classes():
    y = np.array([4, 4, 4, 9, 9, 9, 7, 7, 2, 2, 3])
    p = np.array([9, 9, 4, 4, 4, 9, 1, 1, 7, 2, 3])
    pairs = evaluation.most_confused_pairs(y, p, k=3)
    assert pairs == [ConfusedPair(4, 9, 2), ConfusedPair(7, 1, 2), ConfusedPair(9, 4, 2)]
    assert evaluation.most_confused_pairs(y, p, k=10)[-1] == ConfusedPair(2, 7, 1)
    assert len(evaluation.most_confused_pairs(y, p, k=10)) == 4


def test_most_confused_pairs_of_a_perfect_model_is_empty():
    assert evaluation.most_confused_pairs([0, 1, 2], [0, 1, 2]) == []


def test_most_confused_pairs_accepts_labels_and_rejects_missing_ones():
    y, p = [5, 6, 6], [6, 6, 5]
    assert evaluation.most_confused_pairs(y, p, labels=[5, 6, 7]) == [(5, 6, 1), (6, 5, 1)]
    with pytest.raises(ValueError, match=r"class\(es\) \[6\] missing from labels"):
        evaluation.most_confused_pairs(y, p, labels=[5])
    with pytest.raises(ValueError, match="without duplicates"):
        evaluation.most_confused_pairs(y, p, labels=[5, 5, 6])


@pytest.mark.parametrize(("k", "error"), [(0, ValueError), (2.0, TypeError)])
def test_most_confused_pairs_rejects_bad_k(k, error):
    with pytest.raises(error, match="k must"):
        evaluation.most_confused_pairs([0, 1], [1, 0], k=k)


def test_predict_labels_is_the_argmax_of_the_model_s_output_batch_by_batch():
    from helpers import models

    model = models.build_mlp((3,), (4,), 5, seed=0)
    x = np.random.default_rng(0).normal(size=(23, 3)).astype("float32")
    expected = model.predict(x, verbose=0).argmax(axis=1)
    labels = evaluation.predict_labels(model, x, batch_size=4)
    assert labels.dtype == np.int64 and labels.shape == (23,)
    np.testing.assert_array_equal(labels, expected)


def _sampled(logits: np.ndarray, seed: int = 0) -> np.ndarray:
    """Labels drawn from softmax(logits): probabilities that are calibrated by construction."""
    from scipy.special import softmax

    rng = np.random.default_rng(seed)
    cumulative = softmax(logits, axis=1).cumsum(axis=1)
    return (rng.random((len(logits), 1)) > cumulative).sum(axis=1)


def test_calibration_bins_like_scikit_learn_and_weights_the_gap_by_count():
    p = np.array([[0.95, 0.05], [0.9, 0.1], [0.4, 0.6], [0.3, 0.7], [0.45, 0.55]])
    y = np.array([0, 1, 1, 1, 0])
    result = evaluation.calibration(p, y, n_bins=2)  # bins [0, 0.5) and [0.5, 1]: all in the second
    np.testing.assert_array_equal(result.count, [5])
    assert result.accuracy[0] == pytest.approx(3 / 5) and result.confidence[0] == pytest.approx(0.74)
    assert result.ece == pytest.approx(abs(0.6 - 0.74))
    finer = evaluation.calibration(p, y, n_bins=10)  # 0.55, 0.6, 0.7, 0.9, 0.95: bins 5, 5, 6, 8, 9
    np.testing.assert_array_equal(finer.count, [2, 1, 1, 1])
    gaps = np.abs(finer.accuracy - finer.confidence)
    assert finer.ece == pytest.approx(np.sum(finer.count * gaps) / 5)


def test_calibrated_probabilities_have_a_small_ece_and_overconfident_ones_a_large_one():
    from scipy.special import softmax

    logits = np.random.default_rng(1).normal(size=(20_000, 10)) * 3
    y = _sampled(logits)
    assert evaluation.calibration(softmax(logits, axis=1), y).ece < 0.02
    overconfident = softmax(2 * logits, axis=1)  # temperature 1/2
    assert evaluation.calibration(overconfident, y).ece > 0.1


def test_fit_temperature_recovers_the_temperature_and_scaling_fixes_the_ece():
    from scipy.special import softmax

    logits = np.random.default_rng(2).normal(size=(20_000, 10)) * 3
    y = _sampled(logits, seed=3)
    overconfident = softmax(2 * logits, axis=1)
    temperature = evaluation.fit_temperature(overconfident, y)
    assert temperature == pytest.approx(2.0, rel=0.05)
    scaled = evaluation.scale_temperature(overconfident, temperature)
    assert evaluation.calibration(scaled, y).ece < 0.02
    np.testing.assert_array_equal(scaled.argmax(axis=1), overconfident.argmax(axis=1))
    np.testing.assert_allclose(evaluation.scale_temperature(overconfident, 1.0), overconfident, atol=1e-9)


@pytest.mark.parametrize(
    ("probs", "message"),
    [
        (np.ones(4), "2-D array"),
        (np.full((3, 2), 0.7), "summing to 1"),
        (np.array([[1.2, -0.2], [0.5, 0.5], [0.5, 0.5]]), "non-negative"),
        ("probabilities", "2-D array"),
    ],
)
def test_calibration_rejects_what_is_not_probabilities(probs, message):
    with pytest.raises(ValueError, match=message):
        evaluation.calibration(probs, [0, 1, 0])


def test_calibration_rejects_labels_beyond_the_columns():
    with pytest.raises(ValueError, match="only 2 columns"):
        evaluation.calibration([[0.5, 0.5], [0.2, 0.8]], [0, 2])


@pytest.mark.parametrize(("temperature", "error"), [(0, ValueError), (-1.0, ValueError), ("2", TypeError)])
def test_scale_temperature_rejects_bad_temperatures(temperature, error):
    with pytest.raises(error, match="temperature must be"):
        evaluation.scale_temperature([[0.5, 0.5]], temperature)

"""helpers.evaluation.paired_difference_ci and paired_differences: strategies compared seed by seed."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from helpers import evaluation, transfer


def test_paired_interval_is_the_paired_t_interval():
    a, b = np.array([0.90, 0.92, 0.88, 0.95]), np.array([0.85, 0.90, 0.86, 0.90])
    d = a - b
    half = stats.t.ppf(0.975, len(d) - 1) * d.std(ddof=1) / np.sqrt(len(d))
    interval = evaluation.paired_difference_ci(a, b)
    assert interval.estimate == pytest.approx(d.mean())
    assert (interval.low, interval.high) == pytest.approx((d.mean() - half, d.mean() + half))
    assert interval.level == 0.95


def test_pairing_removes_the_spread_the_two_share():
    # Both strategies gain and lose together from draw to draw; one is always 2 points ahead.
    shared = np.array([0.70, 0.90, 0.80])
    a, b = shared + np.array([0.021, 0.019, 0.020]), shared
    interval = evaluation.paired_difference_ci(a, b)
    assert 0.0 < interval.low < interval.estimate < interval.high < 0.04
    assert np.std(a) > 0.05  # the unpaired spreads would swamp the 2-point difference


def test_identical_differences_give_a_point_interval():
    interval = evaluation.paired_difference_ci([0.5, 0.6, 0.7], [0.4, 0.5, 0.6])
    assert interval.low == interval.high == pytest.approx(0.1)


def test_a_higher_level_gives_a_wider_interval():
    a, b = [0.90, 0.92, 0.88], [0.85, 0.90, 0.86]
    narrow, wide = (
        evaluation.paired_difference_ci(a, b, level=0.8),
        evaluation.paired_difference_ci(a, b, level=0.99),
    )
    assert wide.low < narrow.low and narrow.high < wide.high


@pytest.mark.parametrize(
    ("a", "b", "kwargs", "error", "message"),
    [
        ([0.9], [0.8], {}, ValueError, "at least two draws"),
        ([0.9, 0.8], [0.8], {}, ValueError, "one value per draw"),
        ([[0.9, 0.8]], [[0.8, 0.7]], {}, ValueError, "1-D"),
        ([0.9, np.nan], [0.8, 0.7], {}, ValueError, "NaN"),
        (["a", "b"], [0.8, 0.7], {}, TypeError, "numbers"),
        ([0.9, 0.8], [0.8, 0.7], {"level": 95}, ValueError, "strictly between 0 and 1"),
    ],
)
def test_paired_difference_ci_rejects_bad_input(a, b, kwargs, error, message):
    with pytest.raises(error, match=message):
        evaluation.paired_difference_ci(a, b, **kwargs)


def _run(budget, seed):
    k = 100 if budget == "all" else budget
    return {"good": 0.5 + k / 1000 + seed / 100 + 0.02, "base": 0.5 + k / 1000 + seed / 100}


@pytest.fixture
def sweep():
    return transfer.budget_sweep(_run, [1, 10, "all"], [0, 1, 2], seeds_for_all=1)


def test_paired_differences_give_one_row_per_pair_and_budget(sweep):
    rows = evaluation.paired_differences(sweep, [("good", "base")], budgets=[1, 10])
    assert [(r.a, r.b, r.budget, r.n) for r in rows] == [("good", "base", 1, 3), ("good", "base", 10, 3)]
    assert all(r.mean == pytest.approx(0.02) and r.low == r.high == pytest.approx(0.02) for r in rows)
    assert str(rows[0]) == "k=   1  good - base:  +2.0 points [ +2.0,  +2.0]"


def test_a_single_seed_has_no_interval_and_says_so(sweep):
    (row,) = evaluation.paired_differences(sweep, [("base", "good")], budgets=["all"])
    assert row.n == 1 and row.mean == pytest.approx(-0.02)
    assert np.isnan(row.low) and np.isnan(row.high)
    assert "one seed: no interval" in str(row)


@pytest.mark.parametrize(
    ("result", "pairs", "kwargs", "error", "message"),
    [
        ([], [("good", "base")], {}, TypeError, "SweepResult"),
        (None, [], {}, ValueError, "pairs is empty"),
        (None, ["good"], {}, TypeError, "tuple of two strategy names"),
        (None, [("good", "nope")], {}, KeyError, "no record for strategy 'nope'"),
        (None, [("good", "base")], {"level": 1.5}, ValueError, "strictly between"),
    ],
)
def test_paired_differences_rejects_bad_input(sweep, result, pairs, kwargs, error, message):
    with pytest.raises(error, match=message):
        evaluation.paired_differences(sweep if result is None else result, pairs, **kwargs)

"""sim/ensemble/intervals.py: percentiles that skip missing values, chances of being best, and
the t quantiles and ranks computed without scipy.stats (compared with scipy.stats here)."""

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from sim.ensemble.intervals import (
    INTERVAL,
    average_ranks,
    nan_percentiles,
    probability_best,
    t_intervals,
    t_quantile,
    welch_intervals,
)


def test_t_quantiles_are_scipy_stats_own_to_the_bit():
    # whole degrees of freedom (paired intervals) and fractional ones (Welch), both sides
    dof = np.r_[np.arange(1, 200), np.random.default_rng(5).uniform(1.0, 80.0, 300), 1e6]
    for p in (0.5 + INTERVAL / 2, 0.975, 0.9, 0.5, 0.05):
        np.testing.assert_array_equal(t_quantile(p, dof), stats.t.ppf(p, dof))


def test_intervals_unchanged_against_scipy_stats_t():
    rng = np.random.default_rng(8)
    diff = rng.normal(0.3, 1.0, size=(30, 12))
    diff[rng.random(diff.shape) < 0.1] = np.nan
    mean, lo, hi, n = t_intervals(diff)
    ok = ~np.isnan(diff)
    for j in range(diff.shape[1]):
        x = diff[ok[:, j], j]
        half = stats.t.ppf(0.975, len(x) - 1) * x.std(ddof=1) / np.sqrt(len(x))
        assert n[j] == len(x)
        np.testing.assert_allclose([lo[j], hi[j]], [x.mean() - half, x.mean() + half],
                                   rtol=1e-12)
    a, b = rng.normal(1.0, 1.0, (20, 3)), rng.normal(0.0, 2.0, (25, 3))
    low, high = welch_intervals(a, b)
    for j in range(3):
        va, vb = a[:, j].var(ddof=1) / 20, b[:, j].var(ddof=1) / 25
        dof = (va + vb) ** 2 / (va**2 / 19 + vb**2 / 24)
        half = stats.t.ppf(0.975, dof) * np.sqrt(va + vb)
        d = a[:, j].mean() - b[:, j].mean()
        np.testing.assert_allclose([low[j], high[j]], [d - half, d + half], rtol=1e-12)


@pytest.mark.parametrize("shape", [(1, 1), (2, 5), (12, 30), (13, 1)])
def test_average_ranks_equal_scipys_rankdata_with_ties(shape):
    rng = np.random.default_rng(sum(shape))
    x = rng.integers(0, 4, size=shape).astype(float)  # many ties
    x[0, 0] = -0.0
    np.testing.assert_array_equal(average_ranks(x), stats.rankdata(x, axis=0, method="average"))
    y = rng.normal(size=shape)
    np.testing.assert_array_equal(average_ranks(y), stats.rankdata(y, axis=0, method="average"))


def test_vectorised_percentiles_equal_numpys_with_missing_values():
    rng = np.random.default_rng(3)
    block = rng.normal(size=(7, 40, 25))
    block[rng.random(block.shape) < 0.2] = np.nan
    block[:, :4, :2] = np.nan  # cells with no valid value at all
    block[1:, 10, 5] = np.nan  # a cell with a single valid value
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        expected = np.nanpercentile(block, [50.0, 5.0, 95.0], axis=0)
    for want, got in zip(expected, nan_percentiles(block, (50.0, 5.0, 95.0)), strict=True):
        np.testing.assert_array_equal(got, want)


def test_probability_best_counts_paired_wins_and_shares_ties():
    a = pd.Series([1.0, 2.0, 3.0, 4.0])
    b = pd.Series([0.0, 3.0, 3.0, 1.0])
    c = pd.Series([0.5, 0.0, 0.0, np.nan])  # replicate 3 missing: left out for everyone
    up = probability_best({"a": a, "b": b, "c": c}, higher_is_better=True)
    # replicate 0: a; 1: b; 2: a and b tie (half each)
    assert up == pytest.approx({"a": 1.5 / 3, "b": 1.5 / 3, "c": 0.0})
    down = probability_best({"a": a, "b": b, "c": c}, higher_is_better=False)
    assert down == pytest.approx({"a": 0.0, "b": 1 / 3, "c": 2 / 3})
    assert sum(up.values()) == pytest.approx(1.0)

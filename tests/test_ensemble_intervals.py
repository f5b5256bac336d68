"""sim/ensemble/intervals.py: percentiles that skip missing values, and chances of being best."""

import warnings

import numpy as np
import pandas as pd
import pytest

from sim.ensemble.intervals import nan_percentiles, probability_best


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

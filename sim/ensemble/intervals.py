"""The statistics of a comparison: paired and unpaired intervals for the effect of a scenario
against the baseline, percentiles across replicates that skip missing values, and each
option's chance of being best.

Pure functions of arrays (replicates x columns, NaN = missing); :mod:`sim.ensemble.summary`
feeds them from the run files.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import special

INTERVAL = 0.95  # level of the effect intervals
# fewer paired runs than this: intervals too wide to settle much (with 2, a t-interval is
# 12.7 standard errors each side); the command line and the report say so before the results
FEW_RUNS = 5


def t_quantile(p: float, dof) -> np.ndarray:
    """Student's t quantile ``p`` for ``dof`` degrees of freedom: the function scipy.stats.t.ppf
    itself calls (scipy.special.stdtrit), without importing scipy.stats, which costs every
    command about 0.9 s more."""
    return special.stdtrit(dof, p)


def t_intervals(diff: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per column of ``diff`` (pairs x columns, NaN = missing): the mean, its two-sided
    t-interval (NaN bounds with fewer than 2 values) and the number of values."""
    ok = ~np.isnan(diff)
    n = ok.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        total = np.where(ok, diff, 0.0).sum(axis=0)
        mean = np.where(n > 0, total / np.maximum(n, 1), np.nan)
        dev = np.where(ok, diff - mean, 0.0)
        sd = np.sqrt((dev * dev).sum(axis=0) / np.maximum(n - 1, 1))
        t = t_quantile(0.5 + INTERVAL / 2, np.maximum(n - 1, 1))
        half = np.where(n >= 2, t * sd / np.sqrt(np.maximum(n, 1)), np.nan)
    return mean, mean - half, mean + half, n


def welch_intervals(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per column: Welch t-interval for mean(a) - mean(b), treating the samples as
    independent (NaN = missing; NaN bounds when either side has fewer than 2 values)."""
    def moments(x):
        ok = ~np.isnan(x)
        n = ok.sum(axis=0)
        m = np.where(ok, x, 0.0).sum(axis=0) / np.maximum(n, 1)
        dev = np.where(ok, x - m, 0.0)
        return n, m, (dev * dev).sum(axis=0) / np.maximum(n - 1, 1)

    with np.errstate(invalid="ignore", divide="ignore"):
        na, ma, va = moments(a)
        nb, mb, vb = moments(b)
        va, vb = va / np.maximum(na, 1), vb / np.maximum(nb, 1)
        se = np.sqrt(va + vb)
        d = ma - mb
        dof = (va + vb) ** 2 / (va**2 / np.maximum(na - 1, 1) + vb**2 / np.maximum(nb - 1, 1))
        half = t_quantile(0.5 + INTERVAL / 2, np.where(se > 0, dof, 1.0)) * se
        half = np.where(se > 0, half, 0.0)
        bad = (na < 2) | (nb < 2)
    return np.where(bad, np.nan, d - half), np.where(bad, np.nan, d + half)


def average_ranks(x: np.ndarray) -> np.ndarray:
    """Ranks 1 to n down each column of ``x`` (no NaN), equal values sharing the average of
    their ranks: scipy.stats.rankdata(x, axis=0, method="average"), for the few options and
    replicates of a decision, without importing scipy.stats."""
    x = np.asarray(x, dtype=float)
    n = x.shape[0]
    order = np.argsort(x, axis=0, kind="stable")
    ordered = np.take_along_axis(x, order, axis=0)
    ranks = np.empty(x.shape)
    for j in range(x.shape[1]):
        starts = np.flatnonzero(np.r_[True, ordered[1:, j] != ordered[:-1, j]])
        ends = np.r_[starts[1:], n]
        ranks[order[:, j], j] = np.repeat(0.5 * (starts + ends + 1), ends - starts)
    return ranks


def nan_percentiles(block: np.ndarray, qs) -> list[np.ndarray]:
    """``np.nanpercentile(block, q, axis=0)`` for each q (linear method), vectorised.

    numpy's own falls back to one small call per cell as soon as a cell holds a NaN (a
    breakdown with nobody in need on some day), which took most of a main job's time. Here:
    one sort along the replicates (NaN sorts last), the count of valid values per cell, and
    numpy's interpolation formula between the two neighbouring order statistics."""
    ordered = np.sort(block, axis=0)
    valid = (~np.isnan(block)).sum(axis=0)
    out = []
    for q in qs:
        pos = np.maximum(valid - 1, 0) * (q / 100.0)
        below = np.floor(pos).astype(np.int64)
        above = np.minimum(below + 1, np.maximum(valid - 1, 0))
        t = pos - below
        a = np.take_along_axis(ordered, below[None], axis=0)[0]
        b = np.take_along_axis(ordered, above[None], axis=0)[0]
        diff = b - a
        value = np.where(t >= 0.5, b - diff * (1 - t), a + diff * t)  # numpy's _lerp
        value[valid == 0] = np.nan
        out.append(value)
    return out


def paired_effects(a: np.ndarray, b: np.ndarray, ia, ib, jb) -> tuple:
    """Paired and unpaired effects of ``a`` (replicates x columns) against the baseline's
    ``b``: (mean, lo, hi, n pairs, unpaired lo, unpaired hi), one value per column of ``a``
    (NaN where the baseline has no such column)."""
    has = jb >= 0
    bb = np.full((len(b), len(jb)), np.nan)
    bb[:, has] = b[:, jb[has]]
    diff = a[ia] - bb[ib]  # replicate i minus baseline replicate i (same seed)
    mean, lo, hi, n = t_intervals(diff)
    ulo, uhi = welch_intervals(a, bb)
    return mean, lo, hi, n, ulo, uhi


def probability_best(values: dict, higher_is_better: bool) -> dict:
    """The chance that each scenario is the best on one measure, from paired replicates.

    ``values`` maps a scenario to its per-replicate values (a Series indexed by replicate,
    e.g. each run's mean over the steady window). Over the replicates every scenario has,
    the best scenario of replicate ``i`` is the one with the highest value (lowest when
    lower is better); a tie shares the replicate equally. Returns {scenario: share of
    replicates won}; NaN for all when no replicate is shared."""
    names = list(values)
    frame = pd.concat([pd.Series(values[n], dtype=float) for n in names], axis=1, keys=names)
    frame = frame.dropna()
    if frame.empty:
        return {n: np.nan for n in names}
    x = frame.to_numpy() * (1.0 if higher_is_better else -1.0)
    best = x.max(axis=1, keepdims=True)
    wins = np.isclose(x, best, rtol=0, atol=1e-12)
    share = (wins / wins.sum(axis=1, keepdims=True)).mean(axis=0)
    return dict(zip(names, share.tolist(), strict=True))

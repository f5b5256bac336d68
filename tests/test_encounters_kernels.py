"""The hub rules' compiled kernels (sim/rules/encounters.py, sim/rules/needs.py) give exactly
what the numpy passes they replaced gave: each is checked against that numpy formulation,
kept here as the reference, over many random inputs (including no hubs, closed hubs, no
visitors and nobody in need)."""

from __future__ import annotations

import numpy as np
import pytest

from sim.rules.encounters import (
    _choose_hubs,
    _pair_at_hubs,
    _seat_and_pair,
    _visitors,
    hub_pull,
)
from sim.rules.needs import _in_need


def hub_pull_reference(palatability, pull, open_now, preference):
    return preference * (pull + palatability) * open_now


def choose_hubs_reference(u, p_visit, hub_propensity, visit_multiplier, lever, orientation,
                          section, trust_out, active, preference, pull, palatability, boost,
                          open_now, location, contact_seeking, capacity, days_open,
                          days_crowded):
    """The visit rule as it was: the pull, the mixing and the day's counts in numpy around
    a loop over residents (written out here in Python)."""
    n_sections, n_hubs = preference.shape
    palat = palatability + (np.zeros(n_hubs) if boost is None else boost[:n_hubs])
    weight = hub_pull_reference(palat, pull, open_now, preference)
    mixing = location[None, :] != np.arange(n_sections)[:, None]
    where = np.full(len(u), -1, dtype=np.int64)
    visitors = np.zeros(n_hubs, dtype=np.int64)
    for i in range(len(u)):
        p = (p_visit * hub_propensity[i] * visit_multiplier[orientation[i]]
             * lever[i if len(lever) > 1 else 0])
        if not (u[i] < p and active[i]):
            continue
        s = section[i]
        seeking = max(1.0 + contact_seeking * (trust_out[i] - 0.5), 0.0)
        mine = [weight[s, h] * (seeking if mixing[s, h] else 1.0) for h in range(n_hubs)]
        total = 0.0
        for w in mine:
            total += w
        if total <= 0.0:
            continue
        target = u[i] / p * total
        h, cum = n_hubs - 1, 0.0
        for g in range(n_hubs):
            cum += mine[g]
            if cum > target:
                h = g
                break
        where[i] = h
        visitors[h] += 1
    days_open += open_now
    days_crowded += open_now & (visitors > capacity)
    return where, visitors


def random_hubs(rng, n_sections):
    n_hubs = int(rng.integers(0, 6))
    location = rng.integers(-1, n_sections, n_hubs)
    preference = rng.choice([0.2, 0.5, 1.0], (n_sections, n_hubs))
    palatability = rng.random(n_hubs)
    open_now = rng.random(n_hubs) < 0.7
    capacity = rng.integers(0, 30, n_hubs)
    boost = None if rng.random() < 0.5 else rng.uniform(-0.3, 0.3, n_hubs)
    return n_hubs, location, preference, palatability, open_now, capacity, boost


@pytest.mark.parametrize("seed", range(30))
def test_hub_visits_kernel_matches_the_numpy_passes(seed):
    rng = np.random.default_rng(seed)
    n, n_sections = int(rng.integers(0, 300)), int(rng.integers(1, 4))
    n_hubs, location, preference, palatability, open_now, capacity, boost = random_hubs(
        rng, n_sections)
    lever = rng.uniform(0.5, 2.0, n if rng.random() < 0.5 else 1)
    args = (rng.random(n), rng.uniform(0.05, 1.0), rng.uniform(0.1, 3.0, n),
            rng.uniform(0.5, 1.5, 5), lever, rng.integers(0, 5, n),
            rng.integers(0, n_sections, n), rng.random(n), rng.random(n) < 0.9,
            preference, rng.uniform(0.0, 1.0), palatability, boost, open_now, location,
            rng.uniform(0.0, 2.0), capacity)
    counts = rng.integers(0, 9, (2, n_hubs))  # days open and crowded so far
    want_counts = counts.copy()
    where, visitors = _choose_hubs(*args[:12], np.zeros(0) if boost is None else boost,
                                   *args[13:], counts[0], counts[1])
    want_where, want_visitors = choose_hubs_reference(*args, want_counts[0], want_counts[1])
    assert np.array_equal(where, want_where) and np.array_equal(visitors, want_visitors)
    assert np.array_equal(counts, want_counts)


@pytest.mark.parametrize("seed", range(10))
def test_hub_pull_kernel_matches_the_numpy_formula(seed):
    rng = np.random.default_rng(seed)
    n_hubs, _, preference, palatability, open_now, _, _ = random_hubs(rng, 3)
    pull = rng.uniform(-1.0, 1.0)
    assert np.array_equal(hub_pull(None, palatability, pull, open_now, preference),
                          hub_pull_reference(palatability, pull, open_now, preference))


@pytest.mark.parametrize("seed", range(30))
def test_hub_pairs_kernel_matches_the_numpy_passes(seed):
    rng = np.random.default_rng(seed)
    n_hubs, _, _, palatability, _, capacity, boost = random_hubs(rng, 2)
    n = int(rng.integers(0, 200))
    where = rng.integers(-1, n_hubs, n) if n_hubs else np.full(n, -1)
    visitors = _visitors(where)
    assert np.array_equal(visitors, np.flatnonzero(where >= 0))
    visitors_today = np.bincount(where[visitors], minlength=n_hubs) + rng.integers(0, 3, n_hubs)
    k = int(rng.integers(1, 6))
    order, frac = rng.permutation(len(visitors)), rng.random(len(visitors))
    got = _pair_at_hubs(visitors, where, order, frac, palatability,
                        np.zeros(0) if boost is None else boost, capacity, visitors_today, k)
    palat = np.clip(palatability + (np.zeros(n_hubs) if boost is None else boost), 0.0, 1.0)
    crowding = np.minimum(1.0, capacity / np.maximum(visitors_today, 1))
    want = _seat_and_pair(visitors, where, order, frac, n_hubs, palat, k * crowding, k)
    assert all(np.array_equal(x, y) for x, y in zip(got, want, strict=True))


@pytest.mark.parametrize("n", [0, 1, 7, 500])
def test_residents_in_need_are_listed_as_numpy_lists_them(n):
    rng = np.random.default_rng(n)
    need = np.where(rng.random(n) < 0.3, rng.random(n), 0.0).astype(np.float32)
    assert np.array_equal(_in_need(need), np.flatnonzero(need > 0))

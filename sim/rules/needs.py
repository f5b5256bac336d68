"""Needs arrive, and some resolve without neighbourly help."""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from sim.population import NEVER, Population


def arrive_needs(pop: Population, p_need: np.ndarray, size_mean: float, day: int, rng) -> None:
    """Needs arrive as a Poisson process, at a rate that differs by section; a new need adds
    to any outstanding need (capped at 1). Form: Poisson arrivals, a standard assumption."""
    _arrive(pop.need, pop.need_since, p_need, rng.random(len(p_need)), size_mean, day)


# one uniform per resident: inverting the Poisson CDF at it gives today's count of needs (an
# exact draw); where it falls within that count's step of the CDF is a fresh uniform, which
# gives the need's size (exponential, times the count)
@njit(cache=True)
def _arrive(need, need_since, p_need, u, size_mean, day):
    lam, p_none = -1.0, 1.0
    for i in range(len(u)):
        if p_need[i] != lam:  # rates repeat (one per section): exp only when one changes
            lam = p_need[i]
            p_none = math.exp(-lam)  # chance of no new need today
        if u[i] <= p_none:
            continue
        term = p_none
        below, cdf = 0.0, term
        count = 0
        while u[i] > cdf and term > 1e-300:
            count += 1
            term *= lam / count
            below, cdf = cdf, cdf + term
        if count == 0:
            continue
        within = min((u[i] - below) / (cdf - below), 1.0)  # uniform on (0, 1]
        size = -size_mean * math.log(within) * count
        if need[i] <= 0:
            need_since[i] = day
        need[i] = min(need[i] + size, 1.0)


def resolve_needs_elsewhere(pop: Population, p_resolve: float, rng) -> None:
    """An outstanding need may resolve without neighbourly help (family, services, time)."""
    needy = np.flatnonzero(pop.need > 0)
    _resolve(pop.need, pop.need_since, needy, rng.random(len(needy)), p_resolve)


# each resident in need, with chance p, has their need resolved
@njit(cache=True)
def _resolve(need, need_since, needy, u, p):
    for k in range(len(needy)):
        if u[k] < p:
            need[needy[k]] = 0.0
            need_since[needy[k]] = NEVER

"""Needs arrive, and some resolve without neighbourly help."""

from __future__ import annotations

import numpy as np

from sim.population import NEVER, Population


def arrive_needs(pop: Population, p_need: np.ndarray, size_mean: float, day: int, rng) -> None:
    """Needs arrive as a Poisson process, at a rate that differs by section; a new need adds
    to any outstanding need (capped at 1). Form: Poisson arrivals, a standard assumption."""
    u = rng.random(len(p_need))
    got = np.flatnonzero(u > np.exp(-p_need))  # at least one arrival today
    if len(got) == 0:
        return
    size = rng.exponential(size_mean, len(got)) * _poisson_count(p_need[got], u[got])
    was_free = pop.need[got] <= 0
    pop.need[got] = np.minimum(pop.need[got] + size, 1.0)
    pop.need_since[got[was_free]] = day


def _poisson_count(lam: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Poisson counts by inverting the CDF at the uniform draws ``u`` (exact; a handful of
    vectorised steps for the small daily rates here, and one uniform per resident instead of
    numpy's slower per-element Poisson sampler)."""
    k = np.zeros(len(lam))
    term = np.exp(-lam)
    cdf = term.copy()
    below = u > cdf
    while below.any():
        k += below
        term = term * lam / np.maximum(k, 1)
        cdf = cdf + np.where(below, term, 0.0)
        below = below & (u > cdf) & (term > 1e-300)
    return k


def resolve_needs_elsewhere(pop: Population, p_resolve: float, rng) -> None:
    """An outstanding need may resolve without neighbourly help (family, services, time)."""
    needy = np.flatnonzero(pop.need > 0)
    done = needy[rng.random(len(needy)) < p_resolve]
    pop.need[done] = 0.0
    pop.need_since[done] = NEVER

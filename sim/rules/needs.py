"""Needs arrive, and some resolve without neighbourly help."""

from __future__ import annotations

import numpy as np

from sim.population import NEVER, Population


def arrive_needs(pop: Population, p_need: np.ndarray, size_mean: float, day: int, rng) -> None:
    """Needs arrive as a Poisson process, at a rate that differs by section; a new need adds
    to any outstanding need (capped at 1). Form: Poisson arrivals, a standard assumption."""
    n_new = rng.poisson(p_need)
    got = np.flatnonzero(n_new)
    if len(got) == 0:
        return
    size = rng.exponential(size_mean, len(got)) * n_new[got]
    was_free = pop.need[got] <= 0
    pop.need[got] = np.minimum(pop.need[got] + size, 1.0)
    pop.need_since[got[was_free]] = day


def resolve_needs_elsewhere(pop: Population, p_resolve: float, rng) -> None:
    """An outstanding need may resolve without neighbourly help (family, services, time)."""
    needy = np.flatnonzero(pop.need > 0)
    done = needy[rng.random(len(needy)) < p_resolve]
    pop.need[done] = 0.0
    pop.need_since[done] = NEVER

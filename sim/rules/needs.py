"""Needs arrive, as short needs and as caring episodes, and some resolve without neighbourly
help."""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from sim.compiled import njit
from sim.draws import stream, uniforms
from sim.params import RuleParams
from sim.population import NEVER, Population


class NeedParams(NamedTuple):
    """The numbers of :func:`arrive_needs` (sim.params.RuleParams), grouped for the kernel."""

    size_mean: float
    p_care: float
    care_days: float
    care_every: int
    care_size: float

    @classmethod
    def of(cls, p: RuleParams) -> NeedParams:
        return cls(p.need_size_mean, p.p_care_episode, p.care_episode_days,
                   p.care_need_every_days, p.care_need_size)


def arrive_needs(pop: Population, p_need: np.ndarray, k: NeedParams, day: int, rng) -> None:
    """Short needs (a lift, a shopping trip, a hand with something) arrive as a Poisson
    process at a rate that differs by section; a new need adds to any outstanding need
    (capped at 1). Caring episodes (illness, a new baby, recovery from an operation) begin
    with a small daily chance and last weeks (exponential length); while one lasts, a fresh
    need arises every few days, so that it needs help again and again. Form: Poisson
    arrivals, a standard assumption; episode rates in sim.params."""
    _arrive(pop.need, pop.need_since, pop.care_until, p_need, stream(rng), k, day)


# two uniforms per resident: the first, inverted through the Poisson CDF, gives today's count
# of short needs (an exact draw), and where it falls within that count's step of the CDF is a
# fresh uniform that gives their size (exponential, times the count); the second starts a
# caring episode below p_care, and rescaled to 0-1 gives its length (exponential, rounded
# to whole spells of care_every days)
@njit(cache=True)
def _arrive(need, need_since, care_until, p_need, h, k, day):
    n = len(p_need)
    u = uniforms(h, 2 * n)
    lam, p_none = -1.0, 1.0
    for i in range(n):
        if care_until[i] < day and u[n + i] < k.p_care:
            length = -k.care_days * math.log(max(u[n + i] / k.p_care, 1e-300))
            # whole spells of care_every days, so that needs fall on the first day and
            # every care_every days after it
            care_until[i] = day + k.care_every * max(int(round(length / k.care_every)), 1)
        if care_until[i] >= day and (care_until[i] - day) % k.care_every == 0:
            if need[i] <= 0:
                need_since[i] = day
            need[i] = max(need[i], k.care_size)
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
        size = -k.size_mean * math.log(within) * count
        if need[i] <= 0:
            need_since[i] = day
        need[i] = min(need[i] + size, 1.0)


def resolve_needs_elsewhere(pop: Population, p_resolve: float, rng) -> None:
    """An outstanding need may resolve without neighbourly help (family, services, time)."""
    needy = _in_need(pop.need)
    _resolve(pop.need, pop.need_since, needy, stream(rng), p_resolve)


# the residents in need (need > 0), in order
@njit(cache=True)
def _in_need(need):
    out = np.empty(len(need), dtype=np.int64)
    m = 0
    for i in range(len(need)):
        if need[i] > 0:
            out[m] = i
            m += 1
    return out[:m]


# each resident in need, with chance p, has their need resolved
@njit(cache=True)
def _resolve(need, need_since, needy, h, p):
    u = uniforms(h, len(needy))
    for k in range(len(needy)):
        if u[k] < p:
            need[needy[k]] = 0.0
            need_since[needy[k]] = NEVER

"""People come and go: residents move away and newcomers with no ties take their places."""

from __future__ import annotations

import numpy as np

from sim.compiled import njit
from sim.network import Ties
from sim.params import ModelParams
from sim.population import Population


def move_out_and_in(pop: Population, ties: Ties, params: ModelParams, days: int, day: int,
                    rng) -> np.ndarray:
    """Over the past ``days`` days, each resident moved away with their section's yearly
    rate (moves_per_year, English Housing Survey; students about a third a year); a
    newcomer of the same section takes each place, with fresh traits and states, no ties
    and no history (Population.renew). Returns the edges (one direction each) of the
    movers' ties, which the caller drops. The seed names rapid social change as a barrier
    to kindness: newcomers arriving count as change (sim/rules/trust.py)."""
    movers = _below(rng.random(pop.n), _p_move(params.population.sections, days),
                    pop.section)
    if len(movers) == 0:
        return movers
    pop.renew(movers, params, rng, day)
    return _ties_of(ties.indptr, ties.rev, movers)


# the sections the chances were last worked out for, the days and the chances, as one tuple
# read and replaced whole (threads stepping different models never mix them): a run asks for
# the same ones every week
_P_MOVE: list = [(None, None, None)]


def _p_move(sections, days: int) -> np.ndarray:
    """Each section's chance of moving within ``days`` days."""
    held = _P_MOVE[0]
    if held[0] is not sections or held[1] != days:
        yearly = np.array([s.moves_per_year for s in sections])
        held = (sections, days, 1.0 - (1.0 - np.clip(yearly, 0.0, 1.0)) ** (days / 365.0))
        _P_MOVE[0] = held
    return held[2]


# residents whose uniform is below their section's chance, in order
@njit(cache=True)
def _below(u, chance, section):
    out = np.empty(len(u), dtype=np.int64)
    n = 0
    for i in range(len(u)):
        out[n] = i
        n += u[i] < chance[section[i]]
    return out[:n]


# every tie of the given residents, once per tie (the lower of its two edge indices), in the
# residents' order and along each row
@njit(cache=True)
def _ties_of(indptr, rev, residents):
    total = 0
    for i in residents:
        total += indptr[i + 1] - indptr[i]
    out = np.empty(total, dtype=np.int64)
    k = 0
    for i in residents:
        for e in range(indptr[i], indptr[i + 1]):
            out[k] = min(e, rev[e])
            k += 1
    return out

"""People come and go: residents move away and newcomers with no ties take their places."""

from __future__ import annotations

import numpy as np

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
    yearly = np.array([s.moves_per_year for s in params.population.sections])
    p_move = 1.0 - (1.0 - np.clip(yearly, 0.0, 1.0)) ** (days / 365.0)
    movers = np.flatnonzero(rng.random(pop.n) < p_move[pop.section])
    if len(movers) == 0:
        return movers
    pop.renew(movers, params, rng, day)
    edges, _ = ties.edges_of(movers)
    return np.minimum(edges, ties.rev[edges])

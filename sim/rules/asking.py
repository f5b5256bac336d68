"""Residents in need decide whether to ask for help, and whom."""

from __future__ import annotations

import numpy as np

from sim.day import Day
from sim.network import Ties
from sim.params import RuleParams
from sim.population import Population


def p_ask(pop: Population, rows: np.ndarray, ask_multiplier: np.ndarray, p: RuleParams,
          lever: float = 1.0) -> np.ndarray:
    """Probability that each resident in ``rows`` asks today: trust in people generally and
    the size of the need raise it; self-reliance and fear of indebtedness hold it back
    (Haslewood, JRF 2014). Logistic form: assumption."""
    logit = (p.ask_intercept
             + p.ask_weight_trust * pop.trust_gen[rows]
             - p.ask_weight_self_reliance * pop.self_reliance[rows]
             - p.ask_weight_indebtedness * pop.indebtedness[rows]
             + p.ask_weight_need * pop.need[rows])
    prob = ask_multiplier[pop.orientation[rows]] * lever / (1.0 + np.exp(-logit))
    return np.clip(prob, 0.0, 1.0)


def decide_to_ask(pop: Population, ties: Ties, ask_multiplier: np.ndarray, p: RuleParams,
                  day: Day, rng) -> None:
    """Residents with unmet need ask when trust outweighs self-reliance and indebtedness; an
    asker turns to one tie, chosen with probability proportional to the square of their
    trust in it (people ask those they trust most). Each ask becomes an asked offer."""
    needy = np.flatnonzero(pop.need > 0)
    day.needy = pop.need > 0
    day.asked = np.zeros(pop.n, dtype=bool)
    if len(needy) == 0:
        return
    askers = needy[rng.random(len(needy)) < p_ask(pop, needy, ask_multiplier, p,
                                                   day.levers.ask_multiplier)]
    askers = askers[ties.degree()[askers] > 0]
    if len(askers) == 0:
        return
    edges, owner = ties.edges_of(askers)
    weight = ties.trust[edges].astype(np.float64) ** 2 + 1e-9
    cum = np.cumsum(weight)
    ends = np.cumsum(np.bincount(owner, minlength=len(askers)))
    totals = np.bincount(owner, weights=weight, minlength=len(askers))
    before = cum[ends - 1] - totals
    pick = np.searchsorted(cum, before + rng.random(len(askers)) * totals, side="right")
    pick = np.minimum(pick, ends - 1)
    chosen = edges[pick]  # asker -> helper
    day.asked[askers] = True
    ties.last_contact[chosen] = day.day
    ties.last_contact[ties.rev[chosen]] = day.day
    day.add_offers(ties.dst[chosen], askers, ties.rev[chosen], asked=True)

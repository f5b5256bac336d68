"""Residents in need decide whether to ask for help, and whom."""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from sim.day import Day
from sim.network import Ties
from sim.params import RuleParams
from sim.population import Population


def p_ask(pop: Population, rows: np.ndarray, ask_multiplier: np.ndarray, p: RuleParams,
          lever: float = 1.0) -> np.ndarray:
    """Probability that each resident in ``rows`` asks today: trust in people generally and
    the size of the need raise it; self-reliance and fear of indebtedness hold it back
    (Haslewood, JRF 2014). Logistic form: assumption."""
    return _p_ask_rows(np.asarray(rows, dtype=np.int64), pop.trust_gen, pop.self_reliance,
                       pop.indebtedness, pop.need, pop.orientation, ask_multiplier, lever,
                       *_weights(p))


def _weights(p: RuleParams) -> tuple[float, ...]:
    return (p.ask_intercept, p.ask_weight_trust, p.ask_weight_self_reliance,
            p.ask_weight_indebtedness, p.ask_weight_need)


# the logistic formula of p_ask for one resident (shared by p_ask and the asking kernel)
@njit(cache=True)
def _ask_probability(i, trust_gen, self_reliance, indebtedness, need, orientation,
                     ask_multiplier, lever, intercept, w_trust, w_self_reliance, w_debt,
                     w_need):
    logit = (intercept + w_trust * trust_gen[i] - w_self_reliance * self_reliance[i]
             - w_debt * indebtedness[i] + w_need * need[i])
    prob = ask_multiplier[orientation[i]] * lever / (1.0 + math.exp(-logit))
    return min(max(prob, 0.0), 1.0)


# p_ask for each of the given rows
@njit(cache=True)
def _p_ask_rows(rows, trust_gen, self_reliance, indebtedness, need, orientation,
                ask_multiplier, lever, intercept, w_trust, w_self_reliance, w_debt, w_need):
    out = np.empty(len(rows))
    for k in range(len(rows)):
        out[k] = _ask_probability(rows[k], trust_gen, self_reliance, indebtedness, need,
                                  orientation, ask_multiplier, lever, intercept, w_trust,
                                  w_self_reliance, w_debt, w_need)
    return out


def decide_to_ask(pop: Population, ties: Ties, ask_multiplier: np.ndarray, p: RuleParams,
                  day: Day, rng) -> None:
    """Residents with unmet need ask when trust outweighs self-reliance and indebtedness; an
    asker turns to one tie, chosen with probability proportional to the square of their
    trust in it (people ask those they trust most). Each ask becomes an asked offer."""
    day.needy = pop.need > 0
    day.asked = np.zeros(pop.n, dtype=bool)
    needy = np.flatnonzero(day.needy)
    if len(needy) == 0:
        return
    helper, asker, edge = _ask(
        needy, rng.random(len(needy)), ties.indptr, ties.dst, ties.rev, ties.trust,
        ties.last_contact, day.asked, day.day, pop.trust_gen, pop.self_reliance,
        pop.indebtedness, pop.need, pop.orientation, ask_multiplier,
        day.levers.ask_multiplier, *_weights(p))
    day.add_offers(helper, asker, edge, asked=True)


# one uniform per resident in need decides whether they ask; below the chance of asking, the
# same uniform rescaled to 0-1 picks the tie asked (weight trust^2); returns the asked offers
# (helper, asker, edge helper -> asker) and marks askers and the ties used
@njit(cache=True)
def _ask(needy, u, indptr, dst, rev, tie_trust, tie_last_contact, asked, today, trust_gen,
         self_reliance, indebtedness, need, orientation, ask_multiplier, lever, intercept,
         w_trust, w_self_reliance, w_debt, w_need):
    helper = np.empty(len(needy), dtype=np.int64)
    asker = np.empty(len(needy), dtype=np.int64)
    edge = np.empty(len(needy), dtype=np.int64)
    n_asks = 0
    for k in range(len(needy)):
        i = needy[k]
        start, end = indptr[i], indptr[i + 1]
        if end == start:
            continue
        prob = _ask_probability(i, trust_gen, self_reliance, indebtedness, need, orientation,
                                ask_multiplier, lever, intercept, w_trust, w_self_reliance,
                                w_debt, w_need)
        if not u[k] < prob:
            continue
        total = 0.0
        for e in range(start, end):
            total += float(tie_trust[e]) ** 2 + 1e-9
        target = u[k] / prob * total
        chosen = end - 1
        cum = 0.0
        for e in range(start, end):
            cum += float(tie_trust[e]) ** 2 + 1e-9
            if cum > target:
                chosen = e
                break
        asked[i] = True
        tie_last_contact[chosen] = today
        tie_last_contact[rev[chosen]] = today
        helper[n_asks], asker[n_asks], edge[n_asks] = dst[chosen], i, rev[chosen]
        n_asks += 1
    return helper[:n_asks], asker[:n_asks], edge[:n_asks]

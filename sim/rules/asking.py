"""Residents in need decide whether to ask for help, and whom."""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from sim.compiled import njit
from sim.day import Day, per_resident
from sim.draws import stream, uniforms
from sim.network import Ties
from sim.params import RuleParams
from sim.population import Population


class AskParams(NamedTuple):
    """The numbers of the asking rule (sim.params.RuleParams), grouped for the kernels."""

    intercept: float
    w_trust: float
    w_self_reliance: float
    w_debt: float
    w_need: float
    w_norm: float
    reputation_preference: float
    reputation_start: float

    @classmethod
    def of(cls, p: RuleParams, reputation_start: float = 0.5) -> AskParams:
        return cls(p.ask_intercept, p.ask_weight_trust, p.ask_weight_self_reliance,
                   p.ask_weight_indebtedness, p.ask_weight_need, p.ask_weight_norm,
                   p.ask_reputation_preference,
                   reputation_start)


def p_ask(pop: Population, rows: np.ndarray, ask_multiplier: np.ndarray, k: AskParams,
          lever=1.0, norm=0.0) -> np.ndarray:
    """Probability that each resident in ``rows`` asks today: trust in people generally and
    the size of the need raise it; self-reliance and fear of indebtedness hold it back
    (Haslewood, JRF 2014); a shift in the perceived norm about asking (``norm``, the day's
    ask_norm lever, -1 to 1) moves it either way (Prentice & Miller 1993). ``lever`` is the
    day's ask_multiplier lever (a commitment to ask). Both are one value or one per
    resident. Logistic form: assumption."""
    return _p_ask_rows(np.asarray(rows, dtype=np.int64), pop.trust_gen, pop.self_reliance,
                       pop.indebtedness, pop.need, pop.orientation, ask_multiplier,
                       per_resident(lever), per_resident(norm), tuple(k))


# the logistic formula of p_ask for one resident (shared by p_ask and the asking kernel);
# lever and norm hold one value or one per resident
@njit(cache=True)
def _ask_probability(i, trust_gen, self_reliance, indebtedness, need, orientation,
                     ask_multiplier, lever, norm, k):
    logit = (k.intercept + k.w_trust * trust_gen[i] - k.w_self_reliance * self_reliance[i]
             - k.w_debt * indebtedness[i] + k.w_need * need[i])
    shift = norm[i if len(norm) > 1 else 0]
    if shift != 0.0:
        logit += k.w_norm * min(max(shift, -1.0), 1.0)
    prob = (ask_multiplier[orientation[i]] * lever[i if len(lever) > 1 else 0]
            / (1.0 + math.exp(-logit)))
    return min(max(prob, 0.0), 1.0)


# p_ask for each of the given rows (k: the AskParams as a plain tuple, see _ask)
@njit(cache=True)
def _p_ask_rows(rows, trust_gen, self_reliance, indebtedness, need, orientation,
                ask_multiplier, lever, norm, k):
    k = AskParams(*k)
    out = np.empty(len(rows))
    for j in range(len(rows)):
        out[j] = _ask_probability(rows[j], trust_gen, self_reliance, indebtedness, need,
                                  orientation, ask_multiplier, lever, norm, k)
    return out


def decide_to_ask(pop: Population, ties: Ties, ask_multiplier: np.ndarray, k: AskParams,
                  day: Day, rng) -> None:
    """Residents with unmet need ask when trust outweighs self-reliance and indebtedness (and
    the day's levers: a perceived norm about asking, a commitment to ask; :func:`p_ask`); an
    asker turns to one tie, chosen with probability proportional to their trust in it
    squared (people ask those they trust most) times the tie's reputation relative to the
    start, to the power ask_reputation_preference (people turn to those known to help:
    image scoring, Nowak & Sigmund 1998). Each ask becomes an asked offer."""
    day.needy = needy = pop.need > 0
    day.asked = np.zeros(pop.n, dtype=bool)
    n_needy = np.count_nonzero(needy)
    if n_needy == 0:
        return
    helper, asker, edge = _ask(
        needy, stream(rng), ties.indptr, ties.dst, ties.rev, ties.trust,
        ties.last_contact, day.asked, day.day, pop.trust_gen, pop.self_reliance,
        pop.indebtedness, pop.need, pop.orientation, pop.reputation, ask_multiplier,
        per_resident(day.levers.ask_multiplier), per_resident(day.levers.ask_norm), tuple(k))
    day.add_offers(helper, asker, edge, asked=True)


# a tie's weight in the choice of whom to ask
@njit(cache=True)
def _ask_weight(tie_trust, reputation, k):
    t = float(tie_trust)
    r = float(reputation) / k.reputation_start
    known = r * r if k.reputation_preference == 2.0 else r ** k.reputation_preference
    return t * t * known + 1e-9


# one uniform per resident in need (u[j] is the j-th in needy_mask's) decides whether they
# ask; below the chance of asking, the same uniform rescaled to 0-1 picks the tie asked (by
# _ask_weight); returns the asked offers (helper, asker, edge helper -> asker) and marks
# askers and the ties used. k is the AskParams as a plain tuple, named again here: numba
# types a plain tuple argument in C and a named one in Python (about 1 us a call)
@njit(cache=True)
def _ask(needy_mask, h, indptr, dst, rev, tie_trust, tie_last_contact, asked, today, trust_gen,
         self_reliance, indebtedness, need, orientation, reputation, ask_multiplier, lever,
         norm, k):
    k = AskParams(*k)
    u = uniforms(h, np.count_nonzero(needy_mask))
    needy = np.empty(len(u), dtype=np.int64)
    helper = np.empty(len(u), dtype=np.int64)
    asker = np.empty(len(u), dtype=np.int64)
    edge = np.empty(len(u), dtype=np.int64)
    n_needy, n_asks, max_degree = 0, 0, 0
    for i in range(len(needy_mask)):
        if needy_mask[i]:
            needy[n_needy] = i
            n_needy += 1
            max_degree = max(max_degree, indptr[i + 1] - indptr[i])
    weight = np.empty(max_degree)  # the weights of one asker's ties
    for j in range(len(needy)):
        i = needy[j]
        start, end = indptr[i], indptr[i + 1]
        if end == start:
            continue
        prob = _ask_probability(i, trust_gen, self_reliance, indebtedness, need, orientation,
                                ask_multiplier, lever, norm, k)
        if not u[j] < prob:
            continue
        total = 0.0
        for e in range(start, end):
            weight[e - start] = _ask_weight(tie_trust[e], reputation[dst[e]], k)
            total += weight[e - start]
        target = u[j] / prob * total
        chosen = end - 1
        cum = 0.0
        for e in range(start, end):
            cum += weight[e - start]
            if cum > target:
                chosen = e
                break
        asked[i] = True
        tie_last_contact[chosen] = today
        tie_last_contact[rev[chosen]] = today
        helper[n_asks], asker[n_asks], edge[n_asks] = dst[chosen], i, rev[chosen]
        n_asks += 1
    return helper[:n_asks], asker[:n_asks], edge[:n_asks]

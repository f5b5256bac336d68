"""Offered helpers decide whether to help; each resident in need accepts at most one
helper a day and each helper helps at most one resident a day; help relieves need and
costs the helper energy."""

from __future__ import annotations

import numpy as np
from numba import njit

from sim.day import Day, Offers
from sim.network import Ties
from sim.orientations import ProfileTable
from sim.params import RuleParams
from sim.population import NEVER, Population


def p_help(pop: Population, ties: Ties, offers: Offers, prof: ProfileTable,
           p: RuleParams, active: np.ndarray) -> np.ndarray:
    """Probability that each offered helper helps: their orientation's propensity, scaled by
    trust in the recipient (along the tie, or in the recipient's group where there is no tie),
    the recipient's standing (Nowak & Sigmund 1998), the helper's energy (unless, like
    rescuers, they ignore it), resentment and place attachment, a cut for recipients from
    other sections (Hammond & Axelrod 2006) and a bonus for being asked directly.
    Multiplicative form: assumption. Withdrawn residents never help."""
    return _p_help(offers.helper, offers.recipient, offers.edge, offers.asked, active,
                   pop.orientation, pop.section, pop.trust_in, pop.trust_out, ties.trust,
                   pop.reputation, pop.energy, pop.resentment, pop.attachment,
                   prof.help_propensity, prof.energy_awareness, prof.in_group_bias,
                   p.standing_weight, p.resentment_weight, p.attachment_weight, p.asked_bonus)


# the documented product of p_help, for each offer
@njit(cache=True)
def _p_help(helper, recipient, edge, asked, active, orientation, section, trust_in, trust_out,
            tie_trust, reputation, energy, resentment, attachment, help_propensity,
            energy_awareness, in_group_bias, standing_weight, resentment_weight,
            attachment_weight, asked_bonus):
    prob = np.zeros(len(helper))
    for k in range(len(helper)):
        h, r = helper[k], recipient[k]
        if not active[h]:
            continue
        o = orientation[h]
        same = section[h] == section[r]
        if edge[k] >= 0:
            trust = float(tie_trust[edge[k]])
        else:
            trust = float(trust_in[h] if same else trust_out[h])
        x = (help_propensity[o]
             * (0.3 + 0.7 * trust)
             * (1.0 - standing_weight * (1.0 - reputation[r]))
             * (1.0 - energy_awareness[o] * (1.0 - energy[h]))
             * (1.0 - resentment_weight * resentment[h])
             * (1.0 + attachment_weight * attachment[h])
             * (1.0 if same else 1.0 - in_group_bias[o])
             * (1.0 + asked_bonus if asked[k] else 1.0))
        prob[k] = min(max(x, 0.0), 1.0)
    return prob


def decide_to_help(pop: Population, ties: Ties, prof: ProfileTable, p: RuleParams,
                   day: Day, rng) -> None:
    """Offered helpers decide; among willing helpers, in random order, each recipient takes
    the first and each helper serves only the first recipient it reaches. Asked helpers who
    are active and decline are recorded as refusals."""
    offers = day.offers()
    day.offered = np.zeros(pop.n, dtype=bool)
    if len(offers) == 0:
        day.refusals = offers
        return
    prob = p_help(pop, ties, offers, prof, p, day.active)
    acts, refused = _match(offers.helper, offers.recipient, offers.asked, pop.need, day.active,
                           prob, rng.random(2 * len(offers)), day.offered)
    day.refusals = offers.subset(refused)
    day.acts_helper = offers.helper[acts]
    day.acts_recipient = offers.recipient[acts]
    day.acts_edge = offers.edge[acts]


# every offer marks its recipient as offered; an offer counts only while the need is there.
# u[k] decides offer k (willing if below its chance; asked, active and unwilling is a
# refusal), u[len + k] is its place in the random order of the willing. In that order each
# recipient takes the first willing helper, then each helper serves the first of those
# recipients it reaches. Returns (acts, refusals) as offer indices.
@njit(cache=True)
def _match(helper, recipient, asked, need, active, prob, u, offered):
    n_offers = len(helper)
    willing = np.empty(n_offers, dtype=np.int64)
    refused = np.empty(n_offers, dtype=np.int64)
    n_willing, n_refused = 0, 0
    for k in range(n_offers):
        offered[recipient[k]] = True
        if need[recipient[k]] <= 0:
            continue
        if u[k] < prob[k]:
            willing[n_willing] = k
            n_willing += 1
        elif asked[k] and active[helper[k]]:
            refused[n_refused] = k
            n_refused += 1
    willing = willing[:n_willing]
    willing = willing[np.argsort(u[n_offers + willing])]
    taken = np.zeros(len(offered), dtype=np.bool_)
    first = np.empty(n_willing, dtype=np.int64)
    n_first = 0
    for k in willing:
        if not taken[recipient[k]]:
            taken[recipient[k]] = True
            first[n_first] = k
            n_first += 1
    busy = np.zeros(len(offered), dtype=np.bool_)
    acts = np.empty(n_first, dtype=np.int64)
    n_acts = 0
    for k in first[:n_first]:
        if not busy[helper[k]]:
            busy[helper[k]] = True
            acts[n_acts] = k
            n_acts += 1
    return acts[:n_acts], refused[:n_refused]


def give_help(pop: Population, p: RuleParams, day: Day) -> None:
    """Help relieves need and costs the helper energy; both have had contact today."""
    day.acts_relief = _give(day.acts_helper, day.acts_recipient, pop.need, pop.need_since,
                            pop.energy, pop.helps_given, pop.last_help_day,
                            pop.last_contact_day, day.contact, p.help_relief, p.help_cost,
                            day.day)


# each act relieves need by at most the relief (help never exceeds need) and costs energy;
# returns the need relieved by each act
@njit(cache=True)
def _give(helper, recipient, need, need_since, energy, helps_given, last_help_day,
          last_contact_day, contact, relief, cost, today):
    relieved = np.empty(len(helper))
    for k in range(len(helper)):
        h, r = helper[k], recipient[k]
        relieved[k] = min(float(need[r]), relief)
        need[r] -= relieved[k]
        if need[r] <= 0:
            need_since[r] = NEVER
        energy[h] = max(energy[h] - cost, 0.0)
        helps_given[h] += 1.0
        for i in (h, r):
            last_help_day[i] = today
            last_contact_day[i] = today
            contact[i] = True
    return relieved

"""Offered helpers decide whether to help; each resident in need accepts at most one
helper a day and each helper helps at most one resident a day; help relieves need and
costs the helper energy."""

from __future__ import annotations

import numpy as np

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
    h, r = offers.helper, offers.recipient
    o = pop.orientation[h]
    same = pop.section[h] == pop.section[r]
    group_trust = np.where(same, pop.trust_in[h], pop.trust_out[h])
    trust = group_trust.copy()
    has_tie = offers.edge >= 0
    trust[has_tie] = ties.trust[offers.edge[has_tie]]
    prob = (prof.help_propensity[o]
            * (0.3 + 0.7 * trust)
            * (1.0 - p.standing_weight * (1.0 - pop.reputation[r]))
            * (1.0 - prof.energy_awareness[o] * (1.0 - pop.energy[h]))
            * (1.0 - p.resentment_weight * pop.resentment[h])
            * (1.0 + p.attachment_weight * pop.attachment[h])
            * np.where(same, 1.0, 1.0 - prof.in_group_bias[o])
            * np.where(offers.asked, 1.0 + p.asked_bonus, 1.0))
    return np.where(active[h], np.clip(prob, 0.0, 1.0), 0.0)


def _first_of_each(keys: np.ndarray, order: np.ndarray) -> np.ndarray:
    """Positions (into ``order``) of the first occurrence of each key, in ``order``'s order."""
    k = keys[order]
    srt = np.argsort(k, kind="stable")
    first = np.ones(len(srt), dtype=bool)
    first[1:] = k[srt][1:] != k[srt][:-1]
    return np.sort(srt[first])


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
    day.offered[offers.recipient] = True
    # an offer is only meaningful while the need is still there
    offers = offers.subset(pop.need[offers.recipient] > 0)
    willing = rng.random(len(offers)) < p_help(pop, ties, offers, prof, p, day.active)
    day.refusals = offers.subset(offers.asked & ~willing & day.active[offers.helper])
    yes = offers.subset(willing)
    order = rng.permutation(len(yes))
    order = order[_first_of_each(yes.recipient, order)]
    order = order[_first_of_each(yes.helper, order)]
    day.acts_helper = yes.helper[order]
    day.acts_recipient = yes.recipient[order]
    day.acts_edge = yes.edge[order]


def give_help(pop: Population, p: RuleParams, day: Day) -> None:
    """Help relieves need and costs the helper energy; both have had contact today."""
    h, r = day.acts_helper, day.acts_recipient
    day.acts_relief = np.minimum(pop.need[r], p.help_relief)  # help never exceeds need
    pop.need[r] -= day.acts_relief
    pop.need_since[r[pop.need[r] <= 0]] = NEVER
    pop.energy[h] = np.maximum(pop.energy[h] - p.help_cost, 0.0)
    pop.helps_given[h] += 1.0
    pop.last_help_day[h] = day.day
    pop.last_help_day[r] = day.day
    pop.last_contact_day[h] = day.day
    pop.last_contact_day[r] = day.day
    day.contact[h] = True
    day.contact[r] = True

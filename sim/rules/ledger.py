"""Ledgers of giving and receiving: indebtedness in receivers, resentment in one-way givers."""

from __future__ import annotations

import numpy as np

from sim.day import Day
from sim.orientations import ProfileTable
from sim.params import RuleParams
from sim.population import Population


def settle_ledgers(pop: Population, prof: ProfileTable, p: RuleParams, day: Day) -> None:
    """Help received adds indebtedness; helping anyone pays some back (reciprocity is slow
    and indirect, Liveable Lives, JRF 2015); indebtedness fades over years. Each resident's
    running balance of help given minus received decays with a half-life; while it stays
    above a threshold, one-way giving grows resentment (Haslewood, JRF 2014), otherwise
    resentment fades. Rates: assumption."""
    h, r = day.acts_helper, day.acts_recipient
    pop.indebtedness[r] += p.debt_per_help * (1.0 - pop.indebtedness[r])
    pop.indebtedness[h] = np.maximum(pop.indebtedness[h] - p.debt_repaid_per_help, 0.0)
    pop.indebtedness *= 1.0 - p.debt_decay
    pop.balance *= 0.5 ** (1.0 / p.balance_half_life_days)
    pop.balance[h] += 1.0
    pop.balance[r] -= 1.0
    one_way = pop.balance > p.resentment_balance
    sens = prof.resentment_sensitivity[pop.orientation]
    pop.resentment += np.where(
        one_way, p.resentment_rate * sens * (1.0 - pop.resentment),
        -p.resentment_decay * pop.resentment,
    ).astype(pop.resentment.dtype)

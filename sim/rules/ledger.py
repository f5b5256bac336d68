"""Ledgers of giving and receiving: indebtedness in receivers, resentment in one-way givers."""

from __future__ import annotations

import numpy as np
from numba import njit

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
    pop.balance[h] += 1.0  # decayed below with everyone's: order does not matter
    pop.balance[r] -= 1.0
    _decay_and_resent(pop.indebtedness, pop.balance, pop.resentment, pop.orientation,
                      prof.resentment_sensitivity, 1.0 - p.debt_decay,
                      0.5 ** (1.0 / p.balance_half_life_days), p.resentment_balance,
                      p.resentment_rate, p.resentment_decay)


@njit(cache=True)
def _decay_and_resent(debt, balance, resentment, orientation, sensitivity, debt_keep,
                      balance_keep, threshold, rate, decay):
    """One pass over residents: debts and balances decay; resentment grows while the
    balance of one-way giving is above the threshold, and fades otherwise."""
    for i in range(debt.shape[0]):
        debt[i] *= debt_keep
        balance[i] *= balance_keep
        if balance[i] > threshold:
            resentment[i] += rate * sensitivity[orientation[i]] * (1.0 - resentment[i])
        else:
            resentment[i] -= decay * resentment[i]

"""Ledgers of giving and receiving: indebtedness in receivers, resentment in one-way givers."""

from __future__ import annotations

from typing import NamedTuple

from sim.compiled import njit
from sim.day import Day
from sim.metrics import HELP_MEMORY_HALF_LIFE_DAYS
from sim.orientations import ProfileTable
from sim.params import RuleParams
from sim.population import Population


class LedgerParams(NamedTuple):
    """The numbers of :func:`settle_ledgers` (sim.params.RuleParams), per day."""

    debt_per_help: float
    debt_repaid: float
    debt_keep: float  # share of indebtedness kept each day
    balance_keep: float  # share of the balance kept each day
    threshold: float
    rate: float
    decay: float
    helps_keep: float  # share of the running count of helps given kept each day

    @classmethod
    def of(cls, p: RuleParams) -> LedgerParams:
        return cls(p.debt_per_help, p.debt_repaid_per_help, 1.0 - p.debt_decay,
                   0.5 ** (1.0 / p.balance_half_life_days), p.resentment_balance,
                   p.resentment_rate, p.resentment_decay,
                   0.5 ** (1.0 / HELP_MEMORY_HALF_LIFE_DAYS))


def settle_ledgers(pop: Population, prof: ProfileTable, k: LedgerParams, day: Day) -> None:
    """Help received adds indebtedness; helping anyone pays some back (reciprocity is slow
    and indirect, Liveable Lives, JRF 2015); indebtedness fades over years. Each resident's
    running balance of help given minus received decays with a half-life; while it stays
    above a threshold, one-way giving grows resentment (Haslewood, JRF 2014), otherwise
    resentment fades. Rates: assumption. The running count of helps each resident has given
    (pop.helps_given, read by the civic-core metrics) fades with a one-year half-life."""
    _settle(day.acts_helper, day.acts_recipient, pop.indebtedness, pop.balance,
            pop.resentment, pop.helps_given, pop.orientation, prof.resentment_sensitivity,
            tuple(k))


# each act: the recipient's debt grows, the helper's shrinks, balances move; then a pass over
# residents: debts, balances and counts of helps given decay (without branches, so that it
# compiles to vector code); a second: resentment grows while the balance of one-way giving is
# above the threshold and fades otherwise. k is the LedgerParams as a plain tuple, named again
# here: numba types a plain tuple argument in C and a named one in Python (about 1 us a call)
@njit(cache=True)
def _settle(helper, recipient, debt, balance, resentment, helps_given, orientation,
            sensitivity, k):
    k = LedgerParams(*k)
    for j in range(len(helper)):
        r = recipient[j]
        debt[r] += k.debt_per_help * (1.0 - debt[r])
    for j in range(len(helper)):
        h = helper[j]
        debt[h] = max(debt[h] - k.debt_repaid, 0.0)
        balance[h] += 1.0
        balance[recipient[j]] -= 1.0
    for i in range(debt.shape[0]):
        debt[i] *= k.debt_keep
        balance[i] *= k.balance_keep
        helps_given[i] *= k.helps_keep
    for i in range(debt.shape[0]):
        if balance[i] > k.threshold:
            resentment[i] += k.rate * sensitivity[orientation[i]] * (1.0 - resentment[i])
        else:
            resentment[i] -= k.decay * resentment[i]

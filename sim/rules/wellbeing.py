"""Energy and burnout, loneliness, place attachment and self-reliance."""

from __future__ import annotations

import numpy as np
from numba import njit

from sim.day import Day
from sim.network import Ties
from sim.orientations import ProfileTable
from sim.params import RuleParams
from sim.population import Population

ENERGY_ON_RETURN = 0.6  # energy of a resident coming back from withdrawal (assumption)
BURNOUT_ON_WITHDRAWAL = 0.5  # burnout left when withdrawal starts (assumption)


def recover_energy_and_burn_out(pop: Population, prof: ProfileTable, p: RuleParams,
                                day: Day) -> None:
    """Energy recovers each day; burnout builds while energy stays below a threshold and
    fades above it; at full burnout the resident withdraws from helping and hubs for a while
    and comes back with part of their energy. New rule (no published model treats helper
    burnout in neighbourhoods): forms and rates are assumptions."""
    _recover(pop.energy, pop.burnout, pop.withdrawn_until, pop.orientation,
             prof.recovery_multiplier, day.active, day.day, p.energy_recovery,
             p.burnout_energy, p.burnout_growth, p.burnout_recovery, p.withdrawal_days)


# one pass over residents: energy recovers, burnout builds or fades, withdrawal starts or ends
@njit(cache=True)
def _recover(energy, burnout, withdrawn_until, orientation, recovery_multiplier, active,
             today, recovery, threshold, growth, shed, withdrawal_days):
    for i in range(energy.shape[0]):
        energy[i] += recovery * recovery_multiplier[orientation[i]] * (1.0 - energy[i])
        if energy[i] < threshold:
            burnout[i] = min(burnout[i] + growth, 1.0)
        else:
            burnout[i] = max(burnout[i] - shed, 0.0)
        if burnout[i] >= 1.0 and active[i]:
            withdrawn_until[i] = today + 1 + withdrawal_days
            burnout[i] = BURNOUT_ON_WITHDRAWAL
        elif withdrawn_until[i] == today + 1 and energy[i] < ENERGY_ON_RETURN:
            energy[i] = ENERGY_ON_RETURN


def update_loneliness(pop: Population, ties: Ties, p: RuleParams, day: Day) -> None:
    """Loneliness grows on days without contact and falls on days with it, and drifts toward
    the loneliness of one's ties, so that it spreads along the network and fades with
    distance (form: Cacioppo, Fowler & Christakis 2009; rates assumption)."""
    _lonely(pop.loneliness, day.contact, ties.indptr, ties.dst, p.loneliness_rise,
            p.loneliness_fall, p.loneliness_contagion)


@njit(cache=True)
def _lonely(lonely, contact, indptr, dst, rise, fall, contagion):
    """Contact or its absence first, for everyone; then each resident drifts toward the mean
    of their ties (using today's values after the contact step, all at once)."""
    n = lonely.shape[0]
    for i in range(n):
        if contact[i]:
            lonely[i] -= fall * lonely[i]
        else:
            lonely[i] += rise * (1.0 - lonely[i])
    before = lonely.copy()
    for i in range(n):
        start, end = indptr[i], indptr[i + 1]
        if end > start:
            around = 0.0
            for e in range(start, end):
                around += before[dst[e]]
            lonely[i] += contagion * (around / (end - start) - before[i])
        lonely[i] = min(max(lonely[i], 0.0), 1.0)


def update_attachment(pop: Population, p: RuleParams, day: Day) -> None:
    """Place attachment grows with hub visits and with giving or receiving help, and relaxes
    slowly toward each resident's own baseline (JRF 2015: people who value a place invest
    in it; rates assumption)."""
    visits = day.hub_visits if day.hub_visits is not None else _NO_VISITS
    _attach(pop.attachment, pop.attachment_prior, visits, day.acts_helper, day.acts_recipient,
            p.attachment_relaxation, p.attachment_gain_visit, p.attachment_gain_help)


_NO_VISITS = np.zeros(0, dtype=np.int64)


# everyone relaxes toward their baseline; hub visitors gain; then everyone who gave or
# received help today gains once (a resident who did both gains once)
@njit(cache=True)
def _attach(att, prior, hub_visits, helper, recipient, relaxation, gain_visit, gain_help):
    for i in range(att.shape[0]):
        att[i] += relaxation * (prior[i] - att[i])
        if len(hub_visits) and hub_visits[i] >= 0:
            att[i] += gain_visit * (1.0 - att[i])
    helped = np.zeros(att.shape[0], dtype=np.bool_)
    for group in (helper, recipient):
        for i in group:
            if not helped[i]:
                helped[i] = True
                att[i] += gain_help * (1.0 - att[i])


def relax_self_reliance(pop: Population, prof: ProfileTable, p: RuleParams, day: Day) -> None:
    """Receiving help that went well lowers self-reliance a little; otherwise it drifts back
    to the orientation's baseline (Haslewood, JRF 2014; rates assumption)."""
    _rely(pop.self_reliance, prof.self_reliance, pop.orientation, day.acts_recipient,
          p.self_reliance_relaxation, p.self_reliance_drop_on_help)


# everyone drifts toward their orientation's baseline; then each recipient of help drops
@njit(cache=True)
def _rely(x, profile_value, orientation, recipient, rate, drop):
    for i in range(x.shape[0]):
        x[i] += rate * (profile_value[orientation[i]] - x[i])
    for i in recipient:
        x[i] = max(x[i] - drop, 0.0)

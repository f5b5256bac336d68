"""Energy and burnout, loneliness, place attachment and self-reliance."""

from __future__ import annotations

import numpy as np

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
    pop.energy += (p.energy_recovery * prof.recovery_multiplier[pop.orientation]
                   * (1.0 - pop.energy))
    low = pop.energy < p.burnout_energy
    pop.burnout += np.where(low, p.burnout_growth, -p.burnout_recovery).astype(
        pop.burnout.dtype)
    np.clip(pop.burnout, 0.0, 1.0, out=pop.burnout)
    out = np.flatnonzero((pop.burnout >= 1.0) & day.active)
    pop.withdrawn_until[out] = day.day + 1 + p.withdrawal_days
    pop.burnout[out] = BURNOUT_ON_WITHDRAWAL
    back = np.flatnonzero(pop.withdrawn_until == day.day + 1)
    back = back[pop.energy[back] < ENERGY_ON_RETURN]
    pop.energy[back] = ENERGY_ON_RETURN


def update_loneliness(pop: Population, ties: Ties, p: RuleParams, day: Day) -> None:
    """Loneliness grows on days without contact and falls on days with it, and drifts toward
    the loneliness of one's ties, so that it spreads along the network and fades with
    distance (form: Cacioppo, Fowler & Christakis 2009; rates assumption)."""
    lonely = pop.loneliness
    lonely += np.where(day.contact, -p.loneliness_fall * lonely,
                       p.loneliness_rise * (1.0 - lonely)).astype(lonely.dtype)
    degree = ties.degree()
    if ties.m:
        around = np.bincount(ties.src, weights=lonely[ties.dst], minlength=pop.n)
        has = degree > 0
        target = np.where(has, around / np.maximum(degree, 1), lonely)
        lonely += (p.loneliness_contagion * (target - lonely)).astype(lonely.dtype)
    np.clip(lonely, 0.0, 1.0, out=lonely)


def update_attachment(pop: Population, p: RuleParams, day: Day) -> None:
    """Place attachment grows with hub visits and with giving or receiving help, and relaxes
    slowly toward each resident's own baseline (JRF 2015: people who value a place invest
    in it; rates assumption)."""
    att = pop.attachment
    att += p.attachment_relaxation * (pop.attachment_prior - att)
    if day.hub_visits is not None:
        visited = day.hub_visits >= 0
        att[visited] += p.attachment_gain_visit * (1.0 - att[visited])
    helped = np.concatenate([day.acts_helper, day.acts_recipient])
    att[helped] += p.attachment_gain_help * (1.0 - att[helped])


def relax_self_reliance(pop: Population, prof: ProfileTable, p: RuleParams, day: Day) -> None:
    """Receiving help that went well lowers self-reliance a little; otherwise it drifts back
    to the orientation's baseline (Haslewood, JRF 2014; rates assumption)."""
    base = prof.self_reliance[pop.orientation]
    pop.self_reliance += p.self_reliance_relaxation * (base - pop.self_reliance)
    r = day.acts_recipient
    pop.self_reliance[r] = np.maximum(pop.self_reliance[r] - p.self_reliance_drop_on_help, 0.0)

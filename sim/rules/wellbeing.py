"""Contact from outside the neighbourhood; energy, strain and stepping back; loneliness,
place attachment and self-reliance."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from sim.compiled import njit
from sim.day import Day, Meetings
from sim.draws import stream, uniforms
from sim.network import Ties
from sim.orientations import ProfileTable
from sim.params import RuleParams
from sim.population import Population


class StrainParams(NamedTuple):
    """The numbers of :func:`recover_and_step_back` (sim.params.RuleParams)."""

    energy_recovery: float
    strain_recovery: float
    burnout_hazard: float
    strained_level: float
    withdrawal_days: int
    energy_on_return: float
    strain_on_return: float

    @classmethod
    def of(cls, p: RuleParams) -> StrainParams:
        return cls(p.energy_recovery, p.strain_recovery, p.burnout_hazard, p.strained_level,
                   p.withdrawal_days, p.energy_on_return, p.strain_on_return)


class LonelinessParams(NamedTuple):
    rise: float
    fall: float
    contagion: float
    discontent: float
    dilution: float

    @classmethod
    def of(cls, p: RuleParams) -> LonelinessParams:
        return cls(p.loneliness_rise, p.loneliness_fall, p.loneliness_contagion,
                   p.discontent_spread_ratio, p.influence_dilution)


def contact_outside(pop: Population, day: Day, rng) -> None:
    """Each resident has contact with people outside the neighbourhood (family, work, friends
    elsewhere, online) with their own lasting daily chance; it relieves loneliness like any
    contact but is not a conversation with a neighbour. Rate: sim.params (outside_contact_*)."""
    _outside(pop.outside_contact, stream(rng), day.contact, pop.last_contact_day, day.day)


@njit(cache=True)
def _outside(chance, h, contact, last_contact_day, today):
    u = uniforms(h, len(chance))
    for i in range(len(u)):
        if u[i] < chance[i]:
            contact[i] = True
            last_contact_day[i] = today


def recover_and_step_back(pop: Population, prof: ProfileTable, k: StrainParams, day: Day,
                          rng) -> None:
    """Energy recovers each day and strain (the cumulative load of helping, built by each
    act: sim/rules/helping.py) fades slowly. Above the strained level, helping has become
    too much, and each day brings a chance of stepping back (burnout) that rises with strain,
    to burnout_hazard at full strain: the resident withdraws from helping and hubs for a
    while and comes back with part of their energy and some strain left. Who reaches that
    level is decided by how much they help and whether strain holds them back (rescuers
    ignore it: sim/rules/helping.py). New rule (NCVO Time Well Spent 2019: the more often
    people give, the more pressured they feel and the likelier they are to stop): forms and
    rates are assumptions, the strain rate calibrated."""
    _recover(pop.energy, pop.strain, pop.withdrawn_until, pop.orientation,
             prof.recovery_multiplier, day.active, stream(rng), day.day, tuple(k))


# one pass over residents: energy recovers, strain fades, stepping back starts or ends. k is
# the StrainParams as a plain tuple, named again here: numba types a plain tuple argument in C
# and a named one in Python (about 1 us a call)
@njit(cache=True)
def _recover(energy, strain, withdrawn_until, orientation, recovery_multiplier, active, h,
             today, k):
    u = uniforms(h, energy.shape[0])
    k = StrainParams(*k)
    for i in range(energy.shape[0]):
        energy[i] += k.energy_recovery * recovery_multiplier[orientation[i]] * (1.0 - energy[i])
        strain[i] -= k.strain_recovery * strain[i]
        if active[i] and strain[i] >= k.strained_level:
            over = (strain[i] - k.strained_level) / max(1.0 - k.strained_level, 1e-9)
            if u[i] < k.burnout_hazard * over:
                withdrawn_until[i] = today + 1 + k.withdrawal_days
        elif withdrawn_until[i] == today + 1:  # back tomorrow
            energy[i] = max(energy[i], k.energy_on_return)
            strain[i] = min(strain[i], k.strain_on_return)


def update_loneliness(pop: Population, ties: Ties, k: LonelinessParams, day: Day) -> None:
    """Loneliness grows on days without any contact and falls on days with it (neighbours,
    help, or people outside the neighbourhood). It also spreads along ties: each tie lonelier
    than the community's average pulls one up, each tie less lonely pulls one down, and
    loneliness spreads faster than relief (discontent_spread_ratio; Hill et al. 2010). The
    pull is a sum over ties, less its average over everyone with ties, so that spreading
    moves loneliness around the network without raising or lowering it overall; it is a
    shift, not a pull toward the ties' level, which would shrink every connected resident
    toward the middle and leave loneliness only to isolates. Through ties of ties it spreads
    further, fading with distance. Form: Cacioppo, Fowler & Christakis 2009 (loneliness
    spreads along ties and fades over three steps); rates assumption."""
    _lonely(pop.loneliness, day.contact, ties.indptr, ties.dst,
            *_degree_tables(ties.indptr, k.dilution), k.rise, k.fall, k.contagion,
            k.discontent)


# the ties' arrays and the exponent the tables below were last worked out for, and the tables,
# as one tuple read and replaced whole (threads stepping different models never take one's
# tables for the other's ties: the kernels do not check bounds): the ties change once a week,
# so the tables are worked out once a week, not every day
_DEGREES: list = [(None, None, None)]


def _degree_tables(indptr: np.ndarray, exponent: float) -> tuple[np.ndarray, ...]:
    """The loneliness kernel's tables of the ties: 1 / d^exponent for each degree d up to the
    largest (1 for no ties); the residents in order of their number of ties (in residents'
    order within a number); and where each number starts in that order (``start[d]`` to
    ``start[d + 1]`` have d ties)."""
    held = _DEGREES[0]
    if held[0] is not indptr or held[1] != exponent:
        order, start = _by_degree(indptr)
        dilution = np.maximum(np.arange(len(start) - 1), 1.0) ** -exponent  # to the largest
        held = (indptr, exponent, (dilution, order, start))
        _DEGREES[0] = held
    return held[2]


# a counting sort of the residents by their number of ties
@njit(cache=True)
def _by_degree(indptr):
    n = len(indptr) - 1
    top = 0
    for i in range(n):
        top = max(top, indptr[i + 1] - indptr[i])
    start = np.zeros(top + 2, dtype=np.int64)
    for i in range(n):
        start[indptr[i + 1] - indptr[i] + 1] += 1
    for d in range(1, top + 2):
        start[d] += start[d - 1]
    order = np.empty(n, dtype=np.int64)
    at = start.copy()
    for i in range(n):
        d = indptr[i + 1] - indptr[i]
        order[at[d]] = i
        at[d] += 1
    return order, start


@njit(cache=True)
def _lonely(lonely, contact, indptr, dst, dilution, by_degree, degree_start, rise, fall,
            contagion, discontent):
    """Contact or its absence first, for everyone; then each resident with ties shifts by
    the contagion rate times the pull of their ties (today's values after the contact step,
    all at once), less the average pull over everyone with ties. Both sides of each choice
    are worked out and one is picked (no branch to mispredict: contact is a coin toss).
    ``dilution``, ``by_degree`` and ``degree_start``: :func:`_degree_tables`."""
    n = lonely.shape[0]
    total_l = 0.0
    for i in range(n):
        x = lonely[i]
        down = x - fall * x
        up = x + rise * (1.0 - x)
        lonely[i] = down if contact[i] else up
        total_l += lonely[i]
    average = total_l / n if n else 0.0
    # each resident's pull on their ties: their departure from the average, lonelier
    # departures weighted by the discontent ratio (worked out once, then gathered)
    spread = np.empty(n)
    for i in range(n):
        gap = lonely[i] - average
        spread[i] = gap * discontent if gap > 0.0 else gap
    # each pull is the sum over the resident's ties in the ties' order, times the dilution
    # for their number; residents are taken a number of ties at a time, so that the inner
    # loop runs as many times for a whole group (in residents' order the end of each row was
    # a branch the processor missed: a third of this kernel at 10,000 residents)
    pull = np.zeros(n)
    for d in range(1, len(degree_start) - 1):
        scale = dilution[d]
        for j in range(degree_start[d], degree_start[d + 1]):
            i = by_degree[j]
            first = indptr[i]
            acc = 0.0
            for e in range(first, first + d):
                acc += spread[dst[e]]
            pull[i] = acc * scale
    total, with_ties = 0.0, 0
    for i in range(n):
        if indptr[i + 1] > indptr[i]:
            total += pull[i]
            with_ties += 1
    mean_pull = total / with_ties if with_ties else 0.0
    for i in range(n):
        if indptr[i + 1] > indptr[i]:
            lonely[i] += contagion * (pull[i] - mean_pull)
        lonely[i] = min(max(lonely[i], 0.0), 1.0)


def update_attachment(pop: Population, p: RuleParams, day: Day,
                      meetings: Meetings | None = None, hubs=None) -> None:
    """Place attachment grows with visits to places (a hub visit, or a meeting at a place:
    an event a programme holds at a hub) and with giving or receiving help, and relaxes
    slowly toward each resident's own baseline (JRF 2015: people who value a place invest
    in it; rates assumption). A visit to a crowded hub builds attachment in proportion to
    the room there (capacity over visitors, as its conversations are fewer: assumption), so
    that a hub far too small for those it draws does not build belonging as a roomy one
    does (a model check: a one-place hub raised belonging as much as a 300-place one)."""
    visits = _NO_ROWS if day.hub_visits is None else day.hub_visits
    a, b, at_hub = (_NO_ROWS, _NO_ROWS, _NO_MEETINGS) if meetings is None else (
        meetings.a, meetings.b, meetings.at_hub)
    capacity, visitors = ((_NO_ROWS, _NO_ROWS) if hubs is None or not hubs.n
                          else (hubs.capacity, hubs.visitors_today))
    _attach(pop.attachment, pop.attachment_prior, visits, capacity, visitors, a, b, at_hub,
            day.acts_helper, day.acts_recipient, p.attachment_relaxation,
            p.attachment_gain_visit, p.attachment_gain_help)


_NO_ROWS = np.zeros(0, dtype=np.int64)
_NO_MEETINGS = np.zeros(0, dtype=np.bool_)


# everyone relaxes toward their baseline; visitors to a place (a hub visit today, hub_visits
# >= 0, or a meeting at a place: a[j], b[j] where at_hub[j]) gain, a hub's visitors in
# proportion to its room today (capacity over visitors, at most 1: the factor by which
# pair_visitors cuts their conversations; empty capacity: all room); then everyone who gave
# or received help today gains once (a resident who did both gains once)
@njit(cache=True)
def _attach(att, prior, hub_visits, capacity, visitors, a, b, at_hub, helper, recipient,
            relaxation, gain_visit, gain_help):
    met = np.zeros(att.shape[0], dtype=np.bool_)  # met someone at a place
    for j in range(len(a)):
        if at_hub[j]:
            met[a[j]] = True
            met[b[j]] = True
    room = np.ones(len(visitors))
    for h in range(len(visitors)):
        if len(capacity) and visitors[h] > capacity[h]:
            room[h] = capacity[h] / visitors[h]
    for i in range(att.shape[0]):
        att[i] += relaxation * (prior[i] - att[i])
        if met[i]:
            att[i] += gain_visit * (1.0 - att[i])
        elif len(hub_visits) and hub_visits[i] >= 0:
            h = hub_visits[i]
            att[i] += gain_visit * (room[h] if h < len(room) else 1.0) * (1.0 - att[i])
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

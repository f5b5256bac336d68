"""Offered helpers decide whether to help; declined needs may be passed on to someone known
to help; each resident in need accepts one helper a day, and a helper may help several
people a day; help relieves need and costs the helper energy and adds to their strain."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from sim.compiled import njit
from sim.day import Day, Offers, per_resident
from sim.draws import stream, uniforms
from sim.network import Ties
from sim.orientations import ProfileTable
from sim.params import RuleParams
from sim.population import NEVER, Population


class HelpParams(NamedTuple):
    """The numbers of the helping rules (sim.params.RuleParams), grouped for the kernels."""

    trust_floor: float
    standing_weight: float
    resentment_weight: float
    attachment_weight: float
    asked_bonus: float
    strain_weight: float
    p_refer: float
    max_helps: int
    relief: float
    cost: float
    strain_per_act: float
    w_norm: float

    @classmethod
    def of(cls, p: RuleParams) -> HelpParams:
        return cls(p.help_trust_floor, p.standing_weight, p.resentment_weight,
                   p.attachment_weight, p.asked_bonus, p.strain_awareness_weight, p.p_refer,
                   p.max_helps_per_day, p.help_relief, p.help_cost, p.strain_per_act,
                   p.help_weight_norm)


class Profiles(NamedTuple):
    """The orientation arrays the helping kernels read (sim.orientations.ProfileTable)."""

    help_propensity: np.ndarray
    energy_awareness: np.ndarray
    in_group_bias: np.ndarray

    @classmethod
    def of(cls, prof: ProfileTable) -> Profiles:
        return cls(prof.help_propensity, prof.energy_awareness, prof.in_group_bias)


def p_help(pop: Population, ties: Ties, offers: Offers, prof: ProfileTable, k: HelpParams,
           active: np.ndarray, norm=0.0) -> np.ndarray:
    """Probability that each offered helper helps: their orientation's propensity, scaled by
    trust in the recipient (along the tie, or in the recipient's group where there is no
    tie), the recipient's standing (Nowak & Sigmund 1998), the helper's energy and strain
    (unless, like rescuers, they ignore both), resentment and place attachment, a cut for
    recipients from other sections (Hammond & Axelrod 2006) and a bonus for being asked
    directly; a shift in the helper's perceived norm about helping (``norm``, the day's
    help_norm lever, -1 to 1) multiplies it by 1 + help_weight_norm x the shift (descriptive
    norms: Cialdini, Reno & Kallgren 1990). Multiplicative form: assumption. Residents who
    stepped back never help."""
    return _p_help_many(offers.helper, offers.recipient, offers.edge, offers.asked, active,
                        pop.orientation, pop.section, pop.trust_in, pop.trust_out, ties.trust,
                        pop.reputation, pop.energy, pop.strain, pop.resentment,
                        pop.attachment, pop.helpfulness, per_resident(norm),
                        tuple(Profiles.of(prof)), tuple(k))


# the documented product of p_help, for one offer. Compiled without numba's reference counts
# (it only reads arrays its caller holds): with them, each call took and released a reference
# to each of its fifteen arrays, atomic operations that cost about 6% of a day at 10,000
@njit(cache=True, _nrt=False)
def _p_help_one(h, r, edge, asked, active, orientation, section, trust_in, trust_out,
                tie_trust, reputation, energy, strain, resentment, attachment, helpfulness,
                norm, prof, k):
    if not active[h] or h == r:
        return 0.0
    o = orientation[h]
    same = section[h] == section[r]
    trust = float(tie_trust[edge]) if edge >= 0 else float(trust_in[h] if same else trust_out[h])
    aware = prof.energy_awareness[o]
    x = (prof.help_propensity[o] * helpfulness[h]
         * (k.trust_floor + (1.0 - k.trust_floor) * trust)
         * (1.0 - k.standing_weight * (1.0 - reputation[r]))
         * (1.0 - aware * (1.0 - energy[h]))
         * (1.0 - k.strain_weight * aware * strain[h])
         * (1.0 - k.resentment_weight * resentment[h])
         * (1.0 + k.attachment_weight * attachment[h]))
    if not same:
        x *= 1.0 - prof.in_group_bias[o]
    if asked:
        x *= 1.0 + k.asked_bonus
    shift = norm[h if len(norm) > 1 else 0]
    if shift != 0.0:
        x *= 1.0 + k.w_norm * min(max(shift, -1.0), 1.0)
    return min(max(x, 0.0), 1.0)


# _p_help_one for each offer (prof and k as plain tuples, as in _decide)
@njit(cache=True)
def _p_help_many(helper, recipient, edge, asked, active, orientation, section, trust_in,
                 trust_out, tie_trust, reputation, energy, strain, resentment, attachment,
                 helpfulness, norm, prof, k):
    prof, k = Profiles(*prof), HelpParams(*k)
    out = np.empty(len(helper))
    for j in range(len(helper)):
        out[j] = _p_help_one(helper[j], recipient[j], edge[j], asked[j], active, orientation,
                             section, trust_in, trust_out, tie_trust, reputation, energy,
                             strain, resentment, attachment, helpfulness, norm, prof, k)
    return out


def decide_to_help(pop: Population, ties: Ties, prof: ProfileTable, k: HelpParams,
                   day: Day, rng) -> None:
    """Offered helpers decide. Someone who noticed a need but will not help passes it on,
    with chance p_refer, to the tie they know helps most (highest reputation), who then
    decides as if asked: so needs travel by word of mouth to the civic core. Among willing
    helpers, in random order, each resident in need takes the first whose day is not yet
    full (max_helps_per_day). Asked helpers who are active and decline are refusals."""
    offers = day.offers()
    day.offered = np.zeros(pop.n, dtype=bool)
    if len(offers) == 0:
        day.refusals = offers
        return
    helper, recipient, edge, refused, n_referred = _decide_drawn(
        offers.helper, offers.recipient, offers.edge, offers.asked, stream(rng),
        day.active, day.offered, ties.indptr, ties.dst, pop.orientation, pop.section,
        pop.trust_in, pop.trust_out, ties.trust, pop.reputation, pop.energy, pop.strain,
        pop.resentment, pop.attachment, pop.helpfulness, pop.need,
        per_resident(day.levers.help_norm), tuple(Profiles.of(prof)), tuple(k))
    day.refusals = offers.subset(refused)
    day.acts_helper, day.acts_recipient, day.acts_edge = helper, recipient, edge
    day.referrals = n_referred


# _decide with its two uniforms per offer drawn from stream h
@njit(cache=True)
def _decide_drawn(o_helper, o_recipient, o_edge, o_asked, h, *rest):
    return _decide(o_helper, o_recipient, o_edge, o_asked, uniforms(h, 2 * len(o_helper)),
                   *rest)


# the known helper among i's ties: the active tie with the highest reputation other than
# ``not_this`` (-1 if none)
@njit(cache=True)
def _best_known_helper(i, not_this, indptr, dst, reputation, active):
    best, best_rep = -1, -1.0
    for e in range(indptr[i], indptr[i + 1]):
        j = dst[e]
        if j != not_this and active[j] and reputation[j] > best_rep:
            best, best_rep = j, reputation[j]
    return best


# two uniforms per offer: u[k] decides whether its helper is willing (below the chance);
# above it, the same uniform rescaled to 0-1 decides whether a declined noticer refers the
# need on, and rescaled again whether the referred helper is willing. u[m + k] is the offer's
# place in the random order of the willing (its referral's, if it was referred). Every offer
# marks its recipient as offered; an offer counts only while the need is there. prof and k
# come as plain tuples and are named again here: numba types a plain tuple argument in C and
# a named one in Python (about 1 us a call)
@njit(cache=True)
def _decide(o_helper, o_recipient, o_edge, o_asked, u, active, offered, indptr, dst,
            orientation, section, trust_in, trust_out, tie_trust, reputation, energy, strain,
            resentment, attachment, helpfulness, need, norm, prof, k):
    prof, k = Profiles(*prof), HelpParams(*k)
    m = len(o_helper)
    w_helper = np.empty(2 * m, dtype=np.int64)
    w_recipient = np.empty(2 * m, dtype=np.int64)
    w_edge = np.empty(2 * m, dtype=np.int64)
    w_key = np.empty(2 * m)
    refused = np.empty(m, dtype=np.int64)
    n_w, n_ref, n_referred = 0, 0, 0
    for j in range(m):
        h, r = o_helper[j], o_recipient[j]
        offered[r] = True
        if need[r] <= 0:
            continue
        prob = _p_help_one(h, r, o_edge[j], o_asked[j], active, orientation, section,
                           trust_in, trust_out, tie_trust, reputation, energy, strain,
                           resentment, attachment, helpfulness, norm, prof, k)
        if u[j] < prob:
            w_helper[n_w], w_recipient[n_w], w_edge[n_w] = h, r, o_edge[j]
            w_key[n_w] = u[m + j]
            n_w += 1
            continue
        if o_asked[j]:
            if active[h]:
                refused[n_ref] = j
                n_ref += 1
            continue
        v = (u[j] - prob) / (1.0 - prob) if prob < 1.0 else 1.0  # uniform on (0, 1)
        if v < k.p_refer:
            other = _best_known_helper(h, r, indptr, dst, reputation, active)
            if other >= 0:
                n_referred += 1
                e = -1
                for f in range(indptr[other], indptr[other + 1]):
                    if dst[f] == r:
                        e = f
                        break
                prob = _p_help_one(other, r, e, True, active, orientation, section, trust_in,
                                   trust_out, tie_trust, reputation, energy, strain,
                                   resentment, attachment, helpfulness, norm, prof, k)
                if v / k.p_refer < prob:
                    w_helper[n_w], w_recipient[n_w], w_edge[n_w] = other, r, e
                    w_key[n_w] = u[m + j]
                    n_w += 1
    order = np.argsort(w_key[:n_w])
    taken = np.zeros(len(offered), dtype=np.bool_)
    acts_today = np.zeros(len(offered), dtype=np.int64)
    a_helper = np.empty(n_w, dtype=np.int64)
    a_recipient = np.empty(n_w, dtype=np.int64)
    a_edge = np.empty(n_w, dtype=np.int64)
    n_acts = 0
    for j in order:
        h, r = w_helper[j], w_recipient[j]
        if taken[r] or acts_today[h] >= k.max_helps:
            continue
        taken[r] = True
        acts_today[h] += 1
        a_helper[n_acts], a_recipient[n_acts], a_edge[n_acts] = h, r, w_edge[j]
        n_acts += 1
    return (a_helper[:n_acts], a_recipient[:n_acts], a_edge[:n_acts], refused[:n_ref],
            n_referred)


def give_help(pop: Population, k: HelpParams, day: Day) -> None:
    """Help relieves need, costs the helper energy and adds to their strain (cumulative
    load); both people have had contact today (help is not counted as a chat)."""
    day.acts_relief = _give(day.acts_helper, day.acts_recipient, pop.need, pop.need_since,
                            pop.energy, pop.strain, pop.helps_given, pop.last_help_day,
                            pop.last_contact_day, day.contact, tuple(k), day.day)


# each act relieves need by at most the relief (help never exceeds need), costs energy and
# adds strain (a share of the gap to 1); returns the need relieved by each act (k: the
# HelpParams as a plain tuple, as in _decide)
@njit(cache=True)
def _give(helper, recipient, need, need_since, energy, strain, helps_given, last_help_day,
          last_contact_day, contact, k, today):
    k = HelpParams(*k)
    relieved = np.empty(len(helper))
    for j in range(len(helper)):
        h, r = helper[j], recipient[j]
        relieved[j] = min(float(need[r]), k.relief)
        need[r] -= relieved[j]
        if need[r] <= 0:
            need_since[r] = NEVER
        energy[h] = max(energy[h] - k.cost, 0.0)
        strain[h] += k.strain_per_act * (1.0 - strain[h])
        helps_given[h] += 1.0
        for i in (h, r):
            last_help_day[i] = today
            last_contact_day[i] = today
            contact[i] = True
    return relieved

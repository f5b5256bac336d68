"""Trust updates: along ties from help and refusal, in groups from help, refusal and
contact, generalised trust from group trusts, and out-group trust under rapid change."""

from __future__ import annotations

import numpy as np
from numba import njit

from sim.day import Day, Meetings
from sim.network import Ties
from sim.orientations import ProfileTable
from sim.params import RuleParams
from sim.population import Population


def _toward(x: np.ndarray, rows: np.ndarray, rate: float, target: float) -> None:
    """Move x[rows] a share ``rate`` of the way to ``target``; a row listed k times moves
    k times."""
    _toward_weighted(x, rows, np.full(len(rows), rate), target)


def _toward_weighted(x: np.ndarray, rows: np.ndarray, rates: np.ndarray, target: float) -> None:
    """Like ``_toward`` with a rate per row: x keeps prod(1 - rate) of its gap to target."""
    if len(rows) == 0:
        return
    log_keep = np.bincount(rows, weights=np.log1p(-np.clip(rates, 0.0, 0.999999)),
                           minlength=len(x))
    hit = np.flatnonzero(log_keep)
    x[hit] = target + (x[hit] - target) * np.exp(log_keep[hit])


def learn_trust_from_help(pop: Population, ties: Ties, p: RuleParams, day: Day) -> None:
    """Help received raises the recipient's trust in the helper (along the tie) and in the
    helper's group; a refused request lowers the asker's trust in the refuser and in the
    refuser's group. Form: reinforcement learning of trust (Macy & Skvoretz 1998); rates
    assumption."""
    h, r, e = day.acts_helper, day.acts_recipient, day.acts_edge
    tied = e >= 0
    back = ties.rev[e[tied]]  # recipient -> helper
    ties.trust[back] += p.tie_trust_gain * (1.0 - ties.trust[back])
    ties.trust[e[tied]] += 0.5 * p.tie_trust_gain * (1.0 - ties.trust[e[tied]])
    ties.last_contact[e[tied]] = day.day
    ties.last_contact[back] = day.day
    same = pop.section[h] == pop.section[r]
    _toward(pop.trust_in, r[same], p.group_trust_gain, 1.0)
    _toward(pop.trust_out, r[~same], p.group_trust_gain, 1.0)
    ref = day.refusals
    if ref is None or len(ref) == 0:
        return
    back = ties.rev[ref.edge[ref.edge >= 0]]  # asker -> refuser
    ties.trust[back] *= 1.0 - p.tie_trust_loss
    same = pop.section[ref.helper] == pop.section[ref.recipient]
    _toward(pop.trust_in, ref.recipient[same], p.group_trust_loss, 0.0)
    _toward(pop.trust_out, ref.recipient[~same], p.group_trust_loss, 0.0)


def learn_trust_from_contact(pop: Population, meetings: Meetings, prof: ProfileTable,
                             p: RuleParams) -> None:
    """Meeting someone from another section raises out-group trust, more for open
    orientations and at common-cause events (contact weight, and at those events each
    side's common_cause_response: activists respond most); meeting one's own section
    raises in-group trust a little. Form: intergroup contact (Allport 1954; Pettigrew &
    Tropp 2006); sizes assumption, checked in validation."""
    a, b = meetings.a, meetings.b
    cross = pop.section[a] != pop.section[b]
    for me, other_cross in ((a, cross), (b, cross)):
        rate = p.contact_trust_gain * meetings.contact_weight * prof.contact_openness[
            pop.orientation[me]]
        if meetings.common_cause is not None and meetings.common_cause.any():
            cc = meetings.common_cause
            rate = np.where(cc, rate * prof.common_cause_response[pop.orientation[me]], rate)
        _toward_weighted(pop.trust_out, me[other_cross], rate[other_cross], 1.0)
        _toward_weighted(pop.trust_in, me[~other_cross], 0.5 * rate[~other_cross], 1.0)


def feel_threat_from_change(pop: Population, prof: ProfileTable, p: RuleParams,
                            new_cross_ties_per_resident: float) -> None:
    """Rapid change (new ties across sections forming in the community) lowers out-group
    trust among change-threatened residents (traditional orientation, JRF 2015). Linear
    form: assumption."""
    if new_cross_ties_per_resident <= 0:
        return
    loss = p.change_threat_rate * new_cross_ties_per_resident * prof.change_threat[
        pop.orientation]
    pop.trust_out *= np.clip(1.0 - loss, 0.0, 1.0).astype(pop.trust_out.dtype)


def relax_group_trust(pop: Population, p: RuleParams, share_own: np.ndarray) -> None:
    """Group trusts drift slowly back toward the section's starting levels (stable priors),
    and generalised trust follows the group trusts weighted by how much of the community
    each group is."""
    _relax_trusts(pop.trust_in, pop.trust_out, pop.trust_gen, pop.trust_prior_in,
                  pop.trust_prior_out, share_own, p.trust_relaxation, p.generalised_trust_rate)


@njit(cache=True)
def _relax_trusts(trust_in, trust_out, trust_gen, prior_in, prior_out, share_own, r, g):
    for i in range(trust_in.shape[0]):
        trust_in[i] += r * (prior_in[i] - trust_in[i])
        trust_out[i] += r * (prior_out[i] - trust_out[i])
        exposure = share_own[i] * trust_in[i] + (1.0 - share_own[i]) * trust_out[i]
        trust_gen[i] += g * (exposure - trust_gen[i])

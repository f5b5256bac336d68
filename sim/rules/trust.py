"""Trust updates: along ties from help and refusal, in groups from help, refusal and
contact, generalised trust from group trusts, and out-group trust under rapid change."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from sim.compiled import njit
from sim.day import Day, Meetings, Offers
from sim.network import Ties
from sim.orientations import ProfileTable
from sim.params import RuleParams
from sim.population import Population


class TrustParams(NamedTuple):
    """The numbers of the trust rules (sim.params.RuleParams), grouped for the kernels."""

    tie_gain: float
    helper_share: float
    tie_loss: float
    group_gain: float
    group_loss: float
    contact_gain: float
    in_group_share: float
    relaxation: float
    generalised_rate: float
    change_threat_rate: float

    @classmethod
    def of(cls, p: RuleParams) -> TrustParams:
        return cls(p.tie_trust_gain, p.helper_tie_trust_share, p.tie_trust_loss,
                   p.group_trust_gain, p.group_trust_loss, p.contact_trust_gain,
                   p.in_group_contact_share, p.trust_relaxation, p.generalised_trust_rate,
                   p.change_threat_rate)


def learn_trust_from_help(pop: Population, ties: Ties, k: TrustParams, day: Day) -> None:
    """Help received raises the recipient's trust in the helper (along the tie) and in the
    helper's group, and the helper's trust along the tie a little; a refused request lowers
    the asker's trust in the refuser and in the refuser's group. Form: reinforcement
    learning of trust (Macy & Skvoretz 1998); rates assumption."""
    ref = day.refusals
    if ref is None:
        ref = _NO_REFUSALS
    _learn_from_help(day.acts_helper, day.acts_recipient, day.acts_edge, ref.helper,
                     ref.recipient, ref.edge, pop.section, pop.trust_in, pop.trust_out,
                     ties.trust, ties.rev, ties.last_contact, day.day, tuple(k))


_NO_REFUSALS = Offers(*(np.zeros(0, np.int64) for _ in range(3)), np.zeros(0, bool))


# each act: the recipient's trust along the tie back to the helper rises (the helper's by a
# share of that), the tie is used, the recipient's trust in the helper's group rises; each
# refusal: the asker's trust along the tie and in the refuser's group falls. k is the
# TrustParams as a plain tuple, named again here: numba types a plain tuple argument in C and
# a named one in Python (about 1 us a call)
@njit(cache=True)
def _learn_from_help(helper, recipient, edge, ref_helper, ref_recipient, ref_edge, section,
                     trust_in, trust_out, tie_trust, rev, tie_last_contact, today, k):
    k = TrustParams(*k)
    for j in range(len(helper)):
        h, r, e = helper[j], recipient[j], edge[j]
        if e >= 0:
            back = rev[e]  # recipient -> helper
            tie_trust[back] += k.tie_gain * (1.0 - tie_trust[back])
            tie_trust[e] += k.helper_share * k.tie_gain * (1.0 - tie_trust[e])
            tie_last_contact[e] = today
            tie_last_contact[back] = today
        if section[h] == section[r]:
            trust_in[r] += k.group_gain * (1.0 - trust_in[r])
        else:
            trust_out[r] += k.group_gain * (1.0 - trust_out[r])
    for j in range(len(ref_helper)):
        h, r, e = ref_helper[j], ref_recipient[j], ref_edge[j]
        if e >= 0:
            tie_trust[rev[e]] *= 1.0 - k.tie_loss  # asker -> refuser
        if section[h] == section[r]:
            trust_in[r] *= 1.0 - k.group_loss
        else:
            trust_out[r] *= 1.0 - k.group_loss


def learn_trust_from_contact(pop: Population, meetings: Meetings, prof: ProfileTable,
                             k: TrustParams) -> None:
    """Meeting someone from another section raises out-group trust, more for open
    orientations, for meetings with a larger contact weight, and in settings an orientation
    responds to (each side's response to the meeting's setting, sim.params.MEETING_SETTINGS:
    at common-cause events activists respond most); meeting one's own section raises
    in-group trust a little. Form: intergroup contact (Allport 1954; Pettigrew & Tropp
    2006); sizes assumption, checked in validation."""
    setting = meetings.setting
    _learn_from_contact(meetings.a, meetings.b, meetings.contact_weight,
                        np.zeros(0, np.int8) if setting is None else setting, pop.section,
                        pop.orientation, pop.trust_in, pop.trust_out, prof.contact_openness,
                        prof.setting_response, tuple(k))


# both sides of each meeting move a share of the gap to full trust: out-group trust across
# sections, in-group trust (at in_group_share of the rate) within; moves compound (k: the
# TrustParams as a plain tuple, as in _learn_from_help)
@njit(cache=True)
def _learn_from_contact(a, b, contact_weight, setting, section, orientation, trust_in,
                        trust_out, openness, setting_response, k):
    k = TrustParams(*k)
    for j in range(len(a)):
        cross = section[a[j]] != section[b[j]]
        for me in (a[j], b[j]):
            o = orientation[me]
            rate = k.contact_gain * contact_weight[j] * openness[o]
            if len(setting) and setting[j]:
                rate *= setting_response[setting[j], o]
            if cross:
                trust_out[me] += min(max(rate, 0.0), 0.999999) * (1.0 - trust_out[me])
            else:
                step = min(max(k.in_group_share * rate, 0.0), 0.999999)
                trust_in[me] += step * (1.0 - trust_in[me])


def feel_threat_from_change(pop: Population, prof: ProfileTable, k: TrustParams,
                            change_per_resident: float) -> None:
    """Rapid change (newcomers arriving and new ties across sections forming, per resident)
    lowers out-group trust among change-threatened residents (traditional orientation, JRF
    2015). Linear form: assumption."""
    if change_per_resident <= 0:
        return
    _threaten(pop.trust_out, pop.orientation, prof.change_threat,
              k.change_threat_rate * change_per_resident)


# each resident keeps a share 1 - rate x their orientation's change threat (clipped to 0-1)
# of their out-group trust, all in float32 (the rate rounded to float32 first), as numpy does
# for float32 arrays and a Python float
@njit(cache=True)
def _threaten(trust_out, orientation, change_threat, rate):
    rate = np.float32(rate)
    for i in range(trust_out.shape[0]):
        keep = np.float32(1.0) - rate * change_threat[orientation[i]]
        trust_out[i] *= min(max(keep, np.float32(0.0)), np.float32(1.0))


def relax_group_trust(pop: Population, k: TrustParams, share_own: np.ndarray) -> None:
    """Group trusts drift slowly back toward each resident's starting levels (stable
    priors), and generalised trust follows the group trusts weighted by how much of the
    community each group is."""
    _relax_trusts(pop.trust_in, pop.trust_out, pop.trust_gen, pop.trust_prior_in,
                  pop.trust_prior_out, share_own, k.relaxation, k.generalised_rate)


# one pass over residents: group trusts relax to their priors, generalised trust follows
@njit(cache=True)
def _relax_trusts(trust_in, trust_out, trust_gen, prior_in, prior_out, share_own, r, g):
    for i in range(trust_in.shape[0]):
        trust_in[i] += r * (prior_in[i] - trust_in[i])
        trust_out[i] += r * (prior_out[i] - trust_out[i])
        exposure = share_own[i] * trust_in[i] + (1.0 - share_own[i]) * trust_out[i]
        trust_gen[i] += g * (exposure - trust_gen[i])

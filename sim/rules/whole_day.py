"""The day's rules in one compiled call: the same kernels, with the same arguments, in the
order of ``KindlinessModel.rules_one_by_one`` (the readable sequence, which stays the
reference: tests/test_whole_day.py runs every shipped scenario both ways and compares every
state, tie and daily value bit for bit).

Each rule is a Python function that hands its kernel the arrays it needs and files what it
returns in the day (sim/day.py). At 1,000 residents that hand-over, about 25 Python calls a
day with ten to twenty arrays each, cost more than a third of the day. Here the Python side
gathers the arrays once and one kernel runs the rules from the arrival of needs to the needs
resolved elsewhere, between the interventions' hooks (which set the levers and arrange the
meetings and offers that come first) and the weekly maintenance and metrics (which stay in
Python). A rule added to the day goes in both places.
"""

from __future__ import annotations

import numpy as np

from sim.compiled import njit
from sim.day import Day, Meetings, Offers, per_resident
from sim.draws import stream
from sim.rules.asking import _ask
from sim.rules.encounters import (
    _boost,
    _choose_hubs_drawn,
    _contact,
    _doorstep,
    _pair_drawn,
    _surface,
)
from sim.rules.helping import Profiles, _decide_drawn, _give
from sim.rules.ledger import _settle
from sim.rules.needs import _arrive, _in_need, _resolve
from sim.rules.noticing import _chat_drawn
from sim.rules.reputation import _score
from sim.rules.ties import _chance_ties, _introduce
from sim.rules.trust import _learn_from_contact, _learn_from_help, _relax_trusts, _threaten
from sim.rules.wellbeing import _attach, _degree_tables, _lonely, _outside, _recover, _rely

_NO_ROWS = np.zeros(0, dtype=np.int64)
_NO_FLAGS = np.zeros(0, dtype=np.bool_)
_NO_VALUES = np.zeros(0)
_NO_SETTINGS = np.zeros(0, dtype=np.int8)


def run_rules(model, day: Day) -> None:
    """Run the day's rules (needs arrive ... needs resolve elsewhere) on ``model`` and file
    their results in ``day``, as ``model.rules_one_by_one(day)`` does."""
    pop, ties, street, hubs, levers = model.pop, model.ties, model.street, model.hubs, day.levers
    iv_meetings = day.meetings() if day.has_meetings() else None
    iv_offers = day.offers() if day.has_offers() else None
    introducers = levers.introducers
    out = _rules(
        # the day
        stream(model.rng_days), day.day, day.weekday, day.active, day.contact,
        model.change_per_resident,
        # the residents
        pop.section, pop.orientation, pop.sociability, pop.hub_propensity, pop.helpfulness,
        pop.outside_contact, pop.need, pop.need_since, pop.care_until, pop.energy,
        pop.strain, pop.withdrawn_until, pop.self_reliance, pop.indebtedness, pop.balance,
        pop.resentment, pop.attachment, pop.loneliness, pop.trust_in, pop.trust_out,
        pop.trust_prior_in, pop.trust_prior_out, pop.attachment_prior, pop.trust_gen,
        pop.reputation, pop.is_bridge, pop.helps_given, pop.last_help_day,
        pop.last_contact_day, pop.last_chat_day,
        # ties, street and hubs
        ties.indptr, ties.dst, ties.rev, ties.trust, ties.last_contact, ties.close,
        *_degree_tables(ties.indptr, model.k.loneliness.dilution),
        street.ring, street.start, street.pos,
        hubs.open_today(day.weekday), hubs.preference(len(pop.section_names), model.params.rules),
        hubs.palatability, hubs.location, hubs.capacity, hubs.days_open, hubs.days_crowded,
        # the levers, and what the interventions arranged
        _lever(levers.notice_multiplier), _lever(levers.ask_multiplier),
        _lever(levers.visit_multiplier), _lever(levers.ask_norm), _lever(levers.help_norm),
        _NO_FLAGS if introducers is None else introducers, _boost(day),
        *(_meeting_columns(iv_meetings)), *(_offer_columns(iv_offers)),
        # the orientations' profiles and the rules' numbers
        *_constants(model))
    (a, b, weight, palatability, at_hub, setting, neighbours, o_helper, o_recipient, o_edge,
     o_asked, needy, asked, offered, acts_helper, acts_recipient, acts_edge, acts_relief,
     r_helper, r_recipient, r_edge, r_asked, referrals, where, visitors, tie_u, tie_v) = out
    day.set_meetings(Meetings(a, b, weight, palatability, at_hub, setting, neighbours))
    day.set_offers(Offers(o_helper, o_recipient, o_edge, o_asked))
    day.needy, day.asked, day.offered = needy, asked, offered
    day.acts_helper, day.acts_recipient, day.acts_edge = acts_helper, acts_recipient, acts_edge
    day.acts_relief = acts_relief
    day.refusals = Offers(r_helper, r_recipient, r_edge, r_asked)
    day.referrals = referrals
    day.hub_visits = where
    hubs.visitors_today = visitors
    if len(tie_u):
        day.new_ties.append((tie_u, tie_v))


def _constants(model) -> tuple:
    """The kernel's arguments that stay the same all run (the orientations' profiles and the
    rules' numbers), gathered once per model."""
    kept = model.__dict__.get("_whole_day_constants")
    if kept is None:
        p, k, prof, net = model.params.rules, model.k, model.profiles, model.params.network
        kept = model.__dict__["_whole_day_constants"] = (
            prof.notice_multiplier, prof.hub_visit_multiplier, prof.ask_multiplier,
            prof.contact_openness, prof.setting_response, prof.change_threat,
            prof.resentment_sensitivity, prof.recovery_multiplier, prof.self_reliance,
            tuple(Profiles.of(prof)),
            model._p_need, model._share_own, k.needs, k.chat.chats_per_day, k.chat.p_notice,
            k.chat.close_weight, tuple(k.ask), tuple(k.help), tuple(k.reputation),
            tuple(k.trust), k.trust.change_threat_rate, k.trust.relaxation,
            k.trust.generalised_rate, tuple(k.ledger), tuple(k.strain), k.loneliness.rise,
            k.loneliness.fall, k.loneliness.contagion, k.loneliness.discontent,
            k.visits.p_visit, k.visits.pull, k.visits.contact_seeking,
            p.p_doorstep, net.street_reach, p.doorstep_palatability, p.p_bridge_introduce,
            p.introduction_palatability, p.encounters_per_visit, p.p_notice_at_hub,
            p.p_tie_per_meeting, p.attachment_relaxation, p.attachment_gain_visit,
            p.attachment_gain_help, p.self_reliance_relaxation, p.self_reliance_drop_on_help,
            p.p_need_resolves)
    return kept


# a lever of one value for everyone, as the one-value array the kernels read: kept per value
# (the kernels only read levers), at most LEVERS_KEPT values
_LEVERS: dict[float, np.ndarray] = {}
LEVERS_KEPT = 64


def _lever(value) -> np.ndarray:
    if type(value) is not float:
        return per_resident(value)
    held = _LEVERS.get(value)
    if held is None:
        if len(_LEVERS) >= LEVERS_KEPT:
            _LEVERS.clear()
        held = _LEVERS[value] = per_resident(value)
    return held


def _meeting_columns(m: Meetings | None) -> tuple:
    if m is None:
        return _NO_ROWS, _NO_ROWS, _NO_VALUES, _NO_VALUES, _NO_FLAGS, _NO_SETTINGS, _NO_FLAGS
    return m.a, m.b, m.contact_weight, m.palatability, m.at_hub, m.setting, m.neighbours


def _offer_columns(o: Offers | None) -> tuple:
    if o is None:
        return _NO_ROWS, _NO_ROWS, _NO_ROWS, _NO_FLAGS
    return o.helper, o.recipient, o.edge, o.asked


# the rules of KindlinessModel.rules_one_by_one, each kernel called as its rule calls it;
# meetings and offers are joined in the order the rules add them (the interventions' first).
# Arguments: the day, the residents, ties, street and hubs, the levers and what the
# interventions arranged (run_rules), then the constants (_constants)
@njit(cache=True)
def _rules(h, today, weekday, active, contact, change_per_resident,
           section, orientation, sociability, hub_propensity, helpfulness, outside_contact,
           need, need_since, care_until, energy, strain, withdrawn_until, self_reliance,
           indebtedness, balance, resentment, attachment, loneliness, trust_in, trust_out,
           trust_prior_in, trust_prior_out, attachment_prior, trust_gen, reputation,
           is_bridge, helps_given, last_help_day, last_contact_day, last_chat_day,
           indptr, dst, rev, tie_trust, tie_last_contact, close, dilution, by_degree,
           degree_start,
           ring, street_start, street_pos,
           open_now, preference, hub_palatability, hub_location, hub_capacity, days_open,
           days_crowded,
           notice_lever, ask_lever, visit_lever, ask_norm, help_norm, introducers, boost,
           iv_a, iv_b, iv_weight, iv_palatability, iv_at_hub, iv_setting, iv_neighbours,
           iv_helper, iv_recipient, iv_edge, iv_asked,
           prof_notice, prof_visit, prof_ask, prof_openness, prof_setting_response,
           prof_change_threat, prof_resentment, prof_recovery, prof_self_reliance, profiles,
           p_need, share_own, k_needs, chats_per_day, p_notice_chat, close_weight, k_ask,
           k_help, k_reputation, k_trust, change_threat_rate, trust_relaxation,
           generalised_rate, k_ledger, k_strain, lonely_rise, lonely_fall, contagion,
           discontent, p_visit, pull, contact_seeking,
           p_doorstep, street_reach, doorstep_palatability, p_introduce,
           introduction_palatability, encounters_per_visit, p_notice_at_hub,
           p_tie_per_meeting, attachment_relaxation, attachment_gain_visit,
           attachment_gain_help, self_reliance_relaxation, self_reliance_drop,
           p_need_resolves):
    n = len(section)
    none = np.zeros(0, dtype=np.int64)  # (a global array would be a read-only constant)
    # needs arrive; contact outside; chats with ties (offers)
    _arrive(need, need_since, care_until, p_need, h, k_needs, today)
    _outside(outside_contact, h, contact, last_contact_day, today)
    chat_helper, chat_recipient, chat_edge = _chat_drawn(
        h, chats_per_day, indptr, dst, rev, close, sociability, tie_last_contact,
        last_contact_day, last_chat_day, contact, need, orientation, active, prof_notice,
        notice_lever, p_notice_chat, close_weight, today)
    # doorstep conversations, introductions, hub visits (meetings)
    door_a, door_b = none, none
    if p_doorstep > 0:
        door_a, door_b = _doorstep(h, p_doorstep, sociability, ring, street_start,
                                   street_pos, section, street_reach)
    intro_a, intro_b = none, none
    bridges = _introducers_today(is_bridge, introducers, active)
    if len(bridges):
        intro_a, intro_b = _introduce(bridges, h, p_introduce, indptr, dst, section)
    if open_now.any():
        where, visitors = _choose_hubs_drawn(
            h, n, p_visit, hub_propensity, prof_visit, visit_lever, orientation, section,
            trust_out, active, preference, pull, hub_palatability, boost, open_now,
            hub_location, contact_seeking, hub_capacity, days_open, days_crowded)
    else:
        where = np.full(n, -1, dtype=np.int64)
        visitors = np.zeros(len(hub_palatability), dtype=np.int64)
    hub_a, hub_b, hub_pal = none, none, np.zeros(0)
    if encounters_per_visit > 0:
        pa, pb, ppal, met = _pair_drawn(where, h, hub_palatability, boost, hub_capacity,
                                        visitors, encounters_per_visit)
        if met:
            hub_a, hub_b, hub_pal = pa, pb, ppal
    nd, ni, nh = len(door_a), len(intro_a), len(hub_a)
    a = np.concatenate((iv_a, door_a, intro_a, hub_a))
    b = np.concatenate((iv_b, door_b, intro_b, hub_b))
    weight = np.concatenate((iv_weight, np.ones(nd + ni + nh)))
    palatability = np.concatenate((iv_palatability, np.full(nd, doorstep_palatability),
                                   np.full(ni, introduction_palatability), hub_pal))
    at_hub = np.concatenate((iv_at_hub, np.zeros(nd + ni, dtype=np.bool_),
                             np.ones(nh, dtype=np.bool_)))
    setting = np.concatenate((iv_setting, np.zeros(nd + ni + nh, dtype=np.int8)))
    neighbours = np.concatenate((iv_neighbours, np.ones(nd, dtype=np.bool_),
                                 np.zeros(ni + nh, dtype=np.bool_)))
    # the meetings: contact, trust, needs surfacing (offers), ties now and then
    _contact(a, b, neighbours, indptr, dst, contact, last_contact_day, last_chat_day, today)
    _learn_from_contact(a, b, weight, setting, section, orientation, trust_in, trust_out,
                        prof_openness, prof_setting_response, k_trust)
    surf_helper, surf_recipient, surf_edge = none, none, none
    tie_u, tie_v = none, none
    if len(a):
        surf_helper, surf_recipient, surf_edge = _surface(
            a, b, palatability, h, need, orientation, active, prof_notice, notice_lever,
            p_notice_at_hub, indptr, dst)
        if p_tie_per_meeting > 0:
            tie_u, tie_v = _chance_ties(a, b, h, p_tie_per_meeting, indptr, dst)
    # asking (offers), then helping
    needy, n_needy = _in_need_today(need)
    asked = np.zeros(n, dtype=np.bool_)
    ask_helper, asker, ask_edge = none, none, none
    if n_needy:
        ask_helper, asker, ask_edge = _ask(
            needy, h, indptr, dst, rev, tie_trust, tie_last_contact, asked, today, trust_gen,
            self_reliance, indebtedness, need, orientation, reputation, prof_ask, ask_lever,
            ask_norm, k_ask)
    o_helper = np.concatenate((iv_helper, chat_helper, surf_helper, ask_helper))
    o_recipient = np.concatenate((iv_recipient, chat_recipient, surf_recipient, asker))
    o_edge = np.concatenate((iv_edge, chat_edge, surf_edge, ask_edge))
    o_asked = np.concatenate((iv_asked, np.zeros(len(chat_helper) + len(surf_helper),
                                                 dtype=np.bool_),
                              np.ones(len(ask_helper), dtype=np.bool_)))
    offered = np.zeros(n, dtype=np.bool_)
    acts_helper, acts_recipient, acts_edge = none, none, none
    refused, referrals = none, 0
    if len(o_helper):
        acts_helper, acts_recipient, acts_edge, refused, referrals = _decide_drawn(
            o_helper, o_recipient, o_edge, o_asked, h, active, offered, indptr, dst,
            orientation, section, trust_in, trust_out, tie_trust, reputation, energy, strain,
            resentment, attachment, helpfulness, need, help_norm, profiles, k_help)
    acts_relief = _give(acts_helper, acts_recipient, need, need_since, energy, strain,
                        helps_given, last_help_day, last_contact_day, contact, k_help, today)
    r_helper, r_recipient = o_helper[refused], o_recipient[refused]
    r_edge, r_asked = o_edge[refused], o_asked[refused]
    # standing, trust, ledgers
    _score(acts_helper, r_helper, r_recipient, reputation, h, k_reputation)
    _learn_from_help(acts_helper, acts_recipient, acts_edge, r_helper, r_recipient, r_edge,
                     section, trust_in, trust_out, tie_trust, rev, tie_last_contact, today,
                     k_trust)
    if change_per_resident > 0:
        _threaten(trust_out, orientation, prof_change_threat,
                  change_threat_rate * change_per_resident)
    _relax_trusts(trust_in, trust_out, trust_gen, trust_prior_in, trust_prior_out, share_own,
                  trust_relaxation, generalised_rate)
    _settle(acts_helper, acts_recipient, indebtedness, balance, resentment, helps_given,
            orientation, prof_resentment, k_ledger)
    # wellbeing; needs resolved elsewhere
    _recover(energy, strain, withdrawn_until, orientation, prof_recovery, active, h, today,
             k_strain)
    _lonely(loneliness, contact, indptr, dst, dilution, by_degree, degree_start, lonely_rise,
            lonely_fall, contagion, discontent)
    _attach(attachment, attachment_prior, where, hub_capacity, visitors, a, b, at_hub, acts_helper,
            acts_recipient, attachment_relaxation, attachment_gain_visit, attachment_gain_help)
    _rely(self_reliance, prof_self_reliance, orientation, acts_recipient,
          self_reliance_relaxation, self_reliance_drop)
    _resolve(need, need_since, _in_need(need), h, p_need_resolves)
    return (a, b, weight, palatability, at_hub, setting, neighbours, o_helper, o_recipient,
            o_edge, o_asked, needy, asked, offered, acts_helper, acts_recipient, acts_edge,
            acts_relief, r_helper, r_recipient, r_edge, r_asked, referrals, where, visitors,
            tie_u, tie_v)


# the active bridge figures, the community's own and the day's introducers (empty: none), in
# order: numpy's flatnonzero of (is_bridge | introducers) & active, in one pass (numba's own
# takes three over a million residents)
@njit(cache=True)
def _introducers_today(is_bridge, introducers, active):
    out = np.empty(len(active), dtype=np.int64)
    m = 0
    lever = len(introducers) > 0
    for i in range(len(active)):
        if active[i] and (is_bridge[i] or (lever and introducers[i])):
            out[m] = i
            m += 1
    return out[:m]


# who is in need (need > 0), and how many, in one pass
@njit(cache=True)
def _in_need_today(need):
    needy = np.empty(len(need), dtype=np.bool_)
    count = 0
    for i in range(len(need)):
        needy[i] = need[i] > 0
        count += needy[i]
    return needy, count

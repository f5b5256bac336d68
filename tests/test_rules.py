"""Each daily rule on a tiny community whose outcome can be worked out by hand.

Probabilities are set to 0 or 1 where a draw is involved, so the expected outcome is
certain; where a rule computes a probability, the test recomputes it from the documented
formula."""

from __future__ import annotations

import dataclasses
import types

import numpy as np
import pytest
from numba import njit

from sim.day import Offers
from sim.params import ORIENTATIONS, HubSpec, ModelParams, OrientationProfile, RuleParams
from sim.places import Hubs
from sim.population import NEVER
from sim.rules import (
    asking,
    encounters,
    helping,
    ledger,
    moving,
    needs,
    noticing,
    reputation,
    trust,
    wellbeing,
)
from sim.rules import ties as tie_rules
from tests import tiny

P = RuleParams()
K_NEEDS = needs.NeedParams.of(P)
K_ASK = asking.AskParams.of(P)
K_HELP = helping.HelpParams.of(P)
K_TRUST = trust.TrustParams.of(P)
K_REP = reputation.ReputationParams.of(P)
K_STRAIN = wellbeing.StrainParams.of(P)
K_LONELY = wellbeing.LonelinessParams.of(P)
K_VISIT = encounters.VisitParams.of(P)


def rng(seed=0):
    return np.random.default_rng(seed)


def no_care(**kw):
    return K_NEEDS._replace(p_care=0.0, **kw)


# -- needs ------------------------------------------------------------------------------------
def test_no_needs_arrive_at_zero_rate_and_needs_cap_at_one():
    pop = tiny.population(50)
    needs.arrive_needs(pop, np.zeros(50), no_care(), day=3, rng=rng())
    assert not pop.need.any()
    needs.arrive_needs(pop, np.full(50, 50.0), no_care(), day=3, rng=rng())
    assert np.all(pop.need > 0) and pop.need.max() == 1.0 and np.all(pop.need <= 1.0)
    assert np.all(pop.need_since == 3)


def test_need_start_day_is_kept_when_a_second_need_arrives():
    pop = tiny.population(5, need=0.2, need_since=1)
    needs.arrive_needs(pop, np.full(5, 50.0), no_care(), day=9, rng=rng())
    assert np.all(pop.need_since == 1)


def test_needs_resolve_elsewhere_at_certain_rate():
    pop = tiny.population(4, need=0.5, need_since=2)
    needs.resolve_needs_elsewhere(pop, 1.0, rng())
    assert not pop.need.any() and np.all(pop.need_since == NEVER)


def test_a_caring_episode_brings_a_need_every_few_days_until_it_ends():
    pop = tiny.population(1)
    k = K_NEEDS._replace(p_care=1.0, care_days=1e6, care_every=3, care_size=0.6)
    needs.arrive_needs(pop, np.zeros(1), k, day=1, rng=rng())
    end = int(pop.care_until[0])
    assert end > 1 and pop.need[0] == pytest.approx(0.6) and pop.need_since[0] == 1
    k = k._replace(p_care=0.0)
    seen = []
    for day in range(2, 12):
        pop.need[:] = 0.0
        needs.arrive_needs(pop, np.zeros(1), k, day=day, rng=rng(day))
        seen.append(bool(pop.need[0] > 0))
    # a need on the days (end - day) % 3 == 0: one day in three
    assert seen == [(day - 1) % 3 == 0 for day in range(2, 12)] and (end - 1) % 3 == 0
    pop.care_until[:] = 5  # the episode is over: no more needs
    pop.need[:] = 0.0
    needs.arrive_needs(pop, np.zeros(1), k, day=6, rng=rng())
    assert pop.need[0] == 0.0


def test_caring_episodes_start_at_their_rate_and_last_their_mean():
    n = 200_000
    pop = tiny.population(n)
    k = K_NEEDS._replace(p_care=0.01, care_days=40.0)
    needs.arrive_needs(pop, np.zeros(n), k, day=10, rng=rng(2))
    started = pop.care_until >= 10
    assert started.mean() == pytest.approx(0.01, abs=0.001)
    assert (pop.care_until[started] - 10).mean() == pytest.approx(40.0, rel=0.05)


def test_needs_arrive_with_poisson_counts_and_exponential_sizes():
    n, lam, size_mean = 200_000, 0.3, 0.01  # sizes small enough that the cap never binds
    pop = tiny.population(n)
    needs.arrive_needs(pop, np.full(n, lam), no_care(size_mean=size_mean), day=2, rng=rng(1))
    got = pop.need > 0
    assert got.mean() == pytest.approx(1 - np.exp(-lam), abs=0.004)
    # E[size] = mean * E[count]; a new need's size is an exponential times its count
    assert pop.need.mean() == pytest.approx(size_mean * lam, rel=0.02)
    assert np.all(pop.need_since[got] == 2) and np.all(pop.need_since[~got] == NEVER)


# -- contact: chats, the doorstep, outside ----------------------------------------------------
def test_chats_follow_a_poisson_count_scaled_by_sociability():
    n = 20_000
    pop = tiny.population(n, sociability=np.where(np.arange(n) < n // 2, 0.5, 2.0))
    t = tiny.ties(pop, [(i, (i + 1) % n) for i in range(n)])
    counts = noticing._chat_counts(t.indptr, pop.sociability, rng(1).random(n), 0.4)
    assert counts[: n // 2].mean() == pytest.approx(0.2, rel=0.05)
    assert counts[n // 2:].mean() == pytest.approx(0.8, rel=0.05)
    lonely = tiny.population(1)
    assert noticing._chat_counts(np.zeros(2, np.int64), lonely.sociability,
                                 np.array([0.999]), 5.0)[0] == 0  # no ties, no chats


def test_a_chat_is_contact_and_a_conversation_for_both():
    pop = tiny.population(3)
    t = tiny.ties(pop, [(0, 1)])
    d = tiny.day(pop, 4)
    k = noticing.ChatParams(chats_per_day=50.0, close_weight=1.0, p_notice=0.0)
    noticing.chat_and_notice(pop, t, k, np.ones(5), d, rng())
    assert d.contact.tolist() == [True, True, False]
    assert pop.last_chat_day.tolist()[:2] == [4, 4] and pop.last_chat_day[2] == NEVER


def test_chats_fall_on_close_and_sociable_ties_in_proportion():
    # 0's ties: 1 (close), 2 and 3 (not close; 3 twice as sociable)
    pop = tiny.population(4, sociability=[1.0, 1.0, 1.0, 2.0])
    t = tiny.ties(pop, [(0, 1), (0, 2), (0, 3)])
    t.close[t.find([0, 1], [1, 0])] = True
    chats = np.zeros(4)
    counts = np.array([1, 0, 0, 0])
    for x in (np.arange(400) + 0.5) / 400:
        t.last_contact[:] = 0
        u = np.array([x, 1.0, 1.0])
        noticing._chat(counts, u, t.indptr, t.dst, t.rev, t.close, pop.sociability,
                       t.last_contact, pop.last_contact_day, pop.last_chat_day,
                       np.zeros(4, bool), pop.need, pop.orientation, np.ones(4, bool),
                       np.ones(5), np.ones(1), 0.0, 4.0, 9)
        chats[t.dst[(t.src == 0) & (t.last_contact == 9)]] += 1
    # weights 4 (close) : 1 : 2 (sociable)
    assert chats[1:].tolist() == pytest.approx([400 * 4 / 7, 400 / 7, 400 * 2 / 7], abs=1)


def test_ties_notice_a_need_in_a_chat_and_withdrawn_ties_do_not():
    pop = tiny.population(3, withdrawn_until=[0, 0, 99], need=[0.5, 0.0, 0.0])
    t = tiny.ties(pop, [(0, 1), (0, 2)])
    k = noticing.ChatParams(chats_per_day=50.0, close_weight=1.0, p_notice=1.0)
    seen = set()
    for seed in range(10):
        d = tiny.day(pop)
        noticing.chat_and_notice(pop, t, k, np.ones(5), d, rng(seed))
        offers = d.offers()
        assert np.all(offers.recipient == 0) and not offers.asked.any()
        assert np.all(t.dst[offers.edge] == 0) and np.all(t.src[offers.edge] == offers.helper)
        seen |= set(offers.helper.tolist())
    assert seen == {1}  # 2 is withdrawn


def test_neighbours_meet_at_the_door_within_their_section():
    params = ModelParams()
    pop = tiny.population(60, sections=[0] * 30 + [1] * 30)
    street = __import__("sim.network", fromlist=["build_street"]).build_street(pop, rng())
    d = tiny.day(pop)
    encounters.meet_on_the_street(pop, street, 1.0, params.network, 0.5, d, rng())
    m = d.meetings()
    assert len(m) == 60 and m.neighbours.all() and np.all(m.a != m.b)
    assert np.all(pop.section[m.a] == pop.section[m.b])
    gap = np.abs(street.pos[m.a] - street.pos[m.b])
    gap = np.minimum(gap, 30 - gap)  # around the ring
    assert np.median(gap) <= 3  # near neighbours (geometric reach)


def test_outside_contact_comes_at_each_residents_own_rate():
    n = 100_000
    pop = tiny.population(n, outside_contact=np.where(np.arange(n) < n // 2, 0.2, 0.8))
    d = tiny.day(pop)
    wellbeing.contact_outside(pop, d, rng())
    assert d.contact[: n // 2].mean() == pytest.approx(0.2, abs=0.01)
    assert d.contact[n // 2:].mean() == pytest.approx(0.8, abs=0.01)
    assert np.all(pop.last_chat_day == NEVER)  # not a conversation with a neighbour


def test_strangers_at_a_hub_are_contact_but_not_a_chat_with_neighbours():
    pop = tiny.population(4)
    t = tiny.ties(pop, [(0, 1)])
    d = tiny.day(pop, 6)
    d.add_meetings([0, 2], [1, 3], at_hub=True)
    encounters.make_contact(pop, t, d.meetings(), d)
    assert pop.last_chat_day.tolist() == [6, 6, NEVER, NEVER]  # only the tied pair chatted
    assert pop.last_contact_day.tolist() == [6, 6, 6, 6]
    assert d.contact.tolist() == [True, True, False, False]  # strangers: no relief


# -- asking ---------------------------------------------------------------------------------
def test_probability_of_asking_follows_the_logistic_formula():
    pop = tiny.population(1, need=0.5, trust_gen=0.5, self_reliance=0.5, indebtedness=0.2)
    logit = (P.ask_intercept + P.ask_weight_trust * 0.5 - P.ask_weight_self_reliance * 0.5
             - P.ask_weight_indebtedness * 0.2 + P.ask_weight_need * 0.5)
    expected = 1 / (1 + np.exp(-logit))
    got = asking.p_ask(pop, np.array([0]), np.ones(5, np.float32), K_ASK)
    assert got[0] == pytest.approx(expected, rel=1e-5)


def test_a_perceived_norm_and_a_commitment_move_asking_as_documented():
    """The ask_norm lever shifts the log-odds by ask_weight_norm x shift (clipped to -1..1);
    the ask_multiplier lever multiplies the probability; both one value or one per
    resident."""
    pop = tiny.population(3, need=0.5, trust_gen=0.5, self_reliance=0.5)
    logit = (P.ask_intercept + P.ask_weight_trust * 0.5 - P.ask_weight_self_reliance * 0.5
             + P.ask_weight_need * 0.5)
    shift = np.array([0.0, 0.5, 3.0])  # the last is clipped to 1
    got = asking.p_ask(pop, np.arange(3), np.ones(5, np.float32), K_ASK,
                       lever=np.array([1.0, 1.0, 1.2]), norm=shift)
    want = 1 / (1 + np.exp(-(logit + P.ask_weight_norm * np.array([0.0, 0.5, 1.0]))))
    want[2] *= 1.2
    np.testing.assert_allclose(got, want, rtol=1e-5)


def test_self_reliance_and_indebtedness_hold_back_asking():
    pop = tiny.population(3, need=0.5, self_reliance=[0.1, 0.9, 0.1],
                          indebtedness=[0.0, 0.0, 0.9])
    p = asking.p_ask(pop, np.arange(3), np.ones(5, np.float32), K_ASK)
    assert p[0] > p[1] and p[0] > p[2]


def test_askers_turn_to_the_tie_they_trust():
    pop = tiny.population(3, need=[1.0, 0, 0], self_reliance=0.0, trust_gen=1.0)
    t = tiny.ties(pop, [(0, 1), (0, 2)])
    t.trust[t.find([0, 0], [1, 2])] = [1.0, 0.0]
    d = tiny.day(pop)
    asking.decide_to_ask(pop, t, np.ones(5, np.float32), K_ASK._replace(intercept=20.0), d,
                         rng())
    offers = d.offers()
    assert offers.helper.tolist() == [1] and offers.asked.all()
    assert d.asked.tolist() == [True, False, False]


@pytest.mark.parametrize("preference, share_to_1", [(0.0, 0.8), (2.0, 0.8 * 4 / (0.8 * 4 + 0.2))])
def test_askers_choose_by_squared_trust_times_reputation(preference, share_to_1):
    """Weights: trust^2 (1 : 0.25) times (reputation / 0.5)^preference (1 : 0.5^pref...)."""
    pop = tiny.population(3, need=[1.0, 0, 0], self_reliance=0.0, trust_gen=1.0,
                          reputation=[0.5, 1.0, 0.5])
    t = tiny.ties(pop, [(0, 1), (0, 2)])
    t.trust[t.find([0, 0], [1, 2])] = [1.0, 0.5]
    k = K_ASK._replace(intercept=20.0, reputation_preference=preference)
    chose_1 = 0
    for seed in range(1000):
        d = tiny.day(pop)
        asking.decide_to_ask(pop, t, np.ones(5, np.float32), k, d, rng(seed))
        chose_1 += d.offers().helper[0] == 1
    assert chose_1 / 1000 == pytest.approx(share_to_1, abs=0.04)


# -- helping --------------------------------------------------------------------------------
def test_probability_of_helping_follows_the_documented_product():
    pop = tiny.population(2, need=[0, 0.5], attachment=0.5, reputation=0.5, energy=1.0,
                          strain=[0.4, 0.0], helpfulness=[1.5, 1.0])
    t = tiny.ties(pop, [(0, 1)], trust=0.6)
    offers = Offers(np.array([0]), np.array([1]), t.find([0], [1]), np.array([True]))
    prof = tiny.profiles()
    u = prof  # the unaligned row (index 4) of the default profiles
    expected = (u.help_propensity[4] * 1.5 * (P.help_trust_floor
                                              + (1 - P.help_trust_floor) * 0.6)
                * (1 - P.standing_weight * 0.5) * 1.0
                * (1 - P.strain_awareness_weight * u.energy_awareness[4] * 0.4)
                * 1.0 * (1 + P.attachment_weight * 0.5) * (1 + P.asked_bonus))
    got = helping.p_help(pop, t, offers, prof, K_HELP, pop.active(1))
    assert got[0] == pytest.approx(min(expected, 1.0), rel=1e-5)


def test_a_perceived_norm_about_helping_multiplies_helping():
    pop = tiny.population(3, need=[0, 0, 0.5], reputation=0.5, energy=1.0)
    offers = Offers(np.array([0, 1]), np.array([2, 2]), np.array([-1, -1]),
                    np.array([False, False]))
    args = (pop, tiny.ties(pop, []), offers, tiny.profiles(), K_HELP, pop.active(1))
    usual = helping.p_help(*args)
    shifted = helping.p_help(*args, norm=np.array([0.0, 0.8, 0.0]))
    assert shifted[0] == usual[0]
    assert shifted[1] == pytest.approx(usual[1] * (1 + P.help_weight_norm * 0.8), rel=1e-6)


def test_other_section_cut_and_withdrawal_stop_help():
    pop = tiny.population(3, sections=[0, 1, 0], need=[0, 0.5, 0.5],
                          withdrawn_until=[0, 0, 0])
    offers = Offers(np.array([0, 0]), np.array([1, 2]), np.array([-1, -1]),
                    np.array([False, False]))
    prof = tiny.profiles(unaligned=OrientationProfile(in_group_bias=1.0))
    p = helping.p_help(pop, tiny.ties(pop, []), offers, prof, K_HELP, pop.active(1))
    assert p[0] == 0.0 and p[1] > 0.0
    pop.withdrawn_until[0] = 10
    p = helping.p_help(pop, tiny.ties(pop, []), offers, prof, K_HELP, pop.active(1))
    assert np.all(p == 0.0)


def _willing_profiles():
    return tiny.profiles(unaligned=OrientationProfile(help_propensity=1.0, in_group_bias=0.0))


def test_each_recipient_takes_one_helper_and_a_helper_helps_up_to_the_daily_most():
    # helpers 0 and 1 both offer to 2; helper 3 offers to 4, 5 and 6
    pop = tiny.population(7, need=[0, 0, 0.9, 0, 0.9, 0.9, 0.9], reputation=1.0,
                          trust_in=1.0)
    d = tiny.day(pop)
    d.add_offers([0, 1, 3, 3, 3], [2, 2, 4, 5, 6], [-1] * 5, asked=True)
    helping.decide_to_help(pop, tiny.ties(pop, []), _willing_profiles(),
                           K_HELP._replace(max_helps=2), d, rng())
    assert d.acts_recipient.tolist().count(2) == 1
    assert d.acts_helper.tolist().count(3) == 2  # the third waits for another day
    assert len(d.refusals) == 0


def test_a_declined_noticed_need_is_passed_on_to_the_known_helper():
    # 1 notices 0's need but never helps; 1's ties: 0, 2 (reputation 0.9), 3 (0.6)
    unwilling = OrientationProfile(help_propensity=0.0)
    willing = OrientationProfile(help_propensity=1.0, in_group_bias=0.0)
    pop = tiny.population(4, orientations=["unaligned", "unaligned", "empathic", "empathic"],
                          need=[0.9, 0, 0, 0], reputation=[1.0, 0.5, 0.9, 0.6], trust_in=1.0)
    t = tiny.ties(pop, [(1, 0), (1, 2), (1, 3)], trust=1.0)
    prof = tiny.profiles(unaligned=unwilling, empathic=willing)
    d = tiny.day(pop)
    d.add_offers([1], [0], t.find([1], [0]), asked=False)
    helping.decide_to_help(pop, t, prof, K_HELP._replace(p_refer=1.0), d, rng())
    assert d.acts_helper.tolist() == [2] and d.acts_recipient.tolist() == [0]
    assert d.acts_edge.tolist() == [-1] and d.referrals == 1
    d = tiny.day(pop)
    d.add_offers([1], [0], t.find([1], [0]), asked=False)
    helping.decide_to_help(pop, t, prof, K_HELP._replace(p_refer=0.0), d, rng())
    assert len(d.acts_helper) == 0 and d.referrals == 0


def test_help_relieves_need_costs_energy_and_adds_strain():
    pop = tiny.population(2, need=[0, 0.5], need_since=[NEVER, 1], energy=1.0, strain=0.2)
    d = tiny.day(pop, 4)
    d.acts_helper, d.acts_recipient = np.array([0]), np.array([1])
    helping.give_help(pop, K_HELP, d)
    assert pop.need[1] == 0.0 and pop.need_since[1] == NEVER  # 0.5 - 0.6 floors at 0
    assert pop.energy[0] == pytest.approx(1.0 - P.help_cost)
    assert pop.strain[0] == pytest.approx(0.2 + P.strain_per_act * 0.8)
    assert pop.strain[1] == pytest.approx(0.2)
    assert pop.last_help_day.tolist() == [4, 4] and d.contact.all()
    assert np.all(pop.last_chat_day == NEVER)  # help is not a chat


def test_offers_match_like_a_simple_walk_in_random_order():
    """Reference: walk the willing offers in their drawn order; a recipient takes the first
    helper whose day is not full (max_helps)."""
    r = rng(3)
    prof = _willing_profiles()
    for _trial in range(30):
        n, m = 12, 25
        pop = tiny.population(n, need=np.where(r.random(n) < 0.7, 0.5, 0.0),
                              trust_in=1.0, reputation=1.0)
        helper, recipient = r.integers(0, n, m), r.integers(0, n, m)
        asked = r.random(m) < 0.5
        active = r.random(n) < 0.8
        u = r.random(2 * m)
        offered = np.zeros(n, dtype=bool)
        k = K_HELP._replace(max_helps=2, p_refer=0.0)
        prob = helping._p_help_many(helper, recipient, np.full(m, -1), asked, active,
                                    pop.orientation, pop.section, pop.trust_in, pop.trust_out,
                                    np.zeros(0, np.float32), pop.reputation, pop.energy,
                                    pop.strain, pop.resentment, pop.attachment,
                                    pop.helpfulness, np.zeros(1), helping.Profiles.of(prof), k)
        h, rr, _, refused, _ = helping._decide(
            helper, recipient, np.full(m, -1), asked, u, active, offered, np.zeros(n + 1,
                                                                                   np.int64),
            np.zeros(0, np.int64), pop.orientation, pop.section, pop.trust_in, pop.trust_out,
            np.zeros(0, np.float32), pop.reputation, pop.energy, pop.strain, pop.resentment,
            pop.attachment, pop.helpfulness, pop.need, np.zeros(1), helping.Profiles.of(prof),
            k)
        meaningful = pop.need[recipient] > 0
        willing = meaningful & (u[:m] < prob)
        assert refused.tolist() == np.flatnonzero(
            meaningful & ~willing & asked & active[helper]).tolist()
        taken, acts_today, want = set(), {}, []
        for i in sorted(np.flatnonzero(willing), key=lambda i: u[m + i]):
            if recipient[i] in taken or acts_today.get(helper[i], 0) >= 2:
                continue
            taken.add(recipient[i])
            acts_today[helper[i]] = acts_today.get(helper[i], 0) + 1
            want.append((helper[i], recipient[i]))
        assert list(zip(h.tolist(), rr.tolist(), strict=True)) == want
        assert offered.tolist() == np.isin(np.arange(n), recipient).tolist()


# -- reputation -----------------------------------------------------------------------------
def test_reputation_rises_with_seen_help_and_standing_protects_refusers():
    pop = tiny.population(4, reputation=[0.5, 0.5, 0.8, 0.3])
    d = tiny.day(pop)
    d.acts_helper, d.acts_recipient = np.array([0]), np.array([2])
    # 1 refuses 2 (good standing) and 3 (bad standing): only the first counts against 1
    d.refusals = Offers(np.array([1, 1]), np.array([2, 3]), np.array([-1, -1]),
                        np.array([True, True]))
    reputation.update_reputation(pop, K_REP._replace(q_known=1.0, step=0.1, relaxation=0.0),
                                 d, rng())
    assert pop.reputation[0] == pytest.approx(0.55)
    assert pop.reputation[1] == pytest.approx(0.45)


def test_reputations_fade_toward_the_start():
    pop = tiny.population(2, reputation=[0.9, 0.1])
    reputation.update_reputation(pop, K_REP._replace(relaxation=0.5), tiny.day(pop), rng())
    assert pop.reputation.tolist() == pytest.approx([0.7, 0.3])


# -- trust ----------------------------------------------------------------------------------
def test_help_raises_trust_along_the_tie_and_in_the_helpers_group():
    pop = tiny.population(2, trust_in=0.5)
    t = tiny.ties(pop, [(0, 1)], trust=0.6)
    d = tiny.day(pop)
    e = t.find([0], [1])
    d.acts_helper, d.acts_recipient, d.acts_edge = np.array([0]), np.array([1]), e
    d.refusals = None
    trust.learn_trust_from_help(pop, t, K_TRUST, d)
    back = t.find([1], [0])[0]
    assert t.trust[back] == pytest.approx(0.6 + P.tie_trust_gain * 0.4, rel=1e-5)
    assert t.trust[e[0]] == pytest.approx(
        0.6 + P.helper_tie_trust_share * P.tie_trust_gain * 0.4, rel=1e-5)
    assert pop.trust_in[1] == pytest.approx(0.5 + P.group_trust_gain * 0.5, rel=1e-5)
    assert pop.trust_in[0] == 0.5


def test_refusal_lowers_the_askers_trust():
    pop = tiny.population(2, sections=[0, 1], trust_out=0.5)
    t = tiny.ties(pop, [(0, 1)], trust=0.6)
    d = tiny.day(pop)
    d.refusals = Offers(np.array([0]), np.array([1]), t.find([0], [1]), np.array([True]))
    trust.learn_trust_from_help(pop, t, K_TRUST, d)
    assert t.trust[t.find([1], [0])[0]] == pytest.approx(0.6 * (1 - P.tie_trust_loss))
    assert pop.trust_out[1] == pytest.approx(0.5 * (1 - P.group_trust_loss))


def test_a_meetings_setting_multiplies_contact_by_each_sides_response():
    """At a common-cause meeting each side's contact effect is multiplied by their
    orientation's common_cause_response (the setting's declared profile field)."""
    pop = tiny.population(2, sections=[0, 1], orientations=["activist", "traditional"],
                          trust_out=0.4)
    d = tiny.day(pop)
    d.add_meetings([0], [1], setting="common_cause")
    prof = tiny.profiles()
    trust.learn_trust_from_contact(pop, d.meetings(), prof, K_TRUST)
    for i, o in ((0, 1), (1, 0)):  # activist is orientation 1, traditional 0
        want = P.contact_trust_gain * prof.contact_openness[o] * prof.common_cause_response[o]
        assert pop.trust_out[i] - 0.4 == pytest.approx(want * 0.6, rel=1e-4)
    with pytest.raises(ValueError, match="unknown meeting setting 'rally'"):
        d.add_meetings([0], [1], setting="rally")


def test_a_meeting_at_a_place_counts_as_a_visit_for_attachment():
    pop = tiny.population(3, attachment=0.5, attachment_prior=0.5)
    d = tiny.day(pop)
    d.add_meetings([0], [1], at_hub=True)
    d.hub_visits = np.full(3, -1)
    wellbeing.update_attachment(pop, P, d, d.meetings())
    gained = 0.5 + P.attachment_gain_visit * 0.5
    assert pop.attachment.tolist() == pytest.approx([gained, gained, 0.5])


def threat_reference(trust_out, orientation, change_threat, rate_times_change):
    """The numpy pass feel_threat_from_change's kernel replaced."""
    loss = rate_times_change * change_threat[orientation]
    trust_out *= np.clip(1.0 - loss, 0.0, 1.0).astype(trust_out.dtype)


@pytest.mark.parametrize("seed", range(10))
def test_threat_from_change_matches_the_numpy_pass(seed):
    r = rng(seed)
    n = int(r.integers(1, 200))
    pop = tiny.population(n, trust_out=r.random(n))
    pop.orientation[:] = r.integers(0, len(ORIENTATIONS), n)
    prof = tiny.profiles()
    # threats beyond 0-1 and large changes, so that the clip at both ends is used
    prof.change_threat = r.uniform(-0.5, 1.5, len(ORIENTATIONS)).astype(np.float32)
    change = float(r.uniform(0.0, 1.5)) / K_TRUST.change_threat_rate
    want = pop.trust_out.copy()
    threat_reference(want, pop.orientation, prof.change_threat,
                     K_TRUST.change_threat_rate * change)
    trust.feel_threat_from_change(pop, prof, K_TRUST, change)
    assert pop.trust_out.tobytes() == want.tobytes()
    trust._threaten(np.zeros(0, np.float32), np.zeros(0, np.int8), prof.change_threat, change)


def attachment_reference(att, prior, hub_visits, meetings, helper, recipient, p, hubs=None):
    """The numpy passes and the kernel update_attachment's kernel replaced, and a crowded
    hub's room: the share of a visit's gain each resident has today (1 for a meeting at a
    place, a hub's capacity over its visitors where crowded, else 1, for a hub visit)."""
    share = np.zeros(0)
    if hub_visits is not None:
        room = np.ones(3 if hubs is None else hubs.n)
        if hubs is not None:
            room = np.minimum(1.0, hubs.capacity / np.maximum(hubs.visitors_today, 1))
        share = np.where(hub_visits >= 0, room[np.maximum(hub_visits, 0)], 0.0)
    if meetings is not None and meetings.at_hub.any():
        at = meetings.at_hub
        share = share.copy() if len(share) else np.zeros(len(att))
        share[meetings.a[at]] = 1.0
        share[meetings.b[at]] = 1.0
    _attach_reference(att, prior, share, helper, recipient, p.attachment_relaxation,
                      p.attachment_gain_visit, p.attachment_gain_help)


@njit
def _attach_reference(att, prior, share, helper, recipient, relaxation, gain_visit,
                      gain_help):
    for i in range(att.shape[0]):
        att[i] += relaxation * (prior[i] - att[i])
        if len(share) and share[i] > 0.0:
            att[i] += gain_visit * share[i] * (1.0 - att[i])
    helped = np.zeros(att.shape[0], dtype=np.bool_)
    for group in (helper, recipient):
        for i in group:
            if not helped[i]:
                helped[i] = True
                att[i] += gain_help * (1.0 - att[i])


@pytest.mark.parametrize("seed", range(12))
def test_attachment_kernel_matches_the_passes_it_replaced(seed):
    """With and without hub visits, with and without meetings (some at a place), with no
    acts of help and with residents who both gave and received."""
    r = rng(seed)
    n = int(r.integers(1, 100))
    pop = tiny.population(n, attachment=r.random(n), attachment_prior=r.random(n))
    d = tiny.day(pop)
    hubs = None
    if seed % 2:
        d.hub_visits = np.where(r.random(n) < 0.3, r.integers(0, 3, n), -1)
        if seed % 4 == 1:  # hubs with their room: some crowded (more visitors than places)
            visitors = np.bincount(d.hub_visits[d.hub_visits >= 0], minlength=3)
            hubs = types.SimpleNamespace(n=3, capacity=r.integers(0, 4, 3),
                                         visitors_today=visitors)
    meetings = None
    if seed % 3:
        m = int(r.integers(0, 2 * n))
        d.add_meetings(r.integers(0, n, m), r.integers(0, n, m), at_hub=r.random(m) < 0.5)
        meetings = d.meetings()
    acts = int(r.integers(0, n)) if seed % 4 else 0
    d.acts_helper, d.acts_recipient = r.integers(0, n, acts), r.integers(0, n, acts)
    want = pop.attachment.copy()
    attachment_reference(want, pop.attachment_prior, d.hub_visits, meetings, d.acts_helper,
                         d.acts_recipient, P, hubs)
    wellbeing.update_attachment(pop, P, d, meetings, hubs)
    assert pop.attachment.tobytes() == want.tobytes()


def test_a_crowded_hub_builds_attachment_in_proportion_to_its_room():
    """A model check: a one-place hub raised belonging as much as a 300-place one (every
    visit built attachment at the full rate, however crowded). A visit to a hub with twice
    the visitors it has room for builds half the attachment; a roomy hub, and a meeting at
    a place (a programme's event), the full amount."""
    pop = tiny.population(4, attachment=0.5, attachment_prior=0.5)
    d = tiny.day(pop)
    d.hub_visits = np.array([0, 0, 1, -1])  # two at hub 0 (one place), one at hub 1
    hubs = types.SimpleNamespace(n=2, capacity=np.array([1, 30]),
                                 visitors_today=np.array([2, 1]))
    wellbeing.update_attachment(pop, P, d, None, hubs)
    gain = pop.attachment - 0.5
    full = P.attachment_gain_visit * 0.5
    assert gain[2] == pytest.approx(full, rel=1e-5) and gain[3] == 0.0  # float32 arrays
    assert gain[0] == gain[1] == pytest.approx(full / 2, rel=1e-5)


def test_cross_section_contact_raises_out_group_trust_more_for_open_orientations():
    pop = tiny.population(4, sections=[0, 1, 0, 1],
                          orientations=["empathic", "traditional", "unaligned", "unaligned"],
                          trust_out=0.4)
    d = tiny.day(pop)
    d.add_meetings([0], [1])
    trust.learn_trust_from_contact(pop, d.meetings(), tiny.profiles(), K_TRUST)
    gain = pop.trust_out - 0.4
    assert gain[0] > gain[1] > 0 and gain[2] == 0 and gain[3] == 0
    assert gain[0] == pytest.approx(P.contact_trust_gain * 1.3 * 0.6, rel=1e-4)


def test_change_threatens_only_change_threatened_orientations():
    pop = tiny.population(2, orientations=["traditional", "empathic"], trust_out=0.5)
    trust.feel_threat_from_change(pop, tiny.profiles(), K_TRUST, 0.5)
    assert pop.trust_out[0] == pytest.approx(0.5 * (1 - P.change_threat_rate * 0.5))
    assert pop.trust_out[1] == 0.5


# -- ledger ---------------------------------------------------------------------------------
def test_receiving_adds_indebtedness_and_one_way_giving_breeds_resentment():
    pop = tiny.population(2, balance=[10.0, 0.0])
    d = tiny.day(pop)
    d.acts_helper, d.acts_recipient = np.array([0]), np.array([1])
    ledger.settle_ledgers(pop, tiny.profiles(), ledger.LedgerParams.of(P), d)
    assert pop.indebtedness[1] == pytest.approx(P.debt_per_help * (1 - P.debt_decay))
    assert pop.resentment[0] == pytest.approx(P.resentment_rate)  # unaligned sensitivity 1
    assert pop.resentment[1] == 0.0


def test_the_count_of_helps_given_fades_with_a_one_year_half_life():
    pop = tiny.population(2)
    pop.helps_given[:] = [8.0, 0.0]
    d = tiny.day(pop)
    for _ in range(365):
        ledger.settle_ledgers(pop, tiny.profiles(), ledger.LedgerParams.of(P), d)
    assert pop.helps_given.tolist() == pytest.approx([4.0, 0.0])


# -- wellbeing ------------------------------------------------------------------------------
def test_strain_fades_and_only_the_strained_step_back():
    k = K_STRAIN._replace(burnout_hazard=1.0, strained_level=0.5)
    pop = tiny.population(3, strain=[0.3, 1.0, 1.0], withdrawn_until=[0, 0, 0])
    d = tiny.day(pop, 10)
    wellbeing.recover_and_step_back(pop, tiny.profiles(), k, d, rng())
    assert pop.strain[0] == pytest.approx(0.3 * (1 - P.strain_recovery))
    assert pop.withdrawn_until[0] == 0  # below the strained level: never
    # at full strain the chance is burnout_hazard (1 here): both step back
    assert pop.withdrawn_until[1:].tolist() == [10 + 1 + P.withdrawal_days] * 2
    assert not pop.active(11)[1] and pop.active(11 + P.withdrawal_days)[1]


def test_stepping_back_rises_with_strain_above_the_strained_level():
    n = 100_000
    k = K_STRAIN._replace(burnout_hazard=0.2, strained_level=0.5, strain_recovery=0.0)
    pop = tiny.population(n, strain=np.where(np.arange(n) < n // 2, 0.75, 1.0))
    wellbeing.recover_and_step_back(pop, tiny.profiles(), k, tiny.day(pop, 3), rng())
    stepped = pop.withdrawn_until > 3
    assert stepped[: n // 2].mean() == pytest.approx(0.1, abs=0.005)  # halfway: half
    assert stepped[n // 2:].mean() == pytest.approx(0.2, abs=0.005)


def test_coming_back_restores_energy_and_eases_strain():
    pop = tiny.population(1, energy=0.1, strain=0.45, withdrawn_until=11)
    d = tiny.day(pop, 10)  # withdrawn until day 11: back tomorrow
    wellbeing.recover_and_step_back(pop, tiny.profiles(), K_STRAIN, d, rng())
    assert pop.energy[0] >= P.energy_on_return and pop.strain[0] <= P.strain_on_return


def test_loneliness_grows_without_contact_and_falls_with_it():
    pop = tiny.population(2, loneliness=0.5)
    d = tiny.day(pop)
    d.contact[1] = True
    wellbeing.update_loneliness(pop, tiny.ties(pop, []), K_LONELY, d)
    assert pop.loneliness[0] == pytest.approx(0.5 + P.loneliness_rise * 0.5)
    assert pop.loneliness[1] == pytest.approx(0.5 - P.loneliness_fall * 0.5)


def test_loneliness_spreads_from_lonelier_ties_faster_than_relief():
    # average 0.5; 0's tie is lonelier (0.9: pull +2 x 0.4), 2's less lonely (0.1: -0.4),
    # 1's and 3's ties sit at the average (0); the mean pull over the four is 0.1
    pop = tiny.population(4, loneliness=[0.5, 0.9, 0.5, 0.1])
    d = tiny.day(pop)
    k = K_LONELY._replace(rise=0.0, fall=0.0, contagion=0.1, discontent=2.0)
    wellbeing.update_loneliness(pop, tiny.ties(pop, [(0, 1), (2, 3)]), k, d)
    mean_pull = (0.8 - 0.4) / 4
    assert pop.loneliness.tolist() == pytest.approx([0.5 + 0.1 * (0.8 - mean_pull),
                                                     0.9 - 0.1 * mean_pull,
                                                     0.5 + 0.1 * (-0.4 - mean_pull),
                                                     0.1 - 0.1 * mean_pull])


def test_self_reliance_falls_after_help_received():
    pop = tiny.population(2, self_reliance=0.5)
    d = tiny.day(pop)
    d.acts_recipient = np.array([1])
    wellbeing.relax_self_reliance(pop, tiny.profiles(), P, d)
    assert pop.self_reliance[1] < pop.self_reliance[0]


# -- hubs, encounters -----------------------------------------------------------------------
def _hubs(pop, **spec):
    return Hubs.build([HubSpec(capacity_per_1000=False, **spec)], list(pop.section_names), pop.n)


def test_nobody_is_turned_away_and_a_closed_hub_has_no_visitors():
    pop = tiny.population(10)
    hubs = _hubs(pop, name="h", capacity=3, open_days=tuple(range(7)))
    d = tiny.day(pop, n_hubs=1)
    pref = hubs.preference(1, P)
    where = encounters.visit_hubs(pop, hubs, K_VISIT._replace(p_visit=1.0), pref, np.ones(5),
                                  d, rng())
    assert (where == 0).sum() == 10 and hubs.visitors_today[0] == 10
    assert hubs.days_open.tolist() == [1] and hubs.days_crowded.tolist() == [1]
    hubs.close(0)
    where = encounters.visit_hubs(pop, hubs, K_VISIT._replace(p_visit=1.0), pref, np.ones(5),
                                  tiny.day(pop, n_hubs=1), rng())
    assert (where >= 0).sum() == 0 and hubs.days_open.tolist() == [1]


def test_visitors_meet_the_next_k_around_the_table():
    pop = tiny.population(6)
    hubs = _hubs(pop, name="h", capacity=6, open_days=tuple(range(7)), palatability=0.7)
    hubs.visitors_today[:] = 6
    d = tiny.day(pop, n_hubs=1)
    where = np.zeros(6, dtype=np.int64)
    encounters.pair_visitors(where, hubs, 2, d, rng())
    m = d.meetings()
    assert len(m) == 12 and np.all(m.a != m.b) and np.allclose(m.palatability, 0.7)
    assert np.bincount(np.concatenate([m.a, m.b])).tolist() == [4] * 6


def test_a_crowded_hub_gives_each_visitor_fewer_conversations():
    pop = tiny.population(400)
    hubs = _hubs(pop, name="h", capacity=100, open_days=tuple(range(7)))
    hubs.visitors_today[:] = 400  # four times its capacity
    d = tiny.day(pop, n_hubs=1)
    encounters.pair_visitors(np.zeros(400, np.int64), hubs, 4, d, rng())
    assert len(d.meetings()) == pytest.approx(400 * 4 * 100 / 400, rel=0.1)


def test_residents_who_trust_other_sections_choose_mixing_hubs_more():
    n = 20_000
    pop = tiny.population(n, trust_out=np.where(np.arange(n) < n // 2, 0.2, 0.8))
    hubs = Hubs.build([HubSpec(name="own", location="a", capacity_per_1000=False,
                               open_days=tuple(range(7))),
                       HubSpec(name="mixed", location="boundary", capacity_per_1000=False,
                               open_days=tuple(range(7)))], ["a"], n)
    where = encounters.visit_hubs(pop, hubs, K_VISIT._replace(p_visit=1.0, contact_seeking=1.0),
                                  hubs.preference(1, P), np.ones(5),
                                  tiny.day(pop, n_hubs=2), rng())
    low, high = (where[: n // 2] == 1).mean(), (where[n // 2:] == 1).mean()
    assert high > low + 0.05


# -- ties -----------------------------------------------------------------------------------
def test_a_meeting_leaves_a_tie_with_its_chance_and_never_doubles_one():
    pop = tiny.population(4)
    t = tiny.ties(pop, [(0, 1)])
    d = tiny.day(pop)
    d.add_meetings([0, 2], [1, 3])
    tie_rules.form_ties_from_meetings(t, d.meetings(), 1.0, d, rng())
    (u, v), = d.new_ties
    assert (u.tolist(), v.tolist()) == ([2], [3])  # 0-1 is already a tie
    n = 50_000
    big = tiny.population(n)
    t = tiny.ties(big, [])
    d = tiny.day(big)
    d.add_meetings(np.arange(0, n, 2), np.arange(1, n, 2))
    tie_rules.form_ties_from_meetings(t, d.meetings(), 0.1, d, rng())
    assert len(d.new_ties[0][0]) == pytest.approx(n / 2 * 0.1, rel=0.05)


def test_help_makes_a_tie_close_within_the_close_budget():
    pop = tiny.population(4)
    t = tiny.ties(pop, [(0, 1), (0, 2), (0, 3)])
    tie_rules.promote_helping_ties(t, np.array([0, 2, 3]), np.array([1, 0, 0]), 2)
    assert t.close[t.find([0, 1, 0, 2], [1, 0, 2, 0])].all()
    assert not t.close[t.find([0], [3])].any()  # 0 has no room left


def test_unused_ties_fade_and_close_ties_need_more_contact():
    pop = tiny.population(3)
    t = tiny.ties(pop, [(0, 1), (1, 2)])
    t.close[:] = True
    t.last_contact[t.find([1, 2], [2, 1])] = 500
    drops = tie_rules.fade_unused_ties(t, 365, 1.0, 60, 600, rng())
    assert t.src[drops].tolist() == [0] and t.dst[drops].tolist() == [1]
    # 1-2 last used 100 days ago: no longer close, but not faded
    assert not t.close[t.find([1, 2], [2, 1])].any()


def test_bridge_figures_introduce_ties_from_different_sections():
    pop = tiny.population(3, sections=[0, 0, 1])
    pop.is_bridge[0] = True
    t = tiny.ties(pop, [(0, 1), (0, 2)])
    met = set()
    for seed in range(20):
        d = tiny.day(pop)
        tie_rules.introduce_across_sections(pop, t, 1.0, 0.5, d, rng(seed))
        m = d.meetings()
        met |= set(zip(m.a.tolist(), m.b.tolist(), strict=True))
    assert met == {(1, 2), (2, 1), (0, 1), (0, 2)}


def test_residents_an_intervention_supports_introduce_like_bridge_figures():
    pop = tiny.population(3, sections=[0, 0, 1])
    t = tiny.ties(pop, [(0, 1), (0, 2)])
    d = tiny.day(pop)
    tie_rules.introduce_across_sections(pop, t, 1.0, 0.5, d, rng(0))
    assert len(d.meetings()) == 0  # nobody is a bridge figure
    for seed in range(20):
        d = tiny.day(pop)
        d.levers.add_introducers([0], pop.n)
        tie_rules.introduce_across_sections(pop, t, 1.0, 0.5, d, rng(seed))
        if len(d.meetings()):
            break
    assert set(zip(d.meetings().a.tolist(), d.meetings().b.tolist(), strict=True)) <= {
        (1, 2), (2, 1), (0, 1), (0, 2)}
    assert len(d.meetings()) == 3


def test_a_commitment_to_look_out_multiplies_one_noticers_chance():
    pop = tiny.population(3, need=[0.0, 0.5, 0.5])
    d = tiny.day(pop)
    d.add_meetings([0, 2], [1, 1], palatability=1.0)
    d.levers.scale("notice_multiplier", [0], 1 / (P.p_notice_at_hub * 0.8), pop.n)
    noticed = 0
    for seed in range(200):
        d._offers = []
        encounters.surface_needs_in_meetings(pop, tiny.ties(pop, []), d.meetings(),
                                             P.p_notice_at_hub, tiny.profiles().notice_multiplier,
                                             d, rng(seed))
        noticed += int((d.offers().helper == 0).sum())
    assert noticed == 200  # the unaligned notice at 0.8 x p; times the lever, always


def test_gatherings_seat_sections_alternately_and_talk_with_the_next_k():
    section = np.array([0] * 6 + [1] * 6)
    a, b = encounters.seat_in_circles(np.arange(12), np.zeros(12, np.int64), section, 1,
                                      rng(3))
    assert len(a) == 12 and sorted(a.tolist()) == list(range(12))
    assert (section[a] != section[b]).all()  # next seat is from the other section
    group = np.array([0, 0, 0, 1, 1, 1] * 2)
    a, b = encounters.seat_in_circles(np.arange(12), group, section, 2, rng(4))
    assert (group[a] == group[b]).all() and len(a) == 24


# -- people come and go ---------------------------------------------------------------------
def test_movers_are_replaced_by_newcomers_with_no_ties_and_no_history():
    params = ModelParams()
    pop = tiny.population(6, sections=[0, 0, 0, 1, 1, 1], helps_given=5.0, last_help_day=3,
                          reputation=0.9)
    orient_before = pop.orientation.copy()
    t = tiny.ties(pop, [(0, 1), (1, 2), (3, 4)])
    sections = dataclasses.replace(params.population.sections[0], moves_per_year=1.0)
    stay = dataclasses.replace(params.population.sections[1], moves_per_year=0.0)
    params = dataclasses.replace(params, population=dataclasses.replace(
        params.population, sections=(sections, stay)))
    drops = moving.move_out_and_in(pop, t, params, 365, 30, rng())
    assert pop.arrived_day.tolist() == [30, 30, 30, 0, 0, 0]
    assert np.all(pop.helps_given[:3] == 0) and np.all(pop.last_help_day[:3] == NEVER)
    assert np.all(pop.reputation[:3] == params.population.reputation_start)
    assert np.array_equal(pop.orientation, orient_before)  # rows stay sorted
    t.merge([], [], [], drops, pop.section, day=30)
    assert t.degree().tolist() == [0, 0, 0, 1, 1, 0]

"""Each daily rule on a tiny community whose outcome can be worked out by hand.

Probabilities are set to 0 or 1 where a draw is involved, so the expected outcome is
certain; where a rule computes a probability, the test recomputes it from the documented
formula."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from sim.day import Offers
from sim.network import Ties
from sim.params import HubSpec, OrientationProfile, RuleParams
from sim.places import Hubs
from sim.population import NEVER
from sim.rules import (
    asking,
    encounters,
    helping,
    ledger,
    needs,
    noticing,
    reputation,
    trust,
    wellbeing,
)
from sim.rules import ties as tie_rules
from tests import tiny

P = RuleParams()


def rng(seed=0):
    return np.random.default_rng(seed)


# -- needs ------------------------------------------------------------------------------------
def test_no_needs_arrive_at_zero_rate_and_needs_cap_at_one():
    pop = tiny.population(50)
    needs.arrive_needs(pop, np.zeros(50), 0.5, day=3, rng=rng())
    assert not pop.need.any()
    needs.arrive_needs(pop, np.full(50, 50.0), 0.5, day=3, rng=rng())
    assert np.all(pop.need > 0) and pop.need.max() == 1.0 and np.all(pop.need <= 1.0)
    assert np.all(pop.need_since == 3)


def test_need_start_day_is_kept_when_a_second_need_arrives():
    pop = tiny.population(5, need=0.2, need_since=1)
    needs.arrive_needs(pop, np.full(5, 50.0), 0.5, day=9, rng=rng())
    assert np.all(pop.need_since == 1)


def test_needs_resolve_elsewhere_at_certain_rate():
    pop = tiny.population(4, need=0.5, need_since=2)
    needs.resolve_needs_elsewhere(pop, 1.0, rng())
    assert not pop.need.any() and np.all(pop.need_since == NEVER)


# -- chat and noticing ----------------------------------------------------------------------
def test_chat_gives_contact_only_to_residents_with_ties():
    pop = tiny.population(4)
    t = tiny.ties(pop, [(0, 1), (1, 2)])
    d = tiny.day(pop, 5)
    noticing.chat_with_ties(pop, t, 1.0, d, rng())
    assert d.contact.tolist() == [True, True, True, False]
    assert pop.last_contact_day.tolist()[:3] == [5, 5, 5]


def test_being_chatted_to_is_contact():
    # only resident 0 starts a chat (its only tie is 1); 1 has had contact all the same
    pop = tiny.population(3)
    t = tiny.ties(pop, [(0, 1)])
    contact = np.zeros(3, dtype=bool)
    noticing._chat(t.indptr, t.dst, t.rev, t.last_contact, pop.last_contact_day, contact,
                   np.array([0.0, 1.0, 1.0]), 0.5, 4)
    assert contact.tolist() == [True, True, False]
    assert pop.last_contact_day.tolist()[:2] == [4, 4]


def test_ties_notice_a_need_and_withdrawn_ties_do_not():
    pop = tiny.population(4, withdrawn_until=[0, 0, 99, 0])
    pop.need[0] = 0.5
    t = tiny.ties(pop, [(0, 1), (0, 2), (1, 3)])
    d = tiny.day(pop)
    noticing.notice_needs_through_ties(pop, t, 1.0, 1.0, np.ones(5), d, rng())
    offers = d.offers()
    assert offers.helper.tolist() == [1]  # 2 is withdrawn, 3 is not tied to 0
    assert offers.recipient.tolist() == [0]
    assert not offers.asked.any()
    assert t.find([1], [0])[0] == offers.edge[0]


# -- asking ---------------------------------------------------------------------------------
def test_probability_of_asking_follows_the_logistic_formula():
    pop = tiny.population(1, need=0.5, trust_gen=0.5, self_reliance=0.5, indebtedness=0.2)
    logit = (P.ask_intercept + P.ask_weight_trust * 0.5 - P.ask_weight_self_reliance * 0.5
             - P.ask_weight_indebtedness * 0.2 + P.ask_weight_need * 0.5)
    expected = 1 / (1 + np.exp(-logit))
    got = asking.p_ask(pop, np.array([0]), np.ones(5, np.float32), P)
    assert got[0] == pytest.approx(expected, rel=1e-5)


def test_self_reliance_and_indebtedness_hold_back_asking():
    pop = tiny.population(3, need=0.5, self_reliance=[0.1, 0.9, 0.1],
                          indebtedness=[0.0, 0.0, 0.9])
    p = asking.p_ask(pop, np.arange(3), np.ones(5, np.float32), P)
    assert p[0] > p[1] and p[0] > p[2]


def test_askers_turn_to_the_tie_they_trust():
    pop = tiny.population(3, need=[1.0, 0, 0], self_reliance=0.0, trust_gen=1.0)
    t = tiny.ties(pop, [(0, 1), (0, 2)])
    t.trust[t.find([0, 0], [1, 2])] = [1.0, 0.0]
    p = dataclasses.replace(P, ask_intercept=20.0)  # certain to ask
    d = tiny.day(pop)
    asking.decide_to_ask(pop, t, np.ones(5, np.float32), p, d, rng())
    offers = d.offers()
    assert offers.helper.tolist() == [1] and offers.asked.all()
    assert d.asked.tolist() == [True, False, False]


# -- helping --------------------------------------------------------------------------------
def test_probability_of_helping_follows_the_documented_product():
    pop = tiny.population(2, need=[0, 0.5], attachment=0.5, reputation=0.5, energy=1.0)
    t = tiny.ties(pop, [(0, 1)], trust=0.6)
    offers = Offers(np.array([0]), np.array([1]), t.find([0], [1]), np.array([True]))
    prof = tiny.profiles()
    u = prof  # the unaligned row (index 4) of the default profiles
    expected = (u.help_propensity[4] * (0.3 + 0.7 * 0.6) * (1 - P.standing_weight * 0.5)
                * 1.0 * 1.0 * (1 + P.attachment_weight * 0.5) * (1 + P.asked_bonus))
    got = helping.p_help(pop, t, offers, prof, P, pop.active(1))
    assert got[0] == pytest.approx(expected, rel=1e-5)


def test_other_section_cut_and_withdrawal_stop_help():
    pop = tiny.population(3, sections=[0, 1, 0], need=[0, 0.5, 0.5],
                          withdrawn_until=[0, 0, 0])
    offers = Offers(np.array([0, 0]), np.array([1, 2]), np.array([-1, -1]),
                    np.array([False, False]))
    prof = tiny.profiles(unaligned=OrientationProfile(in_group_bias=1.0))
    p = helping.p_help(pop, tiny.ties(pop, []), offers, prof, P, pop.active(1))
    assert p[0] == 0.0 and p[1] > 0.0
    pop.withdrawn_until[0] = 10
    p = helping.p_help(pop, tiny.ties(pop, []), offers, prof, P, pop.active(1))
    assert np.all(p == 0.0)


def _willing_profiles():
    return tiny.profiles(unaligned=OrientationProfile(help_propensity=1.0, in_group_bias=0.0))


def test_each_recipient_takes_one_helper_and_each_helper_helps_once():
    # helpers 0 and 1 both offer to 2; helper 3 offers to 4 and 5
    pop = tiny.population(6, need=[0, 0, 0.9, 0, 0.9, 0.9], reputation=1.0)
    t = tiny.ties(pop, [])
    d = tiny.day(pop)
    d.add_offers([0, 1, 3, 3], [2, 2, 4, 5], [-1, -1, -1, -1], asked=True)
    pop.trust_in[:] = 1.0
    helping.decide_to_help(pop, t, _willing_profiles(), P, d, rng())
    assert sorted(d.acts_recipient.tolist()) in ([2, 4], [2, 5])
    assert len(set(d.acts_helper.tolist())) == 2
    assert 3 in d.acts_helper.tolist() and len(d.refusals) == 0


def test_help_relieves_need_and_costs_energy():
    pop = tiny.population(2, need=[0, 0.5], need_since=[NEVER, 1], energy=1.0)
    d = tiny.day(pop, 4)
    d.acts_helper, d.acts_recipient = np.array([0]), np.array([1])
    helping.give_help(pop, P, d)
    assert pop.need[1] == 0.0 and pop.need_since[1] == NEVER  # 0.5 - 0.6 floors at 0
    assert pop.energy[0] == pytest.approx(1.0 - P.help_cost)
    assert pop.last_help_day.tolist() == [4, 4] and d.contact.all()


# -- reputation -----------------------------------------------------------------------------
def test_reputation_rises_with_seen_help_and_standing_protects_refusers():
    pop = tiny.population(4, reputation=[0.5, 0.5, 0.8, 0.3])
    d = tiny.day(pop)
    d.acts_helper, d.acts_recipient = np.array([0]), np.array([2])
    # 1 refuses 2 (good standing) and 3 (bad standing): only the first counts against 1
    d.refusals = Offers(np.array([1, 1]), np.array([2, 3]), np.array([-1, -1]),
                        np.array([True, True]))
    reputation.update_reputation(pop, 1.0, 0.1, d, rng())
    assert pop.reputation[0] == pytest.approx(0.55)
    assert pop.reputation[1] == pytest.approx(0.45)


# -- trust ----------------------------------------------------------------------------------
def test_help_raises_trust_along_the_tie_and_in_the_helpers_group():
    pop = tiny.population(2, trust_in=0.5)
    t = tiny.ties(pop, [(0, 1)], trust=0.6)
    d = tiny.day(pop)
    e = t.find([0], [1])
    d.acts_helper, d.acts_recipient, d.acts_edge = np.array([0]), np.array([1]), e
    d.refusals = None
    trust.learn_trust_from_help(pop, t, P, d)
    back = t.find([1], [0])[0]
    assert t.trust[back] == pytest.approx(0.6 + P.tie_trust_gain * 0.4, rel=1e-5)
    assert pop.trust_in[1] == pytest.approx(0.5 + P.group_trust_gain * 0.5, rel=1e-5)
    assert pop.trust_in[0] == 0.5


def test_refusal_lowers_the_askers_trust():
    pop = tiny.population(2, sections=[0, 1], trust_out=0.5)
    t = tiny.ties(pop, [(0, 1)], trust=0.6)
    d = tiny.day(pop)
    d.refusals = Offers(np.array([0]), np.array([1]), t.find([0], [1]), np.array([True]))
    trust.learn_trust_from_help(pop, t, P, d)
    assert t.trust[t.find([1], [0])[0]] == pytest.approx(0.6 * (1 - P.tie_trust_loss))
    assert pop.trust_out[1] == pytest.approx(0.5 * (1 - P.group_trust_loss))


def test_cross_section_contact_raises_out_group_trust_more_for_open_orientations():
    pop = tiny.population(4, sections=[0, 1, 0, 1],
                          orientations=["empathic", "traditional", "unaligned", "unaligned"],
                          trust_out=0.4)
    d = tiny.day(pop)
    d.add_meetings([0], [1])
    trust.learn_trust_from_contact(pop, d.meetings(), tiny.profiles(), P)
    gain = pop.trust_out - 0.4
    assert gain[0] > gain[1] > 0 and gain[2] == 0 and gain[3] == 0
    assert gain[0] == pytest.approx(P.contact_trust_gain * 1.3 * 0.6, rel=1e-4)


def test_change_threatens_only_change_threatened_orientations():
    pop = tiny.population(2, orientations=["traditional", "empathic"], trust_out=0.5)
    trust.feel_threat_from_change(pop, tiny.profiles(), P, 0.5)
    assert pop.trust_out[0] == pytest.approx(0.5 * (1 - P.change_threat_rate * 0.5))
    assert pop.trust_out[1] == 0.5


# -- ledger ---------------------------------------------------------------------------------
def test_receiving_adds_indebtedness_and_one_way_giving_breeds_resentment():
    pop = tiny.population(2, balance=[10.0, 0.0])
    d = tiny.day(pop)
    d.acts_helper, d.acts_recipient = np.array([0]), np.array([1])
    ledger.settle_ledgers(pop, tiny.profiles(), P, d)
    assert pop.indebtedness[1] == pytest.approx(P.debt_per_help * (1 - P.debt_decay))
    assert pop.resentment[0] == pytest.approx(P.resentment_rate)  # unaligned sensitivity 1
    assert pop.resentment[1] == 0.0


# -- wellbeing ------------------------------------------------------------------------------
def test_burnout_builds_below_the_threshold_and_withdraws_at_full():
    pop = tiny.population(2, energy=0.0, burnout=[0.0, 0.99])
    d = tiny.day(pop, 10)
    wellbeing.recover_energy_and_burn_out(pop, tiny.profiles(), P, d)
    assert pop.burnout[0] == pytest.approx(P.burnout_growth)
    assert pop.withdrawn_until[1] == 10 + 1 + P.withdrawal_days
    assert not pop.active(11)[1] and pop.active(11 + P.withdrawal_days)[1]


def test_loneliness_grows_without_contact_and_falls_with_it():
    pop = tiny.population(2, loneliness=0.5)
    d = tiny.day(pop)
    d.contact[1] = True
    wellbeing.update_loneliness(pop, tiny.ties(pop, []), P, d)
    assert pop.loneliness[0] == pytest.approx(0.5 + P.loneliness_rise * 0.5)
    assert pop.loneliness[1] == pytest.approx(0.5 - P.loneliness_fall * 0.5)


def test_loneliness_drifts_toward_ties():
    pop = tiny.population(2, loneliness=[0.0, 1.0])
    d = tiny.day(pop)
    d.contact[:] = True
    p = dataclasses.replace(P, loneliness_fall=0.0)
    wellbeing.update_loneliness(pop, tiny.ties(pop, [(0, 1)]), p, d)
    assert pop.loneliness[0] == pytest.approx(P.loneliness_contagion)


def test_self_reliance_falls_after_help_received():
    pop = tiny.population(2, self_reliance=0.5)
    d = tiny.day(pop)
    d.acts_recipient = np.array([1])
    wellbeing.relax_self_reliance(pop, tiny.profiles(), P, d)
    assert pop.self_reliance[1] < pop.self_reliance[0]


# -- hubs, encounters, ties -----------------------------------------------------------------
def _hubs(pop, **spec):
    return Hubs.build([HubSpec(capacity_per_1000=False, **spec)], list(pop.section_names), pop.n)


def test_a_full_hub_turns_the_rest_away_and_a_closed_hub_admits_nobody():
    pop = tiny.population(10)
    hubs = _hubs(pop, name="h", capacity=3, open_days=tuple(range(7)))
    d = tiny.day(pop, n_hubs=1)
    where = encounters.visit_hubs(pop, hubs, 1.0, np.ones(5), d, rng())
    assert (where == 0).sum() == 3 and hubs.visitors_today[0] == 3
    hubs.close(0)
    where = encounters.visit_hubs(pop, hubs, 1.0, np.ones(5), tiny.day(pop, n_hubs=1), rng())
    assert (where >= 0).sum() == 0


def test_visitors_meet_the_next_k_around_the_table():
    pop = tiny.population(6)
    hubs = _hubs(pop, name="h", capacity=6, open_days=tuple(range(7)), palatability=0.7)
    d = tiny.day(pop, n_hubs=1)
    where = np.zeros(6, dtype=np.int64)
    encounters.pair_visitors(where, hubs, 2, d, rng())
    m = d.meetings()
    assert len(m) == 12 and np.all(m.a != m.b) and np.allclose(m.palatability, 0.7)
    assert np.bincount(np.concatenate([m.a, m.b])).tolist() == [4] * 6


def test_repeated_meetings_make_a_tie_at_the_weekly_settling():
    acq = tie_rules.Acquaintances(5)
    pop = tiny.population(5)
    for day_no, (a, b) in enumerate([(0, 3), (3, 0), (1, 2), (0, 3), (0, 3)], start=1):
        d = tiny.day(pop, day_no)
        d.add_meetings([a, a], [b, b])  # twice the same day counts once
        tie_rules.remember_meetings(acq, d.meetings(), d)
        if day_no == 2:
            u, v = acq.settle(day_no, threshold=3, memory_days=90)
            assert len(u) == 0 and len(acq) == 1  # (0, 3) has met twice
    u, v = acq.settle(5, threshold=3, memory_days=90)
    assert (u.tolist(), v.tolist()) == ([0], [3])
    assert acq.key.tolist() == [1 * 5 + 2] and acq.count.tolist() == [1]


def test_acquaintances_not_met_within_memory_are_forgotten():
    acq = tie_rules.Acquaintances(5)
    acq.meet(np.array([0]), np.array([1]), 1)
    acq.settle(7, threshold=3, memory_days=90)
    assert len(acq) == 1
    acq.settle(200, threshold=3, memory_days=90)
    assert len(acq) == 0


def test_merge_adds_new_ties_once_and_drops_faded_ones():
    pop = tiny.population(4)
    t = tiny.ties(pop, [(0, 1), (1, 2)])
    drop = t.find([1], [2])
    added = t.merge([0, 3, 1], [3, 0, 0], [0.5, 0.5, 0.5], drop, pop.section, day=7)
    assert added[0].tolist() == [0]  # (3, 0) repeats (0, 3); (1, 0) exists
    assert t.m == 4 and t.find([1, 2, 0, 3], [2, 1, 3, 0]).tolist()[:2] == [-1, -1]
    assert np.all(t.src[t.rev] == t.dst) and np.all(np.diff(t.key) > 0)


def test_unused_ties_fade_and_used_ones_stay():
    pop = tiny.population(3)
    t = tiny.ties(pop, [(0, 1), (1, 2)])
    t.last_contact[t.find([1, 2], [2, 1])] = 500
    drops = tie_rules.fade_unused_ties(t, 365, 1.0, 600, rng())
    assert t.src[drops].tolist() == [0] and t.dst[drops].tolist() == [1]


def test_bridge_figures_introduce_ties_from_different_sections():
    pop = tiny.population(3, sections=[0, 0, 1])
    pop.is_bridge[0] = True
    t = tiny.ties(pop, [(0, 1), (0, 2)])
    met = set()
    for seed in range(20):
        d = tiny.day(pop)
        tie_rules.introduce_across_sections(pop, t, 1.0, d, rng(seed))
        m = d.meetings()
        met |= set(zip(m.a.tolist(), m.b.tolist(), strict=True))
    assert met == {(1, 2), (2, 1), (0, 1), (0, 2)}


# -- compiled kernels: behaviour that could go wrong ----------------------------------------
def test_merged_ties_equal_a_fresh_build_and_reverse_edges_point_back():
    r = rng(11)
    n = 60
    sec = r.integers(0, 3, n).astype(np.int8)
    u, v = r.integers(0, n, 150), r.integers(0, n, 150)
    t = Ties.from_pairs(n, u, v, np.full(150, 0.5), sec)
    for week in range(1, 6):
        drops = np.flatnonzero((t.src < t.dst) & (r.random(t.m) < 0.2))
        au, av = r.integers(0, n, 40), r.integers(0, n, 40)
        t.merge(au, av, np.full(40, 0.7, np.float32), drops, sec, day=7 * week)
        fresh = Ties.from_pairs(n, t.src, t.dst, t.trust, sec)  # each pair twice: deduped
        np.testing.assert_array_equal(t.src, fresh.src)
        np.testing.assert_array_equal(t.dst, fresh.dst)
        np.testing.assert_array_equal(t.indptr, fresh.indptr)
        assert np.all(np.diff(t.key) > 0)
        assert np.all(t.src[t.rev] == t.dst) and np.all(t.dst[t.rev] == t.src)
        assert np.all(t.rev[t.rev] == np.arange(t.m))
        assert np.all(t.bridging == (sec[t.src] != sec[t.dst]))
        new = t.last_contact == 7 * week
        assert np.all(t.trust[new] == np.float32(0.7))
        want = [e if e >= 0 else -1 for e in (
            next((e for e in range(t.m) if t.src[e] == a and t.dst[e] == b), -1)
            for a, b in zip(au[:10].tolist(), av[:10].tolist(), strict=True))]
        assert t.find(au[:10], av[:10]).tolist() == want


def test_acquaintance_store_matches_a_simple_count():
    r = rng(5)
    n = 30
    acq = tie_rules.Acquaintances(n)
    met: dict[tuple[int, int], list[int]] = {}  # pair -> days met (once a day)
    for day_no in range(1, 50):
        a, b = r.integers(0, n, 25), r.integers(0, n, 25)
        acq.meet(a, b, day_no)
        for x, y in {(min(x, y), max(x, y)) for x, y in zip(a.tolist(), b.tolist(),
                                                              strict=True) if x != y}:
            met.setdefault((x, y), []).append(day_no)
        if day_no % 7 == 0:
            ready = set(zip(*(w.tolist() for w in acq.settle(day_no, 3, 20)), strict=True))
            want_ready = {pair for pair, days in met.items() if len(days) >= 3}
            assert ready == want_ready
            met = {pair: days for pair, days in met.items()
                   if len(days) < 3 and days[-1] >= day_no - 20}
            assert acq.key.tolist() == sorted(x * n + y for x, y in met)
            assert acq.count.tolist() == [len(met[(k // n, k % n)]) for k in acq.key.tolist()]
            assert acq.last.tolist() == [met[(k // n, k % n)][-1] for k in acq.key.tolist()]


def test_offers_resolve_recipient_first_then_helper_in_random_order():
    # reference: walk the willing offers in the drawn order; each recipient keeps its first
    # helper; then each helper keeps the first of those recipients
    r = rng(3)
    for _ in range(30):
        n, k = 12, 25
        helper, recipient = r.integers(0, n, k), r.integers(0, n, k)
        asked = r.random(k) < 0.5
        need = np.where(r.random(n) < 0.7, 0.5, 0.0).astype(np.float32)
        active = r.random(n) < 0.8
        prob = np.where(active[helper], r.random(k), 0.0)
        u = r.random(2 * k)
        offered = np.zeros(n, dtype=bool)
        acts, refused = helping._match(helper, recipient, asked, need, active, prob, u, offered)
        meaningful = need[recipient] > 0
        willing = meaningful & (u[:k] < prob)
        assert refused.tolist() == np.flatnonzero(
            meaningful & ~willing & asked & active[helper]).tolist()
        order = [i for i in np.argsort(u[k:]) if willing[i]]
        first, seen = [], set()
        for i in order:
            if recipient[i] not in seen:
                seen.add(recipient[i])
                first.append(i)
        want, busy = [], set()
        for i in first:
            if helper[i] not in busy:
                busy.add(helper[i])
                want.append(i)
        assert acts.tolist() == want
        assert offered.tolist() == np.isin(np.arange(n), recipient).tolist()


def test_needs_arrive_with_poisson_counts_and_exponential_sizes():
    n, lam, size_mean = 200_000, 0.3, 0.01  # sizes small enough that the cap never binds
    pop = tiny.population(n)
    needs.arrive_needs(pop, np.full(n, lam), size_mean, day=2, rng=rng(1))
    got = pop.need > 0
    assert got.mean() == pytest.approx(1 - np.exp(-lam), abs=0.004)
    # E[size] = mean * E[count]; a new need's size is an exponential times its count
    assert pop.need.mean() == pytest.approx(size_mean * lam, rel=0.02)
    assert np.all(pop.need_since[got] == 2) and np.all(pop.need_since[~got] == NEVER)


def test_chat_picks_each_tie_equally_often():
    # resident 0's uniform swept over (0, 1); the others' draws (1.0) never chat
    pop = tiny.population(4)
    t = tiny.ties(pop, [(0, 1), (0, 2), (0, 3)])
    counts = np.zeros(t.m)
    for x in (np.arange(300) + 0.5) / 300:
        t.last_contact[:] = 0
        contact = np.zeros(4, dtype=bool)
        noticing._chat(t.indptr, t.dst, t.rev, t.last_contact, pop.last_contact_day,
                       contact, np.array([x, 1.0, 1.0, 1.0]), 0.5, 9)
        counts += t.last_contact == 9
        assert contact[0] == (x < 1 - 0.5**3)
        # the one resident 0 chatted with has had contact too, and nobody else
        partners = t.dst[(t.src == 0) & (t.last_contact == 9)]
        assert contact[1:].sum() == len(partners) and contact[partners].all()
    chance = 1 - 0.5**3
    assert np.allclose(counts[t.src == 0], 300 * chance / 3, atol=1)
    assert np.array_equal(counts[t.src == 0], counts[t.rev[t.src == 0]])


def test_askers_choose_ties_in_proportion_to_squared_trust():
    pop = tiny.population(3, need=[1.0, 0, 0], self_reliance=0.0, trust_gen=1.0)
    t = tiny.ties(pop, [(0, 1), (0, 2)])
    t.trust[t.find([0, 0], [1, 2])] = [1.0, 0.5]  # weights 1 : 0.25
    p = dataclasses.replace(P, ask_intercept=20.0)
    chose_1 = 0
    for seed in range(1000):
        d = tiny.day(pop)
        asking.decide_to_ask(pop, t, np.ones(5, np.float32), p, d, rng(seed))
        chose_1 += d.offers().helper[0] == 1
    assert chose_1 / 1000 == pytest.approx(0.8, abs=0.04)

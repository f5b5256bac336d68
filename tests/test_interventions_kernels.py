"""The interventions' compiled kernels (sim/interventions/kernels.py, and the gatherings'
seating in sim/rules/encounters.py) give exactly what the numpy passes they replaced gave:
each is checked against that numpy formulation, kept here as the reference, over many
random inputs (including repeated draws, empty pools and single groups)."""

from __future__ import annotations

import numpy as np
import pytest

from sim.draws import poisson_enlam, stream
from sim.interventions.kernels import (
    active_rows,
    bridge_callers,
    callers_drawn,
    callers_with_ties,
    converse,
    cumulative_tie_weights,
    fade_story,
    introduce_across,
    introductions,
    match_drawn,
    match_other_section,
    max_degree,
    reach_visitors,
    record_commitments,
    recruit_drawn,
    recruit_pool,
    repeat_counts,
    repeat_poisson,
    rows_drawn,
    scale_live_levers,
    story_levers,
    take_first_new,
)
from sim.interventions.recruitment import tie_weights
from sim.rules.encounters import _circle_seating, pull_ratio, seat_in_circles


def recruit_reference(rounds, pool_mask, k):
    """The numpy recruitment loop the kernel replaced: dedupe each round's draws (first
    occurrence, in the order drawn), drop those picked before, keep up to k in all."""
    picked = np.zeros(0, dtype=np.int64)
    for drawn in rounds:
        if len(picked) >= k:
            break
        drawn = drawn[pool_mask[drawn]]
        _, first = np.unique(drawn, return_index=True)
        drawn = drawn[np.sort(first)]
        drawn = drawn[~np.isin(drawn, picked)]
        picked = np.concatenate([picked, drawn[: k - len(picked)]])
    return np.sort(picked)


def recruit_kernel(rounds, pool_mask, k):
    picked = np.empty(k, dtype=np.int64)
    mask = np.zeros(len(pool_mask), dtype=bool)
    n = 0
    for drawn in rounds:
        if n >= k:
            break
        n = take_first_new(drawn, pool_mask, mask, k - n, picked, n)
    return np.sort(picked[:n])


@pytest.mark.parametrize("seed", range(25))
def test_recruitment_kernel_matches_the_numpy_passes(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(5, 300))
    pool_mask = rng.random(n) < rng.uniform(0.05, 1.0)
    k = int(rng.integers(1, max(2, int(pool_mask.sum()) + 1)))
    # few distinct residents per round, so that repeats within and across rounds are common
    rounds = [rng.integers(0, n, int(rng.integers(1, 3 * k + 9))) for _ in range(6)]
    assert np.array_equal(recruit_kernel(rounds, pool_mask, k),
                          recruit_reference(rounds, pool_mask, k))


def partners_reference(rounds, callers, section, active):
    v = np.full(len(callers), -1, dtype=np.int64)
    need = np.arange(len(callers))
    for drawn in rounds:
        drawn = drawn[: len(need)]
        ok = (section[drawn] != section[callers[need]]) & active[drawn]
        v[need[ok]] = drawn[ok]
        need = need[~ok]
        if len(need) == 0:
            break
    return v


@pytest.mark.parametrize("seed", range(25))
def test_partner_rounds_match_the_numpy_passes(seed):
    rng = np.random.default_rng(100 + seed)
    n = int(rng.integers(3, 200))
    section = rng.integers(0, int(rng.integers(1, 4)), n).astype(np.int8)
    active = rng.random(n) < 0.8
    callers = rng.integers(0, n, int(rng.integers(1, 40)))
    rounds = [rng.integers(0, n, len(callers)) for _ in range(5)]
    v = np.full(len(callers), -1, dtype=np.int64)
    need = np.arange(len(callers))
    n_need = len(callers)
    for drawn in rounds:
        n_need = match_other_section(drawn[:n_need], callers, need, n_need, section, active, v)
        if n_need == 0:
            break
    assert np.array_equal(v, partners_reference(rounds, callers, section, active))


def seating_reference(who, group, section):
    """The numpy seating the kernel replaced: round = place within (group, section) in the
    order given; seats by group, then round, then section."""
    g = np.asarray(group)[who].astype(np.int64)
    s = np.asarray(section)[who].astype(np.int64)
    cell = g * (int(s.max(initial=0)) + 1) + s
    order = np.argsort(cell, kind="stable")
    first = np.searchsorted(cell[order], cell[order])
    rank = np.empty(len(who), dtype=np.int64)
    rank[order] = np.arange(len(who)) - first
    seating = np.lexsort((s, rank, g))
    where = np.full(len(section), -1, dtype=np.int64)
    where[who] = g
    return seating, where, int(g.max()) + 1


@pytest.mark.parametrize("seed", range(25))
def test_gathering_seating_matches_the_numpy_sorts(seed):
    rng = np.random.default_rng(200 + seed)
    n = int(rng.integers(2, 400))
    section = rng.integers(0, int(rng.integers(1, 5)), n).astype(np.int8)
    group = rng.integers(0, int(rng.integers(1, 6)), n).astype(np.int64)
    who = rng.permutation(n)[: int(rng.integers(2, n + 1))]
    got = _circle_seating(who, group, section)
    want = seating_reference(who, group, section)
    assert np.array_equal(got[0], want[0])
    assert np.array_equal(got[1], want[1])
    assert got[2] == want[2]


def test_circles_seat_everyone_and_alternate_sections():
    """A gathering of two sections, one circle: each talks with the next, sections
    alternate around the circle as far as they can."""
    section = np.array([0, 0, 0, 1, 1, 1], dtype=np.int8)
    a, b = seat_in_circles(np.arange(6), np.zeros(6, np.int64), section, 1,
                           np.random.default_rng(3))
    assert sorted(a.tolist()) == list(range(6))
    assert np.all(section[a] != section[b])


@pytest.mark.parametrize("seed", range(30))
def test_rows_drawn_match_the_numpy_search(seed):
    """Draws from cumulative weights: the kernel gives the rows numpy's search gave (zero
    weights and long runs of them included, weights far from equal, a uniform that lands
    on the total, and on a cumulative weight exactly)."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 50 if seed < 10 else 5000))
    weights = rng.random(n) * (rng.random(n) < 0.7)
    if seed >= 20:  # heavy-tailed, with long runs of zeros
        weights = rng.pareto(1.0, n) * (np.arange(n) % int(rng.integers(2, 200)) < 3)
    weights[-1] += 0.5  # a positive total
    cum = np.cumsum(weights)
    u = np.concatenate([rng.random(int(rng.integers(0, 400))), [0.0, np.nextafter(1.0, 0.0)],
                        cum[rng.integers(0, n, 5)] / cum[-1]])
    reference = np.minimum(np.searchsorted(cum, u * cum[-1], side="right"), n - 1)
    np.testing.assert_array_equal(rows_drawn(cum, u), reference)
    assert len(rows_drawn(cum, u[:0])) == 0


def drawn_reference(cum, u):
    """The numpy search rows_drawn replaced."""
    return np.minimum(np.searchsorted(cum, u * cum[-1], side="right"), len(cum) - 1)


def random_csr(rng, n):
    """A random CSR index of ties (some residents without any): indptr, dst."""
    degree = rng.integers(0, 4, n) * (rng.random(n) < 0.7)
    indptr = np.concatenate([[0], np.cumsum(degree)]).astype(np.int64)
    return indptr, rng.integers(0, n, indptr[-1]).astype(np.int64)


@pytest.mark.parametrize("seed", range(25))
def test_recruitment_by_draws_matches_the_numpy_passes(seed):
    """recruit_drawn (rounds of uniforms drawn inside from the stream, each taken as far as
    it goes, sorted at the end) gives what the numpy search and recruitment passes gave
    with numpy's own uniforms, round by round, and leaves the generator where those rounds
    left it."""
    rng = np.random.default_rng(300 + seed)
    n = int(rng.integers(5, 300))
    pool_mask = rng.random(n) < rng.uniform(0.05, 1.0)
    weight = rng.random(n) * (rng.random(n) < 0.8)
    weight[int(rng.integers(0, n))] = 1.0
    pool_mask[weight > 0] |= rng.random(int((weight > 0).sum())) < 0.5
    drawable = int((pool_mask & (weight > 0)).sum())
    if drawable == 0:
        pool_mask[weight > 0] = True
        drawable = int((weight > 0).sum())
    cum = np.cumsum(weight)
    k = int(rng.integers(1, drawable + 1))
    ours, numpys = np.random.default_rng(seed), np.random.default_rng(seed)
    got = recruit_drawn(cum, stream(ours), pool_mask, k)
    rounds, picked = [], 0
    while picked < k:
        rounds.append(drawn_reference(cum, numpys.random(2 * (k - picked) + 8)))
        picked = len(recruit_reference(rounds, pool_mask, k))
    assert np.array_equal(got, recruit_reference(rounds, pool_mask, k))
    assert ours.bit_generator.state == numpys.bit_generator.state


@pytest.mark.parametrize("seed", range(25))
def test_partner_rounds_by_draws_match_the_numpy_passes(seed):
    rng = np.random.default_rng(400 + seed)
    n = int(rng.integers(3, 200))
    section = rng.integers(0, int(rng.integers(1, 4)), n).astype(np.int8)
    active = rng.random(n) < 0.8
    cum = np.cumsum(rng.random(n) + 0.01)
    callers = rng.integers(0, n, int(rng.integers(0, 40)))
    v = np.full(len(callers), -1, dtype=np.int64)
    need = np.arange(len(callers))
    n_need, rounds = len(callers), []
    for _ in range(5):
        u = rng.random(n_need)
        rounds.append(np.concatenate([drawn_reference(cum, u),
                                      np.zeros(len(callers) - n_need, np.int64)]))
        n_need = match_drawn(cum, u, callers, need, n_need, section, active, v)
        if n_need == 0:
            break
    assert np.array_equal(v, partners_reference(rounds, callers, section, active))


@pytest.mark.parametrize("seed", range(25))
def test_callers_and_introductions_match_the_numpy_passes(seed):
    """A bridge figure's calls: the repeat and filter, then the tie drawn for each call
    made and the calls dropped where it is the one called on, as the numpy passes did (the
    meetings b-v then x-v, as the two parts they were)."""
    rng = np.random.default_rng(500 + seed)
    n = int(rng.integers(2, 100))
    indptr, dst = random_csr(rng, n)
    degree = np.diff(indptr)
    holders = np.sort(rng.choice(n, int(rng.integers(0, n + 1)), replace=False))
    calls = rng.poisson(rng.uniform(0, 2), len(holders))
    b = np.repeat(holders, calls)
    b = b[degree[b] > 0]
    assert np.array_equal(callers_with_ties(holders, calls, indptr), b)
    # some calls found nobody (-1): they take no uniform and make no meeting
    v = np.where(rng.random(len(b)) < 0.8, rng.integers(0, n, len(b)), -1)
    made = v >= 0
    b_made, v_made = b[made], v[made]
    u = rng.random(len(b_made))
    x = dst[indptr[b_made] + (u * degree[b_made]).astype(np.int64)]
    ok = x != v_made
    reached = rng.random(n) < 0.2
    want_reached = reached.copy()
    want_reached[v_made[ok]] = True
    want_reached[x[ok]] = True
    first, second = introductions(b, v, u, indptr, dst, reached)
    assert np.array_equal(first, np.concatenate([b_made[ok], x[ok]]))
    assert np.array_equal(second, np.concatenate([v_made[ok], v_made[ok]]))
    assert np.array_equal(reached, want_reached)


@pytest.mark.parametrize("seed", range(10))
def test_active_rows_match_flatnonzero(seed):
    rng = np.random.default_rng(900 + seed)
    n = int(rng.integers(0, 300))
    mask, active = rng.random(n) < 0.3, rng.random(n) < 0.8
    assert np.array_equal(active_rows(mask, active), np.flatnonzero(mask & active))


@pytest.mark.parametrize("seed", range(25))
def test_live_commitments_scale_levers_as_the_numpy_passes(seed):
    """The live commitments' levers: each lever multiplied, at the residents whose live
    commitment moves it, as Levers.scale's np.multiply.at did (some codes move no lever)."""
    rng = np.random.default_rng(600 + seed)
    n = int(rng.integers(0, 300))
    until = rng.integers(-5, 20, n).astype(np.int32)
    code = rng.integers(0, 5, n).astype(np.int8)
    day = int(rng.integers(0, 15))
    n_levers = int(rng.integers(1, 4))
    slot = np.array([-1, *rng.integers(-1, n_levers, 4)], dtype=np.int64)
    levers = tuple(rng.uniform(0.5, 2.0, n) for _ in range(n_levers))
    factor = float(rng.uniform(1.0, 3.0))
    want = [lever.copy() for lever in levers]
    live = np.flatnonzero(until >= day)
    for c in range(5):
        if slot[c] >= 0:
            np.multiply.at(want[slot[c]], live[code[live] == c], factor)
    scale_live_levers(until, code, day, slot, factor, *levers,
                      *[np.zeros(0)] * (3 - len(levers)))
    for got, w in zip(levers, want, strict=True):
        assert np.array_equal(got, w)


@pytest.mark.parametrize("seed", range(25))
def test_repeat_and_commitments_match_the_numpy_passes(seed):
    """The 1:1s' conversations (np.repeat) and the commitments recorded at their end, with
    the joiners, as the numpy passes gave them."""
    rng = np.random.default_rng(700 + seed)
    n = int(rng.integers(1, 200))
    rows = np.sort(rng.choice(n, int(rng.integers(0, n + 1)), replace=False))
    counts = rng.poisson(rng.uniform(0, 2), len(rows))
    assert np.array_equal(repeat_counts(rows, counts), np.repeat(rows, counts))
    commits = rng.permutation(n)[: int(rng.integers(0, n + 1))]
    kinds = rng.permutation(np.arange(1, 5, dtype=np.int8))[: int(rng.integers(1, 5))]
    drawn = rng.integers(0, len(kinds), len(commits))
    commitment = rng.integers(0, 5, n).astype(np.int8)
    until = rng.integers(-5, 20, n).astype(np.int32)
    want_commitment, want_until = commitment.copy(), until.copy()
    kind = kinds[drawn]
    want_commitment[commits] = kind
    want_until[commits] = 40
    joiners = record_commitments(commits, drawn, kinds, commitment, until, 40, 1)
    assert np.array_equal(joiners, commits[kind == 1])
    assert np.array_equal(commitment, want_commitment)
    assert np.array_equal(until, want_until)


@pytest.mark.parametrize("seed", range(25))
def test_reach_visitors_match_the_numpy_passes(seed):
    """The targeted visitors of the chosen hubs marked as reached, as the numpy passes did
    (palatable activity's mask over hubs, third space's one hub; -1: no visit)."""
    rng = np.random.default_rng(800 + seed)
    n = int(rng.integers(0, 300))
    n_hubs = int(rng.integers(1, 6))
    hub_visits = rng.integers(-1, n_hubs, n)
    targets = rng.random(n) < 0.7
    reached = rng.random(n) < 0.2
    chosen = np.zeros(n_hubs + 1, dtype=bool)
    chosen[rng.choice(n_hubs, int(rng.integers(0, n_hubs + 1)), replace=False)] = True
    want = reached | (chosen[hub_visits] & targets)
    reach_visitors(hub_visits, chosen, targets, reached)
    assert np.array_equal(reached, want)
    one = int(rng.integers(0, n_hubs))
    want = reached.copy()
    want[np.flatnonzero((hub_visits == one) & targets)] = True
    reach_visitors(hub_visits, np.arange(n_hubs + 1) == one, targets, reached)
    assert np.array_equal(reached, want)


@pytest.mark.parametrize("seed", range(6))
def test_tie_weights_are_the_power_of_each_degree(seed):
    """The recruitment weights from a table of each degree's power are the bits of
    (degree + 1.0) ** power, for powers a critical friend's fading reach gives (any value in
    0-3, tiny ones included) and for residents without ties."""
    rng = np.random.default_rng(seed)
    for _ in range(40):
        degree = rng.integers(0, int(rng.integers(1, 80)), int(rng.integers(0, 3000)))
        power = float(rng.choice([1e-6, 0.5, 1.0, 3.0]) * rng.random())
        got = tie_weights(degree, power)
        want = (degree + 1.0) ** power
        assert got.dtype == want.dtype and np.array_equal(got, want)
    assert tie_weights(np.zeros(0, dtype=np.int64), 0.7).shape == (0,)


@pytest.mark.parametrize("seed", range(20))
def test_cumulative_weights_are_the_numpy_sums(seed):
    """cumulative_tie_weights (each resident's degree read from the CSR index, the weight
    looked up, summed in order) gives np.cumsum of tie_weights to the bit, and max_degree
    is the largest degree (0 for a community without ties)."""
    rng = np.random.default_rng(700 + seed)
    n = int(rng.integers(1, 400))
    indptr, _ = random_csr(rng, n)
    if seed == 0:
        indptr = np.zeros(n + 1, dtype=np.int64)
    degree = np.diff(indptr)
    assert max_degree(indptr) == degree.max(initial=0)
    power = float(rng.choice([0.37, 1.0, 1.5, 2.9]))
    table = np.arange(1.0, max_degree(indptr) + 2.0) ** power
    want = np.cumsum(tie_weights(degree, power))
    assert cumulative_tie_weights(indptr, table).tobytes() == want.tobytes()


@pytest.mark.parametrize("lam", [0.0, 0.3, 9.5, 14.0])
def test_bridge_callers_draw_what_numpy_draws(lam):
    """The bridge figures' calls, their draws inside a kernel below POISSON_KERNEL_MAX and by
    numpy from it up (100 calls a week), are the callers numpy's own draws give, and the
    figures are marked as today's introducers either way."""
    rng = np.random.default_rng(8)
    n = 200
    indptr, _ = random_csr(rng, n)
    holders = np.sort(rng.choice(n, 40, replace=False))
    introducers = np.zeros(n, dtype=bool)
    ours, numpys = np.random.default_rng(5), np.random.default_rng(5)
    got = bridge_callers(holders, ours, lam, indptr, introducers)
    want = callers_with_ties(holders, numpys.poisson(lam, len(holders)), indptr)
    assert np.array_equal(got, want) and np.array_equal(np.flatnonzero(introducers), holders)
    assert ours.bit_generator.state == numpys.bit_generator.state


@pytest.mark.parametrize("lam", [0.0, 0.2, 5.0 / 7.0, 9.5, 12.0])
def test_repeat_poisson_draws_what_numpy_draws(lam):
    """Each row repeated a Poisson number of times: inside a kernel below
    POISSON_KERNEL_MAX, by numpy from it up (12 a day: 84 1:1s a week), the same numbers
    as np.repeat of numpy's own draws either way."""
    rows = np.arange(0, 300, 3)
    ours, numpys = np.random.default_rng(5), np.random.default_rng(5)
    assert np.array_equal(repeat_poisson(rows, ours, lam),
                          np.repeat(rows, numpys.poisson(lam, len(rows))))
    assert ours.bit_generator.state == numpys.bit_generator.state


def converse_reference(rng, who, partner, p, kinds, commitment, until, until_day, join,
                       reached):
    """The 1:1s as numpy passes (one_to_ones before the kernel)."""
    partner = rng.permutation(partner)
    who = who[: len(partner)]
    reached[partner] = True
    commits = partner[rng.random(len(partner)) < p]
    if len(commits) == 0 or len(kinds) == 0:
        return who, partner, 0, np.zeros(0, dtype=np.int64)
    kind = kinds[rng.integers(0, len(kinds), len(commits))]
    commitment[commits] = kind
    until[commits] = until_day
    return who, partner, len(commits), commits[kind == join]


@pytest.mark.parametrize("seed", range(25))
def test_converse_matches_the_numpy_passes(seed):
    """kernels.converse (shuffle, reach, commit, record, its draws inside) gives the
    pairs, the commitments, the joiners, the reached and the generator's state that the
    numpy passes gave, with no kinds on offer, one kind (no draw) or several."""
    rng = np.random.default_rng(900 + seed)
    n = int(rng.integers(2, 200))
    partner = np.sort(rng.choice(n, int(rng.integers(1, n + 1)), replace=False))
    who = np.sort(rng.integers(0, n, len(partner) + int(rng.integers(0, 4))))
    kinds = np.array([1, 2, 3, 4][: int(rng.integers(0, 5))], dtype=np.int8)
    p = float(rng.choice([0.0, 0.4, 1.0]))
    state = [np.zeros(n, np.int8), np.full(n, -1, np.int32), rng.random(n) < 0.3]
    mine = [a.copy() for a in state]
    ours, numpys = np.random.default_rng(seed), np.random.default_rng(seed)
    got = converse(stream(ours), who, partner, p, kinds, mine[0], mine[1], 40, 1, mine[2])
    want = converse_reference(numpys, who, partner, p, kinds, *state[:2], 40, 1, state[2])
    for g, w in zip(got, want, strict=True):
        assert np.array_equal(g, w)
    for g, w in zip(mine, state, strict=True):
        assert np.array_equal(g, w)
    assert ours.bit_generator.state == numpys.bit_generator.state


@pytest.mark.parametrize("seed", range(25))
def test_bridge_calls_match_the_numpy_passes(seed):
    """callers_drawn and introduce_across (the figures marked as today's introducers, the
    calls, the partners from other sections, the introductions, their draws inside) give
    the meetings, the reached and the generator's state that the numpy passes gave (poisson
    calls, rounds of uniforms, one uniform per call made)."""
    rng = np.random.default_rng(1100 + seed)
    n = int(rng.integers(2, 150))
    indptr, dst = random_csr(rng, n)
    section = rng.integers(0, int(rng.integers(1, 4)), n).astype(np.int8)
    active = rng.random(n) < 0.85
    holders = np.sort(rng.choice(n, int(rng.integers(0, n + 1)), replace=False))
    cum = np.cumsum(rng.random(n) + 0.01)
    lam = float(rng.choice([0.1, 3.0 / 7.0, 2.0]))
    reached = rng.random(n) < 0.2
    want_reached = reached.copy()
    ours, numpys = np.random.default_rng(seed), np.random.default_rng(seed)
    introducers = np.zeros(n, dtype=bool)
    b = callers_drawn(stream(ours), holders, lam, poisson_enlam(lam), indptr, introducers)
    want_b = callers_with_ties(holders, numpys.poisson(lam, len(holders)), indptr)
    assert np.array_equal(b, want_b)
    assert np.array_equal(np.flatnonzero(introducers), holders)
    got = introduce_across(stream(ours), b, cum, section, active, indptr, dst, reached, 20)
    rounds = []
    v = partners_reference(rounds, b, section, active)
    for _ in range(20):  # the reference's rounds, drawn as the kernel draws them
        left = int((v < 0).sum()) if rounds else len(b)
        if left == 0:
            break
        rounds.append(np.full(len(b), -1))
        rounds[-1][:left] = drawn_reference(cum, numpys.random(left))
        v = partners_reference(rounds, b, section, active)
    want = introductions(b, v, numpys.random(int((v >= 0).sum())), indptr, dst,
                         want_reached)
    for g, w in zip(got, want, strict=True):
        assert np.array_equal(g, w)
    assert np.array_equal(reached, want_reached)
    assert ours.bit_generator.state == numpys.bit_generator.state


@pytest.mark.parametrize("seed", range(40))
def test_pull_ratio_sums_as_numpy_sums(seed):
    """pull_ratio gives, to the bit, the ratio of the two rows of hub_pull summed by numpy
    (sum(axis=1): pairwise sums, which differ from one-by-one sums in the last bits), with
    1 where nothing is open either way; from 1 to 300 hubs (past the 8 and 128 where
    numpy's summing changes)."""
    rng = np.random.default_rng(1300 + seed)
    n_sections, n_hubs = int(rng.integers(1, 6)), int(rng.choice([1, 3, 7, 8, 9, 40, 129, 300]))
    preference = rng.choice([0.2, 1.0, 1.7, 3.0], (n_sections, n_hubs)) * rng.random(
        (n_sections, n_hubs))
    palat_with, palat_without = rng.random(n_hubs), rng.random(n_hubs)
    open_with, open_without = rng.random(n_hubs) < 0.7, rng.random(n_hubs) < 0.5
    if seed % 5 == 0:
        open_without[:] = False
    pull = 0.3
    with_ = hub_pull_reference(preference, palat_with, pull, open_with).sum(axis=1)
    without = hub_pull_reference(preference, palat_without, pull, open_without).sum(axis=1)
    ok = (with_ > 0) & (without > 0)
    want = np.where(ok, with_ / np.where(ok, without, 1.0), 1.0)
    got = pull_ratio(preference, pull, palat_with, open_with, palat_without, open_without)
    assert got.tobytes() == want.tobytes()


def hub_pull_reference(preference, palatability, pull, open_now):
    """hub_pull as numpy wrote it: preference x (pull + palatability), times 0 when closed."""
    return preference * (pull + palatability) * np.where(open_now, 1.0, 0.0)


@pytest.mark.parametrize("seed", range(15))
def test_story_fades_and_moves_levers_as_the_numpy_passes(seed):
    """fade_story (float32 story times a float32 keep) and story_levers give, to the bit,
    the story and levers of the numpy passes they replaced (``story *= keep`` with a Python
    float, then Levers.shift and Levers.scale over the residents above HEARD); a float64
    keep would not (it rounds differently in about a quarter of the residents)."""
    rng = np.random.default_rng(1500 + seed)
    n = int(rng.integers(1, 500))
    story = (rng.random(n) * (rng.random(n) < 0.4)).astype(np.float32)
    keep = 0.5 ** (1.0 / float(rng.choice([30.0, 90.0, 365.0])))
    heard = 1e-3
    levers = [rng.normal(0, 0.1, n), rng.normal(0, 0.1, n), rng.uniform(0.5, 2, n)]
    want_story, want = story.copy(), [x.copy() for x in levers]
    want_story *= keep
    holders = np.flatnonzero(want_story > heard)
    s64 = want_story[holders].astype(np.float64)
    np.add.at(want[0], holders, 0.5 * s64)
    np.add.at(want[1], holders, 0.3 * s64)
    np.multiply.at(want[2], holders, 1.0 + 0.3 * s64)
    assert fade_story(story, np.float32(keep), np.float32(heard)) == len(holders)
    story_levers(story, np.float32(heard), 0.5, 0.3, 0.3, *levers)
    assert story.tobytes() == want_story.tobytes()
    for got, w in zip(levers, want, strict=True):
        assert got.tobytes() == w.tobytes()


@pytest.mark.parametrize("seed", range(20))
def test_recruitment_pool_is_the_numpy_masks(seed):
    """recruit_pool gives the mask and count the numpy passes gave (targets & active &
    among & ~excluding), each test left out when its array is empty."""
    rng = np.random.default_rng(1700 + seed)
    n = int(rng.integers(0, 300))
    targets, active, among, excluding = (rng.random(n) < q for q in (0.6, 0.8, 0.5, 0.2))
    empty = np.zeros(0, dtype=bool)
    for t, a, x in ((targets, among, excluding), (empty, among, empty),
                    (targets, empty, excluding), (empty, empty, empty)):
        want = active.copy()
        for mask in (t, a):
            if len(mask):
                want &= mask
        if len(x):
            want &= ~x
        pool, count = recruit_pool(t, active, a, x)
        assert np.array_equal(pool, want) and count == want.sum()

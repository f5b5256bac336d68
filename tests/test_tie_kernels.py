"""The tie machinery's compiled kernels (sim/network.py, sim/rules/ties.py, and the loneliness
and chat kernels that walk the ties) give exactly what the code they replaced gave: each is
checked against that formulation, kept here as the reference, over many random inputs
(including no ties, no new pairs, no drops, repeated and self pairs, and tight budgets)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from numba import njit

from sim.network import Ties
from sim.population import STATE_DTYPE
from sim.rules import moving, noticing, wellbeing
from sim.rules import ties as tie_rules
from sim.rules.ties import fade_unused_ties
from sim.tie_kernels import within_budget
from tests import tiny

FIELDS = ("src", "dst", "trust", "last_contact", "close", "indptr", "rev", "bridging")


def merge_reference(t: Ties, add_u, add_v, add_trust, drop_edges, section, day, budget=None):
    """The numpy merge the kernel replaced; returns the new arrays (by name) and the pairs
    added."""
    n = t.n
    keep = np.ones(t.m, dtype=bool)
    if len(drop_edges):
        keep[drop_edges] = False
        keep[t.rev[drop_edges]] = False
    u = np.asarray(add_u, dtype=np.int64)
    v = np.asarray(add_v, dtype=np.int64)
    tr = np.asarray(add_trust, dtype=STATE_DTYPE)
    fresh = (u != v) & (t.find(u, v) < 0)
    u, v, tr = u[fresh], v[fresh], tr[fresh]
    pair = np.minimum(u, v) * n + np.maximum(u, v)
    order = np.argsort(pair, kind="stable")
    first = np.ones(len(order), dtype=bool)
    first[1:] = pair[order][1:] != pair[order][:-1]
    order = np.sort(order[first])
    u, v, tr = u[order], v[order], tr[order]
    if budget is not None and len(u):
        degree = np.bincount(t.src[keep], minlength=n)
        ok = within_budget(u, v, degree, int(budget))
        u, v, tr = u[ok], v[ok], tr[ok]
    new_src, new_dst = np.concatenate([u, v]), np.concatenate([v, u])
    key = np.concatenate([t.key[keep], new_src * n + new_dst])
    order = np.argsort(key, kind="stable")
    out = {
        "src": np.concatenate([t.src[keep], new_src])[order],
        "dst": np.concatenate([t.dst[keep], new_dst])[order],
        "trust": np.concatenate([t.trust[keep], tr, tr])[order],
        "last_contact": np.concatenate([t.last_contact[keep],
                                        np.full(2 * len(u), day, np.int32)])[order],
        "close": np.concatenate([t.close[keep], np.zeros(2 * len(u), bool)])[order],
    }
    out["indptr"] = np.concatenate([[0], np.cumsum(np.bincount(out["src"], minlength=n))])
    ekey = out["src"] * n + out["dst"]
    out["rev"] = np.searchsorted(ekey, out["dst"] * n + out["src"])
    out["bridging"] = section[out["src"]] != section[out["dst"]]
    return out, u, v


def random_ties(rng, n, m_pairs, n_sections=3):
    section = rng.integers(0, n_sections, n).astype(np.int8)
    u, v = rng.integers(0, n, m_pairs), rng.integers(0, n, m_pairs)
    t = Ties.from_pairs(n, u, v, rng.random(m_pairs), section,
                        close=rng.random(m_pairs) < 0.3)
    t.last_contact[:] = rng.integers(0, 60, t.m)
    return t, section


@pytest.mark.parametrize("seed", range(30))
def test_merge_matches_the_numpy_merge(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 200))
    t, section = random_ties(rng, n, int(rng.integers(0, 3 * n)))
    n_add = int(rng.choice([0, 1, int(rng.integers(1, 4 * n + 2))]))
    # few residents per draw, so that self pairs, existing ties and repeats are common
    add_u, add_v = rng.integers(0, n, n_add), rng.integers(0, n, n_add)
    add_trust = rng.random(n_add)
    half = np.flatnonzero(t.src < t.dst)
    drops = half[rng.random(len(half)) < rng.choice([0.0, 0.1, 0.6])]
    drops = np.concatenate([drops, drops[rng.random(len(drops)) < 0.3]])  # a tie twice
    budget = rng.choice([None, 0, 1, 3, 30])
    want, want_u, want_v = merge_reference(t, add_u, add_v, add_trust, drops, section, 61,
                                           budget)
    got_u, got_v = t.merge(add_u, add_v, add_trust, drops, section, 61, budget=budget)
    assert np.array_equal(got_u, want_u) and np.array_equal(got_v, want_v)
    for name in FIELDS:
        got, expected = getattr(t, name), want[name]
        assert got.dtype == expected.dtype or name in ("indptr", "rev"), name
        assert np.array_equal(got, expected), name


def test_close_degree_counts_the_close_flags_of_each_row():
    rng = np.random.default_rng(3)
    for n in (1, 7, 300):
        t, _ = random_ties(rng, n, 2 * n)
        assert np.array_equal(t.close_degree(), np.bincount(t.src[t.close], minlength=n))


@pytest.mark.parametrize("seed", range(10))
def test_fading_matches_the_numpy_passes(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 300))
    t, _ = random_ties(rng, n, 2 * n)
    day, fade_days, close_fade_days = 70, int(rng.integers(1, 80)), int(rng.integers(1, 80))
    idle = day - t.last_contact
    want_close = t.close & (idle <= close_fade_days)
    stale = np.flatnonzero((t.src < t.dst) & (idle > fade_days))
    want = stale[np.random.default_rng(seed).random(len(stale)) < 0.4]
    got = fade_unused_ties(t, fade_days, 0.4, close_fade_days, day,
                           np.random.default_rng(seed))
    assert np.array_equal(got, want) and np.array_equal(t.close, want_close)


@njit
def chat_counts_reference(indptr, sociability, u, chats_per_day):
    """The chat counts before the shortcut: the CDF worked out for everyone with ties."""
    counts = np.zeros(len(u), dtype=np.int64)
    for i in range(len(u)):
        if indptr[i + 1] == indptr[i]:
            continue
        lam = chats_per_day * sociability[i]
        term = math.exp(-lam)
        cdf = term
        c = 0
        while u[i] > cdf and term > 1e-300 and c < 50:
            c += 1
            term *= lam / c
            cdf += term
        counts[i] = c
    return counts


@pytest.mark.parametrize("seed", range(20))
def test_chat_counts_match_the_full_cdf(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(0, 3000))
    indptr = np.concatenate([[0], np.cumsum(rng.integers(0, 3, n))]).astype(np.int64)
    sociability = (rng.random(n) * rng.choice([1e-12, 1e-6, 0.1, 1.0, 30.0])).astype(
        np.float32)
    sociability[rng.random(n) < 0.05] = 0.0
    chats_per_day = float(rng.choice([0.0, 0.05, 0.4, 2.0, 50.0]))
    u = rng.random(n)
    # uniforms one step either side of P(no chat), where the shortcut must not decide
    near = rng.random(n) < 0.3
    p0 = np.exp(-(chats_per_day * sociability[near].astype(np.float64)))
    u[near] = np.nextafter(p0, np.where(rng.random(near.sum()) < 0.5, 0.0, 2.0))
    u = np.minimum(u, np.nextafter(1.0, 0.0))
    assert np.array_equal(noticing._chat_counts(indptr, sociability, u, chats_per_day),
                          chat_counts_reference(indptr, sociability, u, chats_per_day))


@njit
def lonely_reference(lonely, contact, indptr, dst, dilution, rise, fall, contagion,
                     discontent):
    """The loneliness kernel before the contact step lost its branch."""
    n = lonely.shape[0]
    total_l = 0.0
    for i in range(n):
        if contact[i]:
            lonely[i] -= fall * lonely[i]
        else:
            lonely[i] += rise * (1.0 - lonely[i])
        total_l += lonely[i]
    average = total_l / n if n else 0.0
    spread = np.empty(n)
    for i in range(n):
        gap = lonely[i] - average
        spread[i] = gap * discontent if gap > 0.0 else gap
    pull = np.zeros(n)
    total, with_ties = 0.0, 0
    for i in range(n):
        start, end = indptr[i], indptr[i + 1]
        if end > start:
            acc = 0.0
            for e in range(start, end):
                acc += spread[dst[e]]
            pull[i] = acc * dilution[end - start]
            total += pull[i]
            with_ties += 1
    mean_pull = total / with_ties if with_ties else 0.0
    for i in range(n):
        if indptr[i + 1] > indptr[i]:
            lonely[i] += contagion * (pull[i] - mean_pull)
        lonely[i] = min(max(lonely[i], 0.0), 1.0)


@pytest.mark.parametrize("seed", range(10))
def test_loneliness_kernel_and_its_dilution_table_match_the_daily_ones(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 400))
    t, _ = random_ties(rng, n, int(rng.integers(0, 3 * n)))
    exponent = float(rng.uniform(0.0, 1.0))
    max_degree = int(np.diff(t.indptr).max(initial=0))
    table = np.maximum(np.arange(max_degree + 1), 1.0) ** -exponent
    got_table, order, degree_start = wellbeing._degree_tables(t.indptr, exponent)
    assert np.array_equal(got_table, table)
    degree = np.diff(t.indptr)
    assert np.array_equal(order, np.argsort(degree, kind="stable"))
    assert np.array_equal(degree_start, np.searchsorted(degree[order],
                                                        np.arange(max_degree + 2)))
    kept = wellbeing._degree_tables(t.indptr, exponent)  # kept until the ties change
    assert kept[0] is got_table and kept[1] is order
    assert wellbeing._degree_tables(t.indptr, exponent + 0.5)[0] is not got_table
    start = rng.random(n).astype(STATE_DTYPE)
    got, want = start.copy(), start.copy()
    for _ in range(5):
        contact = rng.random(n) < 0.5
        args = (contact, t.indptr, t.dst, table, 0.1, 0.2, 0.05, 2.0)
        wellbeing._lonely(got, *args[:4], order, degree_start, *args[4:])
        lonely_reference(want, *args)
    assert np.array_equal(got, want)


@pytest.mark.parametrize("seed", range(10))
def test_the_weeks_pairs_and_help_skip_movers_as_the_numpy_masks_did(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 200))
    pop = tiny.population(n, sections=rng.integers(0, 3, n),
                          trust_in=rng.random(n), trust_out=rng.random(n))
    moved = rng.random(n) < rng.choice([0.0, 0.1, 0.5])
    u, v = rng.integers(0, n, 3 * n), rng.integers(0, n, 3 * n)
    keep = ~(moved[u] | moved[v])
    want_u, want_v = u[keep], v[keep]
    same = pop.section[want_u] == pop.section[want_v]
    want_t = np.where(same, pop.trust_in[want_u], pop.trust_out[want_u])
    got_u, got_v, got_t = tie_rules.pairs_to_merge(pop, u, v, moved)
    assert np.array_equal(got_u, want_u) and np.array_equal(got_v, want_v)
    assert got_t.dtype == want_t.dtype and np.array_equal(got_t, want_t)
    t, _ = random_ties(rng, n, 2 * n)
    t.close[:] = False
    filtered = Ties(n, **{name: getattr(t, name).copy() for name in FIELDS})
    tie_rules.promote_helping_ties(t, u, v, 2, moved)
    tie_rules.promote_helping_ties(filtered, u[keep], v[keep], 2)
    assert np.array_equal(t.close, filtered.close)


@pytest.mark.parametrize("seed", range(10))
def test_movers_and_their_ties_match_the_numpy_passes(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 300))
    t, section = random_ties(rng, n, 2 * n)
    chance = rng.random(3)
    u = rng.random(n)
    movers = np.flatnonzero(u < chance[section])
    assert np.array_equal(moving._below(u, chance, section), movers)
    edges, _ = t.edges_of(movers)
    assert np.array_equal(moving._ties_of(t.indptr, t.rev, movers),
                          np.minimum(edges, t.rev[edges]))

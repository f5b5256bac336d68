"""Ties as sorted directed edges (sim/network.py): the starting network has the declared
shape (bridging share, budgets, near neighbours on the street, bridge figures' extra ties);
merging new ties and dropping faded ones keeps the structure a fresh build would give, the
tie budget holds, and betweenness matches networkx."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from sim.network import Ties, build_street, build_ties
from sim.params import ModelParams, PopulationParams
from sim.population import build_population
from tests import tiny


def rng(seed=0):
    return np.random.default_rng(seed)


def starting_network(share_bridge_figures=0.0, **network):
    params = ModelParams(population=PopulationParams(
        n_residents=6000, share_bridge_figures=share_bridge_figures))
    params = dataclasses.replace(params, network=dataclasses.replace(params.network, **network))
    pop = build_population(params, rng(1))
    street = build_street(pop, rng(2))
    return pop, street, build_ties(pop, params.network, rng(3), street), params.network


def test_the_street_holds_each_section_once_in_a_ring():
    pop, street, _, _ = starting_network()
    for k in range(len(pop.section_names)):
        assert sorted(street.homes(k).tolist()) == np.flatnonzero(pop.section == k).tolist()
    assert np.array_equal(street.ring[street.pos], np.arange(pop.n))


def test_the_starting_network_has_the_declared_shape():
    pop, _, t, p = starting_network()
    one_way = t.src < t.dst
    # pairs drawn twice count once, so residents hold a little under ties_per_resident
    assert 0.85 * p.ties_per_resident < t.degree().mean() <= p.ties_per_resident
    assert t.bridging[one_way].mean() == pytest.approx(p.share_bridging, abs=0.03)
    assert t.close[one_way].mean() == pytest.approx(p.share_close_start, abs=0.03)
    assert t.degree().max() <= p.tie_budget and t.close_degree().max() <= p.close_tie_budget
    assert np.all(t.src[t.rev] == t.dst) and np.all(t.close == t.close[t.rev])


def _near_share(pop, street, t, doors=5):
    bonding = (t.src < t.dst) & ~t.bridging
    gap = np.abs(street.pos[t.src[bonding]] - street.pos[t.dst[bonding]])
    size = np.diff(street.start)[pop.section[t.src[bonding]]]
    return (np.minimum(gap, size - gap) <= doors).mean()


def test_most_bonding_ties_join_near_neighbours_on_the_street():
    assert _near_share(*starting_network()[:3]) > 0.5
    assert _near_share(*starting_network(share_local_ties=0.0)[:3]) < 0.05


def test_bridge_figures_hold_extra_ties_across_sections():
    pop, _, t, p = starting_network(share_bridge_figures=0.05)
    across = np.bincount(t.src[t.bridging], minlength=pop.n)
    gap = across[pop.is_bridge].mean() - across[~pop.is_bridge].mean()
    assert gap > p.bridge_figure_extra_ties / 2


def test_merge_adds_new_ties_once_and_drops_faded_ones():
    pop = tiny.population(4)
    t = tiny.ties(pop, [(0, 1), (1, 2)])
    drop = t.find([1], [2])
    added = t.merge([0, 3, 1], [3, 0, 0], [0.5, 0.5, 0.5], drop, pop.section, day=7)
    assert added[0].tolist() == [0]  # (3, 0) repeats (0, 3); (1, 0) exists
    assert t.m == 4 and t.find([1, 2, 0, 3], [2, 1, 3, 0]).tolist()[:2] == [-1, -1]
    assert np.all(t.src[t.rev] == t.dst) and np.all(np.diff(t.key) > 0)


def test_no_tie_forms_beyond_the_budget():
    pop = tiny.population(6)
    t = tiny.ties(pop, [(0, 1), (0, 2)])
    added = t.merge([0, 0, 3, 4], [3, 4, 4, 5], [0.5] * 4, np.zeros(0, np.int64), pop.section,
                    day=7, budget=3)
    assert list(zip(*(a.tolist() for a in added), strict=True)) == [(0, 3), (3, 4), (4, 5)]
    assert t.degree().max() == 3 and t.degree()[0] == 3


def test_merged_ties_equal_a_fresh_build_and_reverse_edges_point_back():
    r = rng(11)
    n = 60
    sec = r.integers(0, 3, n).astype(np.int8)
    u, v = r.integers(0, n, 150), r.integers(0, n, 150)
    t = Ties.from_pairs(n, u, v, np.full(150, 0.5), sec)
    for week in range(1, 6):
        drops = np.flatnonzero((t.src < t.dst) & (r.random(t.m) < 0.2))
        t.close[:] = (t.src + t.dst) % 3 == 0  # symmetric flags to carry over
        close_before = {(a, b) for a, b, c in zip(t.src.tolist(), t.dst.tolist(),
                                                  t.close.tolist(), strict=True) if c}
        au, av = r.integers(0, n, 40), r.integers(0, n, 40)
        t.merge(au, av, np.full(40, 0.7, np.float32), drops, sec, day=7 * week)
        fresh = Ties.from_pairs(n, t.src, t.dst, t.trust, sec)  # each pair twice: deduped
        np.testing.assert_array_equal(t.src, fresh.src)
        np.testing.assert_array_equal(t.dst, fresh.dst)
        np.testing.assert_array_equal(t.indptr, fresh.indptr)
        assert np.all(np.diff(t.key) > 0)
        assert np.all(t.src[t.rev] == t.dst) and np.all(t.dst[t.rev] == t.src)
        assert np.all(t.rev[t.rev] == np.arange(t.m))
        assert np.all(t.close == t.close[t.rev])
        assert {(a, b) for a, b, c in zip(t.src.tolist(), t.dst.tolist(), t.close.tolist(),
                                          strict=True) if c} <= close_before
        assert np.all(t.bridging == (sec[t.src] != sec[t.dst]))
        new = t.last_contact == 7 * week
        assert np.all(t.trust[new] == np.float32(0.7)) and not t.close[new].any()
        want = [e if e >= 0 else -1 for e in (
            next((e for e in range(t.m) if t.src[e] == a and t.dst[e] == b), -1)
            for a, b in zip(au[:10].tolist(), av[:10].tolist(), strict=True))]
        assert t.find(au[:10], av[:10]).tolist() == want


def test_betweenness_from_every_source_is_twice_networkx_exact():
    import networkx as nx

    from sim.network import sampled_betweenness

    r = rng(5)
    pop = tiny.population(60)
    pairs = {tuple(sorted(r.choice(60, 2, replace=False))) for _ in range(120)}
    t = tiny.ties(pop, sorted(pairs))
    exact = nx.betweenness_centrality(t.to_networkx(), normalized=False)
    got = sampled_betweenness(t, np.arange(60)) / 2
    np.testing.assert_allclose(got, [exact[i] for i in range(60)], atol=1e-9)


def _brandes_as_written(indptr, dst, sources, n):
    """Brandes's algorithm with its tests as branches, in plain Python: the sums the
    compiled kernel must give bit for bit (it tests each tie without a branch)."""
    score = [0.0] * n
    for s in sources.tolist():
        sigma, delta, dist = [0.0] * n, [0.0] * n, [-1] * n
        sigma[s], dist[s], order = 1.0, 0, [s]
        for v in order:  # grows as the search goes
            for w in dst[indptr[v]:indptr[v + 1]].tolist():
                if dist[w] < 0:
                    dist[w] = dist[v] + 1
                    order.append(w)
                if dist[w] == dist[v] + 1:
                    sigma[w] += sigma[v]
        for w in reversed(order):
            for v in dst[indptr[w]:indptr[w + 1]].tolist():
                if dist[v] == dist[w] - 1:
                    delta[v] += sigma[v] / sigma[w] * (1.0 + delta[w])
            if w != s:
                score[w] += delta[w]
    return np.array(score)


def test_betweenness_sums_are_brandes_bit_for_bit():
    from sim.network import sampled_betweenness

    r = rng(6)
    pop = tiny.population(300)
    # a sparse graph: many components and isolated residents, paths of many lengths
    pairs = {tuple(sorted(r.choice(300, 2, replace=False))) for _ in range(330)}
    t = tiny.ties(pop, sorted(pairs))
    for sources in (np.arange(300), r.choice(300, 40, replace=False)):
        got = sampled_betweenness(t, sources)
        want = _brandes_as_written(t.indptr, t.dst, sources, 300)
        assert (got > 0).sum() > 50
        np.testing.assert_array_equal(got.view(np.int64), want.view(np.int64))

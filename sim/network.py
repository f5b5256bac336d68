"""Ties between residents, as sorted directed edge arrays (a CSR structure).

Every undirected tie is stored twice, u->v and v->u, so that "u's trust in v" and "v's
trust in u" can differ. Edges are kept sorted by (src, dst), so ``key = src * n + dst`` is
increasing; an edge u->v is found by scanning u's row (a few ties). Structural changes (new
ties, faded ties) are batched and merged at most once a day; the daily rules only read the
arrays.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.compiled import njit
from sim.params import NetworkParams
from sim.population import STATE_DTYPE, Population
from sim.tie_kernels import (
    choose_close,
    find_edges,
    index_edges,
    merge_edges,
    row_counts,
    within_budget,
)


@dataclass(eq=False)
class Ties:
    n: int  # residents
    src: np.ndarray  # int64
    dst: np.ndarray  # int64
    trust: np.ndarray  # float32: src's trust in dst
    last_contact: np.ndarray  # int32 day of the last exchange or meeting along the tie
    close: np.ndarray  # bool: a close tie (Dunbar's support clique), the same both ways
    indptr: np.ndarray = None  # int64 (n + 1): edges of resident i are indptr[i]:indptr[i+1]
    rev: np.ndarray = None  # int64 index of the reverse edge dst->src
    bridging: np.ndarray = None  # bool: src and dst are in different sections

    @classmethod
    def from_pairs(cls, n, u, v, trust, section, day=0, close=None):
        """Ties from undirected pairs (u, v); self-loops and duplicates are dropped.
        ``close`` marks close ties (default: none)."""
        u = np.asarray(u, dtype=np.int64)
        v = np.asarray(v, dtype=np.int64)
        close = np.zeros(len(u), bool) if close is None else np.asarray(close, dtype=bool)
        keep = u != v
        u, v = u[keep], v[keep]
        trust, close = np.asarray(trust, dtype=STATE_DTYPE)[keep], close[keep]
        src = np.concatenate([u, v])
        dst = np.concatenate([v, u])
        key = src * n + dst
        order = np.argsort(key, kind="stable")
        key = key[order]
        first = np.ones(len(key), dtype=bool)
        first[1:] = key[1:] != key[:-1]
        order = order[first]
        ties = cls(
            n=n,
            src=src[order],
            dst=dst[order],
            trust=np.concatenate([trust, trust])[order],
            last_contact=np.full(len(order), day, dtype=np.int32),
            close=np.concatenate([close, close])[order],
        )
        ties._index(section)
        return ties

    def _index(self, section: np.ndarray) -> None:
        self.indptr, self.rev, self.bridging = index_edges(self.src, self.dst, section, self.n)

    @property
    def key(self) -> np.ndarray:
        """int64 ``src * n + dst`` of each edge, increasing (computed on demand)."""
        return self.src * self.n + self.dst

    @property
    def m(self) -> int:
        """Number of directed edges (twice the number of ties)."""
        return len(self.src)

    def degree(self) -> np.ndarray:
        return np.diff(self.indptr)

    def close_degree(self) -> np.ndarray:
        """Close ties per resident."""
        return row_counts(self.indptr, self.close)

    def find(self, u: np.ndarray, v: np.ndarray) -> np.ndarray:
        """Edge index of u->v for each pair, or -1 where there is no tie."""
        return find_edges(self.indptr, self.dst, np.asarray(u, dtype=np.int64),
                           np.asarray(v, dtype=np.int64))

    def edges_of(self, residents: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """All edges leaving ``residents``: (edge indices, position of the owner in the input)."""
        starts = self.indptr[residents]
        counts = self.indptr[residents + 1] - starts
        total = int(counts.sum())
        owner = np.repeat(np.arange(len(residents)), counts)
        offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
        return np.repeat(starts, counts) + offsets, owner

    def merge(self, add_u, add_v, add_trust, drop_edges, section, day, budget=None):
        """Add undirected ties (u, v) and remove the undirected ties of ``drop_edges``;
        returns the pairs actually added. Existing ties are never duplicated, and with a
        ``budget`` (most ties per resident) a pair is added, in the order given, only while
        both sides have room after the drops. New ties are not close.

        Linear in the number of edges: the kept edges are already sorted, the few new ones
        are sorted on their own, and the two sequences are merged; the row index, reverse
        edges (one pass with a cursor per row: ``reverse_edges``) and bridging flags are
        rebuilt after. All in one compiled call (``merge_edges``)."""
        (self.src, self.dst, self.trust, self.last_contact, self.close, self.indptr, self.rev,
         self.bridging, u, v) = merge_edges(
            self.src, self.dst, self.trust, self.last_contact, self.close, self.indptr, self.rev,
            np.asarray(drop_edges, dtype=np.int64), np.asarray(add_u, dtype=np.int64),
            np.asarray(add_v, dtype=np.int64), np.asarray(add_trust, dtype=STATE_DTYPE),
            budget_arg(budget), day, section, self.n)
        return u, v

    def to_networkx(self):
        import networkx as nx

        g = nx.Graph()
        g.add_nodes_from(range(self.n))
        half = self.src < self.dst
        g.add_edges_from(zip(self.src[half].tolist(), self.dst[half].tolist(), strict=True))
        return g


def budget_arg(budget: int | None) -> int:
    """A tie budget as the merge kernel takes it (``merge_edges``): -1 for none."""
    return -1 if budget is None else int(budget)


def sampled_betweenness(ties: Ties, sources: np.ndarray) -> np.ndarray:
    """Each resident's betweenness (the shortest paths between others that pass through
    them; Freeman 1977), summed over shortest-path trees from the given ``sources``: with
    every resident as a source this is twice the exact undirected betweenness; with a random
    sample it estimates it up to a scale (Brandes & Pich 2007). Brandes's algorithm (2001)
    on the CSR ties, one breadth-first search per source."""
    return _betweenness(ties.indptr, ties.dst, np.asarray(sources, dtype=np.int64), ties.n)


# Brandes 2001 for an unweighted graph: a breadth-first search from each source counts
# shortest paths (sigma), then dependencies accumulate back up the search in reverse order;
# only the residents the search reached are reset for the next source. Both passes test each
# tie without a branch (whether the far end is new, or one step nearer the source, goes either
# way at random, which no branch predictor guesses: 45 -> 31 ms for 64 sources at 10,000
# residents); a tie that fails the test adds +0.0, which leaves the sum's bits as they were
# (every term is finite and at least 0: all of a reached resident's ties are reached)
@njit(cache=True)
def _betweenness(indptr, dst, sources, n):
    score = np.zeros(n)
    sigma = np.zeros(n)
    delta = np.zeros(n)
    dist = np.full(n, -1, dtype=np.int64)
    # the residents in the order the search reached them, and room for one written past the
    # end (each tie's far end is written, and kept only when new)
    order = np.empty(n + 1, dtype=np.int64)
    for s in sources:
        sigma[s] = 1.0
        dist[s] = 0
        order[0] = s
        head, tail = 0, 1
        while head < tail:
            v = order[head]
            head += 1
            next_step, paths = dist[v] + 1, sigma[v]
            for e in range(indptr[v], indptr[v + 1]):
                w = dst[e]
                new = dist[w] < 0
                order[tail] = w  # kept only when new
                tail += new
                d = next_step if new else dist[w]
                dist[w] = d
                sigma[w] += paths if d == next_step else 0.0
        for k in range(tail - 1, -1, -1):
            w = order[k]
            step_back, paths, onward = dist[w] - 1, sigma[w], 1.0 + delta[w]
            for e in range(indptr[w], indptr[w + 1]):
                v = dst[e]
                share = sigma[v] / paths * onward
                delta[v] += share if dist[v] == step_back else 0.0
            if w != s:
                score[w] += delta[w]
        for k in range(tail):
            w = order[k]
            sigma[w] = 0.0
            delta[w] = 0.0
            dist[w] = -1
    return score


@dataclass(eq=False)
class Street:
    """Where residents live: each section's homes along a street (a ring, in random order).
    A newcomer moves into the home of the resident they replace, so the street never
    changes; near neighbours on it are the people one bumps into at the door."""

    ring: np.ndarray  # int64 resident rows, section by section, each section's ring in order
    start: np.ndarray  # int64 (n_sections + 1): section k's homes are ring[start[k]:start[k+1]]
    pos: np.ndarray  # int64 per resident: where their home is in ``ring``

    def homes(self, k: int) -> np.ndarray:
        """Section k's residents in street order."""
        return self.ring[self.start[k]:self.start[k + 1]]


def build_street(pop: Population, rng: np.random.Generator) -> Street:
    """Each section's residents along a street, in a random order."""
    n_sections = len(pop.section_names)
    rings = [rng.permutation(np.flatnonzero(pop.section == k)) for k in range(n_sections)]
    ring = np.concatenate(rings) if rings else np.zeros(0, np.int64)
    start = np.concatenate([[0], np.cumsum([len(r) for r in rings])]).astype(np.int64)
    pos = np.empty(pop.n, dtype=np.int64)
    pos[ring] = np.arange(len(ring))
    return Street(ring.astype(np.int64), start, pos)


def build_ties(pop: Population, params: NetworkParams, rng: np.random.Generator,
               street: Street) -> Ties:
    """Bonding ties inside sections, fewer bridging ties across them, and extra bridging ties
    for bridge figures.

    Inside a section residents live along a street (:class:`Street`); most bonding ties join
    near neighbours on it (offsets drawn from a geometric distribution), the rest join
    random residents of the section. This gives the clustering and path lengths of a
    small-world network (Watts & Strogatz 1998) without any layout computation, so that
    network distance means something (loneliness contagion decays with it). Everyone stays
    within their tie budget; a share of ties start close, within the close budget.
    """
    n = pop.n
    m_total = int(round(n * params.ties_per_resident / 2))
    m_bridging = int(round(m_total * params.share_bridging))
    m_bonding = m_total - m_bridging
    us, vs = [], []
    n_sections = len(pop.section_names)
    for k in range(n_sections):
        members = street.homes(k)
        size = len(members)
        if size < 2:
            continue
        m_k = int(round(m_bonding * size / n))
        pos = rng.integers(0, size, m_k)
        local = rng.random(m_k) < params.share_local_ties
        offset = np.where(local, rng.geometric(params.street_reach, m_k),
                          rng.integers(1, size, m_k))
        us.append(members[pos])
        vs.append(members[(pos + offset) % size])
    if n_sections > 1 and m_bridging:
        # pick each end in proportion to section size, then redraw the far end elsewhere
        u = rng.integers(0, n, m_bridging)
        v = rng.integers(0, n, m_bridging)
        same = pop.section[u] == pop.section[v]
        for _ in range(20):
            if not same.any():
                break
            v[same] = rng.integers(0, n, int(same.sum()))
            same = pop.section[u] == pop.section[v]
        us.append(u[~same])
        vs.append(v[~same])
    bridges = np.flatnonzero(pop.is_bridge)
    if len(bridges) and n_sections > 1 and params.bridge_figure_extra_ties:
        u = np.repeat(bridges, params.bridge_figure_extra_ties)
        v = rng.integers(0, n, len(u))
        other = pop.section[u] != pop.section[v]
        us.append(u[other])
        vs.append(v[other])
    u = np.concatenate(us) if us else np.zeros(0, np.int64)
    v = np.concatenate(vs) if vs else np.zeros(0, np.int64)
    # one copy of each pair, in a random order, kept within everyone's tie budget
    lo, hi = np.minimum(u, v), np.maximum(u, v)
    pair = np.sort(lo[lo != hi] * n + hi[lo != hi])  # sort and compare: np.unique hashes
    pair = pair[np.concatenate([[True], pair[1:] != pair[:-1]])] if len(pair) else pair
    pair = pair[rng.permutation(len(pair))]
    u, v = pair // n, pair % n
    ok = within_budget(u, v, np.zeros(n, np.int64), params.tie_budget)
    u, v = u[ok], v[ok]
    close = choose_close(u, v, rng.random(len(u)), params.share_close_start,
                          np.zeros(n, np.int64), params.close_tie_budget)
    trust = np.clip(rng.normal(params.tie_trust_mean, params.tie_trust_spread, len(u)),
                    0.05, 1.0)
    return Ties.from_pairs(n, u, v, trust, pop.section, day=0, close=close)


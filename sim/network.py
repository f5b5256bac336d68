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
from numba import njit

from sim.params import NetworkParams
from sim.population import STATE_DTYPE, Population


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
        self.indptr, self.rev, self.bridging = _index_edges(self.src, self.dst, section, self.n)

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
        return _row_counts(self.indptr, self.close)

    def find(self, u: np.ndarray, v: np.ndarray) -> np.ndarray:
        """Edge index of u->v for each pair, or -1 where there is no tie."""
        return _find_edges(self.indptr, self.dst, np.asarray(u, dtype=np.int64),
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
        edges (one pass with a cursor per row: ``_reverse_edges``) and bridging flags are
        rebuilt after. All in one compiled call (``_merge``)."""
        (self.src, self.dst, self.trust, self.last_contact, self.close, self.indptr, self.rev,
         self.bridging, u, v) = _merge(
            self.src, self.dst, self.trust, self.last_contact, self.close, self.indptr, self.rev,
            np.asarray(drop_edges, dtype=np.int64), np.asarray(add_u, dtype=np.int64),
            np.asarray(add_v, dtype=np.int64), np.asarray(add_trust, dtype=STATE_DTYPE),
            -1 if budget is None else int(budget), day, section, self.n)
        return u, v

    def to_networkx(self):
        import networkx as nx

        g = nx.Graph()
        g.add_nodes_from(range(self.n))
        half = self.src < self.dst
        g.add_edges_from(zip(self.src[half].tolist(), self.dst[half].tolist(), strict=True))
        return g


@njit(cache=True)
def edge_in_row(indptr, dst, u, v):
    """Edge index of u->v found by scanning u's row (a few ties), or -1 (for kernels)."""
    for e in range(indptr[u], indptr[u + 1]):
        if dst[e] == v:
            return e
    return -1


def sampled_betweenness(ties: Ties, sources: np.ndarray) -> np.ndarray:
    """Each resident's betweenness (the shortest paths between others that pass through
    them; Freeman 1977), summed over shortest-path trees from the given ``sources``: with
    every resident as a source this is twice the exact undirected betweenness; with a random
    sample it estimates it up to a scale (Brandes & Pich 2007). Brandes's algorithm (2001)
    on the CSR ties, one breadth-first search per source."""
    return _betweenness(ties.indptr, ties.dst, np.asarray(sources, dtype=np.int64), ties.n)


# Brandes 2001 for an unweighted graph: a breadth-first search from each source counts
# shortest paths (sigma), then dependencies accumulate back up the search in reverse order;
# only the residents the search reached are reset for the next source
@njit(cache=True)
def _betweenness(indptr, dst, sources, n):
    score = np.zeros(n)
    sigma = np.zeros(n)
    delta = np.zeros(n)
    dist = np.full(n, -1, dtype=np.int64)
    order = np.empty(n, dtype=np.int64)  # residents in the order the search reached them
    for s in sources:
        sigma[s] = 1.0
        dist[s] = 0
        order[0] = s
        head, tail = 0, 1
        while head < tail:
            v = order[head]
            head += 1
            for e in range(indptr[v], indptr[v + 1]):
                w = dst[e]
                if dist[w] < 0:
                    dist[w] = dist[v] + 1
                    order[tail] = w
                    tail += 1
                if dist[w] == dist[v] + 1:
                    sigma[w] += sigma[v]
        for k in range(tail - 1, -1, -1):
            w = order[k]
            for e in range(indptr[w], indptr[w + 1]):
                v = dst[e]
                if dist[v] == dist[w] - 1:
                    delta[v] += sigma[v] / sigma[w] * (1.0 + delta[w])
            if w != s:
                score[w] += delta[w]
        for k in range(tail):
            w = order[k]
            sigma[w] = 0.0
            delta[w] = 0.0
            dist[w] = -1
    return score


# u->v edge index for each pair, searching only u's row
@njit(cache=True)
def _find_edges(indptr, dst, u, v):
    out = np.empty(len(u), dtype=np.int64)
    for k in range(len(u)):
        out[k] = edge_in_row(indptr, dst, u[k], v[k])
    return out


# index of the reverse edge dst->src of every edge, in one pass: walking edges in order,
# sources increase, so the edges into each resident d arrive in the order of d's own row
# (sorted by dst); a cursor per row hands out its slots in turn (every tie is stored both ways)
@njit(cache=True)
def _reverse_edges(indptr, src, dst):
    cursor = indptr[:-1].copy()
    rev = np.empty(len(src), dtype=np.int64)
    for e in range(len(src)):
        rev[e] = cursor[dst[e]]
        cursor[dst[e]] += 1
    return rev


# row index (indptr), reverse edges and bridging flags of edges sorted by (src, dst): a row
# ends after its last edge (rows without edges end where the one before does)
@njit(cache=True)
def _index_edges(src, dst, section, n):
    indptr = np.zeros(n + 1, dtype=np.int64)
    for e in range(len(src)):
        indptr[src[e] + 1] = e + 1
    for i in range(n):
        indptr[i + 1] = max(indptr[i + 1], indptr[i])
    bridging = np.empty(len(src), dtype=np.bool_)
    for e in range(len(src)):
        bridging[e] = section[src[e]] != section[dst[e]]
    return indptr, _reverse_edges(indptr, src, dst), bridging


# how many of each row's edges are flagged: a running count over all edges, differenced at
# the row ends (no branch per row)
@njit(cache=True)
def _row_counts(indptr, flags):
    before = np.empty(len(flags) + 1, dtype=np.int64)  # flags among edges 0..e-1
    before[0] = 0
    c = 0
    for e in range(len(flags)):
        c += flags[e]
        before[e + 1] = c
    n = len(indptr) - 1
    out = np.empty(n, dtype=np.int64)
    for i in range(n):
        out[i] = before[indptr[i + 1]] - before[indptr[i]]
    return out


# which edges stay when the undirected ties of ``drop`` go (both directions; a tie listed
# twice goes once), and the ties each resident keeps
@njit(cache=True)
def _kept_edges(indptr, src, dst, rev, drop):
    n = len(indptr) - 1
    keep = np.ones(indptr[n], dtype=np.bool_)
    degree = np.empty(n, dtype=np.int64)
    for i in range(n):
        degree[i] = indptr[i + 1] - indptr[i]
    for e in drop:
        if keep[e]:
            keep[e] = False
            keep[rev[e]] = False
            degree[src[e]] -= 1
            degree[dst[e]] -= 1
    return keep, degree


# Ties.merge: the edges kept after the drops (and each resident's remaining ties), the new
# pairs that are not ties yet (the first copy of each), those within the budget (none if
# budget < 0), both directions of each sorted by key, merged with the kept edges and indexed;
# returns the new arrays and the pairs added
@njit(cache=True)
def _merge(src, dst, trust, last, close, indptr, rev, drop, add_u, add_v, add_trust, budget,
           day, section, n):
    keep, degree = _kept_edges(indptr, src, dst, rev, drop)
    fresh = np.empty(len(add_u), dtype=np.int64)
    n_fresh = 0
    for k in range(len(add_u)):
        if add_u[k] != add_v[k] and edge_in_row(indptr, dst, add_u[k], add_v[k]) < 0:
            fresh[n_fresh] = k
            n_fresh += 1
    fresh = fresh[:n_fresh]
    pair = np.empty(n_fresh, dtype=np.int64)
    for j in range(n_fresh):
        a, b = add_u[fresh[j]], add_v[fresh[j]]
        pair[j] = min(a, b) * n + max(a, b)
    by_pair = np.argsort(pair, kind="mergesort")  # stable: the first copy leads its group
    first = np.zeros(n_fresh, dtype=np.bool_)
    for j in range(n_fresh):
        first[by_pair[j]] = j == 0 or pair[by_pair[j]] != pair[by_pair[j - 1]]
    fresh = fresh[first]
    u, v, t = add_u[fresh], add_v[fresh], add_trust[fresh]
    if budget >= 0 and len(u):
        ok = within_budget(u, v, degree, budget)
        u, v, t = u[ok], v[ok], t[ok]
    new_src, new_dst = np.concatenate((u, v)), np.concatenate((v, u))
    order = np.argsort(new_src * n + new_dst)  # keys differ: any sort gives this order
    out_src, out_dst, out_trust, out_last, out_close, indptr, rev, bridging = _merge_sorted(
        src, dst, trust, last, close, keep, new_src[order], new_dst[order],
        np.concatenate((t, t))[order], day, section, n)
    return out_src, out_dst, out_trust, out_last, out_close, indptr, rev, bridging, u, v


# merge the kept old edges (sorted by key) with new edges (sorted, made today, not close)
# into new arrays, then index them (_index_edges)
@njit(cache=True)
def _merge_sorted(src, dst, trust, last, close, keep, add_src, add_dst, add_trust, day,
                  section, n):
    add_key = add_src * n + add_dst
    m = int(keep.sum()) + len(add_src)
    out_src = np.empty(m, dtype=np.int64)
    out_dst = np.empty(m, dtype=np.int64)
    out_trust = np.empty(m, dtype=trust.dtype)
    out_last = np.empty(m, dtype=last.dtype)
    out_close = np.empty(m, dtype=np.bool_)
    j, k = 0, 0
    for i in range(len(src) + 1):
        if i < len(src) and not keep[i]:
            continue
        while j < len(add_key) and (i == len(src) or add_key[j] < src[i] * n + dst[i]):
            out_src[k], out_dst[k] = add_src[j], add_dst[j]
            out_trust[k], out_last[k], out_close[k] = add_trust[j], day, False
            j += 1
            k += 1
        if i < len(src):
            out_src[k], out_dst[k] = src[i], dst[i]
            out_trust[k], out_last[k], out_close[k] = trust[i], last[i], close[i]
            k += 1
    indptr, rev, bridging = _index_edges(out_src, out_dst, section, n)
    return out_src, out_dst, out_trust, out_last, out_close, indptr, rev, bridging


# in the given order, keep a pair (u, v) only while both have fewer than ``budget`` ties;
# ``degree`` (ties each resident has already) is updated as pairs are kept
@njit(cache=True)
def within_budget(u, v, degree, budget):
    ok = np.zeros(len(u), dtype=np.bool_)
    for k in range(len(u)):
        if degree[u[k]] < budget and degree[v[k]] < budget:
            ok[k] = True
            degree[u[k]] += 1
            degree[v[k]] += 1
    return ok


# close flags for undirected pairs (u < v listed once), in the given order: a pair becomes
# close with its draw below ``p`` while both sides have room in the close budget
@njit(cache=True)
def _choose_close(u, v, draws, p, close_degree, budget):
    close = np.zeros(len(u), dtype=np.bool_)
    for k in range(len(u)):
        if draws[k] < p and close_degree[u[k]] < budget and close_degree[v[k]] < budget:
            close[k] = True
            close_degree[u[k]] += 1
            close_degree[v[k]] += 1
    return close

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
    close = _choose_close(u, v, rng.random(len(u)), params.share_close_start,
                          np.zeros(n, np.int64), params.close_tie_budget)
    trust = np.clip(rng.normal(params.tie_trust_mean, params.tie_trust_spread, len(u)),
                    0.05, 1.0)
    return Ties.from_pairs(n, u, v, trust, pop.section, day=0, close=close)


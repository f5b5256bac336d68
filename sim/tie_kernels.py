"""The compiled passes behind sim.network.Ties: finding edges, indexing them (row pointers,
reverse edges, bridging flags), and merging new ties in and faded ones out within each
resident's tie budget, each in one call over the sorted edge arrays."""

from __future__ import annotations

import numpy as np

from sim.compiled import njit


@njit(cache=True)
def edge_in_row(indptr, dst, u, v):
    """Edge index of u->v found by scanning u's row (a few ties), or -1 (for kernels)."""
    for e in range(indptr[u], indptr[u + 1]):
        if dst[e] == v:
            return e
    return -1


# u->v edge index for each pair, searching only u's row
@njit(cache=True)
def find_edges(indptr, dst, u, v):
    out = np.empty(len(u), dtype=np.int64)
    for k in range(len(u)):
        out[k] = edge_in_row(indptr, dst, u[k], v[k])
    return out


# index of the reverse edge dst->src of every edge, in one pass: walking edges in order,
# sources increase, so the edges into each resident d arrive in the order of d's own row
# (sorted by dst); a cursor per row hands out its slots in turn (every tie is stored both ways)
@njit(cache=True)
def reverse_edges(indptr, src, dst):
    cursor = indptr[:-1].copy()
    rev = np.empty(len(src), dtype=np.int64)
    for e in range(len(src)):
        rev[e] = cursor[dst[e]]
        cursor[dst[e]] += 1
    return rev


# row index (indptr), reverse edges and bridging flags of edges sorted by (src, dst): a row
# ends after its last edge (rows without edges end where the one before does)
@njit(cache=True)
def index_edges(src, dst, section, n):
    indptr = np.zeros(n + 1, dtype=np.int64)
    for e in range(len(src)):
        indptr[src[e] + 1] = e + 1
    for i in range(n):
        indptr[i + 1] = max(indptr[i + 1], indptr[i])
    bridging = np.empty(len(src), dtype=np.bool_)
    for e in range(len(src)):
        bridging[e] = section[src[e]] != section[dst[e]]
    return indptr, reverse_edges(indptr, src, dst), bridging


# how many of each row's edges are flagged: a running count over all edges, differenced at
# the row ends (no branch per row)
@njit(cache=True)
def row_counts(indptr, flags):
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
def kept_edges(indptr, src, dst, rev, drop):
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
def merge_edges(src, dst, trust, last, close, indptr, rev, drop, add_u, add_v, add_trust, budget,
           day, section, n):
    keep, degree = kept_edges(indptr, src, dst, rev, drop)
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
    out_src, out_dst, out_trust, out_last, out_close, indptr, rev, bridging = merge_sorted(
        src, dst, trust, last, close, keep, new_src[order], new_dst[order],
        np.concatenate((t, t))[order], day, section, n)
    return out_src, out_dst, out_trust, out_last, out_close, indptr, rev, bridging, u, v


# merge the kept old edges (sorted by key) with new edges (sorted, made today, not close)
# into new arrays, then index them (index_edges)
@njit(cache=True)
def merge_sorted(src, dst, trust, last, close, keep, add_src, add_dst, add_trust, day,
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
    indptr, rev, bridging = index_edges(out_src, out_dst, section, n)
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
def choose_close(u, v, draws, p, close_degree, budget):
    close = np.zeros(len(u), dtype=np.bool_)
    for k in range(len(u)):
        if draws[k] < p and close_degree[u[k]] < budget and close_degree[v[k]] < budget:
            close[k] = True
            close_degree[u[k]] += 1
            close_degree[v[k]] += 1
    return close

"""Compiled inner loops of the interventions' hooks (numba, like the rules' kernels).

Every random number comes from the intervention's own stream (``self.rng``), in the same
order and amounts as numpy's calls would draw them: a kernel handed ``h`` (its stream's
addresses, ``sim.draws.stream(self.rng)``) draws numpy's own numbers inside
(sim/draws.py), so results are unchanged and a hook costs a compiled call or two instead
of a dozen small numpy calls.
"""

from __future__ import annotations

import numpy as np

from sim.compiled import njit
from sim.draws import (
    POISSON_KERNEL_MAX,
    integers,
    poisson_enlam,
    poissons,
    shuffle,
    stream,
    uniforms,
)


@njit(cache=True)
def rows_drawn(cum, u):
    """The rows drawn by uniforms ``u`` (0-1) from cumulative weights ``cum``
    (non-decreasing): for each, the first row whose cumulative weight exceeds ``u * cum[-1]``
    (the last row at most), as ``np.searchsorted(..., side="right")`` gives it, without its
    overhead. The search starts where the row would be if all weights were equal, brackets
    it in steps that double, then halves the bracket: near the row it touches a few
    neighbouring weights instead of a dozen far apart (which, in a large population, are
    seldom in the cache)."""
    out = np.empty(len(u), dtype=np.int64)
    n = len(cum)
    last = n - 1
    total = cum[-1]
    for j in range(len(u)):
        x = u[j] * total
        # lo, hi: every row before lo has cum <= x; hi is n or a row with cum > x
        guess = min(max(np.int64(u[j] * n), 0), last)
        step = 1
        if cum[guess] <= x:
            lo, hi = guess + 1, n
            while lo + step - 1 < n:
                probe = lo + step - 1
                if cum[probe] > x:
                    hi = probe
                    break
                lo = probe + 1
                step *= 2
        else:
            lo, hi = 0, guess
            while hi - step >= 0:
                probe = hi - step
                if cum[probe] <= x:
                    lo = probe + 1
                    break
                hi = probe
                step *= 2
        while lo < hi:
            mid = (lo + hi) >> 1
            if cum[mid] <= x:
                lo = mid + 1
            else:
                hi = mid
        out[j] = min(lo, last)
    return out


@njit(cache=True)
def take_first_new(drawn, pool_mask, picked_mask, want, out, n_out):
    """Append to ``out[n_out:]`` the residents of ``drawn`` (in the order drawn) who are in
    the pool and not yet picked (a resident drawn twice counts once), until there are
    ``want`` more; marks them in ``picked_mask``. Returns the new length of ``out``."""
    taken = 0
    for j in range(len(drawn)):
        if taken >= want:
            break
        r = drawn[j]
        if not pool_mask[r] or picked_mask[r]:
            continue
        picked_mask[r] = True
        out[n_out + taken] = r
        taken += 1
    return n_out + taken


@njit(cache=True)
def cumulative_tie_weights(indptr, table):
    """Everyone's cumulative recruitment weights: ``np.cumsum(table[degree])`` with each
    resident's degree read from the ties' CSR ``indptr`` (``table[d]``: the weight of a
    resident with d ties), the same sums in the same order as numpy's."""
    n = len(indptr) - 1
    out = np.empty(n)
    total = 0.0
    for i in range(n):
        total += table[indptr[i + 1] - indptr[i]]
        out[i] = total
    return out


@njit(cache=True)
def max_degree(indptr):
    """The most ties anyone has (0 for nobody)."""
    most = 0
    for i in range(len(indptr) - 1):
        most = max(most, indptr[i + 1] - indptr[i])
    return most


@njit(cache=True)
def recruit_pool(targets, active, among, excluding):
    """Who a recruitment draws from: the ``active`` residents among ``targets``, ``among``
    and not ``excluding`` (each a bool per resident; an empty array leaves its test out),
    as a bool mask, and how many they are."""
    n = len(active)
    pool = np.empty(n, dtype=np.bool_)
    count = 0
    use_targets, use_among, use_excluding = len(targets) > 0, len(among) > 0, len(excluding) > 0
    for i in range(n):
        keep = active[i]
        if use_targets:
            keep = keep and targets[i]
        if use_among:
            keep = keep and among[i]
        if use_excluding:
            keep = keep and not excluding[i]
        pool[i] = keep
        count += keep
    return pool, count


@njit(cache=True)
def recruit_drawn(cum, h, pool_mask, k):
    """``k`` distinct members of ``pool_mask`` (which has at least ``k``), sorted, drawn in
    proportion to the weights whose running sums are ``cum``: rounds of ``2 * (k still
    wanted) + 8`` uniforms from stream ``h``, each drawing a row (:func:`rows_drawn`), the
    first draw of each pool member not yet picked kept (:func:`take_first_new`)."""
    picked = np.empty(k, dtype=np.int64)
    picked_mask = np.zeros(len(pool_mask), dtype=np.bool_)
    n_picked = 0
    while n_picked < k:
        u = uniforms(h, 2 * (k - n_picked) + 8)
        n_picked = take_first_new(rows_drawn(cum, u), pool_mask, picked_mask, k - n_picked,
                                  picked, n_picked)
    picked.sort()
    return picked


@njit(cache=True)
def match_other_section(drawn, callers, need, n_need, section, active, partner):
    """One round of finding callers a partner: ``drawn[j]`` is the draw for caller
    ``callers[need[j]]`` (j < n_need); it is kept (``partner[need[j]]``) when it is of
    another section and active. ``need`` is compacted in place to the callers still
    without anyone (in order); returns how many remain."""
    left = 0
    for j in range(n_need):
        i = need[j]
        d = drawn[j]
        if section[d] != section[callers[i]] and active[d]:
            partner[i] = d
        else:
            need[left] = i
            left += 1
    return left


@njit(cache=True)
def scale_live_levers(until, code, day, slot, factor, first, second, third):
    """For each resident whose commitment is live (``until`` is ``day`` or later), multiply
    the lever it moves by ``factor``: the lever in place ``slot[code]`` of (first, second,
    third) (per-resident arrays, as many as there are levers on offer; slot -1: a commitment
    that moves none), as ``np.multiply.at`` over each lever's residents (each resident has
    one commitment, so one product each)."""
    for i in range(len(until)):
        if until[i] >= day:
            s = slot[code[i]]
            if s == 0:
                first[i] *= factor
            elif s == 1:
                second[i] *= factor
            elif s == 2:
                third[i] *= factor


@njit(cache=True)
def match_drawn(cum, u, callers, need, n_need, section, active, partner):
    """:func:`match_other_section` for the rows drawn by uniforms ``u`` from cumulative
    weights ``cum`` (as :func:`rows_drawn`), in one call."""
    return match_other_section(rows_drawn(cum, u), callers, need, n_need, section, active,
                               partner)


@njit(cache=True)
def callers_with_ties(holders, calls, indptr):
    """Each of ``holders`` repeated ``calls`` times (``np.repeat``), keeping those with at
    least one tie (CSR ``indptr``)."""
    out = np.empty(calls.sum(), dtype=np.int64)
    n = 0
    for j in range(len(holders)):
        h = holders[j]
        if indptr[h + 1] == indptr[h]:
            continue
        for _ in range(calls[j]):
            out[n] = h
            n += 1
    return out[:n]


@njit(cache=True)
def introductions(b, v, u, indptr, dst, reached):
    """Introductions on calls: caller ``b[j]`` introduces ``v[j]`` to the tie at position
    ``int(u[k] * degree)`` of their ties (CSR ``indptr``, ``dst``), unless that is ``v[j]``
    themself; calls with ``v[j]`` -1 (nobody found) are skipped and take no uniform (``u``
    holds one per call made, in order). Returns the meetings of the kept calls, (b, v)
    pairs then (x, v) pairs, as one pair of arrays, and marks v and x in ``reached``."""
    keep_b = np.empty(len(b), dtype=np.int64)
    keep_v = np.empty(len(b), dtype=np.int64)
    keep_x = np.empty(len(b), dtype=np.int64)
    n = 0
    k = 0
    for j in range(len(b)):
        if v[j] < 0:
            continue
        start = indptr[b[j]]
        x = dst[start + np.int64(u[k] * (indptr[b[j] + 1] - start))]
        k += 1
        if x == v[j]:
            continue
        keep_b[n] = b[j]
        keep_v[n] = v[j]
        keep_x[n] = x
        reached[v[j]] = True
        reached[x] = True
        n += 1
    first = np.empty(2 * n, dtype=np.int64)
    second = np.empty(2 * n, dtype=np.int64)
    first[:n] = keep_b[:n]
    first[n:] = keep_x[:n]
    second[:n] = keep_v[:n]
    second[n:] = keep_v[:n]
    return first, second


@njit(cache=True)
def active_rows(mask, active):
    """``np.flatnonzero(mask & active)``: the residents in both, ascending."""
    n = 0
    for i in range(len(mask)):
        if mask[i] and active[i]:
            n += 1
    out = np.empty(n, dtype=np.int64)
    n = 0
    for i in range(len(mask)):
        if mask[i] and active[i]:
            out[n] = i
            n += 1
    return out


@njit(cache=True)
def repeat_counts(rows, counts):
    """``np.repeat(rows, counts)``: each of ``rows`` ``counts`` times, in order."""
    out = np.empty(counts.sum(), dtype=np.int64)
    n = 0
    for j in range(len(rows)):
        for _ in range(counts[j]):
            out[n] = rows[j]
            n += 1
    return out


@njit(cache=True)
def record_commitments(commits, drawn, kinds, commitment, committed_until, until, join):
    """Residents ``commits`` commit to ``kinds[drawn[j]]`` until day ``until`` (kept in
    ``commitment`` and ``committed_until``); returns those whose commitment is ``join``, in
    order."""
    joiners = np.empty(len(commits), dtype=np.int64)
    n = 0
    for j in range(len(commits)):
        kind = kinds[drawn[j]]
        commitment[commits[j]] = kind
        committed_until[commits[j]] = until
        if kind == join:
            joiners[n] = commits[j]
            n += 1
    return joiners[:n]


@njit(cache=True)
def reach_visitors(hub_visits, chosen, targets, reached):
    """Mark in ``reached`` the targeted residents who visited a chosen hub today:
    ``chosen[hub_visits[i]]`` (bool per hub, with one place more, last, for -1: no visit)."""
    for i in range(len(hub_visits)):
        if targets[i] and chosen[hub_visits[i]]:
            reached[i] = True


# -- whole steps of a hook, their draws inside ---------------------------------------------------
def repeat_poisson(rows: np.ndarray, rng: np.random.Generator, lam: float) -> np.ndarray:
    """``np.repeat(rows, rng.poisson(lam, len(rows)))``: each of ``rows`` a Poisson number of
    times (a day's share of a weekly number of calls or conversations), drawn inside a
    kernel for a mean below POISSON_KERNEL_MAX (numpy draws larger means)."""
    if lam < POISSON_KERNEL_MAX:
        return _repeat_poisson(rows, stream(rng), lam, poisson_enlam(lam))
    return repeat_counts(rows, rng.poisson(lam, len(rows)))


@njit(cache=True)
def _repeat_poisson(rows, h, lam, enlam):
    return repeat_counts(rows, poissons(h, lam, enlam, len(rows)))


@njit(cache=True)
def converse(h, who, partner, p_commitment, kinds, commitment, committed_until, until, join,
             reached):
    """The 1:1s of a day (sim/interventions/one_to_ones.py) once their partners are
    recruited: the partners (sorted) shuffled (``rng.permutation``) and paired with the
    first of ``who``; each partner reached; each, with chance ``p_commitment`` (one uniform
    each), commits to one of ``kinds`` (``rng.integers(0, len(kinds))`` each, drawn only
    when someone commits and there are kinds) until day ``until``
    (:func:`record_commitments`). Draws from stream ``h`` in that order. Returns the
    organisers and partners who met, the number who committed, and those who committed to
    ``join``."""
    partner = partner.copy()
    shuffle(h, partner)
    who = who[: len(partner)]
    for j in range(len(partner)):
        reached[partner[j]] = True
    u = uniforms(h, len(partner))
    commits = partner[u < p_commitment]
    if len(commits) == 0 or len(kinds) == 0:
        return who, partner, 0, np.zeros(0, dtype=np.int64)
    drawn = integers(h, len(kinds), len(commits))
    joiners = record_commitments(commits, drawn, kinds, commitment, committed_until, until,
                                 join)
    return who, partner, len(commits), joiners


def bridge_callers(holders: np.ndarray, rng: np.random.Generator, lam: float,
                   indptr: np.ndarray, introducers: np.ndarray) -> np.ndarray:
    """The bridge figures' calls of a day (:func:`callers_drawn`): their Poisson draws
    inside the kernel for a mean below POISSON_KERNEL_MAX, by numpy from it up (a class made
    in Python may ask for more calls than a scenario file allows)."""
    if lam < POISSON_KERNEL_MAX:
        return callers_drawn(stream(rng), holders, lam, poisson_enlam(lam), indptr,
                             introducers)
    introducers[holders] = True
    return callers_with_ties(holders, rng.poisson(lam, len(holders)), indptr)


@njit(cache=True)
def callers_drawn(h, holders, lam, enlam, indptr, introducers):
    """The bridge figures' day: each of ``holders`` marked in ``introducers`` (they may
    introduce their ties today: Levers.add_introducers), then :func:`callers_with_ties`
    with each holder's calls drawn inside (``rng.poisson(lam, len(holders))``, lam below
    POISSON_KERNEL_MAX)."""
    for j in range(len(holders)):
        introducers[holders[j]] = True
    return callers_with_ties(holders, poissons(h, lam, enlam, len(holders)), indptr)


@njit(cache=True)
def introduce_across(h, callers, cum, section, active, indptr, dst, reached, rounds):
    """The bridge figures' calls of a day (sim/interventions/bridge_figures.py): each of
    ``callers`` is matched with an active resident of another section, drawn in proportion
    to the weights whose running sums are ``cum`` (up to ``rounds`` rounds, each drawing one
    uniform per caller still without anyone: :func:`match_drawn`; callers still without
    anyone make no call), then each call made introduces the resident called on to one of
    the caller's ties (one uniform per call made: :func:`introductions`). Draws from stream
    ``h`` in that order. Returns the meetings (a, b)."""
    partner = np.full(len(callers), -1, dtype=np.int64)
    need = np.arange(len(callers))
    n_need = len(callers)
    for _ in range(rounds):
        n_need = match_drawn(cum, uniforms(h, n_need), callers, need, n_need, section,
                             active, partner)
        if n_need == 0:
            break
    return introductions(callers, partner, uniforms(h, len(callers) - n_need), indptr, dst,
                         reached)


@njit(cache=True)
def fade_story(story, keep, heard):
    """The place's story fades from memory: each resident's ``story`` (float32) times
    ``keep`` in float32 (a float32 ``keep``: how numpy multiplies a float32 array by a
    Python float). Returns how many still carry it above ``heard`` (a float32)."""
    held = 0
    for i in range(len(story)):
        story[i] *= keep
        if story[i] > heard:
            held += 1
    return held


@njit(cache=True)
def story_levers(story, heard, help_shift, ask_shift, visit_pull, help_norm, ask_norm,
                 visit_multiplier):
    """What the story a resident carries (above ``heard``, a float32) does to the day's
    levers: the help and ask norms shifted by ``help_shift`` and ``ask_shift`` times the
    story, the visit multiplier times 1 + ``visit_pull`` times the story (in float64, as
    Levers.shift and Levers.scale do it)."""
    for i in range(len(story)):
        if story[i] > heard:
            s = np.float64(story[i])
            help_norm[i] += help_shift * s
            ask_norm[i] += ask_shift * s
            visit_multiplier[i] *= 1.0 + visit_pull * s

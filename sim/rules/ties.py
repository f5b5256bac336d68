"""Ties form now and then from meetings and introductions, within each resident's tie
budget; ties that help flows along become close; ties not kept up fade."""

from __future__ import annotations

import numpy as np

from sim.compiled import njit
from sim.day import Day, Meetings
from sim.draws import permutation, stream, uniforms
from sim.network import Ties
from sim.population import Population
from sim.tie_kernels import edge_in_row, merge_edges, row_counts

_NOBODY = np.zeros(0, dtype=np.bool_)  # no resident flagged (for kernels: an empty mask)


def form_ties_from_meetings(ties: Ties, meetings: Meetings, p_tie: float, day: Day,
                            rng) -> None:
    """A meeting between two residents who are not yet tied leaves a tie with a small
    chance (p_tie_per_meeting): acquaintance grows into a tie over many conversations, not
    after a fixed count (Hall 2019: some 50 hours together make a casual friend). New ties
    are queued for the weekly merge, which keeps everyone within their tie budget
    (sim.network.Ties.merge). Form: propinquity (Festinger, Schachter & Back 1950)."""
    if len(meetings) == 0 or p_tie <= 0:
        return
    u, v = _chance_ties(meetings.a, meetings.b, stream(rng), p_tie, ties.indptr, ties.dst)
    if len(u):
        day.queue_ties(u, v)


# each meeting of two untied residents leaves a tie with chance p (its own draw)
@njit(cache=True)
def _chance_ties(a, b, h, p, indptr, dst):
    u = uniforms(h, len(a))
    out_a = np.empty(len(a), dtype=np.int64)
    out_b = np.empty(len(a), dtype=np.int64)
    n = 0
    for k in range(len(a)):
        if u[k] < p and a[k] != b[k] and edge_in_row(indptr, dst, a[k], b[k]) < 0:
            out_a[n], out_b[n] = a[k], b[k]
            n += 1
    return out_a[:n], out_b[:n]


def introduce_across_sections(pop: Population, ties: Ties, p_introduce: float,
                              palatability: float, day: Day, rng) -> None:
    """An active bridge figure (one of the community's own, or a resident an intervention
    supports in the role today: the introducers lever), with a daily chance, introduces two
    of their ties from different sections: the three meet (JRF 2015 recommendation 2:
    nurture bonders and bridges), and like any meeting the introduction may leave a tie.
    Form: triadic closure through a broker; rate assumption."""
    figures = pop.is_bridge
    if day.levers.introducers is not None:
        figures = figures | day.levers.introducers
    bridges = np.flatnonzero(figures & day.active)
    if len(bridges) == 0:
        return
    a, b = _introduce(bridges, stream(rng), p_introduce, ties.indptr,
                      ties.dst, pop.section)
    if len(a):
        day.add_meetings(a, b, 1.0, palatability, False)


# three uniforms per bridge figure: whether they introduce today, and which two ties (with at
# least two ties, from different sections); returns the meetings of the introduced pairs,
# then of the figure with each of the two
@njit(cache=True)
def _introduce(bridges, h, p_introduce, indptr, dst, section):
    nb = len(bridges)
    u = uniforms(h, 3 * nb)
    x = np.empty(nb, dtype=np.int64)
    y = np.empty(nb, dtype=np.int64)
    who = np.empty(nb, dtype=np.int64)
    n = 0
    for k in range(nb):
        i = bridges[k]
        degree = indptr[i + 1] - indptr[i]
        if not u[k] < p_introduce or degree < 2:
            continue
        xi = dst[indptr[i] + int(u[nb + k] * degree)]
        yi = dst[indptr[i] + int(u[2 * nb + k] * degree)]
        if section[xi] != section[yi]:
            x[n], y[n], who[n] = xi, yi, i
            n += 1
    a = np.concatenate((x[:n], who[:n], who[:n]))
    b = np.concatenate((y[:n], x[:n], y[:n]))
    return a, b


def fade_unused_ties(ties: Ties, fade_days: int, p_fade: float, close_fade_days: int,
                     day: int, rng) -> np.ndarray:
    """Keeping ties up costs contact: a close tie unused for longer than close_fade_days
    becomes an ordinary tie, and a tie unused for longer than fade_days fades with a weekly
    chance. Returns the edges (one direction each) to drop. Forms: tie decay (Burt 2000),
    Dunbar's layers (contact frequency by layer); rates assumption."""
    stale = _idle_ties(ties.src, ties.dst, ties.last_contact, ties.close, day, fade_days,
                       close_fade_days)
    return stale[rng.random(len(stale)) < p_fade]


# close ties idle for longer than close_fade_days stop being close; returns the edges
# (src < dst) idle for longer than fade_days, in order. The first pass (vectorised) also
# counts the idle edges; the second, which picks them, runs only if there are any
@njit(cache=True)
def _idle_ties(src, dst, last_contact, close, day, fade_days, close_fade_days):
    last_kept_up = day - fade_days  # idle for longer than fade_days: last contact before this
    n_idle = 0
    for e in range(len(src)):
        close[e] = close[e] & (day - last_contact[e] <= close_fade_days)
        n_idle += last_contact[e] < last_kept_up
    stale = np.empty(n_idle, dtype=np.int64)
    n = 0
    if n_idle:
        for e in range(len(src)):
            if last_contact[e] < last_kept_up and src[e] < dst[e]:
                stale[n] = e
                n += 1
    return stale[:n]


def promote_helping_ties(ties: Ties, helper: np.ndarray, recipient: np.ndarray,
                         close_budget: int, moved: np.ndarray | None = None) -> None:
    """A tie along which help was given this week becomes close, in the order the help was
    given, while both people have room in their close budget (Dunbar's support clique is
    the people one turns to in a crisis); help given or received by someone who has since
    moved away (``moved``, by resident) counts for nothing. Form: assumption."""
    if len(helper) == 0:
        return
    _promote(ties.indptr, ties.dst, ties.rev, ties.close, ties.close_degree(),
             np.asarray(helper, np.int64), np.asarray(recipient, np.int64), close_budget,
             _NOBODY if moved is None else moved)


# each (helper, recipient), neither of whom moved, with a tie that is not close becomes close
# if both have room
@njit(cache=True)
def _promote(indptr, dst, rev, close, close_degree, helper, recipient, budget, moved):
    for k in range(len(helper)):
        h, r = helper[k], recipient[k]
        if len(moved) and (moved[h] or moved[r]):
            continue
        e = edge_in_row(indptr, dst, h, r)
        if e < 0 or close[e]:
            continue
        if close_degree[h] < budget and close_degree[r] < budget:
            close[e] = True
            close[rev[e]] = True
            close_degree[h] += 1
            close_degree[r] += 1


def pairs_to_merge(pop: Population, u: np.ndarray, v: np.ndarray,
                   moved: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The week's queued pairs (u, v) in which neither resident has moved away (``moved``,
    by resident), in order, each with the trust its tie starts at: u's trust in their own
    section for a pair within it, in other sections for one across."""
    return _staying_pairs(np.asarray(u, np.int64), np.asarray(v, np.int64), moved,
                          pop.section, pop.trust_in, pop.trust_out)


# the pairs without a mover, in order, each with u's trust in v's side (own or other sections)
@njit(cache=True)
def _staying_pairs(u, v, moved, section, trust_in, trust_out):
    out_u = np.empty(len(u), dtype=np.int64)
    out_v = np.empty(len(u), dtype=np.int64)
    trust = np.empty(len(u), dtype=trust_in.dtype)
    n = 0
    for k in range(len(u)):
        a, b = u[k], v[k]
        if moved[a] or moved[b]:
            continue
        out_u[n], out_v[n] = a, b
        trust[n] = trust_in[a] if section[a] == section[b] else trust_out[a]
        n += 1
    return out_u[:n], out_v[:n], trust[:n]


def merge_the_week(ties: Ties, pop: Population, help_u: np.ndarray, help_v: np.ndarray,
                   pending_u: np.ndarray, pending_v: np.ndarray, mover_edges: np.ndarray,
                   moved: np.ndarray, close_budget: int, fade_days: int, p_fade: float,
                   close_fade_days: int, budget: int, day: int, rng) -> int:
    """The week's ties after the moves, in one compiled call: :func:`promote_helping_ties`
    (the week's help, ``help_u`` to ``help_v``), :func:`fade_unused_ties`, the movers' ties
    (``mover_edges``) dropped, the week's pairs (:func:`pairs_to_merge`) merged in a random
    order within the tie ``budget`` (``Ties.merge``): the steps of
    ``KindlinessModel._maintain_ties_one_by_one``, with the same draws. Returns the number of
    new ties across sections."""
    (ties.src, ties.dst, ties.trust, ties.last_contact, ties.close, ties.indptr, ties.rev,
     ties.bridging, new_cross) = _merge_week(
        stream(rng), ties.src, ties.dst, ties.trust, ties.last_contact, ties.close,
        ties.indptr, ties.rev, ties.bridging, help_u, help_v, pending_u, pending_v,
        mover_edges, moved, pop.section, pop.trust_in, pop.trust_out, close_budget,
        fade_days, p_fade, close_fade_days, budget, day, ties.n)
    return new_cross


@njit(cache=True)
def _merge_week(h, src, dst, trust, last_contact, close, indptr, rev, bridging, help_u, help_v,
                pending_u, pending_v, mover_edges, moved, section, trust_in, trust_out,
                close_budget, fade_days, p_fade, close_fade_days, budget, day, n):
    if len(help_u):
        _promote(indptr, dst, rev, close, row_counts(indptr, close), help_u, help_v,
                 close_budget, moved)
    stale = _idle_ties(src, dst, last_contact, close, day, fade_days, close_fade_days)
    drops = np.concatenate((stale[uniforms(h, len(stale)) < p_fade], mover_edges))
    u, v, start_trust = _staying_pairs(pending_u, pending_v, moved, section, trust_in,
                                       trust_out)
    if len(u):
        order = permutation(h, len(u))
        u, v, start_trust = u[order], v[order], start_trust[order]
    new_cross = 0
    if len(u) or len(drops):
        (src, dst, trust, last_contact, close, indptr, rev, bridging, added_u,
         added_v) = merge_edges(src, dst, trust, last_contact, close, indptr, rev, drops, u,
                                v, start_trust, budget, day, section, n)
        for k in range(len(added_u)):
            new_cross += section[added_u[k]] != section[added_v[k]]
    return src, dst, trust, last_contact, close, indptr, rev, bridging, new_cross

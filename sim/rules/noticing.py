"""Daily contact along ties, and ties noticing each other's needs."""

from __future__ import annotations

import numpy as np
from numba import njit

from sim.day import Day
from sim.network import Ties
from sim.population import Population


def chat_with_ties(pop: Population, ties: Ties, p_chat: float, day: Day, rng) -> None:
    """Each resident starts a chat with each tie with a small daily chance; both people in a
    chat have had contact today, and the tie chatted along is marked as used. (One draw per
    resident: the chance of starting any chat is 1 - (1 - p)^degree; the chat is with one of
    their ties.)"""
    _chat(ties.indptr, ties.dst, ties.rev, ties.last_contact, pop.last_contact_day,
          day.contact, rng.random(pop.n), p_chat, day.day)


# one uniform per resident decides whether they chat today; below the chance of chatting,
# the same uniform rescaled to 0-1 picks the tie chatted along (uniformly among their ties)
@njit(cache=True)
def _chat(indptr, dst, rev, tie_last_contact, last_contact_day, contact, u, p_chat, today):
    max_degree = 0
    for i in range(len(u)):
        max_degree = max(max_degree, indptr[i + 1] - indptr[i])
    p_any = 1.0 - (1.0 - p_chat) ** np.arange(max_degree + 1)  # chance of any chat, by degree
    for i in range(len(u)):
        degree = indptr[i + 1] - indptr[i]
        if u[i] >= p_any[degree]:
            continue
        contact[i] = True
        last_contact_day[i] = today
        e = indptr[i] + min(int(u[i] / p_any[degree] * degree), degree - 1)
        tie_last_contact[e] = today
        tie_last_contact[rev[e]] = today
        contact[dst[e]] = True  # the one chatted with has had contact too
        last_contact_day[dst[e]] = today


def notice_needs_through_ties(pop: Population, ties: Ties, p_chat: float, p_notice: float,
                              notice_multiplier: np.ndarray, day: Day, rng) -> None:
    """Ties in daily contact notice a resident's need, more so for attentive orientations
    (traditional residents rely on being noticed rather than asking). Each noticing tie
    becomes an unasked offer of help. Form: MODEL-NOTES mechanism set; rates assumption."""
    needy = np.flatnonzero(pop.need > 0)
    u = rng.random(_n_edges(ties.indptr, needy))  # one draw per tie of a resident in need
    helper, recipient, edge = _notice(
        ties.indptr, ties.dst, ties.rev, ties.last_contact, pop.orientation, day.active,
        notice_multiplier, needy, u, p_chat * p_notice * day.levers.notice_multiplier, day.day)
    day.add_offers(helper, recipient, edge, asked=False)


# number of ties of the given residents
@njit(cache=True)
def _n_edges(indptr, residents):
    total = 0
    for i in residents:
        total += indptr[i + 1] - indptr[i]
    return total


# each tie of a resident in need notices with its own chance (active ties only); returns the
# offers (noticer, resident in need, edge noticer -> resident) and marks the ties as used
@njit(cache=True)
def _notice(indptr, dst, rev, tie_last_contact, orientation, active, notice_multiplier,
            needy, u, p_base, today):
    helper = np.empty(len(u), dtype=np.int64)
    recipient = np.empty(len(u), dtype=np.int64)
    edge = np.empty(len(u), dtype=np.int64)
    k, n_seen = 0, 0
    for i in needy:
        for e in range(indptr[i], indptr[i + 1]):
            noticer = dst[e]
            if u[k] < p_base * notice_multiplier[orientation[noticer]] and active[noticer]:
                tie_last_contact[e] = today
                tie_last_contact[rev[e]] = today
                helper[n_seen], recipient[n_seen], edge[n_seen] = noticer, i, rev[e]
                n_seen += 1
            k += 1
    return helper[:n_seen], recipient[:n_seen], edge[:n_seen]

"""Hub visits and encounters: co-presence creates contact, surfaces needs and, repeated,
new ties."""

from __future__ import annotations

import numpy as np
from numba import njit

from sim.day import Day, Meetings
from sim.network import Ties, edge_in_row
from sim.places import Hubs
from sim.population import Population


def visit_hubs(pop: Population, hubs: Hubs, p_visit: float, visit_multiplier: np.ndarray,
               day: Day, rng) -> np.ndarray:
    """Active residents visit an open hub with a small daily chance, choosing among open
    hubs by where they sit (own section over boundary over another section) and how
    palatable they are; a full hub turns the rest away. Returns each resident's hub (-1 for
    none). Form: MODEL-NOTES ("the middle layer", Ferguson 2017); rates assumption."""
    where = np.full(pop.n, -1, dtype=np.int64)
    open_now = hubs.open_today(day.weekday)
    hubs.visitors_today = np.zeros(hubs.n, dtype=np.int64)
    day.hub_visits = where
    if not open_now.any():
        return where
    palat = hubs.palatability + _boost(day, hubs)
    weight = hubs.preference(len(pop.section_names)) * (0.5 + palat) * open_now
    lever = np.asarray(day.levers.visit_multiplier, dtype=np.float64).reshape(-1)
    goers, choice = _choose_hubs(rng.random(pop.n), p_visit, visit_multiplier, lever,
                                 pop.orientation, pop.section, day.active,
                                 np.cumsum(weight, axis=1))
    # capacity: in a random order of arrival, each hub admits until it is full
    hubs.visitors_today = _admit(goers, choice, rng.permutation(len(goers)), hubs.capacity,
                                 where)
    return where


# one uniform per resident decides whether they go out to a hub today (active residents
# only); below the chance of going, the same uniform rescaled to 0-1 picks the hub from the
# section's cumulative weights. ``lever`` holds one multiplier, or one per resident.
@njit(cache=True)
def _choose_hubs(u, p_visit, visit_multiplier, lever, orientation, section, active, cum):
    goers = np.empty(len(u), dtype=np.int64)
    choice = np.empty(len(u), dtype=np.int64)
    n_goers = 0
    last = cum.shape[1] - 1
    for i in range(len(u)):
        p = p_visit * visit_multiplier[orientation[i]] * lever[i if len(lever) > 1 else 0]
        if not (u[i] < p and active[i]):
            continue
        row = cum[section[i]]
        target = u[i] / p * row[last]
        h = 0
        while h < last and row[h] <= target:
            h += 1
        goers[n_goers], choice[n_goers] = i, h
        n_goers += 1
    return goers[:n_goers], choice[:n_goers]


# goers arrive in the given order; each hub admits them until full; returns visitors per hub
@njit(cache=True)
def _admit(goers, choice, arrival, capacity, where):
    visitors = np.zeros(len(capacity), dtype=np.int64)
    for k in arrival:
        h = choice[k]
        if visitors[h] < capacity[h]:
            where[goers[k]] = h
            visitors[h] += 1
    return visitors


def _boost(day: Day, hubs: Hubs) -> np.ndarray:
    b = day.levers.hub_palatability_boost
    return np.zeros(hubs.n) if b is None else b[: hubs.n]


def pair_visitors(where: np.ndarray, hubs: Hubs, encounters_per_visit: int, day: Day,
                  rng) -> None:
    """At each hub, each visitor talks with a few others present (in a random order, each
    visitor with the next k around a circle), with the hub's palatability."""
    visitors = np.flatnonzero(where >= 0)
    if len(visitors) < 2 or encounters_per_visit <= 0:
        return
    palat = np.clip(hubs.palatability + _boost(day, hubs), 0.0, 1.0)
    a, b, pal = _seat_and_pair(visitors, where, rng.permutation(len(visitors)), hubs.n,
                               palat, encounters_per_visit)
    day.add_meetings(a, b, 1.0, pal, True)


# seat each hub's visitors around a circle in the given random order (a counting sort by
# hub), then pair each with the next 1..k seats, for as many as the table holds
@njit(cache=True)
def _seat_and_pair(visitors, where, order, n_hubs, palat, k):
    size = np.zeros(n_hubs, dtype=np.int64)
    for v in visitors:
        size[where[v]] += 1
    start = np.zeros(n_hubs, dtype=np.int64)
    for h in range(1, n_hubs):
        start[h] = start[h - 1] + size[h - 1]
    filled = np.zeros(n_hubs, dtype=np.int64)
    seat = np.empty(len(visitors), dtype=np.int64)
    for j in order:
        h = where[visitors[j]]
        seat[start[h] + filled[h]] = visitors[j]
        filled[h] += 1
    a = np.empty(k * len(seat), dtype=np.int64)
    b = np.empty(k * len(seat), dtype=np.int64)
    pal = np.empty(k * len(seat))
    m = 0
    for j in range(1, k + 1):
        for s in range(len(seat)):
            h = where[seat[s]]
            if size[h] > j:
                a[m] = seat[s]
                b[m] = seat[start[h] + (s - start[h] + j) % size[h]]
                pal[m] = palat[h]
                m += 1
    return a[:m], b[:m], pal[:m]


def surface_needs_in_meetings(pop: Population, ties: Ties, meetings: Meetings,
                              p_notice: float, notice_multiplier: np.ndarray, day: Day,
                              rng) -> None:
    """In an encounter, a need may surface indirectly: the more palatable the setting (the
    less it is framed as help), the likelier the other person notices it and offers help.
    Form: JRF 2015 recommendation 1 (make kindness palatable); rate assumption."""
    if len(meetings) == 0:
        return
    helper, recipient, edge = _surface(
        meetings.a, meetings.b, meetings.palatability, rng.random(2 * len(meetings)),
        pop.need, pop.orientation, day.active, notice_multiplier,
        p_notice * day.levers.notice_multiplier, ties.indptr, ties.dst)
    day.add_offers(helper, recipient, edge, asked=False)


# each side of each meeting (a notices b, then b notices a, with draws u[k] and u[m + k])
# notices the other's need with the setting's palatability; returns the unasked offers
# (noticer, resident in need, their tie or -1)
@njit(cache=True)
def _surface(a, b, palatability, u, need, orientation, active, notice_multiplier, p_base,
             indptr, dst):
    m = len(a)
    helper = np.empty(2 * m, dtype=np.int64)
    recipient = np.empty(2 * m, dtype=np.int64)
    edge = np.empty(2 * m, dtype=np.int64)
    n_seen = 0
    for side in range(2):
        for k in range(m):
            me, other = (a[k], b[k]) if side == 0 else (b[k], a[k])
            if need[other] <= 0 or not active[me]:
                continue
            if u[side * m + k] < p_base * palatability[k] * notice_multiplier[orientation[me]]:
                helper[n_seen], recipient[n_seen] = me, other
                edge[n_seen] = edge_in_row(indptr, dst, me, other)
                n_seen += 1
    return helper[:n_seen], recipient[:n_seen], edge[:n_seen]


def make_contact(pop: Population, meetings: Meetings, day: Day) -> None:
    """Everyone in an encounter has had contact today."""
    _contact(meetings.a, meetings.b, day.contact, pop.last_contact_day, day.day)


# both sides of every meeting have had contact today
@njit(cache=True)
def _contact(a, b, contact, last_contact_day, today):
    for k in range(len(a)):
        for i in (a[k], b[k]):
            contact[i] = True
            last_contact_day[i] = today

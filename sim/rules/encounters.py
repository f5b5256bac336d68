"""Hub visits and encounters: co-presence creates contact, surfaces needs and, repeated,
new ties."""

from __future__ import annotations

import numpy as np

from sim.day import Day, Meetings
from sim.network import Ties
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
    if not open_now.any():
        day.hub_visits = where
        return where
    goers = np.flatnonzero(
        (rng.random(pop.n) < p_visit * visit_multiplier[pop.orientation]
         * day.levers.visit_multiplier) & day.active)
    palat = hubs.palatability + _boost(day, hubs)
    weight = hubs.preference(len(pop.section_names)) * (0.5 + palat) * open_now
    cum = np.cumsum(weight, axis=1)
    sec = pop.section[goers]
    draw = rng.random(len(goers)) * cum[sec, -1]
    choice = (draw[:, None] >= cum[sec]).sum(axis=1)
    # capacity: a random order of arrival, then keep the first ``capacity`` at each hub
    order = np.lexsort((rng.random(len(goers)), choice))
    choice, goers = choice[order], goers[order]
    start = np.searchsorted(choice, np.arange(hubs.n))
    rank = np.arange(len(choice)) - start[choice]
    admitted = rank < hubs.capacity[choice]
    where[goers[admitted]] = choice[admitted]
    hubs.visitors_today = np.bincount(choice[admitted], minlength=hubs.n)
    day.hub_visits = where
    return where


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
    hub = where[visitors]
    order = np.lexsort((rng.random(len(visitors)), hub))
    visitors, hub = visitors[order], hub[order]
    start = np.searchsorted(hub, np.arange(hubs.n))
    size = np.bincount(hub, minlength=hubs.n)
    pos = np.arange(len(visitors)) - start[hub]
    palat = np.clip(hubs.palatability + _boost(day, hubs), 0.0, 1.0)
    for j in range(1, encounters_per_visit + 1):
        ok = size[hub] > j
        partner = start[hub] + (pos + j) % np.maximum(size[hub], 1)
        day.add_meetings(visitors[ok], visitors[partner[ok]], 1.0, palat[hub[ok]], True)


def surface_needs_in_meetings(pop: Population, ties: Ties, meetings: Meetings,
                              p_notice: float, notice_multiplier: np.ndarray, day: Day,
                              rng) -> None:
    """In an encounter, a need may surface indirectly: the more palatable the setting (the
    less it is framed as help), the likelier the other person notices it and offers help.
    Form: JRF 2015 recommendation 1 (make kindness palatable); rate assumption."""
    for me, other in ((meetings.a, meetings.b), (meetings.b, meetings.a)):
        needy = pop.need[other] > 0
        if not needy.any():
            continue
        h, r, pal = me[needy], other[needy], meetings.palatability[needy]
        prob = (p_notice * pal * notice_multiplier[pop.orientation[h]]
                * day.levers.notice_multiplier)
        seen = (rng.random(len(h)) < prob) & day.active[h]
        h, r = h[seen], r[seen]
        day.add_offers(h, r, ties.find(h, r), asked=False)


def make_contact(pop: Population, meetings: Meetings, day: Day) -> None:
    """Everyone in an encounter has had contact today."""
    for who in (meetings.a, meetings.b):
        day.contact[who] = True
        pop.last_contact_day[who] = day.day


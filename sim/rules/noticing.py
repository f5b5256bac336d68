"""Daily contact along ties, and ties noticing each other's needs."""

from __future__ import annotations

import numpy as np

from sim.day import Day
from sim.network import Ties
from sim.population import Population


def chat_with_ties(pop: Population, ties: Ties, p_chat: float, day: Day, rng) -> None:
    """Each resident chats with each tie with a small daily chance; a resident who chats
    with anyone has had contact today, and the tie chatted along is marked as used.
    (One draw per resident: the chance of any chat is 1 - (1 - p)^degree.)"""
    degree = ties.degree()
    chats = rng.random(pop.n) < 1.0 - (1.0 - p_chat) ** degree
    who = np.flatnonzero(chats)
    if len(who) == 0:
        return
    day.contact[who] = True
    pop.last_contact_day[who] = day.day
    edge = ties.indptr[who] + (rng.random(len(who)) * degree[who]).astype(np.int64)
    ties.last_contact[edge] = day.day
    ties.last_contact[ties.rev[edge]] = day.day


def notice_needs_through_ties(pop: Population, ties: Ties, p_chat: float, p_notice: float,
                              notice_multiplier: np.ndarray, day: Day, rng) -> None:
    """Ties in daily contact notice a resident's need, more so for attentive orientations
    (traditional residents rely on being noticed rather than asking). Each noticing tie
    becomes an unasked offer of help. Form: MODEL-NOTES mechanism set; rates assumption."""
    needy = np.flatnonzero(pop.need > 0)
    if len(needy) == 0:
        return
    edges, _ = ties.edges_of(needy)  # needy -> tie
    noticer = ties.dst[edges]
    p = (p_chat * p_notice * day.levers.notice_multiplier
         * notice_multiplier[pop.orientation[noticer]])
    seen = (rng.random(len(edges)) < p) & day.active[noticer]
    edges = edges[seen]
    ties.last_contact[edges] = day.day
    ties.last_contact[ties.rev[edges]] = day.day
    day.add_offers(ties.dst[edges], ties.src[edges], ties.rev[edges], asked=False)

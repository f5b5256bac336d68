"""Conversations along ties, and ties noticing each other's needs in them."""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from sim.compiled import njit
from sim.day import Day, per_resident
from sim.draws import stream, uniforms
from sim.network import Ties
from sim.params import RuleParams
from sim.population import Population


class ChatParams(NamedTuple):
    """The numbers of :func:`chat_and_notice` (sim.params.RuleParams), for the kernel."""

    chats_per_day: float
    close_weight: float
    p_notice: float

    @classmethod
    def of(cls, p: RuleParams) -> ChatParams:
        return cls(p.chats_per_day, p.close_tie_chat_weight, p.p_notice_in_chat)


def chat_and_notice(pop: Population, ties: Ties, k: ChatParams, notice_multiplier: np.ndarray,
                    day: Day, rng) -> None:
    """Each resident starts a few conversations with their ties today: a Poisson number with
    mean chats_per_day times their lasting sociability, each with one tie, a close tie
    close_tie_chat_weight times likelier than another and a sociable tie likelier than a
    quiet one (in proportion to sociability: conversation takes two). Time is the budget:
    the more ties
    someone has, the less each is talked with, so ties that are not kept up fade
    (sim/rules/ties.py). Both people in a chat have had contact and a conversation today, the
    tie is used, and each may notice the other's need (more so for attentive orientations;
    traditional residents rely on being noticed rather than asking): every noticing is an
    unasked offer of help; the day's notice_multiplier lever (one value, or one per noticer:
    a commitment to look out for one's neighbours) multiplies the chance. Forms: MODEL-NOTES
    mechanism set, Dunbar's layers; rates sim.params."""
    helper, recipient, edge = _chat_drawn(
        stream(rng), k.chats_per_day, ties.indptr, ties.dst, ties.rev, ties.close,
        pop.sociability, ties.last_contact, pop.last_contact_day, pop.last_chat_day,
        day.contact, pop.need, pop.orientation, day.active, notice_multiplier,
        per_resident(day.levers.notice_multiplier), k.p_notice, k.close_weight, day.day)
    day.add_offers(helper, recipient, edge, asked=False)


# _chat_counts and _chat with their draws from stream h: one uniform per resident for the
# counts, then three per chat
@njit(cache=True)
def _chat_drawn(h, chats_per_day, indptr, dst, rev, close, sociability, *rest):
    counts = _chat_counts(indptr, sociability, uniforms(h, len(sociability)), chats_per_day)
    return _chat(counts, uniforms(h, 3 * counts.sum()), indptr, dst, rev, close, sociability,
                 *rest)


# today's number of chats each resident starts: the Poisson count (mean chats_per_day times
# sociability) at their uniform, by inverting the CDF; none without ties. A uniform at or
# below 1 - lam (less a margin for rounding) is below P(0) = exp(-lam) >= 1 - lam: no chat,
# without working out the exponential (most residents, on most days)
@njit(cache=True)
def _chat_counts(indptr, sociability, u, chats_per_day):
    counts = np.zeros(len(u), dtype=np.int64)
    for i in range(len(u)):
        if indptr[i + 1] == indptr[i]:
            continue
        lam = chats_per_day * sociability[i]
        if u[i] <= 1.0 - lam - 1e-9:
            continue
        term = math.exp(-lam)
        cdf = term
        c = 0
        while u[i] > cdf and term > 1e-300 and c < 50:
            c += 1
            term *= lam / c
            cdf += term
        counts[i] = c
    return counts


# three uniforms per chat: which tie (weighted by the tie's sociability, and close ties
# count close_weight times), whether the
# tie notices the starter's need, whether the starter notices the tie's; returns the unasked
# offers (noticer, resident in need, edge noticer -> resident in need)
@njit(cache=True)
def _chat(counts, u, indptr, dst, rev, close, sociability, tie_last_contact, last_contact_day,
          last_chat_day, contact, need, orientation, active, notice_multiplier, lever, p_notice,
          close_weight, today):
    total = len(u) // 3
    helper = np.empty(2 * total, dtype=np.int64)
    recipient = np.empty(2 * total, dtype=np.int64)
    edge = np.empty(2 * total, dtype=np.int64)
    n_seen, c = 0, 0
    for i in range(len(counts)):
        if counts[i] == 0:
            continue
        start, end = indptr[i], indptr[i + 1]
        weight = 0.0
        for e in range(start, end):
            weight += (close_weight if close[e] else 1.0) * sociability[dst[e]]
        if weight <= 0.0:
            continue
        for _ in range(counts[i]):
            target = u[c] * weight
            e = end - 1
            cum = 0.0
            for f in range(start, end):
                cum += (close_weight if close[f] else 1.0) * sociability[dst[f]]
                if cum > target:
                    e = f
                    break
            j = dst[e]
            tie_last_contact[e] = today
            tie_last_contact[rev[e]] = today
            for person in (i, j):
                contact[person] = True
                last_contact_day[person] = today
                last_chat_day[person] = today
            if need[i] > 0 and active[j] and (
                    u[total + c] < p_notice * lever[j if len(lever) > 1 else 0]
                    * notice_multiplier[orientation[j]]):
                helper[n_seen], recipient[n_seen], edge[n_seen] = j, i, rev[e]
                n_seen += 1
            if need[j] > 0 and active[i] and (
                    u[2 * total + c] < p_notice * lever[i if len(lever) > 1 else 0]
                    * notice_multiplier[orientation[i]]):
                helper[n_seen], recipient[n_seen], edge[n_seen] = i, j, e
                n_seen += 1
            c += 1
    return helper[:n_seen], recipient[:n_seen], edge[:n_seen]

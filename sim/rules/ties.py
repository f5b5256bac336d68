"""Ties form from repeated encounters and bridge figures' introductions, and fade when
unused."""

from __future__ import annotations

import numpy as np

from sim.day import Day, Meetings
from sim.network import Ties
from sim.population import Population, sorted_unique


class Acquaintances:
    """Pairs who have met but are not (yet) tied: a sorted key array with counts and the day
    of the last meeting."""

    def __init__(self, n: int):
        self.n = n
        self.key = np.zeros(0, dtype=np.int64)
        self.count = np.zeros(0, dtype=np.int32)
        self.last = np.zeros(0, dtype=np.int32)

    def __len__(self) -> int:
        return len(self.key)

    def meet(self, a: np.ndarray, b: np.ndarray, day: int) -> tuple[np.ndarray, np.ndarray]:
        """Record meetings; returns the pairs (u < v) whose counts reached a new high today
        along with their counts."""
        lo, hi = np.minimum(a, b), np.maximum(a, b)
        keys = lo * self.n + hi
        keys = sorted_unique(keys[lo != hi])
        at = np.searchsorted(self.key, keys)
        at_c = np.minimum(at, max(len(self.key) - 1, 0))
        known = (at < len(self.key)) & (self.key[at_c] == keys) if len(self.key) else \
            np.zeros(len(keys), bool)
        self.count[at_c[known]] += 1
        self.last[at_c[known]] = day
        fresh = keys[~known]
        if len(fresh):
            merged = np.concatenate([self.key, fresh])
            order = np.argsort(merged, kind="stable")
            self.key = merged[order]
            self.count = np.concatenate([self.count, np.ones(len(fresh), np.int32)])[order]
            self.last = np.concatenate([self.last, np.full(len(fresh), day, np.int32)])[order]
        return self.key, self.count

    def take(self, threshold: int) -> tuple[np.ndarray, np.ndarray]:
        """Remove and return the pairs met at least ``threshold`` times."""
        ready = self.count >= threshold
        keys = self.key[ready]
        self._keep(~ready)
        return keys // self.n, keys % self.n

    def forget(self, before_day: int) -> None:
        self._keep(self.last >= before_day)

    def _keep(self, mask: np.ndarray) -> None:
        self.key, self.count, self.last = self.key[mask], self.count[mask], self.last[mask]


def remember_meetings(acq: Acquaintances, meetings: Meetings, meetings_for_tie: int,
                      day: Day) -> None:
    """Repeated co-presence turns acquaintances into ties: a pair who have met
    ``meetings_for_tie`` times within the memory window becomes a tie (queued for the
    evening's merge). Form: propinquity and repeated exposure (Festinger, Schachter & Back
    1950); threshold assumption."""
    if len(meetings) == 0:
        return
    acq.meet(meetings.a, meetings.b, day.day)
    u, v = acq.take(meetings_for_tie)
    if len(u):
        day.queue_ties(u, v)


def introduce_across_sections(pop: Population, ties: Ties, p_introduce: float, day: Day,
                              rng) -> None:
    """An active bridge figure, with a daily chance, introduces two of their ties from
    different sections: the three meet (JRF 2015 recommendation 2: nurture bonders and
    bridges). Form: triadic closure through a broker; rate assumption."""
    bridges = np.flatnonzero(pop.is_bridge & day.active)
    bridges = bridges[rng.random(len(bridges)) < p_introduce]
    deg = ties.degree()[bridges]
    bridges, deg = bridges[deg >= 2], deg[deg >= 2]
    if len(bridges) == 0:
        return
    base = ties.indptr[bridges]
    x = ties.dst[base + (rng.random(len(bridges)) * deg).astype(np.int64)]
    y = ties.dst[base + (rng.random(len(bridges)) * deg).astype(np.int64)]
    ok = pop.section[x] != pop.section[y]
    x, y, b = x[ok], y[ok], bridges[ok]
    day.add_meetings(x, y, 1.0, 0.5, False)
    day.add_meetings(b, x, 1.0, 0.5, False)
    day.add_meetings(b, y, 1.0, 0.5, False)


def fade_unused_ties(ties: Ties, fade_days: int, p_fade: float, day: int, rng) -> np.ndarray:
    """Ties unused for longer than ``fade_days`` fade with a weekly chance. Returns the
    edges (one direction each) to drop. Form: tie decay (Burt 2000); rates assumption."""
    stale = np.flatnonzero((ties.src < ties.dst) & (day - ties.last_contact > fade_days))
    return stale[rng.random(len(stale)) < p_fade]

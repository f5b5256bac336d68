"""Ties form from repeated encounters and bridge figures' introductions, and fade when
unused."""

from __future__ import annotations

import numpy as np

from sim.day import Day, Meetings
from sim.network import Ties
from sim.population import Population, sorted_unique


class Acquaintances:
    """Pairs who have met but are not (yet) tied: a sorted key array (``u * n + v`` with
    u < v) with counts and the day of the last meeting. Meetings are recorded daily and
    folded into the store once a week, when new ties are merged."""

    def __init__(self, n: int):
        self.n = n
        self.key = np.zeros(0, dtype=np.int64)
        self.count = np.zeros(0, dtype=np.int64)
        self.last = np.zeros(0, dtype=np.int64)
        self._recent: list[tuple[np.ndarray, int]] = []

    def __len__(self) -> int:
        return len(self.key)

    def meet(self, a: np.ndarray, b: np.ndarray, day: int) -> None:
        """Record today's meetings (a pair meeting twice in a day counts once)."""
        lo, hi = np.minimum(a, b), np.maximum(a, b)
        self._recent.append((sorted_unique((lo * self.n + hi)[lo != hi]), day))

    def settle(self, day: int, threshold: int, memory_days: int) -> tuple[np.ndarray, ...]:
        """Fold the recorded meetings into the store, forget pairs not met within
        ``memory_days``, and remove and return the pairs (u, v) met ``threshold`` times."""
        if self._recent:
            keys = np.concatenate([k for k, _ in self._recent])
            days = np.concatenate([np.full(len(k), d) for k, d in self._recent])
            self._recent = []
            order = np.argsort(keys, kind="stable")  # stable: the last of a run is the latest
            keys, days = keys[order], days[order]
            starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
            ends = np.r_[starts[1:], len(keys)]
            ukeys, counts, lasts = keys[starts], ends - starts, days[ends - 1]
            at = np.searchsorted(self.key, ukeys)
            at_c = np.minimum(at, max(len(self.key) - 1, 0))
            known = (at < len(self.key)) & (self.key[at_c] == ukeys) if len(self.key) else \
                np.zeros(len(ukeys), bool)
            self.count[at_c[known]] += counts[known]
            self.last[at_c[known]] = lasts[known]
            fresh = ~known
            where = at[fresh]  # both arrays are sorted: insert in place, no full re-sort
            self.key = np.insert(self.key, where, ukeys[fresh])
            self.count = np.insert(self.count, where, counts[fresh])
            self.last = np.insert(self.last, where, lasts[fresh])
        keep = (self.last >= day - memory_days) & (self.count < threshold)
        ready = self.key[self.count >= threshold]
        self.key, self.count, self.last = self.key[keep], self.count[keep], self.last[keep]
        return ready // self.n, ready % self.n


def remember_meetings(acq: Acquaintances, meetings: Meetings, day: Day) -> None:
    """Repeated co-presence turns acquaintances into ties: a pair who have met
    ``meetings_for_tie`` times within the memory window becomes a tie at the weekly merge
    (``Acquaintances.settle``). Form: propinquity and repeated exposure (Festinger,
    Schachter & Back 1950); threshold assumption."""
    if len(meetings):
        acq.meet(meetings.a, meetings.b, day.day)


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

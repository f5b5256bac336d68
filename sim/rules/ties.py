"""Ties form from repeated encounters and bridge figures' introductions, and fade when
unused."""

from __future__ import annotations

import numpy as np
from numba import njit

from sim.day import Day, Meetings
from sim.network import Ties
from sim.population import Population


class Acquaintances:
    """Pairs who have met but are not (yet) tied: a sorted key array (``u * n + v`` with
    u < v) with counts and the day of the last meeting. Meetings are recorded daily and
    folded into the store once a week, when new ties are merged."""

    def __init__(self, n: int):
        self.n = n
        self.key = np.zeros(0, dtype=np.int64)
        self.count = np.zeros(0, dtype=np.int32)
        self.last = np.zeros(0, dtype=np.int32)
        self._recent: list[tuple[np.ndarray, int]] = []

    def __len__(self) -> int:
        return len(self.key)

    def meet(self, a: np.ndarray, b: np.ndarray, day: int) -> None:
        """Record today's meetings (a pair meeting twice in a day counts once)."""
        self._recent.append((_day_pairs(a, b, self.n), day))

    def settle(self, day: int, threshold: int, memory_days: int) -> tuple[np.ndarray, ...]:
        """Fold the recorded meetings into the store, forget pairs not met within
        ``memory_days``, and remove and return the pairs (u, v) met ``threshold`` times."""
        if self._recent:
            keys = np.concatenate([k for k, _ in self._recent])
            days = np.concatenate([np.full(len(k), d, dtype=np.int32) for k, d in self._recent])
            self._recent = []
            # stable (a pair's entries stay in day order); each day's keys are a sorted run,
            # which numpy's stable sort merges quickly
            order = np.argsort(keys, kind="stable")
            keys, days = keys[order], days[order]
        else:
            keys, days = np.zeros(0, np.int64), np.zeros(0, np.int32)
        self.key, self.count, self.last, ready = _fold(
            self.key, self.count, self.last, keys, days, day - memory_days, threshold)
        return ready // self.n, ready % self.n


# today's distinct pairs as sorted keys lo * n + hi (no self-pairs)
@njit(cache=True)
def _day_pairs(a, b, n):
    keys = np.empty(len(a), dtype=np.int64)
    k = 0
    for i in range(len(a)):
        if a[i] != b[i]:
            keys[k] = min(a[i], b[i]) * n + max(a[i], b[i])
            k += 1
    keys = np.sort(keys[:k])
    out = np.empty(k, dtype=np.int64)
    m = 0
    for i in range(k):
        if i == 0 or keys[i] != keys[i - 1]:
            out[m] = keys[i]
            m += 1
    return out[:m]


# the week's meetings (sorted by pair, days in order) as distinct pairs with their number
# of meetings and the day of the latest
@njit(cache=True)
def _collapse(keys, days):
    pair = np.empty(len(keys), dtype=np.int64)
    count = np.zeros(len(keys), dtype=np.int32)
    last = np.empty(len(keys), dtype=np.int32)
    p = -1
    for j in range(len(keys)):
        if p < 0 or keys[j] != pair[p]:
            p += 1
            pair[p] = keys[j]
        count[p] += 1
        last[p] = days[j]
    return pair[:p + 1], count[:p + 1], last[:p + 1]


# one linear merge of the store with the week's distinct pairs: counts add up, the last day
# is the latest; pairs met ``threshold`` times leave as ready, pairs not met since
# ``oldest_day`` are forgotten
@njit(cache=True)
def _fold(key, count, last, new_keys, new_days, oldest_day, threshold):
    pair, n_met, met_last = _collapse(new_keys, new_days)
    cap = len(key) + len(pair)
    out_key = np.empty(cap, dtype=np.int64)
    out_count = np.empty(cap, dtype=np.int32)
    out_last = np.empty(cap, dtype=np.int32)
    ready = np.empty(len(pair), dtype=np.int64)  # only pairs met this week can be ready
    k, r, j = 0, 0, 0
    for i in range(len(key) + 1):
        c, d = 0, 0
        while j < len(pair) and (i == len(key) or pair[j] <= key[i]):
            if i < len(key) and pair[j] == key[i]:
                c, d = n_met[j], met_last[j]  # a known pair: folded in below
            elif n_met[j] >= threshold:
                ready[r] = pair[j]
                r += 1
            elif met_last[j] >= oldest_day:
                out_key[k], out_count[k], out_last[k] = pair[j], n_met[j], met_last[j]
                k += 1
            j += 1
        if i == len(key):
            break
        c += count[i]
        d = max(d, last[i])
        if c >= threshold:
            ready[r] = key[i]
            r += 1
        elif d >= oldest_day:
            out_key[k], out_count[k], out_last[k] = key[i], c, d
            k += 1
    return out_key[:k], out_count[:k], out_last[:k], ready[:r]


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
    if len(bridges) == 0:
        return
    a, b = _introduce(bridges, rng.random(3 * len(bridges)), p_introduce, ties.indptr,
                      ties.dst, pop.section)
    day.add_meetings(a, b, 1.0, 0.5, False)


# three uniforms per bridge figure: whether they introduce today, and which two ties (with at
# least two ties, from different sections); returns the meetings of the introduced pairs,
# then of the figure with each of the two
@njit(cache=True)
def _introduce(bridges, u, p_introduce, indptr, dst, section):
    nb = len(bridges)
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


def fade_unused_ties(ties: Ties, fade_days: int, p_fade: float, day: int, rng) -> np.ndarray:
    """Ties unused for longer than ``fade_days`` fade with a weekly chance. Returns the
    edges (one direction each) to drop. Form: tie decay (Burt 2000); rates assumption."""
    stale = np.flatnonzero((ties.src < ties.dst) & (day - ties.last_contact > fade_days))
    return stale[rng.random(len(stale)) < p_fade]

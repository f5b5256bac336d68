"""Hubs (third spaces): where they sit, when they open, how many they hold, how palatable.

A hub's state is a row of small arrays so that the daily visit rule can work on all hubs at
once; ``Hubs.specs`` keeps the scenario's description of each. Interventions open, close and
extend hubs through the methods here.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from sim.compiled import njit
from sim.params import BOUNDARY_NAME, HubSpec, RuleParams

BOUNDARY = -1  # location code of a hub between sections (files say BOUNDARY_NAME)


@dataclass(eq=False)
class Hubs:
    specs: list[HubSpec]
    location: np.ndarray  # int: section index, or BOUNDARY
    capacity: np.ndarray  # int visitors per day (scaled to the population)
    open_days: np.ndarray  # bool (n_hubs, 7)
    palatability: np.ndarray  # float 0-1
    closed: np.ndarray  # bool: closed for good (austerity)
    visitors_today: np.ndarray = field(default=None)  # int
    days_open: np.ndarray = field(default=None)  # int: days each hub has been open so far
    days_crowded: np.ndarray = field(default=None)  # int: ... of which over capacity
    _cached: tuple | None = field(default=None, repr=False)  # (key, preference matrix)

    @classmethod
    def build(cls, specs, section_names, n_residents) -> Hubs:
        hubs = cls([], *(np.zeros(0, t) for t in (int, int, bool, float, bool)))
        hubs.open_days = np.zeros((0, 7), dtype=bool)
        # counters for no hubs yet (a place with no hubs still runs the visit rule's kernel)
        hubs.visitors_today, hubs.days_open, hubs.days_crowded = (
            np.zeros(0, dtype=np.int64) for _ in range(3))
        for spec in specs:
            hubs.add(spec, section_names, n_residents)
        return hubs

    @property
    def n(self) -> int:
        return len(self.specs)

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.specs]

    def index(self, name: str) -> int:
        return self.names.index(name)

    def add(self, spec: HubSpec, section_names, n_residents) -> int:
        """Open a new hub; returns its index."""
        loc = (BOUNDARY if spec.location == BOUNDARY_NAME
               else section_names.index(spec.location))
        mask = np.zeros(7, dtype=bool)
        mask[list(spec.open_days)] = True
        self.specs.append(spec)
        self.location = np.append(self.location, loc)
        self.capacity = np.append(self.capacity, spec.places(n_residents))
        self.open_days = np.vstack([self.open_days, mask])
        self.palatability = np.append(self.palatability, spec.palatability)
        self.closed = np.append(self.closed, False)
        self.visitors_today = np.zeros(self.n, dtype=np.int64)
        self.days_open = _grown(self.days_open, self.n)
        self.days_crowded = _grown(self.days_crowded, self.n)
        return self.n - 1

    def count_day(self, open_now: np.ndarray) -> None:
        """Count today as an open day for the open hubs, and as a crowded one where the
        visitors outnumbered the capacity."""
        count_open_day(open_now, self.visitors_today, self.capacity, self.days_open,
                       self.days_crowded)

    def occupancy(self) -> np.ndarray:
        """Today's visitors over capacity, per hub (0 where the capacity is 0)."""
        return self.visitors_today / np.maximum(self.capacity, 1)

    def close(self, i: int) -> None:
        self.closed[i] = True

    def reopen(self, i: int) -> None:
        self.closed[i] = False

    def set_open_days(self, i: int, days) -> None:
        self.open_days[i] = False
        self.open_days[i, list(days)] = True
        self.specs[i] = replace(self.specs[i], open_days=tuple(sorted(days)))

    def open_today(self, weekday: int) -> np.ndarray:
        """Whether each hub opens on ``weekday`` (0-6): one of its days, not closed for good,
        and with room for someone."""
        return _open_today(self.open_days, self.closed, self.capacity, weekday)

    def preference(self, n_sections: int, p: RuleParams) -> np.ndarray:
        """Preference weight of each section (rows) for each hub (columns), by where the hub
        sits: in one's own section, on a boundary, or in another section (sim.params).
        Hubs never move, so it is worked out again only when a hub is added."""
        key = ("preference", self.n, n_sections, p)
        if self._cached is None or self._cached[0] != key:
            self._cached = (key, self._preference(n_sections, p))
        return self._cached[1]

    def _preference(self, n_sections: int, p: RuleParams) -> np.ndarray:
        pref = np.full((n_sections, self.n), p.hub_preference_other_section)
        for h in range(self.n):
            if self.location[h] == BOUNDARY:
                pref[:, h] = p.hub_preference_boundary
            else:
                pref[self.location[h], h] = p.hub_preference_own_section
        return pref


# the hubs open on a weekday (Hubs.open_today)
@njit(cache=True)
def _open_today(open_days, closed, capacity, weekday):
    out = np.empty(len(closed), dtype=np.bool_)
    for h in range(len(closed)):
        out[h] = open_days[h, weekday] and not closed[h] and capacity[h] > 0
    return out


# count a day as open for the open hubs, and as crowded where the visitors outnumbered the
# capacity (Hubs.count_day; the visit rule's kernel counts its day with it)
@njit(cache=True)
def count_open_day(open_now, visitors, capacity, days_open, days_crowded):
    for h in range(len(open_now)):
        if open_now[h]:
            days_open[h] += 1
            if visitors[h] > capacity[h]:
                days_crowded[h] += 1


def _grown(counts: np.ndarray | None, n: int) -> np.ndarray:
    """A per-hub counter with room for ``n`` hubs (new hubs start at 0)."""
    out = np.zeros(n, dtype=np.int64)
    if counts is not None:
        out[: len(counts)] = counts
    return out

"""Hubs (third spaces): where they sit, when they open, how many they hold, how palatable.

A hub's state is a row of small arrays so that the daily visit rule can work on all hubs at
once; ``Hubs.specs`` keeps the scenario's description of each. Interventions open, close and
extend hubs through the methods here.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from sim.params import HubSpec

BOUNDARY = -1
# preference for a hub by where it sits relative to the visitor's section (assumption)
PREFERENCE_OWN_SECTION = 1.0
PREFERENCE_BOUNDARY = 0.6
PREFERENCE_OTHER_SECTION = 0.15


@dataclass(eq=False)
class Hubs:
    specs: list[HubSpec]
    location: np.ndarray  # int: section index, or BOUNDARY
    capacity: np.ndarray  # int visitors per day (scaled to the population)
    open_days: np.ndarray  # bool (n_hubs, 7)
    palatability: np.ndarray  # float 0-1
    closed: np.ndarray  # bool: closed for good (austerity)
    visitors_today: np.ndarray = field(default=None)  # int

    @classmethod
    def build(cls, specs, section_names, n_residents) -> Hubs:
        hubs = cls([], *(np.zeros(0, t) for t in (int, int, bool, float, bool)))
        hubs.open_days = np.zeros((0, 7), dtype=bool)
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
        loc = BOUNDARY if spec.location == "boundary" else section_names.index(spec.location)
        cap = spec.capacity * n_residents / 1000 if spec.capacity_per_1000 else spec.capacity
        mask = np.zeros(7, dtype=bool)
        mask[list(spec.open_days)] = True
        self.specs.append(spec)
        self.location = np.append(self.location, loc)
        self.capacity = np.append(self.capacity, max(int(round(cap)), 0))
        self.open_days = np.vstack([self.open_days, mask])
        self.palatability = np.append(self.palatability, spec.palatability)
        self.closed = np.append(self.closed, False)
        self.visitors_today = np.zeros(self.n, dtype=np.int64)
        return self.n - 1

    def close(self, i: int) -> None:
        self.closed[i] = True

    def reopen(self, i: int) -> None:
        self.closed[i] = False

    def set_open_days(self, i: int, days) -> None:
        self.open_days[i] = False
        self.open_days[i, list(days)] = True
        self.specs[i] = replace(self.specs[i], open_days=tuple(sorted(days)))

    def open_today(self, weekday: int) -> np.ndarray:
        return self.open_days[:, weekday] & ~self.closed & (self.capacity > 0)

    def preference(self, n_sections: int) -> np.ndarray:
        """Preference weight of each section (rows) for each hub (columns)."""
        pref = np.full((n_sections, self.n), PREFERENCE_OTHER_SECTION)
        for h in range(self.n):
            if self.location[h] == BOUNDARY:
                pref[:, h] = PREFERENCE_BOUNDARY
            else:
                pref[self.location[h], h] = PREFERENCE_OWN_SECTION
        return pref

"""Third spaces (library, community cafe, garden): where each sits, how many it holds,
when it is open and how palatable its activity is.
"""

from __future__ import annotations

from dataclasses import dataclass

from sim.params.declare import param

BOUNDARY_NAME = "boundary"  # a hub location between sections (sim.places.BOUNDARY in arrays)


@dataclass(frozen=True)
class HubSpec:
    """A third space: library, community cafe, garden, ..."""

    name: str = param("hub", unit="name", doc="hub name, unique in a scenario")
    kind: str = param("library", unit="label", doc="what kind of place it is (for labels)")
    location: str = param(
        "boundary", unit="section name or 'boundary'", refers_to="section",
        doc="the section it sits in, or 'boundary' for a place between sections",
    )
    capacity: int = param(40, unit="visitors per day", lo=0, hi=1_000_000,
                          doc="visitors a day it holds without crowding (more may come: "
                          "then each visitor's conversations are fewer); per 1,000 residents "
                          "by default, so 40 is 60 a day in a community of 1,500")
    open_days: tuple[int, ...] = param(
        (0, 1, 2, 3, 4, 5), unit="weekdays (0 = Monday)", doc="days of the week it is open",
    )
    palatability: float = param(
        0.4, unit="0-1", lo=0, hi=1,
        doc="how little its activity is framed as help: needs surface more where it is high "
        "(JRF 2015: make kindness palatable)",
    )
    capacity_per_1000: bool = param(
        True, unit="flag",
        doc="if true, capacity is per 1,000 residents and scales with the population",
    )

    def places(self, n_residents: int) -> int:
        """Visitors a day it holds without crowding in a community of ``n_residents``."""
        cap = self.capacity * n_residents / 1000 if self.capacity_per_1000 else self.capacity
        return max(int(round(cap)), 0)


def default_hubs() -> tuple[HubSpec, ...]:
    return (
        HubSpec(name="library", kind="library", location="boundary", capacity=40,
                open_days=(0, 1, 2, 3, 4, 5), palatability=0.4),
        HubSpec(name="cafe", kind="community cafe", location="long_standing", capacity=25,
                open_days=(0, 1, 2, 3, 4, 5, 6), palatability=0.5),
        HubSpec(name="garden", kind="community garden", location="newcomers", capacity=30,
                open_days=(5, 6), palatability=0.7),
    )

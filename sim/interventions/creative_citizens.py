"""creative_citizens: events pairing residents across sections who share one interest."""

from __future__ import annotations

import numpy as np

from sim.interventions.base import Intervention, intervention, seat_in_circles
from sim.params import param


@intervention
class CreativeCitizens(Intervention):
    """"Creative citizens" events (MODEL-NOTES, after JRF 2015): bring together groups with
    a little in common (a choir, a bike-repair night, a seed swap) so that people from
    different sections meet over one shared interest. Form: a cohort of targeted residents
    signs up; at each event the members who come sit with others of the same interest
    (``pop.interest``), seated so that neighbours come from different sections, and only
    the cross-section pairs count as the event's pairings; repeated pairings become ties
    through the model's tie rule, and the shared interest gives the contact a little more
    weight than a chance encounter (common ground; Pettigrew & Tropp 2006 on contact under
    favourable conditions). Sizes are assumptions."""

    type_name = "creative_citizens"

    participants: int = param(80, unit="residents per 1,000 residents", lo=0, hi=1000,
                              doc="residents who sign up (scaled to the population)")
    every_days: int = param(7, unit="days", lo=1, hi=3650,
                            doc="days between events (the first is on start_day)")
    p_attend: float = param(0.7, unit="probability", lo=0, hi=1,
                            doc="chance a participant comes to a given event")
    partners_per_event: int = param(2, unit="residents", lo=0, hi=50,
                                    doc="people each attendee is paired with at an event")
    contact_weight: float = param(
        1.5, unit="x ordinary contact", lo=0, hi=20, uncertain=(1.0, 2.5),
        doc="how much more a pairing over a shared interest moves out-group trust than a "
        "chance encounter",
    )
    palatability: float = param(0.6, unit="0-1", lo=0, hi=1,
                                doc="how readily needs surface in a pairing (not framed as help)")

    def begin(self, model, day) -> None:
        pool = np.flatnonzero(self.targets & day.active)
        k = min(int(round(self.participants * model.pop.n / 1000)), len(pool))
        self.cohort = np.sort(self.rng.choice(pool, size=k, replace=False))
        self.pairings = 0

    def apply(self, model, day) -> None:
        if (day.day - self.start_day) % self.every_days or len(self.cohort) < 2:
            return
        pop = model.pop
        come = self.cohort[(self.rng.random(len(self.cohort)) < self.p_attend)
                           & day.active[self.cohort]]
        a, b = seat_in_circles(come, pop.interest, pop.section, self.partners_per_event,
                               self.rng)
        cross = pop.section[a] != pop.section[b]
        a, b = a[cross], b[cross]
        if len(a) == 0:
            return
        day.add_meetings(a, b, self.contact_weight, self.palatability, True)
        self.pairings += len(a)
        self.reach(a)
        self.reach(b)

    def extra_metrics(self):
        return [self.community_metric(
            "pairings", "cross-section pairings", "Cross-section pairings made so far.",
            "pairings", lambda model, day: getattr(self, "pairings", 0))]

    def resources(self, n_residents: int) -> dict[str, float]:
        """Per year: each event needs a room for 3 hours, 4 hours of a facilitator for
        every 40 participants and is an event (materials, refreshments). Sizes:
        assumptions."""
        events = 365.0 / self.every_days
        facilitators = max(1, -(-int(round(self.participants * n_residents / 1000)) // 40))
        return {"venue_hours": 3.0 * events, "staff_hours": 4.0 * facilitators * events,
                "events": events}

"""common_cause: projects that mix sections around shared values."""

from __future__ import annotations

import numpy as np

from sim.interventions.base import (
    Intervention,
    intervention,
    seat_in_circles,
    weekday_numbers,
)
from sim.params import param


@intervention
class CommonCause(Intervention):
    """Build a common cause (JRF 2015, Allen et al., recommendation 4: "opportunities to come
    together to articulate common values and build common cause to break down barriers and
    misconceptions"): a community project (a campaign, a shared space to restore) whose
    members come from every section. Form: a cohort is recruited in equal numbers from each
    targeted section, favouring orientations drawn to common causes (weights
    common_cause_response: activists most); at weekly sessions members work alongside
    members of other sections. Contact under common goals and cooperation has larger effects
    than ordinary contact (Allport 1954; Pettigrew & Tropp 2006: r about -0.29 under optimal
    conditions against -0.21 overall), so these meetings carry a contact weight above 1, and
    each side's effect is further multiplied by their orientation's common_cause_response.
    Repeated sessions with the same people turn into ties (sim/rules/ties.py)."""

    type_name = "common_cause"

    members: int = param(
        60, unit="residents per 1,000 residents", lo=0, hi=1000, uncertain=(20, 120),
        doc="size of the project's cohort (scaled to the population)",
    )
    session_days: tuple[int, ...] = param(("sat",), unit="weekdays",
                                doc="weekdays with a project session (names mon..sun or 0-6)")
    p_attend: float = param(0.7, unit="probability", lo=0, hi=1,
                            doc="chance a member comes to a given session")
    session_encounters: int = param(
        3, unit="encounters per member", lo=0, hi=50,
        doc="members each member works alongside at a session (seated so that neighbours "
        "come from different sections)",
    )
    contact_weight: float = param(
        2.0, unit="x ordinary contact", lo=0, hi=20, uncertain=(1.2, 3.0),
        doc="how much more a project meeting moves out-group trust than a chance encounter "
        "(Pettigrew & Tropp 2006: optimal-conditions contact about 1.4x as strong; "
        "assumption above that for sustained joint work)",
        source="form Pettigrew & Tropp 2006; size assumption",
    )

    def __post_init__(self):
        super().__post_init__()
        object.__setattr__(self, "session_days", weekday_numbers(self.session_days))

    def begin(self, model, day) -> None:
        pop = model.pop
        size = int(round(self.members * pop.n / 1000))
        sections = np.unique(pop.section[self.targets])
        response = model.profiles.common_cause_response[pop.orientation].astype(float)
        cohort = []
        for k, sec in enumerate(sections):
            pool = np.flatnonzero(self.targets & day.active & (pop.section == sec))
            share = size // len(sections) + (k < size % len(sections))
            take = min(share, len(pool))
            if take:
                w = response[pool] / response[pool].sum()
                cohort.append(self.rng.choice(pool, size=take, replace=False, p=w))
        self.cohort = np.sort(np.concatenate(cohort)) if cohort else np.zeros(0, np.int64)

    def apply(self, model, day) -> None:
        if day.weekday not in self.session_days or len(self.cohort) < 2:
            return
        come = self.cohort[(self.rng.random(len(self.cohort)) < self.p_attend)
                           & day.active[self.cohort]]
        if len(come) < 2:
            return
        a, b = seat_in_circles(come, np.zeros(model.pop.n, np.int64), model.pop.section,
                               self.session_encounters, self.rng)
        day.add_meetings(a, b, self.contact_weight, 0.5, True, common_cause=True)
        self.reach(come)

    def resources(self, n_residents: int) -> dict[str, float]:
        """Per year: each session needs 4 hours of an organiser, a room for 3 hours and is
        an event; the project itself has GBP 20 a member a year for materials. Sizes:
        assumptions."""
        sessions = 52.0 * len(self.session_days)
        members = self.members * n_residents / 1000
        return {"staff_hours": 4.0 * sessions, "venue_hours": 3.0 * sessions,
                "events": sessions, "small_grants_gbp": 20.0 * members}

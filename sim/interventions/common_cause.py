"""common_cause: a project that mixes sections around shared values."""

from __future__ import annotations

import numpy as np

from sim.interventions.base import Intervention, State
from sim.interventions.kernels import active_rows
from sim.interventions.recruitment import recruit_through_ties_param
from sim.params import param
from sim.population import NEVER


class CommonCause(Intervention):
    """Build a common cause (JRF 2015, Allen et al., recommendation 4: "opportunities to come
    together to articulate common values and build common cause to break down barriers and
    misconceptions"): a community project (a campaign, a shared space to restore) whose
    members come from every section.

    Mechanism path: a cohort is recruited in equal numbers from each targeted section
    (through people's ties, favouring orientations drawn to common causes: weights
    common_cause_response, activists most), and residents who commit to join in a
    one-to-one (one_to_ones) come to its sessions while their commitment lasts, and take a
    member's place when one falls vacant (before anyone new is recruited to it); the project
    holds its planned number of places, so joiners cannot grow it beyond what is paid for
    (a user check: a cohort planned at 60 per 1,000 grew to 211 by the end of year two, for
    the same cost) -> at weekly sessions members work alongside members
    of other sections: meetings in the "common_cause" setting -> the contact rule moves
    out-group trust with the meeting's contact weight (contact under common goals and
    cooperation has larger effects than ordinary contact: Allport 1954; Pettigrew & Tropp
    2006, r about -0.29 under optimal conditions against -0.21 overall) and each side's
    response to the setting (common_cause_response) -> repeated sessions with the same
    people leave ties through the tie rule (within budgets), and needs surface as in any
    meeting. Members who move away are replaced at the next session. When the window ends
    the sessions stop: the ties fade unless kept up and trust relaxes toward each
    resident's prior (sim/rules/trust.py). Dose: members per 1,000 residents, sessions a
    week."""

    type_name = "common_cause"
    title = "A common-cause project"
    takes_joiners = True
    recruited_from_targets = {"members": "members"}
    doses = {"members": "has no members", "session_days": "holds no sessions"}
    states = (State("member", bool, False, "holds one of the project's planned places"),
              State("guest_until", np.int32, NEVER,
                    "last day a resident who committed to join in a 1:1, without a place, "
                    "comes to the sessions"))

    members: int = param(
        60, unit="residents per 1,000 residents", lo=0, hi=1000,
        doc="planned size of the project's cohort (scaled to the population); members who "
        "move away are replaced (the dose bought: the council's choice, so robustness does "
        "not sample it)",
    )
    session_days: tuple[int, ...] = param(
        ("sat",), unit="weekdays",
        doc="weekdays with a project session (names mon..sun or 0-6): the sessions a week")
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
    session_palatability: float = param(
        0.5, unit="0-1", lo=0, hi=1,
        doc="how little a session is framed as help (needs surface in proportion)",
    )
    recruit_through_ties: float = recruit_through_ties_param()

    def prepare(self, model) -> None:
        self.planned = int(round(self.members * model.pop.n / 1000))
        self.sections = np.unique(model.pop.section[self.targets])
        self.joined = 0

    def begin(self, model, day) -> None:
        self._fill(model, day)

    def _fill(self, model, day) -> None:
        """Fill the planned places, in equal numbers from each targeted section: first with
        the section's joiners waiting without a place (the longest waiting first), then by
        recruiting."""
        pop = model.pop
        members = np.bincount(pop.section[self.member], minlength=len(pop.section_names))
        response = None
        for k, sec in enumerate(self.sections):
            share = (self.planned // len(self.sections)
                     + (k < self.planned % len(self.sections)))
            short = share - int(members[sec])
            if short > 0 and self.joined:
                waiting = np.flatnonzero((self.guest_until >= day.day) & (pop.section == sec))
                take = waiting[np.argsort(self.guest_until[waiting], kind="stable")[:short]]
                self.member[take] = True
                self.guest_until[take] = NEVER
                short -= len(take)
            if short > 0:
                if response is None:
                    response = model.profiles.common_cause_response[pop.orientation].astype(float)
                here = pop.section == sec
                self.member[self.recruit(model, day, short, among=here & ~self.member,
                                         weight=response)] = True

    def join(self, model, day, residents: np.ndarray, until: int) -> None:
        """Residents who committed to join (in a one-to-one) come to the sessions until day
        ``until`` (their commitment's last), or for good once they take a place
        (:meth:`_fill`). Members already, they are not counted again."""
        fresh = residents[~self.member[residents]]
        self.joined += int(np.count_nonzero(self.guest_until[fresh] < day.day))
        self.guest_until[fresh] = np.maximum(self.guest_until[fresh], until)

    def apply(self, model, day) -> None:
        if day.weekday not in self.session_days:
            return
        self._fill(model, day)
        cohort = active_rows(self.member | (self.guest_until >= day.day), day.active)
        come = cohort[self.rng.random(len(cohort)) < self.p_attend]
        if len(come) < 2:
            return
        a, b = self.circles(model, come, self.session_encounters)
        day.add_meetings(a, b, self.contact_weight,
                         self.delivery.palatability(self.session_palatability), True,
                         setting="common_cause")
        self.reach(come)

    def resources(self, n_residents: int) -> dict[str, float]:
        """Per year: each session needs 4 hours of an organiser, a room for 3 hours and is
        an event; the project itself has GBP 20 a member a year for materials. Sizes:
        assumptions."""
        sessions = 52.0 * len(self.session_days)
        members = self.members * n_residents / 1000
        return {"staff_hours": 4.0 * sessions, "venue_hours": 3.0 * sessions,
                "events": sessions, "small_grants_gbp": 20.0 * members}

    def idle_counts(self, others) -> set[str]:
        """Nobody can join after a 1:1 without a programme of 1:1s that asks them to."""
        if any(iv is not self and iv.sends_joiners() for iv in others):
            return set()
        return {f"{self.name}_joined"}

    def extra_metrics(self):
        return [self.community_metric(
            "joined", "residents who joined after a 1:1",
            "Residents who joined the project's sessions after committing to in a one-to-one, "
            "so far (each comes while the commitment lasts, and stays if a place falls "
            "vacant).",
            "residents", lambda model, day: getattr(self, "joined", 0))]

"""creative_citizens: pairs of small groups from different sections sharing an activity for
weeks."""

from __future__ import annotations

import numpy as np

from sim.interventions.base import Intervention, State
from sim.interventions.recruitment import recruit_through_ties_param
from sim.params import param

NO_PAIRING = -1


class CreativeCitizens(Intervention):
    """"Creative citizens" (the seed blog post, after JRF 2015): "bring groups together that
    have something in common, but only a little. By exploring similarities and differences,
    you start to work out what is welcome and successful about what you usually do", and
    learning what others take for granted suggests changes.

    Mechanism path: in rounds of ``weeks_per_round`` weeks, the programme pairs small groups
    from different sections around one shared interest (a choir of long-standing residents
    and a students' music society; a garden group and a repair cafe): each group is recruited
    in one section among residents with that interest (``pop.interest``; through people's
    ties), and the pair meets weekly for a shared activity -> the same people meet again and
    again across the section line (meetings, seated so that neighbours come from the other
    group), with a little more weight than a chance encounter (common ground: Pettigrew &
    Tropp 2006 on contact under favourable conditions) and a palatable setting -> the
    contact rule moves out-group trust, needs surface, and repeated meetings leave ties
    through the tie rule (within budgets). A new round pairs new groups.

    How the model reads "learning each other's practice": the model has no groups with
    practices of their own (no choir whose habits could change), so what it can represent
    is the weeks of shared activity, and what that leaves behind: cross-section ties that
    last as long as they are kept up, and trust that relaxes toward each resident's prior.
    Changes the groups make to their own activities afterwards are not modelled. When the
    window ends the round in progress stops. Dose: group pairs per round per 1,000
    residents, residents per group, weeks per round, sessions a week."""

    type_name = "creative_citizens"
    across_sections = True
    title = "Creative-citizens pairings"
    doses = {"group_pairs": "forms no groups", "session_days": "holds no sessions"}
    states = (State("pairing", np.int32, NO_PAIRING,
                    "the pair of groups a resident belongs to this round (-1: none)"),)

    group_pairs: int = param(
        2, unit="pairs of groups per round per 1,000 residents", lo=0, hi=1000,
        doc="pairs of groups brought together in each round (scaled to the population)",
    )
    group_size: int = param(10, unit="residents per group", lo=2, hi=200,
                            doc="residents in each group")
    weeks_per_round: int = param(8, unit="weeks", lo=1, hi=520,
                                 doc="how long a pair of groups shares its activity")
    session_days: tuple[int, ...] = param(
        ("thu",), unit="weekdays",
        doc="weekdays the paired groups meet (names mon..sun or 0-6): sessions a week")
    p_attend: float = param(0.75, unit="probability", lo=0, hi=1,
                            doc="chance a group member comes to a given session")
    partners_per_session: int = param(2, unit="residents", lo=0, hi=50,
                                      doc="people each member works with at a session")
    contact_weight: float = param(
        1.5, unit="x ordinary contact", lo=0, hi=20, uncertain=(1.0, 2.5),
        doc="how much more working together over a shared interest moves out-group trust "
        "than a chance encounter",
        source="form Pettigrew & Tropp 2006 (contact under favourable conditions); size "
        "assumption",
    )
    session_palatability: float = param(
        0.6, unit="0-1", lo=0, hi=1,
        doc="how readily needs surface at a session (not framed as help)")
    recruit_through_ties: float = recruit_through_ties_param()

    def prepare(self, model) -> None:
        self.n_pairs = int(round(self.group_pairs * model.pop.n / 1000))
        self.round_start = None
        self.rounds = 0

    def apply(self, model, day) -> None:
        if (self.round_start is None
                or day.day - self.round_start >= 7 * self.weeks_per_round):
            self._new_round(model, day)
        if day.weekday not in self.session_days:
            return
        pop = model.pop
        members = np.flatnonzero((self.pairing >= 0) & day.active)
        come = members[self.rng.random(len(members)) < self.p_attend]
        if len(come) < 2:
            return
        a, b = self.circles(model, come, self.partners_per_session, group=self.pairing)
        cross = pop.section[a] != pop.section[b]
        a, b = a[cross], b[cross]
        if len(a) == 0:
            return
        day.add_meetings(a, b, self.contact_weight,
                         self.delivery.palatability(self.session_palatability), True)
        self.reach(a)
        self.reach(b)

    def _new_round(self, model, day) -> None:
        """Pair new groups: for each pair an interest and two sections at random, and a
        group recruited from each."""
        pop = model.pop
        self.pairing[:] = NO_PAIRING
        self.round_start = day.day
        self.rounds += 1
        sections = np.unique(pop.section[self.targets])
        if len(sections) < 2:
            return
        free = np.ones(pop.n, dtype=bool)
        for k in range(self.n_pairs):
            interest = self.rng.integers(0, int(pop.interest.max()) + 1)
            two = self.rng.choice(sections, size=2, replace=False)
            for sec in two:
                among = free & (pop.section == sec) & (pop.interest == interest)
                group = self.recruit(model, day, self.group_size, among=among)
                self.pairing[group] = k
                free[group] = False

    def end(self, model, day) -> None:
        self.pairing[:] = NO_PAIRING

    def extra_metrics(self):
        return [self.community_metric(
            "rounds", "rounds of paired groups", "Rounds of paired groups begun so far.",
            "rounds", lambda model, day: getattr(self, "rounds", 0))]

    def resources(self, n_residents: int) -> dict[str, float]:
        """Per year: each session of a pair of groups needs a room for 3 hours, 4 hours of a
        facilitator for every 40 in the two groups, and is an event (materials,
        refreshments); rounds run back to back all year. Sizes: assumptions."""
        pairs = int(round(self.group_pairs * n_residents / 1000))
        sessions = 52.0 * len(self.session_days) * pairs
        facilitators = max(1, -(-2 * self.group_size // 40))
        return {"venue_hours": 3.0 * sessions, "staff_hours": 4.0 * facilitators * sessions,
                "events": sessions}

"""one_to_ones: community organisers hold 1:1 conversations."""

from __future__ import annotations

import numpy as np

from sim.interventions.base import Intervention, intervention
from sim.params import ORIENTATIONS, param


@intervention
class OneToOnes(Intervention):
    """Community organising 1:1s (the seed blog post; Migrants Organise training; JRF 2015
    on surfacing needs indirectly): organisers, recruited from the community, each hold a
    number of private, focused conversations a week with targeted residents. Form: each
    conversation is contact; with a chance it becomes a lasting tie; it lowers the
    resident's self-reliance (the sense that one must cope alone: Haslewood, JRF 2014),
    which then drifts back as usual; and a need the resident has surfaces, with a chance, as
    an offer of help from the organiser (the offer path: the helping rule decides, so
    organisers spend energy and can burn out). Sizes are assumptions."""

    type_name = "one_to_ones"

    organisers: int = param(10, unit="residents per 1,000 residents", lo=0, hi=1000,
                            doc="organisers recruited (scaled to the population)")
    organiser_orientations: tuple[str, ...] = param(
        ("activist", "empathic"), unit="orientation names", refers_to="orientation",
        doc="orientations organisers are recruited from; empty = any",
    )
    conversations_per_week: float = param(
        5.0, unit="conversations per organiser per week", lo=0, hi=100,
        doc="1:1s each active organiser holds in a week",
    )
    p_tie: float = param(0.3, unit="probability", lo=0, hi=1,
                         doc="chance a conversation leaves a lasting tie")
    self_reliance_drop: float = param(
        0.08, unit="0-1", lo=0, hi=1, uncertain=(0.03, 0.15),
        doc="fall in the resident's self-reliance after a conversation",
    )
    p_need_surfaces: float = param(
        0.8, unit="probability", lo=0, hi=1,
        doc="chance a resident's outstanding need comes up and becomes an offer of help",
    )

    def begin(self, model, day) -> None:
        pop = model.pop
        pool = day.active & ~pop.is_organiser
        if self.organiser_orientations:
            codes = [ORIENTATIONS.index(o) for o in self.organiser_orientations]
            preferred = pool & np.isin(pop.orientation, codes)
            pool = preferred if preferred.any() else pool
        pool = np.flatnonzero(pool)
        k = min(int(round(self.organisers * pop.n / 1000)), len(pool))
        self.recruits = np.sort(self.rng.choice(pool, size=k, replace=False))
        pop.is_organiser[self.recruits] = True
        self.conversations = 0

    def apply(self, model, day) -> None:
        pop, ties = model.pop, model.ties
        org = self.recruits[day.active[self.recruits]]
        n_talks = self.rng.poisson(self.conversations_per_week / 7.0, len(org))
        if n_talks.sum() == 0:
            return
        pool = np.flatnonzero(self.targets & day.active & ~pop.is_organiser)
        if len(pool) == 0:
            return
        who = np.repeat(org, n_talks)
        partner = pool[self.rng.integers(0, len(pool), len(who))]
        self.conversations += len(who)
        self.reach(partner)
        day.add_meetings(who, partner, 1.0, 0.0, False)
        np.subtract.at(pop.self_reliance, partner, self.self_reliance_drop)
        pop.self_reliance[partner] = np.maximum(pop.self_reliance[partner], 0.0)
        tie = self.rng.random(len(who)) < self.p_tie
        day.queue_ties(who[tie], partner[tie])
        surfaced = (pop.need[partner] > 0) & (self.rng.random(len(who)) < self.p_need_surfaces)
        day.add_offers(who[surfaced], partner[surfaced],
                       ties.find(who[surfaced], partner[surfaced]), asked=False)

    def end(self, model, day) -> None:
        model.pop.is_organiser[self.recruits] = False

    def extra_metrics(self):
        return [self.community_metric(
            "conversations", "1:1 conversations held", "1:1 conversations held so far.",
            "conversations", lambda model, day: getattr(self, "conversations", 0))]

    def resources(self, n_residents: int) -> dict[str, float]:
        """Per year: organisers are volunteers from the community, each with one training
        place, 1.5 hours a week of a paid lead organiser's supervision, and GBP 3 of
        expenses per conversation (a coffee, a bus fare). Sizes: assumptions."""
        organisers = int(round(self.organisers * n_residents / 1000))
        conversations = organisers * self.conversations_per_week * 52
        return {"training_places": float(organisers), "staff_hours": 1.5 * 52 * organisers,
                "small_grants_gbp": 3.0 * conversations}

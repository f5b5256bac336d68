"""critical_friend: a challenger at events who corrects misperceived norms."""

from __future__ import annotations

import numpy as np

from sim.interventions.base import Intervention, intervention
from sim.params import param


@intervention
class CriticalFriend(Intervention):
    """An agent provocateur or critical friend (MODEL-NOTES, after JRF 2015) who challenges
    assumptions: at events (hubs open that day) they talk with people present and correct
    misperceived norms, "nobody round here asks for help" and "those people keep to
    themselves". Form: a conversation lowers the resident's self-reliance and raises their
    trust in other sections a share of the way to 1 (correcting pluralistic ignorance,
    Prentice & Miller 1993); with a small chance the challenge bruises instead: the
    resident's out-group trust falls and their resentment rises, and the norm is not
    corrected. Both then relax as usual. Sizes are assumptions."""

    type_name = "critical_friend"

    friends: int = param(2, unit="residents", lo=0, hi=10_000,
                         doc="critical friends recruited from the community")
    events_per_week: float = param(3.0, unit="events per friend per week", lo=0, hi=7,
                                   doc="events each friend goes to in a week")
    people_per_event: int = param(6, unit="residents", lo=0, hi=1000,
                                  doc="targeted residents a friend talks with at an event")
    self_reliance_drop: float = param(
        0.06, unit="0-1", lo=0, hi=1,
        doc="fall in self-reliance after the norm about asking is challenged",
    )
    trust_out_gain: float = param(
        0.05, unit="share of the gap to 1", lo=0, hi=1,
        doc="rise in trust in other sections after misperceptions are challenged",
    )
    p_bruising: float = param(
        0.05, unit="probability per conversation", lo=0, hi=1, uncertain=(0.01, 0.15),
        doc="chance a challenge bruises instead of persuading",
    )
    bruise_trust_loss: float = param(0.15, unit="share of trust", lo=0, hi=1,
                                     doc="out-group trust lost in a bruising encounter")
    bruise_resentment: float = param(
        0.2, unit="share of the gap to 1", lo=0, hi=1,
        doc="rise in resentment after a bruising encounter",
    )

    def begin(self, model, day) -> None:
        pop = model.pop
        pool = np.flatnonzero(day.active & ~pop.is_critical_friend)
        k = min(self.friends, len(pool))
        self.recruits = np.sort(self.rng.choice(pool, size=k, replace=False))
        pop.is_critical_friend[self.recruits] = True
        self.conversations = 0
        self.bruised = 0

    def after(self, model, day) -> None:
        """Events happen where people gathered today, so the friends act once the day's hub
        visits are known."""
        if day.hub_visits is None or len(self.recruits) == 0:
            return
        pop = model.pop
        going = self.recruits[(self.rng.random(len(self.recruits)) < self.events_per_week / 7)
                              & day.active[self.recruits]]
        present = np.flatnonzero((day.hub_visits >= 0) & self.targets
                                 & ~pop.is_critical_friend)
        if len(going) == 0 or len(present) == 0:
            return
        hubs_used = np.unique(day.hub_visits[present])
        talked = []
        for friend_hub in self.rng.choice(hubs_used, size=len(going)):
            there = present[day.hub_visits[present] == friend_hub]
            k = min(self.people_per_event, len(there))
            talked.append(self.rng.choice(there, size=k, replace=False))
        who = np.concatenate(talked)
        bruise = self.rng.random(len(who)) < self.p_bruising
        self.challenge(pop, who[~bruise])
        self.bruise(pop, who[bruise])
        self.conversations += len(who)
        self.bruised += int(bruise.sum())
        self.reach(who)

    def challenge(self, pop, who: np.ndarray) -> None:
        r, times = np.unique(who, return_counts=True)  # talked with twice: moved twice
        pop.self_reliance[r] = np.maximum(
            pop.self_reliance[r] - times * self.self_reliance_drop, 0.0)
        pop.trust_out[r] = 1.0 - (1.0 - pop.trust_out[r]) * (1.0 - self.trust_out_gain) ** times

    def bruise(self, pop, who: np.ndarray) -> None:
        r, times = np.unique(who, return_counts=True)
        pop.trust_out[r] *= (1.0 - self.bruise_trust_loss) ** times
        pop.resentment[r] = 1.0 - (1.0 - pop.resentment[r]) * (
            1.0 - self.bruise_resentment) ** times

    def extra_metrics(self):
        return [
            self.community_metric(
                "conversations", "challenging conversations",
                "Conversations in which a critical friend challenged assumptions, so far.",
                "conversations", lambda model, day: getattr(self, "conversations", 0)),
            self.community_metric(
                "bruised", "bruising encounters",
                "Challenges that bruised instead of persuading, so far.", "encounters",
                lambda model, day: getattr(self, "bruised", 0), higher_is_better=False),
        ]

    def resources(self, n_residents: int) -> dict[str, float]:
        """Per year: critical friends are paid by the session, 2 hours for each event they
        go to (time there and a debrief), and each has one training place. Sizes:
        assumptions."""
        return {"staff_hours": 2.0 * self.friends * self.events_per_week * 52,
                "training_places": float(self.friends)}

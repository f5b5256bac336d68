"""critical_friend: a challenger in the teams that run the other interventions."""

from __future__ import annotations

import numpy as np

from sim.interventions.base import Intervention, Role
from sim.params import DAYS_PER_MONTH, param


class CriticalFriend(Intervention):
    """An "agent provocateur or critical friend who can ask difficult questions, turn
    suggestions upside down and take ideas to their absurd limit" (the seed blog post, on
    creative citizens, after JRF 2015): a resident elected to sit with the people who plan
    and run the other programmes and challenge their assumptions.

    Mechanism path: at review meetings (``reviews_per_month`` with each team) each friend
    challenges the team on the seed's questions; with a chance (``p_taken_up``) the team
    changes how it delivers its programme -> (1) *who is being missed*: its recruitment
    reaches further past the already connected (Delivery.outreach: the isolated, who
    recruitment through ties passes over, get as good a chance as anyone); (2) *what
    framing bruises*, and *what to stop* (help-framed language, asking people to declare a
    need): its sessions are reframed away from help (Delivery.framing: their palatability
    moves toward 1). What changes is therefore how the other interventions are delivered,
    and the model's rules decide what that does (needs surfacing, who meets whom). Learnt
    practice drifts back into habit with a half-life unless challenges keep it up, so the
    change fades when the friend stops. Alone, with nothing to review, a critical friend
    changes nothing. The friends hold the role critical_friend while the window runs.
    Dose: friends, reviews a month with each team."""

    type_name = "critical_friend"
    title = "A critical friend"
    reviewable = False
    reviews_others = True
    doses = {"friends": "has no critical friends", "reviews_per_month": "holds no reviews"}
    roles = (Role("critical_friend", "Critical friend",
                  doc="a resident who challenges the teams running the other programmes"),)

    friends: int = param(2, unit="critical friends", lo=0, hi=100,
                         doc="critical friends elected from the community")
    reviews_per_month: float = param(
        1.0, unit="reviews a month with each team", lo=0.1, hi=30,
        doc="how often each friend sits in on each other programme's planning and review",
    )
    p_taken_up: float = param(
        0.5, unit="probability per challenge", lo=0, hi=1, uncertain=(0.2, 0.8),
        doc="chance that a team changes its delivery after a friend's challenge (otherwise "
        "the challenge bruises or is ignored, and nothing changes)",
    )
    outreach_step: float = param(
        0.3, unit="share of the gap to full outreach", lo=0, hi=1, uncertain=(0.1, 0.5),
        doc="how far a challenge taken up on who is being missed widens the team's reach "
        "(recruitment through ties gives way to reaching everyone targeted)",
    )
    framing_step: float = param(
        0.3, unit="share of the gap to palatability 1", lo=0, hi=1, uncertain=(0.1, 0.5),
        doc="how far a challenge taken up on framing reframes the team's sessions away from "
        "help",
    )
    practice_half_life_days: float = param(
        180.0, unit="days", lo=1, hi=36_500, uncertain=(60.0, 365.0),
        doc="half-life of a changed practice without further challenge (teams drift back "
        "into habit)",
    )

    def prepare(self, model) -> None:
        self.teams = [iv for iv in model.interventions
                      if iv is not self and getattr(iv, "reviewable", False)]
        self.every = max(int(round(DAYS_PER_MONTH / self.reviews_per_month)), 1)
        self.keep = 0.5 ** (1.0 / self.practice_half_life_days)
        self.challenges = 0
        self.taken_up = 0

    def begin(self, model, day) -> None:
        pool = np.flatnonzero(self.targets & day.active)
        k = min(self.friends, len(pool))
        chosen = self.rng.choice(pool, size=k, replace=False)
        self.role("critical_friend")[chosen] = True
        self.reach(chosen)

    def apply(self, model, day) -> None:
        """Review day: each friend present challenges each team that is running."""
        if (day.day - self.start_day) % self.every:
            return
        friends = np.flatnonzero(self.role("critical_friend") & day.active)
        teams = [iv for iv in self.teams if iv.active_on(day.day)]
        if len(friends) == 0 or not teams:
            return
        for iv in teams:
            took = self.rng.random((len(friends), 2)) < self.p_taken_up
            self.challenges += 2 * len(friends)
            self.taken_up += int(took.sum())
            d = iv.delivery
            d.outreach = 1.0 - (1.0 - d.outreach) * (1.0 - self.outreach_step) ** took[:, 0].sum()
            d.framing = 1.0 - (1.0 - d.framing) * (1.0 - self.framing_step) ** took[:, 1].sum()

    def carry(self, model, day) -> None:
        """Practice drifts back into habit, a little each day."""
        for iv in self.teams:
            iv.delivery.fade(self.keep)

    def extra_metrics(self):
        return [
            self.community_metric(
                "challenges", "challenges put to the teams",
                "Challenges the critical friends put to the teams running the other "
                "programmes, so far (two a friend a team a review: who is missed, framing).",
                "challenges", lambda model, day: getattr(self, "challenges", 0)),
            self.community_metric(
                "taken_up", "challenges taken up",
                "Challenges after which a team changed how it delivers its programme, so far.",
                "challenges", lambda model, day: getattr(self, "taken_up", 0)),
        ]

    def resources(self, n_residents: int) -> dict[str, float]:
        """Per year: critical friends are paid by the session, 3 hours for each round of
        reviews (sitting in on the teams' planning, and preparing), and each has one
        training place. Sizes: assumptions."""
        return {"staff_hours": 3.0 * self.friends * self.reviews_per_month * 12,
                "training_places": float(self.friends)}

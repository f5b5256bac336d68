"""shared_myth: place-story events that raise attachment to the place, spreading along
ties."""

from __future__ import annotations

import numpy as np

from sim.interventions.base import Intervention, intervention
from sim.params import param


@intervention
class SharedMyth(Intervention):
    """Create a shared myth (JRF 2015, Allen et al., recommendation 3: "if people value a
    place, they are prepared to invest in it and in the people who live there"): regular
    place-story events (local history walks, a festival, an oral-history exhibition). Form:
    every ``every_days`` days a share of the targeted residents attend; attendees meet a few
    others there and their place attachment rises a share of the way to 1; the story is
    retold, so each tie of an attendee gains a smaller share (a one-step social contagion,
    as in Cacioppo, Fowler & Christakis 2009 for loneliness). Attachment then relaxes
    toward each resident's own baseline as usual. Sizes are assumptions."""

    type_name = "shared_myth"

    every_days: int = param(28, unit="days", lo=1, hi=3650,
                            doc="days between events (the first is on start_day)")
    share_attending: float = param(
        0.05, unit="share of targeted residents", lo=0, hi=1,
        doc="share of the targeted active residents at each event",
    )
    attachment_gain: float = param(
        0.1, unit="share of the gap to 1", lo=0, hi=1, uncertain=(0.05, 0.25),
        doc="rise in an attendee's place attachment at an event",
    )
    retelling: float = param(
        0.25, unit="share of attendee gain", lo=0, hi=1,
        doc="share of the attendee's gain that each of their ties gains by hearing the story",
    )
    event_encounters: int = param(2, unit="encounters per attendee", lo=0, hi=50,
                                  doc="people each attendee talks with at the event")

    def apply(self, model, day) -> None:
        if (day.day - self.start_day) % self.every_days:
            return
        pool = np.flatnonzero(self.targets & day.active)
        who = pool[self.rng.random(len(pool)) < self.share_attending]
        if len(who) == 0:
            return
        who = self.rng.permutation(who)
        for j in range(1, min(self.event_encounters, len(who) - 1) + 1):
            day.add_meetings(who, np.roll(who, -j), 1.0, 0.5, True)
        att = model.pop.attachment
        att[who] += self.attachment_gain * (1.0 - att[who])
        edges, _ = model.ties.edges_of(who)
        heard = np.setdiff1d(model.ties.dst[edges], who)
        att[heard] += self.retelling * self.attachment_gain * (1.0 - att[heard])
        self.attended[who] = True
        self.reach(who)
        self.reach(heard)

    def prepare(self, model) -> None:
        self.attended = np.zeros(model.pop.n, dtype=bool)  # came to an event (targets only)

    def resources(self, n_residents: int) -> dict[str, float]:
        """Per year: each place-story event takes 12 hours of a community worker (research,
        outreach, running it) plus 4 for every 50 who come, a venue for 4 hours, and is an
        event. Sizes: assumptions."""
        events = 365.0 / self.every_days
        attending = self.share_attending * n_residents
        staff = 12.0 + 4.0 * -(-int(round(attending)) // 50)
        return {"staff_hours": staff * events, "venue_hours": 4.0 * events, "events": events}

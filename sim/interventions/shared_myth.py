"""shared_myth: place-story events whose story changes who visits and who helps."""

from __future__ import annotations

import numpy as np

from sim.interventions.base import Intervention, State
from sim.interventions.kernels import fade_story, story_levers
from sim.interventions.recruitment import recruit_through_ties_param
from sim.params import param

HEARD = 1e-3  # a story held more weakly than this no longer moves anything
_HEARD32 = np.float32(HEARD)  # compared with the float32 story as numpy compares them


class SharedMyth(Intervention):
    """Create a shared myth (JRF 2015, Allen et al., recommendation 3: "if people value a
    place, they are prepared to invest in it and in the people who live there"): regular
    place-story events (local history walks, a festival, an oral-history exhibition) that
    tell the story of the place as one where people look after each other.

    Mechanism path: every ``every_days`` days an event is held at a place; places are filled
    through people's ties; attendees meet a few others there (meetings at a place: contact,
    needs surfacing, a visit that builds attachment through the model's visit rule) and
    carry the story, which their ties hear retold, more weakly (a one-step spread along
    ties) -> the story a resident carries sets two kinds of lever each day: (1) perceived
    norms: that people here help each other and ask each other (Levers.help_norm and
    ask_norm; the helping and asking rules read them with rules.help_weight_norm and
    ask_weight_norm: descriptive norms, Cialdini, Reno & Kallgren 1990; Goldstein, Cialdini
    & Griskevicius 2008) -> who helps; (2) the pull of the neighbourhood's places: residents
    who carry the story go to hubs more (Levers.visit_multiplier; place attachment goes
    with taking part in local life, Lewicka 2005) -> who visits, and visits build
    attachment and meetings through the hub rules. Belonging is never written: it moves
    only through visits and help. The story fades from memory with a half-life, during the
    window and after it, so when the events stop their effect fades. Dose: events a year
    (every_days), places per event per 1,000 residents."""

    type_name = "shared_myth"
    title = "Shared myth (place-story events)"  # the type's name, as reports say it
    recruited_from_targets = {"places_per_event": "places an event"}
    doses = {"places_per_event": "offers no places at its events"}
    states = (State("story", np.float32, 0.0,
                    "how strongly the resident carries the place's story (0-1)"),)

    every_days: int = param(28, unit="days", lo=1, hi=3650,
                            doc="days between events (the first is on start_day)")
    places_per_event: int = param(
        50, unit="places per event per 1,000 residents", lo=0, hi=1000,
        doc="residents who come to each event (scaled to the population)",
    )
    event_encounters: int = param(2, unit="encounters per attendee", lo=0, hi=50,
                                  doc="people each attendee talks with at the event")
    event_palatability: float = param(
        0.5, unit="0-1", lo=0, hi=1,
        doc="how readily needs surface in conversation at an event")
    retelling: float = param(
        0.3, unit="share of the story", lo=0, hi=1, uncertain=(0.0, 0.5),
        doc="how strongly a tie of an attendee carries the story after hearing it retold "
        "(an attendee carries it fully)",
        source="assumption: no study measures a local story's retelling; its plausible range "
        "reaches none, so robustness tries a story that stays with those who came",
    )
    memory_half_life_days: float = param(
        180.0, unit="days", lo=1, hi=36_500, uncertain=(30.0, 365.0),
        doc="half-life of the story in a resident's memory (after the events stop, the "
        "levers it sets fade at this pace)",
        source="assumption: the norm messages measured (Goldstein et al. 2008) act at the "
        "moment of choice, not over months; the plausible range reaches a month, so "
        "robustness tries a story soon forgotten",
    )
    help_norm_shift: float = param(
        0.5, unit="norm shift (-1 to 1) at full story", lo=0, hi=1, uncertain=(0.2, 0.8),
        doc="how far carrying the story shifts the perceived norm that people here help each "
        "other (the helping rule reads it)",
    )
    ask_norm_shift: float = param(
        0.3, unit="norm shift (-1 to 1) at full story", lo=0, hi=1, uncertain=(0.1, 0.6),
        doc="how far carrying the story shifts the perceived norm that people here ask each "
        "other for help (the asking rule reads it)",
    )
    visit_pull: float = param(
        0.3, unit="x per unit of story", lo=0, hi=5, uncertain=(0.1, 0.6),
        doc="carrying the story multiplies a resident's daily chance of visiting a hub by 1 + "
        "this x the story",
        source="direction Lewicka 2005 (place attachment goes with taking part in local "
        "life); size assumption",
    )
    recruit_through_ties: float = recruit_through_ties_param()

    def prepare(self, model) -> None:
        self.attended = np.zeros(model.pop.n, dtype=bool)  # came to an event (targets only)
        self.keep = 0.5 ** (1.0 / self.memory_half_life_days)
        self._keep32 = np.float32(self.keep)  # the story is float32, and fades in float32
        self.events = 0

    def apply(self, model, day) -> None:
        if (day.day - self.start_day) % self.every_days:
            return
        pop = model.pop
        who = self.recruit(model, day, int(round(self.places_per_event * pop.n / 1000)))
        if len(who) == 0:
            return
        self.events += 1
        a, b = self.circles(model, who, self.event_encounters)
        day.add_meetings(a, b, 1.0, self.delivery.palatability(self.event_palatability), True)
        self.story[who] = 1.0
        edges, _ = model.ties.edges_of(who)
        heard = np.setdiff1d(model.ties.dst[edges], who)
        self.story[heard] += self.retelling * (1.0 - self.story[heard])
        self.attended[who] = True
        self.reach(who)
        self.reach(heard)

    def carry(self, model, day) -> None:
        """The story fades from memory; what is left of it sets the day's levers
        (sim.interventions.kernels: fade_story, story_levers)."""
        if fade_story(self.story, self._keep32, _HEARD32) == 0:
            return
        levers, n = day.levers, model.pop.n
        story_levers(self.story, _HEARD32, float(self.help_norm_shift),
                     float(self.ask_norm_shift), float(self.visit_pull),
                     levers.rows("help_norm", n), levers.rows("ask_norm", n),
                     levers.rows("visit_multiplier", n))

    def extra_metrics(self):
        return [self.community_metric(
            "carrying_story", "residents carrying the story",
            "Residents who carry the place's story at least a tenth as strongly as an "
            "attendee, now (it fades with memory_half_life_days).", "residents",
            lambda model, day: int((getattr(self, "story", np.zeros(0)) >= 0.1).sum()),
            now=True)]

    def resources(self, n_residents: int) -> dict[str, float]:
        """Per year: each place-story event takes 12 hours of a community worker (research,
        outreach, running it) plus 4 for every 50 who come, a venue for 4 hours, and is an
        event. Sizes: assumptions."""
        events = 365.0 / self.every_days
        attending = self.places_per_event * n_residents / 1000
        staff = 12.0 + 4.0 * -(-int(round(attending)) // 50)
        return {"staff_hours": staff * events, "venue_hours": 4.0 * events, "events": events}

"""palatable_activity: reframe activity at hubs away from "help", with gentle sessions."""

from __future__ import annotations

import numpy as np

from sim.interventions.base import Intervention
from sim.interventions.kernels import reach_visitors
from sim.interventions.recruitment import recruit_through_ties_param
from sim.interventions.third_space import VISIT_ELASTICITY_DOC, scale_visits
from sim.params import param


class PalatableActivity(Intervention):
    """Make kindness palatable (JRF 2015, Allen et al., recommendation 1): activity at the
    chosen hubs is reframed away from "help" (a craft table, a lunch club, a repair cafe), so
    that needs come up indirectly in conversation.

    Mechanism path: framing (a lever) -> the hubs' palatability for the window -> the chance
    that a need surfaces in an encounter there (sim/rules/encounters.py) and, as places people
    would rather go to, more visits (``visit_elasticity``, the same rule as third_space) ->
    offers of help the helping rule decides on. The organisers also run gentle sessions on
    set weekdays: places are filled by recruitment through people's ties (the isolated are
    missed unless a critical friend's challenge widens the reach), attendees meet in a
    circle in a highly palatable setting, and the encounter rules do the rest. When the
    window ends the hubs go back to their usual framing and the sessions stop; ties made
    there fade unless kept up. Dose: sessions a week (``session_days``) and places per
    session per 1,000 residents. Sizes are assumptions."""

    type_name = "palatable_activity"
    title = "Palatable activity at the hubs"
    recruited_from_targets = {"places_per_session": "places a session"}

    hubs: tuple[str, ...] = param(
        (), unit="hub names", refers_to="hub",
        doc="hubs whose activity is reframed; empty = every hub",
    )
    palatability_boost: float = param(
        0.4, unit="0-1 added", lo=0, hi=1, uncertain=(0.2, 0.6),
        doc="added to the hubs' palatability (capped at 1) while the intervention runs: how "
        "far their activity is reframed away from help",
    )
    session_days: tuple[int, ...] = param(
        ("mon", "wed", "fri"), unit="weekdays",
        doc="weekdays with a gentle activity session (names mon..sun or 0-6): the sessions a "
        "week; empty = none",
    )
    places_per_session: int = param(
        40, unit="places per session per 1,000 residents", lo=0, hi=10_000,
        doc="residents who come to each session (scaled to the population)",
    )
    session_palatability: float = param(
        0.9, unit="0-1", lo=0, hi=1,
        doc="how little the session is framed as help (needs surface in proportion)",
    )
    session_encounters: int = param(
        3, unit="encounters per attendee", lo=0, hi=50,
        doc="people each attendee talks with during a session",
    )
    visit_elasticity: float = param(0.5, unit="elasticity", lo=0, hi=2, uncertain=(0.0, 1.0),
                                    doc=VISIT_ELASTICITY_DOC)
    recruit_through_ties: float = recruit_through_ties_param()

    def prepare(self, model) -> None:
        # a hub opened later by another intervention (third_space) is looked up each day
        later = {h for iv in model.interventions for h in iv.hubs_opened()}
        unknown = [h for h in self.hubs if h not in model.hubs.names and h not in later]
        if unknown:
            raise ValueError(f"{self.name}: unknown hubs {unknown}; the scenario has "
                             f"{model.hubs.names + sorted(later)}")
        self.session_attendees = int(round(self.places_per_session * model.pop.n / 1000))

    def _chosen(self, hubs) -> tuple[np.ndarray, np.ndarray]:
        """The chosen hubs' indices, and a bool per hub with one place more, last, for no
        hub (-1), true at the chosen ones (worked out again only when a hub opens)."""
        kept = getattr(self, "_kept_chosen", None)
        if kept is None or kept[0] != hubs.n:
            if not self.hubs:
                chosen = np.arange(hubs.n)
            else:
                chosen = np.array([hubs.index(h) for h in self.hubs if h in hubs.names],
                                  dtype=np.int64)
            mask = np.zeros(hubs.n + 1, dtype=bool)
            mask[chosen] = True
            kept = self._kept_chosen = (hubs.n, chosen, mask)
        return kept[1], kept[2]

    def apply(self, model, day) -> None:
        boost = day.levers.hub_palatability_boost
        if boost is not None:
            if len(boost) < model.hubs.n:  # a hub opened today by another intervention
                boost = np.append(boost, np.zeros(model.hubs.n - len(boost)))
                day.levers.hub_palatability_boost = boost
            chosen, raised, palat = self._reframing(model.hubs)
            boost[chosen] += raised
            self._draw_visits(model, day, chosen, palat)
        if day.weekday in self.session_days and self.session_attendees >= 2:
            self._run_session(model, day)

    def _reframing(self, hubs) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The chosen hubs, how much reframing adds to their palatability, and every hub's
        palatability with theirs reframed: worked out again only when a hub opens, a hub's
        palatability changes or the framing the team has learnt does."""
        key = (hubs.n, self.delivery.framing, hubs.palatability.tobytes())
        kept = getattr(self, "_kept_reframing", None)
        if kept is None or kept[0] != key:
            chosen = self._chosen(hubs)[0]
            reframed = self._reframed(hubs.palatability[chosen])
            palat = hubs.palatability.copy()
            palat[chosen] = reframed
            kept = self._kept_reframing = (key, chosen, reframed - hubs.palatability[chosen],
                                           palat)
        return kept[1], kept[2], kept[3]

    def _reframed(self, usual: np.ndarray) -> np.ndarray:
        """The chosen hubs' palatability while reframed: the boost (capped at 1), then the
        framing the team has learnt from a critical friend (Delivery)."""
        designed = np.minimum(usual + self.palatability_boost, 1.0)
        return designed + self.delivery.framing * (1.0 - designed)

    def _draw_visits(self, model, day, chosen: np.ndarray, palat: np.ndarray) -> None:
        """Reframed hubs pull more visitors: the pull of today's open hubs reframed
        (``palat``: every hub's palatability, the chosen ones' reframed) over their pull as
        usual, to the power visit_elasticity."""
        open_now = model.hubs.open_today(day.weekday)
        if open_now[chosen].any():
            scale_visits(model, day, self.visit_elasticity, open_now, open_now, palat)

    def _run_session(self, model, day) -> None:
        """A session: attendees recruited among the targeted active residents sit in a circle
        and each talks with the next few (as at a hub: the encounter rules do the rest)."""
        who = self.recruit(model, day, self.session_attendees)
        if len(who) < 2:
            return
        a, b = self.circles(model, who, self.session_encounters)
        day.add_meetings(a, b, 1.0, self.delivery.palatability(self.session_palatability),
                         True)
        self.reach(who)

    def after(self, model, day) -> None:
        if day.hub_visits is not None:
            reach_visitors(day.hub_visits, self._chosen(model.hubs)[1], self.targets,
                           self.reached)

    def idle_parts(self) -> list[tuple[str, str]]:
        """With no sessions (no session days, or no places) only the reframing of the hubs
        acts, and is costed; without a reframing either it does nothing, its reframing's
        staff still costed (a user check: told "does nothing" of a file whose reframing
        alone was the report's best pick)."""
        if self.session_days and self.places_per_session:
            return []
        field, given = (("session_days", "session_days is empty") if not self.session_days
                        else ("places_per_session", "places_per_session = 0"))
        if self.palatability_boost:
            return [(field, f"'{self.label}' holds no sessions ({given}): only its reframing "
                     f"of the hubs acts (palatability_boost = {self.palatability_boost:g}), "
                     "and only that is costed; for sessions, give session_days and "
                     "places_per_session, and for no programme, remove this "
                     "[[interventions]] table")]
        return [(field, f"'{self.label}' holds no sessions ({given}) and reframes no hub "
                 "(palatability_boost = 0), so it does nothing, yet its cost is counted; "
                 "give it sessions or a reframing, or remove this [[interventions]] table")]

    def resources(self, n_residents: int) -> dict[str, float]:
        """Per year: each session needs a room for 2 hours, 3 hours of a facilitator for
        every 20 attendees and is an event (refreshments, materials); reframing each hub's
        activity takes 2 staff hours a week and one training place a year. "Every hub" is
        counted as the baseline's three. Sizes: assumptions."""
        n_hubs = len(self.hubs) or 3
        attendees = self.places_per_session * n_residents / 1000
        sessions = 52 * len(self.session_days) if attendees >= 2 else 0
        facilitators = max(1, -(-int(round(attendees)) // 20))
        return {"venue_hours": 2.0 * sessions,
                "staff_hours": 3.0 * facilitators * sessions + 2.0 * 52 * n_hubs,
                "events": float(sessions), "training_places": float(n_hubs)}

"""third_space: open a new hub, or keep an existing one open on more days."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from types import MappingProxyType

import numpy as np

from sim.interventions.base import Intervention
from sim.interventions.kernels import reach_visitors
from sim.params import BOUNDARY_NAME, WEEKDAYS, HubSpec, param, weekday_numbers
from sim.rules.encounters import pull_ratio


def visit_multiplier(model, elasticity: float, open_with: np.ndarray,
                     open_without: np.ndarray,
                     palatability_with: np.ndarray | None = None) -> np.ndarray:
    """Per section: how much a change in the places on offer changes the daily chance of
    going to one, (pull with / pull without) ** elasticity, where pull sums, over the open
    hubs, the pull the visit rule chooses hubs by (sim.rules.encounters.hub_pull;
    ``palatability_with``: the hubs' palatability with the change, default as they are).
    Sections with nothing open either way keep 1 (the visit rule already sends nobody
    anywhere then)."""
    hubs, p = model.hubs, model.params.rules
    palat = hubs.palatability
    ratio = pull_ratio(hubs.preference(len(model.pop.section_names), p), p.palatability_pull,
                       palat if palatability_with is None else palatability_with, open_with,
                       palat, open_without)
    return ratio ** elasticity


HOURS_OPEN_A_DAY = 6.0  # hours a programme's hub is open on a day it opens (assumption)
VISIT_SCALES_KEPT = 64  # at most this many kept multipliers per model (days x framings)


def scale_visits(model, day, elasticity: float, open_with: np.ndarray,
                 open_without: np.ndarray, palatability_with: np.ndarray | None = None,
                 among: np.ndarray | None = None) -> None:
    """Multiply today's hub-visit lever, per section, by how much more (or less) the places
    on offer with the intervention draw than without it (:func:`visit_multiplier`): the one
    rule third_space, hub_closure and palatable_activity share. With ``among`` (a bool per
    resident), only those residents' lever moves: those a programme's outreach invites."""
    hubs = model.hubs
    # the same hubs, days and framing give the same multipliers: kept per model (residents
    # keep their section for good: newcomers take a mover's section)
    key = (elasticity, hubs.n, open_with.tobytes(), open_without.tobytes(),
           hubs.palatability.tobytes(),
           None if palatability_with is None else palatability_with.tobytes(),
           None if among is None else among.tobytes())
    kept = model.__dict__.setdefault("_visit_scales", {})
    per_resident = kept.get(key)
    if per_resident is None:
        per_resident = visit_multiplier(model, elasticity, open_with, open_without,
                                        palatability_with)[model.pop.section]
        if among is not None:
            per_resident = np.where(among, per_resident, 1.0)
        if len(kept) >= VISIT_SCALES_KEPT:
            kept.clear()
        kept[key] = per_resident
    lever = day.levers.visit_multiplier
    if isinstance(lever, np.ndarray) and lever.shape == per_resident.shape:
        lever *= per_resident  # the day's own array (a product made here, or Levers')
    else:
        day.levers.visit_multiplier = lever * per_resident


def default_new_hub() -> HubSpec:
    return HubSpec(name="community_space", kind="community cafe", location=BOUNDARY_NAME,
                   capacity=30, open_days=(0, 2, 4, 5), palatability=0.6)


VISIT_ELASTICITY_DOC = (
    "how far a change in the places on offer changes how often residents go out to one: "
    "the daily chance of a visit is multiplied by (pull with / pull without) to this power, "
    "where pull sums the open hubs' attraction for the resident's section. 0 = people go out "
    "as often whatever is open; 1 = in proportion to what is on offer (Ferguson 2017: a "
    "welcoming place makes a big difference; size assumption)"
)


class ThirdSpace(Intervention):
    """Build hubs of helping and third spaces (JRF 2015, Allen et al., recommendation 5;
    Ferguson 2017, "the middle layer": a welcoming place to meet or bump into each other
    makes a big difference): a new hub opens for the window (``hub``: where it sits, its
    capacity, opening days and palatability), or an existing one (``extend_hub``) opens on
    extra weekdays.

    Mechanism path: a hub schedule (a lever) -> more places on offer draw more visits
    (``visit_elasticity``: the daily chance of going out is scaled by the pull of what is
    open, sim.rules.encounters.hub_pull) -> visitors talk with others there (fewer when
    crowded) -> contact moves trust (across sections at a boundary hub), needs surface with
    the hub's palatability, visits build attachment, and repeated meetings leave ties
    through the tie rule. A critical friend's challenges to its framing raise the new hub's
    palatability (a lever: how little its activity is framed as help). Targeting
    (``target_sections``, ``target_orientations``) is the programme's outreach: only the
    targeted residents are drawn out more by what it adds (their visit lever moves); the hub
    stays open to anyone who goes out, who chooses among the open hubs as always, and the
    targeted among its visitors are whom it reaches. When the window ends
    the new hub closes (or the extra days stop); the ties made there fade unless kept up,
    and trust and attachment relax through the model's rules. Dose: the hub's capacity
    (visitors a day per 1,000 residents) and opening days."""

    type_name = "third_space"
    title = "A new hub or third space"
    hubs_from_start = {"extend_hub": "a programme's own hub opens on the days its hub table's "
                                     "open_days list"}
    one_at_a_time = ("extend_hub",)
    # fields that mean nothing while a new hub is set (value_problems refuses both): the
    # live page hides them then (a user check read "Extend hub (not set)" under the new hub)
    instead_of_table = {"hub": ("extend_hub", "extra_open_days")}

    hub: HubSpec | None = param(
        None, unit="hub table",
        doc="the new hub (name, kind, location, capacity, open_days, palatability); empty "
        "with extend_hub set = extend that hub instead; both empty = a boundary community "
        "cafe open four days a week",
    )
    extend_hub: str = param("", unit="hub name", refers_to="hub",
                            doc="an existing hub to open on more days instead of a new one")
    extra_open_days: tuple[int, ...] = param(
        (), unit="weekdays", doc="weekdays added to extend_hub's opening (names mon..sun or 0-6)",
    )
    visit_elasticity: float = param(0.5, unit="elasticity", lo=0, hi=2, uncertain=(0.0, 1.0),
                                    doc=VISIT_ELASTICITY_DOC)
    visitors_per_worker: float = param(
        30.0, unit="places per paid worker on shift", lo=1, hi=1000,
        doc="for the cost only: the hub has one paid worker on shift for every this many "
        "visitors a day it holds (at least one; volunteers do the rest), so a bigger hub "
        "costs more to staff",
        source="assumption (one community worker hosting a drop-in of about 30 a day with "
        "volunteers; check against your own staffing)")

    @classmethod
    def value_problems(cls, values: dict) -> list[tuple[str, str]]:
        if values.get("hub") is not None and values.get("extend_hub"):
            return [("extend_hub", "set either hub (a new hub) or extend_hub (more days at "
                     "an existing hub), not both")]
        return []

    def check(self) -> None:
        hub = self.hub
        if hub is None and not self.extend_hub:
            hub = default_new_hub()
        if hub is not None:
            hub = replace(hub, open_days=weekday_numbers(hub.open_days))
        self._set("hub", hub)

    def idle_parts(self) -> list[tuple[str, str]]:
        """A new hub that opens on no days does nothing, and costs nothing (a user check:
        it ran unsaid)."""
        if self.hub is not None and not self.hub.open_days:
            return [("hub.open_days", f"'{self.label}' opens its hub on no days (open_days is "
                     "empty), so it does nothing; list the days it opens, e.g. open_days = "
                     '["sat"], or remove this [[interventions]] table')]
        return []

    def idle_at_hubs(self, hubs: dict) -> list[tuple[str, str]]:
        """Extending a hub by no days, or by days it opens on already, does nothing there (a
        user check: both ran silently, every effect 0.0)."""
        spec = hubs.get(self.extend_hub) if self.hub is None else None
        if spec is None:
            return []
        usual = set(weekday_numbers(spec.open_days))
        asked = set(self.extra_open_days)
        closed = [WEEKDAYS[d] for d in range(7) if d not in usual]
        if not asked:
            return [("extra_open_days", f"'{self.label}' adds no days to '{self.extend_hub}' "
                     "(extra_open_days is empty), so it does nothing; list the weekdays to "
                     f"add ({', '.join(closed) or 'none: it opens every day'})")]
        already = [WEEKDAYS[d] for d in sorted(asked & usual)]
        if not already:
            return []
        if asked <= usual:
            return [("extra_open_days", f"'{self.label}' adds no days: '{self.extend_hub}' "
                     f"already opens on {', '.join(already)}, so it does nothing; "
                     + (f"give days it is closed ({', '.join(closed)})" if closed
                        else "it opens every day already: remove this table"))]
        added = [WEEKDAYS[d] for d in sorted(asked - usual)]
        return [("extra_open_days", f"'{self.extend_hub}' already opens on "
                 f"{', '.join(already)}: '{self.label}' adds only {', '.join(added)}")]

    def hubs_opened(self) -> tuple[str, ...]:
        return (self.hub.name,) if self.hub is not None else ()

    def prepare(self, model) -> None:
        self.everyone = bool(self.targets.all())  # no outreach to some: everyone drawn out
        names = model.hubs.names
        if self.hub is not None and self.hub.name in names:
            raise ValueError(f"{self.name}: a hub named {self.hub.name!r} already exists")
        if self.extend_hub and self.extend_hub not in names:
            raise ValueError(f"{self.name}: unknown hub {self.extend_hub!r}; the scenario "
                             f"has {names}")

    def begin(self, model, day) -> None:
        hubs = model.hubs
        if self.hub is not None:
            self.index = hubs.add(self.hub, list(model.pop.section_names), model.pop.n)
            boost = day.levers.hub_palatability_boost
            if boost is not None and len(boost) < hubs.n:
                day.levers.hub_palatability_boost = np.append(
                    boost, np.zeros(hubs.n - len(boost)))
        else:
            self.index = hubs.index(self.extend_hub)
            self.usual_days = hubs.specs[self.index].open_days
            hubs.set_open_days(self.index, set(self.usual_days) | set(self.extra_open_days))

    def _adds_today(self, weekday: int) -> bool:
        """Whether the hub is open today only because of the intervention."""
        return self.hub is not None or weekday not in self.usual_days

    def apply(self, model, day) -> None:
        hubs = model.hubs
        open_now = hubs.open_today(day.weekday)
        if not open_now[self.index] or not self._adds_today(day.weekday):
            return  # today is like any day without the intervention
        palat = None
        if self.hub is not None and self.delivery.framing > 0:
            designed = float(hubs.palatability[self.index])
            boost = day.levers.hub_palatability_boost
            boost[self.index] += self.delivery.palatability(designed) - designed
            palat = hubs.palatability.copy()
            palat[self.index] = min(palat[self.index] + boost[self.index], 1.0)
        without = open_now.copy()
        without[self.index] = False
        scale_visits(model, day, self.visit_elasticity, open_now, without, palat,
                     None if self.everyone else self.targets)

    def after(self, model, day) -> None:
        if day.hub_visits is not None and self._adds_today(day.weekday):
            reach_visitors(day.hub_visits, self._visited(model.hubs), self.targets,
                           self.reached)

    def _visited(self, hubs) -> np.ndarray:
        """A bool per hub, with one place more, last, for no hub (-1), true at this one
        (made again only when a hub opens)."""
        mask = getattr(self, "_kept_visited", None)
        if mask is None or len(mask) != hubs.n + 1:
            mask = self._kept_visited = np.zeros(hubs.n + 1, dtype=bool)
            mask[self.index] = True
        return mask

    def end(self, model, day) -> None:
        if self.hub is not None:
            model.hubs.close(self.index)
        else:
            model.hubs.set_open_days(self.index, self.usual_days)

    def resources(self, n_residents: int, *,
                  hubs: Mapping[str, HubSpec] = MappingProxyType({})) -> dict[str, float]:
        """Per year: the hub is open 6 hours on each day the programme adds (every opening
        day of a new hub; the extra days of an extended one that it did not open already,
        when the scenario's ``hubs`` say which), which is that many hours of a venue, and of
        paid work on shift: one worker for every ``visitors_per_worker`` places the hub has
        at this size (at least one; volunteers do the rest). Hours a day: an assumption."""
        if self.hub is not None:
            days, places = set(self.hub.open_days), self.hub.places(n_residents)
        else:
            extended = hubs.get(self.extend_hub)
            usual = set(weekday_numbers(extended.open_days)) if extended else set()
            days = set(self.extra_open_days) - usual
            places = extended.places(n_residents) if extended else 0
        hours = HOURS_OPEN_A_DAY * len(days) * 52
        workers = max(1.0, places / self.visitors_per_worker)
        return {"venue_hours": hours, "staff_hours": hours * workers}

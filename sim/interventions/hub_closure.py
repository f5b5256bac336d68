"""hub_closure: a hub closes (austerity is a scenario too)."""

from __future__ import annotations

import numpy as np

from sim.interventions.base import Intervention
from sim.interventions.third_space import VISIT_ELASTICITY_DOC, scale_visits
from sim.params import param
from sim.places import BOUNDARY


class HubClosure(Intervention):
    """The opposite of building third spaces (JRF 2015, Allen et al., recommendation 5;
    Ferguson 2017): a library or community cafe closes, for instance under austerity.

    Mechanism path: a hub schedule (a lever: the named hub closes for the window, and
    reopens after ``end_day`` if one is set) -> its visitors go elsewhere, crowding the
    hubs left, and fewer places on offer draw fewer visits (``visit_elasticity``, the same
    rule as third_space) -> fewer conversations, so less contact across sections, fewer
    needs surfacing, fewer visits building attachment and fewer new ties, through the
    model's hub rules. Residents reached are the targeted residents of the hub's own
    section (everyone, for a hub on a boundary)."""

    type_name = "hub_closure"
    title = "A hub closes"
    reviewable = False  # nothing is delivered for a critical friend to challenge
    fundable = False  # a loss to weigh, not a programme to fund
    hubs_from_start = {"hub": "to close a hub a programme opens, give that programme an "
                              "end_day"}
    one_at_a_time = ("hub",)
    shuts_hub = "hub"
    # whom it "reaches": the residents who lose the hub, not people it serves
    reached_words = ("residents affected",
                     "Residents who lose the hub '{label}' closes: the targeted residents of "
                     "its section (everyone, for a hub on a boundary).")

    hub: str = param("library", unit="hub name", refers_to="hub", doc="the hub that closes")
    visit_elasticity: float = param(0.5, unit="elasticity", lo=0, hi=2, uncertain=(0.0, 1.0),
                                    doc=VISIT_ELASTICITY_DOC)

    def prepare(self, model) -> None:
        if self.hub not in model.hubs.names:
            raise ValueError(f"{self.name}: unknown hub {self.hub!r}; the scenario has "
                             f"{model.hubs.names}")

    def begin(self, model, day) -> None:
        hubs, pop = model.hubs, model.pop
        self.index = hubs.index(self.hub)
        hubs.close(self.index)
        where = hubs.location[self.index]
        local = np.ones(pop.n, bool) if where == BOUNDARY else pop.section == where
        self.reach(np.flatnonzero(local & self.targets))

    def apply(self, model, day) -> None:
        hubs = model.hubs
        would_open = hubs.open_days[self.index, day.weekday] and hubs.capacity[self.index] > 0
        if not would_open:
            return  # it would have been shut today anyway
        open_now = hubs.open_today(day.weekday)
        usual = open_now.copy()
        usual[self.index] = True
        scale_visits(model, day, self.visit_elasticity, open_now, usual)

    def end(self, model, day) -> None:
        model.hubs.reopen(self.index)

    def resources(self, n_residents: int) -> dict[str, float]:
        """A closure uses nothing."""
        return {}

    def savings(self, n_residents: int) -> dict[str, float]:
        """A year of running the hub for each year it is closed (priced as ``hub_years`` in
        data/unit_costs.toml, an assumption a scenario's ``[costs]`` can replace with the
        hub's own budget)."""
        return {"hub_years": 1.0}

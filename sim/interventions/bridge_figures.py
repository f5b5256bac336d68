"""bridge_figures: recruit residents as bonders and bridges who introduce people across
sections."""

from __future__ import annotations

import numpy as np

from sim.draws import stream
from sim.interventions.base import Intervention, Role
from sim.interventions.kernels import (
    active_rows,
    bridge_callers,
    introduce_across,
)
from sim.interventions.recruitment import recruit_through_ties_param
from sim.network import sampled_betweenness
from sim.params import param

PARTNER_ROUNDS = 20  # draws per call before a figure gives up on calling today


class BridgeFigures(Intervention):
    """Nurture bonders and bridges (JRF 2015, Allen et al., recommendation 2): residents who
    link sections are recruited, trained and supported, and "visit across sections and
    introduce people".

    Mechanism path: recruits take the role of bridge figure (declared here, held while the
    window runs) -> each day they act as introducers (a lever the model's introduction rule
    reads: with a daily chance a figure introduces two of their ties from different
    sections, triadic closure through a broker, sim/rules/ties.py) -> and each week they
    call on a few residents of other sections, introducing each to one of their own ties
    -> the three meet: contact moves trust, needs surface, and the tie rule decides whether
    a tie forms (a chance per meeting, within everyone's tie budget: no tie by fiat).
    Recruits are chosen among the targeted residents by network betweenness (brokers on
    many shortest paths, Freeman 1977; sampled as in Brandes & Pich 2007) or at random; the
    residents they call on are found through people's ties unless a critical friend widens
    the reach. When the window ends they stop acting as bridge figures; the ties they
    helped make fade unless kept up. Dose: bridge figures per 1,000 residents, calls a week
    each."""

    type_name = "bridge_figures"
    across_sections = True
    recruited_from_targets = {"figures": "bridge figures"}
    doses = {"figures": "recruits no bridge figures"}
    planned_staff = ("figures", "bridge figures")
    title = "Bridge figures"
    roles = (Role("bridge_figure", "Bridge figure", staff=True,
                  doc="a resident trained and supported to introduce people across sections"),)

    figures: float = param(
        20.0, unit="bridge figures per 1,000 residents", lo=0, hi=500,
        doc="residents recruited, trained and supported as bridge figures (scaled to the "
        "population; the dose bought: the council's choice, so robustness does not sample "
        "it)",
    )
    choose_by: str = param(
        "betweenness", unit="method", choices=("betweenness", "random"),
        doc="how recruits are chosen among the targeted residents",
    )
    betweenness_samples: int = param(
        64, unit="source residents", lo=1, hi=100_000,
        doc="sources sampled to estimate betweenness (more is slower and more exact)",
    )
    visits_per_week: float = param(
        3.0, unit="calls per bridge figure per week", lo=0, hi=50,
        doc="calls a bridge figure makes on residents of other sections, introducing each to "
        "one of their own ties",
    )
    recruit_through_ties: float = recruit_through_ties_param()

    def begin(self, model, day) -> None:
        pop = model.pop
        pool = np.flatnonzero(self.targets & day.active & ~pop.is_bridge)
        want = int(round(self.figures * pop.n / 1000))
        self.recruits = self.choose_figures(model, pool, min(want, len(pool)))
        self.role("bridge_figure")[self.recruits] = True
        self.reach(self.recruits)

    def apply(self, model, day) -> None:
        """The figures introduce their ties (the introduction rule), and make calls across
        sections: figure b calls on v (another section) and introduces v to x, one of b's
        own ties; the three meet."""
        pop, ties = model.pop, model.ties
        holders = active_rows(self.role("bridge_figure"), day.active)
        if len(holders) == 0:
            return
        levers = day.levers
        if levers.introducers is None:
            levers.introducers = np.zeros(pop.n, dtype=bool)
        # today's introducers (the introduction rule reads them), and their calls
        b = bridge_callers(holders, self.rng, self.visits_per_week / 7.0, ties.indptr,
                           levers.introducers)
        if len(b) == 0:
            return
        # v: an active resident of another section, found the way the programme recruits
        # (through people's ties, unless it reaches out): draws in proportion to that
        # weight, a caller's draw from their own section or of someone stepped back drawn
        # again (PARTNER_ROUNDS rounds; callers still without anyone make no call today);
        # x: one of b's ties, drawn at random (not v), for each call made; v and x are
        # reached; b meets v, x meets v
        a, v = introduce_across(stream(self.rng), b, self.cumulative_weights(model),
                                model.pop.section, day.active, ties.indptr, ties.dst,
                                self.reached, PARTNER_ROUNDS)
        palatability = self.delivery.palatability(model.params.rules.introduction_palatability)
        day.add_meetings(a, v, 1.0, palatability, False)

    def choose_figures(self, model, pool: np.ndarray, k: int) -> np.ndarray:
        """The k residents of ``pool`` with the highest betweenness (or at random).

        Betweenness is estimated from ``betweenness_samples`` sources drawn from this
        intervention's stream (sim.network.sampled_betweenness: Brandes's algorithm, sampled
        as in Brandes & Pich 2007); ties are broken at random."""
        if k <= 0:
            return np.zeros(0, dtype=np.int64)
        if self.choose_by == "random":
            return np.sort(self.rng.choice(pool, size=k, replace=False))
        n = model.pop.n
        sources = self.rng.choice(n, size=min(self.betweenness_samples, n), replace=False)
        score = sampled_betweenness(model.ties, sources)
        # ties broken at random, so equal scores do not favour low resident numbers
        jitter = self.rng.random(len(pool)) * 1e-9
        order = np.argsort(-(score[pool] + jitter), kind="stable")
        return np.sort(pool[order[:k]])

    def resources(self, n_residents: int) -> dict[str, float]:
        """Per year: each bridge figure (a volunteer) gets one training place, an hour a
        week of a community worker's support and GBP 100 of expenses. Sizes: assumptions."""
        figures = int(round(self.figures * n_residents / 1000))
        return {"training_places": float(figures), "staff_hours": 52.0 * figures,
                "small_grants_gbp": 100.0 * figures}

"""bridge_figures: recruit residents as bonders and bridges who introduce people across
sections."""

from __future__ import annotations

import numpy as np

from sim.interventions.base import Intervention, intervention
from sim.params import param

# exact sampled betweenness (networkx) above this many residents is too slow for a daily
# model; larger communities use the brokerage score instead (see choose_figures)
BETWEENNESS_MAX_RESIDENTS = 20_000


@intervention
class BridgeFigures(Intervention):
    """Nurture bonders and bridges (JRF 2015, Allen et al., recommendation 2): residents who
    link sections are recruited and supported, and "visit across sections and introduce
    people". Form: recruits become bridge figures (``is_bridge``), so the model's
    introduction rule has them introduce two of their ties from different sections (triadic
    closure through a broker, sim/rules/ties.py); each is given a few new ties into other
    sections to start from; and each week they call on a few residents of other sections,
    introducing each to one of their own ties (contact, and in time new ties). Recruits are
    chosen among the targeted residents by network betweenness (brokers on many shortest
    paths, Freeman 1977; sampled as in Brandes & Pich 2007) or at random; to recruit from a
    named section, set target_sections.
    When the window ends they stop acting as bridge figures; the ties they made remain."""

    type_name = "bridge_figures"

    share_figures: float = param(
        0.02, unit="share of residents", lo=0, hi=0.5, uncertain=(0.005, 0.05),
        doc="residents recruited as bridge figures (used when n_figures is 0)",
    )
    n_figures: int = param(0, unit="residents", lo=0, hi=1_000_000,
                           doc="exact number of recruits; 0 = use share_figures")
    choose_by: str = param(
        "betweenness", unit="method", choices=("betweenness", "random"),
        doc="how recruits are chosen among the targeted residents",
    )
    betweenness_samples: int = param(
        64, unit="source residents", lo=1, hi=100_000,
        doc="sources sampled to estimate betweenness (more is slower and more exact)",
    )
    extra_ties: int = param(
        3, unit="ties per recruit", lo=0, hi=200,
        doc="new ties each recruit makes into other sections when recruited",
    )
    visits_per_week: float = param(
        3.0, unit="visits per recruit per week", lo=0, hi=50,
        doc="calls a recruit makes on residents of other sections, introducing each to one "
        "of the recruit's own ties",
    )

    def begin(self, model, day) -> None:
        pop = model.pop
        pool = np.flatnonzero(self.targets & day.active & ~pop.is_bridge)
        want = self.n_figures or int(round(self.share_figures * pop.n))
        self.figures = self.choose_figures(model, pool, min(want, len(pool)))
        pop.is_bridge[self.figures] = True
        self.reach(self.figures)
        if self.extra_ties and len(pop.section_names) > 1 and len(self.figures):
            u, v = self._other_section_partners(pop, np.repeat(self.figures, self.extra_ties))
            day.queue_ties(u, v)
            self.reach(v)

    def apply(self, model, day) -> None:
        """Calls across sections: recruit b visits v (another section) and introduces v to
        x, one of b's own ties; the three meet."""
        pop, ties = model.pop, model.ties
        b = self.figures[day.active[self.figures]]
        b = np.repeat(b, self.rng.poisson(self.visits_per_week / 7.0, len(b)))
        b = b[ties.degree()[b] > 0]
        if len(b) == 0:
            return
        b, v = self._other_section_partners(pop, b)
        deg = ties.degree()[b]
        x = ties.dst[ties.indptr[b] + (self.rng.random(len(b)) * deg).astype(np.int64)]
        ok = (x != v) & day.active[v]
        b, v, x = b[ok], v[ok], x[ok]
        day.add_meetings(b, v, 1.0, 0.5, False)
        day.add_meetings(x, v, 1.0, 0.5, False)
        self.reach(v)
        self.reach(x)

    def choose_figures(self, model, pool: np.ndarray, k: int) -> np.ndarray:
        """The k residents of ``pool`` with the highest betweenness (or at random).

        Betweenness is estimated from ``betweenness_samples`` random sources (networkx,
        seeded from this intervention's stream). Above BETWEENNESS_MAX_RESIDENTS residents
        the brokerage score stands in for it: ties inside one's own section times ties
        across sections, which is highest for those who join otherwise separate groups
        (Burt 1992, structural holes)."""
        if k <= 0:
            return np.zeros(0, dtype=np.int64)
        if self.choose_by == "random":
            return np.sort(self.rng.choice(pool, size=k, replace=False))
        ties = model.ties
        if model.pop.n <= BETWEENNESS_MAX_RESIDENTS:
            import networkx as nx

            graph = ties.to_networkx()
            samples = min(self.betweenness_samples, model.pop.n)
            seed = int(self.rng.integers(2**31 - 1))
            score_of = nx.betweenness_centrality(graph, k=samples, seed=seed)
            score = np.array([score_of[i] for i in range(model.pop.n)])
        else:
            cross = np.bincount(ties.src[ties.bridging], minlength=ties.n)
            score = (ties.degree() - cross) * cross.astype(float)
        # ties broken at random, so equal scores do not favour low resident numbers
        jitter = self.rng.random(len(pool)) * 1e-12
        order = np.argsort(-(score[pool] + jitter), kind="stable")
        return np.sort(pool[order[:k]])

    def _other_section_partners(self, pop, u: np.ndarray):
        """Pairs (u, v): for each recruit in ``u`` a random resident of another section."""
        v = self.rng.integers(0, pop.n, len(u))
        for _ in range(50):
            bad = pop.section[v] == pop.section[u]
            if not bad.any():
                break
            v[bad] = self.rng.integers(0, pop.n, int(bad.sum()))
        ok = pop.section[v] != pop.section[u]
        return u[ok], v[ok]

    def end(self, model, day) -> None:
        model.pop.is_bridge[self.figures] = False

    def resources(self, n_residents: int) -> dict[str, float]:
        """Per year: each bridge figure (a volunteer) gets one training place, an hour a
        week of a community worker's support and GBP 100 of expenses. Sizes: assumptions."""
        figures = self.n_figures or int(round(self.share_figures * n_residents))
        return {"training_places": float(figures), "staff_hours": 52.0 * figures,
                "small_grants_gbp": 100.0 * figures}

"""KindlinessModel: builds the community and runs the day in a documented order.

State lives in arrays (sim/population.py, sim/network.py, sim/places.py) and each daily
rule (sim/rules/) works on all residents at once. The Mesa face, ``Resident`` and ``Hub``
agents on a ``mesa.discrete_space.Network``, is a view onto those arrays, built on demand
(``face=True`` or ``model.build_face()``) for the visualiser and for inspection; the daily
rules never depend on it.
"""

from __future__ import annotations

import zlib
from typing import Protocol

import mesa
import numpy as np

from sim import metrics as metrics_mod
from sim.day import Day, Levers
from sim.network import Ties, build_ties
from sim.orientations import ProfileTable
from sim.params import ModelParams
from sim.places import Hubs
from sim.population import Population, build_population
from sim.rules import (
    asking,
    encounters,
    helping,
    ledger,
    needs,
    noticing,
    reputation,
    trust,
    wellbeing,
)
from sim.rules import ties as tie_rules

# named random streams: each is derived from the run's seed and its own number, so that
# adding an intervention (which draws from its own stream) does not reshuffle the network
STREAM_POPULATION = 1
STREAM_NETWORK = 2
STREAM_DAYS = 3
STREAM_INTERVENTIONS = 1000
TIE_MAINTENANCE_INTERVAL_DAYS = 7  # new ties are merged and faded ties removed once a week


class InterventionLike(Protocol):
    """What the model asks of an intervention (sim/interventions/base.py implements it)."""

    name: str

    def setup(self, model: KindlinessModel) -> None: ...
    def before_day(self, model: KindlinessModel, day: Day) -> None: ...
    def after_day(self, model: KindlinessModel, day: Day) -> None: ...
    def metrics(self) -> list[metrics_mod.Metric]: ...


class KindlinessModel(mesa.Model):
    """A neighbourhood whose residents notice needs, ask for and give help, and build or lose
    trust, through their ties, hubs and bridge figures. One step is one day."""

    def __init__(self, params: ModelParams | None = None, *, seed: int = 0,
                 interventions=(), face: bool = False, days_hint: int = 800):
        super().__init__(rng=int(seed))
        self.params = params = params or ModelParams()
        self.seed = int(seed)
        self.day = 0
        self.rng_days = self.stream(STREAM_DAYS)
        self.pop: Population = build_population(params, self.stream(STREAM_POPULATION))
        self.ties: Ties = build_ties(self.pop, params.network, self.stream(STREAM_NETWORK))
        self.hubs = Hubs.build(params.hubs, list(self.pop.section_names), self.pop.n)
        self.profiles = ProfileTable(params.orientations)
        self.acquaintances = tie_rules.Acquaintances(self.pop.n)
        shares = np.array([s.share for s in params.population.sections])
        self._share_own = shares[self.pop.section].astype(np.float32)
        self._p_need = (params.rules.p_need * np.array(
            [s.need_multiplier for s in params.population.sections]))[self.pop.section]
        self._pending_ties: list[tuple[np.ndarray, np.ndarray]] = []
        self.new_cross_ties_merged = 0
        self.today: Day | None = None
        self.interventions = list(interventions)
        for i, iv in enumerate(self.interventions):
            iv.rng = self.stream(STREAM_INTERVENTIONS + i, iv.name)
            iv.setup(self)
        extra = [m for iv in self.interventions for m in iv.metrics()]
        self.metrics = metrics_mod.MetricsTable(
            self, list(metrics_mod.REGISTRY.values()) + extra, days_hint)
        self.metrics.record(self, None)
        self.face = None
        if face:
            self.build_face()

    # -- randomness ---------------------------------------------------------------------------
    def stream(self, number: int, name: str = "") -> np.random.Generator:
        """A named random stream derived from the run's seed (never Python's ``hash``)."""
        words = [self.seed, number] + ([zlib.crc32(name.encode())] if name else [])
        return np.random.default_rng(np.random.SeedSequence(words))

    # -- the day ------------------------------------------------------------------------------
    def step(self) -> None:
        """One day, in this order (docs/MODEL.md, "The day"):

        1. interventions set the day's levers and arrange meetings;
        2. needs arrive;
        3. residents chat with ties; bridge figures introduce people; residents visit hubs
           and meet the others there;
        4. encounters make contact, move group trust and surface needs; repeated encounters
           become ties;
        5. ties in contact notice needs; residents in need decide whether to ask, and whom;
        6. offered helpers decide; help relieves need and costs energy;
        7. observers update reputations; trust updates from help, refusal and change;
        8. ledgers update indebtedness and resentment;
        9. energy recovers, burnout builds or fades (and may withdraw a resident); loneliness,
           attachment and self-reliance update; some needs resolve elsewhere;
        10. new ties are merged and unused ties fade; metrics are recorded.
        """
        self.day += 1
        p, pop, ties, prof = self.params.rules, self.pop, self.ties, self.profiles
        rng = self.rng_days
        day = Day(self.day, weekday=(self.day - 1) % 7, active=pop.active(self.day),
                  contact=np.zeros(pop.n, dtype=bool),
                  levers=Levers(hub_palatability_boost=np.zeros(self.hubs.n)))
        self.today = day
        for iv in self.interventions:
            iv.before_day(self, day)

        needs.arrive_needs(pop, self._p_need, p.need_size_mean, self.day, rng)
        noticing.chat_with_ties(pop, ties, p.p_chat_per_tie, day, rng)
        tie_rules.introduce_across_sections(pop, ties, p.p_bridge_introduce, day, rng)
        where = encounters.visit_hubs(pop, self.hubs, p.p_visit_hub,
                                      prof.hub_visit_multiplier, day, rng)
        encounters.pair_visitors(where, self.hubs, p.encounters_per_visit, day, rng)

        meetings = day.meetings()
        encounters.make_contact(pop, meetings, day)
        trust.learn_trust_from_contact(pop, meetings, prof, p)
        encounters.surface_needs_in_meetings(pop, ties, meetings, p.p_notice_at_hub,
                                             prof.notice_multiplier, day, rng)
        tie_rules.remember_meetings(self.acquaintances, meetings, day)

        noticing.notice_needs_through_ties(pop, ties, p.p_chat_per_tie, p.p_notice_in_chat,
                                           prof.notice_multiplier, day, rng)
        asking.decide_to_ask(pop, ties, prof.ask_multiplier, p, day, rng)
        helping.decide_to_help(pop, ties, prof, p, day, rng)
        helping.give_help(pop, p, day)

        reputation.update_reputation(pop, p.p_reputation_known, p.reputation_step, day, rng)
        trust.learn_trust_from_help(pop, ties, p, day)
        trust.feel_threat_from_change(pop, prof, p, self.new_cross_ties_merged / pop.n)
        trust.relax_group_trust(pop, p, self._share_own)
        ledger.settle_ledgers(pop, prof, p, day)

        wellbeing.recover_energy_and_burn_out(pop, prof, p, day)
        wellbeing.update_loneliness(pop, ties, p, day)
        wellbeing.update_attachment(pop, p, day)
        wellbeing.relax_self_reliance(pop, prof, p, day)
        needs.resolve_needs_elsewhere(pop, p.p_need_resolves, rng)
        pop.helps_given *= 0.5 ** (1.0 / metrics_mod.HELP_MEMORY_HALF_LIFE_DAYS)

        self._maintain_ties(day, rng)
        for iv in self.interventions:
            iv.after_day(self, day)
        self.metrics.record(self, day)

    def _maintain_ties(self, day: Day, rng) -> None:
        """Once a week, merge the ties that formed during the week and let unused ties fade
        (batched: rebuilding the sorted edge arrays costs a pass over all ties)."""
        p = self.params.rules
        self._pending_ties.extend(day.new_ties)
        self.new_cross_ties_merged = 0
        if self.day % TIE_MAINTENANCE_INTERVAL_DAYS:
            return
        drops = tie_rules.fade_unused_ties(self.ties, p.tie_fade_days, p.p_tie_fade_per_week,
                                           self.day, rng)
        pending, self._pending_ties = self._pending_ties, []
        pending.append(self.acquaintances.settle(self.day, p.meetings_for_tie,
                                                 p.acquaintance_memory_days))
        u = np.concatenate([x for x, _ in pending])
        v = np.concatenate([y for _, y in pending])
        if len(u) == 0 and len(drops) == 0:
            return
        pop = self.pop
        same = pop.section[u] == pop.section[v]
        start_trust = np.where(same, pop.trust_in[u], pop.trust_out[u])
        added_u, added_v = self.ties.merge(u, v, start_trust, drops, pop.section, self.day)
        self.new_cross_ties_merged = int((pop.section[added_u] != pop.section[added_v]).sum())

    # -- running ------------------------------------------------------------------------------
    def run_days(self, n_days: int) -> None:
        """Advance ``n_days`` days (Mesa's clock moves with them)."""
        for _ in range(n_days):
            self.step()

    def metrics_frame(self):
        return self.metrics.frame()

    # -- Mesa face ----------------------------------------------------------------------------
    def build_face(self):
        """Build the Mesa view: a ``Network`` space of the current ties, a ``Resident`` per
        resident in its cell and a ``Hub`` per hub. Costs about 2 KB per resident; built for
        the visualiser and for inspection, never needed by the daily rules."""
        from sim.agents import build_face

        if self.face is None:
            self.face = build_face(self)
        return self.face

    @property
    def grid(self):
        """The Mesa ``Network`` space (built on first use)."""
        return self.build_face().space


def compile_rules() -> float:
    """Compile (or load from numba's on-disk cache) every daily rule by running a tiny
    community for a week and a day; returns the seconds it took. The first call after an
    install takes 10-20 s; later ones, in any process, a fraction of a second. Servers call it
    before their first visitor, so that nobody waits on a first step."""
    import time

    from sim.params import PopulationParams

    start = time.perf_counter()
    tiny = ModelParams(population=PopulationParams(n_residents=60))
    KindlinessModel(tiny, seed=0).run_days(TIE_MAINTENANCE_INTERVAL_DAYS + 1)
    return time.perf_counter() - start

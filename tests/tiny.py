"""Small communities for tests: tiny hand-built ones for rule tests (a few residents whose
outcome can be worked out by hand), and small whole models (:func:`small`, :func:`run`)."""

from __future__ import annotations

import numpy as np

from sim.day import Day, Levers
from sim.model import KindlinessModel
from sim.network import Ties
from sim.orientations import ProfileTable
from sim.params import ORIENTATIONS, ModelParams, NetworkParams, PopulationParams
from sim.population import Population, draw_residents


def population(n: int, *, sections=None, orientations=None, **states) -> Population:
    """A population of ``n`` residents with neutral states and traits of 1 (rates as
    declared); keyword arguments set arrays."""
    section = np.zeros(n, np.int8) if sections is None else np.asarray(sections, np.int8)
    orient = (np.full(n, ORIENTATIONS.index("unaligned"), np.int8) if orientations is None
              else np.array([ORIENTATIONS.index(o) for o in orientations], np.int8))
    params = ModelParams()
    fresh = draw_residents(section, orient, params, np.random.default_rng(0))
    neutral = {"sociability": 1.0, "hub_propensity": 1.0, "helpfulness": 1.0,
               "outside_contact": 0.0, "energy": 1.0, "self_reliance": 0.5, "attachment": 0.5,
               "loneliness": 0.3, "trust_in": 0.5, "trust_out": 0.5, "trust_prior_in": 0.5,
               "trust_prior_out": 0.5, "attachment_prior": 0.5, "trust_gen": 0.5,
               "reputation": 0.5}
    for name, value in neutral.items():
        fresh[name][:] = value
    pop = Population(section=section, orientation=orient,
                     section_names=("a", "b", "c")[: int(section.max()) + 1], **fresh)
    for name, value in states.items():
        getattr(pop, name)[:] = value
    return pop


def ties(pop: Population, pairs, trust=0.6) -> Ties:
    u = np.array([a for a, _ in pairs], dtype=np.int64)
    v = np.array([b for _, b in pairs], dtype=np.int64)
    return Ties.from_pairs(pop.n, u, v, np.full(len(u), trust), pop.section)


def day(pop: Population, d: int = 1, n_hubs: int = 0) -> Day:
    return Day(d, weekday=(d - 1) % 7, active=pop.active(d),
               contact=np.zeros(pop.n, dtype=bool),
               levers=Levers(hub_palatability_boost=np.zeros(n_hubs)))


def profiles(**overrides) -> ProfileTable:
    return ProfileTable(ModelParams().orientations | overrides)


def small(n=300, **network) -> ModelParams:
    """The default model with ``n`` residents (and any network parameters given)."""
    return ModelParams(population=PopulationParams(n_residents=n),
                       network=NetworkParams(**network) if network else NetworkParams())


def run(seed, days=60, params=None) -> KindlinessModel:
    """A model of :func:`small` (or ``params``) run for ``days`` days from ``seed``."""
    m = KindlinessModel(params or small(), seed=seed)
    m.run_days(days)
    return m

"""Tiny hand-built communities for rule tests: a few residents whose outcome can be worked
out by hand."""

from __future__ import annotations

import numpy as np

from sim.day import Day, Levers
from sim.network import Ties
from sim.orientations import ProfileTable
from sim.params import ORIENTATIONS, ModelParams
from sim.population import NEVER, Population


def population(n: int, *, sections=None, orientations=None, **states) -> Population:
    """A population of ``n`` residents with neutral states; keyword arguments set arrays."""
    f32 = lambda v: np.full(n, v, dtype=np.float32)  # noqa: E731
    section = np.zeros(n, np.int8) if sections is None else np.asarray(sections, np.int8)
    orient = (np.full(n, ORIENTATIONS.index("unaligned"), np.int8) if orientations is None
              else np.array([ORIENTATIONS.index(o) for o in orientations], np.int8))
    pop = Population(
        section=section, orientation=orient, interest=np.zeros(n, np.int16),
        need=f32(0), need_since=np.full(n, NEVER, np.int32), energy=f32(1), burnout=f32(0),
        withdrawn_until=np.zeros(n, np.int32), self_reliance=f32(0.5), indebtedness=f32(0),
        balance=f32(0), resentment=f32(0), attachment=f32(0.5), loneliness=f32(0.3),
        trust_in=f32(0.5), trust_out=f32(0.5), trust_prior_in=f32(0.5),
        trust_prior_out=f32(0.5), attachment_prior=f32(0.5), trust_gen=f32(0.5),
        reputation=f32(0.5), is_bridge=np.zeros(n, bool), is_organiser=np.zeros(n, bool),
        is_critical_friend=np.zeros(n, bool), helps_given=np.zeros(n),
        last_help_day=np.full(n, NEVER, np.int32), last_contact_day=np.full(n, NEVER, np.int32),
        section_names=("a", "b", "c")[: int(section.max()) + 1],
    )
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

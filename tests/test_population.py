"""The residents as arrays (sim/population.py): a community drawn by section shares and each
section's orientation mix, stored sorted; lasting traits with the declared means and spreads;
newcomers drawn afresh in the rows of those who moved away. Movers themselves are tested with
their rule in tests/test_rules.py."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from sim.params import ORIENTATIONS, ModelParams, PopulationParams, Section
from sim.population import NEVER, build_population
from tests.tiny import small


def two_sections(n: int) -> ModelParams:
    mixes = ({"traditional": 0.5, "unaligned": 0.5}, {"activist": 0.25, "unaligned": 0.75})
    sections = (Section(name="old", share=2 / 3, orientations=mixes[0]),
                Section(name="new", share=1 / 3, orientations=mixes[1]))
    return dataclasses.replace(small(n), population=PopulationParams(
        n_residents=n, sections=sections, share_bridge_figures=0.1))


def test_sections_and_orientations_follow_their_shares_exactly_and_rows_are_sorted():
    pop = build_population(two_sections(301), np.random.default_rng(1))
    assert pop.n == 301 and pop.section_names == ("old", "new")
    assert np.bincount(pop.section).tolist() == [201, 100]  # largest remainder: 200.67, 100.33
    old = np.bincount(pop.orientation[pop.section == 0], minlength=len(ORIENTATIONS))
    new = np.bincount(pop.orientation[pop.section == 1], minlength=len(ORIENTATIONS))
    # 100.5 each: the tie in remainders goes to the first in ORIENTATIONS
    assert (old[ORIENTATIONS.index("traditional")], old[ORIENTATIONS.index("unaligned")]) == (
        101, 100)
    assert (new[ORIENTATIONS.index("activist")], new[ORIENTATIONS.index("unaligned")]) == (25, 75)
    order = pop.section.astype(int) * 10 + pop.orientation
    assert np.all(np.diff(order) >= 0)  # sorted by (section, orientation)


def test_traits_have_mean_one_and_states_start_around_the_declared_baselines():
    params = two_sections(40_000)
    pop = build_population(params, np.random.default_rng(2))
    for trait in ("sociability", "hub_propensity", "helpfulness"):
        values = getattr(pop, trait)
        assert values.min() >= 0 and values.mean() == pytest.approx(1.0, abs=0.03), trait
    old = params.population.sections[0]
    assert pop.trust_in[pop.section == 0].mean() == pytest.approx(old.trust_in_group, abs=0.01)
    assert pop.trust_out[pop.section == 0].mean() == pytest.approx(old.trust_out_group,
                                                                   abs=0.01)
    assert pop.outside_contact[pop.section == 0].mean() == pytest.approx(
        old.outside_contact_mean, abs=0.01)
    share = np.where(pop.section == 0, 2 / 3, 1 / 3)
    np.testing.assert_allclose(pop.trust_gen, share * pop.trust_in + (1 - share) * pop.trust_out,
                               atol=1e-6)
    assert np.array_equal(pop.trust_prior_in, pop.trust_in)
    assert pop.is_bridge.mean() == pytest.approx(0.1, abs=0.01)
    assert not pop.need.any() and np.all(pop.need_since == NEVER) and pop.active(0).all()


def test_newcomers_are_drawn_afresh_in_the_movers_rows_and_keep_the_order():
    params = two_sections(300)
    pop = build_population(params, np.random.default_rng(3))
    pop.helps_given[:] = 4.0
    pop.trust_out[:] = 0.01
    section, orientation = pop.section.copy(), pop.orientation.copy()
    rows = np.array([0, 150, 299])
    pop.renew(rows, params, np.random.default_rng(4), day=40)
    assert np.array_equal(pop.section, section) and np.array_equal(pop.orientation, orientation)
    assert pop.arrived_day[rows].tolist() == [40] * 3 and pop.arrived_day.sum() == 120
    assert np.all(pop.helps_given[rows] == 0) and np.all(pop.trust_out[rows] > 0.01)
    stayed = np.setdiff1d(np.arange(300), rows)
    assert np.all(pop.helps_given[stayed] == 4.0) and np.all(pop.trust_out[stayed] == 0.01)

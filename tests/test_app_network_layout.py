"""The community picture's layout, apart from its drawing: fixed for a community and a seed,
every resident inside their own section's region, hubs placed again when one opens, and the
drawn sample of a large community in proportion to its sections."""

from __future__ import annotations

import numpy as np

from sim.app.network_layout import compute_layout, drawn_sample
from sim.scenario.schema import Scenario


def _model(residents=400, seed=3):
    return Scenario(name="Small").with_overrides(residents=residents).build_model(seed)


def test_the_layout_is_fixed_for_a_community_and_a_seed():
    model = _model()
    first, again = compute_layout(model, seed=1), compute_layout(model, seed=1)
    assert np.array_equal(first.pos, again.pos) and np.array_equal(first.hub_pos, again.hub_pos)
    assert not np.array_equal(first.pos, compute_layout(model, seed=2).pos)


def test_each_resident_sits_in_their_own_sections_region():
    model = _model()
    lay = compute_layout(model)
    section = np.asarray(model.pop.section, dtype=np.int64)
    offset = lay.pos - lay.section_centre[section]
    assert np.all(np.hypot(offset[:, 0], offset[:, 1]) <= lay.section_radius[section] + 1e-9)
    assert lay.hub_pos.shape == (model.hubs.n, 2)
    assert lay.with_hubs_of(model).pos is lay.pos  # placing hubs again moves no resident


def test_a_large_community_is_drawn_as_a_sample_in_proportion_to_its_sections():
    model = _model(residents=2_000)
    assert drawn_sample(model, above=2_000) is None
    sample = drawn_sample(model, limit=500, above=1_000)
    assert abs(len(sample) - 500) <= 5 and len(np.unique(sample)) == len(sample)
    section = np.asarray(model.pop.section)
    everyone = np.bincount(section) / len(section)
    drawn = np.bincount(section[sample], minlength=len(everyone)) / len(sample)
    assert np.allclose(drawn, everyone, atol=0.01)

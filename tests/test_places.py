"""Hubs (sim/places.py): where each sits, how many it holds, when it opens, and how each
section's residents weigh it. The visit rule that uses them is tested in tests/test_rules.py."""

from __future__ import annotations

import numpy as np
import pytest

from sim.params import HubSpec, RuleParams
from sim.places import BOUNDARY, Hubs

SECTIONS = ["old", "new"]
EVERY_DAY = tuple(range(7))


def three_hubs(n_residents=2000) -> Hubs:
    return Hubs.build([
        HubSpec(name="library", location="boundary", capacity=40, open_days=(0, 1, 2)),
        HubSpec(name="cafe", location="old", capacity=25, capacity_per_1000=False,
                open_days=EVERY_DAY),
        HubSpec(name="garden", location="new", capacity=0, open_days=(5, 6)),
    ], SECTIONS, n_residents)


def test_a_hub_sits_in_a_section_or_on_the_boundary_and_its_capacity_scales():
    hubs = three_hubs(2000)
    assert hubs.names == ["library", "cafe", "garden"] and hubs.index("cafe") == 1
    assert hubs.location.tolist() == [BOUNDARY, 0, 1]
    assert hubs.capacity.tolist() == [80, 25, 0]  # 40 per 1,000 residents; 25 fixed
    with pytest.raises(ValueError):
        Hubs.build([HubSpec(location="nowhere")], SECTIONS, 1000)


def test_a_hub_is_open_on_its_days_unless_closed_or_of_no_capacity():
    hubs = three_hubs()
    assert hubs.open_today(0).tolist() == [True, True, False]
    assert hubs.open_today(5).tolist() == [False, True, False]  # the garden holds nobody
    hubs.close(1)
    assert hubs.open_today(0).tolist() == [True, False, False]
    hubs.reopen(1)
    hubs.set_open_days(0, [6, 4])
    assert hubs.open_today(4).tolist() == [True, True, False]
    assert hubs.specs[0].open_days == (4, 6)


def test_each_section_prefers_its_own_hubs_then_the_boundary_then_others():
    p = RuleParams()
    pref = three_hubs().preference(2, p)
    own, edge, other = (p.hub_preference_own_section, p.hub_preference_boundary,
                        p.hub_preference_other_section)
    np.testing.assert_array_equal(pref, [[edge, own, other], [edge, other, own]])


def test_a_hub_opened_later_starts_its_counts_at_zero_and_joins_the_preferences():
    hubs = three_hubs()
    p = RuleParams()
    assert hubs.preference(2, p).shape == (2, 3)
    hubs.visitors_today[:] = [100, 5, 0]
    hubs.count_day(hubs.open_today(0))
    assert hubs.days_open.tolist() == [1, 1, 0] and hubs.days_crowded.tolist() == [1, 0, 0]
    assert hubs.occupancy().tolist() == [100 / 80, 5 / 25, 0.0]
    i = hubs.add(HubSpec(name="hall", location="new", capacity=10, capacity_per_1000=False,
                         open_days=EVERY_DAY), SECTIONS, 2000)
    assert i == 3 and hubs.days_open.tolist() == [1, 1, 0, 0]
    assert hubs.preference(2, p)[:, 3].tolist() == [p.hub_preference_other_section,
                                                     p.hub_preference_own_section]

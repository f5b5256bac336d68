"""One day's record (sim/day.py): the meetings and offers the rules and interventions add,
and the levers interventions pull before the rules run. The rules that read them are tested
in tests/test_rules.py; that interventions cannot write outcomes, in
tests/test_interventions_base.py."""

from __future__ import annotations

import numpy as np
import pytest

from sim.day import Day, Levers, OutcomeWriteError, per_resident
from sim.params import MEETING_SETTINGS


def a_day(n=6) -> Day:
    return Day(3, weekday=2, active=np.ones(n, bool), contact=np.zeros(n, bool))


def test_meetings_from_several_sources_are_read_as_one_table_in_order():
    day = a_day()
    assert len(day.meetings()) == 0
    day.add_meetings([0, 1], [2, 3], palatability=0.5, at_hub=True)
    day.add_meetings([4], [5], contact_weight=[2.0], setting="common_cause", neighbours=True)
    m = day.meetings()
    assert (m.a.tolist(), m.b.tolist()) == ([0, 1, 4], [2, 3, 5])
    assert m.contact_weight.tolist() == [1.0, 1.0, 2.0]
    assert m.palatability.tolist() == [0.5, 0.5, 0.0] and m.at_hub.tolist() == [1, 1, 0]
    assert m.setting.tolist() == [0, 0, list(MEETING_SETTINGS).index("common_cause")]
    assert m.neighbours.tolist() == [False, False, True]
    with pytest.raises(ValueError, match="unknown meeting setting 'party'; allowed: everyday"):
        day.add_meetings([0], [1], setting="party")


def test_a_meetings_column_takes_one_value_or_one_per_meeting_copied_when_added():
    day = a_day()
    weight = np.array([3.0, 4.0])
    day.add_meetings([0, 1], [2, 3], contact_weight=weight, palatability=np.float32(0.5))
    day.add_meetings([4], [5], palatability=[0.25], at_hub=np.True_)
    day.add_meetings([], [], palatability=0.75)
    weight[:] = 0.0  # the caller's array, changed after the meetings were added
    m = day.meetings()
    assert m.contact_weight.tolist() == [3.0, 4.0, 1.0] and m.palatability.tolist() == [
        0.5, 0.5, 0.25]
    assert m.at_hub.tolist() == [False, False, True] and m.setting.dtype == np.int8
    with pytest.raises(ValueError):
        day.add_meetings([0, 1], [2, 3], contact_weight=[1.0, 2.0, 3.0])


def test_offers_concatenate_and_subset_together():
    day = a_day()
    day.add_offers([0, 1], [2, 3], [-1, 7], asked=True)
    day.add_offers([4], [5], [9], asked=False)
    offers = day.offers()
    assert offers.asked.tolist() == [True, True, False] and len(offers) == 3
    kept = offers.subset(offers.edge >= 0)
    assert (kept.helper.tolist(), kept.recipient.tolist()) == ([1, 4], [3, 5])


def test_levers_start_as_one_value_and_become_one_per_resident_on_first_use():
    levers = Levers()
    levers.scale("visit_multiplier", [1, 1, 3], 2.0, 5)  # twice for resident 1
    levers.shift("ask_norm", [0], [0.25], 5)
    levers.add_introducers([2], 5)
    assert levers.visit_multiplier.tolist() == [1.0, 4.0, 1.0, 2.0, 1.0]
    assert levers.ask_norm.tolist() == [0.25, 0, 0, 0, 0] and levers.help_norm == 0.0
    assert levers.introducers.tolist() == [False, False, True, False, False]
    assert per_resident(levers.help_norm).tolist() == [0.0]
    assert per_resident(levers.ask_norm).shape == (5,)


def test_new_ties_wait_for_the_merge_and_are_closed_to_interventions():
    day = a_day()
    day.queue_ties([0], [1])
    assert [(u.tolist(), v.tolist()) for u, v in day.new_ties] == [([0], [1])]
    day.ties_closed = True
    with pytest.raises(OutcomeWriteError, match="cannot make ties by fiat"):
        day.queue_ties([2], [3])

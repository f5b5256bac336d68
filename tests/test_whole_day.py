"""The day's rules in one compiled call (sim/rules/whole_day.py) against the same rules called
one by one (KindlinessModel.rules_one_by_one): the same states, ties, days and daily table, to
the bit, for every shipped scenario with its programmes running from the first day, and for
the paths the shipped scenarios do not take (offers arranged by an intervention, no doorstep
talk, no conversations at hubs, no ties from meetings, no hub open)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from sim.interventions.base import Intervention
from sim.model import KindlinessModel
from sim.scenario import load_scenario
from tests.tiny import small

SCENARIOS = sorted(Path(__file__).resolve().parents[1].glob("scenarios/*.toml"))
DAYS = 45  # six weekly merges and every weekday
DAY_FIELDS = ("needy", "asked", "offered", "acts_helper", "acts_recipient", "acts_edge",
              "acts_relief", "hub_visits", "referrals")


def _pair(build):
    """Two models built alike, the second running its rules one by one."""
    fused, one_by_one = build(), build()
    one_by_one.whole_day = False
    return fused, one_by_one


def _same_day(fused, one_by_one) -> None:
    d, e = fused.today, one_by_one.today
    for name in DAY_FIELDS:
        np.testing.assert_array_equal(getattr(d, name), getattr(e, name), err_msg=name)
    for got, want in ((d.meetings(), e.meetings()), (d.offers(), e.offers()),
                      (d.refusals, e.refusals)):
        for f in dataclasses.fields(want):
            np.testing.assert_array_equal(getattr(got, f.name), getattr(want, f.name),
                                          err_msg=f.name)
    assert [tuple(map(list, p)) for p in d.new_ties] == \
        [tuple(map(list, p)) for p in e.new_ties]
    np.testing.assert_array_equal(fused.hubs.visitors_today, one_by_one.hubs.visitors_today)


def _same_state(fused, one_by_one) -> None:
    for name in fused.pop.array_names():
        np.testing.assert_array_equal(getattr(fused.pop, name), getattr(one_by_one.pop, name),
                                      err_msg=name)
    for name in ("src", "dst", "trust", "last_contact", "close"):
        np.testing.assert_array_equal(getattr(fused.ties, name),
                                      getattr(one_by_one.ties, name), err_msg=name)
    for name in ("days_open", "days_crowded"):
        np.testing.assert_array_equal(getattr(fused.hubs, name),
                                      getattr(one_by_one.hubs, name), err_msg=name)
    a = fused.metrics.values[: fused.metrics.n_rows]
    b = one_by_one.metrics.values[: one_by_one.metrics.n_rows]
    assert a.tobytes() == b.tobytes()


def _run_both(fused, one_by_one, days: int = DAYS) -> None:
    for _ in range(days):
        fused.step()
        one_by_one.step()
        _same_day(fused, one_by_one)
    _same_state(fused, one_by_one)


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_shipped_scenario_is_the_same_either_way(path):
    scenario = load_scenario(path).with_overrides(residents=400)
    scenario = dataclasses.replace(scenario, interventions=tuple(
        dataclasses.replace(iv, start_day=1, end_day=None) for iv in scenario.interventions))
    fused, one_by_one = _pair(lambda: scenario.build_model(5, days_hint=DAYS + 1))
    assert fused.whole_day and not one_by_one.whole_day
    _run_both(fused, one_by_one)
    assert fused.metrics.column("help_given").sum() > 0  # the day did something


class ArrangesEverything(Intervention):
    """Meetings with every column set per row, offers (asked and not), introducers, a
    palatability boost and every per-resident lever: what no shipped intervention does at once."""

    type_name = "arranges_everything"

    def apply(self, model, day):
        n = model.pop.n
        who = self.rng.choice(n, 40, replace=False)
        day.add_meetings(who[:10], who[10:20], contact_weight=self.rng.random(10),
                         palatability=self.rng.random(10), at_hub=who[:10] % 2 == 0,
                         setting="common_cause", neighbours=who[:10] % 3 == 0)
        day.add_meetings(who[20:25], who[25:30], 2.0, 0.4, True)
        day.add_offers(who[30:35], who[35:40], np.full(5, -1), asked=True)
        day.add_offers(who[:3], who[3:6], np.full(3, -1), asked=False)
        day.levers.add_introducers(who[:5], n)
        day.levers.hub_palatability_boost[:] += 0.2
        for name in ("visit_multiplier", "ask_multiplier", "notice_multiplier"):
            day.levers.scale(name, who, 1.5, n)
        for name in ("ask_norm", "help_norm"):
            day.levers.shift(name, who, 0.3, n)


def test_what_interventions_arrange_comes_first_either_way():
    fused, one_by_one = _pair(lambda: KindlinessModel(
        small(300), seed=3, interventions=[ArrangesEverything()], days_hint=DAYS + 1))
    _run_both(fused, one_by_one)
    assert fused.today.offers().asked[:5].all()  # the arranged offers lead the day's


@pytest.mark.parametrize("change", [
    {"p_doorstep": 0.0}, {"encounters_per_visit": 0}, {"p_tie_per_meeting": 0.0},
    {"p_bridge_introduce": 0.0},
], ids=lambda c: next(iter(c)))
def test_rules_that_do_nothing_today_are_skipped_alike(change):
    params = small(300)
    params = dataclasses.replace(params, rules=dataclasses.replace(params.rules, **change))
    _run_both(*_pair(lambda: KindlinessModel(params, seed=2, days_hint=DAYS + 1)), days=20)


def test_a_day_with_no_hub_open_is_the_same_either_way():
    def build():
        model = KindlinessModel(small(300), seed=4, days_hint=30)
        model.hubs.closed[:] = True
        return model

    fused, one_by_one = _pair(build)
    _run_both(fused, one_by_one, days=20)
    assert (fused.today.hub_visits == -1).all()


def test_a_place_with_no_hubs_is_the_same_either_way():
    params = dataclasses.replace(small(300), hubs=())
    fused, one_by_one = _pair(lambda: KindlinessModel(params, seed=6, days_hint=30))
    _run_both(fused, one_by_one, days=20)
    assert fused.hubs.n == 0 and len(fused.today.hub_visits) == 300


def test_weeks_with_ties_fading_and_going_close_are_the_same_either_way():
    params = small(300)
    params = dataclasses.replace(params, rules=dataclasses.replace(
        params.rules, tie_fade_days=10, close_fade_days=5, p_tie_fade_per_week=0.5))
    fused, one_by_one = _pair(lambda: KindlinessModel(params, seed=7, days_hint=60))
    start = fused.ties.m
    _run_both(fused, one_by_one, days=42)
    assert fused.ties.m < 0.8 * start  # ties faded
    assert fused.ties.close.any()  # and help made some close

"""The time a comparison will take is measured on this machine, and small comparisons stay in
this process."""

from __future__ import annotations

import time

import pytest

from sim.app import estimate
from sim.app.compare_controls import DAYS_MAX, DAYS_MIN, DAYS_STEP
from sim.app.comparison import run_comparison
from sim.app.estimate import choose_workers, duration_words, estimate_seconds
from sim.app.scenario_files import load_scenario_file


def test_the_estimate_is_measured_here_and_small_runs_stay_in_this_process():
    assert choose_workers(2, 2, 30, 200) == 1
    small = estimate_seconds(2, 2, 30, 200)
    big = estimate_seconds(4, 10, 365, 1000)
    assert 0 < small < big
    t0 = time.perf_counter()
    scenario = load_scenario_file(None).with_overrides(residents=200, days=30)
    run_comparison([scenario, scenario], days=30, replicates=2, seed=1).remove()
    took = time.perf_counter() - t0
    assert small / 10 < took < small * 10  # the right size, on a shared machine


def test_the_estimate_never_falls_as_a_comparison_grows(monkeypatch):
    """A user check: 20 runs at 300 residents were "about 20 seconds", at 1,000 "about 15"
    (real: 2-3 s); each size's day was timed on its own, at its own moment. And just past
    the point where a pool is chosen, a bigger comparison was said to take less than a
    smaller one in this process. More scenarios, replicates, days or residents: never less.
    (What earlier comparisons in this process taught is set aside: a fast one can bring both
    sizes below the pool's floor, where they read alike; and the days are costed by a line
    that rises with the size, as a quiet machine times it: a busy one can time the larger
    size no slower, the line is then flat, and two sizes read alike too.)"""
    monkeypatch.setattr(estimate, "_RUNS", {"factor": 1.0})
    monkeypatch.setattr(estimate, "day_cost", lambda r: (0.001, 0.0001 + 1e-7 * r))
    steps = {  # (scenarios, replicates, days, residents), one of them growing
        "scenarios": [(n, 10, 730, 1000) for n in range(1, 13)],
        "replicates": [(2, r, 730, 2000) for r in range(2, 31)],  # into a pool and beyond
        "days": [(2, 10, d, 1000) for d in range(DAYS_MIN, DAYS_MAX + 1, DAYS_STEP)],
        "residents": [(2, 10, 730, n) for n in range(200, 5001, 100)],
        "residents, fewer days": [(1, 2, 30, n) for n in range(200, 5001, 100)],
    }
    for what, sizes in steps.items():
        said = [estimate_seconds(*size) for size in sizes]
        for i in range(1, len(sizes)):
            assert said[i] >= said[i - 1], \
                f"{what}: {sizes[i]} is estimated {said[i]:.2f} s, {sizes[i - 1]} " \
                f"{said[i - 1]:.2f} s"
    assert estimate_seconds(2, 30, 730, 300) < estimate_seconds(2, 30, 730, 5000)


def test_a_day_costs_no_less_in_a_larger_community_even_timed_so():
    """The line through the two sizes timed never falls: a larger community timed faster
    (a busy moment during the smaller one's timing) is taken as costing the same."""
    from sim.app.estimate import PROBE_RESIDENTS, _line_through

    lo, hi = PROBE_RESIDENTS
    start, slope = _line_through(0.002, 0.001)
    assert slope == 0 and start == 0.002
    start, slope = _line_through(0.001, 0.003)
    assert abs(start + slope * lo - 0.001) < 1e-12 and abs(start + slope * hi - 0.003) < 1e-12


def test_the_runs_time_is_learnt_from_the_comparisons_made(monkeypatch):
    """The days are timed once, at the first estimate, maybe while the server is busy: each
    comparison's runs correct the estimate halfway to what they took, in this process or in
    a pool; short runs teach nothing."""
    monkeypatch.setattr(estimate, "day_cost", lambda r: (0.001, 0.0001 + 1e-7 * r))
    monkeypatch.setattr(estimate, "_RUNS", {"factor": 1.0})
    size = (2, 10, 730, 1000)
    timed = estimate.runs_in_process_s(*size)
    assert estimate.choose_workers(*size) == 1
    estimate.learn_runs(*size, 1, 3 * timed)  # three times as long in this process
    assert estimate.runs_in_process_s(*size) == pytest.approx(2 * timed)
    monkeypatch.setattr(estimate.os, "cpu_count", lambda: 2)
    # as timed, in a pool on two cores (after its start)
    estimate.learn_runs(*size, None, estimate.POOL_START_S + timed / 2)
    assert estimate._RUNS["factor"] == pytest.approx(1.5)
    before = estimate._RUNS["factor"]
    estimate.learn_runs(1, 2, 30, 200, 1, 5.0)  # 0.03 s of days timed: nothing learnt
    assert estimate._RUNS["factor"] == before
    # learnt or not, the estimate still grows with the comparison
    said = [estimate.estimate_seconds(2, r, 730, 1000) for r in range(2, 31)]
    assert said == sorted(said)


def test_the_estimate_is_near_a_real_comparisons_time():
    """Two scenarios, 4 replicates, a year at 1,000 residents: the estimate within a factor
    of 4 of the time taken (a generous factor: the machine is shared)."""
    scenario = load_scenario_file(None)
    said = estimate_seconds(2, 4, 365, 1000)
    t0 = time.perf_counter()
    run_comparison([scenario, scenario], days=365, replicates=4, seed=1,
                   residents=1000).remove()
    took = time.perf_counter() - t0
    assert said / 4 < took < said * 4, (said, took)


def test_an_estimate_in_words_is_as_fine_as_its_size():
    assert [duration_words(s) for s in (0.2, 1.4, 2.6, 9.4, 12.4, 13, 87, 95, 200)] == [
        "about 1 second", "about 1 second", "about 3 seconds", "about 9 seconds",
        "about 10 seconds", "about 15 seconds", "about 85 seconds", "about 2 minutes",
        "about 3 minutes"]


def test_the_compare_pages_default_run_takes_its_verdicts_after_the_community_settles():
    """The page's 180 days took every verdict inside the community's first year of drift
    (the report now cautions of it); its default is the main job's two years."""
    from sim.app.compare import DEFAULT_DAYS
    from sim.report.programmes import unsettled

    assert not unsettled(DEFAULT_DAYS) and DEFAULT_DAYS == 730

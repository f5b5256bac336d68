"""The time a comparison will take is measured on this machine, and small comparisons stay in
this process."""

from __future__ import annotations

import time

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

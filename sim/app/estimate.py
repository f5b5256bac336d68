"""How long a comparison will take on this machine, said before it starts, and whether its runs
are worth a process pool.

:func:`day_cost` is the cost of a community's day at any size, on a line through two sizes
timed here once (so that a larger comparison is never said to take less);
:func:`estimate_seconds` adds what follows the runs (summaries, charts, report) at the cost
learnt from the last comparisons on this server (:func:`learn_post_processing`).
"""

from __future__ import annotations

import os
import threading
import time

from sim.scenario.schema import Scenario

POOL_WORTH_S = 5.0  # run in this process unless the runs alone would take longer than this
# (a pool wins once they take a few times its start-up: the margin is for a busy machine)
POOL_START_S = 1.0  # a process pool's start-up from this (threaded) server: its workers are
# forked from the fork server the visualiser starts with the rules loaded
# (sim.ensemble.executors.start_fork_server): first results 0.05-0.07 s after the pool was
# made, 1.2 s while the server itself is still starting, on the quiet two-core machine
# (2026-11; spawned workers, which import Mesa, pandas and numba and load the rules, took
# 2.5 s quiet, 11-17 s with the machine loaded 3-5)
RUN_OVERHEAD_S = 0.03  # per run: starting it, writing its file (measured: 2 x 2 short runs)
STORE_DAY_FACTOR = 1.4  # a stored day costs this much more than a bare one (measured: 40 runs)
# A community's day costs close to a straight line in its residents (the least of 3 runs of
# 60 days on the shared two-core machine: 0.09, 0.10, 0.12, 0.16, 0.23 and 0.47 ms a day at
# 200, 300, 500, 1,000, 2,000 and 5,000 residents; building it 1.1 to 5.9 ms). Two sizes are
# timed, once, and the line through them serves every size, so that the estimate never falls
# as the residents grow: each size timed on its own, 15 days once at whatever moment it was
# first asked for, had 300 residents "about 20 seconds" and 1,000 "about 15" (a user check;
# the runs took 2-3 s), and 21 of 48 steps of the residents slider made the estimate fall
PROBE_RESIDENTS = (200, 2000)
PROBE_DAYS = 60
PROBE_REPEATS = 3  # the least of them is kept: a busy moment makes a run slower, not faster
_LINE: dict[str, tuple[float, float]] = {}  # "build", "day" -> (seconds at 0, per resident)
_PROBE_LOCK = threading.Lock()


def _probe(residents: int) -> tuple[float, float]:
    """(seconds to build a community of ``residents``, seconds per simulated day): the least
    of :data:`PROBE_REPEATS` communities built and run for :data:`PROBE_DAYS` days."""
    scenario = Scenario(name="probe").with_overrides(residents=residents)
    scenario.build_model(0, days_hint=2).run_days(2)  # first-call costs, untimed
    build = day = float("inf")
    for seed in range(1, PROBE_REPEATS + 1):
        t0 = time.perf_counter()
        model = scenario.build_model(seed, days_hint=PROBE_DAYS)
        t1 = time.perf_counter()
        model.run_days(PROBE_DAYS)
        t2 = time.perf_counter()
        build, day = min(build, t1 - t0), min(day, (t2 - t1) / PROBE_DAYS)
    return build, day


def _line_through(small: float, large: float) -> tuple[float, float]:
    """(cost at no residents, cost per resident) of the line through ``small`` and ``large``,
    the costs at :data:`PROBE_RESIDENTS`; never falling (a timing at the larger size that
    came out lower is taken as the smaller one's cost)."""
    lo, hi = PROBE_RESIDENTS
    slope = max(0.0, (large - small) / (hi - lo))
    return small - slope * lo, slope


def day_cost(residents: int) -> tuple[float, float]:
    """(seconds to build a community, seconds per simulated day) at ``residents`` on this
    machine: on the line through the costs timed at :data:`PROBE_RESIDENTS` (timed once,
    at the first estimate)."""
    from sim.app import warmup

    warmup.wait()  # the compiled rules, so that loading them is not timed as a day
    with _PROBE_LOCK:
        if not _LINE:
            (b1, d1), (b2, d2) = (_probe(r) for r in PROBE_RESIDENTS)
            _LINE["build"], _LINE["day"] = _line_through(b1, b2), _line_through(d1, d2)
        (b0, b), (d0, d) = _LINE["build"], _LINE["day"]
    r = int(residents)  # (a line through a slow small timing may start below nothing)
    return max(0.0, b0 + b * r), max(0.0, d0 + d * r)


# the runs' time taken over the time the days timed here gave for them, learnt from the last
# comparisons on this server (:func:`learn_runs`): the days are timed once, at the first
# estimate, often while the server is still busy starting (timed then, the runs of a
# comparison came out 2-5 times too long on the shared two-core machine), and the machine's
# load changes
_RUNS = {"factor": 1.0}
RUNS_FACTOR_RANGE = (0.2, 5.0)  # the most one comparison may teach, either way
# runs shorter than this teach nothing: their time is mostly starting runs and writing files
# (RUN_OVERHEAD_S, a rough figure), not the days
LEARN_FROM_S = 1.0


def _timed_runs_s(n_scenarios: int, replicates: int, days: int, residents: int) -> float:
    """Seconds the runs would take one after another in this process, at the days timed."""
    build, per_day = day_cost(int(residents))
    return n_scenarios * replicates * (build + RUN_OVERHEAD_S + days * per_day *
                                       STORE_DAY_FACTOR)


def runs_in_process_s(n_scenarios: int, replicates: int, days: int, residents: int) -> float:
    """Seconds the runs would take one after another in this process."""
    return _RUNS["factor"] * _timed_runs_s(n_scenarios, replicates, days, residents)


def _parallel(n_runs: int, workers: int | None = None) -> int:
    """Runs under way at once in a pool of ``workers`` (None: one per core)."""
    cores = os.cpu_count() or 1
    return max(1, min(cores, workers or cores, n_runs))


def choose_workers(n_scenarios: int, replicates: int, days: int, residents: int) -> int | None:
    """1 (this process) while the runs take less than :data:`POOL_WORTH_S` seconds: a pool's
    start-up (:data:`POOL_START_S`) is not won back by the smallest comparisons; None (a
    process per core) beyond that, and then the report's charts are drawn in parallel too
    (sim/report/job.py draws them in this process when the job runs in it)."""
    if runs_in_process_s(n_scenarios, replicates, days, residents) < POOL_WORTH_S:
        return 1
    return None


# summaries, charts and the report: seconds per scenario, learnt from the last comparisons
# on this server (the first estimate uses what was measured here, from the page's own path,
# 2026-11: 1.1 s for 2 scenarios, 1.7 s for 3, 3.2 s for 4 and 4.0 s for 6, 4.5-4.8 s for
# the main job's 12; it was 2.5 s per scenario and 2 s more when charts were drawn one after
# another, which made the first estimates 1.6-2.5 times too long)
_POST = {"per_scenario_s": 0.5, "fixed_s": 1.0}


def learn_runs(n_scenarios: int, replicates: int, days: int, residents: int,
               workers: int | None, runs_s: float) -> None:
    """Update the runs' factor (:data:`_RUNS`) from a finished comparison's runs, which took
    ``runs_s`` seconds in this process (``workers`` 1) or in a pool."""
    timed = _timed_runs_s(n_scenarios, replicates, days, residents)
    if workers != 1:  # what the runs took in their pool, as if one after another
        runs_s = max(0.0, runs_s - POOL_START_S) * _parallel(n_scenarios * replicates, workers)
    if timed < LEARN_FROM_S or runs_s <= 0:
        return
    lo, hi = RUNS_FACTOR_RANGE
    seen = min(max(runs_s / timed, lo), hi)
    _RUNS["factor"] = 0.5 * _RUNS["factor"] + 0.5 * seen


def learn_post_processing(n_scenarios: int, timings: dict) -> None:
    """Update the per-scenario cost of what follows the runs from a finished comparison."""
    post = float(timings.get("total", 0.0)) - float(timings.get("runs", 0.0))
    if n_scenarios > 0 and post > 0:
        seen = max(0.0, post - _POST["fixed_s"]) / n_scenarios
        _POST["per_scenario_s"] = 0.5 * _POST["per_scenario_s"] + 0.5 * seen


def estimate_seconds(n_scenarios: int, replicates: int, days: int, residents: int) -> float:
    """Wall-clock seconds a comparison should take here: the runs at the cost of a day
    measured here (spread over the cores, plus a pool's start, when a pool is worth it), then
    the summaries, charts and report at the cost learnt from earlier comparisons (the runs'
    too: :func:`learn_runs`). It never falls as the scenarios, replicates, days or residents
    grow."""
    runs = runs_in_process_s(n_scenarios, replicates, days, residents)
    if choose_workers(n_scenarios, replicates, days, residents) != 1:
        # no less than the most the runs take in this process: just past the point where a
        # pool is chosen, the pooled runs would otherwise be said to take less than a
        # smaller comparison (5.1 s in this process is 3.6 s in a pool on two cores; a
        # pool's start on a busy machine can take the difference, the margin's reason)
        runs = max(POOL_WORTH_S, runs / _parallel(n_scenarios * replicates) + POOL_START_S)
    return runs + _POST["fixed_s"] + _POST["per_scenario_s"] * n_scenarios


def duration_words(seconds: float) -> str:
    """An estimate in words: to the second under 10 s (a job of 2 s is not "about 5"), to
    five seconds under 90 s, then to the minute."""
    if seconds < 10:
        whole = max(1, int(round(seconds)))
        return f"about {whole} second{'s' if whole != 1 else ''}"
    if seconds < 90:
        return f"about {int(round(seconds / 5.0) * 5)} seconds"
    return f"about {int(round(seconds / 60.0))} minutes"

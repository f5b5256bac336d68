"""Parallel efficiency of the ensemble runner, and the overhead of the Dask path.

    PYTHONPATH=. python bench/ensemble.py [--runs 16] [--residents 10000] [--days 60]
                                       [--repeat 3]

The same ensemble (one scenario, ``--runs`` replicates) is run:

* in this process (``workers=1``: no pool at all), after a warm-up;
* on a local spawn-context process pool of 1 and of 2 workers, each started and warmed
  (every worker has imported the model and built a small community) before the clock
  starts, so the figures compare running, not start-up;
* on a local Dask cluster (``LocalCluster``, 2 worker processes x 1 thread), also warmed,
  through ``run_ensemble(scheduler=address)``, which connects a client as users do;
* cold, end to end, as a user calls it: ``run_ensemble(workers=2)`` including the pool's
  start-up, and the Dask cluster's start-up time on its own.

Speed-up = time on 1 pool worker / time on 2 pool workers (2.0 is perfect); parallel
efficiency = speed-up / 2.
Dask overhead = time on Dask / time on the 2-worker pool - 1. Because other work on a
shared machine caps any speed-up, the same rounds time a fixed pure-CPU task in 1 and in 2
processes (the machine's speed-up right now) and the runner's own overhead (wall time over
the runs' time on their worker, and the main process's CPU time). Every configuration writes
identical run files (checked by their checksums). On a shared, busy machine the figures
are rough: the configurations alternate for ``--repeat`` rounds and each keeps its best.
Prints figures; the last line is one JSON object.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import multiprocessing
import os
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from sim.ensemble import run_ensemble
from sim.scenario.schema import RunSettings, Scenario

SPIN_STEPS = 3_000_000  # about half a second of one idle core


def warm_up(_: int) -> int:
    """Import the model and build a small community (what the first run would pay)."""
    from sim.model import KindlinessModel
    from sim.params import ModelParams, PopulationParams

    model = KindlinessModel(ModelParams(population=PopulationParams(n_residents=200)))
    model.run_days(2)
    time.sleep(0.2)  # hold this worker so the next warm-up lands on another
    return os.getpid()


def spin(n: int) -> int:
    """Pure CPU work of a fixed size: how much parallelism the machine has right now."""
    x = 0
    for i in range(n):
        x = (x * 31 + i) % 1_000_003
    return x


def timed(fn) -> tuple[float, object]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=16)
    ap.add_argument("--residents", type=int, default=10_000)
    ap.add_argument("--days", type=int, default=60)
    ap.add_argument("--repeat", type=int, default=3,
                    help="rounds over all configurations; the best time of each is kept")
    args = ap.parse_args()
    sc = Scenario("Bench", run=RunSettings(days=args.days, replicates=args.runs, seed=3))
    sc = sc.with_overrides(residents=args.residents)
    with tempfile.TemporaryDirectory(prefix="bench-ensemble-") as tmp:
        figures = measure(sc, args, Path(tmp))
    report(figures)


def measure(sc, args, tmp: Path) -> dict:
    counter = iter(range(10**6))
    checksums: dict = {}
    best: dict = {}

    def run(label, **how):
        out = tmp / f"{label}-{next(counter)}"
        cpu0 = os.times()
        t, result = timed(lambda: run_ensemble([sc], out, **how))
        cpu1 = os.times()
        assert result.ok, result.failed
        checksums[label] = [r.data_sha256 for r in result.completed]
        if t < best.get(f"{label}_s", float("inf")):
            best[f"{label}_s"] = t
            # time the runs took on their workers, and this process's own CPU time
            best[f"{label}_worker_sum_s"] = sum(r.wall_s for r in result.completed)
            best[f"{label}_main_cpu_s"] = (cpu1.user - cpu0.user) + (cpu1.system - cpu0.system)

    def spin_time(pool, n_tasks):
        t, _ = timed(lambda: list(pool.map(spin, [SPIN_STEPS] * n_tasks)))
        best[f"spin{n_tasks}_s"] = min(t, best.get(f"spin{n_tasks}_s", t))

    ctx = multiprocessing.get_context("spawn")
    figures: dict = {"runs": args.runs, "residents": args.residents, "days": args.days,
                     "repeat": args.repeat, "load_average_before": os.getloadavg()[0]}
    run("cold_pool2", workers=2)  # as a user calls it: the pool starts inside the call
    warm_up(0)  # this process too: imports and compiled rules are not what is compared
    with contextlib.ExitStack() as stack:
        pools = {}
        for n in (1, 2):
            pools[n] = stack.enter_context(ProcessPoolExecutor(n, mp_context=ctx))
            list(pools[n].map(warm_up, range(2 * n)))
        address = None
        try:
            from distributed import LocalCluster
        except ImportError:
            LocalCluster = None
        if LocalCluster is not None:
            t, cluster = timed(lambda: LocalCluster(n_workers=2, threads_per_worker=1,
                                                    processes=True, dashboard_address=None,
                                                    silence_logs=logging.ERROR))
            figures["dask_cluster_start_s"] = t
            stack.enter_context(cluster)
            stack.enter_context(cluster.get_client()).run(warm_up, 0)
            address = cluster.scheduler_address
        # alternate the configurations, round after round, and keep each one's best time:
        # on a shared machine, other people's load comes and goes
        for _ in range(args.repeat):
            spin_time(pools[2], 1)
            spin_time(pools[2], 2)
            run("inline", workers=1)
            run("pool1", executor=pools[1])
            run("pool2", executor=pools[2])
            if address:
                run("dask2", scheduler=address)
    figures.update(best)
    figures["load_average_after"] = os.getloadavg()[0]

    # every configuration must write the same bytes (if not, the model's files changed
    # while the benchmark ran, or something is wrong: the figures say which)
    figures["differing_from_inline"] = [k for k, v in checksums.items()
                                        if v != checksums["inline"]]
    return figures


def report(figures: dict) -> None:
    rd = figures["runs"] * figures["residents"] * figures["days"]
    figures["parallel_speedup_2_workers"] = figures["pool1_s"] / figures["pool2_s"]
    figures["parallel_efficiency"] = figures["parallel_speedup_2_workers"] / 2
    # the machine's own speed-up for pure CPU work in 2 processes right now (2.0 when idle)
    figures["machine_speedup_2_procs"] = 2 * figures["spin1_s"] / figures["spin2_s"]
    figures["runner_overhead_pool1"] = figures["pool1_s"] / figures["pool1_worker_sum_s"] - 1
    if "dask2_s" in figures:
        figures["dask_overhead_vs_pool"] = figures["dask2_s"] / figures["pool2_s"] - 1
    same = ("identical run files in every configuration" if not figures["differing_from_inline"]
            else f"RUN FILES DIFFER in {figures['differing_from_inline']}")
    print(f"{figures['runs']} runs x {figures['residents']:,} residents x {figures['days']} "
          f"days ({rd / 1e6:.1f}M resident-days); {same}")
    for key in ("inline_s", "pool1_s", "pool2_s", "cold_pool2_s", "dask2_s"):
        if key in figures:
            print(f"  {key[:-2]:<12} {figures[key]:7.2f} s   {rd / figures[key] / 1e6:5.2f}M "
                  "resident-days/s")
    print(f"  speed-up on 2 workers: {figures['parallel_speedup_2_workers']:.2f}x "
          f"(efficiency {100 * figures['parallel_efficiency']:.0f}%); the machine itself gave "
          f"{figures['machine_speedup_2_procs']:.2f}x for pure CPU work in 2 processes "
          f"(load average {figures['load_average_before']:.1f} -> "
          f"{figures['load_average_after']:.1f} on {os.cpu_count()} cores)")
    print(f"  runner overhead on 1 worker: {100 * figures['runner_overhead_pool1']:+.1f}% of the "
          f"runs' own time; main process CPU {figures['pool2_main_cpu_s']:.2f} s for "
          f"{figures['runs']} runs on 2 workers")
    if "dask2_s" in figures:
        print(f"  Dask: cluster start {figures['dask_cluster_start_s']:.1f} s; run overhead vs "
              f"the local pool {100 * figures['dask_overhead_vs_pool']:+.0f}%")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()

"""Parallel efficiency of the ensemble runner, and the overhead of the Dask path.

    PYTHONPATH=. python bench/ensemble.py [--runs 16] [--residents 3000] [--days 60]

The same ensemble (one scenario, ``--runs`` replicates) is run:

* in this process (``workers=1``: no pool at all), after a warm-up;
* on a local spawn-context process pool of 1 and of 2 workers, each started and warmed
  (every worker has imported the model and built a small community) before the clock
  starts, so the figures compare running, not start-up;
* on a local Dask cluster (``LocalCluster``, 2 worker processes x 1 thread), also warmed,
  through ``run_ensemble(scheduler=address)``, which connects a client as users do;
* cold, end to end, as a user calls it: ``run_ensemble(workers=2)`` including the pool's
  start-up, and the Dask cluster's start-up time on its own.

Parallel efficiency = time on 1 pool worker / time on 2 pool workers (2.0 is perfect).
Dask overhead = time on Dask / time on the 2-worker pool - 1. Every configuration writes
identical run files (checked by their checksums). On a shared, busy machine the figures
are rough: run it when the machine is quiet, and take the best of ``--repeat`` tries.
Prints figures; the last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import logging
import multiprocessing
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from sim.ensemble import run_ensemble
from sim.scenario.schema import RunSettings, Scenario


def warm_up(_: int) -> int:
    """Import the model and build a small community (what the first run would pay)."""
    import os

    from sim.model import KindlinessModel
    from sim.params import ModelParams, PopulationParams

    model = KindlinessModel(ModelParams(population=PopulationParams(n_residents=200)))
    model.run_days(2)
    time.sleep(0.2)  # hold this worker so the next warm-up lands on another
    return os.getpid()


def timed(fn) -> tuple[float, object]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=16)
    ap.add_argument("--residents", type=int, default=3000)
    ap.add_argument("--days", type=int, default=60)
    ap.add_argument("--repeat", type=int, default=1, help="tries per configuration; best kept")
    args = ap.parse_args()
    sc = Scenario("Bench", run=RunSettings(days=args.days, replicates=args.runs, seed=3))
    sc = sc.with_overrides(residents=args.residents)
    with tempfile.TemporaryDirectory(prefix="bench-ensemble-") as tmp:
        figures = measure(sc, args, Path(tmp))
    report(figures)


def measure(sc, args, tmp: Path) -> dict:
    counter = iter(range(10**6))
    checksums = {}

    def run(label, **how):
        best = None
        for _ in range(args.repeat):
            out = tmp / f"{label}-{next(counter)}"
            t, result = timed(lambda out=out: run_ensemble([sc], out, **how))
            assert result.ok, result.failed
            checksums[label] = [r.data_sha256 for r in result.completed]
            best = t if best is None else min(best, t)
        return best

    ctx = multiprocessing.get_context("spawn")
    figures: dict = {"runs": args.runs, "residents": args.residents, "days": args.days}
    warm_up(0)  # this process too: imports and compiled rules are not what is compared
    figures["inline_s"] = run("inline", workers=1)
    for n in (1, 2):
        with ProcessPoolExecutor(n, mp_context=ctx) as pool:
            list(pool.map(warm_up, range(2 * n)))
            figures[f"pool{n}_s"] = run(f"pool{n}", executor=pool)

    figures["cold_pool2_s"] = run("cold_pool2", workers=2)

    try:
        from distributed import LocalCluster
    except ImportError:
        LocalCluster = None
    if LocalCluster is not None:
        t, cluster = timed(lambda: LocalCluster(n_workers=2, threads_per_worker=1,
                                                processes=True, dashboard_address=None,
                                                silence_logs=logging.ERROR))
        figures["dask_cluster_start_s"] = t
        with cluster, cluster.get_client() as client:
            client.run(warm_up, 0)
            figures["dask2_s"] = run("dask2", scheduler=cluster.scheduler_address)

    # every configuration must write the same bytes (if not, the model's files changed
    # while the benchmark ran, or something is wrong: the figures say which)
    figures["differing_from_inline"] = [k for k, v in checksums.items()
                                        if v != checksums["inline"]]
    return figures


def report(figures: dict) -> None:
    rd = figures["runs"] * figures["residents"] * figures["days"]
    figures["parallel_speedup_2_workers"] = figures["pool1_s"] / figures["pool2_s"]
    figures["parallel_efficiency"] = figures["parallel_speedup_2_workers"] / 2
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
          f"(efficiency {100 * figures['parallel_efficiency']:.0f}%)")
    if "dask2_s" in figures:
        print(f"  Dask: cluster start {figures['dask_cluster_start_s']:.1f} s; run overhead vs "
              f"the local pool {100 * figures['dask_overhead_vs_pool']:+.0f}%")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()

"""Entry point for ``python run.py robustness SCENARIOS...`` (sim/cli.py registers it and
prints). ``add_arguments(parser)`` declares the options; ``run(args)`` returns
``(exit_code, text)``; nothing here prints."""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.robustness.analysis import KEY_METRICS, PRIMARY_METRIC


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenarios", nargs="+",
                        help="scenario files; the first is the baseline")
    parser.add_argument("--worlds", type=int, default=32,
                        help="plausible worlds to sample (default 32; with --method sobol, "
                             "the base sample N, a power of two: N * (D + 2) worlds)")
    parser.add_argument("--method", choices=("lhs", "sobol"), default="lhs",
                        help="Latin hypercube + RBD-FAST (default) or Saltelli + Sobol")
    parser.add_argument("--replicates", type=int, default=3,
                        help="paired seeds per scenario per world (default 3)")
    parser.add_argument("--metric", default=PRIMARY_METRIC,
                        help=f"metric the recommendation is made on (default {PRIMARY_METRIC})")
    parser.add_argument("--metrics", default=",".join(KEY_METRICS),
                        help="key metrics, comma-separated")
    parser.add_argument("--residents", type=int, default=None, help="override community size")
    parser.add_argument("--days", type=int, default=None, help="override simulated days")
    parser.add_argument("--seed", type=int, default=20261124, help="root seed for the worlds")
    parser.add_argument("--workers", type=int, default=None, help="local processes")
    parser.add_argument("--scheduler", default=None, help="Dask scheduler tcp://HOST:PORT")
    parser.add_argument("--out", default="results", help="results root folder")


def run(args: argparse.Namespace, on_progress=None) -> tuple[int, str]:
    from sim.report.outputs import new_output_dir
    from sim.robustness.analysis import run_robustness
    from sim.robustness.output import write_outputs
    from sim.scenario.loader import load_scenarios

    scenarios = load_scenarios([Path(p) for p in args.scenarios])
    out_dir = new_output_dir(args.out, "robustness")
    result = run_robustness(
        scenarios, out_dir, n_worlds=args.worlds, replicates=args.replicates,
        method=args.method, metrics=[m for m in args.metrics.split(",") if m],
        primary=args.metric, seed=args.seed, residents=args.residents, days=args.days,
        workers=args.workers, scheduler=args.scheduler, on_progress=on_progress)
    paths, text = write_outputs(result, out_dir)
    return 0, text + "\n\n" + "\n".join(f"wrote {p}" for p in paths.values())


def main(argv: list[str] | None = None) -> tuple[int, str]:
    parser = argparse.ArgumentParser(prog="robustness")
    add_arguments(parser)
    return run(parser.parse_args(argv))

"""Entry point for ``python run.py robustness SCENARIOS...`` (sim/cli.py registers it and
prints). ``add_arguments(parser)`` declares the options; ``run(args)`` returns
``(exit_code, text)``; nothing here prints. Every option and file is checked before the dated
output folder is made: bad input raises ``sim.usage.UsageProblem`` (exit 2, nothing
written)."""

from __future__ import annotations

import argparse
import difflib
import os

from sim.ensemble.seeds import DEFAULT_ROOT_SEED
from sim.robustness.analysis import KEY_METRICS, PRIMARY_METRIC
from sim.usage import bounded, seed_number, whole_number

MAX_WORLDS = 100_000
MAX_REPLICATES = 1_000


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenarios", nargs="+", metavar="FILE",
                        help="scenario files (.toml); the first is the baseline")
    w = parser.add_argument_group("the plausible worlds")
    w.add_argument("--worlds", type=bounded(1, MAX_WORLDS), default=32, metavar="N",
                   help="how many plausible worlds to sample, each with its own values of the "
                   "model's uncertain assumptions (default 32; with --method sobol, the base "
                   "sample N, a power of two, gives N * (D + 2) worlds for D assumptions)")
    w.add_argument("--method", choices=("lhs", "sobol"), default="lhs",
                   help="how worlds are sampled and sensitivity measured: lhs, a Latin "
                   "hypercube with RBD-FAST (default), or sobol, Saltelli's design with Sobol "
                   "indices (more worlds, also total effects)")
    w.add_argument("--seed", type=seed_number, default=DEFAULT_ROOT_SEED,
                   metavar="S", help="the seed the worlds are drawn with (default "
                   "%(default)s); the runs' own seeds come from the files' [run] seed")
    m = parser.add_argument_group("what the recommendation is judged on")
    m.add_argument("--metric", default=PRIMARY_METRIC, metavar="NAME",
                   help="the metric each world's best intervention is chosen on (default "
                   f"{PRIMARY_METRIC}; names as in summary.csv)")
    m.add_argument("--metrics", default=",".join(KEY_METRICS), metavar="NAMES",
                   help="the metrics whose share of worlds beating the baseline is reported, "
                   f"comma-separated (default: {', '.join(KEY_METRICS)})")
    g = parser.add_argument_group("how much to simulate")
    g.add_argument("--replicates", type=bounded(1, MAX_REPLICATES), default=3, metavar="N",
                   help="paired runs of each scenario in each world, with the same seeds in "
                   "every world (default 3)")
    g.add_argument("--days", type=whole_number, default=None, metavar="D",
                   help="how many simulated days each run lasts (default: the files' [run] "
                   "days, which must agree)")
    g.add_argument("--residents", type=whole_number, default=None, metavar="R",
                   help="how many residents the simulated community has (default: each "
                   "file's population n_residents)")
    o = parser.add_argument_group("where results go and where runs execute")
    o.add_argument("--out", default="results", metavar="DIR",
                   help="folder under which a new, dated folder is made for this job's "
                   "outputs; earlier outputs are never overwritten (default: %(default)s)")
    o.add_argument("--workers", type=bounded(1), default=None, metavar="N",
                   help="how many runs to do at once on this computer (default: one per "
                   "processor core)")
    o.add_argument("--scheduler", default=None, metavar="tcp://HOST:PORT",
                   help="run on a Dask cluster at this address instead of this computer")


def check_metrics(metric: str, metrics: str) -> list[str]:
    """The key metrics (``--metrics``, comma-separated), checked with ``--metric``: each in the
    registry, with a better direction (:func:`sim.robustness.analysis.directed_metrics`)."""
    from sim.metrics import REGISTRY
    from sim.robustness.analysis import directed_metrics
    from sim.usage import UsageProblem

    allowed = directed_metrics()

    def problem(flag, name):
        if name in REGISTRY:  # known, but every use here needs a better direction
            use = ("each world's best option is chosen on it" if flag == "--metric" else
                   "its share of worlds beating the baseline would say only 'higher'")
            return (f"{flag}: '{name}' has no better direction (neither higher nor lower is "
                    f"better), but {use}; give a metric with a better direction (allowed: "
                    f"{', '.join(allowed)})")
        close = difflib.get_close_matches(name, allowed, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        return f"{flag}: unknown metric '{name}'; {hint}(allowed: {', '.join(allowed)})"

    names = [m.strip() for m in metrics.split(",") if m.strip()]
    problems = [problem("--metrics", m) for m in names if m not in allowed]
    if metric not in allowed:
        problems.append(problem("--metric", metric))
    if not names:
        problems.append("--metrics: give at least one metric name (comma-separated)")
    if problems:
        raise UsageProblem(problems)
    return names


def check_inputs(args: argparse.Namespace) -> tuple[list, list[str], list[str]]:
    """``(scenarios, metrics, warnings)``, or ``UsageProblem`` for anything wrong."""
    from sim.commands.job import dedupe_paths, repeated_paths
    from sim.scenario.loader import Override
    from sim.usage import (
        UsageProblem,
        check_out_root,
        check_scheduler,
        check_workers,
        load_checked,
        paired_run_problems,
    )

    metrics = check_metrics(args.metric, args.metrics)
    if args.method == "sobol" and args.worlds & (args.worlds - 1):
        raise UsageProblem(f"--worlds {args.worlds}: with --method sobol the base sample must "
                           "be a power of two (e.g. 16, 32, 64)")
    if args.workers is not None and args.scheduler is not None:
        raise UsageProblem("--workers and --scheduler cannot be used together: --workers sets "
                           "parallelism on this computer, a Dask cluster sizes itself")
    check_workers(args.workers)
    check_scheduler(args.scheduler)
    overrides = [Override(key, value, flag) for key, value, flag in (
        ("run.days", args.days, "--days"),
        ("population.n_residents", args.residents, "--residents")) if value is not None]
    # a file given twice is run once, and said, as compare does (two copies would be two
    # scenarios of one name)
    repeats = repeated_paths(args.scenarios)
    files = dedupe_paths(args.scenarios)
    if len(files) < 2:
        missing = [f"{f}: file not found" for f in files if not os.path.lexists(f)]
        raise UsageProblem(missing + repeats + ["robustness needs a baseline and at least one "
                                                f"other scenario file (got {len(files)})"])
    scenarios, warnings = load_checked(files, overrides)
    warnings = [*(f"warning: {line}" for line in repeats), *warnings]
    from sim.commands.job import community_refusal
    from sim.ensemble import make_plan

    paired = paired_run_problems(scenarios, flags=[("days", "--days")])  # its --seed: worlds'
    if paired:
        raise UsageProblem(paired)
    # as compare: pairs of runs of two places would read the places' differences as the
    # interventions' effects (no flag to run it anyway: the page has no word for that)
    different = community_refusal(scenarios, anyway=False)
    if different:
        raise UsageProblem(different)
    try:
        make_plan(scenarios, args.replicates)  # paired: one root seed, the same days
    except ValueError as exc:
        raise UsageProblem(str(exc).splitlines()) from None
    check_out_root(args.out)
    from sim.report.programmes import settling_words

    # each world's verdict averages the runs' last quarter, as compare's verdicts do
    words = settling_words(scenarios[0].run.days, "each world's verdict averages",
                           "relying on the shares of worlds")
    if words:
        warnings = [*warnings, words]
    return scenarios, metrics, warnings


def run(args: argparse.Namespace, on_progress=None) -> tuple[int, str]:
    from sim.robustness.analysis import run_robustness
    from sim.robustness.output import write_outputs
    from sim.usage import make_output_dir

    scenarios, metrics, warnings = check_inputs(args)
    out_dir = make_output_dir(args.out, "robustness")
    result = run_robustness(
        scenarios, out_dir, n_worlds=args.worlds, replicates=args.replicates,
        method=args.method, metrics=metrics, primary=args.metric, seed=args.seed,
        workers=args.workers, scheduler=args.scheduler, on_progress=on_progress)
    paths, text = write_outputs(result, out_dir)
    return 0, "\n".join([*warnings, text, "", *(f"wrote {p}" for p in paths.values())])


def main(argv: list[str] | None = None) -> tuple[int, str]:
    from sim.usage import OneLineParser

    parser = OneLineParser(prog="robustness")
    add_arguments(parser)
    return run(parser.parse_args(argv))

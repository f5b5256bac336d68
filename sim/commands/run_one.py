"""``run``: run one scenario's replicates and write the same outputs as compare, without
effects against a baseline."""

from __future__ import annotations

from sim.commands.job import check_where, load, run_and_report
from sim.commands.shared import add_run_options

HELP = "run one scenario many times and write a report (no comparison)"
DESCRIPTION = ("Run one scenario file's replicates and write the same outputs as compare, "
               "without effects against a baseline.")


def add_arguments(p):
    p.add_argument("file", metavar="FILE", help="the scenario file (.toml) to run")
    add_run_options(p, single=True)


def run(args, argv) -> int:
    from sim.usage import run_overrides

    check_where(args)
    scenarios = load([args.file], run_overrides(args), args)
    return run_and_report(scenarios, args, kind="run", argv=argv)

"""``run``: run one scenario's replicates and write the same outputs as compare, without
effects against a baseline."""

from __future__ import annotations

from sim.commands.job import as_comparison, check_where, load, run_and_report, take_from_plan
from sim.commands.shared import PROG, add_run_options

HELP = "run one scenario many times and write a report (no comparison)"
DESCRIPTION = ("Run one scenario file's replicates and write the same outputs as compare, "
               "without effects against a baseline.")


def add_arguments(p):
    p.add_argument("file", metavar="FILE", nargs="?",
                   help="the scenario file (.toml) to run; none with --resume DIR: the file "
                   "DIR's job ran")
    add_run_options(p, single=True)


def run(args, argv) -> int:
    from sim.usage import UsageProblem, run_overrides

    planned = take_from_plan(args)  # --resume DIR alone: the job as it was started
    if not args.file and len(planned) > 1:  # a comparison's folder
        raise UsageProblem([f"--resume {args.resume}: nothing was run; its job compared "
                            f"{len(planned)} scenarios, and run runs one",
                            f"continue it with: {as_comparison(args.resume)}"])
    file = args.file or (planned[0] if len(planned) == 1 else None)
    args.resume_alone = bool(planned) and not args.file and args.options_from_plan
    if file is None:
        raise UsageProblem([f"{PROG} run: give the scenario file to run, or --resume DIR "
                            f"alone to continue a job (see: {PROG} run --help)"])
    check_where(args)
    scenarios = load([file], run_overrides(args), args)
    return run_and_report(scenarios, args, kind="run", argv=argv)

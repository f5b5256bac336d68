"""``compare``: run scenario files the same number of times with the same seeds and write a
report of their effects against the baseline."""

from __future__ import annotations

from sim.commands.job import (
    check_where,
    dedupe_paths,
    load,
    repeated_paths,
    run_and_report,
    take_from_plan,
)
from sim.commands.shared import PROG, add_community_flag, add_run_options, err
from sim.usage import UsageProblem, too_few_files

HELP = "compare scenarios against a baseline and write a report"
DESCRIPTION = ("Run every scenario file the same number of times with the same seeds (run i of "
               "each uses the same seed) and write report.html, summary.csv, daily.csv.gz, charts "
               "and manifest.json into a new folder. The first file is the baseline unless "
               "--baseline says otherwise.")


def add_arguments(p):
    p.add_argument("files", nargs="*", metavar="FILE",
                   help="scenario files (.toml); the first is the baseline unless --baseline "
                   "names one; a file given twice is compared once (with a warning); none "
                   "with --resume DIR: the files DIR's job compared")
    p.add_argument("--baseline", metavar="FILE",
                   help="the scenario every other is compared with (default: the first FILE)")
    add_community_flag(p)
    add_run_options(p)


def run(args, argv) -> int:
    planned = take_from_plan(args)  # --resume DIR alone: the job as it was started
    files = list(args.files) or ([] if args.baseline else planned)
    args.resume_alone = (bool(planned) and not args.files and not args.baseline
                         and args.options_from_plan)
    # a FILE given twice is run once, and said (the --baseline file among the FILEs, as a
    # glob such as scenarios/*.toml gives it, is not a repeat worth a word)
    repeats = repeated_paths(files)
    if args.baseline:
        files = [args.baseline] + files
    files = dedupe_paths(files)
    if not files and not args.resume:  # FILE may be left out only with --resume
        raise UsageProblem([f"{PROG} compare: give the scenario files to compare (the "
                            "baseline first), or --resume DIR alone to continue a job (see: "
                            f"{PROG} compare --help)"])
    if len(files) < 2:
        raise UsageProblem(too_few_files("compare", files, repeats))
    err(*(f"warning: {line}" for line in repeats))
    from sim.usage import run_overrides

    check_where(args)
    scenarios = load(files, run_overrides(args), args)
    return run_and_report(scenarios, args, kind="compare", argv=argv,
                          replicates=scenarios[0].run.replicates)

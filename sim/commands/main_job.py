"""The main job (``python run.py`` with no command): compare every scenario in a folder
(scenarios/ by default) against its baseline.toml, quickly (the main job's own size in
sim.commands.shared, at most MAIN_JOB_MAX_REPLICATES runs per scenario)."""

from __future__ import annotations

import os
from pathlib import Path

from sim.commands.job import (
    as_comparison,
    check_where,
    load,
    run_and_report,
    take_from_plan,
)
from sim.commands.shared import (
    BASELINE_FILE,
    MAIN_JOB_DAYS,
    MAIN_JOB_MAX_REPLICATES,
    MAIN_JOB_RESIDENTS,
    PROG,
    err,
    project_scenarios,
)
from sim.usage import UsageProblem


def main_job_plan(args) -> tuple[list, int, str]:
    """The main job's scenarios (the baseline first, then the folder's other files in name
    order) with its settings applied, its replicates, and a note for the report."""
    folder = project_scenarios() if args.scenarios is None else Path(args.scenarios)
    baseline = folder / BASELINE_FILE
    if os.path.lexists(folder) and not folder.is_dir():  # not "FILE/baseline.toml: not found"
        raise UsageProblem([f"--scenarios {folder}: is a file, not a folder; give the folder "
                            f"that holds {BASELINE_FILE} and the other scenario files, or "
                            f"use '{PROG} compare' to choose files"])
    if args.scenarios is not None and not os.path.lexists(folder):  # not "baseline.toml: not
        # found" of a folder that is not there (a user check)
        raise UsageProblem([f"--scenarios {folder}: no such folder; give the folder that "
                            f"holds {BASELINE_FILE} and the other scenario files"])
    if not os.path.lexists(baseline):
        raise UsageProblem([f"{baseline}: file not found (the main job compares every scenario "
                            f"in {folder}/ against {BASELINE_FILE}; use --scenarios DIR or "
                            f"'{PROG} compare' to choose files)"])
    others = sorted(p for p in folder.glob("*.toml")
                    if os.path.realpath(p) != os.path.realpath(baseline))
    from sim.usage import run_overrides

    own = {"days": (MAIN_JOB_DAYS, f"the main job's {MAIN_JOB_DAYS} days"),
           "residents": (MAIN_JOB_RESIDENTS, f"the main job's {MAIN_JOB_RESIDENTS} residents")}
    scenarios = load([str(baseline)] + [str(p) for p in others], run_overrides(args, **own),
                     args)
    if getattr(args, "residents", None) is None:
        described = scenarios[0].definition.get("population", {}).get("n_residents")
        if described not in (None, MAIN_JOB_RESIDENTS):  # an area of its own size
            err(f"warning: the main job runs every scenario at {MAIN_JOB_RESIDENTS:,} "
                f"residents; {baseline} describes {described:,}: pass --residents "
                f"{described} to keep its size")
    seed = scenarios[0].run.seed  # pair on one seed: --seed, or the baseline's
    scenarios = [s.with_overrides(seed=seed) for s in scenarios]
    asked = scenarios[0].run.replicates
    replicates = args.replicates or min(asked, MAIN_JOB_MAX_REPLICATES)
    note = ""
    if args.replicates is None and asked > replicates:
        note = (f"This is the quick main job: {replicates} runs per scenario instead of the "
                f"{asked} the baseline file asks for. For the full number, run: {PROG} "
                f"compare {baseline} ... (or pass --replicates).")
    return scenarios, replicates, note


def run(args, argv) -> int:
    """Compare every scenario in scenarios/ against scenarios/baseline.toml."""
    check_where(args)
    # --resume DIR alone: the settings the job was started with (its files are the folder's)
    planned = take_from_plan(args, days=MAIN_JOB_DAYS, residents=MAIN_JOB_RESIDENTS,
                             replicates=MAIN_JOB_MAX_REPLICATES)
    args.resume_alone = bool(args.resume) and args.options_from_plan \
        and args.scenarios is None
    folder = project_scenarios() if args.scenarios is None else Path(args.scenarios)
    mine = {os.path.realpath(p) for p in folder.glob("*.toml")}
    theirs = {os.path.realpath(p) for p in planned if os.path.exists(p)}
    # a comparison's folder (user checks: told its files were "new", and given settings it
    # never typed; a comparison of some of the shipped files was given its --days and
    # refused for another file's start day): files not the main job's, or only some of them
    some = (f"some of the files in {folder}/ ({len(theirs)} of {len(mine)}), not all of them "
            "as the main job does" if planned and theirs < mine and len(theirs) == len(planned)
            else "")
    if theirs - mine or some:
        raise UsageProblem([f"--resume {args.resume}: nothing was run; its job compared "
                            + (some or f"files that are not the main job's ({folder}/)"),
                            f"continue it with: {as_comparison(args.resume)}"])
    scenarios, replicates, note = main_job_plan(args)
    kind = "compare" if len(scenarios) > 1 else "run"  # only the baseline so far
    return run_and_report(scenarios, args, kind=kind, argv=argv, replicates=replicates,
                    settings_note=note)

"""The command line: ``python run.py [COMMAND] ...`` (also installed as ``kindliness``).

This is the only module (with the visualiser) that prints or reads the environment. Every
subcommand is registered in one table, :data:`COMMANDS`; commands written elsewhere (``viz``,
``calibrate``, ``robustness``) are imported only when used, from a module that provides
``add_arguments(parser)`` and ``run(args) -> int | (int, text)``.

Exit status: 0 success; 1 a failure after work started (one line saying why, and where what
finished was kept); 2 bad input (scenario files, options, an output folder that cannot be
made, a scheduler that does not answer), reported before anything runs or is written; 130
interrupted (what finished is kept; ``--resume`` continues). No traceback is printed unless
``--debug`` is given (anywhere on the line).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sim.usage import OneLineParser, UsageProblem, whole_number

PROG = "python run.py"
SCENARIOS_DIR = "scenarios"
BASELINE_FILE = "baseline.toml"
RESULTS_DIR = "results"
# The main job (``python run.py`` with no command) must finish well inside five minutes on a
# 2-core machine: 1,000 residents for two years, each scenario's replicates capped at this.
MAIN_JOB_DAYS = 730
MAIN_JOB_RESIDENTS = 1000
MAIN_JOB_MAX_REPLICATES = 10

EXIT_OK, EXIT_FAILED, EXIT_INVALID, EXIT_INTERRUPTED = 0, 1, 2, 130


def _err(*lines: str) -> None:
    for line in lines:
        print(line, file=sys.stderr)


DEBUG_FLAG = "--debug"


# ---------------------------------------------------------------------------------------------
# Options shared by the main job, compare and run
# ---------------------------------------------------------------------------------------------


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _add_run_options(p: argparse.ArgumentParser, *, main_job: bool = False) -> None:
    g = p.add_argument_group("how much to simulate (default: what the scenario files say)")
    rep_default = (f"the baseline file's replicates, at most {MAIN_JOB_MAX_REPLICATES}"
                   if main_job else "the baseline file's [run] replicates")
    g.add_argument("--replicates", type=whole_number, metavar="N",
                   help="how many times to run each scenario, each time with a different "
                   "random seed; run i of every scenario uses the same seed, so scenarios are "
                   f"compared like for like (default: {rep_default})")
    g.add_argument("--days", type=whole_number, metavar="D",
                   help="how many simulated days each run lasts (default: "
                   + (f"{MAIN_JOB_DAYS}" if main_job else "the files' [run] days, which must "
                      "agree") + ")")
    g.add_argument("--residents", type=whole_number, metavar="R",
                   help="how many residents the simulated community has (default: "
                   + (f"{MAIN_JOB_RESIDENTS}" if main_job else "each file's population "
                      "n_residents") + ")")
    g.add_argument("--seed", type=whole_number, metavar="S",
                   help="the root random seed every run's seed is derived from; the same "
                   "seed gives the same results (default: "
                   + ("the baseline file's" if main_job else "the files' (they must agree)")
                   + " [run] seed)")
    o = p.add_argument_group("where results go and where runs execute")
    o.add_argument("--out", metavar="DIR", default=RESULTS_DIR,
                   help="folder under which a new, dated folder is made for this job's "
                   "outputs; earlier outputs are never overwritten (default: %(default)s)")
    o.add_argument("--workers", type=_positive_int, metavar="N",
                   help="how many runs to do at once on this computer (default: one per "
                   "processor core; 1 runs everything in this process)")
    o.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                   help="run on a Dask cluster at this address instead of this computer "
                   "(needs the 'cluster' extra and the package installed on every worker)")
    o.add_argument("--resume", metavar="DIR",
                   help="continue an interrupted job in its folder DIR: only the runs that "
                   "are missing are done, then the outputs are written; give the same "
                   "scenarios and options as the first time")


# ---------------------------------------------------------------------------------------------
# Loading and validating scenarios
# ---------------------------------------------------------------------------------------------


def _load(paths: list[str], overrides=()):
    """Load and validate every file with the command line's overrides (checked by the same
    rules as the files); print warnings; raise UsageProblem with every error."""
    from sim.usage import load_checked

    scenarios, warnings = load_checked(paths, overrides)
    _err(*warnings)
    return scenarios


def _check_plan(scenarios, replicates) -> None:
    from sim.ensemble import make_plan

    try:
        make_plan(scenarios, replicates)
    except ValueError as exc:
        raise UsageProblem(str(exc).splitlines()) from None


def _check_community(scenarios, allowed: bool) -> None:
    """A comparison pairs runs of the same community: refuse scenarios whose residents,
    sections, network or day-0 hubs differ from the baseline's (exit 2), unless allowed
    (then the report says plainly that the pairs are not the same community)."""
    from sim.report.community import HOW_TO_FIX, confounded

    different = confounded(scenarios)
    if not different:
        return
    lines = [f"{next(s.path or s.name for s in scenarios if s.name == name)}: not the same "
             f"community as the baseline ({scenarios[0].path or scenarios[0].name}); "
             f"differs in: {'; '.join(keys)}" for name, keys in different.items()]
    if allowed:
        for line in lines:
            _err(f"warning: {line}")
        return
    raise UsageProblem(lines + ["A paired comparison needs one community: the differences "
                                "would mix the interventions' effects with the differences "
                                "between places.", HOW_TO_FIX])


def _add_community_flag(p) -> None:
    p.add_argument("--allow-different-community", action="store_true",
                   help="compare even when a scenario's community (residents, sections, "
                   "network, hubs from day 0) differs from the baseline's; the report then "
                   "warns that the pairs are not the same community")


def _dedupe_paths(paths: list[str]) -> list[str]:
    seen, out = set(), []
    for p in paths:
        key = os.path.realpath(p)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


# ---------------------------------------------------------------------------------------------
# Running a job with a progress bar
# ---------------------------------------------------------------------------------------------


class _ProgressBar:
    """A tqdm bar over runs on stderr, shown once a job has taken more than a second."""

    def __init__(self, desc: str):
        self.desc = desc
        self.bar = None

    def __call__(self, p) -> None:
        from tqdm import tqdm

        if p.status == "start":
            self.bar = tqdm(total=p.n_total, initial=p.n_skipped, desc=self.desc, unit="run",
                            file=sys.stderr, delay=1.0, dynamic_ncols=True)
            return
        if self.bar is None:
            return
        self.bar.update(1)
        if p.n_failed:
            self.bar.set_postfix(failed=p.n_failed)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def _fmt_duration(seconds: float) -> str:
    m, s = divmod(int(round(seconds)), 60)
    return f"{m} min {s:02d} s" if m else f"{seconds:.1f} s"


def _run_job(scenarios, args, *, kind: str, argv: list[str], replicates=None,
             settings_note: str = "") -> int:
    from sim.ensemble import PlanMismatchError
    from sim.report.job import run_job
    from sim.usage import check_resume_dir, make_output_dir

    replicates = args.replicates or replicates
    _check_plan(scenarios, replicates)
    if kind == "compare":
        _check_community(scenarios, getattr(args, "allow_different_community", False))
    out_dir = check_resume_dir(args.resume) if args.resume else make_output_dir(args.out, kind)
    n_runs = sum(replicates or s.run.replicates for s in scenarios)
    what = (f"{len(scenarios) - 1} scenario(s) against {scenarios[0].name}" if kind == "compare"
            else scenarios[0].name)
    _err(f"{'Comparing' if kind == 'compare' else 'Running'} {what}: {n_runs} runs of "
         f"{scenarios[0].run.days} days; outputs in {out_dir}")
    bar = _ProgressBar("runs")
    t0 = time.perf_counter()
    settings = {"days": scenarios[0].run.days,
                "replicates": replicates or scenarios[0].run.replicates,
                "residents": {s.name: s.model.population.n_residents for s in scenarios},
                "root_seed": scenarios[0].run.seed, "workers": args.workers,
                "scheduler": args.scheduler, "resumed_from": args.resume}
    try:
        result = run_job(scenarios, out_dir, kind=kind, command=[PROG, *argv],
                         replicates=replicates, workers=args.workers,
                         scheduler=args.scheduler, resume=bool(args.resume),
                         on_progress=bar, on_stage=lambda msg: (bar.close(), _err(f"{msg} ...")),
                         settings_note=settings_note, settings=settings)
    except PlanMismatchError as exc:  # --resume with other scenarios or options: bad input
        bar.close()
        raise UsageProblem(str(exc).splitlines()) from None
    except KeyboardInterrupt:
        bar.close()
        _err(f"interrupted: finished runs are kept in {out_dir}",
             f"continue with: {PROG} {' '.join(_without_resume(argv))} --resume {out_dir}")
        return EXIT_INTERRUPTED
    except Exception as exc:  # one line for the user; what finished stays on disk
        bar.close()
        if getattr(args, "debug", False):
            import traceback

            traceback.print_exc()
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        _err(f"error: {type(exc).__name__}: {reason}", f"kept: {out_dir}")
        return EXIT_FAILED
    bar.close()
    elapsed = time.perf_counter() - t0
    if not result.ok:
        _err(f"{len(result.missing)} of {n_runs} runs did not finish (details in "
             f"{out_dir / 'manifest.json'}); the report covers the rest",
             f"continue with: {PROG} {' '.join(_without_resume(argv))} --resume {out_dir}")
        print(result.report)
        return EXIT_FAILED
    _err(f"done in {_fmt_duration(elapsed)}")
    print(result.report)
    return EXIT_OK


def _check_where(args) -> None:
    """Where runs would execute: checked first (an unreachable scheduler fails in seconds,
    before the files are even read), and before any folder is made."""
    from sim.usage import check_scheduler, check_workers

    if args.workers is not None and args.scheduler is not None:
        raise UsageProblem(["--workers and --scheduler cannot be used together: --workers "
                            "sets parallelism on this computer, a Dask cluster sizes itself"])
    check_workers(args.workers)
    check_scheduler(args.scheduler)


def _without_resume(argv: list[str]) -> list[str]:
    out, skip = [], False
    for a in argv:
        if skip:
            skip = False
            continue
        if a == "--resume":
            skip = True
            continue
        if a.startswith("--resume="):
            continue
        out.append(a)
    return out


# ---------------------------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------------------------


def main_job_plan(args) -> tuple[list, int, str]:
    """The main job's scenarios (the baseline first, then the folder's other files in name
    order) with its settings applied, its replicates, and a note for the report."""
    folder = Path(args.scenarios)
    baseline = folder / BASELINE_FILE
    if not os.path.lexists(baseline):
        raise UsageProblem([f"{baseline}: file not found (the main job compares every scenario "
                            f"in {folder}/ against {BASELINE_FILE}; use --scenarios DIR or "
                            f"'{PROG} compare' to choose files)"])
    others = sorted(p for p in folder.glob("*.toml")
                    if os.path.realpath(p) != os.path.realpath(baseline))
    from sim.usage import run_overrides

    own = {"days": (MAIN_JOB_DAYS, f"the main job's {MAIN_JOB_DAYS} days"),
           "residents": (MAIN_JOB_RESIDENTS, f"the main job's {MAIN_JOB_RESIDENTS} residents")}
    scenarios = _load([str(baseline)] + [str(p) for p in others], run_overrides(args, **own))
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


def cmd_main_job(args, argv) -> int:
    """Compare every scenario in scenarios/ against scenarios/baseline.toml."""
    _check_where(args)
    scenarios, replicates, note = main_job_plan(args)
    kind = "compare" if len(scenarios) > 1 else "run"  # only the baseline so far
    return _run_job(scenarios, args, kind=kind, argv=argv, replicates=replicates,
                    settings_note=note)


def cmd_compare(args, argv) -> int:
    files = list(args.files)
    if args.baseline:
        files = [args.baseline] + files
    files = _dedupe_paths(files)
    if len(files) < 2:
        raise UsageProblem(["compare needs a baseline and at least one other scenario file "
                            f"(got {len(files)} file)"])
    from sim.usage import run_overrides

    _check_where(args)
    scenarios = _load(files, run_overrides(args))
    return _run_job(scenarios, args, kind="compare", argv=argv,
                    replicates=scenarios[0].run.replicates)


def cmd_run(args, argv) -> int:
    from sim.usage import run_overrides

    _check_where(args)
    scenarios = _load([args.file], run_overrides(args))
    return _run_job(scenarios, args, kind="run", argv=argv)


def cmd_validate(args, argv) -> int:
    from sim.scenario import validate_files
    from sim.usage import run_overrides

    problems = validate_files(args.files, overrides=run_overrides(args))
    errors = [p for p in problems if p.is_error]
    for p in problems:
        (_err if p.is_error else print)(str(p))
    if errors:
        files = {p.file for p in errors if not p.file.startswith("--")}
        where = [f"{len(files)} file(s)"] if files else []
        where += ["the options"] if len(files) < len({p.file for p in errors}) else []
        _err(f"{len(errors)} problem{'s' if len(errors) != 1 else ''} in "
             f"{' and '.join(where)}; nothing was run or written")
        return EXIT_INVALID
    for f in args.files:
        print(f"{f}: ok")
    return EXIT_OK


def cmd_assets(args, argv) -> int:
    from sim.app import assets

    if args.check:
        missing = assets.missing_assets(args.dir)
        for m in missing:
            print(m)
        print(f"{len(missing)} browser asset(s) missing")
        return EXIT_FAILED if missing else EXIT_OK
    try:
        path = assets.prepare_assets(args.dir, log=lambda msg: _err(str(msg)),
                                     force=args.force)
    except RuntimeError as exc:
        _err(f"error: {exc}")
        return EXIT_FAILED
    print(path)
    return EXIT_OK


def _add_compare_args(p):
    p.add_argument("files", nargs="+", metavar="FILE",
                   help="scenario files (.toml); the first is the baseline unless --baseline "
                   "names one")
    p.add_argument("--baseline", metavar="FILE",
                   help="the scenario every other is compared with (default: the first FILE)")
    _add_community_flag(p)
    _add_run_options(p)


def _add_run_args(p):
    p.add_argument("file", metavar="FILE", help="the scenario file (.toml) to run")
    _add_run_options(p)


def _add_validate_args(p):
    p.add_argument("files", nargs="+", metavar="FILE",
                   help="scenario files (.toml) to check; every problem in every file is "
                   "listed, one per line")
    g = p.add_argument_group("check the files as they would run with these options (the "
                             "same options as compare and run)")
    for flag, meta in (("--days", "D"), ("--residents", "R"), ("--replicates", "N"),
                       ("--seed", "S")):
        g.add_argument(flag, type=whole_number, metavar=meta)


def _add_assets_args(p):
    p.add_argument("--dir", type=Path, default=None,
                   help="the asset cache folder (default: the project's .assets/solara-cdn)")
    p.add_argument("--check", action="store_true",
                   help="only list what is missing (exit 1 if anything is)")
    p.add_argument("--force", action="store_true", help="fetch again even what is present")


@dataclass(frozen=True)
class Command:
    """One subcommand. Built in: ``add_arguments`` and ``handler`` are given. Written
    elsewhere: ``module`` names a module (imported only when the command is used) that
    provides ``add_arguments(parser)`` and ``run(args) -> int | (int, text)``."""

    help: str
    description: str = ""
    add_arguments: Callable | None = None
    handler: Callable | None = None
    module: str | None = None
    owner: str = ""  # what provides it, for the message when it is not there yet
    progress: bool = False  # the module's run() takes on_progress= (ensemble Progress events)


COMMANDS: dict[str, Command] = {
    "compare": Command(
        "compare scenarios against a baseline and write a report",
        "Run every scenario file the same number of times with the same seeds (run i of each "
        "uses the same seed) and write report.html, summary.csv, daily.csv, charts and "
        "manifest.json into a new folder. The first file is the baseline unless --baseline "
        "says otherwise.", _add_compare_args, cmd_compare),
    "run": Command(
        "run one scenario many times and write a report (no comparison)",
        "Run one scenario file's replicates and write the same outputs as compare, without "
        "effects against a baseline.", _add_run_args, cmd_run),
    "validate": Command(
        "check scenario files without running anything",
        "Check scenario files and list every problem, one per line, with the file, the key "
        "and what is allowed. Exit status 0 when all are valid, 2 otherwise. Nothing is "
        "written.", _add_validate_args, cmd_validate),
    "viz": Command("open the browser visualiser of the community and comparisons",
                   module="sim.app.cli", owner="the browser visualiser (sim/app)"),
    "assets": Command(
        "prepare the visualiser's browser files for use without internet",
        "Fetch the JavaScript, CSS and fonts the visualiser's page needs into a local cache "
        "(needs npm and the npm registry once), so the visualiser works offline.",
        _add_assets_args, cmd_assets),
    "new-area": Command("write an area baseline and an intervention file that extends it",
                        module="sim.area", owner="the area recipe (sim/area.py)"),
    "calibrate": Command("fit the calibrated parameters to survey figures",
                         module="sim.calibration.cli", owner="calibration (sim/calibration)"),
    "robustness": Command("check how results hold up when assumptions change",
                          module="sim.robustness.cli", owner="robustness (sim/robustness)",
                          progress=True),
    "validate-places": Command("predict places the model was never fitted to",
                               module="sim.validation.places_cli",
                               owner="validation (sim/validation)"),
}


def build_parser() -> argparse.ArgumentParser:
    """The whole command line; commands written elsewhere are listed without importing them."""
    parser = OneLineParser(
        prog=PROG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=(
            "Simulate kindliness in a community and compare interventions.\n\n"
            "With no command, runs the main job: compares every scenario in scenarios/ with "
            f"scenarios/{BASELINE_FILE}\n({MAIN_JOB_RESIDENTS:,} residents, "
            f"{MAIN_JOB_DAYS} days, at most {MAIN_JOB_MAX_REPLICATES} runs per scenario), "
            "writes a report into a new folder\nunder results/ and prints the report's path."),
        epilog=(f"examples:\n  {PROG}\n  {PROG} compare scenarios/baseline.toml "
                "scenarios/third_space.toml --replicates 20\n"
                f"  {PROG} validate scenarios/*.toml\n  {PROG} run scenarios/baseline.toml "
                f"--days 365\n\n'{PROG} COMMAND --help' explains each command's options.\n"
                "Exit status: 0 done; 1 failed (what finished is kept); 2 invalid input "
                "(nothing run or written); 130 interrupted.\n"
                f"{DEBUG_FLAG} (anywhere on the line) shows the full traceback of an "
                "unexpected error."),
    )
    parser.add_argument("--scenarios", metavar="DIR", default=SCENARIOS_DIR,
                        help="main job only: the folder of scenario files, holding "
                        f"{BASELINE_FILE} (default: %(default)s)")
    _add_community_flag(parser)
    _add_run_options(parser, main_job=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND",
                                title="commands (none: the main job)")
    for name, c in COMMANDS.items():
        if c.module:
            p = sub.add_parser(name, help=c.help, add_help=False, prefix_chars="\0")
            p.add_argument("rest", nargs=argparse.REMAINDER)
        else:
            p = sub.add_parser(name, help=c.help, description=c.description or c.help)
            c.add_arguments(p)
    return parser


def _run_plugin(name: str, c: Command, rest: list[str]) -> int:
    try:
        module = importlib.import_module(c.module)
    except ModuleNotFoundError as exc:
        if exc.name and (c.module == exc.name or c.module.startswith(exc.name + ".")):
            _err(f"'{name}' is not available yet: {c.owner or c.module} has not provided "
                 f"{c.module} (with add_arguments(parser) and run(args)).")
            return EXIT_FAILED
        raise
    if not (hasattr(module, "add_arguments") and hasattr(module, "run")):
        _err(f"'{name}' is not available yet: {c.module} does not provide "
             "add_arguments(parser) and run(args).")
        return EXIT_FAILED
    parser = OneLineParser(prog=f"{PROG} {name}", description=c.description or c.help)
    module.add_arguments(parser)
    args = parser.parse_args(rest)
    if c.progress:
        bar = _ProgressBar("runs")
        try:
            outcome = module.run(args, on_progress=bar)
        finally:
            bar.close()
    else:
        outcome = module.run(args)
    if isinstance(outcome, tuple):
        code, text = outcome
        if text:
            print(text)
        return int(code)
    return int(outcome or 0)


def main(argv: list[str] | None = None) -> int:
    """Parse ``argv`` (default: the process's arguments), run, return the exit status.

    Bad input (UsageProblem, a scenario file's problems) is exit 2 with its lines; anything
    unexpected is exit 1 with one line, or its traceback with ``--debug``."""
    from sim.scenario.errors import ScenarioError

    argv = list(sys.argv[1:] if argv is None else argv)
    debug = DEBUG_FLAG in argv
    argv = [a for a in argv if a != DEBUG_FLAG]
    parser = build_parser()
    args = parser.parse_args(argv)
    args.debug = debug
    name = args.command
    try:
        if name is None:
            return cmd_main_job(args, argv)
        c = COMMANDS[name]
        if c.module:
            return _run_plugin(name, c, list(args.rest))
        return c.handler(args, argv)
    except UsageProblem as exc:
        _err(*exc.lines)
        return EXIT_INVALID
    except ScenarioError as exc:  # a command written elsewhere that loaded files itself
        _err(*(str(p) for p in exc.problems))
        return EXIT_INVALID
    except KeyboardInterrupt:
        _err("interrupted")
        return EXIT_INTERRUPTED
    except Exception as exc:
        if debug:
            raise
        _err(f"error: {_one_line(exc)}",
             f"(unexpected: run the same command with {DEBUG_FLAG} for the details, and "
             "please report it)")
        return EXIT_FAILED


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text.splitlines()[0]}" if text else type(exc).__name__

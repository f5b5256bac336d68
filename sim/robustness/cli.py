"""Entry point for ``python run.py robustness SCENARIOS...`` (sim/cli.py registers it and
prints). ``add_arguments(parser)`` declares the options; ``run(args)`` returns
``(exit_code, text)``; nothing here prints. Every option and file is checked before the dated
output folder is made: bad input raises ``sim.usage.UsageProblem`` (exit 2, nothing
written). A job stopped after that (Ctrl-C, a lost cluster, failed runs, a full disk) raises
``sim.commands.shared.JobStopped``: how many runs are kept and the ``--resume`` command that
continues it (exit 130, 143 after SIGTERM, or 1)."""

from __future__ import annotations

import argparse
import contextlib
import difflib
import json
import os
from pathlib import Path

from sim.ensemble.seeds import DEFAULT_ROOT_SEED
from sim.robustness.analysis import KEY_METRICS, PRIMARY_METRIC
from sim.usage import bounded, seed_number, whole_number

MAX_WORLDS = 100_000
MAX_REPLICATES = 1_000


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenarios", nargs="*", metavar="FILE",
                        help="scenario files (.toml); the first is the baseline; none with "
                        "--resume DIR: the files DIR's job ran")
    w = parser.add_argument_group("the plausible worlds")
    w.add_argument("--worlds", type=bounded(1, MAX_WORLDS), default=None, metavar="N",
                   help="how many plausible worlds to sample, each with its own values of the "
                   "model's uncertain assumptions and those of the files' intervention types "
                   "(default 32; with --method sobol, the base "
                   "sample N, a power of two, gives N * (D + 2) worlds for D assumptions)")
    w.add_argument("--method", choices=("lhs", "sobol"), default=None,
                   help="how worlds are sampled and sensitivity measured: lhs, a Latin "
                   "hypercube with RBD-FAST (default), or sobol, Saltelli's design with Sobol "
                   "indices (more worlds, also total effects)")
    w.add_argument("--seed", type=seed_number, default=None,
                   metavar="S", help="the seed the worlds are drawn with (default "
                   f"{DEFAULT_ROOT_SEED}); the runs' own seeds come from the files' [run] "
                   "seed")
    m = parser.add_argument_group("what the recommendation is judged on")
    m.add_argument("--metric", default=PRIMARY_METRIC, metavar="NAME",
                   help="the metric each world's best intervention is chosen on (default "
                   f"{PRIMARY_METRIC}; names as in summary.csv)")
    m.add_argument("--metrics", default=",".join(KEY_METRICS), metavar="NAMES",
                   help="the metrics whose share of worlds beating the baseline is reported, "
                   f"comma-separated (default: {', '.join(KEY_METRICS)})")
    g = parser.add_argument_group("how much to simulate")
    g.add_argument("--replicates", type=bounded(1, MAX_REPLICATES), default=None,
                   metavar="N",
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
    o.add_argument("--resume", default=None, metavar="DIR",
                   help="continue an interrupted robustness job in its folder DIR: only the "
                   "runs that are missing are done, then the outputs are written; its "
                   "files and options are the first time's (give none, or the same)")


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
        hint = f"; did you mean '{close[0]}'?" if close else ""
        return f"{flag}: unknown metric '{name}'{hint} (allowed: {', '.join(allowed)})"

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
        too_few_files,
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
        raise UsageProblem(too_few_files("robustness", files, repeats))
    scenarios, warnings = load_checked(files, overrides)
    warnings = [*(f"warning: {line}" for line in repeats), *warnings]
    from sim.commands.job import community_refusal, size_warnings
    from sim.ensemble import make_plan

    paired = paired_run_problems(scenarios, flags=[("days", "--days")])  # its --seed: worlds'
    if paired:
        raise UsageProblem(paired)
    # as compare: pairs of runs of two places would read the places' differences as the
    # interventions' effects (no flag to run it anyway: the page has no word for that)
    different = community_refusal(scenarios, anyway=False)
    if different:
        raise UsageProblem(different)
    # as compare: an option of another size, run at --residents (a user check: unsaid)
    warnings = [*warnings, *size_warnings(scenarios)]
    try:
        make_plan(scenarios, args.replicates)  # paired: one root seed, the same days
    except ValueError as exc:
        raise UsageProblem(str(exc).splitlines()) from None
    if args.resume:
        check_resume(args, scenarios)
    else:
        check_out_root(args.out)
    from sim.report.programmes import settling_words

    # each world's verdict averages the runs' last quarter, as compare's verdicts do
    words = settling_words(scenarios[0].run.days, "each world's verdict averages",
                           "relying on the shares of worlds")
    if words:
        warnings = [*warnings, words]
    return scenarios, metrics, warnings


# what a robustness job was started with, beside its runs: a --resume is checked against it
# and its differences said in the options' terms (the ensemble's plan names its runs by world)
JOB_FILE = "robustness_job.json"
RESUME_FIX = ("to continue it, give --resume alone (its files and options are in the "
              "folder), or the same scenario files, --worlds, --method, --seed, "
              "--replicates, --days and --residents it was started with; or leave out "
              "--resume to start a new folder")


def job_record(args: argparse.Namespace, scenarios) -> dict:
    """What determines a robustness job's runs, in the options' terms (:data:`JOB_FILE`)."""
    first = scenarios[0]
    return {"files": [os.path.realpath(s.path) if s.path else s.name for s in scenarios],
            "worlds": args.worlds, "method": args.method, "seed": args.seed,
            "replicates": args.replicates, "days": first.run.days,
            "residents": first.model.population.n_residents}


def job_differences(old: dict, new: dict) -> list[str]:
    """What differs between two :func:`job_record`s, in short phrases ("--worlds 6 then, 8
    now"); empty when they are the same job."""
    out = []
    if old.get("files") != new["files"]:
        def names(files):
            return ", ".join(os.path.relpath(f) if os.path.isabs(f) else f for f in files)
        out.append(f"the scenario files ({names(old.get('files') or [])} then; "
                   f"{names(new['files'])} now)")
    out += [f"--{key} {old.get(key)} then, {new[key]} now"
            for key in ("worlds", "method", "seed", "replicates", "days", "residents")
            if old.get(key) != new[key]]
    return out


def check_robustness_folder(folder: Path) -> Path:
    """The runs folder of the robustness job in ``folder``, or ``UsageProblem`` saying what
    ``folder`` is instead (missing, a file, a comparison's folder, another folder)."""
    from sim.commands.job import as_comparison
    from sim.ensemble.store import PLAN_FILE
    from sim.robustness.analysis import RUNS_FOLDER
    from sim.usage import UsageProblem

    if not folder.is_dir():
        what = "does not exist" if not os.path.lexists(folder) else "is not a folder"
        raise UsageProblem(f"--resume {folder}: {what}; give the folder of an earlier "
                           "robustness job")
    runs = folder / RUNS_FOLDER
    if not (runs / PLAN_FILE).is_file():
        other = (f" (it is a comparison's folder: continue it with {as_comparison(folder)})"
                 if (folder / PLAN_FILE).exists() else "")
        raise UsageProblem(f"--resume {folder}: nothing to resume here (no {RUNS_FOLDER}/"
                           f"{PLAN_FILE}; give the folder of an earlier robustness job)"
                           + other)
    return runs


def check_resume(args: argparse.Namespace, scenarios) -> None:
    """``--resume DIR`` names a robustness job's folder that was started with these files and
    options (its :data:`JOB_FILE`, then its runs' plan), or ``UsageProblem`` saying what
    differs and what to do: refused before anything runs."""
    from sim.commands.job import EDITED_SINCE_FIX
    from sim.ensemble import PlanMismatchError, check_resumable
    from sim.ensemble.store import files_of
    from sim.robustness.analysis import world_runs
    from sim.usage import UsageProblem, check_resume_dir

    folder = Path(args.resume)
    runs = check_robustness_folder(folder)
    check_resume_dir(runs)  # a readable plan, a runs folder, a folder it may write in
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UsageProblem(f"--resume {folder}: cannot write in it (permission denied)")
    refused = f"--resume {folder}: nothing was run; the job that made this folder differs: "
    try:
        old = json.loads((folder / JOB_FILE).read_text())
    except (OSError, ValueError):
        old = None  # a folder of an older version: its plan alone is checked
    if isinstance(old, dict):
        differs = job_differences(old, job_record(args, scenarios))
        if differs:
            raise UsageProblem([refused + "; ".join(differs), RESUME_FIX])
    _, _, everything = world_runs(scenarios, args.worlds, args.method, args.seed)
    try:
        check_resumable(everything, runs, args.replicates)
    except PlanMismatchError as exc:
        edited = edited_scenarios(runs, everything, args.replicates)
        differs = ([f"the model or interventions of "
                    f"{', '.join(repr(e['name'].split(':', 1)[-1]) for e in edited)} (the "
                    f"scenario file edited since{files_of(edited)}, or --residents)"] if edited
                   else exc.differences)
        raise UsageProblem([refused + ("; ".join(differs) or str(exc)),
                            EDITED_SINCE_FIX if edited else RESUME_FIX]) from None


def edited_scenarios(runs: Path, everything, replicates) -> list[dict]:
    """The plan entries (one per scenario, its first world's; "name" is "w0003:Baseline",
    "path" its file) of the scenarios whose runs in the plan in ``runs`` were made from
    another model or interventions than ``everything`` (the world runs) ask for.
    A plan's runs are named by world ("w0003:Baseline"): a refusal listing those left the
    user to guess which file had changed (a user check)."""
    from sim.ensemble.runner import make_plan
    from sim.ensemble.store import read_plan

    try:
        old = {e["slug"]: e for e in read_plan(runs)["scenarios"]}
    except (OSError, ValueError):
        return []
    edited = {}
    for entry in make_plan(list(everything), replicates)["scenarios"]:
        before = old.get(entry["slug"])
        if before is not None and before.get("fingerprint") != entry["fingerprint"]:
            edited.setdefault(entry["name"].split(":", 1)[-1], entry)
    return list(edited.values())


def command_words(args: argparse.Namespace) -> list[str]:
    """The command line of this job (without --out and --resume), as its files and options
    were typed (:func:`take_job_options` keeps them): what 'continue with' and 'start again
    with' give."""
    typed = {key: getattr(args, key) for key in ("scenarios", *OPTIONS_KEPT)}
    typed.update(getattr(args, "as_typed", {}))
    words = ["robustness", *typed["scenarios"]]
    defaults = {"--method": "lhs", "--seed": DEFAULT_ROOT_SEED, "--metric": PRIMARY_METRIC,
                "--metrics": ",".join(KEY_METRICS)}
    for flag, value in (("--worlds", typed["worlds"]), ("--method", typed["method"]),
                        ("--seed", typed["seed"]), ("--replicates", typed["replicates"]),
                        ("--days", typed["days"]), ("--residents", typed["residents"]),
                        ("--metric", args.metric), ("--metrics", args.metrics),
                        ("--workers", args.workers), ("--scheduler", args.scheduler)):
        if value is not None and value != defaults.get(flag):
            words += [flag, str(value)]
    return words


def kept_runs(runs_dir: Path) -> tuple[int, int]:
    """``(complete runs on disk, runs planned)`` of an ensemble folder: the runs a resume
    skips, and all of them."""
    from sim.ensemble.passes import present_runs
    from sim.ensemble.store import read_plan

    entries = read_plan(runs_dir)["scenarios"]
    return (sum(len(present_runs(runs_dir, e, verify_checksum=False)) for e in entries),
            sum(len(e["seeds"]) for e in entries))


def stopped(exc: BaseException, args: argparse.Namespace, out_dir: Path, made: bool):
    """The :class:`~sim.commands.shared.JobStopped` for a job stopped by ``exc`` (Ctrl-C, a
    lost cluster, runs that failed, a full disk, ...) after its folder was made (``made``:
    by this call, not --resume): how many runs are kept and the command that continues it;
    an interruption before any run was planned leaves no folder and says so."""
    from sim.commands.shared import (
        EXIT_FAILED,
        JobStopped,
        command_again,
        interrupted_status,
    )
    from sim.ensemble import ClusterUnavailable, RunsInterrupted
    from sim.ensemble.store import LOCK_FILE, PLAN_FILE
    from sim.robustness.analysis import RUNS_FOLDER, RunsMissing

    runs = out_dir / RUNS_FOLDER
    again = command_again([*command_words(args), "--resume", str(out_dir)])
    interrupted = isinstance(exc, KeyboardInterrupt)
    if not (runs / PLAN_FILE).exists():  # stopped before the runs' plan: nothing to resume
        if made:
            for path in (out_dir / JOB_FILE, out_dir / LOCK_FILE, runs, out_dir):  # its own
                with contextlib.suppress(OSError):
                    path.unlink() if path.name in (JOB_FILE, LOCK_FILE) else path.rmdir()
        out = [] if args.resume or args.out == "results" else ["--out", str(args.out)]
        start = f"start again with: {command_again([*command_words(args), *out])}"
        if interrupted:
            return JobStopped(interrupted_status(), ["interrupted before any run started: "
                                                     "nothing was kept", start])
        return JobStopped(EXIT_FAILED, [f"error: {_reason(exc)}", start])
    if isinstance(exc, RunsInterrupted):
        kept, planned = exc.kept, exc.planned
    else:
        try:
            kept, planned = kept_runs(runs)
        except (OSError, ValueError):
            kept = planned = None
    finished = (f"{kept:,} of {planned:,} runs finished and are kept in {out_dir}"
                if kept is not None else f"the runs that finished are kept in {out_dir}")
    from sim.commands.job import leave_note

    kept_words = (f"{kept:,} of {planned:,} runs finished" if kept is not None else "")
    if interrupted:
        leave_note(out_dir, "interrupted (Ctrl-C or a signal)", kept_words, again)
        return JobStopped(interrupted_status(), [f"interrupted: {finished}",
                                                 f"continue with: {again}"])
    reason = str(exc) if isinstance(exc, RunsMissing) else _reason(exc)
    leave_note(out_dir, f"stopped by an error ({reason})", kept_words, again)
    if isinstance(exc, ClusterUnavailable):  # its own words end "the runs ... are kept"
        reason = reason.split("; the runs that finished are kept")[0]
    lines = [f"error: {reason}", f"{finished}; once the cause is mended, continue with: "
             f"{again}"]
    if not isinstance(exc, (RunsMissing, ClusterUnavailable, OSError)):
        lines.insert(1, "(unexpected: run the same command with --debug for the details, "
                     "and please report it)")
    return JobStopped(EXIT_FAILED, lines)


def _reason(exc: BaseException) -> str:
    from sim.ensemble import ClusterUnavailable

    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    if isinstance(exc, ClusterUnavailable):  # its words say what happened
        return text or type(exc).__name__
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


# the options of the worlds and the runs not given: the first time's on --resume, else these
DEFAULTS = {"worlds": 32, "method": "lhs", "seed": DEFAULT_ROOT_SEED, "replicates": 3}
OPTIONS_KEPT = ("worlds", "method", "seed", "replicates", "days", "residents")  # JOB_FILE's


def take_job_options(args: argparse.Namespace) -> None:
    """The files and options not given: with ``--resume DIR``, those its job was started
    with (:data:`JOB_FILE`), so that ``--resume DIR`` alone continues it, as compare's does;
    otherwise, and for what an older folder does not record, :data:`DEFAULTS`."""
    args.as_typed = {key: getattr(args, key) for key in ("scenarios", *OPTIONS_KEPT)}
    old = {}
    if args.resume and not args.scenarios:  # the folder's own problem, not "needs two files"
        check_robustness_folder(Path(args.resume))
    if args.resume:
        with contextlib.suppress(OSError, ValueError):
            old = json.loads((Path(args.resume) / JOB_FILE).read_text())
        old = old if isinstance(old, dict) else {}
    if not args.scenarios and isinstance(old.get("files"), list):
        args.scenarios = [str(f) for f in old["files"]]
    for key in OPTIONS_KEPT:
        if getattr(args, key) is None:
            setattr(args, key, old.get(key, DEFAULTS.get(key)))


def run(args: argparse.Namespace, on_progress=None) -> tuple[int, str]:
    """Check everything, make the folder (or take --resume's), run, write the outputs.
    Stopped after the folder is made (Ctrl-C, a lost cluster, failed runs, a full disk), it
    raises JobStopped saying how many runs are kept and how to continue (--resume)."""
    from sim.commands.shared import err
    from sim.usage import job_folder_held, make_output_dir

    take_job_options(args)
    scenarios, metrics, warnings = check_inputs(args)
    made = not args.resume
    out_dir = Path(args.resume) if args.resume else make_output_dir(args.out, "robustness")
    # the only job in its folder, until it ends (a --resume of it meanwhile is refused)
    with job_folder_held(out_dir, "--out" if made else "--resume"):
        err(*warnings)  # before the runs, on stderr, as compare says its own
        return _run_in(args, out_dir, made, scenarios, metrics, on_progress)


def _run_in(args: argparse.Namespace, out_dir: Path, made: bool, scenarios, metrics,
            on_progress) -> tuple[int, str]:
    """:func:`run` once its folder is made (or --resume's is checked) and held."""
    from sim.commands.job import compile_first
    from sim.commands.shared import err
    from sim.report.outputs import write_text_atomic
    from sim.robustness.analysis import run_robustness
    from sim.robustness.output import write_outputs

    start = {}

    def progress(p):
        if p.status == "start":
            start["p"] = p
        if on_progress is not None:
            on_progress(p)

    try:
        if made:
            write_text_atomic(out_dir / JOB_FILE, json.dumps(job_record(args, scenarios)))
        compile_first(args.scheduler)
        result = run_robustness(
            scenarios, out_dir, n_worlds=args.worlds, replicates=args.replicates,
            method=args.method, metrics=metrics, primary=args.metric, seed=args.seed,
            workers=args.workers, scheduler=args.scheduler, resume=not made,
            on_progress=progress)
        paths, text = write_outputs(result, out_dir)
    except BaseException as exc:
        if not isinstance(exc, Exception | KeyboardInterrupt):
            raise  # SystemExit and the like: not a job's end to report
        raise stopped(exc, args, out_dir, made) from exc
    resumed = []
    if "p" in start and not made and start["p"].n_skipped:
        p = start["p"]
        resumed = ([f"all {p.n_total:,} runs were already done: nothing to run; the outputs "
                    "are written again from them"] if p.n_skipped == p.n_total else
                   [f"resumed: {p.n_skipped:,} of {p.n_total:,} runs were already done and "
                    f"kept; {p.n_total - p.n_skipped:,} ran now"])
    err(*resumed)
    return 0, "\n".join([text, "", *(f"wrote {p}" for p in paths.values())])


def main(argv: list[str] | None = None) -> tuple[int, str]:
    from sim.usage import OneLineParser

    parser = OneLineParser(prog="robustness")
    add_arguments(parser)
    return run(parser.parse_args(argv))

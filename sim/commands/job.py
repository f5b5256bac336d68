"""Running a job from the command line: the checks before anything is made (where runs
execute, the plan, one community), the dated output folder, a progress bar over the runs,
the job itself (sim.report.job: the runs, then the outputs) and how it ended, in one line
for the user with exit 0, 1 or 130 (143 when SIGTERM stopped it)."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import sys
import time
from pathlib import Path

from sim.commands.shared import (
    EXIT_FAILED,
    EXIT_OK,
    PROG,
    command_again,
    err,
    interrupted_status,
    outputs_complete,
    problems_count,
)
from sim.usage import UsageProblem


def load(paths: list[str], overrides=(), args=None):
    """Load and validate every file with the command line's overrides (checked by the same
    rules as the files); print warnings; raise UsageProblem with every error, those of where
    the outputs would go (``args``: --out or --resume) among them."""
    from sim.usage import load_checked

    where = output_problems(args)
    try:
        scenarios, warnings = load_checked(paths, overrides)
    except UsageProblem as exc:
        # several closed as validate closes its refusal (a user check found compare's
        # without it); one problem stays one line
        lines = exc.lines + where
        n = getattr(exc, "n_errors", len(exc.lines)) + len(where)
        closing = [problems_count(n, getattr(exc, "files", set()),
                                  any(line.startswith("--") for line in lines))]
        raise UsageProblem(lines + closing if n > 1 else lines) from None
    if where:
        raise UsageProblem(where)
    err(*warnings)
    return scenarios


def output_problems(args) -> list[str]:
    """What is wrong with where a job's outputs would go (--resume's folder, or --out's),
    as lines; none when ``args`` is None or all is well. Checked again when the folder is
    made (sim.usage.make_output_dir)."""
    from sim.usage import check_out_root, check_resume_dir

    if args is None:
        return []
    try:
        if getattr(args, "resume", None):
            check_resume_dir(args.resume)
        elif getattr(args, "out", None) is not None:
            check_out_root(args.out)
    except UsageProblem as exc:
        return exc.lines
    return []


def check_plan(scenarios, replicates) -> None:
    """The files agree on what a paired comparison needs (said in the files' terms), and the
    runs can be planned."""
    from sim.ensemble import make_plan
    from sim.usage import paired_run_problems

    lines = paired_run_problems(scenarios)
    if lines:
        raise UsageProblem(lines)
    try:
        make_plan(scenarios, replicates)
    except ValueError as exc:
        raise UsageProblem(str(exc).splitlines()) from None


def check_community(scenarios, allowed: bool) -> None:
    """A comparison pairs runs of the same community: refuse scenarios whose residents,
    sections, network or day-0 hubs differ from the baseline's (exit 2), unless allowed
    (then the report says plainly that the pairs are not the same community)."""
    lines = community_differences(scenarios)
    if not lines:
        return
    if allowed:
        for line in lines:
            err(f"warning: {line}")
        return
    raise UsageProblem(community_refusal(scenarios))


# the last words of sim.report.community.HOW_TO_FIX: only where the command has the flag
ANYWAY = " To run this comparison anyway, add --allow-different-community."


def runs_alike_warnings(scenarios) -> list[str]:
    """A warning for each option that runs exactly as the baseline (the first), whose
    effects will all be zero (sim.ensemble.runner.runs_alike), or as an option before it,
    whose effects will be that option's: allowed, but said before the runs (a user check
    compared a plain copy of the baseline, unsaid; the compare page and the report say it
    too)."""
    from sim.ensemble.runner import alike_earlier, alike_words

    base = scenarios[0]
    out = []
    for s, first in alike_earlier(scenarios):
        if first is base:
            out.append(f"warning: {s.path or s.name}: '{s.name}' {alike_words(s)} as the "
                       f"baseline ({base.path or base.name}): its effects will all be zero "
                       "(its runs are the baseline's, seed for seed)")
        else:  # two options alike (a user check: the card named one "Best", unsaid)
            out.append(f"warning: {s.path or s.name}: '{s.name}' {alike_words(s)} as "
                       f"'{first.name}' ({first.path or first.name}): the two will have the "
                       "same effects, run for run")
    return out


def size_warnings(scenarios) -> list[str]:
    """A warning for each option whose files describe another size of community than the
    baseline's, run at one size all the same (sim.report.community.sizes_set_aside): by
    --residents, or the main job's size, which the report says too."""
    from sim.report.community import size_set_aside_words, sizes_set_aside

    n = scenarios[0].model.population.n_residents
    paths = {s.name: s.path or s.name for s in scenarios}
    return [f"warning: {paths[name]}: {size_set_aside_words(name, sizes, n)}"
            for name, sizes in sizes_set_aside(scenarios).items()]


def community_differences(scenarios) -> list[str]:
    """A line for each scenario whose residents, sections, network or day-0 hubs differ
    from the baseline's (the first), naming its file and what differs; none when all are
    one community."""
    from sim.report.community import confounded

    return [f"{next(s.path or s.name for s in scenarios if s.name == name)}: not the same "
            f"community as the baseline ({scenarios[0].path or scenarios[0].name}); "
            f"differs in: {'; '.join(keys)}" for name, keys in confounded(scenarios).items()]


def community_refusal(scenarios, anyway: bool = True) -> list[str]:
    """The lines that refuse scenarios of different communities (none when they are one):
    each difference, why a paired comparison needs one community and what to do
    (``anyway``: and the flag that runs it regardless, for a command that has it)."""
    from sim.report.community import HOW_TO_FIX

    lines = community_differences(scenarios)
    if not lines:
        return []
    return lines + ["A paired comparison needs one community: the differences would mix the "
                    "interventions' effects with the differences between places.",
                    HOW_TO_FIX if anyway else HOW_TO_FIX.removesuffix(ANYWAY)]


def dedupe_paths(paths: list[str]) -> list[str]:
    return [p for p, first in _firsts(paths) if first is None]


def repeated_paths(paths: list[str]) -> list[str]:
    """A line for each path that names a file given before it (the same file under another
    name too): compare runs each file once, and says so rather than drop one silently."""
    return [f"{p} is given twice" + (f" (also as {first})" if first != p else "")
            + "; it is compared once" for p, first in _firsts(paths) if first is not None]


def _firsts(paths: list[str]) -> list[tuple[str, str | None]]:
    """Each path with the earlier path naming the same file (None for the first)."""
    seen, out = {}, []
    for p in paths:
        key = os.path.realpath(p)
        out.append((p, seen.get(key)))
        seen.setdefault(key, p)
    return out


# Where stderr is not a terminal (a log file, a pipe, a batch system's output) the bar's
# redraws, joined by carriage returns, garble the file into one long line: a plain line is
# written instead each time another of LOG_STEPS parts of the runs is done, none before
# LOG_AFTER_S (as the bar shows none for a job quicker than that)
LOG_STEPS = 10
LOG_AFTER_S = 1.0
# and at least this often, with the time left (a user check: a job of 200,000 runs said
# nothing for 55 minutes between its tenths)
LOG_EVERY_S = 60.0
# a job whose runs would fill more than this share of the free disk is warned of, once its
# first run is on disk (a user check: 200,000 runs, about 94 GB, started unsaid)
DISK_WARN_SHARE = 0.9


def on_terminal(stream) -> bool:
    """Whether ``stream`` is a terminal (a closed or replaced stream is not)."""
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


class ProgressBar:
    """A tqdm bar over runs on stderr, shown once a job has taken more than a second; where
    stderr is not a terminal, a plain line every tenth of the runs, and every minute, with
    the time left. Given the job's ``folder``, a job whose runs would not fit on its disk
    is warned of once its first run is there."""

    def __init__(self, desc: str, folder: Path | None = None):
        self.desc = desc
        self.folder = folder
        self.bar = None
        self.last = None  # the last progress seen: runs done (kept), in all
        # not on a terminal: [runs handled, when the job started, when a line was last
        # written, runs found done at the start]
        self.lines = None
        self.disk_checked = folder is None

    def __call__(self, p) -> None:
        from tqdm import tqdm

        self.last = p
        if p.status == "done" and not self.disk_checked:
            self.disk_checked = True
            self.say_if_too_big(p)

        if p.status == "start":
            if not on_terminal(sys.stderr):
                now = time.monotonic()
                self.lines = [p.n_skipped, now, now, p.n_skipped]
                return
            # no monitor thread: this process must stay single-threaded so that the run and
            # chart workers can be forked from it (sim.ensemble.executors.start_method)
            tqdm.monitor_interval = 0
            self.bar = tqdm(total=p.n_total, initial=p.n_skipped, desc=self.desc, unit="run",
                            file=sys.stderr, delay=1.0, dynamic_ncols=True)
            return
        if self.lines is not None:
            self._line(p)
            return
        if self.bar is None:
            return
        self.bar.update(1)
        if p.n_failed:
            self.bar.set_postfix(failed=p.n_failed)

    def _line(self, p) -> None:
        """A line when the runs handled reach another of LOG_STEPS parts of the whole, or
        LOG_EVERY_S after the last, with the time left at this session's pace."""
        before, started, said, skipped = self.lines
        handled = self.lines[0] = before + 1
        total = max(p.n_total, 1)
        now = time.monotonic()
        elapsed = now - started
        step = handled * LOG_STEPS // total != before * LOG_STEPS // total
        if not (step or now - said >= LOG_EVERY_S) or elapsed < LOG_AFTER_S:
            return
        self.lines[2] = now
        failed = f", {p.n_failed:,} failed" if p.n_failed else ""
        ran = handled - skipped
        left = (f"; about {fmt_duration((p.n_total - handled) * elapsed / ran)} left"
                if ran > 0 and handled < p.n_total else "")
        err(f"{self.desc}: {handled:,} of {p.n_total:,} done{failed} "
            f"({fmt_duration(elapsed)}{left})")

    def say_if_too_big(self, p) -> None:
        """Warn, once, when the runs still to come would fill the free disk at the size of
        those on it (runs/: a run's table and its sidecar)."""
        from sim.ensemble.store import RUNS_DIR

        runs = Path(self.folder) / RUNS_DIR
        try:
            files = [f for f in runs.glob("*/rep-*") if f.is_file()]
            done = sum(1 for f in files if f.name.endswith(".json")
                       and not f.name.endswith(".error.json"))
            size = sum(f.stat().st_size for f in files)
            free = shutil.disk_usage(runs).free
        except OSError:
            return
        if not done:
            return
        need = size / done * (p.n_total - done)
        if need > DISK_WARN_SHARE * free:
            self.say(f"warning: the {p.n_total - done:,} runs still to come need about "
                     f"{fmt_bytes(need)} in {runs}, and its disk has {fmt_bytes(free)} free: "
                     "the job will stop when it is full (what finished is kept); use fewer "
                     "--replicates or --days, or --out on a larger disk")

    def say(self, line: str) -> None:
        """A line on stderr above the bar, if it is showing."""
        if self.bar is None:
            err(line)
        else:
            self.bar.write(line, file=sys.stderr)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def fmt_duration(seconds: float) -> str:
    """"4.2 s", "3 min 05 s", "9 h 05 min"."""
    m, s = divmod(int(round(seconds)), 60)
    if m >= 60:
        h, m = divmod(m, 60)
        return f"{h:,} h {m:02d} min"
    return f"{m} min {s:02d} s" if m else f"{seconds:.1f} s"


def fmt_bytes(n: float) -> str:
    """"480 MB", "94 GB", "1.2 TB" (powers of 1,000, as disks are sold)."""
    for unit, size in (("TB", 1e12), ("GB", 1e9)):
        if n >= size:
            return f"{n / size:,.1f} {unit}" if n < 10 * size else f"{n / size:,.0f} {unit}"
    return f"{max(n / 1e6, 1):,.0f} MB"


def run_and_report(scenarios, args, *, kind: str, argv: list[str], replicates=None,
                   settings_note: str = "") -> int:
    """Run a job ("compare" or "run") of checked scenarios with the command's options into
    a new dated folder (or the --resume folder); say on stderr how it went and print the
    report's path. Bad input found late (a resume folder of another plan) is UsageProblem."""
    from sim.ensemble import PlanMismatchError, check_resumable
    from sim.ensemble.store import PLAN_FILE
    from sim.report.programmes import late_start_warnings
    from sim.usage import check_resume_dir, job_folder_held, make_output_dir

    replicates = args.replicates or replicates
    check_plan(scenarios, replicates)
    if kind == "compare":
        check_community(scenarios, getattr(args, "allow_different_community", False))
        err(*runs_alike_warnings(scenarios))
        err(*size_warnings(scenarios))
        err(*late_start_warnings(scenarios, scenarios[0].run.days))
    out_dir = check_resume_dir(args.resume) if args.resume else make_output_dir(args.out, kind)
    if args.resume:  # refused before a word of starting is said, and before it is held
        try:
            check_resumable(scenarios, out_dir, replicates)
        except PlanMismatchError as exc:
            raise UsageProblem(resume_refusal(exc, args)) from None
    try:
        # the only job in its folder, until it ends (a --resume of it meanwhile is refused)
        with job_folder_held(out_dir, "--resume" if args.resume else "--out"):
            return _job(scenarios, args, out_dir, kind=kind, argv=argv, replicates=replicates,
                        settings_note=settings_note)
    except BrokenPipeError:  # the output's reader stopped reading (| head) before the plan
        # was written: the folder is taken away (a user check: an empty dated folder, which
        # a resume said had nothing to resume); after it, _job has left a note
        if not args.resume and not (out_dir / PLAN_FILE).exists():
            _forget_folder(out_dir)
        raise


def _job(scenarios, args, out_dir, *, kind: str, argv: list[str], replicates,
         settings_note: str) -> int:
    """:func:`run_and_report` once its folder is made (or --resume's is checked) and held."""
    from sim.ensemble import PlanMismatchError, RunsInterrupted
    from sim.ensemble.executors import ClusterUnavailable
    from sim.ensemble.store import PLAN_FILE
    from sim.report.job import failed_step
    from sim.report.units import fmt_days

    if kind == "compare":
        few_runs_warning(replicates or scenarios[0].run.replicates)
        settling_warning(scenarios[0].run.days)
    else:
        run_warnings(replicates or scenarios[0].run.replicates, scenarios[0].run.days)
    n_runs = sum(replicates or s.run.replicates for s in scenarios)
    others = len(scenarios) - 1
    what = (f"{others} scenario{'s' if others != 1 else ''} against {scenarios[0].name}"
            if kind == "compare" else scenarios[0].name)
    err(f"{'Comparing' if kind == 'compare' else 'Running'} {what}: {n_runs:,} "
        f"run{'s' if n_runs != 1 else ''} of {fmt_days(scenarios[0].run.days)}; outputs in "
        f"{out_dir}")
    bar = ProgressBar("runs", out_dir)
    t0 = time.perf_counter()
    compiled = {}  # the seconds of the model's first compile, when this job did it
    settings = {"days": scenarios[0].run.days,
                "replicates": replicates or scenarios[0].run.replicates,
                "residents": {s.name: s.model.population.n_residents for s in scenarios},
                "root_seed": scenarios[0].run.seed, "workers": args.workers,
                "scheduler": args.scheduler, "resumed_from": args.resume}
    try:
        result = _run_then_write(scenarios, out_dir, args, kind=kind, argv=argv,
                                 replicates=replicates, bar=bar, settings_note=settings_note,
                                 settings=settings, compiled=compiled)
    except PlanMismatchError as exc:  # --resume with other scenarios or options: bad input
        bar.close()
        raise UsageProblem(resume_refusal(exc, args)) from None
    except KeyboardInterrupt as exc:
        bar.close()
        if not args.resume and not (out_dir / PLAN_FILE).exists():  # before the plan
            _forget_folder(out_dir)
            err("interrupted before any run started: nothing was kept",
                f"start again with: {command_again(without_resume(argv))}")
            return interrupted_status()
        # the runs complete on disk, which a resume skips: counted by the runner once the
        # runs back at the interrupt are written; otherwise the last progress is exact
        p = bar.last
        kept = ((exc.kept, exc.planned) if isinstance(exc, RunsInterrupted)
                else (p.n_done, p.n_total) if p is not None else None)
        done = (f"{kept[0]:,} of {kept[1]:,} runs finished and "
                f"{'is' if kept[0] == 1 else 'are'}" if kept is not None
                else "finished runs are")
        again = command_again([*without_resume(argv), "--resume", str(out_dir)])
        err(f"interrupted: {done} kept in {out_dir}", f"continue with: {again}")
        leave_note(out_dir, "interrupted (Ctrl-C or a signal)",
                   done.removesuffix(" and are").removesuffix(" and is"), again)
        return interrupted_status()
    except BrokenPipeError:  # the output's reader stopped reading (| head): nothing to say
        # it to; the folder says it (a user check: plan.json and runs/ alone, unsaid); one
        # with no plan yet is taken away by run_and_report
        p = bar.last
        if (out_dir / PLAN_FILE).exists():
            leave_note(out_dir, "the reader of its output stopped reading (| head)",
                       f"{p.n_done:,} of {p.n_total:,} runs finished" if p is not None else "",
                       command_again([*without_resume(argv), "--resume", str(out_dir)]))
        raise
    except Exception as exc:  # one line for the user; what finished stays on disk
        bar.close()
        if getattr(args, "debug", False):
            import traceback

            traceback.print_exc()
        again = command_again([*without_resume(argv), "--resume", str(out_dir)])
        planned = (out_dir / PLAN_FILE).exists()
        # the step after the runs that failed ("writing report.html failed: ..."), from the
        # error itself: the progress line above it may be another step's (the charts are
        # drawn while summary.csv is written)
        step = failed_step(exc)
        failed = f"{step} failed: " if step else ""
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
            err(f"error: {failed}the disk holding {out_dir} is full ({exc.strerror}); what "
                "finished is kept there", "free some space, then "
                + (f"continue with: {again}" if planned else "run the same command again"))
            return EXIT_FAILED
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        if not isinstance(exc, ClusterUnavailable):  # its words say what happened
            reason = f"{type(exc).__name__}: {reason}"
        err(f"error: {failed}{reason}", f"kept: {out_dir}"
            + (f"; once the cause is mended, continue with: {again}" if planned else ""))
        if planned:
            leave_note(out_dir, f"stopped by an error ({failed}{reason})", "", again)
        return EXIT_FAILED
    bar.close()
    elapsed = time.perf_counter() - t0
    outputs_complete()
    with contextlib.suppress(OSError):  # its outputs now say how it went
        (out_dir / UNFINISHED_NOTE).unlink()
    if not result.ok:
        err(f"{len(result.missing)} of {n_runs} runs did not finish (details in "
           f"{out_dir / 'manifest.json'}); the report covers the rest",
           f"continue with: {command_again([*without_resume(argv), '--resume', str(out_dir)])}")
        print(result.report)
        return EXIT_FAILED
    # the report's times leave out the compile: say how much of this one it was
    of_it = (f" ({fmt_duration(compiled['s'])} of it compiling the model, once)"
             if "s" in compiled else "")
    err(f"done in {fmt_duration(elapsed)}{of_it}")
    print(result.report)
    return EXIT_OK


UNFINISHED_NOTE = "unfinished.txt"  # in a job's folder while it has stopped short of its report


def _forget_folder(out_dir: Path) -> None:
    """Take away the folder of a job stopped before its plan was written: its lock (this
    job's: it ends here), then the folder, only if that leaves it empty (a folder this
    command made, nothing in it)."""
    from sim.ensemble.store import LOCK_FILE

    with contextlib.suppress(OSError):
        (out_dir / LOCK_FILE).unlink(missing_ok=True)  # gone once the job let go of it
    with contextlib.suppress(OSError):
        out_dir.rmdir()


def leave_note(out_dir, how: str, kept: str, again: str) -> None:
    """Say in the job's folder that it stopped before its report, how, what is kept and how
    to continue (a user check: an interrupted job's folder held only plan.json and runs/,
    which read alike for a job interrupted, still running or crashed). A resume that
    writes the report removes it. Best effort: the terminal has said it already."""
    from sim.report.manifest import now_iso
    from sim.report.outputs import write_text_atomic

    text = (f"This job stopped before writing its report: {how}, at {now_iso()}.\n"
            + ("No run had finished.\n" if kept.startswith("0 of ")
               else f"{kept[0].upper()}{kept[1:]}; kept in runs/, they are not run again.\n"
               if kept else "The runs that finished are kept in runs/ and not run again.\n")
            + "To continue it (only what is missing is run, then the report is written), "
            f"from {os.getcwd()}:\n\n    {again}\n")
    with contextlib.suppress(OSError):
        write_text_atomic(Path(out_dir) / UNFINISHED_NOTE, text)


def take_from_plan(args, **own) -> list[str]:
    """With ``--resume DIR``: what the job in DIR was started with and this command does not
    give, from DIR's plan.json, so that ``--resume DIR`` alone continues it (a user check had
    to type every option again): --days, --replicates, --residents and --seed where not
    given (each only where every scenario planned the same; ``own``: a command's own
    default for one, name=value, taken as not given), and, returned, the scenario files it
    ran, by the paths it was given (relative ones from the folder it was run in, where the
    plan says it). Nothing without --resume; ``UsageProblem`` for a folder that is not a
    job's (sim.usage.check_resume_dir)."""
    from sim.ensemble import store
    from sim.usage import check_resume_dir

    if not args.resume:
        return []
    check_resume_dir(args.resume)  # a job's folder with a readable plan (not "needs two files")
    plan = store.read_plan(Path(args.resume))
    entries = plan["scenarios"]
    args.options_from_plan = all(getattr(args, name, None) is None
                                 for name in ("days", "replicates", "seed", "residents"))
    for name, key in (("days", "days"), ("replicates", "replicates"), ("seed", "root_seed"),
                      ("residents", "residents")):
        values = {e.get(key) for e in entries}
        if getattr(args, name, None) is None and len(values) == 1 and None not in values:
            value = values.pop()
            if own.get(name) != value:
                setattr(args, name, value)
    where = Path(plan.get("working_directory") or ".")
    return [str(Path(e["path"]) if Path(e["path"]).is_absolute() else where / e["path"])
            for e in entries if isinstance(e.get("path"), str)]


def few_runs_warning(replicates: int) -> None:
    """A comparison of one paired run, or of a few, is allowed (a quick look), but its
    report cannot settle much: said before it starts (and at the top of the report)."""
    from sim.ensemble.intervals import FEW_RUNS

    if replicates < 2:
        err("warning: one paired run: the report can say how the runs differed, not whether "
            "that is more than chance (no intervals, no verdicts); use --replicates 2 or "
            "more, 10 or more to tell effects of a point or two from chance")
    elif replicates < FEW_RUNS:
        err(f"warning: only {replicates} paired runs: the intervals will be wide and most "
            "verdicts unclear; 10 or more tell effects of a point or two from chance")


def settling_warning(days: int) -> None:
    """Verdicts averaged before the simulated community has settled (sim.params.SETTLED_DAY)
    are allowed (a quick look), but may not last: said before the runs start (and at the
    top of the report)."""
    from sim.report.programmes import settling_words

    words = settling_words(days, "the verdicts will average", "deciding")
    if words:
        err(words)


def run_warnings(replicates: int, days: int) -> None:
    """One scenario's job, where nothing is paired: the warnings of :func:`few_runs_warning`
    and :func:`settling_warning` in its terms (its report's ranges; its levels), said before
    the runs start (and at the top of the report)."""
    from sim.ensemble.intervals import FEW_RUNS
    from sim.params import SETTLED_DAY
    from sim.report.programmes import settled_days, unsettled
    from sim.report.units import fmt_days

    if replicates < 2:
        err("warning: one run: the report gives that run's figures, with no range; use "
            "--replicates 10 or more to see how much they vary")
    elif replicates < FEW_RUNS:
        err(f"warning: only {replicates} runs: the report's ranges (90% of runs) will rest on "
            f"{replicates} runs; 10 or more give ranges to rely on")
    if unsettled(days):
        err(f"warning: a run of {fmt_days(days)} ends "
            f"{'before' if days <= SETTLED_DAY else 'soon after'} the simulated community has "
            f"mostly settled (after about {SETTLED_DAY} days); use --days {settled_days()} or "
            "more (730 is the standard) before relying on its levels")


# what a refused resume whose scenario file changed since is told (compare's and robustness's)
EDITED_SINCE_FIX = ("a scenario file it ran has changed since (or moved): put it back as it "
                    "was to continue, or leave out --resume to start a new folder")


def as_comparison(folder) -> str:
    """The command that continues the comparison in ``folder``: what the main job, run and
    robustness, given a comparison's folder, say to use instead."""
    return command_again(["compare", "--resume", str(folder)])


def resume_refusal(exc, args=None) -> list[str]:
    """A ``--resume`` folder planned for other runs, in two lines: what differs, and what
    to do (a PlanMismatchError without differences keeps its own words). Given --resume
    alone (``args.resume_alone``), the folder's own files and options were used, so what
    differs is a file edited since, or a folder of another command's job (a user check: told
    to give --resume alone, which it had)."""
    if not exc.differences:
        return str(exc).splitlines()
    said = (f"--resume {exc.folder}: nothing was run; the job that made this folder "
            f"differs: {'; '.join(exc.differences)}")
    edited = any(d.startswith("the model or interventions of") for d in exc.differences)
    if not getattr(args, "resume_alone", False) and not edited:
        return [said, f"to continue it, give --resume {exc.folder} alone (the job's own files "
                "and options are in the folder), or the same files and options it was "
                "started with; or leave out --resume to start a new folder"]
    other_files = not edited and any(d.endswith((" new", " in it")) for d in exc.differences)
    if other_files and getattr(args, "scenarios", None) is None and not hasattr(args, "files"):
        return [said, f"it is a comparison of other files: continue it with "
                f"{as_comparison(exc.folder)}"]
    return [said, EDITED_SINCE_FIX]


FIRST_COMPILE_S = 40  # the warm-up's first compile on a two-core machine (README, Performance)
# a Dask worker's first compile (a user's first cluster job took 2 min 16 s, 20 s locally)
CLUSTER_FIRST_COMPILE = "about 2 minutes"


def _run_then_write(scenarios, out_dir, args, *, kind, argv, replicates, bar, settings_note,
                    settings, compiled):
    """The job: the runs (sim.report.job.run_scenarios), then the outputs (write_outputs),
    with the chart processes started once the runs are done (see ChartPool); the model's
    first compile before them when it is due, its seconds put in ``compiled["s"]``."""
    from sim.report.job import ChartPool, check_kind, run_scenarios, write_outputs

    check_kind(kind)
    seconds = compile_first(args.scheduler)
    if seconds is not None:
        compiled["s"] = seconds
    runs = run_scenarios(scenarios, out_dir, replicates=replicates, workers=args.workers,
                         scheduler=args.scheduler, resume=bool(args.resume), on_progress=bar,
                         on_cluster_compile=lambda n, of: bar.say(cluster_compiles(n, of)))
    ens = runs.ensemble
    if args.resume and ens.n_skipped and not ens.failed and not ens.missing \
            and len(ens.completed) == ens.n_skipped:
        bar.close()
        err(f"all {ens.n_skipped:,} runs were already done: nothing to run; "
            f"{remade_words(runs)}")
    elif args.resume and ens.n_skipped:
        bar.close()
        ran = len(ens.completed) - ens.n_skipped
        err(f"resumed: {ens.n_skipped:,} of {ens.n_skipped + ran + len(ens.missing):,} runs "
            f"were already done and kept; {ran:,} ran now")
    with ChartPool(args.workers) as pool:
        return write_outputs(runs, pool, kind=kind, command=[*PROG.split(), *argv],
                             on_stage=lambda msg: (bar.close(), err(f"{msg} ...")),
                             settings_note=settings_note, settings=settings)


def compile_first(scheduler: str | None) -> float | None:
    """Compile the model before a job's runs when it is due, said first, or the first run's
    wait reads as the pace of them all; the seconds it took, or None when it was not due.
    A cluster's workers compile their own (said when they do: cluster_compiles), so with a
    ``scheduler`` this process's are not used."""
    from sim import kernels_ready
    from sim.model import compile_rules

    if scheduler or kernels_ready():
        return None
    err(f"compiling the model first (once after an install or an edit, about "
        f"{FIRST_COMPILE_S} s) ...")
    started = time.perf_counter()
    compile_rules()
    return time.perf_counter() - started


def remade_words(runs) -> str:
    """What a resume of a finished job does with its outputs, said before it does it: they
    are made again from the runs (wanted after an upgrade, say), replacing those an earlier
    session made, whose date is said; the job's first start and each session are kept in
    manifest.json. A user check found the outputs and the manifest's start replaced with
    nothing said of what was replaced."""
    from sim.report.sections_details import when

    made = next((s.get("finished") for s in reversed(runs.earlier)
                 if isinstance(s.get("finished"), str)), None)
    if made is None and not (runs.out_dir / "report.html").exists():
        return "the outputs are made from them"
    replaced = f"those made on {when(made)}" if made else "those in the folder"
    first = (f" ({when(runs.earlier[0]['started'])})"
             if runs.earlier and isinstance(runs.earlier[0].get("started"), str) else "")
    return (f"report.html, summary.csv and the other outputs are made again from them, "
            f"replacing {replaced}; manifest.json keeps the job's first start{first} and "
            "each session since")


def cluster_compiles(n: int, of: int) -> str:
    """The notice that a cluster's workers compile the model before their first runs (as a
    local job says it compiles)."""
    who = "the cluster's workers compile" if n == of else (
        f"{n} of the cluster's {of} workers compile" if n != 1
        else f"1 of the cluster's {of} workers compiles")
    return (f"{who} the model first (once after an install or an edit, "
            f"{CLUSTER_FIRST_COMPILE}) ...")


def check_where(args) -> None:
    """Where runs would execute: checked first (an unreachable scheduler fails in seconds,
    before the files are even read), and before any folder is made."""
    from sim.usage import check_scheduler, check_workers

    if args.workers is not None and args.scheduler is not None:
        raise UsageProblem(["--workers and --scheduler cannot be used together: --workers "
                            "sets parallelism on this computer, a Dask cluster sizes itself"])
    check_workers(args.workers)
    check_scheduler(args.scheduler)


def without_resume(argv: list[str]) -> list[str]:
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

"""Checks of command-line input that every command shares (sim/cli.py, the visualiser's
launcher, calibrate, robustness).

Bad input raises :class:`UsageProblem`; the command line prints its lines (each names what
was given, what is wrong and what to do) and exits 2. Every check here runs before a dated
output folder is made, so a refused command writes nothing. Nothing here prints.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import os
import re
import tempfile
from pathlib import Path

EXIT_INVALID = 2


class UsageProblem(Exception):
    """Bad input found before anything runs: exit 2 with these lines."""

    def __init__(self, lines: list[str] | str):
        self.lines = [lines] if isinstance(lines, str) else list(lines)
        super().__init__("\n".join(self.lines))


class OneLineParser(argparse.ArgumentParser):
    """An argument parser whose errors are one line with the fix (``--help``), exit 2: an
    option's problem starts with the option, as the commands' own checks do ("--seed: 'abc'
    is not a whole number"), and an unknown option gets the nearest known one."""

    def error(self, message: str):
        message = re.sub(r"^argument ([^:]+): ", r"\1: ", message)
        if message.startswith("unrecognized arguments: "):
            message += self.nearest_option(message.split(": ", 1)[1].split())
        found = re.match(r"[^:]+: invalid choice: '([^']*)' \(choose from (.*)\)$", message)
        if found:  # "run.py comapre": the nearest command, as for an option
            choices = re.findall(r"'([^']*)'", found.group(2)) or found.group(2).split(", ")
            close = difflib.get_close_matches(found.group(1), choices, n=1, cutoff=0.6)
            if close:
                message += f"; did you mean '{close[0]}'?"
        self.exit(EXIT_INVALID, f"{self.prog}: {message} (see: {self.prog} --help)\n")

    def nearest_option(self, given: list[str]) -> str:
        """"; did you mean '--replicates'?" for the first unknown option like a known one."""
        known = [o for a in self._actions for o in a.option_strings if o.startswith("--")]
        for word in given:
            close = difflib.get_close_matches(word.split("=", 1)[0], known, n=1, cutoff=0.7)
            if word.startswith("-") and close:
                return f"; did you mean '{close[0]}'?"
        return ""


# -- option types ------------------------------------------------------------------------------
def whole_number(text: str) -> int:
    """An argparse type: any whole number (ranges are checked where the value is used, against
    the same declarations as scenario files)."""
    try:
        return int(str(text).strip().replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None


def seed_number(text: str) -> int:
    """An argparse type: a root seed, by the pages' rule too
    (:func:`sim.ensemble.seeds.read_seed`: the digits 0-9 alone, 0 to 2^63-1)."""
    from sim.ensemble.seeds import read_seed

    try:
        return read_seed(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


seed_number.__name__ = "seed"


def bounded(lo: int, hi: int | None = None, what: str = ""):
    """An argparse type: a whole number from ``lo`` to ``hi``."""

    def convert(text: str) -> int:
        value = whole_number(text)
        if value < lo or (hi is not None and value > hi):
            allowed = f"from {lo:,} to {hi:,}" if hi is not None else f"at least {lo:,}"
            raise argparse.ArgumentTypeError(f"{value} is out of range: must be {allowed}"
                                             + (f" ({what})" if what else ""))
        return value

    convert.__name__ = "whole number"
    return convert


def max_workers() -> int:
    """More local workers than this only slow runs down (and a typo such as 10000 would start
    that many processes): four per core this process may use."""
    from sim.ensemble.executors import default_workers

    return 4 * default_workers()


def _workers_range(workers: int) -> str | None:
    """What is wrong with ``workers`` runs at once on this computer, or None."""
    top = max_workers()
    if not 1 <= workers <= top:
        return (f"must be from 1 to {top} on this computer (four per core; more only slows "
                "the runs down)")
    return None


def workers_count(text: str) -> int:
    """An argparse type: how many local workers, from 1 to :func:`max_workers` (the top is
    counted only when the option is given). Out of range it is said as argparse says a bad
    value, with the command's name before it, as --workers 0 was."""
    value = whole_number(text)
    problem = _workers_range(value)
    if problem:
        raise argparse.ArgumentTypeError(f"{value} is out of range: {problem}")
    return value


workers_count.__name__ = "whole number"


def check_workers(workers: int | None, flag: str = "--workers") -> None:
    """For callers that did not parse ``--workers`` with :func:`workers_count`."""
    if workers is None:
        return
    problem = _workers_range(workers)
    if problem:
        raise UsageProblem(f"{flag} {workers}: {problem}")


# -- where outputs go --------------------------------------------------------------------------
def _nearest_existing(path: Path) -> Path:
    path = path.absolute()
    while not os.path.lexists(path) and path != path.parent:
        path = path.parent
    return path


def _unwritable(folder: Path) -> str:
    """Why this process cannot write in ``folder``: a read-only file system (a user check
    was told "permission denied" of a read-only mount, which no permission would mend), or
    its permissions."""
    with contextlib.suppress(OSError, AttributeError):
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return "a read-only file system"
    return "permission denied"


def check_out_root(root: str | Path, flag: str = "--out") -> Path:
    """The folder under which a job's dated folder will be made: an existing folder this
    process may write in, or a path whose nearest existing part is such a folder."""
    text = str(root)  # before Path(), which reads "" as "." (the current folder)
    if not text.strip() or "\0" in text:
        raise UsageProblem(f"{flag} {text!r}: not a folder name; give the folder the "
                           f"outputs go under with {flag}, or leave {flag} out")
    root = Path(root)
    fix = f"choose another folder with {flag}"
    if os.path.lexists(root) and not root.is_dir():
        raise UsageProblem(f"{flag} {root}: is a file, not a folder; {fix}")
    base = _nearest_existing(root)
    if not base.is_dir():
        raise UsageProblem(f"{flag} {root}: {base} is a file, so no folder can be made "
                           f"there; {fix}")
    if not os.access(base, os.W_OK | os.X_OK):
        raise UsageProblem(f"{flag} {root}: cannot write in {base} ({_unwritable(base)}); "
                           f"{fix}")
    # permission bits do not tell every folder that refuses new folders (/proc, a read-only
    # mount, a full disk): make one and take it away again (a user check: --out /proc/x
    # passed, and was refused only after the files' problems were mended)
    try:
        os.rmdir(tempfile.mkdtemp(prefix=".kindliness-check-", dir=base))
    except OSError as exc:
        raise UsageProblem(f"{flag} {root}: cannot make a folder there "
                           f"({exc.strerror or exc}); {fix}") from None
    return root


def make_output_dir(root: str | Path, kind: str, flag: str = "--out") -> Path:
    """A new dated folder under ``root`` (sim.report.outputs.new_output_dir), made only now
    that every input is known to be good; a folder that cannot be made is bad input."""
    from sim.report.outputs import new_output_dir

    check_out_root(root, flag)
    try:
        return new_output_dir(root, kind)
    except OSError as exc:
        raise UsageProblem(f"{flag} {root}: cannot make a folder there ({exc.strerror or exc}); "
                           f"choose another folder with {flag}") from None


def check_resume_dir(folder: str | Path, flag: str = "--resume") -> Path:
    """A folder an earlier job wrote: its plan.json must be a plan, its runs/ a folder."""
    from sim.ensemble import store

    folder = Path(folder)
    if not folder.is_dir():
        what = "does not exist" if not os.path.lexists(folder) else "is not a folder"
        raise UsageProblem(f"{flag} {folder}: {what}; give the folder of an earlier job")
    plan = folder / store.PLAN_FILE
    if not os.path.lexists(plan) and (folder / store.RUNS_DIR / store.PLAN_FILE).is_file():
        # a robustness job's folder: its runs' plan is one level down (sim.robustness.cli)
        from sim.commands.shared import PROG

        raise UsageProblem(f"{flag} {folder}: this is a robustness job's folder; continue it "
                           f"with: {PROG} robustness --resume {folder}")
    if not os.path.lexists(plan):
        raise UsageProblem(f"{flag} {folder}: nothing to resume here (no {store.PLAN_FILE}; "
                           "give the folder of an earlier job)")
    try:
        store.read_plan(folder)
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise UsageProblem(f"{flag} {folder}: {store.PLAN_FILE} {reason}; this folder cannot "
                           "be resumed (run the job again without --resume)") from None
    runs = folder / store.RUNS_DIR
    if os.path.lexists(runs) and not runs.is_dir():
        raise UsageProblem(f"{flag} {folder}: {store.RUNS_DIR} is not a folder; this folder "
                           "cannot be resumed (run the job again without --resume)")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UsageProblem(f"{flag} {folder}: cannot write in it ({_unwritable(folder)})")
    return folder


@contextlib.contextmanager
def job_folder_held(folder: str | Path, flag: str = "--resume"):
    """Work in ``folder`` as the only job there for the block, or refuse (UsageProblem) when
    another process is working in it: a user check resumed a folder while its first job still
    ran, both ran the same runs and wrote the same outputs, and manifest.json then said the
    first session never finished. The lock (flock on :data:`sim.ensemble.store.LOCK_FILE`,
    which names the process holding it) goes with the process, however it ends, so a job
    that crashed never leaves a folder locked; the file is taken away when the block ends."""
    import fcntl

    from sim.ensemble.store import LOCK_FILE

    path = Path(folder) / LOCK_FILE
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode(errors="replace").strip()
            os.close(fd)
            raise UsageProblem(f"{flag} {folder}: another job is working in it"
                               + (f" (process {holder})" if holder.isdigit() else "")
                               + "; wait for it to finish, or stop it") from None
        except OSError:
            os.close(fd)
            raise
        try:  # the file its holder took away as this one opened it holds nothing: again
            if os.fstat(fd).st_ino == os.stat(path).st_ino:
                break
        except FileNotFoundError:
            pass
        os.close(fd)
    try:
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        yield
    finally:
        with contextlib.suppress(OSError):
            path.unlink()  # while held: a job waiting to open it then opens a new one
        os.close(fd)


# -- where runs execute ------------------------------------------------------------------------
def check_scheduler(address: str | None, flag: str = "--scheduler") -> None:
    """A Dask scheduler this computer can use answers at ``address`` (within about 8 s), or
    say what to check: the cluster extra installed, a scheme it can use (tls:// only with
    Dask's TLS settings), a scheduler answering. All before a dated folder is made (a
    tls:// address without them passed, and the job failed after making its folder)."""
    if address is None:
        return
    from sim.ensemble.executors import (
        ClusterUnavailable,
        parse_scheduler_address,
        probe_scheduler,
    )

    try:
        parse_scheduler_address(address)  # the address's own mistakes first, extra or not
    except ValueError as exc:
        raise UsageProblem(f"{flag}: {exc}") from None
    try:
        import distributed  # noqa: F401 - only whether it is there
    except ImportError as exc:
        raise UsageProblem(f"{flag}: running on a Dask cluster needs the cluster extra: pip "
                           f"install -e \".[cluster]\" (dask[distributed]); import failed: "
                           f"{exc}") from None
    try:
        probe_scheduler(address)
    except ClusterUnavailable as exc:
        raise UsageProblem(f"{flag}: {exc}") from None


# -- scenarios ---------------------------------------------------------------------------------
def too_few_files(command: str, files: list[str], repeats: list[str]) -> list[str]:
    """The refusal of a comparison of fewer than two distinct files ``files`` (``repeats``:
    the words about files given twice, said first): what is wrong with them, then that
    ``command`` needs two. A user check: "baseline.toml is given twice; it is compared
    once" was followed by "(got 1 file)", where two were given."""
    from sim.commands.shared import PROG

    got = (f"{len(files)} distinct file" if repeats and files
           else f"{len(files)} file{'s' if len(files) != 1 else ''}")
    # led as every other refusal of the command line is (a user check: prefixes varied)
    return problems_of_files(files) + repeats + [
        f"{PROG} {command}: needs a baseline and at least one other scenario file (got "
        f"{got}; see: {PROG} {command} --help)"]


def problems_of_files(files: list[str]) -> list[str]:
    """What is wrong with files given too few to compare, said beside "needs at least two"
    (mistakes are reported all at once: a user check found a file with a syntax error given
    alone was told only that it was alone): each missing file, and each present one's
    problems as the loader finds them."""
    missing = [f"{f}: file not found" for f in files if not os.path.lexists(f)]
    present = [f for f in files if os.path.lexists(f)]
    if not present:
        return missing
    try:
        load_checked(present, ())
    except UsageProblem as exc:
        return missing + exc.lines
    return missing


def load_checked(paths, overrides=()) -> tuple[list, list]:
    """``(scenarios, warnings)`` of the files with ``overrides``
    (sim.scenario.loader.Override) applied through the files' own checks; every error in
    every file as one :class:`UsageProblem`."""
    from sim.scenario import ScenarioError, load_scenarios
    from sim.scenario.errors import said_once

    try:
        scenarios = load_scenarios([str(p) for p in paths], overrides=overrides)
    except ScenarioError as exc:
        errors = [p for p in exc.problems if p.is_error]
        problem = UsageProblem(said_once(exc.problems))
        # what a refusal's closing line counts: the errors, said once, and their files (the
        # warnings beside them are not problems: a user check found them counted)
        problem.n_errors = len(said_once(errors))
        problem.files = {p.file for p in errors if not p.file.startswith("--")}
        raise problem from None
    warnings = said_once(w for s in scenarios for w in s.warnings)
    return scenarios, warnings


# the [run] keys a paired comparison needs the same in every file, and why in a few words
PAIRED_RUN_KEYS = {"seed": "the runs of a comparison are paired on one root seed",
                   "days": "the runs of a comparison are compared day by day"}


def paired_run_problems(scenarios, flags=(("seed", "--seed"), ("days", "--days"))) -> list[str]:
    """Each file whose ``[run] seed`` or ``days`` differs from the baseline's (the first), as
    a line naming the file, the key, both values and what to do; none when all agree.
    ``flags`` names the command's options that set a key for every file (robustness's
    --seed is the worlds' seed, not the runs')."""
    if not scenarios:
        return []
    base = scenarios[0]
    base_file = base.path or base.name
    lines = []
    for s in scenarios[1:]:
        file = s.path or s.name
        extends_base = base.path is not None and any(
            os.path.realpath(f) == os.path.realpath(base.path) for f in s.files[1:])
        for key, why in PAIRED_RUN_KEYS.items():
            mine, theirs = getattr(s.run, key), getattr(base.run, key)
            if mine == theirs:
                continue
            set_in = s.origin.get(f"run.{key}")
            if set_in is None:
                found = f"{mine} (the default)"
            elif set_in != s.path:
                found = f"{mine} (set in {set_in}, which it extends)"
            else:
                found = str(mine)
            fix = [f"set {key} = {theirs} in its [run] table"]
            if set_in == s.path and extends_base:
                fix.append(f"delete its {key} to take the baseline's")
            flag = dict(flags).get(key)
            if flag:
                fix.append(f"give {flag} on the command line to use one value for every file")
            lines.append(f"{file}: run.{key}: {found}, but the baseline ({base_file}) has "
                         f"{theirs}; {why}, so every file needs the same [run] {key}: "
                         + ", or ".join(fix))
    return lines


def run_overrides(args, **defaults) -> list:
    """The scenario overrides of the options ``--days``, ``--residents``, ``--replicates``
    and ``--seed`` found on ``args`` (None: not given). ``defaults`` gives a command's own
    values where the user gave none, as ``name=(value, note)``."""
    from sim.scenario.loader import Override

    keys = {"days": "run.days", "replicates": "run.replicates", "seed": "run.seed",
            "residents": "population.n_residents"}
    out = []
    for name, key in keys.items():
        value = getattr(args, name, None)
        flag = "--" + name
        if value is not None:
            out.append(Override(key, value, flag))
        elif name in defaults:
            value, note = defaults[name]
            out.append(Override(key, value, flag, note))
    return out

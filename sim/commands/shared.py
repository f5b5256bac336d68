"""What every command shares: the program's name, exit statuses, messages on stderr, the
main job's size, and the options of the commands that run a job (main job, compare, run)."""

from __future__ import annotations

import argparse
import contextlib
import os
import shlex
import shutil
import signal
import sys
import threading
from pathlib import Path

from sim.usage import seed_number, whole_number, workers_count

INSTALLED_COMMAND = "kindliness"  # pyproject.toml's [project.scripts]


def _invoked_as() -> str:
    """The program's name as the user typed it: the installed command, or run.py."""
    return (INSTALLED_COMMAND if sys.argv and Path(sys.argv[0]).name == INSTALLED_COMMAND
            else "python run.py")


PROG = _invoked_as()
# the project's folder: the commands read its data/ and scenarios/ beside the code, so the
# package runs from a clone (python run.py, or the kindliness command of an editable install)
PROJECT = Path(__file__).resolve().parents[2]
SCENARIOS_DIR = "scenarios"
BASELINE_FILE = "baseline.toml"
RESULTS_DIR = "results"
# The main job (``python run.py`` with no command) must finish well inside five minutes on a
# 2-core machine: 1,000 residents for two years, each scenario's replicates capped at this.
MAIN_JOB_DAYS = 730
MAIN_JOB_RESIDENTS = 1000
MAIN_JOB_MAX_REPLICATES = 10

EXIT_OK, EXIT_FAILED, EXIT_INTERRUPTED = 0, 1, 130  # bad input: sim.usage.EXIT_INVALID
# a job stopped by SIGTERM (kill, a batch system, a service manager) ends as one interrupted
# does, with 128 + SIGTERM, the status a shell gives a program SIGTERM ended: a script can
# tell it from Ctrl-C's 130 (128 + SIGINT), and --resume continues either
EXIT_TERMINATED = 128 + signal.SIGTERM
# the output's reader stopped reading (``| head``): 128 + SIGPIPE, what the shell gives cat or
# grep in the same place, so a script with ``set -o pipefail`` treats this command as it
# treats them; not 1, which says the job failed and to look at where its work was kept
EXIT_READER_GONE = 141
DEBUG_FLAG = "--debug"


_stopped_by = [signal.SIGINT]  # the signal that interrupted this job: its exit status


# whether this process is the program (sim.cli.program), not main() called in another's
_AS_PROGRAM = [False]


def run_as_program() -> None:
    """Mark this process as the program, whose Ctrl-C :func:`outputs_complete` may drop."""
    _AS_PROGRAM[0] = True


def outputs_complete() -> None:
    """A job's outputs are complete and its status decided: from here to the process's end
    (its last words, the report's path, the interpreter's teardown) Ctrl-C is ignored, in
    the program's main thread. A user check pressed Ctrl-C as the report's path appeared
    and got 130 and "interrupted" for a finished job. Called from main() in another
    process (tests, a notebook), it changes nothing."""
    if _AS_PROGRAM[0] and threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def project_scenarios() -> Path:
    """The project's scenarios/ folder, the main job's unless --scenarios says otherwise:
    as ``scenarios`` when the command runs in the project folder (what its messages and
    report then show), by its full path from anywhere else (a user check: the main job run
    from another folder said "scenarios/baseline.toml: file not found")."""
    shipped = PROJECT / SCENARIOS_DIR
    here = Path(SCENARIOS_DIR)
    return here if here.resolve() == shipped.resolve() else shipped


def interrupted_status() -> int:
    """The exit status of a job interrupted: :data:`EXIT_TERMINATED` when SIGTERM stopped it
    (:func:`sigterm_as_ctrl_c`), else :data:`EXIT_INTERRUPTED` (Ctrl-C)."""
    return EXIT_TERMINATED if _stopped_by[0] == signal.SIGTERM else EXIT_INTERRUPTED


@contextlib.contextmanager
def sigterm_as_ctrl_c():
    """SIGTERM in the block ends the job as Ctrl-C does: the runs already back are written
    and kept, and it says how many and how to continue (a user check: compare killed with
    SIGTERM ended at once, with exit 143 and not a word of what was kept). It goes through
    the Ctrl-C handler in place (sim.ensemble.executors._CtrlC holds a second one while the
    job's workers end), or raises KeyboardInterrupt where Ctrl-C is ignored (a job started in
    the background). A process forked from this one (a pool's worker) ends by SIGTERM as if
    it had no handler. In the main thread only (nothing else can take a signal)."""
    _stopped_by[0] = signal.SIGINT
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    owner = os.getpid()

    def on_sigterm(signum, frame):
        if os.getpid() != owner:  # a worker forked with this handler: SIGTERM's own end
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGTERM)
            return
        _stopped_by[0] = signal.SIGTERM
        ctrl_c = signal.getsignal(signal.SIGINT)
        if callable(ctrl_c):
            ctrl_c(signal.SIGINT, frame)
        else:
            raise KeyboardInterrupt

    before = signal.signal(signal.SIGTERM, on_sigterm)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, before)


class JobStopped(Exception):
    """A job of a command written elsewhere (sim/cli.py's module commands, whose ``run``
    prints nothing) that stopped after its folder was made: ``lines`` say on stderr what
    happened, what was kept and how to continue, and ``code`` is the exit status
    (:data:`EXIT_FAILED`, or :func:`interrupted_status`'s)."""

    def __init__(self, code: int, lines: list[str]):
        super().__init__("\n".join(lines))
        self.code = code
        self.lines = list(lines)


def command_again(argv: list[str]) -> str:
    """The command that runs this job again, as the user can type it in this folder:
    :func:`run_py`, then ``argv``."""
    return shlex.join([*_run_py_words(), *argv])


def run_py() -> str:
    """How the user runs run.py from this folder, as the shell reads it: the Python running it
    now ('python' when that is the one on PATH; else its path, relative where it is inside
    this folder: '.venv/bin/python' after ``make run``, whose Python is not on PATH and which
    a bare 'python' would miss), then run.py as it was given."""
    return shlex.join(_run_py_words())


def _run_py_words() -> list[str]:
    if PROG == INSTALLED_COMMAND:
        # the bare name only where the shell finds this one (after ``make run`` it is in
        # .venv/bin, which is not on PATH unless the environment is activated)
        return [_as_typed(Path(sys.argv[0]).absolute(), INSTALLED_COMMAND)]
    script = sys.argv[0] if sys.argv and sys.argv[0].endswith("run.py") else "run.py"
    return [_as_typed(Path(sys.executable).absolute(), "python"), script]


def _as_typed(program: Path, name: str) -> str:
    """How the shell reaches ``program`` from this folder: ``name`` when that is what PATH
    finds; else its path, relative where it is inside this folder."""
    on_path = shutil.which(name)
    if on_path and Path(on_path).absolute() == program:
        return name
    try:
        return str(program.relative_to(Path.cwd()))
    except ValueError:
        return str(program)


def led_by(prog: str, lines) -> list[str]:
    """``lines`` of a refusal with each that names an option ("--days: -5 is out of range")
    led by the command, as the parser's own refusals are ("python run.py compare: --days:
    'abc' is not a whole number"): user checks found the two forms side by side."""
    return [f"{prog}: {line}" if line.startswith("--") else line for line in lines]


def problems_count(n: int, files: set[str], options: bool = False) -> str:
    """The closing line of a refusal of files: "2 problems in 1 file; nothing was run or
    written", "... in 1 file and the options ..." (``files``: the files with a problem;
    ``options``: whether some are the options'): validate's and the jobs' refusals close
    alike (a user check found compare's without it)."""
    where = [f"{len(files)} file{'s' if len(files) != 1 else ''}"] if files else []
    where += ["the options"] if options or not files else []
    return (f"{n} problem{'s' if n != 1 else ''} in {' and '.join(where)}; nothing was run "
            "or written")


def err(*lines: str) -> None:
    """Print lines on stderr (the commands print only their result on stdout)."""
    for line in lines:
        print(line, file=sys.stderr)


def add_run_options(p: argparse.ArgumentParser, *, main_job: bool = False,
                    single: bool = False) -> None:
    """The options of a job: the main job's, compare's, or (``single``) run's, of one
    scenario file, which is compared with nothing."""
    files = "the scenario file says" if single else "the scenario files say"
    g = p.add_argument_group(f"how much to simulate (default: what {files})")
    if single:
        g.add_argument("--replicates", type=whole_number, metavar="N",
                       help="how many times to run the scenario, each time with a different "
                       "random seed; the report gives the average and the range of the runs "
                       "(default: the file's [run] replicates)")
    else:
        rep_default = (f"the baseline file's replicates, at most {MAIN_JOB_MAX_REPLICATES}"
                       if main_job else "the baseline file's [run] replicates")
        g.add_argument("--replicates", type=whole_number, metavar="N",
                       help="how many times to run each scenario, each time with a different "
                       "random seed; run i of every scenario uses the same seed, so scenarios "
                       f"are compared like for like (default: {rep_default})")
    g.add_argument("--days", type=whole_number, metavar="D",
                   help="how many simulated days each run lasts (default: "
                   + (f"{MAIN_JOB_DAYS}" if main_job else "the file's [run] days" if single
                      else "the files' [run] days, which must agree") + ")")
    g.add_argument("--residents", type=whole_number, metavar="R",
                   help="how many residents the simulated community has (default: "
                   + (f"{MAIN_JOB_RESIDENTS}" if main_job else "the file's population "
                      "n_residents" if single else "each file's population n_residents") + ")")
    g.add_argument("--seed", type=seed_number, metavar="S",
                   help="the root random seed every run's seed is derived from; the same "
                   "seed gives the same results (default: "
                   + ("the baseline file's [run] seed" if main_job else "the file's [run] seed"
                      if single else "the files' [run] seed, which must agree") + ")")
    o = p.add_argument_group("where results go and where runs execute")
    o.add_argument("--out", metavar="DIR", default=RESULTS_DIR,
                   help="folder under which a new, dated folder is made for this job's "
                   "outputs; earlier outputs are never overwritten (default: %(default)s)")
    o.add_argument("--workers", type=workers_count, metavar="N",
                   help="how many runs to do at once on this computer (default: one per "
                   "processor core; 1 runs everything in this process)")
    o.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                   help="run on a Dask cluster at this address instead of this computer "
                   "(needs the 'cluster' extra and the package installed on every worker)")
    o.add_argument("--resume", metavar="DIR",
                   help="continue an interrupted job in its folder DIR: only the runs that "
                   "are missing are done, then the outputs are written; its files and "
                   "options are the first time's (give none, or the same)")


def add_community_flag(p) -> None:
    p.add_argument("--allow-different-community", action="store_true",
                   help="compare even when a scenario's community (residents, sections, "
                   "network, hubs from day 0) differs from the baseline's; the report then "
                   "warns that the pairs are not the same community")

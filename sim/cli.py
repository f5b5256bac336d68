"""The command line: ``python run.py [COMMAND] ...`` (also installed as ``kindliness``).

This is the only module (with the visualiser) that prints or reads the environment. Every
subcommand is registered in one table, :data:`COMMANDS`; each lives in its own module. The
commands of sim/commands/ (``compare``, ``run``, ``validate``, ``assets``, and the main job
when no command is given) are parsed by this parser. The others (``viz``, ``new-area``,
``calibrate``, ``robustness``, ``validate-places``) are imported only when used, because
importing them loads the model: their module provides ``add_arguments(parser)`` and
``run(args) -> int | (int, text)``, and the rest of the line after the command's name is
left to it.

Exit status: 0 success; 1 a failure after work started (one line saying why, and where what
finished was kept); 2 bad input (scenario files, options, an output folder that cannot be
made, a scheduler that does not answer), reported before anything runs or is written; 130
interrupted (what finished is kept; ``--resume`` continues), 143 when SIGTERM stopped it (as
Ctrl-C does: sim.commands.shared.sigterm_as_ctrl_c); 141 the output's reader stopped
reading (``... | head``), said by nothing. No traceback is printed unless ``--debug`` is
given (anywhere on the line).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from sim.commands import assets, compare, main_job, run_one, validate
from sim.commands.job import ProgressBar
from sim.commands.shared import (
    BASELINE_FILE,
    DEBUG_FLAG,
    EXIT_FAILED,
    EXIT_READER_GONE,
    MAIN_JOB_DAYS,
    MAIN_JOB_MAX_REPLICATES,
    MAIN_JOB_RESIDENTS,
    PROG,
    PROJECT,
    SCENARIOS_DIR,
    JobStopped,
    add_community_flag,
    add_run_options,
    err,
    interrupted_status,
    led_by,
    run_as_program,
    sigterm_as_ctrl_c,
)
from sim.usage import EXIT_INVALID, OneLineParser, UsageProblem


@dataclass(frozen=True)
class Command:
    """One subcommand. Parsed here: ``add_arguments(parser)`` and ``handler(args, argv)``
    are given. Parsed by its own module: ``module`` names a module (imported only when the
    command is used) that provides ``add_arguments(parser)`` and
    ``run(args) -> int | (int, text)``."""

    help: str
    description: str = ""
    add_arguments: Callable | None = None
    handler: Callable | None = None
    module: str | None = None
    progress: bool = False  # the module's run() takes on_progress= (ensemble Progress events)
    own_signals: bool = False  # it handles SIGTERM itself (the visualiser: sim/app/serving.py)


def _parsed_here(module) -> Command:
    return Command(module.HELP, module.DESCRIPTION, module.add_arguments, module.run)


COMMANDS: dict[str, Command] = {
    "compare": _parsed_here(compare),
    "run": _parsed_here(run_one),
    "validate": _parsed_here(validate),
    "viz": Command("open the browser visualiser of the community and comparisons",
                   module="sim.app.cli", own_signals=True),
    "assets": _parsed_here(assets),
    "new-area": Command("write an area baseline and an intervention file that extends it",
                        module="sim.area"),
    "calibrate": Command("fit the calibrated parameters to survey figures",
                         module="sim.calibration.cli"),
    "robustness": Command(
        "check how results hold up when assumptions change",
        "Run every scenario file (the first is the baseline) in many plausible worlds, each "
        "with its own values of the model's uncertain assumptions and of the programmes' "
        "own (those of the intervention types in the files), with the same seeds in "
        "every world; say in what share of worlds each intervention beats the baseline, "
        "which one is best on --metric, where that recommendation changes and which "
        "assumptions it depends on most. Writes robustness.html, CSV tables, charts and "
        "robustness.json (everything needed to redo the analysis) into a new folder.",
        module="sim.robustness.cli", progress=True),
    "validate-places": Command("predict places the model was never fitted to",
                               module="sim.validation.places_cli"),
}


class _Commands(argparse._SubParsersAction):
    """The COMMAND argument. A command parsed by its own module has no arguments here: the
    rest of the line (options and --help included) is kept as ``args.rest`` for the
    module's parser, so that the module is imported only when its command is used."""

    def __call__(self, parser, namespace, values, option_string=None):
        name, rest = values[0], list(values[1:])
        before = _given_before(parser, namespace)
        if before:  # the command reads only its own: they would be dropped without a word
            # (a user check: --days 120 ... before compare ran 730 days into results/)
            they, are = ("them", "are options") if len(before) > 1 else ("it", "is an option")
            parser.error(f"{' '.join(before)} {are} of the command: put {they} after "
                         f"'{name}' (before the command, nothing reads {they})")
        if COMMANDS[name].module:
            setattr(namespace, self.dest, name)
            namespace.rest = rest
            return
        namespace.command_parser = self._name_parser_map[name]  # says its unknown options
        super().__call__(parser, namespace, values, option_string)


def _given_before(parser: argparse.ArgumentParser, namespace) -> list[str]:
    """The main job's options given before a command's name, each as it is typed (``--days 120``):
    those whose value on ``namespace`` (parsed so far: only what comes before the command) is
    not the default. A command parses the rest of the line with its own options, so these would
    be dropped."""
    words = []
    for action in parser._actions:
        if not action.option_strings or action.dest in ("help", "command"):
            continue
        value = getattr(namespace, action.dest, action.default)
        if value == action.default:
            continue
        flag = max(action.option_strings, key=len)
        words.append(flag if action.nargs == 0 else f"{flag} {value}")
    return words


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
                "(nothing run or written); 130 interrupted\n(143 by SIGTERM, as Ctrl-C: "
                "what finished is kept); 141 the output's reader stopped reading (| head).\n"
                f"{DEBUG_FLAG} (anywhere on the line) shows the full traceback of an "
                "unexpected error."),
    )
    parser.add_argument("--scenarios", metavar="DIR",
                        help="main job only: the folder of scenario files, holding "
                        f"{BASELINE_FILE} (default: the project's {SCENARIOS_DIR}/, from "
                        "whichever folder the command is run)")
    add_community_flag(parser)
    add_run_options(parser, main_job=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", action=_Commands,
                                title="commands (none: the main job)")
    for name, c in COMMANDS.items():
        if c.module:
            sub.add_parser(name, help=c.help)
        else:
            p = sub.add_parser(name, help=c.help, description=c.description or c.help)
            c.add_arguments(p)
    return parser


def _run_module_command(name: str, c: Command, rest: list[str]) -> int:
    """Import the command's module, parse ``rest`` with its options, run it."""
    module = importlib.import_module(c.module)
    parser = OneLineParser(prog=f"{PROG} {name}", description=c.description or c.help)
    module.add_arguments(parser)
    args = parser.parse_args(rest)
    if c.progress:
        bar = ProgressBar("runs")
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


PROJECT_FILE = Path("data") / "unit_costs.toml"  # one file every report needs


def check_project() -> None:
    """Refuse, before any work, a package installed away from its project folder (``pip
    install .`` copies sim/ alone into site-packages): every report would fail at its end
    for want of data/ (a user check: all runs done, then "FileNotFoundError")."""
    if not (PROJECT / PROJECT_FILE).is_file():
        raise UsageProblem(
            f"{PROJECT / PROJECT_FILE} is missing: this copy of kindliness-sim was installed "
            "without its project folder (data/, scenarios/); install it from a clone with "
            "pip install -e /path/to/the/clone, or run python run.py in the clone")


def main(argv: list[str] | None = None) -> int:
    """Parse ``argv`` (default: the process's arguments), run, return the exit status.

    Output piped into a reader that stops early (``run.py validate *.toml | head -1``) ends
    the command quietly with :data:`EXIT_READER_GONE`: the user chose to read no more, so
    a "BrokenPipeError" traceback (or "unexpected ... please report it") was noise."""
    try:
        try:
            return _main(argv)
        finally:  # what is still buffered (all of a short output, --help's) is written now,
            # while a closed reader can be caught, not at the interpreter's exit
            if sys.stdout is not None:
                sys.stdout.flush()
    except BrokenPipeError:
        return _reader_gone()


def program() -> NoReturn:
    """The program ``python run.py`` and ``kindliness`` run: :func:`main` on the process's
    arguments, then exit with its status. Once a job's outputs are complete
    (sim.commands.shared.outputs_complete), and once main has returned, Ctrl-C is ignored:
    what is left is its last words and the interpreter's teardown (about half a second
    after a job), and a Ctrl-C then made a job whose outputs were complete and whose report
    path was printed end with 130, read by a script as interrupted (a user check)."""
    run_as_program()
    code = main()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    raise SystemExit(code)


def _reader_gone() -> int:
    """Point stdout and stderr at the null device, so that the interpreter's last flush of
    what was buffered for the closed pipe says nothing either (``2>&1 | head`` closes both),
    and give the status a shell gives a program ended by SIGPIPE."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, OSError, ValueError):  # None, or no fd
            os.dup2(devnull, stream.fileno())
    os.close(devnull)
    return EXIT_READER_GONE


def _main(argv: list[str] | None) -> int:
    """:func:`main` but for a closed reader of its output.

    Bad input (UsageProblem, a scenario file's problems) is exit 2 with its lines; anything
    unexpected is exit 1 with one line, or its traceback with ``--debug``."""
    from sim.scenario.errors import ScenarioError

    argv = list(sys.argv[1:] if argv is None else argv)
    debug = DEBUG_FLAG in argv
    argv = [a for a in argv if a != DEBUG_FLAG]
    parser = build_parser()
    _refuse_unknown_main_options(parser, argv)
    args, unknown = parser.parse_known_args(argv)
    # the words left over that are not an unknown option's or its value
    extra = [w for i, w in enumerate(unknown) if not w.startswith("-")
             and not (i and unknown[i - 1].startswith("-") and "=" not in unknown[i - 1])]
    if args.command == "run" and extra:  # "run A.toml B.toml": one file, or a comparison
        args.command_parser.error(
            f"run takes one scenario file (got {len(extra) + 1}: {args.file} "
            f"{' '.join(extra)}); to compare several, use {PROG} compare {args.file} "
            f"{' '.join(extra)}")
    if unknown:  # said by the command's own parser, which knows its options
        getattr(args, "command_parser", parser).error(
            f"unrecognized arguments: {' '.join(unknown)}")
    args.debug = debug
    name = args.command
    c = COMMANDS.get(name)
    try:
        with contextlib.nullcontext() if c and c.own_signals else sigterm_as_ctrl_c():
            check_project()
            if c is None:
                return main_job.run(args, argv)
            if c.module:
                return _run_module_command(name, c, args.rest)
            return c.handler(args, argv)
    except UsageProblem as exc:
        prog = getattr(getattr(args, "command_parser", None), "prog", None) or (
            f"{PROG} {name}" if c is not None else PROG)
        err(*led_by(prog, exc.lines))
        return EXIT_INVALID
    except JobStopped as exc:  # a module command's job, stopped: its own words and status
        if debug and exc.__cause__ is not None:
            import traceback

            traceback.print_exception(exc.__cause__)
        err(*exc.lines)
        return exc.code
    except ScenarioError as exc:  # a command written elsewhere that loaded files itself
        err(*(str(p) for p in exc.problems))
        return EXIT_INVALID
    except KeyboardInterrupt:
        err("interrupted")
        return interrupted_status()
    except BrokenPipeError:  # the reader of the output went away: main() ends quietly
        raise
    except Exception as exc:
        from sim.ensemble.executors import ClusterUnavailable

        if isinstance(exc, ClusterUnavailable) and not debug:  # a lost cluster: no bug
            err(f"error: {str(exc).strip().splitlines()[0] if str(exc).strip() else exc}")
            return EXIT_FAILED
        if debug:
            raise
        err(f"error: {_one_line(exc)}",
            f"(unexpected: run the same command with {DEBUG_FLAG} for the details, and "
            "please report it)")
        return EXIT_FAILED


def _refuse_unknown_main_options(parser: argparse.ArgumentParser, argv: list[str]) -> None:
    """An unknown option before any command (the main job's ``--replciates 2``) is said as
    one, with the nearest known option, not as its value being an unknown command."""
    known = [o for a in parser._actions for o in a.option_strings]
    for word in argv:
        if word in COMMANDS or word == "--":
            return
        name = word.split("=", 1)[0]
        if name.startswith("--") and not any(o.startswith(name) for o in known):
            parser.error(f"unrecognized arguments: {word}")


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text.splitlines()[0]}" if text else type(exc).__name__

"""``validate``: check scenario files (with the options they would run with) and list every
problem, one per line; nothing is run or written."""

from __future__ import annotations

from sim.commands.shared import EXIT_OK, err, led_by, problems_count
from sim.usage import EXIT_INVALID, seed_number, whole_number

HELP = "check scenario files without running anything"
DESCRIPTION = ("Check scenario files and list every problem, one per line, with the file, the "
               "key and what is allowed. Exit status 0 when all are valid, 2 otherwise. Nothing "
               "is written.")


def add_arguments(p):
    p.add_argument("files", nargs="+", metavar="FILE",
                   help="scenario files (.toml) to check; every problem in every file is "
                   "listed, one per line")
    g = p.add_argument_group("check the files as they would run with these options (the "
                             "same options as compare and run)")
    for flag, meta, words in (
            ("--days", "D", "days each run would last (instead of the files' [run] days)"),
            ("--residents", "R", "residents in the community (instead of each file's "
             "population n_residents)"),
            ("--replicates", "N", "runs of each scenario (instead of the files' [run] "
             "replicates)"),
            ("--seed", "S", "the root random seed (instead of the files' [run] seed)")):
        g.add_argument(flag, type=seed_number if flag == "--seed" else whole_number,
                       metavar=meta, help=words)


def run(args, argv) -> int:
    from sim.scenario.errors import said_once
    from sim.scenario.loader import checked_files
    from sim.usage import run_overrides

    scenarios, problems = checked_files(args.files, overrides=run_overrides(args))
    errors = [p for p in problems if p.is_error]
    # a file others extend is checked with each: said once; an option's problem led by
    # the command, as every refusal of an option is
    said = led_by(args.command_parser.prog, said_once(errors))
    if said:
        err(*said)
    for line in said_once(p for p in problems if not p.is_error):
        print(line)
    if errors:
        files = {p.file for p in errors if not p.file.startswith("--")}
        err(problems_count(len(said), files, len(files) < len({p.file for p in errors})))
        return EXIT_INVALID
    for line in copies_warnings(scenarios, run_overrides(args)):
        print(line)
    for f in args.files:
        print(f"{f}: ok")
    return EXIT_OK


def copies_warnings(scenarios, overrides=()) -> list[str]:
    """A warning for each of ``scenarios`` (files checked together) that runs exactly as
    another of them, or, with interventions, as the file it extends (an option copied from
    an option, unchanged; sim.ensemble.runner.runs_alike): compared,
    its effects would be that file's, or all zero (a user check: ``validate`` said "ok" of a
    plain copy of the baseline, which compare then warned of). Valid, so warned, not
    refused."""
    from sim.ensemble.runner import alike_earlier, alike_words, runs_alike
    from sim.scenario import load_scenarios
    from sim.scenario.errors import ScenarioError

    out, said = [], set()
    for s, first in alike_earlier(scenarios):
        said.add(s.path)
        out.append(f"warning: {s.path}: '{s.name}' {alike_words(s)} as '{first.name}' "
                   f"({first.path}): compared, the two will have the same effects, run for run")
    parents: dict[str, object] = {}  # the shipped options all extend the baseline
    for s in scenarios:
        # a file without interventions extending one alike is a baseline still to be
        # described (new-area writes one), not an option of no effect
        if s.path in said or len(s.files) < 2 or not s.interventions:
            continue
        if s.files[1] not in parents:
            try:
                parents[s.files[1]] = load_scenarios([s.files[1]], overrides=overrides)[0]
            except (ScenarioError, OSError):  # a file made only to be extended
                parents[s.files[1]] = None
        parent = parents[s.files[1]]
        if parent is not None and runs_alike(s, parent):
            out.append(f"warning: {s.path}: '{s.name}' {alike_words(s)} as "
                       f"'{parent.name}', the file it extends ({s.files[1]}): compared with "
                       "it, its effects would all be zero; give it its [[interventions]] or "
                       "the settings it changes")
    return out

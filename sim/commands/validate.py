"""``validate``: check scenario files (with the options they would run with) and list every
problem, one per line; nothing is run or written."""

from __future__ import annotations

from sim.commands.shared import EXIT_OK, err, led_by
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
    from sim.scenario import validate_files
    from sim.scenario.errors import said_once
    from sim.usage import run_overrides

    problems = validate_files(args.files, overrides=run_overrides(args))
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
        where = [f"{len(files)} file{'s' if len(files) != 1 else ''}"] if files else []
        where += ["the options"] if len(files) < len({p.file for p in errors}) else []
        err(f"{len(said)} problem{'s' if len(said) != 1 else ''} in "
            f"{' and '.join(where)}; nothing was run or written")
        return EXIT_INVALID
    for f in args.files:
        print(f"{f}: ok")
    return EXIT_OK

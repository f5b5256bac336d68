"""``python run.py new-area NAME``: an area of one's own, compared like with like.

A comparison pairs runs of one community (sim/report/community.py). To try interventions on
your own ward, first describe the ward as it is, then write each option as a file that
extends that description and adds only interventions. This command writes both:

    scenarios/areas/<name>/baseline.toml    the area as it is: residents, sections, network
                                            and hubs written out to edit; the calibrated
                                            rules and orientation profiles are inherited
                                            from the shipped baseline (``extends``)
    scenarios/areas/<name>/<option>.toml    one option: extends the area baseline and adds an
                                            intervention, its window given in months

and prints the commands to check and compare them. Nothing is overwritten: an existing area
folder is an error (exit 2), as is a ``--dir`` that is a file or cannot be made or written in
(worded as compare's ``--out``). The recipe is in docs/SCENARIOS.md, "An area of your own".
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import errno
import re
import shlex
import unicodedata
from pathlib import Path

from sim.commands.shared import PROG, run_py
from sim.params import MAX_SECTIONS
from sim.scenario.merging import SHIPPED_SCENARIOS, shipped_extends
from sim.scenario.schema import MAX_SCENARIO_NAME_CHARS
from sim.scenario.words import file_stem, hint, left_out
from sim.usage import UsageProblem, check_out_root

DEFAULT_DIR = SHIPPED_SCENARIOS / "areas"
EXIT_OK, EXIT_FAILED, EXIT_INVALID = 0, 1, 2
# the option written next to the baseline when none is named: a boundary cafe
DEFAULT_OPTION = "third_space"
# the example option runs from month 3 to the end of the run: the verdicts average the run's
# last quarter (days 549-730 of two years), so an option that had ended by then (it ran to
# month 15, day 457) was judged only after it had stopped
START_MONTH = 3
EXAMPLE_END_MONTH = 15  # the end its comment shows how to give
# where the model's direction failed validation on places it was never fitted to
# (docs/VALIDATION.md, section 4; docs/MODEL.md, known limitations): said where users make
# their own area
VALIDATION_NOTE = ("Note: tested on places it was never fitted to, the model got wrong which way "
                   "a deprived estate differs from an average place in trust and loneliness, "
                   "and a student-heavy ward in trust; if your area is like these, read its "
                   "results as untested (docs/VALIDATION.md, section 4).")
# what the example option file calls each type (others: the type name in words)
OPTION_LABELS = {"third_space": "Community cafe on the boundary",
                 "palatable_activity": "Palatable activity at the hubs",
                 "bridge_figures": "Bridge figures", "shared_myth": "Place-story events",
                 "common_cause": "Common-cause project", "one_to_ones": "Organisers' 1:1s",
                 "creative_citizens": "Creative-citizens evenings",
                 "critical_friend": "A critical friend", "hub_closure": "The library closes"}
# the longest area name: it begins its scenarios' names ("<name> as it is", "<name>:
# community cafe on the boundary"), and a scenario's name has a limit
LONGEST_LABEL = max(OPTION_LABELS.values(), key=len)
MAX_NAME_CHARS = MAX_SCENARIO_NAME_CHARS - len(": ") - len(LONGEST_LABEL)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.description = ("Write an area baseline (your community as it is) and an intervention "
                     "file that extends it, so that options for the area are compared on the "
                     "same community. Edit both, then compare them.")
    p.add_argument("name", help="the area's name, e.g. \"Riverside ward\"")
    p.add_argument("--residents", type=int, metavar="N",
                   help="residents in the area (default: the shipped baseline's)")
    p.add_argument("--sections", metavar="NAME=SHARE,...",
                   help="the area's sections and their shares of residents, e.g. "
                   "\"long_standing=0.6,newcomers=0.4\" (default: the shipped baseline's "
                   "sections); each takes the settings of the shipped section of the same "
                   "name, or of the first one")
    p.add_argument("--option", default=DEFAULT_OPTION, metavar="TYPE",
                   help="the intervention type of the example option file (default: "
                   f"{DEFAULT_OPTION}, a community cafe on the boundary)")
    p.add_argument("--dir", type=Path, default=DEFAULT_DIR, metavar="DIR",
                   help="where the area's folder is made (default: scenarios/areas)")


def slug(name: str) -> str:
    """The area's folder name, by the rule the live page names a saved file by
    (:func:`sim.scenario.words.file_stem`): lower case, accents taken off the letters
    ("Ynys Môn" -> "ynys_mon"; they were dropped with the letter: "ynys_m_n") and letters
    such as ß spelled out ("Straße" -> "strasse"), anything but letters, digits and '-' as
    "_". A name with no Latin letters keeps its own ("Αθήνα"). "" when nothing is left
    (the command refuses it)."""
    return file_stem(name)


def area_name(name: str) -> str:
    """The area's name as its files say it: the parts of a path dropped ("../../etc" ->
    "etc", the folder's name; the scenario was named "../../etc as it is"), spaces trimmed."""
    parts = [p.strip() for p in re.split(r"[/\\]", name)]
    return "/".join(p for p in parts if p.strip(".")).strip()


def parse_sections(text: str) -> list[tuple[str, float]]:
    """"a=0.6,b=0.4" -> [("a", 0.6), ("b", 0.4)]; raises ValueError saying what is wrong."""
    out = []
    for part in [p.strip() for p in text.split(",") if p.strip()]:
        if "=" not in part:
            raise ValueError(f"--sections: '{part}' should be NAME=SHARE, e.g. newcomers=0.4")
        name, share = (x.strip() for x in part.split("=", 1))
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", name) or name == "boundary":
            raise ValueError(f"--sections: '{name}' is not a usable section name (letters, "
                             "digits and _; 'boundary' is reserved)")
        try:
            value = float(share)
        except ValueError:
            raise ValueError(f"--sections: share of '{name}' is '{share}', not a number") \
                from None
        if not 0 < value <= 1:
            raise ValueError(f"--sections: share of '{name}' must be above 0 and at most 1")
        out.append((name, value))
    if not out:
        raise ValueError("--sections: give at least one NAME=SHARE")
    if len(out) > MAX_SECTIONS:
        raise ValueError(f"--sections: {len(out)} sections; at most {MAX_SECTIONS} are allowed")
    if len({n for n, _ in out}) != len(out):
        raise ValueError("--sections: a section is named twice")
    total = sum(v for _, v in out)
    if abs(total - 1) > 1e-6:
        raise ValueError(f"--sections: shares sum to {total:.2f}, must sum to 1")
    return out


def _area_sections(shipped, wanted):
    by_name = {s.name: s for s in shipped}
    if wanted is None:
        return list(shipped)
    return [dataclasses.replace(by_name.get(name, shipped[0]), name=name, share=share)
            for name, share in wanted]


def _area_hubs(shipped_hubs, shipped_sections, sections):
    """The shipped hubs, each moved to the area's section in the same place in the list
    (a hub on the boundary stays there)."""
    old = [s.name for s in shipped_sections]
    new = [s.name for s in sections]
    out = []
    for h in shipped_hubs:
        if h.location in old and h.location not in new:
            i = old.index(h.location)
            h = dataclasses.replace(h, location=new[i % len(new)] if len(new) > 1 else
                                    "boundary")
        out.append(h)
    return out


def baseline_text(name: str, rel_shipped: str, *, residents: int | None,
                  sections: list[tuple[str, float]] | None) -> str:
    """The area baseline's file."""
    from sim.scenario import load_scenario
    from sim.scenario.reference import table_lines

    shipped = load_scenario(SHIPPED_SCENARIOS / "baseline.toml")
    pop = shipped.model.population
    if residents is not None:
        pop = dataclasses.replace(pop, n_residents=residents)
    secs = _area_sections(pop.sections, sections)
    hubs = _area_hubs(shipped.model.hubs, pop.sections, secs)
    run = shipped.run
    out = [
        f"# {name} as it is: the area baseline. Every option for this area extends this file",
        '# (extends = "baseline.toml") and adds only interventions, so that a comparison pairs',
        "# runs of the same community. Describe the area here: residents, sections, the",
        "# network and the hubs open from day 0. The daily rules and the orientation profiles",
        "# (calibrated) come from the shipped baseline this file extends; set any of them",
        "# here to change them for the area (docs/SCENARIOS.md, 'An area of your own').",
        "",
        f"name = {_q(name + ' as it is')}",
        f"description = {_q('The area with no new intervention: the baseline its options are compared with.')}",  # noqa: E501
        f"extends = {_q(rel_shipped)}",
        "",
        "[run]",
        f"days = {run.days}",
        f"replicates = {run.replicates}",
        f"seed = {run.seed}",
        "",
        "[population]",
        *table_lines(pop, skip=("sections",)),
    ]
    out += ["", "# Sections: a list given here replaces the shipped baseline's whole. Shares sum"
            " to 1."]
    for i, sec in enumerate(secs):
        out += ["", "[[population.sections]]", *table_lines(sec, comments=i == 0)]
    out += ["", "[network]", *table_lines(shipped.model.network)]
    out += ["", "# Hubs open from day 0. A hub's location is one of the sections above or "
            '"boundary".']
    for i, hub in enumerate(hubs):
        out += ["", "[[hubs]]", *table_lines(hub, comments=i == 0)]
    return "\n".join(out) + "\n"


def option_text(area: str, kind: str) -> str:
    """An option file for the area: extends the area baseline and adds one intervention of
    type ``kind``, running from month START_MONTH to the end of the run (its comment says how
    to give it an end, and what that does to the verdicts)."""
    from sim.interventions import INTERVENTIONS
    from sim.scenario.intervention_checks import days_from_months

    cls = INTERVENTIONS[kind]
    label = OPTION_LABELS.get(kind, cls.type_name.replace("_", " ").capitalize())
    lines = [
        f"# One option for {area}: the area baseline plus one intervention. Copy this file",
        "# for each option you want to compare, and in the copy change its name (each option",
        "# needs a name of its own), its description and its [[interventions]]; nothing else.",
        "",
        f"name = {_q(f'{area}: {label[:1].lower() + label[1:]}')}",
        f"description = {_q(f'{label} from month {START_MONTH} to the end of the run.')}",
        'extends = "baseline.toml"',
        "",
        "[[interventions]]",
        f"type = {_q(kind)}",
        f"label = {_q(label)}",
        "# when it starts, in months from the start of the run (start_day gives days instead)",
        f"start_month = {START_MONTH}",
        f"# it runs to the end of the run. To stop it earlier, add end_month = {EXAMPLE_END_MONTH} "
        f"(or end_day = {days_from_months(EXAMPLE_END_MONTH)}):",
        "# the verdicts average the run's last quarter, so a programme that has ended by then",
        "# is judged on what lasts after it (the report's durability table shows its effect",
        "# at its end)",
    ]
    if kind == "third_space":
        lines += ["# the new hub: where it sits, how many a day, which days, how little it is "
                  "framed as help",
                  'hub = { name = "new_cafe", kind = "community cafe", location = "boundary", '
                  'capacity = 30, open_days = ["mon", "wed", "fri", "sat"], palatability = 0.6 }']
    lines += ["# every key this type takes: docs/SCENARIOS.md, reference, "
              f'type = "{kind}"']
    return "\n".join(lines) + "\n"


def _name_problem(name: str) -> str:
    """What is wrong with the area's name (after :func:`area_name`), or ""."""
    if not name:
        return "NAME: give the area a name, e.g. \"Riverside ward\""
    if len(name) > MAX_NAME_CHARS:
        return (f"NAME: is {len(name):,} characters long; an area's name may have at most "
                f"{MAX_NAME_CHARS} (it begins the names of the area's scenarios, "
                f"\"<name>: {LONGEST_LABEL.lower()}\", which may have at most "
                f"{MAX_SCENARIO_NAME_CHARS}): shorten it")
    if not slug(name):
        return (f"NAME: '{name}' has no letters or digits to name the area's folder by; give "
                "it a name with some, e.g. \"Riverside ward\"")
    return ""


def _listed(parts) -> str:
    """'a', 'a' and 'b', 'a', 'b' and 'c'."""
    quoted = [f"'{p}'" for p in parts]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


REFUSED = f"{PROG} new-area: "  # what leads each of its refusals


def _not_written(folder: Path, target: Path, exc: OSError) -> tuple[int, str]:
    """A folder that could not be made or written, in the words compare uses for --out
    (exit 2); a full disk is a failure, not bad input (exit 1)."""
    reason = exc.strerror or str(exc)
    if isinstance(exc, FileExistsError):  # made by someone else since the check above
        return EXIT_INVALID, (f"{REFUSED}{target}: already exists; nothing was written "
                              "(choose another name or --dir, or edit the files there)")
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return EXIT_FAILED, (f"error: the disk holding {folder} is full ({reason}); nothing "
                             "was written: free some space, then run the same command again")
    return EXIT_INVALID, (f"{REFUSED}--dir {folder}: cannot make a folder there "
                          f"({reason}); nothing was written: choose another folder with --dir")


def _q(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)


def shipped_path(area_dir: Path) -> str:
    """How an area baseline in ``area_dir`` names the shipped baseline it extends: relative
    inside the project (the two move together: a clone elsewhere still works), absolute
    outside it (an areas folder of one's own can then move without breaking the link); the
    rule of sim.scenario.merging.shipped_extends, which calibrate's files follow too."""
    return shipped_extends(area_dir)


def write_area(name: str, folder: Path | str = DEFAULT_DIR, *, residents: int | None = None,
               sections: list[tuple[str, float]] | None = None,
               option: str = DEFAULT_OPTION) -> list[Path]:
    """Write the area baseline and one option file into ``folder/<slug of name>/``; return
    their paths. Raises FileExistsError if that folder exists (nothing is overwritten), and
    OSError if it cannot be made or written (then nothing is left of it)."""
    from sim.report.outputs import write_text_atomic

    name = area_name(name)
    area_dir = Path(folder) / slug(name)
    texts = {"baseline.toml": baseline_text(name, shipped_path(area_dir), residents=residents,
                                            sections=sections),
             f"{option}.toml": option_text(name, option)}
    area_dir.parent.mkdir(parents=True, exist_ok=True)
    area_dir.mkdir()  # FileExistsError: never overwrite an area
    written = []
    try:
        for file_name, text in texts.items():
            written.append(write_text_atomic(area_dir / file_name, text))
    except BaseException:  # no half-written area (it would block the next try)
        for path in written:
            path.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            area_dir.rmdir()
        raise
    return written


def run(args) -> tuple[int, str]:
    """The command: check the options, write the files, check them, say what to do next."""
    from sim.interventions import INTERVENTIONS
    from sim.scenario import validate_files

    problems = []
    sections = None
    if args.sections:
        try:
            sections = parse_sections(args.sections)
        except ValueError as exc:
            problems.append(str(exc))
    if args.residents is not None and not 10 <= args.residents <= 5_000_000:
        problems.append("--residents: must be between 10 and 5,000,000")
    if args.option not in INTERVENTIONS:
        problems.append(f"--option: unknown intervention type '{args.option}'"
                        + hint(args.option, sorted(INTERVENTIONS)))
    name = area_name(args.name)
    name_problem = _name_problem(name)
    if name_problem:
        problems.append(name_problem)
    try:
        check_out_root(args.dir, "--dir")  # worded as compare's --out
    except UsageProblem as exc:
        problems.extend(exc.lines)
    target = Path(args.dir) / slug(name)
    if not name_problem and target.exists():
        # the letters its folder's name leaves out, where they made the names differ (a
        # user check: "Straße 東京" refused as strasse/, "already exists", unexplained)
        dropped = left_out(name)
        why = (f" (the folder's name leaves out {_listed(dropped)})" if dropped else "")
        problems.append(f"{target}: already exists{why}; nothing was written (choose another "
                        "name or --dir, or edit the files there)")
    if problems:  # led as the command line's other refusals are (a user check: "error:")
        return EXIT_INVALID, "\n".join(f"{REFUSED}{p}" for p in problems)
    try:
        paths = write_area(args.name, args.dir, residents=args.residents, sections=sections,
                           option=args.option)
    except OSError as exc:
        return _not_written(args.dir, target, exc)
    errors = [p for p in validate_files([str(p) for p in paths]) if p.is_error]
    lines = [f"wrote {p}" for p in paths]
    if name != args.name.strip():
        lines.append(f"the area is called '{name}' in its files (a name is not a path)")
    dropped = left_out(name)
    if dropped:
        letters = any(unicodedata.category(c)[0] in "LN" for c in "".join(dropped))
        rule = ("a name with Latin letters makes a folder name of Latin letters, digits, '-' "
                "and '_' only" if letters else
                "a folder name keeps only letters, digits, '-' and '_'")
        lines.append(f"the area's folder is called '{target.name}': {rule}, so "
                     f"{_listed(dropped)} {'was' if len(dropped) == 1 else 'were'} left out "
                     "(the files keep the name as given)")
    if errors:  # e.g. an option whose defaults do not fit the area's sections or hubs
        lines += [str(e) for e in errors]
        lines.append(f"edit the files above to fix these, then check them with: {run_py()} "
                     f"validate {shlex.join(str(p) for p in paths)}")
        return EXIT_INVALID, "\n".join(lines)
    lines += ["", VALIDATION_NOTE]
    lines += ["", "Next:",
              f"  edit {paths[0]} to describe the area as it is (residents, sections, hubs)",
              f"  copy {paths[1].name} for each option, and in the copy change its name (each "
              "option needs its own), its description and its [[interventions]]",
              f"  {run_py()} validate {shlex.quote(str(target))}/*.toml",
              f"  {run_py()} compare {shlex.quote(str(paths[0]))} "
              f"{shlex.quote(str(target))}/<option>.toml ..."]
    return EXIT_OK, "\n".join(lines)

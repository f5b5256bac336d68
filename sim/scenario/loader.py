"""Load scenario files (TOML, with ``extends``) into validated :class:`Scenario` objects.

The format is documented for users in docs/SCENARIOS.md. In short: a file names the scenario,
may extend another file (tables merge key by key, the child winning; lists are replaced
whole; ``name`` and ``description`` are never inherited), and sets any parameter of
``sim.params`` plus run settings and a list of interventions.

Loading has three steps, each in its own module: reading and merging the ``extends`` chain
(sim/scenario/merging.py); converting every value to the type and kind its field declares
(sim/scenario/convert.py, kinds in sim/scenario/kinds.py, using the metadata each field
carries from :func:`sim.params.param`); and the domain checks across tables
(sim/scenario/checks.py, interventions in sim/scenario/intervention_checks.py). Every problem
in every file is gathered, and :class:`ScenarioError` is raised once. Nothing is written.
"""

from __future__ import annotations

import dataclasses
import importlib
import os
import re
from pathlib import Path

from sim.scenario.checks import ScenarioChecker
from sim.scenario.errors import Problem, ScenarioError
from sim.scenario.merging import SHIPPED_SCENARIOS, own_keys, read_chain
from sim.scenario.schema import Scenario


@dataclasses.dataclass(frozen=True)
class Override:
    """A value given outside the files (a command-line option) for one key of ``[run]``,
    ``[population]``, ``[network]`` or ``[rules]``. It is checked against the same declaration
    as the files (type, range) and cross-checked with each scenario, so a flag cannot do what
    a file may not: ``Override("run.days", 60, "--days")``.

    ``flag`` names it in messages; ``note`` describes a value the user did not type (the main
    job's own default: "the main job's 730 days") where messages would otherwise say
    "--days 730"."""

    key: str
    value: object
    flag: str
    note: str = ""

    @property
    def source(self) -> str:
        return self.note or f"{self.flag} {self.value}"


def load_scenario(path, *, registry: dict[str, type] | None = None) -> Scenario:
    """Read, merge (``extends``) and validate one scenario file.

    Raises :class:`ScenarioError` carrying every problem when there is any error; warnings
    alone do not raise and are kept on ``Scenario.warnings``. ``registry`` maps intervention
    type names to classes (default: ``sim.interventions.INTERVENTIONS``).
    """
    return load_scenarios([path], registry=registry)[0]


def load_scenarios(paths, *, registry: dict[str, type] | None = None,
                   overrides=()) -> list[Scenario]:
    """Load several files, gathering problems across all of them, and raise once.
    ``overrides`` (:class:`Override`) replace file values in every scenario, after the same
    checks."""
    scenarios, problems = _load_all(paths, registry, overrides)
    if any(p.is_error for p in problems):
        raise ScenarioError(problems)
    return scenarios


def validate_files(paths, *, registry: dict[str, type] | None = None,
                   overrides=()) -> list[Problem]:
    """Every problem (errors and warnings) in the given files; an empty list when all is well."""
    return checked_files(paths, registry=registry, overrides=overrides)[1]


def checked_files(paths, *, registry: dict[str, type] | None = None,
                  overrides=()) -> tuple[list[Scenario], list[Problem]]:
    """The scenarios that loaded, and every problem (errors and warnings) in the files."""
    return _load_all(paths, registry, overrides)


def intervention_registry() -> dict[str, type]:
    """``sim.interventions.INTERVENTIONS``, or an empty registry when that package has none."""
    try:
        module = importlib.import_module("sim.interventions")
    except ModuleNotFoundError as exc:
        if exc.name not in ("sim.interventions", "sim"):
            raise
        return {}
    return dict(getattr(module, "INTERVENTIONS", {}))


def _load_all(paths, registry, overrides=()):
    registry = intervention_registry() if registry is None else registry
    scenarios, problems = [], []
    names: dict[str, str] = {}
    slugs: dict[str, tuple[str, str]] = {}
    for path in paths:
        shown = str(path)
        merged = read_chain(Path(path), shown, [], problems)
        if merged is None:
            problems.extend(_own_problems(path, shown, registry, overrides, problems))
            continue
        check = ScenarioChecker(shown, merged.origin, registry, overrides)
        scenario = check.scenario(merged)
        problems.extend(check.problems)
        if scenario is None:
            continue
        if scenario.name in names:
            file, other = _repeater(shown, names[scenario.name])
            problems.append(Problem(file, "name", f"'{scenario.name}' is also the name of "
                                    f"{other}; each scenario needs its own name"))
            continue
        if scenario.slug in slugs:
            other_name, where = slugs[scenario.slug]
            file, other = _repeater(shown, where)
            mine, theirs = ((scenario.name, other_name) if file == shown
                            else (other_name, scenario.name))
            problems.append(Problem(file, "name", f"'{mine}' and '{theirs}' (in {other}) give "
                                    f"the same folder name '{scenario.slug}' for their runs; "
                                    + scenario.slug_advice(other_name)))
            continue
        names[scenario.name] = shown
        slugs[scenario.slug] = (scenario.name, shown)
        scenarios.append(scenario)
    return scenarios, _dedupe(problems)


# what is wrong with a file whatever it extends: a key or table no scenario file has, an
# intervention type that is none, a value of the wrong kind (a name of a hub or section, a
# range that the run's days set, may be right in the file it extends, so they wait for it)
WHATEVER_IT_EXTENDS = re.compile(r"unknown key|unknown intervention type|unknown orientation|"
                                 r"is not a table a scenario file has|^expected ")


def _own_problems(path, shown: str, registry, overrides, found: list[Problem]
                  ) -> list[Problem]:
    """When ``shown``'s own ``extends`` cannot be read (a file not found, a cycle, a file it
    extends that is broken), the mistakes in its own keys that do not depend on the file it
    extends, so that they are said with it (a user check: only the missing file was said;
    the mistyped intervention type and key below it came one at a time, after)."""
    if not any((p.file == shown and p.key == "extends" and p.via is None) or p.via == shown
               for p in found):
        return []
    own = own_keys(Path(path), shown)
    if own is None:
        return []
    check = ScenarioChecker(shown, own.origin, registry, overrides)
    check.scenario(own)
    return [p for p in check.problems if p.is_error and p.file == shown and p.key != "name"
            and WHATEVER_IT_EXTENDS.search(p.message)]


def _repeater(later: str, earlier: str) -> tuple[str, str]:
    """Of two files giving one name, ``(the file to blame, the other)``: the later one, unless
    it is a shipped scenario and the earlier one is the user's own (``validate mine.toml
    scenarios/baseline.toml`` blamed the shipped baseline for the user's name "Baseline")."""
    if _shipped(later) and not _shipped(earlier):
        return earlier, later
    return later, earlier


def _shipped(shown: str) -> bool:
    return Path(os.path.realpath(shown)).parent == Path(os.path.realpath(SHIPPED_SCENARIOS))


def _dedupe(problems: list[Problem]) -> list[Problem]:
    """Drop repeats, and drop a parent file's problem seen through a child when the parent
    itself was also loaded and reported it."""
    direct = {(p.file, p.key, p.message) for p in problems if p.via is None}
    seen, out = set(), []
    for p in problems:
        if p.via is not None and (p.file, p.key, p.message) in direct:
            continue
        if p in seen:
            continue
        seen.add(p)
        out.append(p)
    return _in_file_order(out)


def _in_file_order(problems: list[Problem]) -> list[Problem]:
    """The problems of each file's list tables in the order of their items (a user check:
    an ``interventions[1]`` problem said before an ``interventions[0]`` one, whose check
    across the list ran later); otherwise as found (a stable sort)."""
    first: dict[tuple, int] = {}
    for i, p in enumerate(problems):
        first.setdefault((p.file, _table_of(p.key)[0]), i)

    def place(p: Problem) -> tuple:
        table, index = _table_of(p.key)
        return first[(p.file, table)], index

    return sorted(problems, key=place)


def _table_of(key) -> tuple[str, int]:
    """("interventions", 1) of "interventions[1].start_day"; (key's first part, -1) else."""
    match = re.match(r"([^.\[]*)(?:\[(\d+)\])?", str(key or ""))
    return match[1], int(match[2]) if match[2] is not None else -1

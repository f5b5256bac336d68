"""Load scenario files (TOML, with ``extends``) into validated :class:`Scenario` objects.

The format is documented for users in docs/SCENARIOS.md. In short: a file names the scenario,
may extend another file (tables merge key by key, the child winning; lists are replaced
whole; ``name`` and ``description`` are never inherited), and sets any parameter of
``sim.params`` plus run settings and a list of interventions.

Validation is generic: every table is checked against the fields of the dataclass it fills
(``sim.params`` and the intervention classes registered in ``sim.interventions``), using the
metadata each field carries from :func:`sim.params.param` (type, range, unit, choices, and
``refers_to`` for names of sections, hubs and orientations). Every problem in every file is
gathered, and :class:`ScenarioError` is raised once. Nothing is written anywhere.
"""

from __future__ import annotations

import collections
import copy
import dataclasses
import difflib
import importlib
import math
import os
import re
import types
import typing
import unicodedata
from pathlib import Path

from sim.params import (
    ORIENTATIONS,
    HubSpec,
    ModelParams,
    NetworkParams,
    OrientationProfile,
    PopulationParams,
    RuleParams,
    Section,
    default_hubs,
    default_profiles,
    default_sections,
)
from sim.scenario.errors import ERROR, WARNING, Problem, ScenarioError
from sim.scenario.reading import InputRefused, read_bytes, read_toml
from sim.scenario.schema import MAX_SCENARIO_NAME_CHARS, RunSettings, Scenario

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
SHARE_TOLERANCE = 1e-6  # shares must sum to 1 within this
MAX_EXTENDS_DEPTH = 16  # files in one extends chain (the shipped scenarios use 2)
MAX_NAME_CHARS = 60  # a section or hub name (column names of breakdowns are built from it)
MAX_LABEL_CHARS = 80  # an intervention's label (chart legends)
MAX_IDENTIFIER_CHARS = 40
IDENTIFIER = re.compile(rf"[A-Za-z][A-Za-z0-9_]{{0,{MAX_IDENTIFIER_CHARS - 1}}}")
BOUNDARY = "boundary"  # a hub location between sections (sim.places)
TOP_LEVEL_KEYS = ("name", "description", "extends", "run", "population", "network", "hubs",
                  "rules", "orientations", "interventions", "costs")
NOT_INHERITED = ("name", "description", "extends")
# the tables that fill one parameter dataclass each
TABLES = {"run": RunSettings, "population": PopulationParams, "network": NetworkParams,
          "rules": RuleParams}
# keys a table must give (the dataclass default would be a trap: two sections both called
# "residents", a section with the default share 1)
REQUIRED = {Section: ("name", "share"), HubSpec: ("name",)}
# metadata the validator adds where sim.params leaves it implicit
EXTRA_REFERS_TO = {(Section, "orientations"): "orientation"}

# intervention keys that give a window in months instead of days
MONTH_KEYS = {"start_month": "start_day", "end_month": "end_day"}
DAYS_PER_MONTH = 365.25 / 12
SHIPPED_SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"

_BAD = object()  # a value that failed validation (its problem is already recorded)


def days_from_months(months: float) -> int:
    """The day a window given in months starts or ends on: round(months x 365.25 / 12)."""
    return int(round(months * DAYS_PER_MONTH))


# ---------------------------------------------------------------------------------------------
# Public entry points
# ---------------------------------------------------------------------------------------------


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
    return _load_all(paths, registry, overrides)[1]


def intervention_registry() -> dict[str, type]:
    """``sim.interventions.INTERVENTIONS``, or an empty registry when that package has none."""
    try:
        module = importlib.import_module("sim.interventions")
    except ModuleNotFoundError as exc:
        if exc.name not in ("sim.interventions", "sim"):
            raise
        return {}
    return dict(getattr(module, "INTERVENTIONS", {}))


# ---------------------------------------------------------------------------------------------
# Reading files and following ``extends``
# ---------------------------------------------------------------------------------------------


@dataclasses.dataclass
class _Merged:
    data: dict
    origin: dict[str, str]  # key path -> the file that set it
    files: list[str]  # the file, then the files it extends, in order


def _load_all(paths, registry, overrides=()):
    registry = intervention_registry() if registry is None else registry
    scenarios, problems = [], []
    names: dict[str, str] = {}
    slugs: dict[str, tuple[str, str]] = {}
    for path in paths:
        shown = str(path)
        merged = _read_chain(Path(path), shown, [], problems)
        if merged is None:
            continue
        check = _Checker(shown, merged.origin, registry, overrides)
        scenario = check.scenario(merged)
        problems.extend(check.problems)
        if scenario is None:
            continue
        if scenario.name in names:
            problems.append(Problem(shown, "name", f"'{scenario.name}' is also the name of "
                                    f"{names[scenario.name]}; each scenario needs its own name"))
            continue
        if scenario.slug in slugs:
            other, where = slugs[scenario.slug]
            problems.append(Problem(shown, "name", f"'{scenario.name}' and '{other}' (in "
                                    f"{where}) give the same folder name '{scenario.slug}' for "
                                    "their runs; make the names differ in letters or digits"))
            continue
        names[scenario.name] = shown
        slugs[scenario.slug] = (scenario.name, shown)
        scenarios.append(scenario)
    return scenarios, _dedupe(problems)


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
    return out


def _read_toml(path: Path, shown: str, problems: list[Problem],
               via: str | None = None) -> dict | None:
    try:
        data = read_toml(path)
    except InputRefused as exc:
        problems.append(Problem(shown, exc.where, str(exc), via=via))
        return None
    if not data:
        problems.append(Problem(shown, "", 'file is empty; a scenario needs at least '
                                'name = "..." (see docs/SCENARIOS.md)', via=via))
        return None
    return data


def _read_chain(path: Path, shown: str, chain: list[tuple[str, str]],
                problems: list[Problem]) -> _Merged | None:
    data = _read_toml(path, shown, problems, via=chain[0][1] if chain else None)
    if data is None:
        return None
    own = {k: v for k, v in data.items() if k != "extends"}
    base = _Merged({}, {}, [])
    if "extends" in data:
        parent = data["extends"]
        if not isinstance(parent, str) or not parent.strip() or _has_control(parent):
            problems.append(Problem(shown, "extends", "expected a file name in quotes, relative "
                                    f"to this file, got {_describe(parent)}"))
            return None
        parent_path = path.parent / parent
        parent_shown = os.path.normpath(os.path.join(os.path.dirname(shown), parent))
        # realpath, not Path.resolve: it does not raise on a symbolic-link loop (the reader
        # reports that below, with the file named)
        here = [(os.path.realpath(path), shown)]
        ancestors = [p for p, _ in chain + here]
        if os.path.realpath(parent_path) in ancestors:
            cut = ancestors.index(os.path.realpath(parent_path))
            loop = " -> ".join([s for _, s in (chain + here)[cut:]] + [parent_shown])
            problems.append(Problem(shown, "extends", f"extends cycle: {loop}"))
            return None
        if len(chain) + 1 >= MAX_EXTENDS_DEPTH:
            first = chain[0][1] if chain else shown
            problems.append(Problem(shown, "extends", f"too many files extend one another "
                                    f"({first} -> ... -> {parent_shown} is more than "
                                    f"{MAX_EXTENDS_DEPTH} files); at most {MAX_EXTENDS_DEPTH} "
                                    "are allowed: extend a file nearer the baseline"))
            return None
        try:
            read_bytes(parent_path)
        except InputRefused as exc:
            reason = str(exc)
            if reason == "file not found":
                reason += ": " + parent_shown + _did_you_mean(
                    parent_path.name, [p.name for p in _toml_files(parent_path.parent)])
                reason += _shipped_hint(path.parent)
            else:
                reason = f"{parent_shown} {reason}"
            problems.append(Problem(shown, "extends", reason))
            return None
        base = _read_chain(parent_path, parent_shown, chain + here, problems)
        if base is None:
            return None
        for key in NOT_INHERITED:
            base.data.pop(key, None)
    origin = dict(base.origin)
    merged = _merge(base.data, own, shown, "", origin)
    return _Merged(merged, origin, [shown] + base.files)


def _toml_files(folder: Path) -> list[Path]:
    try:
        return sorted(folder.glob("*.toml"))
    except OSError:
        return []


def _merge(base: dict, over: dict, file: str, prefix: str, origin: dict[str, str]) -> dict:
    """Tables merge key by key (``over`` wins); anything else, lists included, is replaced."""
    out = copy.deepcopy(base)
    for key, value in over.items():
        path = _join(prefix, key)
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value, file, path, origin)
        else:
            out[key] = copy.deepcopy(value)
            for old in [k for k in origin if k.startswith((path + ".", path + "["))]:
                del origin[old]
        origin[path] = file
    return out


# ---------------------------------------------------------------------------------------------
# Checking a merged definition and building the scenario
# ---------------------------------------------------------------------------------------------


class _Checker:
    """Walks one merged definition, building parameter objects and recording problems."""

    def __init__(self, shown: str, origin: dict[str, str], registry: dict[str, type],
                 overrides=()):
        self.shown = shown
        self.origin = origin
        self.registry = registry
        self.overrides = {o.key: o for o in overrides}
        self.bad_overrides: set[str] = set()  # refused: cross-checks with them are skipped
        self.problems: list[Problem] = []
        # names to look up once all are known: (key, kind, name, extra allowed names, note)
        self.refs: list[tuple[str, str, str, tuple[str, ...], str]] = []
        self.sections: list[tuple[str, str]] = []  # (name, key) as defined
        self.hubs: list[tuple[str, str]] = []

    # -- recording ----------------------------------------------------------------------------
    def error(self, key: str, message: str, severity: str = ERROR) -> None:
        if key.startswith("--"):  # an override: reported against the option, once
            self.problems.append(Problem(key, "", message, severity))
            return
        file = self._file_of(key)
        via = self.shown if file != self.shown else None
        self.problems.append(Problem(file, key, message, severity, via))

    def _file_of(self, key: str) -> str:
        while key:
            if key in self.origin:
                return self.origin[key]
            key = _parent_key(key)
        return self.shown

    def unknown_key(self, key: str, name: str, allowed) -> None:
        hint = _did_you_mean(name, allowed)
        if not hint:
            hint = "; allowed: " + ", ".join(allowed) if allowed else "; no keys are allowed here"
        self.error(key, f"unknown key{hint}")

    # -- the whole scenario -------------------------------------------------------------------
    def scenario(self, merged: _Merged) -> Scenario | None:
        data = merged.data
        for key in data:
            if key not in TOP_LEVEL_KEYS:
                self.unknown_key(_join("", key), key, TOP_LEVEL_KEYS)
        name = data.get("name")
        if name is None:
            self.error("name", 'missing; every scenario needs a name, e.g. '
                       'name = "Community cafe on the boundary"')
        elif not isinstance(name, str) or not name.strip():
            self.error("name", f"expected a name in quotes, got {_describe(name)}")
        else:
            self.text_checks(name, "name", "a scenario name", MAX_SCENARIO_NAME_CHARS)
        description = data.get("description", "")
        if not isinstance(description, str):
            self.error("description", f"expected one sentence in quotes, got "
                       f"{_describe(description)}")
        else:
            self.text_checks(description, "description", "a description", None,
                             allow_lines=True)

        built = {}
        for key, cls in TABLES.items():
            built[key] = self.table(cls, data[key], key) if key in data else cls()
        for override in self.overrides.values():
            self.apply_override(override, built)
        hubs = self.hub_list(data)
        orientations = self.orientations(data)
        population = data.get("population", {})
        if isinstance(population, dict) and "sections" not in population:
            for s in default_sections():
                self.sections.append((s.name, "population.sections (default)"))
        run_days = built["run"].days if built["run"] is not _BAD else RunSettings().days
        interventions = self.interventions(data, run_days)
        costs = self.costs(data)
        self.check_population(data)
        self.check_names()
        if interventions is not _BAD:
            self.check_hubs_used(interventions)

        if any(p.is_error for p in self.problems):
            return None
        model = ModelParams(population=built["population"], network=built["network"],
                            hubs=hubs, rules=built["rules"], orientations=orientations)
        definition = {k: v for k, v in data.items() if k != "extends"}
        return Scenario(name=name, description=description, run=built["run"], model=model,
                        interventions=interventions, path=self.shown, definition=definition,
                        costs=costs,
                        files=tuple(merged.files),
                        warnings=tuple(p for p in self.problems if not p.is_error))

    def costs(self, data: dict) -> dict:
        """The ``[costs]`` table: unit-cost overrides, checked against data/unit_costs.toml."""
        if "costs" not in data:
            return {}
        from sim.costs import check_overrides, load_unit_costs

        overrides, problems = check_overrides(data["costs"], load_unit_costs())
        for parts, message in problems:
            key = "costs"
            for part in parts:
                key = _join(key, part)
            self.error(key, message)
        return overrides

    def apply_override(self, override: Override, built: dict) -> None:
        """Check an override against the declaration of the key it sets, then set it."""
        table, _, name = override.key.partition(".")
        cls = TABLES.get(table)
        spec = settable_fields(cls).get(name) if cls else None
        if spec is None:
            self.error(override.flag, f"cannot set {override.key} (a bug: not a key of "
                       f"{', '.join(TABLES)})")
            return
        value = self.convert(override.value, spec[0], dict(spec[1]), override.flag)
        if value is _BAD:
            self.bad_overrides.add(override.key)
        elif built[table] is not _BAD:
            built[table] = dataclasses.replace(built[table], **{name: value})

    def text_checks(self, value: str, key: str, what: str, max_chars: int | None, *,
                    allow_lines: bool = False) -> bool:
        """Text a user typed: no control characters (a NUL, an escape), on one line unless
        ``allow_lines``; at most ``max_chars`` characters. Names become file names and
        report headings, so invisible formatting characters are refused in them too."""
        allowed = "\n\t\r" if allow_lines else ""
        bad = _bad_char(value, allowed, formatting=not allow_lines)
        if bad is not None:
            self.error(key, f"contains the control character U+{ord(bad):04X}; {what} must be "
                       "plain text" + ("" if allow_lines else " on one line") + ": remove it")
            return False
        if max_chars is not None and len(value) > max_chars:
            self.error(key, f"is {len(value)} characters long; {what} may have at most "
                       f"{max_chars}: shorten it")
            return False
        return True

    def check_hubs_used(self, interventions) -> None:
        """An intervention whose hub list is empty acts at every hub; with no hubs at all in
        the scenario (``hubs = []`` and none opened), that part of it does nothing."""
        if self.hubs:
            return
        for i, iv in enumerate(interventions):
            for name, (hint, meta) in settable_fields(type(iv)).items():
                if meta.get("refers_to") == "hub" and typing.get_origin(hint) is tuple \
                        and not getattr(iv, name):
                    self.error(f"interventions[{i}]", f"'{iv.name}' acts at hubs ({name}: "
                               "every hub), but this scenario has none (hubs = [] and no "
                               "intervention opens one): that part of it does nothing; add "
                               "[[hubs]] or remove the intervention", severity=WARNING)

    def hub_list(self, data: dict):
        if "hubs" not in data:
            hubs = default_hubs()
            for h in hubs:
                self.hubs.append((h.name, "hubs (default)"))
                self.refs.append(("hubs", "section", h.location, (BOUNDARY,),
                                  f" (where the default hub '{h.name}' sits; give [[hubs]] "
                                  "tables, or hubs = [], that fit your sections)"))
            return hubs
        value = data["hubs"]
        if not isinstance(value, list):
            self.error("hubs", f"expected a list of tables ([[hubs]]), got {_describe(value)}")
            return _BAD
        return self.convert(value, tuple[HubSpec, ...], {}, "hubs")

    def orientations(self, data: dict):
        profiles = default_profiles()
        if "orientations" not in data:
            return profiles
        table = data["orientations"]
        if not isinstance(table, dict):
            self.error("orientations", "expected tables such as [orientations.rescuer], got "
                       f"{_describe(table)}")
            return _BAD
        ok = True
        for name, sub in table.items():
            key = _join("orientations", name)
            if name not in profiles:
                self.error(key, f"unknown orientation '{name}'{_hint(name, ORIENTATIONS)}")
                ok = False
                continue
            profile = self.table(OrientationProfile, sub, key, base=profiles[name])
            if profile is _BAD:
                ok = False
            else:
                profiles[name] = profile
        return profiles if ok else _BAD

    def interventions(self, data: dict, run_days: int):
        if "interventions" not in data:
            return ()
        value = data["interventions"]
        if not isinstance(value, list):
            self.error("interventions", "expected a list of tables ([[interventions]]), got "
                       f"{_describe(value)}")
            return _BAD
        out = []
        names: dict[str, list[str]] = collections.defaultdict(list)
        for i, table in enumerate(value):
            key = f"interventions[{i}]"
            if not isinstance(table, dict):
                self.error(key, f"expected a table, got {_describe(table)}")
                continue
            allowed = sorted(self.registry)
            kind = table.get("type")
            listing = ("; allowed: " + ", ".join(allowed)) if allowed else (
                "; no intervention types are available (sim.interventions has none)")
            if kind is None:
                self.error(f"{key}.type", f"missing; every intervention needs a type{listing}")
                continue
            if not isinstance(kind, str):
                self.error(f"{key}.type", f"expected a type name in quotes, got "
                           f"{_describe(kind)}{listing}")
                continue
            if kind not in self.registry:
                self.error(f"{key}.type", f"unknown intervention type '{kind}'"
                           + (_hint(kind, allowed) if allowed else listing))
                continue
            cls = self.registry[kind]
            table = self.months_to_days(table, key)
            window_ok = self.check_window(cls, table, key, run_days,
                                          str(table.get("name") or kind))
            built = self.table(cls, table, key, skip=("type", *MONTH_KEYS), construct=window_ok)
            out.append(built)
            if built is not _BAD:
                names[built.name].append(f"{key}.name" if "name" in table else key)
                nested = {n for n, k in self.hubs if k.startswith(key + ".")}
                opened = getattr(built, "hubs_opened", lambda: ())()
                self.hubs.extend((h, key) for h in opened if h not in nested)
        for name, keys in names.items():
            for key in keys[1:]:
                self.error(key, f"two interventions are called '{name}' (also {keys[0]}); give "
                           "each a distinct name = \"...\" (metric names are built from it)")
        return _BAD if any(x is _BAD for x in out) else tuple(out)

    def months_to_days(self, table: dict, key: str) -> dict:
        """``start_month`` / ``end_month`` (months from the start of the run, fractions
        allowed) become ``start_day`` / ``end_day``: day = round(months x 365.25 / 12)."""
        out = dict(table)
        for month_key, day_key in MONTH_KEYS.items():
            if month_key not in table:
                continue
            value = table[month_key]
            if day_key in table:
                self.error(f"{key}.{month_key}", f"give {day_key} or {month_key}, not both")
                continue
            if not (isinstance(value, (int, float)) and not isinstance(value, bool)
                    and math.isfinite(value)):
                self.wrong_type(f"{key}.{month_key}", "a number of months", value)
                continue
            if not 0 <= value <= 1200:
                self.error(f"{key}.{month_key}", f"{_num(value)} is out of range: must be "
                           "between 0 and 1200 (months from the start of the run)")
                continue
            out[day_key] = days_from_months(value)
        return out

    def check_window(self, cls, table: dict, key: str, run_days: int, name: str) -> bool:
        """start_day <= end_day; a start after the run's end is an error (the intervention
        would never act); an end after it is a warning (it runs until the end)."""
        defaults = {f.name: f.default for f in dataclasses.fields(cls)}

        def day(name):
            value = table.get(name, defaults.get(name))
            ok = isinstance(value, int) and not isinstance(value, bool)
            return value if ok else None

        start, end = day("start_day"), day("end_day")
        days = self.overrides.get("run.days")
        source = days.source if days else f"run.days = {run_days}"
        ok = True
        if start is not None and end is not None and start > end:
            self.error(f"{key}.start_day", f"starts on day {start}, after it ends (end_day = "
                       f"{end}); start_day must be on or before end_day")
            ok = False
        if "run.days" in self.bad_overrides:  # already reported; the run's length is unknown
            return ok
        if start is not None and start > run_days:
            fix = (f"give {days.flag} {start} or more" if days
                   else f"set run.days to {start} or more")
            self.error(f"{key}.start_day", f"'{name}' starts on day {start}, after the run ends "
                       f"({source}), so it would never act: {fix}, or move its start_day "
                       "into the run")
        if end is not None and "end_day" in table and end > run_days:
            self.error(f"{key}.end_day", f"ends on day {end}, after the run ends ({source}); "
                       "it will run until the end", severity=WARNING)
        return ok

    def check_population(self, data: dict) -> None:
        """Sections: at least one, shares summing to 1 (names are checked with the others)."""
        pop = data.get("population")
        if not isinstance(pop, dict) or "sections" not in pop:
            return
        sections = pop["sections"]
        if not isinstance(sections, list):
            return  # already reported as a wrong type
        if not sections:
            self.error("population.sections", "no sections; give at least one "
                       "[[population.sections]] table")
            return
        shares = [s.get("share") for s in sections if isinstance(s, dict)]
        numbers = [x for x in shares if isinstance(x, (int, float)) and not isinstance(x, bool)]
        if len(numbers) == len(sections) and all(math.isfinite(x) for x in numbers):
            total = math.fsum(numbers)
            if abs(total - 1.0) > SHARE_TOLERANCE:
                self.error("population.sections",
                           f"shares sum to {_fmt_sum(total)}, must sum to 1")

    def check_names(self) -> None:
        """Duplicate section and hub names; every name referred to exists."""
        for what, defs in (("section", self.sections), ("hub", self.hubs)):
            first: dict[str, str] = {}
            for name, key in defs:
                if name in first:
                    self.error(f"{key}.name", f"duplicate {what} name '{name}' (also "
                               f"{first[name]}); {what} names must be unique")
                else:
                    first[name] = key
        for name, key in self.sections:
            if name == BOUNDARY:
                self.error(f"{key}.name", f"'{BOUNDARY}' is reserved for hubs between sections; "
                           "choose another section name")
        known = {"section": [n for n, _ in self.sections], "hub": [n for n, _ in self.hubs],
                 "orientation": list(ORIENTATIONS)}
        for key, kind, name, extra, note in self.refs:
            if kind == "section" and not self.sections:
                continue  # no sections at all is reported once, in check_population
            allowed = known.get(kind)
            if allowed is None:
                self.error(key, f"refers to unknown kind of name '{kind}' (a bug in the "
                           "parameter's declaration)")
                continue
            allowed = allowed + list(extra)
            if name not in allowed:
                self.error(key, f"unknown {kind} '{name}'{note}{_hint(name, allowed)}")

    # -- one dataclass from one table ---------------------------------------------------------
    def table(self, cls, value, key: str, *, base=None, skip=(), construct=True):
        if not isinstance(value, dict):
            self.error(key, f"expected a table, got {_describe(value)}")
            return _BAD
        specs = settable_fields(cls)
        kwargs, ok = {}, True
        for name, item in value.items():
            if name in skip:
                continue
            sub = _join(key, name)
            if name not in specs:
                self.unknown_key(sub, name, list(specs))
                ok = False
                continue
            hint, meta = specs[name]
            meta = dict(meta)
            if (cls, name) in EXTRA_REFERS_TO:
                meta["refers_to"] = EXTRA_REFERS_TO[cls, name]
            converted = self.convert(item, hint, meta, sub)
            if converted is _BAD:
                ok = False
            else:
                kwargs[name] = converted
        for name in REQUIRED.get(cls, ()):
            if name not in value:
                self.error(_join(key, name), f"missing; every {cls.__name__} table needs "
                           f"'{name}'")
                ok = False
        if cls is Section and isinstance(value.get("name"), str):
            self.sections.append((value["name"], key))
        if cls is HubSpec and isinstance(value.get("name"), str):
            self.hubs.append((value["name"], key))
        if not ok or not construct:
            return _BAD
        try:
            return dataclasses.replace(base, **kwargs) if base is not None else cls(**kwargs)
        except (TypeError, ValueError) as exc:
            self.error(key, f"cannot be built: {exc}")
            return _BAD

    # -- one value against one type -----------------------------------------------------------
    def convert(self, value, hint, meta: dict, key: str):
        origin = typing.get_origin(hint)
        if origin in (typing.Union, types.UnionType):
            options = [a for a in typing.get_args(hint) if a is not type(None)]
            if len(options) != 1:
                self.error(key, f"cannot be set from a scenario file (type {hint})")
                return _BAD
            return self.convert(value, options[0], meta, key)
        if hint is bool:
            if isinstance(value, bool):
                return value
            return self.wrong_type(key, "true or false", value)
        if hint is int:
            if isinstance(value, int) and not isinstance(value, bool):
                return self.scalar_checks(value, meta, key)
            return self.wrong_type(key, "a whole number", value)
        if hint is float:
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                if not math.isfinite(value):
                    return self.wrong_type(key, "a finite number", value)
                return self.scalar_checks(float(value), meta, key)
            return self.wrong_type(key, "a number", value)
        if hint is str:
            if isinstance(value, str):
                return self.text_value(value, meta, key)
            return self.wrong_type(key, "text in quotes", value)
        if hint is tuple or origin is tuple:
            args = typing.get_args(hint) or (typing.Any, Ellipsis)
            if len(args) != 2 or args[1] is not Ellipsis:
                self.error(key, f"cannot be set from a scenario file (type {hint})")
                return _BAD
            if not isinstance(value, list):
                return self.wrong_type(key, "a list [...]", value)
            if str(meta.get("unit", "")).startswith("weekdays"):
                return self.weekdays(value, key)
            if not value and meta.get("refers_to"):
                self.empty_list(meta, key)
            items = [self.convert(v, args[0], meta, f"{key}[{i}]") for i, v in enumerate(value)]
            return _BAD if any(v is _BAD for v in items) else tuple(items)
        if hint is typing.Any:
            if isinstance(value, (dict, list)):
                return self.wrong_type(key, "a single value", value)
            return self.scalar_checks(value, meta, key)
        if origin is dict:
            return self.mapping(value, typing.get_args(hint), meta, key)
        if dataclasses.is_dataclass(hint):
            return self.table(hint, value, key)
        self.error(key, f"cannot be set from a scenario file (type {hint})")
        return _BAD

    def text_value(self, value: str, meta: dict, key: str):
        """Text: no control characters anywhere; identifiers (intervention names, which
        metric names are built from) and names (sections, hubs) within their own rules."""
        unit = meta.get("unit")
        if unit == "identifier" and value:
            if not IDENTIFIER.fullmatch(value):
                self.error(key, f"{_describe(value)} is not allowed: use letters, digits and _, "
                           f"starting with a letter, at most {MAX_IDENTIFIER_CHARS} characters "
                           "(metric names are built from it)")
                return _BAD
            return self.scalar_checks(value, meta, key)
        if unit == "name":  # a section's or hub's own name (references are looked up)
            if not value.strip():
                self.error(key, "is empty; give a name")
                return _BAD
            if not self.text_checks(value, key, "a name", MAX_NAME_CHARS):
                return _BAD
            if "[" in value or "]" in value:
                self.error(key, f"{_describe(value)} is not allowed: names cannot contain "
                           "[ or ] (they mark breakdowns in metric names)")
                return _BAD
            return self.scalar_checks(value, meta, key)
        if not self.text_checks(value, key, "this text", MAX_LABEL_CHARS
                                if unit == "plain words" else None):
            return _BAD
        return self.scalar_checks(value, meta, key)

    def empty_list(self, meta: dict, key: str) -> None:
        """An empty list of names written out: it means what leaving the key out means
        (everyone, every hub), which is rarely what someone who wrote [] intended."""
        found = re.search(r"empty = ([^;,)]+)", str(meta.get("doc", "")))
        means = found[1].strip() if found else "the default"
        kind = meta["refers_to"]
        self.error(key, f"an empty list here means {means} (as leaving the key out does); "
                   f"list the {kind}s you mean, or leave the key out", severity=WARNING)

    def wrong_type(self, key: str, expected: str, value):
        self.error(key, f"expected {expected}, got {_describe(value)}")
        return _BAD

    def scalar_checks(self, value, meta: dict, key: str):
        lo, hi = meta.get("range") or (None, None)
        unit = meta.get("unit")
        if isinstance(value, (int, float)) and (
                (lo is not None and value < lo) or (hi is not None and value > hi)):
            if lo is not None and hi is not None:
                allowed = f"must be between {_num(lo)} and {_num(hi)}"
            elif lo is not None:
                allowed = f"must be at least {_num(lo)}"
            else:
                allowed = f"must be at most {_num(hi)}"
            self.error(key, f"{_num(value)} is out of range: {allowed}"
                       + (f" ({unit})" if unit else ""))
            return _BAD
        choices = meta.get("choices")
        if choices and value not in choices:
            self.error(key, f"'{value}' is not allowed{_hint(str(value), choices)}")
            return _BAD
        if meta.get("refers_to") and isinstance(value, str):
            extra = (BOUNDARY,) if f"'{BOUNDARY}'" in str(unit) else ()
            self.refs.append((key, meta["refers_to"], value, extra, ""))
        return value

    def weekdays(self, value: list, key: str):
        days, ok = [], True
        for i, v in enumerate(value):
            word = v.strip().lower() if isinstance(v, str) else None
            if word in WEEKDAY_NAMES:
                word = WEEKDAYS[WEEKDAY_NAMES.index(word)]
            if word not in WEEKDAYS:
                hint = _did_you_mean(word, WEEKDAYS) if word else ""
                self.error(f"{key}[{i}]", "expected a weekday name ("
                           + ", ".join(WEEKDAYS) + f"), got {_describe(v)}{hint}")
                ok = False
            elif WEEKDAYS.index(word) in days:
                self.error(f"{key}[{i}]", f"'{word}' is listed twice")
                ok = False
            else:
                days.append(WEEKDAYS.index(word))
        return tuple(sorted(days)) if ok else _BAD

    def mapping(self, value, args, meta: dict, key: str):
        if not isinstance(value, dict):
            return self.wrong_type(key, "a table { name = value, ... }", value)
        key_type, value_type = args if len(args) == 2 else (str, typing.Any)
        refers_to = meta.get("refers_to")
        item_meta = {k: v for k, v in meta.items() if k != "refers_to"}
        out, ok = {}, True
        for name, item in value.items():
            sub = _join(key, name)
            if refers_to == "orientation" and name not in ORIENTATIONS:
                self.error(sub, f"unknown orientation '{name}'{_hint(name, ORIENTATIONS)}")
                ok = False
                continue
            if refers_to and refers_to != "orientation":
                self.refs.append((sub, refers_to, name, (), ""))
            converted = self.convert(item, value_type, item_meta, sub)
            if converted is _BAD:
                ok = False
            else:
                out[name] = converted
        if not ok:
            return _BAD
        if meta.get("unit") == "shares summing to 1":
            negative = [n for n, v in out.items() if v < 0]
            if negative:
                self.error(key, "shares cannot be negative: " + ", ".join(negative))
                return _BAD
            total = math.fsum(out.values())
            if abs(total - 1.0) > SHARE_TOLERANCE:
                self.error(key, f"shares sum to {_fmt_sum(total)}, must sum to 1")
                return _BAD
        return out


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def settable_fields(cls) -> dict[str, tuple[object, dict]]:
    """Fields a scenario file may set: dataclass init fields declared with ``param()`` (they
    carry a unit), as name -> (resolved type, metadata)."""
    hints = typing.get_type_hints(cls)
    return {f.name: (hints[f.name], dict(f.metadata)) for f in dataclasses.fields(cls)
            if f.init and "unit" in f.metadata}


def _bad_char(text: str, allowed: str = "", *, formatting: bool = False) -> str | None:
    """The first control character in ``text`` not in ``allowed`` (with ``formatting``,
    invisible formatting characters such as a right-to-left override too), or None."""
    refused = ("Cc", "Cf") if formatting else ("Cc",)
    for c in text:
        if c not in allowed and unicodedata.category(c) in refused:
            return c
    return None


def _has_control(text: str) -> bool:
    return _bad_char(text, formatting=True) is not None


def _join(prefix: str, key: str) -> str:
    bare = re.fullmatch(r"[A-Za-z0-9_-]+", key) is not None
    part = key if bare else '"' + key.replace('"', '\\"') + '"'
    return f"{prefix}.{part}" if prefix else part


def _parent_key(key: str) -> str:
    if key.endswith("]"):
        return key[: key.rindex("[")]
    if key.endswith('"'):
        start = key.rindex('"', 0, len(key) - 1)
        return key[: max(start - 1, 0)]
    return key[: key.rindex(".")] if "." in key else ""


def _did_you_mean(word: str, options) -> str:
    close = difflib.get_close_matches(word, [str(o) for o in options], n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def _shipped_hint(folder: Path) -> str:
    """Where the shipped scenarios are, for an ``extends`` that was not found (the path is
    relative to the file that says it)."""
    try:
        rel = os.path.relpath(SHIPPED_SCENARIOS / "baseline.toml", folder.resolve())
    except ValueError:  # another drive
        rel = str(SHIPPED_SCENARIOS / "baseline.toml")
    return (f" (the path is relative to the file that says it; the shipped scenarios are in "
            f"{SHIPPED_SCENARIOS}, so from here the shipped baseline is extends = \"{rel}\")")


def _hint(word: str, allowed) -> str:
    """A did-you-mean (when one is close) and the list of what is allowed."""
    listing = ", ".join(dict.fromkeys(str(a) for a in allowed))
    close = _did_you_mean(word, allowed)
    return f"{close} (allowed: {listing})" if close else f"; allowed: {listing}"


def _describe(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, (int, float)):
        return _num(value)
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return f"a {type(value).__name__}"  # dates and times


def _num(x) -> str:
    return f"{x:.10g}" if isinstance(x, float) else str(x)


def _fmt_sum(total: float) -> str:
    text = f"{total:.2f}"
    return text if text != "1.00" else f"{total:.10g}"

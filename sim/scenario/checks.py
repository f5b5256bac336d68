"""The domain checks of one merged scenario definition, and the :class:`Scenario` built from it.

:class:`ScenarioChecker` walks the top level of a definition: name and description, the
parameter tables (with command-line overrides checked against the same declarations), hubs,
orientation profiles, interventions and costs; then what holds across tables: section shares
sum to 1, names are unique, and every name referred to (a hub's section, an intervention's
hubs) exists. It records every problem and builds the scenario only when there is no error.
"""

from __future__ import annotations

import dataclasses
import difflib
import math

from sim.params import (
    MAX_SECTIONS,
    ORIENTATIONS,
    HubSpec,
    ModelParams,
    OrientationProfile,
    Section,
    default_hubs,
    default_profiles,
    default_sections,
)
from sim.scenario.convert import BAD, BOUNDARY, SHARE_TOLERANCE, finite
from sim.scenario.intervention_checks import MONTH_KEYS, InterventionChecks
from sim.scenario.kinds import settable_fields
from sim.scenario.merging import Merged
from sim.scenario.schema import MAX_SCENARIO_NAME_CHARS, RunSettings, Scenario
from sim.scenario.tables import TABLES, TOP_LEVEL_KEYS
from sim.scenario.words import describe, did_you_mean, hint, join, share_sum

# the top-level keys that are tables, and those written as lists of tables ([[hubs]])
TABLE_KEYS = ("run", "population", "network", "hubs", "rules", "orientations", "interventions",
              "costs")
LISTS_OF_TABLES = ("hubs", "interventions")


def table_line(key: str, value) -> str:
    """``[key]`` or ``[[key]]`` as the file wrote ``value`` (a table, or a list of tables),
    or "" for a plain value."""
    if isinstance(value, dict):
        return f"[{key}]"
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        return f"[[{key}]]"
    return ""


class ScenarioChecker(InterventionChecks):
    """Walks one merged definition, building parameter objects and recording problems."""

    def scenario(self, merged: Merged) -> Scenario | None:
        data = merged.data
        for key in data:
            if key not in TOP_LEVEL_KEYS:
                self.unknown_top_level_key(key, data[key])
        name, description = self.name_and_description(data)
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
        interventions = self.interventions(data, self.run_days(data, built))
        costs = self.costs(data)
        self.check_population(data)
        self.check_names()
        if interventions is not BAD:
            self.check_hubs_used(interventions)
        if interventions is not BAD and hubs is not BAD and built["population"] is not BAD:
            self.check_sizes(interventions, hubs, built["population"])

        if any(p.is_error for p in self.problems):
            return None
        model = ModelParams(population=built["population"], network=built["network"],
                            hubs=hubs, rules=built["rules"], orientations=orientations)
        definition = {k: v for k, v in data.items() if k != "extends"}
        return Scenario(name=name, description=description, run=built["run"], model=model,
                        interventions=interventions, path=self.shown, definition=definition,
                        costs=costs, origin=dict(merged.origin),
                        files=tuple(merged.files),
                        warnings=tuple(p for p in self.problems if not p.is_error))

    def run_days(self, data: dict, built: dict) -> int | None:
        """The run's length the interventions' windows are checked against: the days the
        files (or an override) give, even when ``[run]`` has a mistake in another key (a user
        check: a typo beside days = 400 had the windows checked against the default 730, and
        a message quoted run.days = 730, which the file never said); None when the days
        themselves are refused (the checks against the run's end wait until they are fixed)."""
        if "run.days" in self.bad_overrides:
            return None
        if built["run"] is not BAD:
            return built["run"].days
        run = data.get("run")
        if "days" in self.kept.get("run", {}):
            return self.kept["run"]["days"]
        if not isinstance(run, dict) or "days" in run:
            return None
        return RunSettings().days

    def unknown_top_level_key(self, key: str, value=None) -> None:
        """An unknown key at the top of the file; a key of a known table (``days = 365``
        written above ``[run]``, or before any table line) is told where it belongs; an
        unknown table is said as the table line written (a user check: ``[[intervention]]``
        was "intervention: unknown key; did you mean 'interventions'?")."""
        header = table_line(key, value)
        if header:
            lines = {k: f"[[{k}]]" if k in LISTS_OF_TABLES else f"[{k}]" for k in TABLE_KEYS}
            close = difflib.get_close_matches(key, TABLE_KEYS, n=1, cutoff=0.6)
            self.error(join("", key), f"{header} is not a table a scenario file has"
                       + (f"; did you mean {lines[close[0]]}?" if close else "")
                       + f" (its tables: {', '.join(lines.values())})")
            return
        homes = self.tables_with_key(key)
        if not homes or did_you_mean(key, TOP_LEVEL_KEYS):
            self.unknown_key(join("", key), key, TOP_LEVEL_KEYS)
            return
        meant = " or ".join(f"{home} {key}" for home in homes)
        self.error(join("", key), f"unknown key at the top of the file; did you mean {meant}? "
                   f"(write it on a line below {homes[0]}; allowed at the top: "
                   f"{', '.join(TOP_LEVEL_KEYS)})")

    def tables_with_key(self, key: str) -> list[str]:
        """The tables of a scenario file that take ``key``, as their lines are written."""
        tables = {f"[{name}]": cls for name, cls in TABLES.items()}
        tables.update({"[[population.sections]]": Section, "[[hubs]]": HubSpec,
                       "[orientations.<name>]": OrientationProfile})
        homes = [line for line, cls in tables.items() if key in settable_fields(cls)]
        if any(key in settable_fields(cls) or key in MONTH_KEYS or key == "type"
               for cls in self.registry.values()):
            homes.append("[[interventions]]")
        return homes

    def name_and_description(self, data: dict):
        name = data.get("name")
        if name is None:
            self.error("name", 'missing; every scenario needs a name, e.g. '
                       'name = "Community cafe on the boundary"')
        elif not isinstance(name, str):
            self.error("name", f"expected a name in quotes, got {describe(name)}")
        elif not name.strip():
            self.error("name", "is blank: give the scenario a name in words, e.g. "
                       'name = "Community cafe on the boundary"')
        else:
            self.text_checks(name, "name", "a scenario name", MAX_SCENARIO_NAME_CHARS)
        description = data.get("description", "")
        if not isinstance(description, str):
            self.error("description", f"expected one sentence in quotes, got "
                       f"{describe(description)}")
        else:
            self.text_checks(description, "description", "a description", None,
                             allow_lines=True)
        return name, description

    def costs(self, data: dict) -> dict:
        """The ``[costs]`` table: unit-cost overrides, checked against data/unit_costs.toml."""
        if "costs" not in data:
            return {}
        from sim.costs import check_overrides, load_unit_costs

        overrides, problems = check_overrides(data["costs"], load_unit_costs())
        for parts, message in problems:
            key = "costs"
            for part in parts:
                key = join(key, part)
            self.error(key, message)
        return overrides

    def apply_override(self, override, built: dict) -> None:
        """Check an override against the declaration of the key it sets, then set it."""
        table, _, name = override.key.partition(".")
        cls = TABLES.get(table)
        spec = settable_fields(cls).get(name) if cls else None
        if spec is None:
            self.error(override.flag, f"cannot set {override.key} (a bug: not a key of "
                       f"{', '.join(TABLES)})")
            return
        value = self.convert(override.value, spec[0], dict(spec[1]), override.flag)
        if value is BAD:
            self.bad_overrides.add(override.key)
        elif built[table] is not BAD:
            built[table] = dataclasses.replace(built[table], **{name: value})
        else:  # the table has a mistake: the override still counts in the checks across
            self.kept.setdefault(table, {})[name] = value

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
            self.error("hubs", f"expected a list of tables ([[hubs]]), got {describe(value)}")
            return BAD
        return self.convert(value, tuple[HubSpec, ...], {}, "hubs")

    def orientations(self, data: dict):
        profiles = default_profiles()
        if "orientations" not in data:
            return profiles
        table = data["orientations"]
        if not isinstance(table, dict):
            self.error("orientations", "expected tables such as [orientations.rescuer], got "
                       f"{describe(table)}")
            return BAD
        ok = True
        for name, sub in table.items():
            key = join("orientations", name)
            if name not in profiles:
                self.error(key, f"unknown orientation '{name}'{hint(name, ORIENTATIONS)}")
                ok = False
                continue
            profile = self.table(OrientationProfile, sub, key, base=profiles[name])
            if profile is BAD:
                ok = False
            else:
                profiles[name] = profile
        return profiles if ok else BAD

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
        if len(sections) > MAX_SECTIONS:
            self.error("population.sections", f"{len(sections)} sections; at most "
                       f"{MAX_SECTIONS} are allowed (merge the smallest: a chart or table per "
                       "section is unreadable long before that)")
        shares = [s.get("share") for s in sections if isinstance(s, dict)]
        numbers = [x for x in shares if isinstance(x, (int, float)) and not isinstance(x, bool)]
        if len(numbers) == len(sections) and all(finite(x) for x in numbers):
            total = math.fsum(numbers)
            if abs(total - 1.0) > SHARE_TOLERANCE:
                self.error("population.sections",
                           f"shares sum to {share_sum(total)}, must sum to 1")

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
                self.error(key, f"unknown {kind} '{name}'{note}{hint(name, allowed)}")

"""What a package of interventions costs: resources per year of running times unit costs.

Each intervention declares the resources it uses for each year it runs with
``resources(n_residents) -> {resource: quantity}`` (staff hours, venue hours, events,
training places, small grants in pounds). The price of one unit of each resource lives in one
data file, ``data/unit_costs.toml``, with what it covers and its source; a scenario file may
override any of them in a ``[costs]`` table (checked by the scenario loader with
:func:`check_overrides`).

A programme's cost counts only the days it runs: a programme that runs for 200 days of a
730-day run costs 200/365 of its yearly resources. A scenario's **cost per year** is its cost
over the programme period, from the day its first programme starts to the end of the run,
divided by that period's length in years, so that a programme stopped after a year costs half
as much per year of a two-year period as one that keeps going. The days before any programme
starts (the community settling, 89 days in the shipped scenarios) are left out: counted, they
made the same programme look cheaper a year, and better value, the shorter the run (GBP 18,200
instead of 36,000 a year for bridge figures in a 180-day run). Its **cost while running** is
what one year of every programme costs (what a budget line would say).

Nothing here imports the model: it reads interventions' declarations and the data file.
"""

from __future__ import annotations

import inspect
import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sim.params import HubSpec

UNIT_COSTS_FILE = Path(__file__).resolve().parents[1] / "data" / "unit_costs.toml"
DAYS_PER_YEAR = 365.0  # cost per year and resources per year use 365-day years
_REQUIRED = ("gbp", "unit", "covers", "source")
# The most one unit of a resource may cost, in pounds, in data/unit_costs.toml or a scenario's
# [costs]: GBP 1 billion for one hour, event or hub-year is more than a whole council spends
# on its community services in a year (the dearest shipped unit, a year of a library, is
# GBP 150,000), so a price above it is a typing slip (extra zeros, 1e308). Bounded, every cost
# the report adds up stays a finite number of pounds: 1e308 passed validation and failed the
# job after all its runs, when the report printed an infinite total.
MAX_UNIT_GBP = 1e9


@dataclass(frozen=True)
class UnitCost:
    """The price of one unit of a resource, in pounds, and where the figure comes from."""

    name: str  # the resource: "staff_hours"
    gbp: float
    unit: str  # "hour of a paid community worker"
    covers: str
    source: str
    overridden_in: str = ""  # the scenario file that set this figure, if one did


@dataclass(frozen=True)
class CostLine:
    """One resource of one programme: how much a year, at what price, for how many days."""

    programme: str  # the intervention's label
    resource: str
    per_year: float  # quantity used in a year of running
    unit_gbp: float
    days_running: int  # days of the run the programme runs
    saved: bool = False  # a resource no longer used while it runs (a closed hub), not spent
    key: str = ""  # the intervention's name, unique in its scenario ("" : its label)

    @property
    def per_year_gbp(self) -> float:
        """Cost (or saving) of one year of running."""
        return self.per_year * self.unit_gbp

    @property
    def gbp(self) -> float:
        """Cost over the run: only the days it runs count."""
        return self.per_year_gbp * self.days_running / DAYS_PER_YEAR


@dataclass(frozen=True)
class ScenarioCost:
    """A scenario's cost over a run of ``days`` days, line by line."""

    scenario: str
    days: int
    lines: tuple[CostLine, ...]
    unit_costs: dict  # resource -> UnitCost used
    first_day: int = 1  # the day the first programme starts (1 when there is none)
    # {programme name: (its label, the staff it plans and its cost counts, what they are)}:
    # the cost counts the plan, made before the runs; the report sets beside it how many
    # the runs had in post (its <name>_staff_in_post)
    planned_staff: dict = field(default_factory=dict)

    @property
    def total_gbp(self) -> float:
        """What the programmes spend over the run (savings not taken off)."""
        return math.fsum(line.gbp for line in self.lines if not line.saved)

    @property
    def saved_total_gbp(self) -> float:
        """What the run's closures save over the run (0 without one)."""
        return math.fsum(line.gbp for line in self.lines if line.saved)

    @property
    def period_days(self) -> int:
        """The programme period: from the day the first programme starts to the run's end."""
        return max(self.days - self.first_day + 1, 0)

    @property
    def per_year_gbp(self) -> float:
        """Cost over the programme period divided by its length in years."""
        return self._per_year(self.total_gbp)

    @property
    def saved_per_year_gbp(self) -> float:
        """Saving over the programme period divided by its length in years (0 without a
        closure): reported beside the cost, never taken off it."""
        return self._per_year(self.saved_total_gbp)

    def _per_year(self, gbp: float) -> float:
        return gbp / (self.period_days / DAYS_PER_YEAR) if self.period_days else 0.0

    def programmes(self) -> dict[str, dict]:
        """Per programme, by its label: cost and saving of one year of running, days it
        runs, cost over the run. Programmes are told apart by their names, not their labels:
        two of one label (the loader gives them labels of their own, but a scenario made in
        code need not) were one row, with both one's costs and the first one's days (a user
        check); the later one's label then says its name too."""
        by_key: dict[str, dict] = {}
        for line in self.lines:
            p = by_key.setdefault(line.key or line.programme,
                                  {"label": line.programme, "per_year_running_gbp": 0.0,
                                   "saved_per_year_running_gbp": 0.0,
                                   "days_running": line.days_running, "total_gbp": 0.0})
            if line.saved:
                p["saved_per_year_running_gbp"] += line.per_year_gbp
            else:
                p["per_year_running_gbp"] += line.per_year_gbp
                p["total_gbp"] += line.gbp
        out: dict[str, dict] = {}
        for key, p in by_key.items():
            label = p.pop("label")
            out[label if label not in out else f"{label} ({key})"] = p
        return out


class UnitCostsError(ValueError):
    """The unit-costs file is malformed: every problem, one per line."""


@lru_cache(maxsize=8)
def _load(path: str, mtime: float) -> dict[str, UnitCost]:
    with open(path, "rb") as fh:
        raw = tomllib.load(fh)
    name = Path(path).name
    problems, out = [], {}
    table = raw.get("unit_costs")
    if not isinstance(table, dict) or not table:
        raise UnitCostsError(f"{name}: no [unit_costs.<resource>] tables")
    for resource, spec in table.items():
        where = f"{name}: unit_costs.{resource}"
        if not isinstance(spec, dict):
            problems.append(f"{where}: expected a table with {', '.join(_REQUIRED)}")
            continue
        missing = [k for k in _REQUIRED if k not in spec]
        unknown = sorted(set(spec) - set(_REQUIRED))
        if missing:
            problems.append(f"{where}: missing {', '.join(missing)}")
        if unknown:
            problems.append(f"{where}: unknown keys {', '.join(unknown)}; allowed: "
                            f"{', '.join(_REQUIRED)}")
        gbp = spec.get("gbp")
        if not _is_cost(gbp):
            problems.append(f"{where}.gbp: expected a number of pounds, 0 or more, got {gbp!r}")
        elif not _is_price(gbp):
            problems.append(f"{where}.gbp: {price_out_of_range(gbp)}")
        if not str(spec.get("source", "")).strip():
            problems.append(f"{where}.source: every figure needs a source (or the word "
                            "'assumption' and what it rests on)")
        if not missing and not unknown and _is_price(gbp):
            out[resource] = UnitCost(resource, float(gbp), str(spec["unit"]),
                                     str(spec["covers"]), " ".join(str(spec["source"]).split()))
    if problems:
        raise UnitCostsError("\n".join(problems))
    return out


def load_unit_costs(path: str | Path = UNIT_COSTS_FILE) -> dict[str, UnitCost]:
    """The unit costs in ``path`` (default: data/unit_costs.toml), by resource name; every
    problem in the file is gathered and raised at once as :class:`UnitCostsError`."""
    p = Path(path)
    return dict(_load(str(p.resolve()), p.stat().st_mtime))


def _is_cost(x) -> bool:
    """A finite number, 0 or more (a whole number too large for a float is not finite)."""
    if not isinstance(x, (int, float)) or isinstance(x, bool):
        return False
    if isinstance(x, int):  # math.isfinite(10**400) raises OverflowError
        return x >= 0
    return math.isfinite(x) and x >= 0


def _is_price(x) -> bool:
    """A price of one unit: a cost no more than MAX_UNIT_GBP."""
    return _is_cost(x) and x <= MAX_UNIT_GBP


def price_out_of_range(x) -> str:
    """Why a unit price above MAX_UNIT_GBP is refused (the data file's and a scenario's)."""
    from sim.scenario.words import num

    return (f"{num(x)} is out of range: a price must be between 0 and {MAX_UNIT_GBP:,.0f} "
            "pounds a unit (a billion pounds for one unit is more than any council's yearly "
            "budget for such work: is a zero, or an exponent, too many?)")


def check_overrides(value, known) -> tuple[dict[str, dict], list[tuple[tuple, str]]]:
    """A scenario's ``[costs]`` table, checked against the ``known`` resource names.

    Each key names a resource; its value is a price in pounds (``staff_hours = 31.5``) or a
    table ``{ gbp = 31.5, source = "our pay scale" }``. Returns the overrides as
    ``{resource: {"gbp": float, "source": str}}`` and the problems as (key path, message)
    pairs, key paths (tuples of keys) relative to ``costs``."""
    known = list(known)
    problems: list[tuple[tuple, str]] = []
    out: dict[str, dict] = {}
    if not isinstance(value, dict):
        return {}, [((), "expected a table of resource = pounds, e.g. [costs] then "
                     "staff_hours = 31.5")]
    for resource, item in value.items():
        if resource not in known:
            import difflib

            close = difflib.get_close_matches(resource, known, n=1, cutoff=0.6)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            problems.append(((resource,), f"unknown resource{hint} (allowed: {', '.join(known)})"))
            continue
        source = ""
        if isinstance(item, dict):
            extra = sorted(set(item) - {"gbp", "source"})
            if extra:
                problems.append(((resource, extra[0]), "unknown key; allowed: gbp, source"))
                continue
            if "gbp" not in item:
                problems.append(((resource, "gbp"), "missing; give the price in pounds, e.g. "
                                 f"{resource} = {{ gbp = 30, source = \"...\" }}"))
                continue
            source = item.get("source", "")
            if not isinstance(source, str):
                problems.append(((resource, "source"), "expected text in quotes"))
                continue
            item, key = item["gbp"], (resource, "gbp")
        else:
            key = (resource,)
        if not _is_cost(item):
            from sim.scenario.words import num

            shown = ("true or false" if isinstance(item, bool) else num(item)
                     if isinstance(item, (int, float)) else repr(item))
            problems.append((key, f"expected a price in pounds, 0 or more, got {shown}"))
            continue
        if not _is_price(item):
            problems.append((key, price_out_of_range(item)))
            continue
        out[resource] = {"gbp": float(item), "source": source}
    return out, problems


def unit_costs_for(scenario, base: dict[str, UnitCost] | None = None) -> dict[str, UnitCost]:
    """The unit costs a scenario uses: the data file's, with its ``[costs]`` overrides."""
    costs = dict(load_unit_costs() if base is None else base)
    for resource, o in (getattr(scenario, "costs", None) or {}).items():
        old = costs[resource]
        costs[resource] = UnitCost(resource, o["gbp"], old.unit, old.covers,
                                   o.get("source") or "set in the scenario file",
                                   overridden_in=scenario.path or scenario.name)
    return costs


def programme_days(intervention, days: int) -> int:
    """Days of a ``days``-day run on which ``intervention`` runs (start and end inclusive)."""
    start = max(int(intervention.start_day), 1)
    end = days if intervention.end_day is None else min(int(intervention.end_day), days)
    return max(end - start + 1, 0)


def resources_of(intervention, n_residents: int, known, method: str = "resources",
                 hubs: Mapping[str, HubSpec] = MappingProxyType({})) -> dict[str, float]:
    """``intervention.resources(n_residents)`` (or its ``savings``, with ``method``; with
    the scenario's ``hubs`` by name where it takes them), checked: known resources, finite
    and >= 0."""
    fn = getattr(intervention, method, None)
    if fn is None:
        res = {}
    elif "hubs" in inspect.signature(fn).parameters:
        res = dict(fn(n_residents, hubs=hubs))
    else:
        res = dict(fn(n_residents))
    label = getattr(intervention, "label", type(intervention).__name__)
    for k, v in res.items():
        if k not in known:
            raise ValueError(f"{label}: {method}() names '{k}', which has no unit cost; "
                             f"known: {', '.join(known)} (data/unit_costs.toml)")
        if not _is_cost(v):
            raise ValueError(f"{label}: {method}()['{k}'] = {v!r}; quantities must be "
                             "finite and 0 or more")
    return res


def scenario_cost(scenario, days: int | None = None,
                  base: dict[str, UnitCost] | None = None) -> ScenarioCost:
    """What ``scenario`` costs over a run of ``days`` days (default: its own run.days)."""
    days = int(days if days is not None else scenario.run.days)
    costs = unit_costs_for(scenario, base)
    n = scenario.model.population.n_residents
    hubs = {hub.name: hub for hub in scenario.model.hubs}
    lines = []
    starts = [max(int(iv.start_day), 1) for iv in scenario.interventions
              if programme_days(iv, days)]
    for iv in scenario.interventions:
        running = programme_days(iv, days)
        label = getattr(iv, "label", type(iv).__name__)
        for saved, method in ((False, "resources"), (True, "savings")):
            for resource, qty in resources_of(iv, n, costs, method, hubs).items():
                if qty:
                    lines.append(CostLine(label, resource, float(qty), costs[resource].gbp,
                                          running, saved, str(getattr(iv, "name", label))))
    planned = {}
    for iv in scenario.interventions:
        staff = getattr(type(iv), "planned_staff", ())
        if staff and programme_days(iv, days):
            planned[str(iv.name)] = (getattr(iv, "label", iv.name),
                                     int(round(getattr(iv, staff[0]) * n / 1000)), staff[1])
    return ScenarioCost(scenario.name, days, tuple(lines), costs, min(starts, default=1),
                        planned)

"""Checks of a scenario's ``[[interventions]]`` list: each table's type, its window in days
or months against the run's length, distinct names, and hubs for what acts at hubs.

Each table is built into the registered intervention class (``sim.interventions``) by the
generic conversion of :class:`~sim.scenario.convert.Converter`; what is checked here is what
only makes sense across the list, or against the run.
"""

from __future__ import annotations

import collections
import dataclasses
import math
import typing

from sim.params import DAYS_PER_MONTH
from sim.scenario.convert import BAD, Converter
from sim.scenario.errors import WARNING
from sim.scenario.kinds import settable_fields
from sim.scenario.words import describe, hint, num

# intervention keys that give a window in months instead of days
MONTH_KEYS = {"start_month": "start_day", "end_month": "end_day"}


def days_from_months(months: float) -> int:
    """The day a window given in months starts or ends on: round(months x 365.25 / 12)."""
    return int(round(months * DAYS_PER_MONTH))


class InterventionChecks(Converter):
    """The interventions of one scenario; ``registry`` maps type names to classes and
    ``overrides`` (key -> :class:`~sim.scenario.loader.Override`) may set the run's days."""

    def __init__(self, shown: str, origin: dict[str, str], registry: dict[str, type],
                 overrides=()):
        super().__init__(shown, origin)
        self.registry = registry
        self.overrides = {o.key: o for o in overrides}
        self.bad_overrides: set[str] = set()  # refused: cross-checks with them are skipped

    def interventions(self, data: dict, run_days: int):
        if "interventions" not in data:
            return ()
        value = data["interventions"]
        if not isinstance(value, list):
            self.error("interventions", "expected a list of tables ([[interventions]]), got "
                       f"{describe(value)}")
            return BAD
        out = []
        names: dict[str, list[str]] = collections.defaultdict(list)
        for i, table in enumerate(value):
            key = f"interventions[{i}]"
            cls = self.intervention_type(table, key)
            if cls is None:
                continue
            table = self.months_to_days(table, key)
            window_ok = self.check_window(cls, table, key, run_days,
                                          str(table.get("name") or table["type"]))
            built = self.table(cls, table, key, skip=("type", *MONTH_KEYS), construct=window_ok)
            out.append(built)
            if built is not BAD:
                names[built.name].append(f"{key}.name" if "name" in table else key)
                nested = {n for n, k in self.hubs if k.startswith(key + ".")}
                opened = getattr(built, "hubs_opened", lambda: ())()
                self.hubs.extend((h, key) for h in opened if h not in nested)
        for name, keys in names.items():
            for key in keys[1:]:
                self.error(key, f"two interventions are called '{name}' (also {keys[0]}); give "
                           "each a distinct name = \"...\" (metric names are built from it)")
        return BAD if any(x is BAD for x in out) else tuple(out)

    def intervention_type(self, table, key: str) -> type | None:
        """The registered class a table's ``type`` names (None, with the problem recorded)."""
        if not isinstance(table, dict):
            self.error(key, f"expected a table, got {describe(table)}")
            return None
        allowed = sorted(self.registry)
        kind = table.get("type")
        listing = ("; allowed: " + ", ".join(allowed)) if allowed else (
            "; no intervention types are available (sim.interventions has none)")
        if kind is None:
            self.error(f"{key}.type", f"missing; every intervention needs a type{listing}")
            return None
        if not isinstance(kind, str):
            self.error(f"{key}.type", f"expected a type name in quotes, got "
                       f"{describe(kind)}{listing}")
            return None
        if kind not in self.registry:
            self.error(f"{key}.type", f"unknown intervention type '{kind}'"
                       + (hint(kind, allowed) if allowed else listing))
            return None
        return self.registry[kind]

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
                self.error(f"{key}.{month_key}", f"{num(value)} is out of range: must be "
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

    def check_hubs_used(self, interventions) -> None:
        """An intervention whose hub list is empty acts at every hub; with no hubs at all in
        the scenario (``hubs = []`` and none opened), that part of it does nothing."""
        if self.hubs:
            return
        for i, iv in enumerate(interventions):
            for name, (field_type, meta) in settable_fields(type(iv)).items():
                if meta.get("refers_to") == "hub" and typing.get_origin(field_type) is tuple \
                        and not getattr(iv, name):
                    self.error(f"interventions[{i}]", f"'{iv.name}' acts at hubs ({name}: "
                               "every hub), but this scenario has none (hubs = [] and no "
                               "intervention opens one): that part of it does nothing; add "
                               "[[hubs]] or remove the intervention", severity=WARNING)

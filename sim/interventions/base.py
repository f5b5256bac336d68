"""The base of every intervention: its specification, time window, targeting and metrics.

An intervention is a frozen dataclass (its fields are the specification a scenario file
sets, each declared with :func:`sim.params.param`). Declare one with the :func:`intervention`
decorator and fill the hooks; the base drives them, so nobody has to remember ``super()``:

- ``prepare(model)``: once, when the model is built; must not change the model's state;
- ``begin(model, day)``: once, on the first day of the window (recruit, open a hub, ...);
- ``apply(model, day)``: every day in the window, before the day's rules run;
- ``after(model, day)``: every day in the window, after the day's rules;
- ``end(model, day)``: once, on the first day after the window (undo what must be undone);
- ``extra_metrics()``: metrics of its own besides ``<name>_reached``.

Run-time state (the random stream the model sets, targets, recruited residents) lives in
plain attributes that are not fields: fields cannot be assigned, anything else can, and
each replicate works on a fresh copy (``Scenario.build_model``), so nothing leaks between
runs. All randomness comes from ``self.rng``, the intervention's own named stream.
"""

from __future__ import annotations

from dataclasses import FrozenInstanceError, dataclass, fields
from typing import ClassVar

import numpy as np

from sim.metrics import Metric
from sim.params import ORIENTATIONS, param

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def intervention(cls):
    """Declare an intervention class: a frozen, keyword-only dataclass whose fields (the
    specification) cannot be assigned, while the run-time attributes the model and the
    hooks set (``rng``, targets, recruited residents) can."""
    cls = dataclass(frozen=True, kw_only=True)(cls)
    spec_fields = frozenset(f.name for f in fields(cls))

    def __setattr__(self, name, value):
        if name in spec_fields:
            raise FrozenInstanceError(f"cannot assign to field {name!r}: specifications are "
                                      "immutable (use dataclasses.replace)")
        object.__setattr__(self, name, value)

    def __delattr__(self, name):
        if name in spec_fields:
            raise FrozenInstanceError(f"cannot delete field {name!r}")
        object.__delattr__(self, name)

    cls.__setattr__ = __setattr__
    cls.__delattr__ = __delattr__
    return cls


def weekday_numbers(days) -> tuple[int, ...]:
    """Weekdays as numbers 0-6 (0 = Monday) from numbers or names ("mon".."sun")."""
    out = []
    for d in days:
        if isinstance(d, str):
            if d.lower()[:3] not in WEEKDAYS:
                raise ValueError(f"unknown weekday {d!r}; allowed: {', '.join(WEEKDAYS)}")
            out.append(WEEKDAYS.index(d.lower()[:3]))
        elif isinstance(d, (int, np.integer)) and 0 <= int(d) <= 6:
            out.append(int(d))
        else:
            raise ValueError(f"weekday {d!r} must be 0-6 (0 = Monday) or one of "
                             f"{', '.join(WEEKDAYS)}")
    return tuple(sorted(set(out)))


def seat_in_circles(who: np.ndarray, group: np.ndarray, section: np.ndarray, k: int, rng):
    """Pairs (a, b) from an event: the residents ``who`` sit in one circle per ``group``
    value (group[i] for resident i), in a random order that alternates sections as far as
    it can, and each talks with the next ``k`` around the circle. Returns two arrays of
    resident numbers."""
    who = rng.permutation(np.asarray(who, dtype=np.int64))
    g = np.asarray(group)[who].astype(np.int64)
    s = np.asarray(section)[who].astype(np.int64)
    cell = g * (int(s.max(initial=0)) + 1) + s
    order = np.argsort(cell, kind="stable")
    first = np.searchsorted(cell[order], cell[order])
    rank = np.empty(len(who), dtype=np.int64)
    rank[order] = np.arange(len(who)) - first  # place within (group, section)
    seat = np.lexsort((s, rank, g))  # by group, then round, then section
    who, g = who[seat], g[seat]
    start = np.searchsorted(g, g)  # g is sorted: first seat of each circle
    _, inverse, counts = np.unique(g, return_inverse=True, return_counts=True)
    size = counts[inverse]
    pos = np.arange(len(who)) - start
    a, b = [], []
    for j in range(1, k + 1):
        ok = size > j
        a.append(who[ok])
        b.append(who[start[ok] + (pos[ok] + j) % size[ok]])
    if not a:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(a), np.concatenate(b)


@intervention
class Intervention:
    """Common fields and the driving of hooks (see the module docstring)."""

    type_name: ClassVar[str] = "intervention"

    name: str = param(
        "", unit="identifier",
        doc="short unique name used in metric names (default: the type name); needed when a "
        "scenario uses the same type twice",
    )
    label: str = param("", unit="plain words",
                       doc="what charts and reports call it (default: from the type name)")
    start_day: int = param(1, unit="day", lo=1, hi=36_500,
                           doc="first day the intervention runs (day 1 is the first day)")
    end_day: int | None = param(
        None, unit="day", lo=1, hi=36_500,
        doc="last day it runs (inclusive); empty = to the end of the run",
    )
    target_sections: tuple[str, ...] = param(
        (), unit="section names", refers_to="section",
        doc="sections it reaches; empty = everyone",
    )
    target_orientations: tuple[str, ...] = param(
        (), unit="orientation names", refers_to="orientation",
        doc="orientations it reaches; empty = everyone",
    )

    def __post_init__(self):
        if not self.name:
            object.__setattr__(self, "name", self.type_name)
        if not self.label:
            object.__setattr__(self, "label", self.type_name.replace("_", " ").capitalize())
        object.__setattr__(self, "target_sections", tuple(self.target_sections))
        object.__setattr__(self, "target_orientations", tuple(self.target_orientations))
        if self.end_day is not None and self.end_day < self.start_day:
            raise ValueError(f"{self.name}: end_day {self.end_day} is before start_day "
                             f"{self.start_day}")

    # -- the protocol the model calls (sim.model.InterventionLike) ----------------------------
    def setup(self, model) -> None:
        """Check the name is unique, work out who is targeted, then ``prepare``."""
        clash = [iv for iv in model.interventions if iv is not self and iv.name == self.name]
        if clash:
            raise ValueError(f"two interventions are named {self.name!r}: give each a "
                             "distinct name (metric names are built from it)")
        self.targets = self._targets(model.pop)
        self.reached = np.zeros(model.pop.n, dtype=bool)
        self.began = False
        self.ended = False
        self.prepare(model)

    def before_day(self, model, day) -> None:
        if self.active_on(day.day):
            if not self.began:
                self.began = True
                self.begin(model, day)
            self.apply(model, day)
        elif self.began and not self.ended:
            self.ended = True
            self.end(model, day)

    def after_day(self, model, day) -> None:
        if self.active_on(day.day):
            self.after(model, day)

    def metrics(self) -> list[Metric]:
        """``<name>_reached`` (residents reached so far) and the type's own metrics."""
        reached = Metric(
            f"{self.name}_reached", f"{self.label}: residents reached",
            f"Residents the intervention '{self.label}' has reached so far.",
            "residents", "community", lambda model, day: self.n_reached(),
            higher_is_better=None, breakdown=False,
        )
        return [reached, *self.extra_metrics()]

    # -- for subclasses and charts ------------------------------------------------------------
    def active_on(self, day: int) -> bool:
        """Whether the intervention runs on ``day`` (start and end inclusive)."""
        return day >= self.start_day and (self.end_day is None or day <= self.end_day)

    def window(self, days: int) -> tuple[int, int]:
        """The active window (first day, last day) within a run of ``days`` days, for charts."""
        end = days if self.end_day is None else min(self.end_day, days)
        return min(max(self.start_day, 1), days), end

    def n_reached(self) -> int:
        reached = getattr(self, "reached", None)
        return 0 if reached is None else int(reached.sum())

    def reach(self, residents) -> None:
        """Count residents as reached by the intervention."""
        self.reached[np.asarray(residents, dtype=np.int64)] = True

    def community_metric(self, suffix: str, label: str, doc: str, unit: str, fn,
                         higher_is_better=None) -> Metric:
        """A community metric named ``<name>_<suffix>``; ``fn(model, day)`` -> number."""
        return Metric(f"{self.name}_{suffix}", f"{self.label}: {label}", doc, unit,
                      "community", fn, higher_is_better=higher_is_better, breakdown=False)

    def _targets(self, pop) -> np.ndarray:
        """Residents in the targeted sections and orientations (empty lists = everyone)."""
        mask = np.ones(pop.n, dtype=bool)
        if self.target_sections:
            unknown = [s for s in self.target_sections if s not in pop.section_names]
            if unknown:
                raise ValueError(f"{self.name}: unknown sections {unknown}; the scenario has "
                                 f"{list(pop.section_names)}")
            codes = [pop.section_names.index(s) for s in self.target_sections]
            mask &= np.isin(pop.section, codes)
        if self.target_orientations:
            unknown = [o for o in self.target_orientations if o not in ORIENTATIONS]
            if unknown:
                raise ValueError(f"{self.name}: unknown orientations {unknown}; allowed "
                                 f"{list(ORIENTATIONS)}")
            codes = [ORIENTATIONS.index(o) for o in self.target_orientations]
            mask &= np.isin(pop.orientation, codes)
        return mask

    # -- hooks (subclasses fill what they need) ------------------------------------------------
    def prepare(self, model) -> None:
        """Once, at model build; must not change the model's state."""

    def begin(self, model, day) -> None:
        """Once, on the first day of the window, before ``apply``."""

    def apply(self, model, day) -> None:
        """Every day in the window, before the day's rules."""

    def after(self, model, day) -> None:
        """Every day in the window, after the day's rules."""

    def end(self, model, day) -> None:
        """Once, on the first day after the window."""

    def extra_metrics(self) -> list[Metric]:
        return []

    def hubs_opened(self) -> tuple[str, ...]:
        """Names of hubs this intervention opens during the run (others may refer to them)."""
        return ()

    def resources(self, n_residents: int) -> dict[str, float]:
        """Resources used per year of running, by name (staff_hours, venue_hours, events,
        training_places, small_grants_gbp: the names in data/unit_costs.toml), for a
        community of ``n_residents``. sim/costs.py prices them and counts only the days the
        intervention runs. The base uses nothing."""
        return {}

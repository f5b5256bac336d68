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

from sim.params import DAYS_PER_MONTH, HubSpec
from sim.scenario.convert import BAD, Converter, finite
from sim.scenario.errors import WARNING
from sim.scenario.kinds import settable_fields
from sim.scenario.words import describe, hint, num

# intervention keys that give a window in months instead of days
MONTH_KEYS = {"start_month": "start_day", "end_month": "end_day"}
DAY_KEYS = {day: month for month, day in MONTH_KEYS.items()}


def days_from_months(months: float) -> int:
    """The day a window given in months starts or ends on: round(months x 365.25 / 12)."""
    return int(round(months * DAYS_PER_MONTH))


def is_months(value) -> bool:
    """Whether a start_month / end_month value is a number of months (finite, not a bool,
    and small enough for a float: days_from_months multiplies it by one)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and finite(value)


def months_within(lo_day: int, hi_day: int) -> tuple[float, float]:
    """The first and last month (to two places) whose day is within lo_day..hi_day."""
    lo = math.ceil((lo_day - 0.5) / DAYS_PER_MONTH * 100) / 100
    while days_from_months(lo) < lo_day:
        lo = round(lo + 0.01, 2)
    hi = math.floor((hi_day + 0.5) / DAYS_PER_MONTH * 100) / 100
    while days_from_months(hi) > hi_day:
        hi = round(hi - 0.01, 2)
    return lo, hi


def when(day: int, month: float | None = None) -> str:
    """A day of a window in the words its file gave it: 'on day 152', or 'in month 5 (day
    152)' when the file gave the month."""
    return f"on day {day}" if month is None else f"in month {num(month)} (day {day})"


def never_acts(name: str, day: int, month: float | None, run_end: str, fix: str) -> str:
    """The refusal of a programme that starts after the run ends (the command line's and
    the compare page's)."""
    return (f"'{name}' starts {when(day, month)}, after the run ends ({run_end}), so it "
            f"would never act: {fix}")


def day_span(first: int, last: float) -> str:
    """'day 200' or 'days 150-200' (days inclusive); 'day 150 to the run's end' when the
    last is the end of a run whose length is not known (infinite)."""
    if last == math.inf:
        return f"day {first} to the run's end"
    return f"day {first}" if first == last else f"days {first}-{last}"


def _acts_from(per_1000: float) -> int:
    """The fewest residents at which a number per 1,000 rounds to at least one (Python's
    round: half to even, so exactly half rounds to none)."""
    least = math.floor(500 / per_1000) + 1
    while int(round(per_1000 * (least - 1) / 1000)) >= 1:
        least -= 1
    return least


def _window(iv, run_days: int | None) -> tuple[int, float]:
    """The first and last day an intervention runs (to the run's end when it has no
    end_day; infinite when the run's length is not known)."""
    if iv.end_day is not None:
        return iv.start_day, iv.end_day
    return iv.start_day, math.inf if run_days is None else run_days


class InterventionChecks(Converter):
    """The interventions of one scenario; ``registry`` maps type names to classes and
    ``overrides`` (key -> :class:`~sim.scenario.loader.Override`) may set the run's days."""

    def __init__(self, shown: str, origin: dict[str, str], registry: dict[str, type],
                 overrides=()):
        super().__init__(shown, origin)
        self.registry = registry
        self.overrides = {o.key: o for o in overrides}
        self.bad_overrides: set[str] = set()  # refused: cross-checks with them are skipped
        self.days_by_default = False  # no file gives run.days (messages say so)

    def interventions(self, data: dict, run_days: int | None):
        """The interventions, each checked, and checked across the list; ``run_days``: the
        run's length (None: not known, its own value refused)."""
        run = data.get("run")
        self.days_by_default = not (isinstance(run, dict) and "days" in run)
        if "interventions" not in data:
            return ()
        value = data["interventions"]
        if not isinstance(value, list):
            self.error("interventions", "expected a list of tables ([[interventions]]), got "
                       f"{describe(value)}")
            return BAD
        out = []
        names: dict[str, list[str]] = collections.defaultdict(list)
        placed = {}  # key -> the intervention built from it (or BAD)
        types = {}  # key -> its class
        for i, table in enumerate(value):
            key = f"interventions[{i}]"
            cls = self.intervention_type(table, key)
            if cls is None:
                continue
            types[key] = cls
            written = table
            table = self.months_to_days(cls, table, key)
            months = {day: written[month] for month, day in MONTH_KEYS.items()
                      if month in written and day in table and day not in written}
            window_ok = self.check_window(cls, table, key, run_days,
                                          str(table.get("name") or table["type"]), months)
            built = self.table(cls, table, key, skip=("type", *MONTH_KEYS), construct=window_ok)
            out.append(built)
            if built is not BAD:  # the file still runs: said, as the programme's own words
                for sub, words in getattr(built, "idle_parts", lambda: ())():
                    self.error(f"{key}.{sub}", words, severity=WARNING)
            if built is BAD and window_ok:
                built = self.stand_in(cls, key)
            placed[key] = built
            if built is not BAD:
                names[built.name].append(f"{key}.name" if "name" in table else key)
                nested = {n for n, k in self.hubs if k.startswith(key + ".")}
                opened = getattr(built, "hubs_opened", lambda: ())()
                self.hubs.extend((h, key) for h in opened if h not in nested)
        self.check_hubs_from_start(placed)
        self.check_one_at_a_time(placed, run_days)
        self.check_acts_while_shut(placed, run_days)
        self.check_something_to_review(placed, types, run_days)
        for name, keys in names.items():
            for key in keys[1:]:
                self.error(key, f"two interventions are called '{name}' (also {keys[0]}); give "
                           "each a distinct name = \"...\" (metric names are built from it)")
        labelled = {key: bool(value[int(key[len("interventions["):-1])].get("label"))
                    for key in placed}
        self.check_labels(placed, labelled)
        if any(x is BAD for x in out):
            return BAD
        return self.default_labels(out, placed, labelled)

    def check_labels(self, placed: dict, labelled: dict) -> None:
        """The report names a programme by its label (its cost row, its window, what follows
        its end), so a label written in the file that another programme's label repeats is
        refused at its key (``labelled``: key -> whether the file gave its label)."""
        first: dict[str, str] = {}
        for key, iv in placed.items():
            if iv is not BAD and labelled[key] and hasattr(iv, "label"):
                if iv.label in first:
                    self.error(f"{key}.label", f"'{iv.label}' is also the label of "
                               f"{first[iv.label]}; the report names each programme by its "
                               "label, so give each its own")
                else:
                    first[iv.label] = key
        for key, iv in placed.items():
            if iv is not BAD and not labelled[key] and getattr(iv, "label", None) in first:
                self.error(key, f"'{iv.label}', the label it has by default (from its type), "
                           f"is also the label of {first[iv.label]}; give it a label = "
                           "\"...\" of its own: the report names each programme by its label")

    @staticmethod
    def default_labels(out: list, placed: dict, labelled: dict) -> tuple:
        """The interventions, each with its default label ("Shared myth") followed by its
        name ("Shared myth (story_a)") where another's default label is the same: two place
        stories without labels were one cost row "Shared myth", with the first one's days
        and both one's costs, and one "Shared myth ends before that window" while the other
        ran on (a user check)."""
        alike = collections.Counter(getattr(iv, "label", None) for key, iv in placed.items()
                                    if iv is not BAD and not labelled[key])
        return tuple(dataclasses.replace(iv, label=f"{iv.label} ({iv.name})")
                     if hasattr(iv, "label") and not labelled[key] and alike[iv.label] > 1
                     else iv for iv, key in zip(out, placed, strict=True))

    def stand_in(self, cls, key: str):
        """For the checks across the list only: the intervention at ``key`` built from its
        keys when its one mistake is a misspelt key (which the loader has reported), so that
        a typo does not hide its clash with another programme (a user check: a typo hid
        problems until it was fixed); BAD when a value was refused (what it would be is not
        known) or it cannot be built."""
        if self.refused.get(key) or key not in self.kept:
            return BAD
        try:
            return cls(**self.kept[key])
        except (TypeError, ValueError):
            return BAD

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

    def months_to_days(self, cls, table: dict, key: str) -> dict:
        """``start_month`` / ``end_month`` (months from the start of the run, fractions
        allowed) become ``start_day`` / ``end_day``: day = round(months x 365.25 / 12); a
        month whose day is outside the day's range is refused in months."""
        out = dict(table)
        specs = settable_fields(cls)
        for month_key, day_key in MONTH_KEYS.items():
            if month_key not in table:
                continue
            value = table[month_key]
            if day_key in table:
                self.error(f"{key}.{month_key}", f"give {day_key} or {month_key}, not both")
                continue
            if not is_months(value):
                self.wrong_type(f"{key}.{month_key}", "a number of months", value)
                continue
            lo_day, hi_day = specs[day_key][1].get("range") or (1, 36_500)
            lo, hi = months_within(lo_day, hi_day)
            if value <= 0:  # a user check: "must be between 0.02 and ..." for 0
                first = ("leave start_month out (or write start_day = 1)"
                         if month_key == "start_month" else "write end_day = 1")
                self.error(f"{key}.{month_key}", f"{num(value)} would be before the run "
                           "starts: months count from the run's start (1 is the end of the "
                           f"first month, day {days_from_months(1)}; 0.5 is day "
                           f"{days_from_months(0.5)}); to {month_key[:-6]} on the first day, "
                           f"{first}")
                continue
            if not lo <= value <= hi:
                self.error(f"{key}.{month_key}", f"{num(value)} is out of range: must be "
                           f"between {num(lo)} and {num(hi)} (months from the start of the "
                           f"run: day {lo_day} to day {hi_day})")
                continue
            out[day_key] = days_from_months(value)
        return out

    def check_window(self, cls, table: dict, key: str, run_days: int | None, name: str,
                     months: dict | None = None) -> bool:
        """start_day <= end_day; a start after the run's end is an error (the intervention
        would never act); an end after it is a warning (it runs until the end). A day out of
        its own range is refused where it is converted and not checked here (end_day = 99999
        was also told it would run until the end, beside the error). ``months``: the days
        the file gave in months (day key -> months), named as the file wrote them."""
        defaults = {f.name: f.default for f in dataclasses.fields(cls)}
        specs = settable_fields(cls)
        months = months or {}

        def day(name):  # None for a day refused by its own range (said once, there)
            value = table.get(name, defaults.get(name))
            if not isinstance(value, int) or isinstance(value, bool):
                return None
            lo, hi = (specs[name][1].get("range") or (None, None)) if name in specs \
                else (None, None)
            if (lo is not None and value < lo) or (hi is not None and value > hi):
                return None
            return value

        def written(day_key):  # the key the file wrote for a day
            return DAY_KEYS[day_key] if day_key in months else day_key

        start, end = day("start_day"), day("end_day")
        start_key, end_key = written("start_day"), written("end_day")
        start_month, end_month = months.get("start_day"), months.get("end_day")
        days = self.overrides.get("run.days")
        source = days.source if days else f"run.days = {run_days}" + (
            " by default" if self.days_by_default else "")  # no file says it
        ok = True
        if start is not None and end is not None and start > end:
            ends = (f"{end_key} = {num(end_month)}, day {end}" if end_month is not None
                    else f"end_day = {end}")
            self.error(f"{key}.{start_key}", f"starts {when(start, start_month)}, after it "
                       f"ends ({ends}); {start_key} must be on or before {end_key}")
            ok = False
        if run_days is None:  # its days are refused (reported): the run's length is unknown
            return ok
        if start is not None and start > run_days:
            fix = (f"give {days.flag} {start} or more" if days
                   else f"set run.days to {start} or more")
            if start_month is None:
                fix += ", or move its start_day into the run"
            else:
                last = months_within(1, run_days)[1]
                fix += (f", or set its start_month to {num(last)} or less (day "
                        f"{days_from_months(last)})")
            self.error(f"{key}.{start_key}",
                       never_acts(name, start, start_month, source, fix))
        if end is not None and "end_day" in table and end > run_days:
            self.error(f"{key}.{end_key}", f"ends {when(end, end_month)}, after the run ends "
                       f"({source}); it will run until the end", severity=WARNING)
        return ok

    def check_hubs_from_start(self, placed: dict) -> None:
        """A hub field an intervention needs from day 0 (``hubs_from_start``: a closure's
        hub, the hub a third space extends) must not name a hub another programme opens:
        the model could not find it when the run starts. ``placed``: key -> intervention."""
        opened = {}  # hub name -> the key of the intervention that opens it
        for name, key in self.hubs:
            if key.startswith("interventions["):
                opened[name] = key[:key.index("]") + 1]
        for key, iv in placed.items():
            if iv is BAD:
                continue
            for field, instead in getattr(type(iv), "hubs_from_start", {}).items():
                hub = getattr(iv, field)
                opener = placed.get(opened.get(hub))
                if opener is not None and opener is not BAD:
                    self.error(f"{key}.{field}",
                               f"'{hub}' is opened by {opened[hub]} ('{opener.label}') on "
                               f"day {opener.start_day}, but {iv.type_name} needs a hub the "
                               f"community has from day 0 ([[hubs]]); {instead}")

    def check_one_at_a_time(self, placed: dict, run_days: int | None) -> None:
        """Two interventions of one type naming the same hub in a field it holds one at a
        time (``one_at_a_time``: a closure's hub, the hub a third space extends) must not run
        on the same day: when the first ends it reopens the hub (or restores its days) while
        the other still runs, and its cost or saving would count twice."""
        seen: dict[tuple, list] = collections.defaultdict(list)
        for key, iv in placed.items():
            if iv is BAD:
                continue
            for field in getattr(type(iv), "one_at_a_time", ()):
                hub = getattr(iv, field)
                if not hub:
                    continue
                start, end = _window(iv, run_days)
                for other_key, other, o_start, o_end in seen[(type(iv), field, hub)]:
                    if start <= o_end and o_start <= end:
                        self.error(f"{key}.{field}",
                                   f"'{other.label}' ({other_key}) names '{hub}' too, on "
                                   f"{day_span(max(start, o_start), min(end, o_end))}; the first "
                                   "to end would undo the other: merge them, or let one end "
                                   "before the other starts")
                        break
                seen[(type(iv), field, hub)].append((key, iv, start, end))

    def check_acts_while_shut(self, placed: dict, run_days: int | None) -> None:
        """A programme that acts at a hub it names (a third space's ``extend_hub``) on days a
        closure has that hub shut (``shuts_hub``) does nothing there then, yet the report
        counts its cost for its whole window: warned at the programme's key, with the days."""
        def shuts(iv) -> str:
            return getattr(type(iv), "shuts_hub", "") if iv is not BAD else ""

        shut = [(key, iv, getattr(iv, shuts(iv)), *_window(iv, run_days))
                for key, iv in placed.items() if shuts(iv) and getattr(iv, shuts(iv))]
        if not shut:
            return
        for key, iv in placed.items():
            if iv is BAD or shuts(iv):
                continue
            start, end = _window(iv, run_days)
            for field, (field_type, meta) in settable_fields(type(iv)).items():
                hub = getattr(iv, field)
                if meta.get("refers_to") != "hub" or field_type is not str or not hub:
                    continue
                for shut_key, closure, shut_hub, s_start, s_end in shut:
                    if shut_hub == hub and start <= s_end and s_start <= end:
                        span = day_span(max(start, s_start), min(end, s_end))
                        self.error(f"{key}.{field}",
                                   f"'{closure.label}' ({shut_key}) has '{hub}' closed on "
                                   f"{span}: '{iv.label}' does nothing there then, yet its "
                                   "cost is counted for its whole window; let one end before "
                                   "the other starts, or read its cost as too high",
                                   severity=WARNING)

    def check_sizes(self, interventions, hubs, population) -> None:
        """What the community's size or its one section leaves with nothing to do, warned
        (the file still runs): a dose per 1,000 residents, or a hub's capacity per 1,000,
        that rounds to none at the run's size (the programme does nothing; the hub never
        opens), and a programme that acts across sections in a community of one. A model
        check found creative citizens at 200 residents the baseline to the bit, reported with
        an effect of 0.0 (0.0 to 0.0) as if tested."""
        n = population.n_residents
        for i, hub in enumerate(hubs):
            self._warn_no_places(f"hubs[{i}]", f"the hub '{hub.name}'", hub, n)
        by_name = {hub.name: hub for hub in hubs}
        for i, iv in enumerate(interventions):
            key = f"interventions[{i}]"
            label = getattr(iv, "label", "") or getattr(iv, "name", "") or key
            for sub, words in getattr(iv, "idle_at_hubs", lambda hubs: ())(by_name):
                self.error(f"{key}.{sub}", words, severity=WARNING)
            if getattr(type(iv), "across_sections", False) and len(population.sections) == 1:
                self.error(key, f"'{label}' acts across sections, and this community has "
                           "one: it does nothing but cost; give [[population.sections]] "
                           "two or more, or remove it", severity=WARNING)
            for field, (_, meta) in settable_fields(type(iv)).items():
                value = getattr(iv, field)
                if isinstance(value, HubSpec):
                    # costed by its opening days: none, no cost (a user check: "yet its
                    # cost is counted" of a hub open on no days, costed at nothing)
                    self._warn_no_places(f"{key}.{field}", f"the hub of '{label}'", value, n,
                                         costed=bool(value.open_days))
                    continue
                unit = str(meta.get("unit", ""))
                if (not unit.endswith("per 1,000 residents") or isinstance(value, bool)
                        or not isinstance(value, (int, float)) or not value > 0):
                    continue
                if int(round(value * n / 1000)) == 0:
                    self.error(f"{key}.{field}", f"'{label}': {num(value)} {unit} rounds "
                               f"to none at {n:,} residents, so it does nothing (it acts from "
                               f"{_acts_from(value):,} residents)", severity=WARNING)
                    continue
                words = getattr(type(iv), "recruited_from_targets", {}).get(field)
                if words:
                    self._warn_more_than_targeted(f"{key}.{field}", label, words,
                                                  int(round(value * n / 1000)), iv, population)

    def _warn_more_than_targeted(self, key: str, label: str, words: str, planned: int, iv,
                                 population) -> None:
        """A programme that plans more people than its targeted residents: recruitment takes
        no more than there are, while its cost counts the plan (a user check: bridge figures
        at 100 per 1,000 among students who are rescuers had 2 in post at 300 residents and
        were costed for 30, value for money overstated 15 times; validate said "ok")."""
        sections = [s for s in population.sections
                    if not iv.target_sections or s.name in iv.target_sections]
        expected = 0.0
        for sec in sections:
            mix = sum(sec.orientations.values())
            part = (sum(sec.orientations.get(o, 0.0) for o in iv.target_orientations) / mix
                    if iv.target_orientations and mix > 0 else 1.0)
            expected += population.n_residents * sec.share * part
        if planned <= expected:
            return
        who = " or ".join(iv.target_sections) or "residents"
        if iv.target_orientations:
            who += " who are " + " or ".join(f"{o}s" for o in iv.target_orientations)
        about = "no" if int(round(expected)) == 0 else f"about {int(round(expected)):,}"
        targeted = bool(iv.target_sections or iv.target_orientations)
        # untargeted: the whole community (a user check: "about 1,000 residents are
        # residents")
        there = (f"{about} residents are {who} (at {population.n_residents:,} residents)"
                 if targeted else f"the community has {population.n_residents:,} residents")
        self.error(key, f"'{label}' plans {planned:,} {words} but {there}; it will have at "
                   f"most that many, and its cost counts {planned:,}: "
                   f"{'target more residents or ' if targeted else ''}plan fewer",
                   severity=WARNING)

    def _warn_no_places(self, key: str, what: str, hub: HubSpec, n: int,
                        costed: bool = False) -> None:
        """A hub with no places never opens (sim.places: a hub is open only with a capacity
        above 0), as the same warning whether its capacity rounds to none or is 0 (a user
        check: a new hub with capacity = 0 was costed at GBP 52,978 a year and validate said
        "ok"); ``costed``: a programme's hub, whose cost is counted all the same, and whose
        staff are costed by its places, so more places than residents is warned of too."""
        cost = ", yet its cost is counted" if costed else ""
        if hub.capacity == 0:
            self.error(f"{key}.capacity", f"{what} holds no visitors (capacity = 0), so it "
                       f"never opens{cost}; give it the visitors a day it holds (per 1,000 "
                       "residents unless capacity_per_1000 = false)", severity=WARNING)
        elif hub.places(n) == 0:
            self.error(f"{key}.capacity", f"{what} holds {num(hub.capacity)} per 1,000 "
                       f"residents: at {n:,} residents that rounds to no places, so it never "
                       f"opens{cost} (it opens from {_acts_from(hub.capacity):,} residents; "
                       "or set capacity_per_1000 = false and a capacity in places)",
                       severity=WARNING)
        elif costed and hub.places(n) > n:  # a user check: GBP 17 billion a year, unsaid
            self.error(f"{key}.capacity", f"{what} holds {hub.places(n):,} visitors a day, "
                       f"more than the community's {n:,} residents: it is never full, and "
                       "its cost counts paid staff by its places; give a capacity the "
                       "community could fill (per 1,000 residents unless capacity_per_1000 "
                       "= false)", severity=WARNING)

    def check_something_to_review(self, placed: dict, types: dict, run_days: int | None):
        """A programme that acts only through the others it reviews (``reviews_others``: a
        critical friend) with none of them (``reviewable``) in the scenario, or none running
        on its days, does nothing, yet its cost is counted: warned at its key (a user check:
        a critical friend alone cost GBP 2,572 a year for an effect of exactly 0)."""
        reviewed = sorted(n for n, c in self.registry.items() if getattr(c, "reviewable", False)
                          and not getattr(c, "reviews_others", False))
        for key, iv in placed.items():
            if iv is BAD or not getattr(type(iv), "reviews_others", False):
                continue
            others = [k for k, c in types.items()
                      if k != key and getattr(c, "reviewable", False)]
            what = f"'{iv.label}' challenges the teams running the other programmes"
            # its cost, said only where there is one (a user check: "yet its cost is
            # counted" of no critical friends, costed at nothing)
            cost = ", yet its cost is counted" if iv.costed() else ""
            if not others:
                self.error(key, f"{what}, but this scenario has none it reviews: it does "
                           f"nothing{cost}; add a programme for it to challenge "
                           f"({', '.join(reviewed)}) or remove it", severity=WARNING)
                continue
            if any(placed.get(k) is BAD for k in others):
                continue  # a window not known
            start, end = _window(iv, run_days)
            if not any(s <= end and start <= e
                       for s, e in (_window(placed[k], run_days) for k in others)):
                self.error(key, f"{what}, but none of those runs on its "
                           f"{day_span(start, end)}: it does nothing{cost}; let its window "
                           "overlap theirs", severity=WARNING)

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

"""The base of every intervention: its specification, time window, targeting, roles, states,
delivery and metrics.

An intervention is a frozen, keyword-only dataclass: its fields are the specification a
scenario file sets, each declared with :func:`sim.params.param` (unit, doc, range). Subclassing
:class:`Intervention` is the whole declaration: the base turns the subclass into that
dataclass itself (no decorator to forget) and checks at import that its hooks are spelt and
shaped right (a misspelt hook, or a driver method overridden, is a ``TypeError`` when the
module is imported, not a silent loss). The base drives the hooks, so nobody calls ``super()``:

- ``value_problems(values)`` (a classmethod): what is wrong with the values a scenario gives,
  each at its key inside the table (``commitments[1]``): the loader reports each at its place
  with the file's other problems; making the specification raises the first;
- ``check()``: once, when the specification is made: normalisation (use
  ``self._set(field, value)``) and checks only code can fail (raise ValueError);
- ``prepare(model)``: once, when the model is built; must not change the model's state;
- ``begin(model, day)``: once, on the first day of the window (recruit, open a hub, ...);
- ``apply(model, day)``: every day in the window, before the day's rules run;
- ``carry(model, day)``: every day from the first day of the window to the end of the run,
  after ``apply``: what the programme left in people (a commitment, a story heard) acting
  through the day's levers, and fading as the intervention's own states say;
- ``after(model, day)``: every day in the window, after the day's rules;
- ``end(model, day)``: once, on the first day after the window (undo what must be undone);
- ``extra_metrics()``: metrics of its own besides ``<name>_reached``.

**Levers, not outcomes.** Hooks are called with every outcome array read-only (each
resident's state, the ties, the day's results: ``KindlinessModel.outcomes_closed``), so a hook
can only pull levers: arrange meetings (``day.add_meetings``, with a setting), open, close or
reframe hubs, set the day's :class:`sim.day.Levers` (visits, asking, noticing, perceived
norms, introducers), make offers (``day.add_offers``, which the helping rule decides).

**Roles and states belong to interventions.** A class declares the roles residents take on
for it (``roles = (Role("organiser", "Organiser", staff=True),)``) and the per-resident states
it keeps (``states = (State("committed_until", np.int32, NEVER, "..."),)``, Starsim's
``define_states``). The base allocates them at setup (``self.role("organiser")``, and each
state as an attribute), resets a mover's row when a newcomer takes it, holds roles only while
the window runs, and reports them to ``KindlinessModel.roles()``. Staff-like roles get the
metrics ``<name>_organisers_strained`` and ``<name>_staff_in_post`` (what it is out of).

**Delivery.** Each intervention that recruits people or runs sessions has a Delivery
(sim/interventions/recruitment.py, with the recruitment itself): how far its recruitment
reaches past the already connected (``outreach``) and how far its sessions are framed away
from help (``framing``). A critical friend who challenges the team moves them
(sim/interventions/critical_friend.py).

Run-time state (the random stream the model sets, targets, recruited residents) lives in
plain attributes that are not fields: fields cannot be assigned, anything else can, and each
replicate works on a fresh copy (``Scenario.build_model``), so nothing leaks between runs. All
randomness comes from ``self.rng``, the intervention's own named stream.
"""

from __future__ import annotations

import difflib
import inspect
from dataclasses import FrozenInstanceError, dataclass, fields
from typing import ClassVar

import numpy as np

from sim.day import OutcomeWriteError
from sim.interventions.recruitment import Delivery, Recruitment
from sim.metrics import Metric
from sim.params import ORIENTATIONS, param, weekday_numbers
from sim.rules.encounters import seat_in_circles

# hooks a subclass may fill, with the number of arguments each takes besides self
HOOKS = {"check": 0, "prepare": 1, "begin": 2, "apply": 2, "carry": 2, "after": 2, "end": 2,
         "extra_metrics": 0, "hubs_opened": 0, "resources": 1}
# the driver: methods the base owns (a subclass that defines one is refused at import)
DRIVER = ("__init__", "__post_init__", "__setattr__", "__delattr__", "setup", "before_day",
          "after_day", "metrics", "role_masks", "residents_moved")
ORGANISERS_STRAINED = "organisers_strained"  # metric suffix for staff-like roles
STAFF_IN_POST = "staff_in_post"  # metric suffix: how many hold a staff-like role now


@dataclass(frozen=True)
class Role:
    """A role residents take on for an intervention (an organiser, a bridge figure)."""

    name: str  # the key in KindlinessModel.roles() (several interventions may share one)
    label: str  # plain words, singular ("Organiser")
    staff: bool = False  # does the work of the programme: its strain is reported
    doc: str = ""


@dataclass(frozen=True)
class State:
    """A per-resident state an intervention keeps (allocated at setup as an attribute)."""

    name: str
    dtype: type
    default: object
    doc: str = ""


def _check_hooks(cls) -> None:
    """Refuse, at import, a subclass that overrides the driver, misspells a hook or gives a
    hook the wrong arguments."""
    for name, value in vars(cls).items():
        if not callable(value) or isinstance(value, (type, staticmethod, classmethod)):
            continue
        if name in DRIVER:
            raise TypeError(f"{cls.__name__}.{name}: the base class drives the hooks; fill "
                            f"{', '.join(HOOKS)} instead (no super() needed)")
        if name in HOOKS:
            wanted = HOOKS[name]
            try:
                params = list(inspect.signature(value).parameters.values())[1:]
            except (TypeError, ValueError):
                continue
            positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY,
                                                          p.POSITIONAL_OR_KEYWORD)]
            if len(positional) != wanted:
                raise TypeError(f"{cls.__name__}.{name} takes {len(positional)} arguments "
                                f"besides self; the hook takes {wanted}")
            continue
        if name.startswith("_"):
            continue
        close = difflib.get_close_matches(name, list(HOOKS), n=1, cutoff=0.75)
        if close:
            raise TypeError(f"{cls.__name__}.{name} is not a hook and would never be called; "
                            f"did you mean '{close[0]}'? (hooks: {', '.join(HOOKS)})")


def _declare(cls):
    """Make ``cls`` a frozen, keyword-only dataclass whose fields (the specification)
    cannot be assigned, while run-time attributes can."""
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


class Intervention(Recruitment):
    """Common fields and the driving of hooks (see the module docstring)."""

    type_name: ClassVar[str] = "intervention"
    # the type in plain words, for a list of types to choose from ("A new hub or third
    # space"); a scenario's own ``label`` names one intervention of it
    title: ClassVar[str] = ""
    roles: ClassVar[tuple[Role, ...]] = ()
    states: ClassVar[tuple[State, ...]] = ()
    reviewable: ClassVar[bool] = True  # a critical friend can challenge how it is delivered
    # it acts only through the reviewable programmes running beside it (a critical friend):
    # the loader warns when none does
    reviews_others: ClassVar[bool] = False
    # a programme someone could fund; False for a loss compared as a scenario (a hub closing),
    # which the report ranks but never offers as what to fund
    fundable: ClassVar[bool] = True
    takes_joiners: ClassVar[bool] = False  # has join(model, day, residents): others send people
    # hub fields that must name a hub the community has from day 0 (not one a programme
    # opens), each with what to do instead (the loader refuses the file, naming the key)
    hubs_from_start: ClassVar[dict[str, str]] = {}
    # hub fields no two interventions of this type may name at once (overlapping windows):
    # the first to end would undo the other (a closure reopens the hub)
    one_at_a_time: ClassVar[tuple[str, ...]] = ()
    # the hub field of an intervention that shuts the hub it names while it runs (a closure):
    # another programme acting at that hub by name (a third space's extend_hub) does nothing
    # there on those days, though its cost is counted (the loader warns, naming the days)
    shuts_hub: ClassVar[str] = ""
    # it acts only across sections (introductions, pairs of groups): in a community of one
    # section it does nothing but cost (the loader warns)
    across_sections: ClassVar[bool] = False
    # its fields giving a number per 1,000 residents that it recruits from its targeted
    # residents, and that its cost counts (field -> what they are, plural: "bridge
    # figures"): recruitment takes no more than the targeted residents there are, while the
    # cost counts the plan, so the loader warns when the plan is the larger
    recruited_from_targets: ClassVar[dict[str, str]] = {}
    # the field giving its staff-like role's planned number per 1,000 residents, which its
    # cost counts, and what they are, plural (("figures", "bridge figures")): the report
    # says where fewer were in post than the cost counts
    planned_staff: ClassVar[tuple[str, str]] = ()
    # its fields without which it does nothing (a number at 0, a list left empty), each with
    # what it then does not do, said after its label ("recruits no bridge figures"): the
    # loader warns (a user check: programmes at zero dose ran, and were costed, unsaid)
    doses: ClassVar[dict[str, str]] = {}
    # its <name>_reached count in words (label, doc; {label}: the intervention's label): whom
    # it "reaches" is the type's own (a closure's are the residents who lose the hub)
    reached_words: ClassVar[tuple[str, str]] = (
        "residents reached", "Residents the intervention '{label}' has reached so far.")

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
        doc="last day it runs (inclusive); empty = to the end of the run; what it left "
        "behind (ties, commitments, a story heard) then fades through the model's rules",
    )
    target_sections: tuple[str, ...] = param(
        (), unit="section names", refers_to="section",
        doc="sections it reaches; empty = everyone",
    )
    target_orientations: tuple[str, ...] = param(
        (), unit="orientation names", refers_to="orientation",
        doc="orientations it reaches; empty = everyone",
    )

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        _check_hooks(cls)
        if cls.type_name == "intervention":
            raise TypeError(f"{cls.__name__} needs a type_name (the name scenario files use)")
        _declare(cls)

    def __post_init__(self):
        if not self.name:
            self._set("name", self.type_name)
        if not self.label:
            self._set("label", self.type_name.replace("_", " ").capitalize())
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, list):
                value = tuple(value)
                self._set(f.name, value)
            if str(f.metadata.get("unit", "")).startswith("weekdays") and value is not None:
                self._set(f.name, weekday_numbers(value))
        if self.end_day is not None and self.end_day < self.start_day:
            raise ValueError(f"{self.name}: end_day {self.end_day} is before start_day "
                             f"{self.start_day}")
        problems = self.value_problems({f.name: getattr(self, f.name) for f in fields(self)})
        if problems:
            key, message = problems[0]
            raise ValueError(f"{self.name}: {key}: {message}")
        self.check()

    def _set(self, name: str, value) -> None:
        """Normalise a field while the specification is being made (``check`` only)."""
        object.__setattr__(self, name, value)

    # -- the protocol the model calls (sim.model.InterventionLike) ----------------------------
    def setup(self, model) -> None:
        """Check the name is unique, work out who is targeted, allocate roles and states,
        then ``prepare``."""
        clash = [iv for iv in model.interventions if iv is not self and iv.name == self.name]
        if clash:
            raise ValueError(f"two interventions are named {self.name!r}: give each a "
                             "distinct name (metric names are built from it)")
        n = model.pop.n
        self.targets = self._targets(model.pop)
        self.reached = np.zeros(n, dtype=bool)
        self.began = False
        self.ended = False
        self.delivery = Delivery()
        self._roles = {role.name: np.zeros(n, dtype=bool) for role in self.roles}
        for state in self.states:
            setattr(self, state.name, np.full(n, state.default, dtype=state.dtype))
        self._everyone = np.zeros(n, dtype=np.int64)  # one circle for everyone
        self._carries = type(self).carry is not Intervention.carry  # the base's does nothing
        self.prepare(model)

    def before_day(self, model, day) -> None:
        if self.active_on(day.day):
            if not self.began:
                self.began = True
                self._call(self.begin, model, day)
            self._call(self.apply, model, day)
        elif self.began and not self.ended:
            self.ended = True
            self._call(self.end, model, day)
            for mask in self._roles.values():
                mask[:] = False
        if self.began and self._carries:
            self._call(self.carry, model, day)

    def after_day(self, model, day) -> None:
        if self.active_on(day.day):
            self._call(self.after, model, day)

    def _call(self, hook, model, day) -> None:
        """Run a hook; a write to an outcome array (read-only while hooks run) is reported
        as the intervention's mistake, naming it."""
        try:
            hook(model, day)
        except ValueError as exc:
            if "read-only" not in str(exc):
                raise
            raise OutcomeWriteError(
                f"{self.name} ({type(self).__name__}.{hook.__name__}) tried to write an "
                "outcome array: interventions change levers only (meetings, hubs, "
                "sim.day.Levers, offers), and the rules decide outcomes") from exc

    def metrics(self) -> list[Metric]:
        """``<name>_reached`` (residents reached so far), ``<name>_organisers_strained`` and
        ``<name>_staff_in_post`` where the intervention has a staff-like role, and the type's
        own metrics."""
        words, doc = self.reached_words
        reached = Metric(
            f"{self.name}_reached", f"{self.label}: {words}", doc.format(label=self.label),
            "residents", "community", lambda model, day: self.n_reached(),
            higher_is_better=None, breakdown=False,
        )
        out = [reached]
        staff = [r for r in self.roles if r.staff]
        if staff:
            words = " and ".join(f"{r.label.lower()}s" for r in staff)
            out.append(self.community_metric(
                ORGANISERS_STRAINED, f"{words} under strain",
                f"The {words} of '{self.label}' whose strain from helping is at or above the "
                "strained level (helping has become too much), now.", "residents",
                lambda model, day: self.n_strained(model, staff), higher_is_better=False,
                now=True))
            # what the strained count is out of ("2.3 of 10 bridge figures"): the holders
            # now, as movers leave and (where the programme replaces them) others are found
            out.append(self.community_metric(
                STAFF_IN_POST, f"{words} in post",
                f"The {words} of '{self.label}' now (those who moved away are replaced only "
                "where the programme finds others).", "residents",
                lambda model, day: self.n_holding(staff), now=True))
        return [*out, *self.extra_metrics()]

    def role_masks(self) -> dict[str, np.ndarray]:
        """``{role name: bool array}`` of the residents holding each declared role now."""
        return getattr(self, "_roles", {})

    def residents_moved(self, rows: np.ndarray) -> None:
        """Newcomers took the rows of residents who moved away: the movers' roles and states
        go with them."""
        for mask in self._roles.values():
            mask[rows] = False
        for state in self.states:
            getattr(self, state.name)[rows] = state.default

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
        return 0 if reached is None else int(np.count_nonzero(reached))

    def n_strained(self, model, roles) -> int:
        """Holders of the given roles whose strain is at or above the strained level."""
        strained = model.pop.strain >= model.params.rules.strained_level
        return int(np.count_nonzero(self._holders(roles) & strained))

    def n_holding(self, roles) -> int:
        """Residents holding any of the given roles now."""
        return int(np.count_nonzero(self._holders(roles)))

    def _holders(self, roles) -> np.ndarray:
        holders = self._roles[roles[0].name]
        for r in roles[1:]:
            holders = holders | self._roles[r.name]
        return holders

    def reach(self, residents) -> None:
        """Count residents as reached by the intervention."""
        self.reached[np.asarray(residents, dtype=np.int64)] = True

    def role(self, name: str) -> np.ndarray:
        """The bool array of residents holding one of this intervention's declared roles
        (assign into it: ``self.role("organiser")[who] = True``)."""
        return self._roles[name]

    @property
    def acts_after(self) -> bool:
        """Whether the class fills the ``after`` hook (the model skips it otherwise)."""
        return type(self).after is not Intervention.after

    def circles(self, model, who: np.ndarray, k: int,
                group: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Who talks with whom at a gathering: ``who`` seated in one circle per ``group``
        value (group[i] per resident; default one circle), sections alternating, each
        talking with the next ``k`` (sim.rules.encounters.seat_in_circles)."""
        group = self._everyone if group is None else group
        return seat_in_circles(who, group, model.pop.section, k, self.rng)

    def community_metric(self, suffix: str, label: str, doc: str, unit: str, fn,
                         higher_is_better=None, now: bool = False) -> Metric:
        """A community metric named ``<name>_<suffix>``; ``fn(model, day)`` -> number: a
        count so far (conversations held), or with ``now`` the day's (residents under strain
        today), which the report's chart of counts says."""
        return Metric(f"{self.name}_{suffix}", f"{self.label}: {label}", doc, unit,
                      "community", fn, higher_is_better=higher_is_better, breakdown=False,
                      now=now)

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
    @classmethod
    def value_problems(cls, values: dict) -> list[tuple[str, str]]:
        """What is wrong with the values given (field name -> value, converted to its type;
        a field not given is absent), as (key inside the table, message) pairs. The loader
        calls it with the values that converted, before building, so each problem is
        reported at its own key alongside the file's others (a ValueError from ``check``
        only names the whole intervention, and only once nothing else is wrong)."""
        return []

    def check(self) -> None:
        """Once, when the specification is made: cross-field checks (raise ValueError)."""

    def prepare(self, model) -> None:
        """Once, at model build; must not change the model's state."""

    def begin(self, model, day) -> None:
        """Once, on the first day of the window, before ``apply``."""

    def apply(self, model, day) -> None:
        """Every day in the window, before the day's rules."""

    def carry(self, model, day) -> None:
        """Every day from the window's first day to the end of the run, after ``apply``:
        what the programme left in people acts through the day's levers."""

    def after(self, model, day) -> None:
        """Every day in the window, after the day's rules."""

    def end(self, model, day) -> None:
        """Once, on the first day after the window."""

    def extra_metrics(self) -> list[Metric]:
        return []

    def sends_joiners(self) -> bool:
        """Whether it sends residents to programmes that take joiners (``takes_joiners``)."""
        return False

    def idle_parts(self) -> list[tuple[str, str]]:
        """What the values given leave this programme doing, where that is less than its
        name says (a 1:1s programme with no conversations: its organisers only meet each
        other), as (key inside the table, plain words) pairs: ``run.py validate`` and the
        loader warn at each key (the file still runs; what it does is a choice). The base
        says each of :attr:`doses` at 0 or empty: it does nothing, and whether it is costed
        all the same."""
        out = []
        for field, missing in type(self).doses.items():
            value = getattr(self, field)
            if isinstance(value, tuple):
                if value:
                    continue
                given, fix = f"{field} is empty", f"list at least one in {field}"
            elif value == 0:
                given, fix = f"{field} = 0", f"give {field} above 0"
            else:
                continue
            out.append((field, f"'{self.label}' {missing} ({given}), so it does nothing"
                        + (", yet its cost is counted" if self.costed() else "")
                        + f"; {fix}, or remove this [[interventions]] table"))
        return out

    def idle_at_hubs(self, hubs: dict) -> list[tuple[str, str]]:
        """As :meth:`idle_parts`, where what it leaves undone depends on the community's hubs
        from day 0 (``hubs``: HubSpec by name): a third space adding days its hub already
        opens on. The loader warns at each key."""
        return []

    def idle_counts(self, others) -> set[str]:
        """Names of its metrics that cannot move beside ``others`` (the scenario's other
        interventions): the report's chart of counts leaves them out (a line at 0 that could
        be nothing else)."""
        return set()

    def hubs_opened(self) -> tuple[str, ...]:
        """Names of hubs this intervention opens during the run (others may refer to them)."""
        return ()

    def costed(self) -> bool:
        """Whether it uses any resource its cost counts (at 1,000 residents): what a warning
        that it does nothing says of its cost."""
        return any(v > 0 for v in self.resources(1000).values())

    def resources(self, n_residents: int) -> dict[str, float]:
        """Resources used per year of running, by name (staff_hours, venue_hours, events,
        training_places, small_grants_gbp: the names in data/unit_costs.toml), for a
        community of ``n_residents``. sim/costs.py prices them and counts only the days the
        intervention runs. One whose cost depends on a hub it runs in may also take the
        scenario's hubs, ``*, hubs`` (HubSpecs by name), as ThirdSpace does. The base uses
        nothing."""
        return {}

    def savings(self, n_residents: int) -> dict[str, float]:
        """Resources no longer used per year while it runs (a hub closed: a year of running
        it), by name as in :meth:`resources`. sim/costs.py prices them as savings, kept apart
        from the programme's cost (effects per GBP 10,000 divide by what is spent, not by
        what is spent net of a closure's saving). The base saves nothing."""
        return {}

Intervention = _declare(Intervention)

"""KindlinessModel: builds the community and runs the day in a documented order.

State lives in arrays (sim/population.py, sim/network.py, sim/places.py) and each daily
rule (sim/rules/) works on all residents at once. The Mesa face, ``Resident`` and ``Hub``
agents on a ``mesa.discrete_space.Network``, is a view onto those arrays, built on demand
(``face=True`` or ``model.build_face()``) for the visualiser and for inspection; the daily
rules never depend on it.
"""

from __future__ import annotations

import os
import zlib
from contextlib import contextmanager
from typing import Protocol

import mesa
import numpy as np
from mesa.time import Priority

from sim import mark_kernels_ready
from sim import metrics as metrics_mod
from sim.day import Day, Levers, OutcomeWriteError
from sim.metrics_table import MetricsTable
from sim.network import Street, Ties, budget_arg, build_street, build_ties
from sim.orientations import ProfileTable
from sim.params import ModelParams
from sim.places import Hubs
from sim.population import Population, build_population
from sim.rules import (
    asking,
    encounters,
    helping,
    ledger,
    moving,
    needs,
    noticing,
    reputation,
    trust,
    wellbeing,
    whole_day,
)
from sim.rules import ties as tie_rules

# named random streams: each is derived from the run's seed and its own number, so that
# adding an intervention (which draws from its own stream) does not reshuffle the network
STREAM_POPULATION = 1
STREAM_NETWORK = 2
STREAM_DAYS = 3
STREAM_MOVES = 4
STREAM_INTERVENTIONS = 1000
# structural changes are batched once a week: ties that formed are merged within the tie
# budget, ties not kept up fade, movers leave and newcomers arrive (a pass over all ties)
TIE_MAINTENANCE_INTERVAL_DAYS = 7


# the arrays interventions may read but never write: every resident's state, the ties, and
# what the day's rules have decided (who is active, who had contact, who asked, who helped).
# The model hands intervention hooks these arrays read-only (KindlinessModel.outcomes_closed):
# a write raises, so an intervention can act only through levers (sim.day.Levers, meetings,
# offers, hub schedules), never by deciding an outcome.
TIE_ARRAYS = ("src", "dst", "trust", "last_contact", "close", "indptr", "rev", "bridging")
DAY_ARRAYS = ("active", "contact", "needy", "asked", "offered", "acts_helper",
              "acts_recipient", "acts_edge", "acts_relief", "hub_visits")
# Hooks of the shipped intervention classes (sim.interventions.INTERVENTIONS) are checked by
# the test suite, which runs with this variable set to 1 (tests/conftest.py) and so runs every
# shipped scenario with the outcome arrays read-only; any other class (one a developer is
# writing) is always checked. Closing ~50 arrays and opening them again costs ~20 us a hook
# round at 1,000 residents, a few per cent of a day. Set it to 1 to check every run.
CHECK_OUTCOMES_ENV = "KINDLINESS_CHECK_OUTCOMES"
# the role the community itself has (pop.is_bridge); interventions declare their own
COMMUNITY_ROLES = {"community_bridge": "is_bridge"}


class InterventionLike(Protocol):
    """What the model asks of an intervention (sim/interventions/base.py implements it)."""

    name: str

    def setup(self, model: KindlinessModel) -> None: ...
    def before_day(self, model: KindlinessModel, day: Day) -> None: ...
    def after_day(self, model: KindlinessModel, day: Day) -> None: ...
    def metrics(self) -> list[metrics_mod.Metric]: ...
    # optional (the model does without them): roles held, and movers' rows to reset
    # def role_masks(self) -> dict[str, np.ndarray]: ...
    # def residents_moved(self, rows: np.ndarray) -> None: ...


class RuleKernels:
    """Each rule's numbers grouped once per model (named tuples the compiled kernels read by
    name, so that no kernel takes a row of floats that could silently swap)."""

    def __init__(self, params: ModelParams):
        p, start = params.rules, params.population.reputation_start
        self.needs = needs.NeedParams.of(p)
        self.chat = noticing.ChatParams.of(p)
        self.ask = asking.AskParams.of(p, start)
        self.help = helping.HelpParams.of(p)
        self.reputation = reputation.ReputationParams.of(p, start)
        self.trust = trust.TrustParams.of(p)
        self.ledger = ledger.LedgerParams.of(p)
        self.strain = wellbeing.StrainParams.of(p)
        self.loneliness = wellbeing.LonelinessParams.of(p)
        self.visits = encounters.VisitParams.of(p)


class KindlinessModel(mesa.Model):
    """A neighbourhood whose residents notice needs, ask for and give help, and build or lose
    trust, through their ties, hubs and bridge figures. One step is one day."""

    # the day's rules run in one compiled call (sim/rules/whole_day.py); False: one by one
    # (:meth:`rules_one_by_one`), the same results to the bit, about 0.1 ms a day slower
    whole_day: bool = True

    def __init__(self, params: ModelParams | None = None, *, seed: int = 0,
                 interventions=(), face: bool = False, days_hint: int = 800):
        super().__init__(rng=int(seed))
        # Mesa 3.5 steps a model through its event list: each step is an event that
        # schedules the next, with weak references, a heap and a log call, about 25 us a day
        # (6% of a 1,000-resident day). Days are this model's only recurring event, so it
        # moves Mesa's clock itself (:meth:`_next_day`); events scheduled through Mesa still run.
        self._default_schedule.stop()
        self.step = self._next_day
        self.params = params = params or ModelParams()
        self.seed = int(seed)
        self.day = 0
        self.rng_days = self.stream(STREAM_DAYS)
        self.rng_moves = self.stream(STREAM_MOVES)
        self.pop: Population = build_population(params, self.stream(STREAM_POPULATION))
        rng_network = self.stream(STREAM_NETWORK)
        self.street: Street = build_street(self.pop, rng_network)
        self.ties: Ties = build_ties(self.pop, params.network, rng_network, self.street)
        self.hubs = Hubs.build(params.hubs, list(self.pop.section_names), self.pop.n)
        self.profiles = ProfileTable(params.orientations)
        self.k = RuleKernels(params)
        shares = np.array([s.share for s in params.population.sections])
        self._share_own = shares[self.pop.section].astype(np.float32)
        self._p_need = (params.rules.p_need * np.array(
            [s.need_multiplier for s in params.population.sections]))[self.pop.section]
        self._pending_ties: list[tuple[np.ndarray, np.ndarray]] = []
        self._week_help: list[tuple[np.ndarray, np.ndarray]] = []
        self.change_per_resident = 0.0  # last week's newcomers and new cross ties, per resident
        self.moved_in_last_week = 0
        self.today: Day | None = None
        self.interventions = list(interventions)
        for i, iv in enumerate(self.interventions):
            iv.rng = self.stream(STREAM_INTERVENTIONS + i, iv.name)
            iv.setup(self)
        # only interventions that fill the after hook are called after the rules
        self._acting_after = [iv for iv in self.interventions
                              if getattr(iv, "acts_after", True)]
        self.check_outcomes = bool(self.interventions) and (
            os.environ.get(CHECK_OUTCOMES_ENV) == "1"
            or not all(_shipped(iv) for iv in self.interventions))
        extra = [m for iv in self.interventions for m in iv.metrics()]
        self.metrics = MetricsTable(
            self, list(metrics_mod.REGISTRY.values()) + extra, days_hint)
        self.metrics.record(self, None)
        self.face = None
        if face:
            self.build_face()

    # -- randomness ---------------------------------------------------------------------------
    def stream(self, number: int, name: str = "") -> np.random.Generator:
        """A named random stream derived from the run's seed (never Python's ``hash``)."""
        words = [self.seed, number] + ([zlib.crc32(name.encode())] if name else [])
        return np.random.default_rng(np.random.SeedSequence(words))

    # -- the day ------------------------------------------------------------------------------
    def _next_day(self) -> None:
        """Mesa's ``model.step()``: its clock (``time``, ``steps``) moves on by one and the
        day runs. When events have been scheduled through Mesa (``schedule_event``), the day
        joins them as Mesa's own step would: an event of high priority at the new time."""
        if self._event_list.is_empty():
            self.time += 1
            self._day()
        else:
            until = self.time + 1
            self.schedule_event(self._day, at=until, priority=Priority.HIGH)
            self._advance_time(until)

    def _day(self) -> None:
        self.steps += 1
        self._user_step()

    def step(self) -> None:
        """One day, in this order (docs/MODEL.md, "The day"):

        1. interventions set the day's levers and arrange meetings;
        2. needs arrive (short needs, and needs of residents in a caring episode);
        3. residents have contact outside the neighbourhood; they chat with their ties, and
           ties notice needs in those chats; some bump into a near neighbour at the door;
           bridge figures introduce people; residents visit hubs and talk with others there
           (fewer conversations when a hub is crowded);
        4. encounters make contact, move group trust and surface needs, and now and then
           leave a new tie;
        5. residents in need decide whether to ask, and whom;
        6. offered helpers decide (declined needs may be passed on to a known helper); help
           relieves need, costs energy and adds strain;
        7. observers update reputations; trust updates from help, refusal and change;
        8. ledgers update indebtedness and resentment;
        9. energy recovers and strain fades, or a strained resident steps back; loneliness,
           attachment and self-reliance update; some needs resolve elsewhere;
        10. once a week: movers leave and newcomers arrive, ties formed are merged within the
            tie budget, ties help flowed along become close, unused ties fade;
        11. metrics are recorded.
        """
        self.day += 1
        pop = self.pop
        day = Day(self.day, weekday=(self.day - 1) % 7, active=pop.active(self.day),
                  contact=np.zeros(pop.n, dtype=bool),
                  levers=Levers(hub_palatability_boost=np.zeros(self.hubs.n)))
        self.today = day
        if self.interventions:
            self._hooks(self.interventions, "before_day", day)

        if self.whole_day:
            whole_day.run_rules(self, day)
        else:
            self.rules_one_by_one(day)

        self._maintain_ties(day, self.rng_days)
        if self._acting_after:
            self._hooks(self._acting_after, "after_day", day)
        self.metrics.record(self, day)

    def rules_one_by_one(self, day: Day) -> None:
        """Steps 2-9 of the day (:meth:`step`), each rule called in turn: the readable
        sequence, and the reference for sim/rules/whole_day.py, which runs the same kernels
        in one compiled call (``whole_day``, the default; tests compare the two bit for
        bit)."""
        p, k, pop, ties, prof = self.params.rules, self.k, self.pop, self.ties, self.profiles
        rng = self.rng_days
        needs.arrive_needs(pop, self._p_need, k.needs, self.day, rng)
        wellbeing.contact_outside(pop, day, rng)
        noticing.chat_and_notice(pop, ties, k.chat, prof.notice_multiplier, day, rng)
        encounters.meet_on_the_street(pop, self.street, p.p_doorstep, self.params.network,
                                      p.doorstep_palatability, day, rng)
        tie_rules.introduce_across_sections(pop, ties, p.p_bridge_introduce,
                                            p.introduction_palatability, day, rng)
        preference = self.hubs.preference(len(pop.section_names), p)
        where = encounters.visit_hubs(pop, self.hubs, k.visits, preference,
                                      prof.hub_visit_multiplier, day, rng)
        encounters.pair_visitors(where, self.hubs, p.encounters_per_visit, day, rng)

        meetings = day.meetings()
        encounters.make_contact(pop, ties, meetings, day)
        trust.learn_trust_from_contact(pop, meetings, prof, k.trust)
        encounters.surface_needs_in_meetings(pop, ties, meetings, p.p_notice_at_hub,
                                             prof.notice_multiplier, day, rng)
        tie_rules.form_ties_from_meetings(ties, meetings, p.p_tie_per_meeting, day, rng)

        asking.decide_to_ask(pop, ties, prof.ask_multiplier, k.ask, day, rng)
        helping.decide_to_help(pop, ties, prof, k.help, day, rng)
        helping.give_help(pop, k.help, day)

        reputation.update_reputation(pop, k.reputation, day, rng)
        trust.learn_trust_from_help(pop, ties, k.trust, day)
        trust.feel_threat_from_change(pop, prof, k.trust, self.change_per_resident)
        trust.relax_group_trust(pop, k.trust, self._share_own)
        ledger.settle_ledgers(pop, prof, k.ledger, day)

        wellbeing.recover_and_step_back(pop, prof, k.strain, day, rng)
        wellbeing.update_loneliness(pop, ties, k.loneliness, day)
        wellbeing.update_attachment(pop, p, day, meetings, self.hubs)
        wellbeing.relax_self_reliance(pop, prof, p, day)
        needs.resolve_needs_elsewhere(pop, p.p_need_resolves, rng)

    def _hooks(self, interventions, hook: str, day: Day) -> None:
        """Call ``hook`` of each intervention, in order, with the outcomes closed to them
        (:meth:`outcomes_closed`). Unless the arrays are checked, only ties by fiat are
        refused, without the context manager (a few us a day, two rounds a day)."""
        if self.check_outcomes:
            with self.outcomes_closed(day):
                for iv in interventions:
                    getattr(iv, hook)(self, day)
            return
        day.ties_closed = True
        try:
            for iv in interventions:
                getattr(iv, hook)(self, day)
        finally:
            day.ties_closed = False

    @contextmanager
    def outcomes_closed(self, day: Day | None = None):
        """While inside, every outcome array (each resident's state, the ties, the day's
        results: TIE_ARRAYS, DAY_ARRAYS) is read-only and no tie can be queued by fiat, so
        that a hook that writes one raises; on leaving, they are writable again and any
        array that was swapped for another raises :class:`OutcomeWriteError`. The arrays
        are closed only when ``check_outcomes`` (CHECK_OUTCOMES_ENV); ties by fiat are
        refused always."""
        held = self._outcome_arrays() if self.check_outcomes else []
        if day is not None and self.check_outcomes:
            held = held + [(day, name, getattr(day, name)) for name in DAY_ARRAYS
                           if isinstance(getattr(day, name), np.ndarray)]
        for _, _, arr in held:
            arr.setflags(write=False)
        if day is not None:
            day.ties_closed = True
        try:
            yield
        finally:
            for _, _, arr in held:
                arr.setflags(write=True)
            if day is not None:
                day.ties_closed = False
        swapped = [name for owner, name, arr in held if getattr(owner, name) is not arr]
        if swapped:
            raise OutcomeWriteError(
                f"an intervention replaced {', '.join(swapped)}: interventions may read "
                "outcomes but change only levers (sim.day.Levers, meetings, offers, hubs)")

    def _outcome_arrays(self) -> list:
        """(owner, name, array) of the residents' and the ties' arrays: every one is
        writable outside hooks (the rules write them), and kept until the ties merge."""
        cached = getattr(self, "_outcomes", None)
        if cached is None or cached[0] is not self.ties.src:
            held = [(self.pop, name, getattr(self.pop, name))
                    for name in self.pop.array_names()]
            held += [(self.ties, name, getattr(self.ties, name)) for name in TIE_ARRAYS]
            self._outcomes = cached = (self.ties.src, held)
        return cached[1]

    def roles(self) -> dict[str, np.ndarray]:
        """Who holds each role today: ``{role name: bool array over residents}``, from the
        community's own bonders and bridges and from every intervention's declared roles
        (an intervention's role is held only while it runs). Agents, the visualiser and
        tests read roles here."""
        out = {role: getattr(self.pop, column).copy()
               for role, column in COMMUNITY_ROLES.items()}
        for iv in self.interventions:
            for role, mask in getattr(iv, "role_masks", dict)().items():
                out[role] = out[role] | mask if role in out else mask.copy()
        return out

    def _maintain_ties(self, day: Day, rng) -> None:
        """Once a week: movers leave and newcomers arrive (sim/rules/moving.py); the ties
        that formed during the week are merged, in a random order, within everyone's tie
        budget; ties that help flowed along become close; unused ties fade (batched:
        rebuilding the sorted edge arrays costs a pass over all ties)."""
        self._pending_ties.extend(day.new_ties)
        if len(day.acts_helper):
            self._week_help.append((day.acts_helper, day.acts_recipient))
        self.change_per_resident = 0.0
        if self.day % TIE_MAINTENANCE_INTERVAL_DAYS:
            return
        p, net, pop, ties = self.params.rules, self.params.network, self.pop, self.ties
        movers = moving.move_out_and_in(pop, ties, self.params,
                                        TIE_MAINTENANCE_INTERVAL_DAYS, self.day,
                                        self.rng_moves)
        moved = pop.arrived_day == self.day
        self.moved_in_last_week = int(np.count_nonzero(moved))
        if self.moved_in_last_week:
            rows = np.flatnonzero(moved)
            for iv in self.interventions:  # roles and states are the mover's, not the row's
                if hasattr(iv, "residents_moved"):
                    iv.residents_moved(rows)
        help_pairs, self._week_help = self._week_help, []
        pending, self._pending_ties = self._pending_ties, []
        if self.whole_day:
            new_cross = tie_rules.merge_the_week(
                ties, pop, *_joined(help_pairs), *_joined(pending), movers, moved,
                net.close_tie_budget, p.tie_fade_days, p.p_tie_fade_per_week,
                p.close_fade_days, budget_arg(net.tie_budget),
                self.day, rng)
        else:
            new_cross = self._merge_the_week_one_by_one(help_pairs, pending, movers, moved, rng)
        self.change_per_resident = (new_cross + self.moved_in_last_week) / pop.n

    def _merge_the_week_one_by_one(self, help_pairs, pending, movers, moved, rng) -> int:
        """The week's ties after the moves, step by step (the reference for
        sim.rules.ties.merge_the_week): ties help flowed along become close, unused ties
        fade, the movers' ties go and the week's new ties are merged in a random order within
        the budget. Returns the number of new ties across sections."""
        p, net, pop, ties = self.params.rules, self.params.network, self.pop, self.ties
        if help_pairs:
            tie_rules.promote_helping_ties(ties, *_joined(help_pairs), net.close_tie_budget,
                                           moved)
        drops = tie_rules.fade_unused_ties(ties, p.tie_fade_days, p.p_tie_fade_per_week,
                                           p.close_fade_days, self.day, rng)
        drops = np.concatenate([drops, movers])
        u, v, start_trust = tie_rules.pairs_to_merge(pop, *_joined(pending), moved)
        if len(u):
            order = rng.permutation(len(u))
            u, v, start_trust = u[order], v[order], start_trust[order]
        if len(u) or len(drops):
            added_u, added_v = ties.merge(u, v, start_trust, drops, pop.section, self.day,
                                          budget=net.tie_budget)
            new_cross = int((pop.section[added_u] != pop.section[added_v]).sum())
        else:
            new_cross = 0
        return new_cross

    # -- running ------------------------------------------------------------------------------
    def run_days(self, n_days: int) -> None:
        """Advance ``n_days`` days (Mesa's clock moves with them)."""
        for _ in range(n_days):
            self.step()

    def metrics_frame(self):
        return self.metrics.frame()

    # -- Mesa face ----------------------------------------------------------------------------
    def build_face(self):
        """Build the Mesa view: a ``Network`` space of the current ties, a ``Resident`` per
        resident in its cell and a ``Hub`` per hub. Costs about 2 KB per resident; built for
        the visualiser and for inspection, never needed by the daily rules."""
        from sim.agents import build_face

        if self.face is None:
            self.face = build_face(self)
        return self.face

    @property
    def grid(self):
        """The Mesa ``Network`` space (built on first use)."""
        return self.build_face().space


def _shipped(intervention) -> bool:
    """Whether ``intervention`` is of a shipped class (its hooks checked by the tests)."""
    from sim.interventions import INTERVENTIONS

    return INTERVENTIONS.get(getattr(intervention, "type_name", None)) is type(intervention)


# the warm-up's community with one of every intervention: large enough for each to act at its
# default dose (creative citizens' paired groups need about 250 residents), for long enough
# to act on its own schedule (weekly calls and fills, monthly reviews, action meetings)
WARM_UP_PROGRAMME_RESIDENTS = 500
WARM_UP_PROGRAMME_DAYS = 5 * TIE_MAINTENANCE_INTERVAL_DAYS


def compile_rules() -> float:
    """Compile (or load from numba's on-disk cache) every daily rule and every shipped
    intervention's kernels, by running a tiny community for a week and a day, and another with
    one of every intervention acting from its first day; returns the seconds it took. The
    first call after an install or an edit takes 20-30 s; later ones, in any process, a
    fraction of a second. Servers call it before their first visitor, so that nobody waits on
    a first step, or on a programme's first day (4 s at the combined package's day 90 when
    its kernels were compiled then); jobs call it before their workers are forked, which
    then start with every kernel loaded."""
    import time

    from sim.interventions import INTERVENTIONS
    from sim.params import PopulationParams

    start = time.perf_counter()
    tiny = ModelParams(population=PopulationParams(n_residents=60))
    KindlinessModel(tiny, seed=0).run_days(TIE_MAINTENANCE_INTERVAL_DAYS + 1)
    small = ModelParams(population=PopulationParams(n_residents=WARM_UP_PROGRAMME_RESIDENTS))
    every = [cls(start_day=1) for cls in INTERVENTIONS.values()]
    KindlinessModel(small, seed=0, interventions=every).run_days(WARM_UP_PROGRAMME_DAYS)
    mark_kernels_ready()
    return time.perf_counter() - start


def _joined(pairs: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """The first arrays of ``pairs`` joined, and the second (int64; empty for none)."""
    if not pairs:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return (np.concatenate([x for x, _ in pairs]).astype(np.int64, copy=False),
            np.concatenate([y for _, y in pairs]).astype(np.int64, copy=False))

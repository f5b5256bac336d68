"""Interventions: each moves its target outcome against its reference over paired seeds, and
the effect arrives through its mechanism (with the mechanism switched off, it is gone); none
changes anything before its start day; reach stops at the end day, roles end with the window,
and what a programme leaves behind fades; targeting is respected; each records its own
metrics; specifications stay immutable.

Effects are measured on the shipped scenario files (scenarios/<type>.toml), shortened for
speed: EFFECT_RESIDENTS residents for EFFECT_DAYS days, the interventions moved to start on
EFFECT_START_DAY, over the same EFFECT_SEEDS for reference and intervention. An effect is the
final-quarter mean of a metric, intervention minus reference, per seed; the test requires its
mean to lie at least the stated number of standard errors of that paired difference on the
expected side of zero. The reference is the baseline, except for the critical friend, whose
scenario is the combined package with critical friends added: its reference is the package.
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import FrozenInstanceError
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from sim.interventions import INTERVENTIONS
from sim.interventions.base import Intervention
from sim.metrics import CORE_METRICS
from sim.model import KindlinessModel
from sim.params import ORIENTATIONS, ModelParams, PopulationParams
from sim.scenario.loader import load_scenario

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
EFFECT_RESIDENTS = 400
EFFECT_DAYS = 260
EFFECT_START_DAY = 20
EFFECT_SEEDS = tuple(range(11, 35))  # 24 paired seeds
ALL_SEEDS = len(EFFECT_SEEDS)
OFF_SEEDS = 12  # mechanism-off comparisons use the first 12 of them
REFERENCE = {"critical_friend": "combined_package.toml"}

# (type, metric, expected sign, tolerance in standard errors of the paired difference). The
# weakest measured 2.8-3.6 SE over 12 seeds (unmet need, help-seeking) and are held to 2 SE
# over 24; the others measured 5 SE or more and are held to 3 SE.
TARGETS = [
    ("palatable_activity", "help_seeking_rate", +1, 2.0),
    ("palatable_activity", "unmet_need", -1, 2.0),
    ("palatable_activity", "trust_out_group", +1, 3.0),
    ("bridge_figures", "bridging_ties_share", +1, 3.0),
    ("bridge_figures", "trust_out_group", +1, 3.0),
    # the story's norms take many months to show at this size (at 1,000 residents over two
    # years, needs reaching someone +2.1 points: docs/MODEL.md); the events' contact and
    # visits show sooner. The norm path is tested below at a larger dose.
    ("shared_myth", "trust_out_group", +1, 3.0),
    ("shared_myth", "belonging_share", +1, 2.0),
    ("common_cause", "trust_out_group", +1, 3.0),
    ("common_cause", "trust_gap", -1, 3.0),
    # a hub's conversations with strangers are contact but not relief from loneliness, so a
    # new hub or a closed one moves loneliness little (docs/MODEL.md, "Closing a hub"); what
    # they move is meeting across sections
    ("third_space", "trust_out_group", +1, 3.0),
    # small under issue 9's skewed hub visiting (most visits are a few regulars'): +0.4
    # points, 2.7 SE over these seeds, so held to 2 SE like the other small effects
    ("third_space", "belonging_share", +1, 2.0),
    ("hub_closure", "trust_out_group", -1, 3.0),
    ("hub_closure", "belonging_share", -1, 3.0),
    ("one_to_ones", "trust_out_group", +1, 3.0),
    ("one_to_ones", "trust_gap", -1, 2.0),
    ("creative_citizens", "trust_out_group", +1, 3.0),
    ("creative_citizens", "trust_gap", -1, 2.0),
    # on top of the whole package, what a critical friend adds is small (2.4 SE measured)
    ("critical_friend", "trust_out_group", +1, 2.0),
]

# (type, metric, switch[, dose]): the switch turns the mechanism off. "rules.x" changes a rule for
# reference and intervention alike; any other key changes the intervention. With the switch
# on, the effect must be within OFF_Z standard errors of zero, and the effect with the
# mechanism working must exceed it by at least DROP_Z standard errors of the paired drop
# (same seeds).
OFF_Z = 3.0
DROP_Z = 2.0
MECHANISMS = [
    # needs surface with palatability: no reframing, no palatable sessions, no extra help-seeking
    ("palatable_activity", "help_seeking_rate",
     {"palatability_boost": 0.0, "session_palatability": 0.0}),
    # introductions leave ties only through the tie rule
    ("bridge_figures", "bridging_ties_share", {"rules.p_tie_per_meeting": 0.0}),
    # the story helps through the perceived norms the helping and asking rules read (events
    # every two weeks for 150 in 1,000, so that the norm path shows at this size) ...
    ("shared_myth", "help_given", {"help_norm_shift": 0.0, "ask_norm_shift": 0.0},
     {"every_days": 14, "places_per_event": 150}),
    # ... and belonging is never written: it moves only through visits and help (the
    # attachment rule); with those gains off, the story leaves belonging exactly as it was
    ("shared_myth", "belonging_share",
     {"rules.attachment_gain_visit": 0.0, "rules.attachment_gain_help": 0.0}),
    ("common_cause", "trust_out_group", {"contact_weight": 0.0}),
    ("third_space", "trust_out_group", {"rules.contact_trust_gain": 0.0}),
    ("hub_closure", "trust_out_group", {"rules.contact_trust_gain": 0.0}),
    ("creative_citizens", "trust_out_group", {"contact_weight": 0.0}),
    ("one_to_ones", "trust_out_group", {"rules.contact_trust_gain": 0.0}),
    # a critical friend whose challenges are never taken up changes nothing: the package
    # runs exactly as without the friend
    ("critical_friend", "trust_out_group", {"p_taken_up": 0.0}),
]


def short(scenario, start_day=EFFECT_START_DAY, rules=(), fields=()):
    """The scenario at test size, its interventions moved to ``start_day``, with rule and
    intervention overrides ((name, value) pairs; intervention fields apply where they
    exist)."""
    scenario = scenario.with_overrides(residents=EFFECT_RESIDENTS, days=EFFECT_DAYS)
    model = dataclasses.replace(scenario.model,
                                rules=dataclasses.replace(scenario.model.rules, **dict(rules)))
    moved = tuple(dataclasses.replace(iv, start_day=start_day,
                                      **{k: v for k, v in fields if hasattr(iv, k)})
                  for iv in scenario.interventions)
    return dataclasses.replace(scenario, model=model, interventions=moved)


def outcomes(scenario_file: str, rules=(), fields=(), n_seeds=ALL_SEEDS
             ) -> dict[str, np.ndarray]:
    """Final-quarter means of every core metric and ask_rate, one value per seed (the first
    ``n_seeds`` of EFFECT_SEEDS; runs are shared between calls)."""
    if not rules and not fields and n_seeds < len(EFFECT_SEEDS):
        return {k: v[:n_seeds] for k, v in _outcomes(scenario_file, (), (),
                                                     len(EFFECT_SEEDS)).items()}
    return _outcomes(scenario_file, rules, fields, n_seeds)


@cache
def _outcomes(scenario_file: str, rules, fields, n_seeds) -> dict[str, np.ndarray]:
    scenario = short(load_scenario(SCENARIOS / scenario_file), rules=rules, fields=fields)
    rows = []
    for seed in EFFECT_SEEDS[:n_seeds]:
        model = scenario.build_model(seed)
        model.run_days(EFFECT_DAYS)
        last_quarter = slice(model.metrics.n_rows - EFFECT_DAYS // 4, None)
        rows.append({m: float(np.nanmean(model.metrics.column(m)[last_quarter]))
                     for m in (*CORE_METRICS, "ask_rate")})
    return {k: np.array([r[k] for r in rows]) for k in rows[0]}


def effects(kind, metric, rules=(), fields=(), n_seeds=ALL_SEEDS) -> np.ndarray:
    """The type's scenario minus its reference, one paired difference per seed."""
    return (outcomes(f"{kind}.toml", rules, fields, n_seeds)[metric]
            - outcomes(REFERENCE.get(kind, "baseline.toml"), rules, (), n_seeds)[metric])


def mean_se(diff: np.ndarray) -> tuple[float, float]:
    return float(diff.mean()), float(diff.std(ddof=1) / np.sqrt(len(diff)))


def paired(kind, metric, **kwargs):
    """(mean effect, its standard error) of the type's scenario against its reference."""
    return mean_se(effects(kind, metric, **kwargs))


@pytest.mark.parametrize(("kind", "metric", "sign", "z_min"), TARGETS,
                         ids=[f"{k}-{m}" for k, m, _, _ in TARGETS])
def test_intervention_moves_its_target_against_the_reference(kind, metric, sign, z_min):
    effect, se = paired(kind, metric)
    assert se > 0, "paired differences are all equal: the seeds are not doing their job"
    assert sign * effect >= z_min * se, (
        f"{kind}: {metric} moved {effect:+.4f} (paired SE {se:.4f}); expected at least "
        f"{z_min} SE {'up' if sign > 0 else 'down'}")


@pytest.mark.parametrize(("kind", "metric", "switch", "dose"),
                         [(*m, {})[:4] for m in MECHANISMS],
                         ids=[f"{m[0]}-{m[1]}" for m in MECHANISMS])
def test_with_its_mechanism_switched_off_the_effect_is_gone(kind, metric, switch, dose):
    """``dose`` (intervention fields, for both runs) makes a slow mechanism show."""
    rules = tuple((k.split(".", 1)[1], v) for k, v in switch.items() if k.startswith("rules."))
    fields = tuple((k, v) for k, v in switch.items() if not k.startswith("rules."))
    dosed = tuple(dose.items())
    on = effects(kind, metric, (), dosed, n_seeds=OFF_SEEDS)
    off = effects(kind, metric, rules, dosed + fields, n_seeds=OFF_SEEDS)
    (m_on, _), (m_off, se_off) = mean_se(on), mean_se(off)
    drop, se_drop = mean_se(np.sign(m_on) * (on - off))
    message = (f"{kind}: with {switch} the effect on {metric} is {m_off:+.4f} (SE "
               f"{se_off:.4f}); with the mechanism working it is {m_on:+.4f}")
    assert abs(m_off) <= OFF_Z * se_off, message
    if not off.any():
        return  # exactly no effect, seed by seed: the target test shows the effect with it
    assert drop >= DROP_Z * se_drop and drop > 0, message


# -- windows ----------------------------------------------------------------------------------

def small_params(n=300) -> ModelParams:
    return ModelParams(population=PopulationParams(n_residents=n))


def state(model) -> dict[str, np.ndarray]:
    pop, ties, hubs = model.pop, model.ties, model.hubs
    out = {name: getattr(pop, name).copy() for name in pop.array_names()}
    out |= {f"ties.{a}": getattr(ties, a).copy() for a in ("src", "dst", "trust",
                                                            "last_contact")}
    # the registry's columns (interventions' own metrics come after them)
    width = len(model.metrics.columns) - sum(len(iv.metrics()) for iv in model.interventions)
    out |= {"hubs.closed": hubs.closed.copy(), "hubs.open_days": hubs.open_days.copy(),
            "metrics": model.metrics.values[: model.metrics.n_rows, :width].copy()}
    return out


def differs(a: dict, b: dict) -> list[str]:
    return [k for k in a if a[k].shape != b[k].shape or not np.array_equal(a[k], b[k],
                                                                             equal_nan=True)]


@pytest.mark.parametrize("kind", sorted(set(INTERVENTIONS) - {"critical_friend"}))
def test_nothing_changes_before_the_start_day(kind):
    start = 15
    base = KindlinessModel(small_params(), seed=3)
    model = KindlinessModel(small_params(), seed=3,
                            interventions=[INTERVENTIONS[kind](start_day=start)])
    base.run_days(start - 1)
    model.run_days(start - 1)
    assert differs(state(base), state(model)) == []
    assert model.metrics.column(f"{kind}_reached").max() == 0
    base.run_days(14)  # ... and the comparison can see a difference once it starts
    model.run_days(14)
    assert differs(state(base), state(model)) != []


def test_a_critical_friend_alone_changes_nothing_at_all():
    """The critical friend works only through the programmes it challenges: alone, the
    community is the baseline's, day for day, while the friends are elected and review."""
    base = KindlinessModel(small_params(), seed=3)
    friend = INTERVENTIONS["critical_friend"](start_day=5, friends=3, reviews_per_month=8)
    model = KindlinessModel(small_params(), seed=3, interventions=[friend])
    base.run_days(90)
    model.run_days(90)
    assert differs(state(base), state(model)) == []
    assert friend.n_reached() == 3 and model.roles()["critical_friend"].sum() == 3
    assert model.metrics.column("critical_friend_challenges")[-1] == 0  # nobody to challenge


def test_a_critical_friend_changes_how_the_other_programmes_are_delivered():
    activity = INTERVENTIONS["palatable_activity"](start_day=5)
    friend = INTERVENTIONS["critical_friend"](start_day=5, friends=2, reviews_per_month=4,
                                              p_taken_up=1.0, practice_half_life_days=10_000)
    model = KindlinessModel(small_params(), seed=3, interventions=[activity, friend])
    model.run_days(60)
    assert activity.delivery.outreach > 0.9 and activity.delivery.framing > 0.9
    assert friend.taken_up == friend.challenges > 0
    assert friend.teams == [activity]


@pytest.mark.parametrize("kind", sorted(INTERVENTIONS))
def test_reach_stops_growing_after_the_end_day(kind):
    start, end = 5, 40
    iv = INTERVENTIONS[kind](start_day=start, end_day=end)
    model = KindlinessModel(small_params(), seed=4, interventions=[iv])
    model.run_days(70)
    reached = model.metrics.column(f"{kind}_reached")  # row d is day d
    assert reached[start - 1] == 0
    assert reached[end] > 0
    assert np.all(reached[end:] == reached[end])
    assert iv.window(70) == (start, end)
    assert INTERVENTIONS[kind](start_day=0).window(70) == (1, 70)


def test_ending_undoes_what_must_be_undone_and_roles_end_with_the_window():
    opened = INTERVENTIONS["third_space"](start_day=2, end_day=10)
    closed = INTERVENTIONS["hub_closure"](start_day=2, end_day=10, hub="cafe")
    figures = INTERVENTIONS["bridge_figures"](start_day=2, end_day=10, choose_by="random")
    organising = INTERVENTIONS["one_to_ones"](start_day=2, end_day=10)
    model = KindlinessModel(small_params(), seed=5,
                            interventions=[opened, closed, figures, organising])
    usual_bridges = model.pop.is_bridge.copy()
    model.run_days(5)
    roles = model.roles()
    assert not model.hubs.closed[opened.index] and model.hubs.closed[closed.index]
    assert roles["bridge_figure"][figures.recruits].all() and len(figures.recruits) > 0
    assert roles["organiser"].sum() == 3  # 10 per 1,000 of 300
    assert (model.today.levers.introducers[figures.recruits]
            | ~model.today.active[figures.recruits]).all()
    model.run_days(10)
    roles = model.roles()
    assert model.hubs.closed[opened.index] and not model.hubs.closed[closed.index]
    assert not roles["bridge_figure"].any()  # the programme's, once it has ended
    np.testing.assert_array_equal(roles["community_bridge"], usual_bridges)
    assert roles["organiser"].sum() == 0
    assert model.today.levers.introducers is None


def test_roles_and_states_go_with_residents_who_move_away():
    organising = INTERVENTIONS["one_to_ones"](start_day=1, organisers=100)
    model = KindlinessModel(small_params(), seed=5, interventions=[organising])
    model.run_days(6)
    org = np.flatnonzero(model.roles()["organiser"])
    committed = np.flatnonzero(organising.committed_until >= model.day)
    assert len(org) == 30 and len(committed) > 0
    organising.residents_moved(np.array([org[0], committed[0]]))
    assert not model.roles()["organiser"][org[0]]
    assert organising.committed_until[committed[0]] < 0
    model.run_days(2)  # Monday: the organiser who left is replaced
    assert model.roles()["organiser"].sum() == 30


def test_organisers_are_recruited_to_the_planned_number_past_the_preferred():
    """When the preferred orientations run out, the rest of the organisers come from anyone
    else: the planned number, none of them picked twice (a second round that could pick
    again those the first just recruited left the team short)."""
    organising = INTERVENTIONS["one_to_ones"](start_day=2, organisers=600,
                                              organiser_orientations=("activist",))
    model = KindlinessModel(small_params(), seed=3, interventions=[organising])
    activists = int((model.pop.orientation == ORIENTATIONS.index("activist")).sum())
    model.run_days(2)  # a Tuesday: the first recruitment, not yet a Monday's topping up
    org = model.roles()["organiser"]
    assert activists < 180  # the preferred alone are too few
    assert org.sum() == 180
    assert (org & (model.pop.orientation == ORIENTATIONS.index("activist"))).sum() == activists


def test_commitments_outlive_the_organisers_and_then_lapse():
    days = 28
    organising = INTERVENTIONS["one_to_ones"](start_day=1, end_day=30, commitment_days=days,
                                              organisers=50)
    model = KindlinessModel(small_params(), seed=6, interventions=[organising])
    model.run_days(31)  # the first day after the window: organisers gone, commitments live
    live = organising.committed_until >= model.day
    assert model.roles()["organiser"].sum() == 0 and live.sum() > 0
    visit = 1 + ["join", "visit", "ask", "offer"].index("visit")
    visiting = np.flatnonzero(live & (organising.commitment == visit))
    assert (model.today.levers.visit_multiplier[visiting] == organising.commitment_effect).all()
    model.run_days(days)
    assert not (organising.committed_until >= model.day).any()
    assert np.ndim(model.today.levers.visit_multiplier) == 0  # no lever left to move


def test_joiners_from_one_to_ones_come_while_committed_and_fill_only_vacant_places():
    """A user check: residents who committed to join a common-cause project in a 1:1 became
    members for good, so the cohort planned (and costed) at 60 per 1,000 grew to 211 by the
    end of year two. The project holds its planned places: joiners come to its sessions
    while their commitment lasts and take a place only when one falls vacant."""
    days = 21
    organising = INTERVENTIONS["one_to_ones"](start_day=1, organisers=20, commitment_days=days,
                                              commitments=("join",), p_commitment=0.5)
    project = INTERVENTIONS["common_cause"](start_day=1, members=60)
    model = KindlinessModel(small_params(), seed=4, interventions=[organising, project])
    committed, guests_seen = [0], set()
    for _ in range(300):
        model.step()
        committed.append(organising.committed)  # every commitment here is to join
        guests = np.flatnonzero((project.guest_until >= model.day) & ~project.member)
        guests_seen.update(guests.tolist())
        assert project.member.sum() <= project.planned == 18
        # only those who committed in the commitment's days come without a place
        assert (project.guest_until[guests] <= model.day + days).all()
        assert len(guests) <= committed[-1] - committed[max(0, len(committed) - 2 - days)]
    assert project.joined > 60 and len(guests_seen) > 30  # many joined over the year ...
    lapsed = [g for g in guests_seen if project.guest_until[g] < model.day]
    assert lapsed and not project.member[lapsed].all()  # ... and most left when it lapsed
    assert (project.member & model.pop.active(model.day)).sum() == 18


def test_a_story_heard_fades_after_the_events_stop():
    myth = INTERVENTIONS["shared_myth"](start_day=1, end_day=60, every_days=14,
                                       memory_half_life_days=30)
    model = KindlinessModel(small_params(), seed=7, interventions=[myth])
    model.run_days(60)
    carrying = model.metrics.column("shared_myth_carrying_story")
    held = myth.story.copy()
    model.run_days(30)
    stayed = model.pop.arrived_day <= 60  # a newcomer in a mover's row has heard nothing
    np.testing.assert_allclose(myth.story[stayed], held[stayed] * 0.5, rtol=1e-4)
    assert (myth.story[~stayed] <= held[~stayed]).all()
    after = model.metrics.column("shared_myth_carrying_story")
    assert after[-1] < carrying[60] and carrying[60] > 0


def test_an_ended_programme_fades_through_the_rules():
    """The shipped one-year project (common_cause_one_year.toml) over paired seeds: its
    effect on trust in other groups at the end of the year, and how much of it is left
    four weeks and nine months later. Not gone at once (ties and trust decay at their own
    rates), but gone in time (trust relaxes toward each resident's prior)."""
    scenario = load_scenario(SCENARIOS / "common_cause_one_year.toml").with_overrides(
        residents=EFFECT_RESIDENTS, days=730)
    base = load_scenario(SCENARIOS / "baseline.toml").with_overrides(
        residents=EFFECT_RESIDENTS, days=730)
    [project] = scenario.interventions
    end = project.end_day

    def windows(sc):
        rows = []
        for seed in EFFECT_SEEDS[:12]:
            model = sc.build_model(seed)
            model.run_days(730)
            x = model.metrics.column("trust_out_group")
            rows.append([x[end - 55:end + 1].mean(), x[end + 1:end + 29].mean(),
                         x[end + 240:end + 276].mean()])
        return np.array(rows)

    diff = windows(scenario) - windows(base)
    mean, se = diff.mean(axis=0), diff.std(axis=0, ddof=1) / np.sqrt(len(diff))
    at_end, just_after, later = mean
    assert at_end >= 3 * se[0], (mean, se)
    assert just_after >= 0.5 * at_end, "the effect vanished the day the money stopped"
    faded = diff[:, 0] - diff[:, 2]
    assert faded.mean() >= 3 * faded.std(ddof=1) / np.sqrt(len(faded)), (mean, se)
    assert later < 0.3 * at_end


def test_extended_opening_adds_days_then_restores_them():
    iv = INTERVENTIONS["third_space"](start_day=1, end_day=8, extend_hub="garden",
                                      extra_open_days=("wed",))
    model = KindlinessModel(small_params(), seed=6, interventions=[iv])
    garden = model.hubs.index("garden")
    model.run_days(3)
    assert model.hubs.open_days[garden].tolist() == [False, False, True, False, False, True,
                                                     True]
    model.run_days(7)
    assert model.hubs.open_days[garden].tolist() == [False] * 5 + [True, True]


def test_a_targeted_third_space_draws_out_only_the_targeted():
    """A user check: a new hub with ``target_sections`` ran exactly as the same hub without
    them, but for its count of residents reached. Targeting is the programme's outreach:
    on the hub's days only the targeted residents' visit lever rises (the untargeted keep
    the baseline's), so the runs differ; untargeted, everyone's rises."""
    def levers(target_sections):
        iv = INTERVENTIONS["third_space"](start_day=1, target_sections=target_sections)
        model = KindlinessModel(small_params(), seed=6, interventions=[iv])
        seen = []
        for _ in range(7):  # a week: the default hub opens on four days
            model.step()
            seen.append(np.broadcast_to(model.today.levers.visit_multiplier,
                                        (model.pop.n,)).copy())
        return model, np.array(seen)

    everyone_model, everyone = levers(())
    targeted_model, targeted = levers(("newcomers",))
    newcomers = targeted_model.pop.section == targeted_model.pop.section_names.index(
        "newcomers")
    hub_days = (everyone > 1).any(axis=1)
    assert hub_days.sum() >= 3 and (everyone[hub_days] > 1).all()
    assert np.array_equal(targeted[:, newcomers], everyone[:, newcomers])
    assert (targeted[:, ~newcomers] == 1).all()
    assert differs(state(everyone_model), state(targeted_model)) != []


# -- targeting --------------------------------------------------------------------------------

def directly_reached(iv) -> np.ndarray:
    """Residents the intervention acted on directly (its knock-on reach may go wider: a
    bridge figure's introductions and a story's retelling cross any line)."""
    if isinstance(iv, INTERVENTIONS["bridge_figures"]):
        mask = np.zeros(len(iv.reached), dtype=bool)
        mask[iv.recruits] = True
        return mask
    if isinstance(iv, INTERVENTIONS["shared_myth"]):
        return iv.attended
    return iv.reached


@pytest.mark.parametrize("kind", sorted(INTERVENTIONS))
def test_targeting_respects_sections_and_orientations(kind):
    extra = {"hub_closure": {"hub": "garden"}}.get(kind, {})
    iv = INTERVENTIONS[kind](start_day=1, target_sections=("newcomers", "students"),
                             target_orientations=("unaligned", "empathic"), **extra)
    model = KindlinessModel(small_params(400), seed=7, interventions=[iv])
    model.run_days(60)
    pop = model.pop
    who = np.flatnonzero(directly_reached(iv))
    assert len(who) > 0
    sections = {pop.section_names[s] for s in pop.section[who]}
    orientations = {ORIENTATIONS[o] for o in pop.orientation[who]}
    assert sections <= {"newcomers", "students"}
    assert orientations <= {"unaligned", "empathic"}


@pytest.mark.parametrize("k", [200, 600], ids=["few-by-draws", "many-by-keys"])
def test_recruitment_runs_through_ties_unless_the_team_reaches_out(k):
    """Recruited residents have more ties than the targeted average; with full outreach
    (or recruit_through_ties = 0) they are a fair draw. A few picks from a large pool are
    drawn from everyone's cumulative weights, many by keys over the pool: the same law."""
    def mean_ties(outreach, power=1.0):
        iv = INTERVENTIONS["palatable_activity"](start_day=1, recruit_through_ties=power)
        model = KindlinessModel(small_params(2000), seed=8, interventions=[iv])
        model.run_days(150)  # newcomers and faded ties spread the number of ties out
        iv.delivery.outreach = outreach
        degree = model.ties.degree()
        weight = (degree + 1.0) ** (power * (1 - outreach))
        active = model.today.active
        picks = [iv.recruit(model, model.today, k) for _ in range(20)]
        assert all(len(p) == k == len(np.unique(p)) and active[p].all() for p in picks)
        # the first pick's law: in proportion to weight (later picks are thinned by it)
        expected = (weight * degree)[active].sum() / weight[active].sum()
        return np.mean([degree[p].mean() for p in picks]), degree[active].mean(), expected

    through_ties, everyone, first_pick = mean_ties(0.0)
    reached_out, _, _ = mean_ties(1.0)
    fair, _, _ = mean_ties(0.0, power=0.0)
    assert everyone * 1.2 < through_ties <= first_pick
    assert abs(reached_out - everyone) < 0.05 * everyone
    assert abs(fair - everyone) < 0.05 * everyone


def test_unknown_target_names_are_refused():
    for kind, kwargs in (("shared_myth", {"target_sections": ("nobody",)}),
                         ("shared_myth", {"target_orientations": ("saint",)}),
                         ("hub_closure", {"hub": "pub"}),
                         ("palatable_activity", {"hubs": ("pub",)}),
                         ("third_space", {"extend_hub": "pub"})):
        with pytest.raises(ValueError, match="unknown"):
            KindlinessModel(small_params(), seed=1, interventions=[INTERVENTIONS[kind](
                **kwargs)])


def test_palatable_activity_may_name_a_hub_another_intervention_opens():
    cafe = INTERVENTIONS["third_space"](start_day=5)
    reframed = INTERVENTIONS["palatable_activity"](start_day=1, hubs=("community_space",),
                                                   session_days=())
    model = KindlinessModel(small_params(), seed=2, interventions=[reframed, cafe])
    model.run_days(30)
    assert model.today.levers.hub_palatability_boost[cafe.index] == pytest.approx(0.4)
    assert reframed.n_reached() > 0


# -- metrics and specifications ---------------------------------------------------------------

@pytest.mark.parametrize("kind", sorted(INTERVENTIONS))
def test_each_intervention_records_its_own_metrics(kind):
    iv = INTERVENTIONS[kind](start_day=10)
    model = KindlinessModel(small_params(), seed=8, interventions=[iv])
    model.run_days(40)
    frame = model.metrics_frame()
    own = [m.name for m in iv.metrics()]
    assert own[0] == f"{kind}_reached"
    assert all(name.startswith(kind + "_") for name in own)
    assert set(own) <= set(frame.columns)
    assert frame.loc[9, f"{kind}_reached"] == 0
    assert frame.loc[40, f"{kind}_reached"] == iv.n_reached() > 0
    assert frame[f"{kind}_reached"].is_monotonic_increasing
    staff = any(role.staff for role in iv.roles)
    assert (f"{kind}_organisers_strained" in own) == staff
    assert (f"{kind}_staff_in_post" in own) == staff


def test_organisers_under_strain_are_counted():
    organising = INTERVENTIONS["one_to_ones"](start_day=1, organisers=50)
    model = KindlinessModel(small_params(), seed=9, interventions=[organising])
    model.run_days(120)
    org = model.roles()["organiser"]
    level = model.params.rules.strained_level
    assert model.metrics.column("one_to_ones_organisers_strained")[-1] == (
        model.pop.strain[org] >= level).sum()


@pytest.mark.parametrize("kind, role", [("one_to_ones", "organiser"),
                                        ("bridge_figures", "bridge_figure")])
def test_staff_in_post_counts_the_role_holders_each_day(kind, role):
    """What the strained count is out of: the holders that day, none before the programme
    starts or after it ends (the roles go with the window)."""
    iv = INTERVENTIONS[kind](start_day=10, end_day=80)
    model = KindlinessModel(small_params(), seed=9, interventions=[iv])
    model.run_days(60)
    column = model.metrics.column(f"{kind}_staff_in_post")
    assert column[-1] == iv.role(role).sum() > 0  # (roles() adds the community's own)
    assert column[0] == 0
    model.run_days(30)
    assert model.metrics.column(f"{kind}_staff_in_post")[-1] == 0


def test_two_of_a_kind_need_distinct_names_and_get_distinct_metrics():
    same = [INTERVENTIONS["shared_myth"](), INTERVENTIONS["shared_myth"]()]
    with pytest.raises(ValueError, match="named 'shared_myth'"):
        KindlinessModel(small_params(), seed=1, interventions=same)
    named = [INTERVENTIONS["shared_myth"](name="walks"),
             INTERVENTIONS["shared_myth"](name="festival", every_days=90)]
    model = KindlinessModel(small_params(), seed=1, interventions=named)
    model.run_days(5)
    assert {"walks_reached", "festival_reached"} <= set(model.metrics.columns)


def test_bridge_figures_by_betweenness_are_better_placed_than_at_random():
    import networkx as nx

    def figures(choose_by):
        iv = INTERVENTIONS["bridge_figures"](start_day=1, choose_by=choose_by, figures=33)
        model = KindlinessModel(small_params(), seed=10, interventions=[iv])
        graph = model.ties.to_networkx()
        model.run_days(1)
        return iv.recruits, graph

    chosen, graph = figures("betweenness")
    random_pick, _ = figures("random")
    assert len(chosen) == len(random_pick) == 10
    exact = nx.betweenness_centrality(graph)
    assert np.mean([exact[i] for i in chosen]) > 2 * np.mean([exact[i] for i in random_pick])


def test_specifications_are_frozen_and_each_replicate_gets_fresh_state():
    iv = INTERVENTIONS["one_to_ones"](start_day=1)
    with pytest.raises(FrozenInstanceError):
        iv.organisers = 99
    scenario = short(load_scenario(SCENARIOS / "one_to_ones.toml"), start_day=1)
    first = scenario.build_model(1)
    first.run_days(20)
    second = scenario.build_model(1)
    assert not hasattr(scenario.interventions[0], "rng")
    assert first.interventions[0] is not second.interventions[0]
    assert second.interventions[0].n_reached() == 0 < first.interventions[0].n_reached()
    assert first.interventions[0] == second.interventions[0]  # same specification


def test_registry_types_are_documented_and_each_has_its_scenario_file():
    for key, cls in INTERVENTIONS.items():
        assert issubclass(cls, Intervention) and cls.type_name == key
        assert cls.__doc__ and "Mechanism path" in cls.__doc__
        assert "JRF" in cls.__doc__ or "seed" in cls.__doc__
        for f in dataclasses.fields(cls):
            assert f.metadata.get("unit") and f.metadata.get("doc"), (key, f.name)
        raw = tomllib.loads((SCENARIOS / f"{key}.toml").read_text())
        assert raw["extends"] == "baseline.toml"
        assert set(raw) == {"name", "description", "extends", "interventions"}
        types = [table["type"] for table in raw["interventions"]]
        assert types[-1] == key and (types == [key] or key == "critical_friend")
        assert type(load_scenario(SCENARIOS / f"{key}.toml").interventions[-1]) is cls
    package = load_scenario(SCENARIOS / "combined_package.toml")
    assert len(package.interventions) >= 3


@pytest.mark.parametrize("kind", sorted(INTERVENTIONS))
def test_each_intervention_declares_what_it_uses(kind):
    """Every programme that runs something declares its resources per year in the units
    data/unit_costs.toml prices (a closure uses nothing); they grow with the dose."""
    from sim.costs import load_unit_costs

    used = INTERVENTIONS[kind]().resources(1000)
    assert set(used) <= set(load_unit_costs())
    if kind == "hub_closure":
        assert used == {}
        return
    assert used and all(v > 0 for v in used.values())
    bigger = INTERVENTIONS[kind]().resources(10_000)
    assert sum(bigger.values()) >= sum(used.values())

"""Interventions: each moves its target outcome against the baseline over paired seeds; none
changes anything before its start day or acts after its end day; targeting is respected;
each records its own metrics; specifications stay immutable.

Effects are measured on the shipped scenario files (scenarios/<type>.toml), shortened for
speed: EFFECT_RESIDENTS residents for EFFECT_DAYS days, the intervention moved to start on
EFFECT_START_DAY, over the same EFFECT_SEEDS for baseline and intervention. An effect is the
final-quarter mean of a metric, intervention minus baseline, per seed; the test requires its
mean to lie at least the stated number of standard errors of that paired difference on the
expected side of zero.
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

# (type, metric, expected sign, tolerance in standard errors of the paired difference).
# "self_reliance_mean" is read from the residents' state on the last day (no daily metric).
# Effects on unmet need are small at the calibrated need rate (unmet need itself is a few
# per cent), so they are held to 2 SE; over these 24 seeds they measured 4.6-4.7 SE. The
# others measured 6 SE or more and are held to 3 SE. (Over 6 seeds the weak ones passed
# for some seed sets and not others: the reason for 24.)
TARGETS = [
    ("palatable_activity", "help_seeking_rate", +1, 3.0),
    ("palatable_activity", "unmet_need", -1, 2.0),
    ("bridge_figures", "bridging_ties_share", +1, 3.0),
    ("bridge_figures", "trust_out_group", +1, 3.0),
    ("shared_myth", "belonging_share", +1, 3.0),
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
    ("one_to_ones", "help_seeking_rate", +1, 3.0),
    ("one_to_ones", "self_reliance_mean", -1, 3.0),
    ("one_to_ones", "unmet_need", -1, 2.0),
    ("creative_citizens", "bridging_ties_share", +1, 3.0),
    ("creative_citizens", "trust_out_group", +1, 3.0),
    ("critical_friend", "help_seeking_rate", +1, 3.0),
    ("critical_friend", "trust_out_group", +1, 3.0),
]


def short(scenario, start_day=EFFECT_START_DAY):
    """The scenario at test size, with its interventions moved to ``start_day``."""
    scenario = scenario.with_overrides(residents=EFFECT_RESIDENTS, days=EFFECT_DAYS)
    moved = tuple(dataclasses.replace(iv, start_day=start_day) for iv in scenario.interventions)
    return dataclasses.replace(scenario, interventions=moved)


@cache
def outcomes(scenario_file: str) -> dict[str, np.ndarray]:
    """Final-quarter means of every core metric, and the last day's mean self-reliance,
    one value per seed in EFFECT_SEEDS."""
    scenario = short(load_scenario(SCENARIOS / scenario_file))
    rows = []
    for seed in EFFECT_SEEDS:
        model = scenario.build_model(seed)
        model.run_days(EFFECT_DAYS)
        last_quarter = slice(model.metrics.n_rows - EFFECT_DAYS // 4, None)
        row = {m: float(np.nanmean(model.metrics.column(m)[last_quarter]))
               for m in CORE_METRICS}
        row["self_reliance_mean"] = float(model.pop.self_reliance.mean())
        rows.append(row)
    return {k: np.array([r[k] for r in rows]) for k in rows[0]}


@pytest.mark.parametrize(("kind", "metric", "sign", "z_min"), TARGETS,
                         ids=[f"{k}-{m}" for k, m, _, _ in TARGETS])
def test_intervention_moves_its_target_against_the_baseline(kind, metric, sign, z_min):
    diff = outcomes(f"{kind}.toml")[metric] - outcomes("baseline.toml")[metric]
    se = diff.std(ddof=1) / np.sqrt(len(diff))
    assert se > 0, "paired differences are all equal: the seeds are not doing their job"
    assert sign * diff.mean() >= z_min * se, (
        f"{kind}: {metric} moved {diff.mean():+.4f} (paired SE {se:.4f}); expected at least "
        f"{z_min} SE {'up' if sign > 0 else 'down'}")


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


@pytest.mark.parametrize("kind", sorted(INTERVENTIONS))
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


def test_ending_undoes_what_must_be_undone():
    opened = INTERVENTIONS["third_space"](start_day=2, end_day=10)
    closed = INTERVENTIONS["hub_closure"](start_day=2, end_day=10, hub="cafe")
    figures = INTERVENTIONS["bridge_figures"](start_day=2, end_day=10, choose_by="random")
    model = KindlinessModel(small_params(), seed=5, interventions=[opened, closed, figures])
    usual_bridges = model.pop.is_bridge.copy()
    model.run_days(5)
    assert not model.hubs.closed[opened.index] and model.hubs.closed[closed.index]
    assert model.pop.is_bridge[figures.figures].all() and len(figures.figures) > 0
    model.run_days(10)
    assert model.hubs.closed[opened.index] and not model.hubs.closed[closed.index]
    np.testing.assert_array_equal(model.pop.is_bridge, usual_bridges)


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


# -- targeting --------------------------------------------------------------------------------

def directly_reached(iv) -> np.ndarray:
    """Residents the intervention acted on directly (its knock-on reach may go wider: a
    bridge figure's introductions and a story's retelling cross any line)."""
    if isinstance(iv, INTERVENTIONS["bridge_figures"]):
        mask = np.zeros(len(iv.reached), dtype=bool)
        mask[iv.figures] = True
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


def test_two_of_a_kind_need_distinct_names_and_get_distinct_metrics():
    same = [INTERVENTIONS["shared_myth"](), INTERVENTIONS["shared_myth"]()]
    with pytest.raises(ValueError, match="named 'shared_myth'"):
        KindlinessModel(small_params(), seed=1, interventions=same)
    named = [INTERVENTIONS["shared_myth"](name="walks"),
             INTERVENTIONS["shared_myth"](name="festival", every_days=90)]
    model = KindlinessModel(small_params(), seed=1, interventions=named)
    model.run_days(5)
    assert {"walks_reached", "festival_reached"} <= set(model.metrics.columns)


def test_critical_friend_bruises_at_its_stated_rate():
    p_bruising = 0.2
    iv = INTERVENTIONS["critical_friend"](start_day=1, friends=6, p_bruising=p_bruising)
    model = KindlinessModel(small_params(500), seed=9, interventions=[iv])
    model.run_days(150)
    frame = model.metrics_frame()
    n, bruised = iv.conversations, iv.bruised
    assert frame["critical_friend_bruised"].iloc[-1] == bruised
    assert frame["critical_friend_conversations"].iloc[-1] == n
    se = np.sqrt(p_bruising * (1 - p_bruising) / n)  # binomial standard error
    assert n > 500
    assert abs(bruised / n - p_bruising) < 3 * se


def test_critical_friend_without_bruising_never_bruises():
    iv = INTERVENTIONS["critical_friend"](start_day=1, friends=6, p_bruising=0.0)
    model = KindlinessModel(small_params(), seed=9, interventions=[iv])
    model.run_days(60)
    assert iv.conversations > 0 and iv.bruised == 0


def test_bridge_figures_by_betweenness_are_better_placed_than_at_random():
    import networkx as nx

    def figures(choose_by):
        iv = INTERVENTIONS["bridge_figures"](start_day=1, choose_by=choose_by, n_figures=10,
                                             extra_ties=0)
        model = KindlinessModel(small_params(), seed=10, interventions=[iv])
        graph = model.ties.to_networkx()
        model.run_days(1)
        return iv.figures, graph

    chosen, graph = figures("betweenness")
    random_pick, _ = figures("random")
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
        assert cls.__doc__ and "JRF" in cls.__doc__
        for f in dataclasses.fields(cls):
            assert f.metadata.get("unit") and f.metadata.get("doc"), (key, f.name)
        raw = tomllib.loads((SCENARIOS / f"{key}.toml").read_text())
        assert raw["extends"] == "baseline.toml"
        assert set(raw) == {"name", "description", "extends", "interventions"}
        assert [table["type"] for table in raw["interventions"]] == [key]
        assert [type(iv) for iv in load_scenario(SCENARIOS / f"{key}.toml").interventions] \
            == [cls]
    package = load_scenario(SCENARIOS / "combined_package.toml")
    assert len(package.interventions) >= 3

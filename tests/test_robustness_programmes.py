"""Robustness samples the programmes' own assumptions (their effect sizes) as well as the
model's: those of every intervention type a job includes, and none of the others; a world's
value reaches the runs; doses are the council's choice and are never sampled.

A user check: a ranking was called robust while common_cause.contact_weight (1.2-3.0),
the visit elasticities (0-1) and the like, arguably the least certain numbers, were held at
their shipped values in every world."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

from sim.interventions import INTERVENTIONS
from sim.robustness.analysis import run_robustness, world_runs
from sim.robustness.worlds import (
    apply_to_interventions,
    model_uncertainties,
    programme_uncertainties,
    programme_value,
    uncertainties,
)
from sim.scenario.loader import load_scenarios


def _paths(unc) -> list[str]:
    return [u.path for u in unc]


def _only(scenario, type_name):
    (iv,) = [iv for iv in scenario.interventions if iv.type_name == type_name]
    return iv


def test_a_job_samples_the_assumptions_of_its_programmes_and_no_others():
    base, cc = load_scenarios(["scenarios/baseline.toml", "scenarios/common_cause.toml"])
    paths = _paths(uncertainties([base, cc]))
    assert paths[:len(model_uncertainties())] == _paths(model_uncertainties())
    assert paths[len(model_uncertainties()):] == ["common_cause.contact_weight",
                                                 "common_cause.recruit_through_ties"]
    assert "third_space.visit_elasticity" not in paths  # no scenario of the job has one
    # a job with no programme draws the model's alone (31)
    assert _paths(uncertainties([base])) == _paths(model_uncertainties())
    assert len(model_uncertainties()) == 31


@pytest.mark.parametrize("method", ["lhs", "sobol"])
def test_each_worlds_runs_use_its_contact_weight(method):
    scenarios = [s.with_overrides(residents=50) for s in load_scenarios(
        ["scenarios/baseline.toml", "scenarios/common_cause.toml"])]
    unc, worlds, everything = world_runs(scenarios, 4, method, seed=7)
    j = _paths(unc).index("common_cause.contact_weight")
    u = unc[j]
    assert (u.lo, u.hi) == (1.2, 3.0)
    assert u.lo <= worlds[:, j].min() and worlds[:, j].max() <= u.hi
    runs = everything[1::2]  # world-major: baseline, common cause in each world
    used = [_only(s, "common_cause").contact_weight for s in runs]
    # the shipped file sets the default (2.0): each world's runs take the sampled value
    assert used == [float(x) for x in worlds[:, j]]
    assert len(set(used)) > 1  # (a Saltelli design repeats values between its worlds)
    # and the model each run builds holds it
    for s, want in zip(runs[:2], used[:2], strict=True):
        model = s.build_model(1)
        (iv,) = [iv for iv in model.interventions if iv.type_name == "common_cause"]
        assert iv.contact_weight == want
    # the same inputs give the same worlds and runs (what a resume's plan check relies on)
    again = world_runs(scenarios, 4, method, seed=7)
    np.testing.assert_array_equal(again[1], worlds)
    assert again[2] == everything


def test_doses_are_the_councils_choice_and_never_sampled():
    paths = _paths(programme_uncertainties())
    assert "common_cause.members" not in paths
    assert "bridge_figures.figures" not in paths
    base, cc, bf = load_scenarios(["scenarios/baseline.toml", "scenarios/common_cause.toml",
                                   "scenarios/bridge_figures.toml"])
    _, _, everything = world_runs([base, cc, bf], 3, "lhs", seed=1)
    assert {_only(s, "common_cause").members for s in everything[1::3]} == {
        _only(cc, "common_cause").members}
    assert {_only(s, "bridge_figures").figures for s in everything[2::3]} == {
        _only(bf, "bridge_figures").figures}


def test_a_scenario_that_set_another_value_keeps_its_place_within_the_allowed_range():
    base, cc, ts = load_scenarios(["scenarios/baseline.toml", "scenarios/common_cause.toml",
                                   "scenarios/third_space.toml"])
    half = dataclasses.replace(_only(cc, "common_cause"), contact_weight=1.0)  # default 2.0
    shipped = _only(cc, "common_cause")
    world = {"common_cause.contact_weight": 3.0, "rules.p_need": 0.01}
    got = apply_to_interventions((half, shipped), world)
    assert [iv.contact_weight for iv in got] == [1.5, 3.0]  # 1.0 x 3.0 / 2.0; the default's
    # third_space.visit_elasticity: default 0.5, allowed 0 to 2; a scenario at 0.8 in a world
    # at 1.0 is 1.6, one at 1.5 would be 3.0 and is held at 2
    space = _only(ts, "third_space")
    got = apply_to_interventions((dataclasses.replace(space, visit_elasticity=0.8),
                                  dataclasses.replace(space, visit_elasticity=1.5)),
                                 {"third_space.visit_elasticity": 1.0})
    assert [iv.visit_elasticity for iv in got] == [pytest.approx(1.6), 2.0]
    # a type the world does not name is left as it is
    assert apply_to_interventions((space,), world) == (space,)
    # a whole-number field stays whole
    assert programme_value(6, 10, 7.0, {"range": (0, 100)}) == 4
    assert isinstance(programme_value(6, 10, 7.0, {"range": (0, 100)}), int)


def test_every_programmes_shipped_value_lies_within_its_plausible_range():
    for u in programme_uncertainties():
        name, field = u.path.split(".", 1)
        default = INTERVENTIONS[name].__dataclass_fields__[field].default
        assert u.lo <= default <= u.hi, u.path


def test_the_docs_list_exactly_the_programmes_assumptions():
    from sim.robustness.reference import (
        DOC_PATH,
        REFRESH,
        format_programme_assumptions,
        generated_programmes,
    )

    text = DOC_PATH.read_text(encoding="utf-8")
    assert generated_programmes(text) == format_programme_assumptions(), (
        f"docs/ROBUSTNESS.md's list of the programmes' assumptions is out of date; run: "
        f"{REFRESH}")
    listed = {line.split("`")[1] for line in generated_programmes(text).splitlines()
              if line.startswith("| `")}
    assert listed == set(_paths(programme_uncertainties()))


@pytest.mark.slow
def test_the_programmes_assumptions_reach_every_output_and_resume_gives_the_same(tmp_path):
    scenarios = load_scenarios(["scenarios/baseline.toml", "scenarios/common_cause.toml"])
    kw = dict(n_worlds=2, replicates=1, residents=60, days=120)
    one = run_robustness(scenarios, tmp_path / "one", workers=1, **kw)
    assert "common_cause.contact_weight" in _paths(one.uncertainties)
    # a resume of the finished folder, and the same job on two workers: the same results
    again = run_robustness(scenarios, tmp_path / "one", workers=1, resume=True, **kw)
    two = run_robustness(scenarios, tmp_path / "two", workers=2, **kw)
    for other in (again, two):
        np.testing.assert_array_equal(other.worlds, one.worlds)
        np.testing.assert_array_equal(other.outcomes, one.outcomes)
    from sim.robustness.output import write_outputs

    paths, _ = write_outputs(one, tmp_path / "out")
    out = tmp_path / "out"
    saved = json.loads(paths["result"].read_text())
    assert "common_cause.contact_weight" in [u["path"] for u in saved["uncertainties"]]
    assert "common_cause.contact_weight" in (out / "worlds.csv").read_text().splitlines()[0]
    assert "common_cause.contact_weight" in (out / "sensitivity.csv").read_text()
    page = paths["html"].read_text()
    assert "<code>common_cause.contact_weight</code>: 1.2 to 3 (a programme's own" in page
    assert "31 of the model's and 2 of the programmes' own" in page


def test_a_programmes_assumption_is_named_with_its_programme():
    """A look at a real run's chart: "(recruit_through_ties)" named no programme, where
    every programme that recruits has one; a model assumption keeps its short name."""
    from sim.robustness.worlds import short_name

    assert short_name("palatable_activity.recruit_through_ties") == \
        "palatable_activity.recruit_through_ties"
    assert short_name("rules.p_need") == "p_need"
    assert short_name("orientations.ask_multiplier") == "ask_multiplier"

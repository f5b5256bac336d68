"""The intervention base (sim/interventions/base.py): hooks see outcomes read-only, so an
intervention can only pull levers; every shipped scenario runs that way; the base is the whole
declaration (no decorator, no super()) and refuses at import a misspelt hook or an overridden
driver; roles and states are declared by interventions, not held by the core."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from sim.day import OutcomeWriteError
from sim.interventions import INTERVENTIONS, TYPES, Intervention, Role, State
from sim.model import KindlinessModel
from sim.params import ModelParams, PopulationParams, param
from sim.scenario.loader import load_scenario

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = sorted((ROOT / "scenarios").glob("*.toml"))


def small(n=200) -> ModelParams:
    return ModelParams(population=PopulationParams(n_residents=n))


class WritesTrust(Intervention):
    """Test: decides an outcome directly (what the design forbids)."""

    type_name = "writes_trust"
    where: str = param("apply", unit="hook", doc="which hook misbehaves")

    def apply(self, model, day):
        if self.where == "apply":
            model.pop.trust_out[:10] = 1.0

    def after(self, model, day):
        if self.where == "after":
            day.acts_helper[:] = 0
        if self.where == "swap":
            model.pop.attachment = np.ones(model.pop.n, dtype=np.float32)
        if self.where == "tie":
            model.ties.trust[0] = 1.0

    def carry(self, model, day):
        if self.where == "fiat":
            day.queue_ties(np.array([0]), np.array([1]))


@pytest.mark.parametrize("where", ["apply", "after", "swap", "tie", "fiat"])
def test_an_intervention_that_writes_an_outcome_is_stopped(where):
    model = KindlinessModel(small(), seed=1, interventions=[WritesTrust(where=where)])
    before = model.pop.trust_out.copy()
    with pytest.raises(OutcomeWriteError, match="writes_trust|replaced|fiat"):
        model.run_days(3)
    if where == "apply":
        np.testing.assert_array_equal(model.pop.trust_out, before)
    # outside the hooks the rules write as usual
    assert model.pop.trust_out.flags.writeable and model.ties.trust.flags.writeable


def test_levers_stay_open_to_hooks():
    class PullsLevers(Intervention):
        type_name = "pulls_levers"

        def apply(self, model, day):
            day.levers.scale("visit_multiplier", [0, 1], 2.0, model.pop.n)
            day.levers.shift("help_norm", [2], 0.5, model.pop.n)
            day.levers.add_introducers([3], model.pop.n)
            day.levers.hub_palatability_boost[0] += 0.1
            day.add_meetings([4], [5], setting="common_cause")

    model = KindlinessModel(small(), seed=1, interventions=[PullsLevers()])
    model.run_days(2)
    levers = model.today.levers
    assert levers.visit_multiplier[:2].tolist() == [2.0, 2.0]
    assert levers.help_norm[2] == 0.5 and levers.introducers[3]


@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_every_shipped_scenario_runs_with_outcomes_closed_to_interventions(path):
    """Hooks always run with outcome arrays read-only (KindlinessModel.outcomes_closed);
    each shipped scenario, with its interventions from day 1 and past any end day, runs
    without tripping it, and each intervention acts."""
    scenario = load_scenario(path).with_overrides(residents=300, days=70)
    import dataclasses

    moved = tuple(dataclasses.replace(iv, start_day=1, end_day=None if iv.end_day is None
                                      else 40) for iv in scenario.interventions)
    scenario = dataclasses.replace(scenario, interventions=moved)
    model = scenario.build_model(2)
    model.run_days(70)
    for iv in model.interventions:
        assert iv.n_reached() > 0, iv.name
    for name in model.pop.array_names():
        assert getattr(model.pop, name).flags.writeable


def test_the_core_holds_no_intervention_specific_field():
    """Roles and meeting settings that belong to one intervention live in its module: the
    population and the day know nothing of organisers, critical friends or common causes."""
    for module in ("sim/population.py", "sim/day.py"):
        text = (ROOT / module).read_text()
        for word in ("organiser", "critical_friend", "common_cause", "shared_myth",
                     "creative", "one_to_one"):
            assert not re.search(word, text, re.IGNORECASE), (module, word)


def test_roles_are_read_from_the_declarations():
    organising = INTERVENTIONS["one_to_ones"](start_day=1)
    model = KindlinessModel(small(), seed=1, interventions=[organising])
    assert set(model.roles()) == {"community_bridge", "organiser"}
    model.run_days(2)
    roles = model.roles()
    np.testing.assert_array_equal(roles["organiser"], organising.role("organiser"))
    np.testing.assert_array_equal(roles["community_bridge"], model.pop.is_bridge)
    resident = model.build_face().residents[int(np.flatnonzero(roles["organiser"])[0])]
    assert "organiser" in resident.roles and resident.state()["roles"] == resident.roles


# -- the declaration is checked at import -----------------------------------------------------

def test_a_subclass_is_a_frozen_dataclass_without_a_decorator():
    class Plain(Intervention):
        type_name = "plain"
        size: int = param(3, unit="residents", lo=0, hi=10, doc="how many")

    iv = Plain(size=4, start_day=2)
    assert iv.size == 4 and iv.name == "plain" and iv.label == "Plain"
    with pytest.raises(Exception, match="cannot assign"):
        iv.size = 5
    iv.targets = "run-time attributes are fine"


@pytest.mark.parametrize(("body", "words"), [
    ("def aply(self, model, day): pass", "did you mean 'apply'"),
    ("def begins(self, model, day): pass", "did you mean 'begin'"),
    ("def before_day(self, model, day): pass", "drives the hooks"),
    ("def __post_init__(self): pass", "drives the hooks"),
    ("def apply(self, model): pass", "takes 1 arguments besides self; the hook takes 2"),
    ("def prepare(self, model, day): pass", "takes 2 arguments"),
])
def test_a_misspelt_or_misshaped_hook_is_an_error_at_import(body, words):
    source = f"class Broken(Intervention):\n    type_name = 'broken'\n    {body}\n"
    with pytest.raises(TypeError, match=re.escape(words)):
        exec(source, {"Intervention": Intervention})


def test_a_subclass_without_a_type_name_is_refused():
    with pytest.raises(TypeError, match="needs a type_name"):
        class Nameless(Intervention):
            pass


def test_a_second_dataclass_decorator_is_refused():
    import dataclasses

    with pytest.raises(TypeError):
        @dataclasses.dataclass
        class Twice(Intervention):
            type_name = "twice"


def test_declared_states_are_allocated_and_reset_for_newcomers():
    class Keeps(Intervention):
        type_name = "keeps"
        roles = (Role("helper_role", "Helper"),)
        states = (State("score", np.float32, 0.5, "a number per resident"),)

        def apply(self, model, day):
            self.role("helper_role")[:3] = True
            self.score[:3] = 2.0

    iv = Keeps()
    model = KindlinessModel(small(), seed=1, interventions=[iv])
    model.run_days(1)
    assert iv.score.dtype == np.float32 and iv.score[5] == 0.5 and iv.score[0] == 2.0
    iv.residents_moved(np.array([0]))
    assert iv.score[0] == 0.5 and not model.roles()["helper_role"][0]


def test_the_registry_is_one_line_per_type():
    assert list(INTERVENTIONS) == list(TYPES)
    for name, cls in INTERVENTIONS.items():
        assert cls.__module__ == f"sim.interventions.{name}"


def test_outcomes_are_checked_for_classes_that_are_not_shipped(monkeypatch):
    """Outside the tests (no CHECK_OUTCOMES_ENV), a shipped class's hooks run unguarded
    (the tests check them), and any other class's hooks are still guarded."""
    from sim.interventions import BridgeFigures
    from sim.model import CHECK_OUTCOMES_ENV

    monkeypatch.delenv(CHECK_OUTCOMES_ENV, raising=False)
    assert not KindlinessModel(small(), seed=1, interventions=[BridgeFigures()]).check_outcomes
    model = KindlinessModel(small(), seed=1, interventions=[WritesTrust(where="apply")])
    assert model.check_outcomes
    with pytest.raises(OutcomeWriteError, match="writes_trust"):
        model.run_days(2)
    monkeypatch.setenv(CHECK_OUTCOMES_ENV, "1")
    assert KindlinessModel(small(), seed=1, interventions=[BridgeFigures()]).check_outcomes

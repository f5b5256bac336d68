"""Scenario files load into the parameters they describe: every shipped file validates,
``extends`` merges as docs/SCENARIOS.md says, values are converted (weekday names, profile
overrides onto defaults, ints for floats), the real intervention classes load from TOML, and
the reference page is up to date with the parameter metadata."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.params import HubSpec, ModelParams, RuleParams, default_profiles
from sim.scenario import RunSettings, load_scenario, load_scenarios, validate_files
from sim.scenario.kinds import settable_fields
from sim.scenario.loader import intervention_registry
from sim.scenario.reference import (
    DOC_PATH,
    REFRESH,
    format_reference,
    generated_part,
    toml_value,
)
from tests.test_scenario_validation import TEST_REGISTRY, CoverageDrive

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.toml"))
REGISTRY = intervention_registry()


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.name for p in SCENARIOS])
def test_every_shipped_scenario_validates(path):
    problems = validate_files([path])
    assert [p for p in problems if p.is_error] == [], "\n".join(map(str, problems))


def test_shipped_scenarios_load_together():
    scenarios = load_scenarios(SCENARIOS)
    assert len({s.name for s in scenarios}) == len(SCENARIOS)


def test_baseline_writes_out_the_defaults():
    baseline = load_scenario(ROOT / "scenarios" / "baseline.toml")
    assert baseline.model == ModelParams()
    assert baseline.run == RunSettings(days=730, replicates=10)
    assert baseline.interventions == ()
    assert baseline.path == str(ROOT / "scenarios" / "baseline.toml")
    assert baseline.definition["rules"]["p_need"] == RuleParams().p_need


def test_extends_merges_tables_key_by_key_and_replaces_lists(tmp_path):
    write(tmp_path, "parent.toml", """
name = "Parent"
description = "Not inherited."
[run]
days = 100
seed = 5
[rules]
p_need = 0.02
chats_per_day = 0.1
[[hubs]]
name = "a"
[[hubs]]
name = "b"
[orientations.rescuer]
help_propensity = 0.7
""")
    write(tmp_path, "child.toml", """
name = "Child"
extends = "parent.toml"
[run]
days = 50
[rules]
p_need = 0.03
[[hubs]]
name = "c"
open_days = ["sat", "Sunday"]
[orientations.rescuer]
ask_multiplier = 0.2
""")
    (sub := tmp_path / "more").mkdir()
    write(sub, "grandchild.toml", 'name = "Grandchild"\nextends = "../child.toml"\n'
          "[network]\nties_per_resident = 5\n")
    child = load_scenario(tmp_path / "child.toml")
    assert child.name == "Child" and child.description == ""
    assert child.run == RunSettings(days=50, seed=5)
    assert child.model.rules.p_need == 0.03 and child.model.rules.chats_per_day == 0.1
    assert [h.name for h in child.model.hubs] == ["c"]
    assert child.model.hubs[0].open_days == (5, 6)
    rescuer = child.model.orientations["rescuer"]
    assert rescuer.ask_multiplier == 0.2 and rescuer.help_propensity == 0.7
    assert rescuer.self_reliance == default_profiles()["rescuer"].self_reliance
    assert child.model.orientations["activist"] == default_profiles()["activist"]
    assert child.definition["rules"] == {"p_need": 0.03, "chats_per_day": 0.1}
    assert "extends" not in child.definition and child.definition["name"] == "Child"
    assert child.files == (str(tmp_path / "child.toml"), str(tmp_path / "parent.toml"))

    grandchild = load_scenario(sub / "grandchild.toml")
    assert grandchild.run.days == 50 and grandchild.model.rules.p_need == 0.03
    ties = grandchild.model.network.ties_per_resident
    assert ties == 5.0 and isinstance(ties, float)  # a whole number is fine for a number
    assert len(grandchild.files) == 3


def test_interventions_are_built_from_their_tables(tmp_path):
    write(tmp_path, "p.toml", """
name = "With interventions"
[run]
days = 200
[[interventions]]
type = "coverage_drive"
name = "drive"
start_day = 10
end_day = 300
coverage = 1
target_sections = ["students"]
target_orientations = ["rescuer"]
session_days = ["mon", "fri"]
hub = { name = "cafe2", location = "boundary", open_days = ["wed"] }
""")
    scenario = load_scenario(tmp_path / "p.toml", registry=TEST_REGISTRY)
    [drive] = scenario.interventions
    assert drive == CoverageDrive(
        name="drive", start_day=10, end_day=300, coverage=1.0, target_sections=("students",),
        target_orientations=("rescuer",), session_days=(0, 4),
        hub=HubSpec(name="cafe2", location="boundary", open_days=(2,)))
    # ends after the run's last day: a warning, kept on the scenario, not an error
    [warning] = scenario.warnings
    assert warning.key == "interventions[0].end_day" and not warning.is_error
    assert "after the run ends (run.days = 200)" in warning.message


def test_a_loaded_scenario_runs(tmp_path):
    write(tmp_path, "small.toml", 'name = "Small"\nextends = "'
          + str(ROOT / "scenarios" / "baseline.toml") + '"\n[population]\nn_residents = 200\n')
    scenario = load_scenario(tmp_path / "small.toml")
    model = scenario.build_model(seed=1, days_hint=3)
    for _ in range(3):
        model.step()
    assert model.day == 3 and model.pop.n == 200


@pytest.mark.skipif(not REGISTRY, reason="sim.interventions has no registry yet")
@pytest.mark.parametrize("kind", sorted(REGISTRY))
def test_each_real_intervention_loads_from_its_defaults_written_as_toml(tmp_path, kind):
    cls = REGISTRY[kind]
    default = cls()
    lines = ['name = "One intervention"', "[[interventions]]", f'type = "{kind}"']
    for name, (_, meta) in settable_fields(cls).items():
        value = getattr(default, name)
        if value is None or value == "":  # "not set"
            continue
        lines.append(f"{name} = {toml_value(value, meta['kind'])}")
    path = write(tmp_path, f"{kind}.toml", "\n".join(lines) + "\n")
    scenario = load_scenario(path)
    assert scenario.interventions == (default,)


@pytest.mark.skipif(not REGISTRY, reason="sim.interventions has no registry yet")
@pytest.mark.parametrize("kind", sorted(REGISTRY))
def test_each_real_intervention_rejects_a_misspelt_key(tmp_path, kind):
    field = list(settable_fields(REGISTRY[kind]))[-1]
    misspelt = field[:-1] + field[-1] * 2
    path = write(tmp_path, "p.toml", f'name = "Typo"\n[[interventions]]\ntype = "{kind}"\n'
                 f"{misspelt} = 1\n")
    [problem] = validate_files([path])
    assert problem.key == f"interventions[0].{misspelt}"
    assert f"did you mean '{field}'?" in problem.message


def test_scenarios_reference_is_up_to_date():
    assert generated_part(DOC_PATH.read_text(encoding="utf-8")) == format_reference(), (
        f"docs/SCENARIOS.md is out of date with the parameter metadata; run: {REFRESH}")


def test_the_annotated_example_in_the_docs_loads(tmp_path):
    text = DOC_PATH.read_text(encoding="utf-8")
    example = text.split("## A complete example", 1)[1].split("```toml\n", 1)[1].split("```")[0]
    write(tmp_path, "baseline.toml", (ROOT / "scenarios" / "baseline.toml").read_text())
    scenario = load_scenario(write(tmp_path, "example.toml", example))
    assert [s.name for s in scenario.model.population.sections][-1] == "families"
    assert scenario.model.population.n_residents == 1500
    assert scenario.model.rules.p_need == 0.014
    assert [iv.type_name for iv in scenario.interventions] == [
        "third_space", "palatable_activity", "bridge_figures"]

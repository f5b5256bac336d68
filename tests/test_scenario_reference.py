"""The scenario-file reference and the baseline written out (sim/scenario/reference.py):
docs/SCENARIOS.md is up to date with the parameter declarations, its annotated example loads,
and scenarios/baseline.toml still equals the defaults."""

from __future__ import annotations

from sim.params import ModelParams, RuleParams
from sim.scenario import RunSettings, load_scenario
from sim.scenario.reference import DOC_PATH, REFRESH, format_reference, generated_part
from tests.test_scenario_loader import ROOT, write


def test_baseline_writes_out_the_defaults():
    baseline = load_scenario(ROOT / "scenarios" / "baseline.toml")
    assert baseline.model == ModelParams()
    assert baseline.run == RunSettings(days=730, replicates=10)
    assert baseline.interventions == ()
    assert baseline.path == str(ROOT / "scenarios" / "baseline.toml")
    assert baseline.definition["rules"]["p_need"] == RuleParams().p_need


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


def test_the_shipped_baseline_is_every_default_written_out():
    """scenarios/baseline.toml is generated from sim.params: a default changed in the code and
    not in the file (or the other way round) fails here. Remake it with
    ``format_baseline_toml()`` when a default changes on purpose."""
    from pathlib import Path

    from sim.scenario.reference import format_baseline_toml

    shipped = Path(__file__).resolve().parents[1] / "scenarios" / "baseline.toml"
    assert shipped.read_text(encoding="utf-8") == format_baseline_toml()

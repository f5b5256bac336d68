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


def example_files(root) -> list:
    """The complete example's files, written where their first lines say (under ``root``,
    the shipped baseline beside them as in the project), in the doc's order."""
    text = DOC_PATH.read_text(encoding="utf-8")
    section = text.split("## A complete example", 1)[1].split("\n## ", 1)[0]
    (root / "scenarios").mkdir(parents=True, exist_ok=True)
    write(root / "scenarios", "baseline.toml", (ROOT / "scenarios" / "baseline.toml").read_text())
    paths = []
    for block in section.split("```toml\n")[1:]:
        body = block.split("```")[0]
        where = body.splitlines()[0].removeprefix("# ").strip()
        path = root / where
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body, encoding="utf-8")
        paths.append(path)
    return paths


def test_the_annotated_example_in_the_docs_loads(tmp_path):
    area, option = example_files(tmp_path)
    assert area.name == "baseline.toml" and option.name == "cafe-and-bridges.toml"
    scenario = load_scenario(option)
    assert [s.name for s in scenario.model.population.sections][-1] == "families"
    assert scenario.model.population.n_residents == 1500
    assert scenario.model.rules.p_need == 0.014
    assert [iv.type_name for iv in scenario.interventions] == [
        "third_space", "palatable_activity", "bridge_figures"]


def test_the_complete_example_compares_as_the_doc_tells(tmp_path, capsys):
    """A user check: the doc's complete example, one file extending the shipped baseline
    and changing the community, was refused by compare against that baseline ("not the
    same community"), which the doc never said. Now it is an area's baseline and an option
    that only adds interventions; the command the doc gives compares them (short runs), and
    the option against the shipped baseline is refused as the doc says."""
    from sim import cli

    area, option = example_files(tmp_path)
    text = DOC_PATH.read_text(encoding="utf-8").split("## A complete example", 1)[1]
    command = next(line for line in text.splitlines()
                   if line.startswith("python run.py compare "))
    argv = command.removeprefix("python run.py ").split()
    assert argv[1:] == ["scenarios/areas/four_sections/baseline.toml",
                        "scenarios/areas/four_sections/cafe-and-bridges.toml"]
    out = tmp_path / "results"
    short = ["--replicates", "1", "--days", "100", "--residents", "200", "--workers", "1"]
    code = cli.main([argv[0], *(str(tmp_path / a) for a in argv[1:]), *short,
                     "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    assert (out / "report.html").exists() or list(out.rglob("report.html"))
    capsys.readouterr()
    code = cli.main(["compare", str(tmp_path / "scenarios" / "baseline.toml"), str(option),
                     *short, "--out", str(tmp_path / "refused")])
    err = capsys.readouterr().err
    assert code == 2 and "not the same community as the baseline" in err
    assert "population.sections" in err and "network.share_bridging" in err


def test_the_shipped_baseline_is_every_default_written_out():
    """scenarios/baseline.toml is generated from sim.params: a default changed in the code and
    not in the file (or the other way round) fails here. Remake it with
    ``format_baseline_toml()`` when a default changes on purpose."""
    from pathlib import Path

    from sim.scenario.reference import format_baseline_toml

    shipped = Path(__file__).resolve().parents[1] / "scenarios" / "baseline.toml"
    assert shipped.read_text(encoding="utf-8") == format_baseline_toml()

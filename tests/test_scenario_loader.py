"""Scenario files load into the parameters they describe: every shipped file validates, values
are converted (weekday names, profile overrides onto defaults, ints for floats), and the real
intervention classes load from TOML. (``extends``: test_scenario_merging.py; the reference
page: test_scenario_reference.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.params import HubSpec
from sim.scenario import load_scenario, load_scenarios, validate_files
from sim.scenario.kinds import settable_fields
from sim.scenario.loader import intervention_registry
from sim.scenario.reference import (
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
    # (a critical friend alone is also warned it has nothing to challenge)
    [problem] = [p for p in validate_files([path]) if p.is_error]
    assert problem.key == f"interventions[0].{misspelt}"
    assert f"did you mean '{field}'?" in problem.message


def test_commitments_are_checked_at_their_key_with_the_other_problems(tmp_path):
    """A user check: commitments = ["join", "vote"] was said only once every other problem
    was fixed, at interventions[0] ("cannot be built: ..."), and a repeated "join" was never
    said, though a kind listed twice is drawn twice as often. Both are said at the entry,
    beside the file's other problems."""
    path = write(tmp_path, "c.toml", 'name = "C"\n[[interventions]]\ntype = "one_to_ones"\n'
                 'organisers = 0.5\ncommitments = ["join", "visitt", "vote", "join"]\n')
    found = {p.key: p.message for p in validate_files([path])}
    assert found == {
        "interventions[0].organisers": "expected a whole number, got 0.5",
        "interventions[0].commitments[1]": "unknown commitment 'visitt'; did you mean "
        "'visit'? (allowed: join, visit, ask, offer)",
        "interventions[0].commitments[2]": "unknown commitment 'vote' (allowed: join, visit, "
        "ask, offer)",
        "interventions[0].commitments[3]": "'join' is listed twice; the kinds listed are "
        "chosen with equal chances, so a repeat would double its chance: list each kind once"}
    with pytest.raises(ValueError, match="commitments\\[1\\]: 'ask' is listed twice"):
        REGISTRY["one_to_ones"](commitments=("ask", "ask"))


def test_a_new_hub_and_an_extended_hub_both_given_is_said_at_extend_hub(tmp_path):
    path = write(tmp_path, "t.toml", 'name = "T"\n[[interventions]]\ntype = "third_space"\n'
                 'extend_hub = "library"\nlable = "x"\nhub = { name = "cafe9" }\n')
    found = {p.key: p.message for p in validate_files([path])}
    assert set(found) == {"interventions[0].lable", "interventions[0].extend_hub"}, found
    assert found["interventions[0].extend_hub"].startswith("set either hub (a new hub) or "
                                                           "extend_hub")


@pytest.mark.parametrize("others, said", [
    ("", "this scenario has none it reviews"),
    ('[[interventions]]\ntype = "hub_closure"\nhub = "library"\n',
     "this scenario has none it reviews"),  # a closure delivers nothing to challenge
    ('[[interventions]]\ntype = "shared_myth"\nstart_day = 300\n',
     "none of those runs on its days 90-200"),
    ('[[interventions]]\ntype = "shared_myth"\nstart_day = 150\n', None),
])
def test_a_critical_friend_with_nothing_to_challenge_is_warned(tmp_path, others, said):
    """A user check: a critical friend alone was accepted in silence, and in a comparison
    cost GBP 2,572 a year for an effect of exactly 0."""
    path = write(tmp_path, "c.toml", 'name = "C"\n[[interventions]]\ntype = "critical_friend"'
                 '\nstart_day = 90\nend_day = 200\n' + others)
    problems = validate_files([path])
    assert not any(p.is_error for p in problems), problems
    friend = [p for p in problems if p.key == "interventions[0]"]
    if said is None:
        assert friend == []
        return
    [warning] = friend
    assert said in warning.message and "its cost is counted" in warning.message
    if "none it reviews" in said:
        assert "add a programme for it to challenge (bridge_figures, " in warning.message


TWICE = ('name = "Same type twice"\nextends = "{base}"\n'
         '[[interventions]]\ntype = "shared_myth"\nname = "story_a"\nstart_day = 90\n'
         'end_day = 200\n{first}'
         '[[interventions]]\ntype = "shared_myth"\nname = "story_b"\nstart_day = 300\n{second}')


def twice(tmp_path, first="", second=""):
    path = tmp_path / "twice.toml"
    path.write_text(TWICE.format(base=ROOT / "scenarios" / "baseline.toml", first=first,
                                 second=second))
    return path


def test_two_programmes_of_one_type_without_labels_are_told_apart_by_their_names(tmp_path):
    """A user check: two place stories without labels were both "Shared myth" in the report
    (one cost row with both one's costs and the first one's days). Their default labels
    say their names; a label written in the file stays as written."""
    labels = [iv.label for iv in load_scenario(twice(tmp_path)).interventions]
    assert labels == ["Shared myth (story_a)", "Shared myth (story_b)"]
    labels = [iv.label for iv in load_scenario(twice(tmp_path, 'label = "Short story"\n'))
              .interventions]
    assert labels == ["Short story", "Shared myth"]


def test_a_label_another_programme_has_is_refused_at_its_key(tmp_path):
    """Two programmes given one label ("Same (days 90-200); Same (days 90-200)" in the
    report) cannot be told apart in it: refused at the repeated label; a label repeating
    another's default label is refused at the programme without one."""
    path = twice(tmp_path, 'label = "Same"\n', 'label = "Same"\n')
    [problem] = validate_files([path])
    assert (problem.key, problem.is_error) == ("interventions[1].label", True)
    assert problem.message == ("'Same' is also the label of interventions[0]; the report "
                               "names each programme by its label, so give each its own")
    path = twice(tmp_path, "", 'label = "Shared myth"\n')  # the first one's default
    [problem] = validate_files([path])
    assert problem.key == "interventions[0]"
    assert problem.message.startswith("'Shared myth', the label it has by default (from its "
                                      "type), is also the label of interventions[1]")
